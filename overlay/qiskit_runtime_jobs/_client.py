"""`Client` and `AsyncClient`: thin drivers over the generated client.

Every decision is made once, in pure code the two share: settings, validation, the
operations as data (`_ops`), the create protocol (`_create`), the wait schedule (`_wait`),
the pagination stop rule and the read-once cache. A method here only does the I/O between
those decisions: `sync_detailed` and `clock.sleep` in `Client`, their awaited twins in
`AsyncClient`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from functools import cached_property
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypedDict, TypeVar, Unpack

import httpx

from qiskit_runtime_jobs_generated import Client as GeneratedClient
from qiskit_runtime_jobs_generated.models import (
    CreateJobResponse,
    JobMetrics,
    JobResponse,
    JobsResponse,
)
from qiskit_runtime_jobs_generated.types import Response

from . import _constants as c, _ops
from ._clock import Clock, SystemClock
from ._create import CreatePlan, found, lookup, lookup_after, plan_create, retry_wait
from ._decode import DecodedResults, decode_result_bytes
from ._errors import APIError, NotFoundError
from ._http import AsyncHTTPClient, SyncHTTPClient
from ._iam import BearerAuth, IAMAuth
from ._limiter import SlidingWindowLimiter
from ._locks import async_file_lock, file_lock
from ._ops import Call, CreateOptions, JobFilters, parse_result
from ._pagination import PageCursor
from ._regions import Region
from ._result_cache import ResultCache, lost_if_cut
from ._retry import RetryPolicy
from ._settings import Settings, resolve_settings
from ._spec_facts import JobResult
from ._transport import AsyncRetryTransport, RetryTransport, attempts
from ._validation import MAX_PAGE_SIZE, check_job_id, check_page_size
from ._wait import Poll, WaitOptions, check_has_result

logger = logging.getLogger(c.LOGGER_NAME)
T = TypeVar("T")
L = TypeVar("L")

_ANSWER_MISMATCH = (KeyError, TypeError, ValueError)
"""What the generated parsers raise on an answer that does not match the spec."""


class ClientOptions(TypedDict, total=False):
    """The constructor arguments both clients share (each falls back to its env variable)."""

    token: str
    """A bearer token used as given (`QISKIT_RUNTIME_TOKEN`)."""
    api_key: str
    """An IBM Cloud API key, exchanged at IAM (`QISKIT_RUNTIME_API_KEY`)."""
    crn: str
    """The service instance's CRN; its location picks the region (`QISKIT_RUNTIME_CRN`)."""
    region: Region
    """Override the CRN's region (`QISKIT_RUNTIME_REGION`); exclusive with `base_url`."""
    base_url: str
    """Override the host, e.g. the mock's (`QISKIT_RUNTIME_BASE_URL`)."""
    iam_url: str
    """The IAM token endpoint (`QISKIT_RUNTIME_IAM_URL`)."""
    api_version: str
    """The IBM-API-Version header (`QISKIT_RUNTIME_API_VERSION`); default: the spec's."""
    timeout: float | httpx.Timeout
    """Seconds per request, or an httpx.Timeout (`QISKIT_RUNTIME_TIMEOUT`); default 30/10."""
    max_retries: int
    """Retries after the first attempt (`QISKIT_RUNTIME_MAX_RETRIES`); default 3."""
    create_rate_limit: int | None
    """Creates per minute allowed client-side; None disables the limiter. Default 5."""
    clock: Clock
    """The time source for sleeps (tests pass a VirtualClock)."""
    cache_dir: str | Path
    """Also keep private results on disk here (`QISKIT_RUNTIME_CACHE_DIR`); default: memory."""


def _parsed(response: Response[T]) -> T:
    assert response.parsed is not None  # every call that returns a model checked it has one
    return response.parsed


