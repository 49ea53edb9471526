"""`Client` and `AsyncClient`: thin fronts over the generated client.

Everything that is not I/O lives in `_ClientCore` and the modules it composes (settings,
validation, operations as data, the create protocol, the pagination stop rule). The two
classes differ only in how they run a call: `sync_detailed` or `await asyncio_detailed`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn, Self, TypedDict, TypeVar, Unpack

import httpx

from qiskit_runtime_jobs_generated import Client as GeneratedClient
from qiskit_runtime_jobs_generated.models import (
    CreateJobResponse,
    JobMetrics,
    JobResponse,
    JobsResponse,
)
from qiskit_runtime_jobs_generated.types import Unset

from . import _constants as c, _ops
from ._clock import Clock, SystemClock
from ._create import CreatePlan, Step, create_flow, found_job, plan_create
from ._decode import DecodedResults, decode_result_bytes
from ._errors import (
    APIConnectionError,
    APIError,
    JobCancelledError,
    JobFailedError,
    NotFoundError,
    QiskitRuntimeError,
    ResultLostError,
    ResultNotReadyError,
)
from ._http import AsyncHTTPClient, SyncHTTPClient
from ._iam import BearerAuth, IAMAuth
from ._limiter import SlidingWindowLimiter
from ._locks import async_file_lock, file_lock
from ._ops import Call, CreateOptions, JobFilters, JobResult, WaitOptions
from ._pagination import PageCursor
from ._raw import araw, raw
from ._result_cache import ResultCache, ResultGone
from ._retry import RetryPolicy, never_sent
from ._settings import Settings, resolve_settings
from ._stepper import adrive, drive
from ._transport import AsyncRetryTransport, RetryTransport
from ._validation import MAX_PAGE_SIZE, check_job_id, check_page_size
from ._wait import Outcome, async_wait_for_job, outcome_of, wait_for_job

__all__ = ["AsyncClient", "AsyncRawResponses", "Client", "ClientOptions", "RawResponses"]

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
    region: str
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


class _ClientCore:
    """Settings, policies and the generated client: everything both clients share."""

    def __init__(self, options: ClientOptions) -> None:
        settings_args = {k: v for k, v in options.items() if k != "clock"}
        self._settings = resolve_settings(**settings_args)  # type: ignore[arg-type]
        self._clock: Clock = options.get("clock") or SystemClock()
        self._policy = RetryPolicy(max_retries=self._settings.max_retries)
        limit = self._settings.create_rate_limit
        self._limiter = (
            SlidingWindowLimiter(limit, c.CREATE_RATE_WINDOW, self._clock) if limit else None
        )
        self._gen = GeneratedClient(base_url=self._settings.base_url)
        self._results = ResultCache(self._settings.cache_dir)

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

    def _key_lock(
        self, plan: CreatePlan, lock: Callable[[Path, str], L]
    ) -> L | contextlib.nullcontext[None]:
        """The lock on the caller's idempotency key (`lock` makes the sync or async one)."""
        if plan.key is None:
            return contextlib.nullcontext()
        return lock(self._settings.lock_dir, f"create-{plan.key}")

    @property
    def settings(self) -> Settings:
        """The resolved configuration (its repr hides secrets)."""
        return self._settings

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    def _http_options(self) -> dict[str, Any]:
        return {
            "base_url": self._settings.base_url,
            "timeout": self._settings.timeout,
            "headers": {"User-Agent": self._settings.user_agent},
        }

    def __repr__(self) -> str:
        s = self._settings
        return (
            f"{type(self).__name__}(base_url={s.base_url!r}, crn={s.crn!r}, "
            f"region={s.region!r}, {s.auth_kind}=<redacted>)"
        )


def _result_is_readable(job: JobResponse) -> bool:
    """Whether `job` has a result to read; raise why not when it never will or not yet.

    Returns whether the job is private (its result is then read once and kept).
    """
    outcome = outcome_of(job)
    status = str(job.status)
    reason = None if isinstance(job.state, Unset) else job.state.reason
    reason = reason if isinstance(reason, str) and reason else None
    if outcome is Outcome.PENDING:
        raise ResultNotReadyError(job.id, status)
    if outcome is Outcome.FAILED:
        raise JobFailedError(job.id, status, reason)
    if outcome is Outcome.CANCELLED:
        raise JobCancelledError(job.id, status, reason)
    return job.private is True


