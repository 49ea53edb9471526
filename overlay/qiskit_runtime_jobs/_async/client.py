"""`AsyncClient` and its raw responses: the drivers over the generated client.

Written once, here; `_sync/client.py` (`Client`, `RawResponses`) is generated from this file
by `make generate` (unasync: `async`/`await` dropped, `AsyncX` names made sync). Each
operation is one raw method, which sends its `_ops` builder's call and returns the whole
`Response`; the plain method is derived from it (`_plain`, `_done`): it returns what the
answer's model is, or nothing. The decisions (settings, validation, the create protocol,
the wait schedule, the pagination rule, the read-once cache) are pure code both drivers
share; a method here only does the I/O between them.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from functools import cached_property
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, Self, TypeVar, Unpack

import httpx

from qiskit_runtime_jobs_generated.models import (
    CreateJobResponse,
    JobMetrics,
    JobResponse,
    JobsResponse,
)
from qiskit_runtime_jobs_generated.types import Response

from .. import _ops
from .._core import ClientCore, deleted_before, parsed
from .._create import CreatePlan, found, lookup, lookup_after, plan_create, retry_wait
from .._decode import DecodedResults, decode_result_bytes
from .._errors import APIError, NotFoundError
from .._http import decoding_answer
from .._locks import async_file_lock
from .._offload import run_off_loop
from .._ops import Call, CreateOptions, JobFilters, parse_result
from .._result_cache import lost_if_cut
from .._returns import AsyncReturns
from .._settings import ClientOptions
from .._spec_facts import MAX_PAGE_SIZE, JobResult
from .._validation import check_job_id
from .._wait import Poll, WaitOptions, check_has_result
from .http import AsyncHTTPClient
from .iam import AsyncIAMAuth
from .transport import AsyncRetryTransport

T = TypeVar("T")
P = ParamSpec("P")
F = TypeVar("F", bound=Callable[..., Any])
Raw = Callable[Concatenate["AsyncRawResponses", P], AsyncReturns[Response[T]]]


def _plain(raw: Raw[P, T]) -> Callable[Concatenate[AsyncClient, P], AsyncReturns[T]]:
    """The plain method of a raw one: the model its answer carries."""

    async def method(self: AsyncClient, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return parsed(await raw(self.with_raw_response, *args, **kwargs))

    return _named(method, raw)


def _done(raw: Raw[P, None]) -> Callable[Concatenate[AsyncClient, P], AsyncReturns[None]]:
    """The plain method of a raw one whose answer carries nothing: it returns once done."""

    async def method(self: AsyncClient, /, *args: P.args, **kwargs: P.kwargs) -> None:
        await raw(self.with_raw_response, *args, **kwargs)

    return _named(method, raw)


def _named(method: F, raw: Callable[..., Any]) -> F:
    """Give a derived method the raw one's name, docstring and arguments (for `help()`)."""
    method.__name__ = raw.__name__
    method.__qualname__ = raw.__qualname__.replace("RawResponses", "Client")
    method.__doc__ = raw.__doc__
    method.__signature__ = inspect.signature(raw).replace(  # type: ignore[attr-defined]
        return_annotation=inspect.Signature.empty
    )
    return method