def _deleted_before(error: NotFoundError) -> Response[None]:
    """A 404 to a DELETE the transport had to resend: an earlier attempt deleted the job."""
    if attempts(error.response) <= 1:
        raise error
    answer = error.response
    return Response(HTTPStatus(answer.status_code), answer.content, answer.headers, None)


class _ClientCore:
    """Settings, policies, the generated client and the result cache both clients share."""

    def __init__(self, options: ClientOptions) -> None:
        settings_args = {k: v for k, v in options.items() if k != "clock"}
        self._settings = resolve_settings(**settings_args)  # type: ignore[arg-type]
        self._clock: Clock = options.get("clock") or SystemClock()
        self._policy = RetryPolicy(max_retries=self._settings.max_retries)
        self._limiter = SlidingWindowLimiter(
            self._settings.create_rate_limit, c.CREATE_RATE_WINDOW, self._clock
        )
        self._gen = GeneratedClient(base_url=self._settings.base_url)
        self._results = ResultCache(self._settings.cache_dir)

    @property
    def settings(self) -> Settings:
        """The resolved configuration (its repr hides secrets)."""
        return self._settings

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def result_cache(self) -> ResultCache:
        """The kept copies of private results (`forget(job_id)` to drop one)."""
        return self._results

    def _make_auth(self, **transport: Any) -> IAMAuth | BearerAuth:
        s = self._settings
        if s.api_key is None:
            return BearerAuth(s.token or "")
        return IAMAuth(
            s.api_key,
            url=s.iam_url,
            clock=self._clock,
            timeout=s.timeout,
            max_retries=s.max_retries,
            **transport,
        )

    def _http_options(self, retrying: Callable[..., object], **inner: Any) -> dict[str, Any]:
        """The httpx client's arguments: the retrying transport over `inner` (the one given),
        and the auth, whose IAM exchange goes through `inner` too."""
        self._auth = self._make_auth(**inner)
        return {
            "auth": self._auth,
            "transport": retrying(*inner.values(), policy=self._policy, clock=self._clock),
            "base_url": self._settings.base_url,
            "timeout": self._settings.timeout,
            "headers": {"User-Agent": self._settings.user_agent},
        }

    def _key_lock(
        self, key: str | None, lock: Callable[[Path, str], L]
    ) -> L | contextlib.nullcontext[None]:
        """The lock on a caller's idempotency key (`lock` makes the sync or async one)."""
        if key is None:
            return contextlib.nullcontext()
        return lock(self._settings.lock_dir, f"create-{key}")

    def _page_cursor(self, page_size: int, filters: JobFilters) -> PageCursor:
        """Check the page size and filters now, before the first page is asked for."""
        _ops.list_page(self._settings, limit=page_size, offset=0, filters=filters)
        return PageCursor(check_page_size(page_size))

    def __repr__(self) -> str:
        s = self._settings
        return (
            f"{type(self).__name__}(base_url={s.base_url!r}, crn={s.crn!r}, "
            f"region={s.region!r}, {s.auth_kind}=<redacted>)"
        )