def _gone_on_204(response: httpx.Response, job_id: str) -> bytes:
    if response.status_code == 204:
        raise ResultGone(job_id)
    return response.content


def _raise_read_failure(error: APIConnectionError, job_id: str, private: bool) -> NoReturn:
    """A private read that failed once it may have reached the service may have lost the result
    (the service deletes it as it sends it): `ResultLostError`. Other failures as they are."""
    if private and not never_sent(error.__cause__ or error):
        raise ResultLostError(job_id, request=error.request) from error
    raise error


def _lookup_result(page: JobsResponse) -> CreateJobResponse | None:
    return found_job(page.jobs[0]) if page.jobs else None


def _lookup_filters(tag: str) -> JobFilters:
    return {"tags": [tag], "sort": "ASC"}


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
        self._auth = self._make_auth(transport=inner)
        self._http = SyncHTTPClient(
            auth=self._auth,
            transport=RetryTransport(inner, policy=self._policy, clock=self._clock),
            **self._http_options(),
        )
        self._gen.set_httpx_client(self._http)

    def _run(self, call: Call[T]) -> T:
        try:
            response = call.sync(client=self._gen, **call.kwargs)
        except _ANSWER_MISMATCH as exc:
            raise APIError("the service's answer does not match the spec") from exc
        return call.parse(response)

    @cached_property
    def with_raw_response(self) -> RawResponses:
        """The same methods, returning `RawResponse` (parsed model + `httpx.Response`)."""
        return RawResponses(self)

    # ------------------------------------------------------------------ jobs
    def create_job(self, program_id: str, **options: Unpack[CreateOptions]) -> CreateJobResponse:
        """Run a job; never creates a duplicate when retrying (see README, idempotent create).

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
        plan = plan_create(program_id, options)
        create = _ops.create_job(self._settings, plan.body)

        def perform(step: Step) -> Any:
            if step == "acquire":
                return self._limiter.acquire() if self._limiter else None
            if step == "post":
                return self._run(create)
            if step == "lookup":
                assert plan.tag is not None
                return _lookup_result(self.list_jobs(limit=1, **_lookup_filters(plan.tag)))
            assert isinstance(step, float)
            return self._clock.sleep(step)

        with self._key_lock(plan, file_lock):
            return drive(create_flow(plan, self._policy), perform, catch=QiskitRuntimeError)

    def list_jobs(
        self, *, limit: int = MAX_PAGE_SIZE, offset: int = 0, **filters: Unpack[JobFilters]
    ) -> JobsResponse:
        """One page of jobs (see `iter_jobs` for all of them)."""
        return self._run(
            _ops.list_jobs(self._settings, limit=limit, offset=offset, filters=filters)
        )

    def iter_jobs(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Unpack[JobFilters]
    ) -> Iterator[JobResponse]:
        """Every matching job, fetching pages lazily as you iterate."""
        cursor = PageCursor(check_page_size(page_size))
        _ops.list_jobs(self._settings, limit=page_size, offset=0, filters=filters)  # validate now

        def pages() -> Iterator[JobResponse]:
            while not cursor.done:
                page = self.list_jobs(limit=cursor.page_size, offset=cursor.offset, **filters)
                yield from cursor.take(page)

        return pages()

    def get_job(self, job_id: str, *, exclude_params: bool = False) -> JobResponse:
        """A job's details (status, state, usage)."""
        return self._run(_ops.get_job(self._settings, job_id, exclude_params=exclude_params))

    def cancel_job(self, job_id: str) -> None:
        """Cancel a Queued or Running job (409 `ConflictError` otherwise)."""
        self._run(_ops.cancel_job(self._settings, job_id))

    def delete_job(self, job_id: str) -> None:
        """Delete a job in a terminal state, with its data."""
        try:
            self._run(_ops.delete_job(self._settings, job_id))
        except NotFoundError as exc:
            if not _ops.deleted_by_earlier_attempt(exc):
                raise

    def get_job_logs(self, job_id: str) -> str:
        """The job's logs, as text."""
        return self._run(_ops.get_job_logs(self._settings, job_id))

    def get_job_metrics(self, job_id: str) -> JobMetrics:
        """The job's timestamps, usage and Qiskit version."""
        return self._run(_ops.get_job_metrics(self._settings, job_id))

    def replace_job_tags(self, job_id: str, tags: list[str]) -> None:
        """Replace the job's tags (at most 8, each at most 86 characters)."""
        self._run(_ops.replace_job_tags(self._settings, job_id, tags))

    # ------------------------------------------------------------------ waiting and results
    def wait(
        self, job_id: str, *, timeout: float | None = None, **options: Unpack[WaitOptions]
    ) -> JobResponse:
        """Poll until the job is Completed, Failed or Cancelled, and return it.

        `timeout` is the total wait in seconds (None: as long as it takes). Raises
        JobFailedError/JobCancelledError (unless `raise_on_failure=False`), and
        WaitTimeoutError after `timeout` (cancelling the job first if `cancel_on_timeout`).
        """
        check_job_id(job_id)
        return wait_for_job(
            lambda: self.get_job(job_id, exclude_params=True),
            job_id=job_id,
            clock=self._clock,
            cancel=lambda: self.cancel_job(job_id),
            timeout=timeout,
            **options,
        )

    def results(self, job_id: str) -> JobResult:
        """The job's result as the generated model (or the legacy string / raw JSON).

        A private job's result is read from the service once and kept (see `cache_dir`);
        later calls, also concurrent ones, and other clients and processes sharing the
        `cache_dir`, get the kept copy: one request per machine reaches the service. A 429 or
        503 (refused, so nothing was read) is retried. Raises ResultNotReadyError,
        JobFailedError/JobCancelledError for a job without a result,
        ResultAlreadyConsumedError when another client already read a private result, and
        ResultLostError when a private read failed after it may have reached the service
        (the answer was cut off or timed out: the result may be gone for good).
        """
        return _ops.parse_results(self._gen, self._result_body(job_id))

    def decoded_results(self, job_id: str) -> DecodedResults:
        """The job's result with every tensor decoded to a numpy array (same read rules)."""
        return decode_result_bytes(self._result_body(job_id))

    def _result_body(self, job_id: str) -> bytes:
        kept = self._results.get(job_id)
        if kept is not None:
            return kept
        private = _result_is_readable(self.get_job(job_id, exclude_params=True))
        request = _ops.results_request(self._settings, job_id)

        def fetch() -> bytes:
            try:
                response = self._http.request(**request)
            except APIConnectionError as exc:
                _raise_read_failure(exc, job_id, private)
            return _gone_on_204(response, job_id)

        return self._results.get_or_fetch(job_id, fetch, private=private)

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
        self._auth = self._make_auth(async_transport=inner)
        self._http = AsyncHTTPClient(
            auth=self._auth,
            transport=AsyncRetryTransport(inner, policy=self._policy, clock=self._clock),
            **self._http_options(),
        )
        self._gen.set_async_httpx_client(self._http)

    async def _run(self, call: Call[T]) -> T:
        try:
            response = await call.asyncio(client=self._gen, **call.kwargs)
        except _ANSWER_MISMATCH as exc:
            raise APIError("the service's answer does not match the spec") from exc
        return call.parse(response)

    @cached_property
    def with_raw_response(self) -> AsyncRawResponses:
        """The same methods, returning `RawResponse` (parsed model + `httpx.Response`)."""
        return AsyncRawResponses(self)

    # ------------------------------------------------------------------ jobs
    async def create_job(
        self, program_id: str, **options: Unpack[CreateOptions]
    ) -> CreateJobResponse:
        """Run a job; never creates a duplicate (see `Client.create_job`, `idempotency_key`)."""
        plan = plan_create(program_id, options)
        create = _ops.create_job(self._settings, plan.body)

        async def perform(step: Step) -> Any:
            if step == "acquire":
                return await self._limiter.aacquire() if self._limiter else None
            if step == "post":
                return await self._run(create)
            if step == "lookup":
                assert plan.tag is not None
                return _lookup_result(await self.list_jobs(limit=1, **_lookup_filters(plan.tag)))
            assert isinstance(step, float)
            return await self._clock.asleep(step)

        async with self._key_lock(plan, async_file_lock):
            return await adrive(create_flow(plan, self._policy), perform, catch=QiskitRuntimeError)

    async def list_jobs(
        self, *, limit: int = MAX_PAGE_SIZE, offset: int = 0, **filters: Unpack[JobFilters]
    ) -> JobsResponse:
        """One page of jobs (see `iter_jobs` for all of them)."""
        call = _ops.list_jobs(self._settings, limit=limit, offset=offset, filters=filters)
        return await self._run(call)

    def iter_jobs(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Unpack[JobFilters]
    ) -> AsyncIterator[JobResponse]:
        """Every matching job, fetching pages lazily as you iterate (`async for`)."""
        cursor = PageCursor(check_page_size(page_size))
        _ops.list_jobs(self._settings, limit=page_size, offset=0, filters=filters)  # validate now

        async def pages() -> AsyncIterator[JobResponse]:
            while not cursor.done:
                page = await self.list_jobs(limit=cursor.page_size, offset=cursor.offset, **filters)
                for job in cursor.take(page):
                    yield job

        return pages()

    async def get_job(self, job_id: str, *, exclude_params: bool = False) -> JobResponse:
        """A job's details (status, state, usage)."""
        return await self._run(_ops.get_job(self._settings, job_id, exclude_params=exclude_params))

    async def cancel_job(self, job_id: str) -> None:
        """Cancel a Queued or Running job (409 `ConflictError` otherwise)."""
        await self._run(_ops.cancel_job(self._settings, job_id))

    async def delete_job(self, job_id: str) -> None:
        """Delete a job in a terminal state, with its data."""
        try:
            await self._run(_ops.delete_job(self._settings, job_id))
        except NotFoundError as exc:
            if not _ops.deleted_by_earlier_attempt(exc):
                raise

    async def get_job_logs(self, job_id: str) -> str:
        """The job's logs, as text."""
        return await self._run(_ops.get_job_logs(self._settings, job_id))

    async def get_job_metrics(self, job_id: str) -> JobMetrics:
        """The job's timestamps, usage and Qiskit version."""
        return await self._run(_ops.get_job_metrics(self._settings, job_id))

    async def replace_job_tags(self, job_id: str, tags: list[str]) -> None:
        """Replace the job's tags (at most 8, each at most 86 characters)."""
        await self._run(_ops.replace_job_tags(self._settings, job_id, tags))

    # ------------------------------------------------------------------ waiting and results
    async def wait(
        self, job_id: str, *, timeout: float | None = None, **options: Unpack[WaitOptions]
    ) -> JobResponse:
        """Poll until the job is Completed, Failed or Cancelled, and return it (see Client)."""
        check_job_id(job_id)
        return await async_wait_for_job(
            lambda: self.get_job(job_id, exclude_params=True),
            job_id=job_id,
            clock=self._clock,
            cancel=lambda: self.cancel_job(job_id),
            timeout=timeout,
            **options,
        )

    async def results(self, job_id: str) -> JobResult:
        """The job's result as the generated model (read once and kept if private)."""
        return _ops.parse_results(self._gen, await self._result_body(job_id))

    async def decoded_results(self, job_id: str) -> DecodedResults:
        """The job's result with every tensor decoded to a numpy array."""
        return decode_result_bytes(await self._result_body(job_id))

    async def _result_body(self, job_id: str) -> bytes:
        kept = self._results.get(job_id)
        if kept is not None:
            return kept
        private = _result_is_readable(await self.get_job(job_id, exclude_params=True))
        request = _ops.results_request(self._settings, job_id)

        async def fetch() -> bytes:
            try:
                response = await self._http.request(**request)
            except APIConnectionError as exc:
                _raise_read_failure(exc, job_id, private)
            return _gone_on_204(response, job_id)

        return await self._results.async_get_or_fetch(job_id, fetch, private=private)

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
    """`client.with_raw_response`: each method returns a `RawResponse`."""

    def __init__(self, client: Client) -> None:
        self.create_job = raw(client.create_job)
        self.list_jobs = raw(client.list_jobs)
        self.get_job = raw(client.get_job)
        self.cancel_job = raw(client.cancel_job)
        self.delete_job = raw(client.delete_job)
        self.get_job_logs = raw(client.get_job_logs)
        self.get_job_metrics = raw(client.get_job_metrics)
        self.replace_job_tags = raw(client.replace_job_tags)


class AsyncRawResponses:
    """`async_client.with_raw_response`: each method returns a `RawResponse`."""

    def __init__(self, client: AsyncClient) -> None:
        self.create_job = araw(client.create_job)
        self.list_jobs = araw(client.list_jobs)
        self.get_job = araw(client.get_job)
        self.cancel_job = araw(client.cancel_job)
        self.delete_job = araw(client.delete_job)
        self.get_job_logs = araw(client.get_job_logs)
        self.get_job_metrics = araw(client.get_job_metrics)
        self.replace_job_tags = araw(client.replace_job_tags)