class AsyncRawResponses:
    """`client.with_raw_response`: each method returns the generated `Response` (status,
    headers, content, parsed); the client's method of the same name returns its model.

    Each is the service's answer to the request, except where that answer never arrived and
    the client learned the outcome another way: then it is a `RecoveredResponse`, which says
    so (`status_code` the outcome, no body or headers of its own, `learned_from` the answer
    it was learned from, as received). See `create_job` and `delete_job`.
    """

    def __init__(self, client: AsyncClient) -> None:
        self._client = client
        self._settings = client.settings

    async def create_job(
        self, program_id: str, **options: Unpack[CreateOptions]
    ) -> Response[CreateJobResponse]:
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

        Raw: the `POST /jobs` answer. When the job was found by its idempotency tag instead
        (the `POST`'s answer was lost to an ambiguous failure, or an `idempotency_key`'s job
        already existed), there is no such answer: a `RecoveredResponse` with status 200, no
        content or headers, `parsed` the `CreateJobResponse` read from the job found,
        `learned_from` the `GET /jobs` lookup's answer as received, and `failure` the
        ambiguous failure (None for a key's job found before posting).
        """
        client = self._client
        plan = plan_create(program_id, options)
        async with client._key_lock(plan.key, async_file_lock):
            done = await self._lookup(plan) if plan.key else None
            attempt = 0
            while done is None:
                done, attempt = await self._attempt(plan, attempt), attempt + 1
            return done

    async def _attempt(self, plan: CreatePlan, attempt: int) -> Response[CreateJobResponse] | None:
        """One POST; after an ambiguous failure, the wait and the lookup (None: not found)."""
        client = self._client
        await client._limiter.aacquire()
        try:
            return await client._send(_ops.create_job(self._settings, plan.body))
        except APIError as failure:
            await client._clock.asleep(retry_wait(failure, attempt, plan, client._policy))
            with lookup_after(failure, plan.tag):
                return await self._lookup(plan, failure)

    async def _lookup(
        self, plan: CreatePlan, failure: APIError | None = None
    ) -> Response[CreateJobResponse] | None:
        return found(await self._client._send(lookup(self._settings, plan)), plan, failure)

    async def list_jobs(
        self, *, limit: int = MAX_PAGE_SIZE, offset: int = 0, **filters: Unpack[JobFilters]
    ) -> Response[JobsResponse]:
        """One page of jobs (see `iter_jobs` for all of them)."""
        call = _ops.list_jobs(self._settings, limit=limit, offset=offset, filters=filters)
        return await self._client._send(call)

    async def get_job(self, job_id: str, *, exclude_params: bool = False) -> Response[JobResponse]:
        """A job's details (status, state, usage)."""
        call = _ops.get_job(self._settings, job_id, exclude_params=exclude_params)
        return await self._client._send(call)

    async def cancel_job(self, job_id: str) -> Response[None]:
        """Cancel a Queued or Running job (409 `ConflictError` otherwise)."""
        return await self._client._send(_ops.cancel_job(self._settings, job_id))

    async def delete_job(self, job_id: str) -> Response[None]:
        """Delete a job in a terminal state, with its data.

        Raw: the `DELETE` answer (204). A `DELETE` resent after its answer was lost and then
        answered 404 was done by an earlier attempt: as the plain method, this reports the
        deletion, as a `RecoveredResponse` with status 204, no content or headers, and
        `learned_from` the 404 as received. A 404 to a `DELETE` sent once raises
        `NotFoundError`.
        """
        try:
            return await self._client._send(_ops.delete_job(self._settings, job_id))
        except NotFoundError as error:
            return deleted_before(error)

    async def get_job_logs(self, job_id: str) -> Response[str]:
        """The job's logs, as text."""
        return await self._client._send(_ops.get_job_logs(self._settings, job_id))

    async def get_job_metrics(self, job_id: str) -> Response[JobMetrics]:
        """The job's timestamps, usage and Qiskit version."""
        return await self._client._send(_ops.get_job_metrics(self._settings, job_id))

    async def replace_job_tags(self, job_id: str, tags: list[str]) -> Response[None]:
        """Replace the job's tags (at most 8, each at most 86 characters)."""
        return await self._client._send(_ops.replace_job_tags(self._settings, job_id, tags))


class AsyncClient(ClientCore):
    """The Qiskit Runtime Jobs client. `Client` is the sync one (thread-safe, one per
    process), `AsyncClient` the asyncio one (one per event loop): same arguments, same
    methods.

    Credentials: `token=` (a bearer token) or `api_key=` (an IBM Cloud API key, exchanged
    at IAM); `crn=` is the service instance. Every argument (see `ClientOptions`) falls back
    to its environment variable (`QISKIT_RUNTIME_*`). `transport=` replaces the HTTP
    transport (tests, proxies); it also carries the IAM exchange.
    """

    def __init__(
        self,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(options)
        inner = transport or httpx.AsyncHTTPTransport()
        http = self._http_options(AsyncRetryTransport, AsyncIAMAuth, async_transport=inner)
        self._http = AsyncHTTPClient(**http)
        self._gen.set_async_httpx_client(self._http)

    async def _send(self, call: Call[T]) -> Response[T]:
        with decoding_answer():
            return call.typed(await call.api.asyncio_detailed(client=self._gen, **call.kwargs))

    @cached_property
    def with_raw_response(self) -> AsyncRawResponses:
        """The same methods, returning the generated `Response` (status, headers, content,
        parsed)."""
        return AsyncRawResponses(self)

    # ------------------------------------------------------------------ jobs
    create_job = _plain(AsyncRawResponses.create_job)
    list_jobs = _plain(AsyncRawResponses.list_jobs)
    get_job = _plain(AsyncRawResponses.get_job)
    cancel_job = _done(AsyncRawResponses.cancel_job)
    delete_job = _done(AsyncRawResponses.delete_job)
    get_job_logs = _plain(AsyncRawResponses.get_job_logs)
    get_job_metrics = _plain(AsyncRawResponses.get_job_metrics)
    replace_job_tags = _done(AsyncRawResponses.replace_job_tags)

    def iter_jobs(
        self, *, page_size: int = MAX_PAGE_SIZE, **filters: Unpack[JobFilters]
    ) -> AsyncIterator[JobResponse]:
        """Every matching job, fetching pages lazily as you iterate."""
        cursor = self._page_cursor(page_size, filters)

        async def pages() -> AsyncIterator[JobResponse]:
            while not cursor.done:
                page = await self.list_jobs(limit=page_size, offset=cursor.offset, **filters)
                for job in cursor.take(page):
                    yield job

        return pages()

    # ------------------------------------------------------------------ waiting and results
    async def wait(
        self, job_id: str, *, timeout: float | None = None, **options: Unpack[WaitOptions]
    ) -> JobResponse:
        """Poll until the job is Completed, Failed or Cancelled, and return it.

        `timeout` is the total wait in seconds (None: as long as it takes). Raises
        JobFailedError/JobCancelledError (unless `raise_on_failure=False`), and
        WaitTimeoutError after `timeout` (cancelling the job first if `cancel_on_timeout`).
        """
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
        return parse_result(await self._result_body(job_id))

    async def decoded_results(self, job_id: str) -> DecodedResults:
        """The job's result with every tensor decoded to a numpy array (same read rules)."""
        return decode_result_bytes(await self._result_body(job_id))

    async def _result_body(self, job_id: str) -> bytes:
        kept = await run_off_loop(self._results.get, job_id)
        if kept is not None:
            return kept
        private = check_has_result(await self.get_job(job_id, exclude_params=True))
        async with self._results.areading(job_id, private=private) as kept:
            if kept is not None:
                return kept
            with lost_if_cut(job_id, private=private):
                call = _ops.get_job_results(self._settings, job_id)
                body = (await self._send(call)).parsed
            return await run_off_loop(self._results.settle, job_id, body, private=private)

    # ------------------------------------------------------------------ lifecycle
    async def close(self) -> None:
        """Close the connection pools."""
        await self._http.aclose()
        if isinstance(self._auth, AsyncIAMAuth):
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