class Client(_ClientCore):
    """The Qiskit Runtime Jobs client (sync). Thread-safe; use one per process.

    Credentials: `token=` (a bearer token) or `api_key=` (an IBM Cloud API key, exchanged
    at IAM); `crn=` is the service instance. Every argument (see `ClientOptions`) falls back
    to its environment variable (`QISKIT_RUNTIME_*`). `transport=` replaces the HTTP
    transport (tests, proxies); it also carries the IAM exchange.
    """

    def __init__(
        self, *, transport: httpx.BaseTransport | None = None, **options: Unpack[ClientOptions]
    ) -> None:
        super().__init__(options)
        inner = transport or httpx.HTTPTransport()
        self._http = SyncHTTPClient(**self._http_options(RetryTransport, transport=inner))
        self._gen.set_httpx_client(self._http)

    def _send(self, call: Call[T]) -> Response[T]:
        try:
            return call.typed(call.api.sync_detailed(client=self._gen, **call.kwargs))
        except _ANSWER_MISMATCH as exc:
            raise APIError("the service's answer does not match the spec") from exc

    @cached_property
    def with_raw_response(self) -> RawResponses:
        """The same methods, returning the generated `Response` (status, headers, content,
        parsed)."""
        return RawResponses(self)

    # ------------------------------------------------------------------ jobs
    def create_job(self, program_id: str, **options: Unpack[CreateOptions]) -> CreateJobResponse:
        """Run a job; never creates a duplicate when retrying (see the README, idempotent create).

        Every create carries an idempotency tag, `qrj-idempotency-<key>` (one of the 8 tag
        places). After an ambiguous failure (timeout, dropped connection, 408, 429, 5xx) the
        client looks the tag up before it sends anything again.

        `idempotency_key=` (1 to 70 of `A-Za-z0-9_-`) sets that key, and then it means what it
        says, as Stripe's keys do: a call whose key a job already carries returns that job
        instead of creating another, also after an earlier call with the key raised, and
        also when calls with one key run at the same time in threads, tasks or processes of
        one machine (they take turns on a lock file for the key, in `<cache_dir>/locks`, else
        `$XDG_CACHE_HOME` or `~/.cache`, under `qiskit-runtime-jobs/locks`). The cost: one
        `GET /jobs` lookup per keyed create, before its `POST`, and the lock file. The job
        found is returned as it is (this call's other arguments are not compared with it);
        a key is free again once its job is deleted. Calls on different machines are not
        serialized: one whose `POST` is still in flight is not seen by another's lookup.
        Without a key, no lookup is made before the first `POST`.
        """
        return _parsed(self._create(program_id, options))

    def _create(self, program_id: str, options: CreateOptions) -> Response[CreateJobResponse]:
        plan = plan_create(program_id, options)
        with self._key_lock(plan.key, file_lock):
            done = self._lookup(plan) if plan.key else None
            attempt = 0
            while done is None:
                done, attempt = self._attempt(plan, attempt), attempt + 1
            return done

    def _attempt(self, plan: CreatePlan, attempt: int) -> Response[CreateJobResponse] | None:
        """One POST; after an ambiguous failure, the wait and the lookup (None: not found)."""
        self._limiter.acquire()
        try:
            return self._send(_ops.create(self._settings, plan.body))
        except APIError as failure:
            self._clock.sleep(retry_wait(failure, attempt, plan, self._policy))
            with lookup_after(failure, plan.tag):
                return self._lookup(plan)

    def _lookup(self, plan: CreatePlan) -> Response[CreateJobResponse] | None:
        return found(self._send(lookup(self._settings, plan.tag)))

    def list_jobs(
        self, *, limit: int = MAX_PAGE_SIZE, offset: int = 0, **filters: Unpack[JobFilters]
    ) -> JobsResponse:
        """One page of jobs (see `iter_jobs` for all of them)."""
        return _parsed(self.with_raw_response.list_jobs(limit=limit, offset=offset, **filters))

    def iter_jobs(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Unpack[JobFilters]
    ) -> Iterator[JobResponse]:
        """Every matching job, fetching pages lazily as you iterate."""
        cursor = self._page_cursor(page_size, filters)

        def pages() -> Iterator[JobResponse]:
            while not cursor.done:
                yield from cursor.take(
                    self.list_jobs(limit=page_size, offset=cursor.offset, **filters)
                )

        return pages()

    def get_job(self, job_id: str, *, exclude_params: bool = False) -> JobResponse:
        """A job's details (status, state, usage)."""
        return _parsed(self.with_raw_response.get_job(job_id, exclude_params=exclude_params))

    def cancel_job(self, job_id: str) -> None:
        """Cancel a Queued or Running job (409 `ConflictError` otherwise)."""
        self.with_raw_response.cancel_job(job_id)

    def delete_job(self, job_id: str) -> None:
        """Delete a job in a terminal state, with its data."""
        self.with_raw_response.delete_job(job_id)

    def get_job_logs(self, job_id: str) -> str:
        """The job's logs, as text."""
        return _parsed(self.with_raw_response.get_job_logs(job_id))

    def get_job_metrics(self, job_id: str) -> JobMetrics:
        """The job's timestamps, usage and Qiskit version."""
        return _parsed(self.with_raw_response.get_job_metrics(job_id))

    def replace_job_tags(self, job_id: str, tags: list[str]) -> None:
        """Replace the job's tags (at most 8, each at most 86 characters)."""
        self.with_raw_response.replace_job_tags(job_id, tags)

    # ------------------------------------------------------------------ waiting and results
    def wait(
        self, job_id: str, *, timeout: float | None = None, **options: Unpack[WaitOptions]
    ) -> JobResponse:
        """Poll until the job is Completed, Failed or Cancelled, and return it.

        `timeout` is the total wait in seconds (None: as long as it takes). Raises
        JobFailedError/JobCancelledError (unless `raise_on_failure=False`), and
        WaitTimeoutError after `timeout` (cancelling the job first if `cancel_on_timeout`).
        """
        poll = Poll(check_job_id(job_id), timeout, self._clock, **options)
        while (delay := poll.delay(job := self.get_job(job_id, exclude_params=True))) is not None:
            self._clock.sleep(delay)
        if poll.timed_out and poll.cancel_on_timeout:
            with poll.cancelling(job):
                self.cancel_job(job_id)
        return poll.finish(job)

    def results(self, job_id: str) -> JobResult:
        """The job's result as a generated model (or the legacy string, or raw JSON).

        A private job's result is read from the service once and kept (see `cache_dir`);
        later calls, also concurrent ones, and other clients and processes sharing the
        `cache_dir`, get the kept copy: one request per machine reaches the service. A 429 or
        503 (refused, so nothing was read) is retried. Raises ResultNotReadyError,
        JobFailedError/JobCancelledError for a job without a result,
        ResultAlreadyConsumedError when another client already read a private result, and
        ResultLostError when a private read failed after it may have reached the service
        (the answer was cut off or timed out: the result may be gone for good).
        """
        return parse_result(self._result_body(job_id))

    def decoded_results(self, job_id: str) -> DecodedResults:
        """The job's result with every tensor decoded to a numpy array (same read rules)."""
        return decode_result_bytes(self._result_body(job_id))

    def _result_body(self, job_id: str) -> bytes:
        kept = self._results.get(job_id)
        if kept is not None:
            return kept
        private = check_has_result(self.get_job(job_id, exclude_params=True))
        with self._results.reading(job_id, private=private) as kept:
            if kept is not None:
                return kept
            with lost_if_cut(job_id, private=private):
                body = self._send(_ops.result_body(self._settings, job_id)).parsed
            return self._results.settle(job_id, body, private=private)

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        """Close the connection pools."""
        self._http.close()
        if isinstance(self._auth, IAMAuth):
            self._auth.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(_ClientCore):
    """The asyncio twin of `Client`: same arguments, same methods, awaited."""

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(options)
        inner = transport or httpx.AsyncHTTPTransport()
        self._http = AsyncHTTPClient(
            **self._http_options(AsyncRetryTransport, async_transport=inner)
        )
        self._gen.set_async_httpx_client(self._http)

    async def _send(self, call: Call[T]) -> Response[T]:
        try:
            return call.typed(await call.api.asyncio_detailed(client=self._gen, **call.kwargs))
        except _ANSWER_MISMATCH as exc:
            raise APIError("the service's answer does not match the spec") from exc

    @cached_property
    def with_raw_response(self) -> AsyncRawResponses:
        """The same methods, returning the generated `Response`."""
        return AsyncRawResponses(self)

    # ------------------------------------------------------------------ jobs
    async def create_job(
        self, program_id: str, **options: Unpack[CreateOptions]
    ) -> CreateJobResponse:
        """Run a job; never creates a duplicate (see `Client.create_job`, `idempotency_key`)."""
        return _parsed(await self._create(program_id, options))

    async def _create(self, program_id: str, options: CreateOptions) -> Response[CreateJobResponse]:
        plan = plan_create(program_id, options)
        async with self._key_lock(plan.key, async_file_lock):
            done = await self._lookup(plan) if plan.key else None
            attempt = 0
            while done is None:
                done, attempt = await self._attempt(plan, attempt), attempt + 1
            return done

    async def _attempt(self, plan: CreatePlan, attempt: int) -> Response[CreateJobResponse] | None:
        await self._limiter.aacquire()
        try:
            return await self._send(_ops.create(self._settings, plan.body))
        except APIError as failure:
            await self._clock.asleep(retry_wait(failure, attempt, plan, self._policy))
            with lookup_after(failure, plan.tag):
                return await self._lookup(plan)

    async def _lookup(self, plan: CreatePlan) -> Response[CreateJobResponse] | None:
        return found(await self._send(lookup(self._settings, plan.tag)))

    async def list_jobs(
        self, *, limit: int = MAX_PAGE_SIZE, offset: int = 0, **filters: Unpack[JobFilters]
    ) -> JobsResponse:
        """One page of jobs (see `iter_jobs` for all of them)."""
        return _parsed(
            await self.with_raw_response.list_jobs(limit=limit, offset=offset, **filters)
        )

    def iter_jobs(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Unpack[JobFilters]
    ) -> AsyncIterator[JobResponse]:
        """Every matching job, fetching pages lazily as you iterate (`async for`)."""
        cursor = self._page_cursor(page_size, filters)

        async def pages() -> AsyncIterator[JobResponse]:
            while not cursor.done:
                for job in cursor.take(
                    await self.list_jobs(limit=page_size, offset=cursor.offset, **filters)
                ):
                    yield job

        return pages()

    async def get_job(self, job_id: str, *, exclude_params: bool = False) -> JobResponse:
        """A job's details (status, state, usage)."""
        return _parsed(await self.with_raw_response.get_job(job_id, exclude_params=exclude_params))

    async def cancel_job(self, job_id: str) -> None:
        """Cancel a Queued or Running job (409 `ConflictError` otherwise)."""
        await self.with_raw_response.cancel_job(job_id)

    async def delete_job(self, job_id: str) -> None:
        """Delete a job in a terminal state, with its data."""
        await self.with_raw_response.delete_job(job_id)

    async def get_job_logs(self, job_id: str) -> str:
        """The job's logs, as text."""
        return _parsed(await self.with_raw_response.get_job_logs(job_id))

    async def get_job_metrics(self, job_id: str) -> JobMetrics:
        """The job's timestamps, usage and Qiskit version."""
        return _parsed(await self.with_raw_response.get_job_metrics(job_id))

    async def replace_job_tags(self, job_id: str, tags: list[str]) -> None:
        """Replace the job's tags (at most 8, each at most 86 characters)."""
        await self.with_raw_response.replace_job_tags(job_id, tags)

    # ------------------------------------------------------------------ waiting and results
    async def wait(
        self, job_id: str, *, timeout: float | None = None, **options: Unpack[WaitOptions]
    ) -> JobResponse:
        """Poll until the job is Completed, Failed or Cancelled, and return it (see Client)."""
        poll = Poll(check_job_id(job_id), timeout, self._clock, **options)
        while (
            delay := poll.delay(job := await self.get_job(job_id, exclude_params=True))
        ) is not None:
            await self._clock.asleep(delay)
        if poll.timed_out and poll.cancel_on_timeout:
            with poll.cancelling(job):
                await self.cancel_job(job_id)
        return poll.finish(job)

    async def results(self, job_id: str) -> JobResult:
        """The job's result as a generated model (read once and kept if private)."""
        return parse_result(await self._result_body(job_id))

    async def decoded_results(self, job_id: str) -> DecodedResults:
        """The job's result with every tensor decoded to a numpy array."""
        return decode_result_bytes(await self._result_body(job_id))

    async def _result_body(self, job_id: str) -> bytes:
        kept = self._results.get(job_id)
        if kept is not None:
            return kept
        private = check_has_result(await self.get_job(job_id, exclude_params=True))
        async with self._results.areading(job_id, private=private) as kept:
            if kept is not None:
                return kept
            with lost_if_cut(job_id, private=private):
                body = (await self._send(_ops.result_body(self._settings, job_id))).parsed
            return self._results.settle(job_id, body, private=private)

    # ------------------------------------------------------------------ lifecycle
    async def close(self) -> None:
        """Close the connection pools."""
        await self._http.aclose()
        if isinstance(self._auth, IAMAuth):
            await self._auth.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


class RawResponses:
    """`client.with_raw_response`: each method returns the generated `Response`."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self._settings = client.settings

    def create_job(
        self, program_id: str, **options: Unpack[CreateOptions]
    ) -> Response[CreateJobResponse]:
        return self._client._create(program_id, options)

    def list_jobs(
        self, *, limit: int = MAX_PAGE_SIZE, offset: int = 0, **filters: Unpack[JobFilters]
    ) -> Response[JobsResponse]:
        return self._client._send(
            _ops.list_page(self._settings, limit=limit, offset=offset, filters=filters)
        )

    def get_job(self, job_id: str, *, exclude_params: bool = False) -> Response[JobResponse]:
        return self._client._send(_ops.job(self._settings, job_id, exclude_params=exclude_params))

    def cancel_job(self, job_id: str) -> Response[None]:
        return self._client._send(_ops.cancel(self._settings, job_id))

    def delete_job(self, job_id: str) -> Response[None]:
        try:
            return self._client._send(_ops.delete(self._settings, job_id))
        except NotFoundError as error:
            return _deleted_before(error)

    def get_job_logs(self, job_id: str) -> Response[str]:
        return self._client._send(_ops.logs(self._settings, job_id))

    def get_job_metrics(self, job_id: str) -> Response[JobMetrics]:
        return self._client._send(_ops.metrics(self._settings, job_id))

    def replace_job_tags(self, job_id: str, tags: list[str]) -> Response[None]:
        return self._client._send(_ops.replace_tags(self._settings, job_id, tags))


class AsyncRawResponses:
    """`async_client.with_raw_response`: each method returns the generated `Response`."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._settings = client.settings

    async def create_job(
        self, program_id: str, **options: Unpack[CreateOptions]
    ) -> Response[CreateJobResponse]:
        return await self._client._create(program_id, options)

    async def list_jobs(
        self, *, limit: int = MAX_PAGE_SIZE, offset: int = 0, **filters: Unpack[JobFilters]
    ) -> Response[JobsResponse]:
        return await self._client._send(
            _ops.list_page(self._settings, limit=limit, offset=offset, filters=filters)
        )

    async def get_job(self, job_id: str, *, exclude_params: bool = False) -> Response[JobResponse]:
        return await self._client._send(
            _ops.job(self._settings, job_id, exclude_params=exclude_params)
        )

    async def cancel_job(self, job_id: str) -> Response[None]:
        return await self._client._send(_ops.cancel(self._settings, job_id))

    async def delete_job(self, job_id: str) -> Response[None]:
        try:
            return await self._client._send(_ops.delete(self._settings, job_id))
        except NotFoundError as error:
            return _deleted_before(error)

    async def get_job_logs(self, job_id: str) -> Response[str]:
        return await self._client._send(_ops.logs(self._settings, job_id))

    async def get_job_metrics(self, job_id: str) -> Response[JobMetrics]:
        return await self._client._send(_ops.metrics(self._settings, job_id))

    async def replace_job_tags(self, job_id: str, tags: list[str]) -> Response[None]:
        return await self._client._send(_ops.replace_tags(self._settings, job_id, tags))
