"""The Starlette app: one raw-ASGI handler per spec operationId, sharing one request pipeline.

The pipeline of every API request: request id -> fault (before) -> auth (401/403) ->
IBM-API-Version (400) -> path id (400) -> the operation (body: 413/408/400) -> fault (after).
Every failure is an :class:`ApiError` rendered in the one documented error shape; anything
unexpected becomes a 500 in that shape too, never a stack trace.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ._access_log import AccessLog
from ._auth import Caller, TokenIssuer, authenticate, check_api_version
from ._body import check_json_type, read_body
from ._clock import Clock, SystemClock
from ._config import DEFAULT_USER, MockConfig
from ._errors import ApiError, error_body, error_response
from ._faults import Fault, FaultInjector
from ._intake import form_from_body, from_body, submission_from_body, tags_from_body
from ._results import render_result
from ._spec import spec_json, spec_yaml
from ._store import JobStore, dumps, job_bytes, logs_text, metrics_json
from ._validation import check_job_id, parse_bool, parse_list_query

API_PREFIX = "/api/v1"
IAM_TOKEN_PATH = "/identity/token"
IAM_ROUTE = "iam_token"
SPEC_YAML_PATH = "/openapi.yaml"
SPEC_JSON_PATH = "/openapi.json"
# Set by the bundled server (see _protocol.py): closes the client connection without an answer.
ABORT_EXTENSION = "qiskit_runtime_jobs_mock.abort"
FAULT_HEADER = "X-Mock-Fault"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")
_FAULT_CODES = {
    429: "rate_limit_exceeded",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
LOGGER_NAME = "qiskit_runtime_jobs_mock"
logger = logging.getLogger(LOGGER_NAME)


@dataclass
class MockState:
    """Everything a running mock holds; reachable as ``app.state.mock`` for tests and tools."""

    config: MockConfig
    clock: Clock
    store: JobStore
    issuer: TokenIssuer
    faults: FaultInjector

    def add_job(
        self, body: Mapping[str, Any], *, user_id: str | None = None, crn: str | None = None
    ) -> str:
        """Create a job from a ``POST /jobs`` body, without HTTP; return its id.

        The same checks and limits as ``POST /jobs`` apply (what would be a 4xx raises
        ``ValueError`` with its status, code and message), but no auth and no fault. The job
        belongs to ``user_id`` in instance ``crn``, by default the user of the first configured
        token (else API key) and the first instance: those of :attr:`MockEndpoint.headers`.
        For tests and benchmarks that need many jobs quickly.
        """
        config = self.config
        owners = [*config.tokens.values(), *config.api_keys.values()]
        try:
            submission = submission_from_body(json.dumps(body).encode(), config.result_bytes)
            job = self.store.create(
                crn if crn is not None else next(iter(config.instances)),
                user_id if user_id is not None else owners[0] if owners else DEFAULT_USER,
                submission,
                None,
                self.clock.now(),
            )
        except ApiError as error:
            raise ValueError(f"{error.status_code} {error.code}: {error.message}") from None
        return job.id


@dataclass
class _Context:
    """One request as the operations see it."""

    request: Request
    state: MockState
    now: float
    caller: Caller
    trace: str

    @property
    def job_id(self) -> str:
        return str(self.request.path_params["id"])


Handler = Callable[[_Context], Awaitable[Response]]


def _json(body: Any, status_code: int = 200) -> Response:
    return _json_bytes(dumps(body), status_code)


def _json_bytes(payload: bytes, status_code: int = 200) -> Response:
    return Response(payload, status_code=status_code, media_type="application/json")


def _request_id(request: Request) -> str:
    """Echo a sane client request id, else make one."""
    return _trace(request.headers.get("x-request-id"))


def _trace(sent: str | None) -> str:
    return sent if sent and _REQUEST_ID_RE.match(sent) else str(uuid.uuid4())


def _headers(scope: Scope) -> dict[str, str]:
    """The request's headers by (lowercase) name, the first of each, as Starlette's
    ``Headers.get`` reads them: one pass instead of one per header read."""
    found: dict[str, str] = {}
    for name, value in scope["headers"]:
        found.setdefault(name.decode("latin-1"), value.decode("latin-1"))
    return found


class _Operation:
    """A raw ASGI endpoint running the shared pipeline around one handler."""

    def __init__(
        self, route: str, handler: Handler, *, has_path_id: bool = True, public: bool = False
    ) -> None:
        self.route = route
        self.handler = handler
        self.has_path_id = has_path_id
        self.public = public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        headers = _headers(scope)
        trace = _trace(headers.get("x-request-id"))
        try:
            await self._run(request, headers, trace, send)
        except ClientDisconnect:
            # Routine for a client that gave up (its own timeout, Ctrl+C): nothing to answer.
            logger.debug("client disconnected during %s (trace %s)", self.route, trace)

    async def _run(self, request: Request, headers: dict[str, str], trace: str, send: Send) -> None:
        scope, receive = request.scope, request.receive
        state: MockState = request.app.state.mock
        fault = state.faults.pick(self.route)
        if fault is not None and fault.when == "before":
            if fault.kind in ("drop", "truncate"):
                await _drain(request, state.config)
            if fault.kind == "slow":
                await asyncio.sleep(fault.delay_seconds)
            else:
                await _strike(fault, _fault_error(fault, trace), trace, scope, receive, send)
                return
        response = await self._respond(request, headers, state, trace)
        response.headers["X-Request-ID"] = trace
        if fault is not None and fault.when == "after":
            if fault.kind == "slow":
                await asyncio.sleep(fault.delay_seconds)
            else:
                await _strike(fault, response, trace, scope, receive, send)
                return
        await response(scope, receive, send)

    async def _respond(
        self, request: Request, headers: dict[str, str], state: MockState, trace: str
    ) -> Response:
        try:
            now = state.clock.now()
            caller = Caller("", "")
            if not self.public:
                caller = authenticate(
                    state.config,
                    state.issuer,
                    headers.get("authorization"),
                    headers.get("service-crn"),
                    now,
                )
                check_api_version(state.config, headers.get("ibm-api-version"))
            if self.has_path_id:
                check_job_id(str(request.path_params["id"]))
            return await self.handler(_Context(request, state, now, caller, trace))
        except ApiError as error:
            return error_response(error, trace)
        except ClientDisconnect:
            raise
        except Exception:
            logger.exception("unexpected error in %s (trace %s)", self.route, trace)
            return error_response(
                ApiError(500, "internal_error", "The mock hit an unexpected error."), trace
            )


class _Methods:
    """The operations of one path in one route, so a 405 lists every allowed method."""

    def __init__(self, operations: dict[str, _Operation]) -> None:
        self.operations = operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        await self.operations[method](scope, receive, send)


def _fault_error(fault: Fault, trace: str) -> Response:
    """The error a fault answers with (its status; 503 for a ``truncate`` before the operation)."""
    status = fault.status if fault.kind == "status" else 503
    message = f"Injected fault: {status} {fault.when} the operation took effect."
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    return error_response(ApiError(status, _FAULT_CODES[status], message, headers=headers), trace)


async def _strike(
    fault: Fault, response: Response, trace: str, scope: Scope, receive: Receive, send: Send
) -> None:
    """Deliver a fault: answer its status, drop the connection, or cut the body in half."""
    if fault.kind == "drop":
        await _abort(scope)
        return
    if fault.kind == "status":
        response = _fault_error(fault, trace)
    response.headers[FAULT_HEADER] = f"{fault.kind};when={fault.when}"
    if fault.kind == "status":
        await response(scope, receive, send)
        return
    await send(
        {
            "type": "http.response.start",
            "status": response.status_code,
            "headers": response.raw_headers,
        }
    )
    half = response.body[: len(response.body) // 2]
    await send({"type": "http.response.body", "body": half, "more_body": True})
    await _abort(scope)


async def _drain(request: Request, config: MockConfig) -> None:
    """Read (and drop) the request body, so closing the socket is a clean EOF, not a reset."""
    with contextlib.suppress(ApiError):
        await read_body(request, config)


async def _abort(scope: Scope) -> None:
    """Close the connection mid-exchange; without the bundled server, fail the request."""
    abort = scope.get("extensions", {}).get(ABORT_EXTENSION)
    if abort is None:
        raise ConnectionAbortedError("injected fault: connection dropped")
    abort()
    for _ in range(3):  # let the server notice the closed transport before we return
        await asyncio.sleep(0)


# ---------------------------------------------------------------------------- operations


async def _json_bytes_of(request: Request, config: MockConfig) -> bytearray:
    """A JSON body's bytes: 400 for another content type, 413/408 as it arrives."""
    check_json_type(request)
    return await read_body(request, config)


async def create_job(ctx: _Context) -> Response:
    config = ctx.state.config
    raw = await _json_bytes_of(ctx.request, config)
    submission = await from_body(submission_from_body, raw, config.result_bytes)
    job = ctx.state.store.create(
        ctx.caller.crn,
        ctx.caller.user_id,
        submission,
        ctx.request.headers.get("x-qx-client-application"),
        ctx.now,
    )
    request = submission.request
    answer: dict[str, Any] = {"id": job.id, "backend": job.backend}
    if request.session_id is not None:
        answer["session_id"] = request.session_id
    if request.calibration_id is not None:
        answer["calibration_id"] = request.calibration_id
    if request.private:
        answer["private"] = True
    return _json(answer)


async def list_jobs(ctx: _Context) -> Response:
    params = ctx.request.query_params
    # A plain dict (each name's last value, as the query params' own get) reads faster.
    query = parse_list_query(dict(params.items()), params.getlist("tags"))
    jobs, count = ctx.state.store.list(ctx.caller.crn, ctx.caller.user_id, query, ctx.now)
    include = not query.exclude_params
    # The JSON of {"jobs": [...], "count": ..., "limit": ..., "offset": ...}, from each
    # job's cached JSON.
    page = b",".join(job_bytes(job, ctx.now, include_params=include) for job in jobs)
    tail = f'],"count":{count},"limit":{query.limit},"offset":{query.offset}}}'
    return _json_bytes(b'{"jobs":[' + page + tail.encode())


async def get_job(ctx: _Context) -> Response:
    query = ctx.request.query_params if ctx.request.scope["query_string"] else {}
    exclude = parse_bool("exclude_params", query.get("exclude_params"), False)
    job = ctx.state.store.get(ctx.caller.crn, ctx.caller.user_id, ctx.job_id)
    return _json_bytes(job_bytes(job, ctx.now, include_params=not exclude))


async def delete_job(ctx: _Context) -> Response:
    ctx.state.store.delete(ctx.caller.crn, ctx.caller.user_id, ctx.job_id, ctx.now)
    return Response(status_code=204)


async def cancel_job(ctx: _Context) -> Response:
    ctx.state.store.cancel(ctx.caller.crn, ctx.caller.user_id, ctx.job_id, ctx.now)
    return Response(status_code=204)


async def get_job_logs(ctx: _Context) -> Response:
    job = ctx.state.store.get(ctx.caller.crn, ctx.caller.user_id, ctx.job_id)
    return Response(logs_text(job, ctx.now), media_type="text/plain")


async def get_job_metrics(ctx: _Context) -> Response:
    job = ctx.state.store.get(ctx.caller.crn, ctx.caller.user_id, ctx.job_id)
    return _json(metrics_json(job, ctx.now, ctx.state.config.qiskit_version))


async def get_job_results(ctx: _Context) -> Response:
    store = ctx.state.store
    claimed = store.claim_result(ctx.caller.crn, ctx.caller.user_id, ctx.job_id, ctx.now)
    if claimed is None:
        return Response(status_code=204)
    job, started, finished = claimed
    body = job.result
    if body is None:
        body = await anyio.to_thread.run_sync(render_result, job.plan, started, finished)
        store.cache_result(job, body)
    return Response(body, media_type="application/json")


async def replace_job_tags(ctx: _Context) -> Response:
    raw = await _json_bytes_of(ctx.request, ctx.state.config)
    tags = await from_body(tags_from_body, raw)
    ctx.state.store.replace_tags(ctx.caller.crn, ctx.caller.user_id, ctx.job_id, tags)
    return Response(status_code=204)


async def iam_token(ctx: _Context) -> Response:
    """``POST /identity/token``: exchange an API key (or refresh token) for a bearer token."""
    raw = await read_body(ctx.request, ctx.state.config)
    form = await from_body(form_from_body, raw)
    issuer = ctx.state.issuer
    grant = form.get("grant_type")
    user_id: str | None
    if grant == "urn:ibm:params:oauth:grant-type:apikey":
        user_id = ctx.state.config.api_keys.get(form.get("apikey", ""))
        problem = ("BXNIM0415E", "Provided API key could not be found.")
    elif grant == "refresh_token":
        user_id = issuer.user_for_refresh(form.get("refresh_token", ""))
        problem = ("BXNIM0407E", "Provided refresh token is not valid.")
    else:
        user_id = None
        problem = ("BXNIM0103E", f"Unsupported grant_type {grant!r}.")
    if user_id is None:
        return _iam_error(ctx, *problem)
    token = issuer.issue(user_id, ctx.now)
    return _json(
        {
            "access_token": token.access_token,
            "refresh_token": token.refresh_token,
            "token_type": "Bearer",
            "expires_in": token.expires_in,
            "expiration": token.expiration,
            "scope": "ibm openid",
        }
    )


def _iam_error(ctx: _Context, code: str, message: str) -> Response:
    """IAM's own error fields, alongside the envelope every other error of the mock uses."""
    error = ApiError(400, "invalid_grant", message, target=("field", "apikey"))
    body = json.loads(error_body(error, ctx.trace))
    body.update({"errorCode": code, "errorMessage": message, "context": {"requestId": ctx.trace}})
    return _json(body, status_code=400)


# ---------------------------------------------------------------------------- the app

ROUTES: dict[str, tuple[str, str, Handler]] = {
    "create_job": ("POST", "/jobs", create_job),
    "list_jobs": ("GET", "/jobs", list_jobs),
    "get_job": ("GET", "/jobs/{id}", get_job),
    "delete_job": ("DELETE", "/jobs/{id}", delete_job),
    "cancel_job": ("POST", "/jobs/{id}/cancel", cancel_job),
    "get_job_logs": ("GET", "/jobs/{id}/logs", get_job_logs),
    "get_job_metrics": ("GET", "/jobs/{id}/metrics", get_job_metrics),
    "get_job_results": ("GET", "/jobs/{id}/results", get_job_results),
    "replace_job_tags": ("PUT", "/jobs/{id}/tags", replace_job_tags),
}
"""The route table, keyed by the spec's operationIds."""


async def _http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths (404) and methods (405) answer in the documented error shape."""
    trace = _request_id(request)
    if isinstance(exc, HTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        message = f"{request.method} {request.url.path}: {exc.detail}."
        error = ApiError(exc.status_code, code, message, headers=dict(exc.headers or {}))
    else:
        logger.error("unexpected error (trace %s)", trace, exc_info=exc)
        error = ApiError(500, "internal_error", "The mock hit an unexpected error.")
    return error_response(error, trace)


def _document(
    body: Callable[[], bytes], media_type: str
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint serving a fixed document (the spec): no auth, no faults."""

    async def endpoint(request: Request) -> Response:
        return Response(
            body(), media_type=media_type, headers={"X-Request-ID": _request_id(request)}
        )

    return endpoint


_JOBS_PATH = API_PREFIX + "/jobs"


def _route_of(path: str) -> tuple[str, str | None] | None:
    """The route path of an API path and its job id, matched as Starlette's router would
    (``{id}``: one non-empty segment); None for paths left to the router."""
    if not path.startswith(_JOBS_PATH):
        return None
    rest = path[len(_JOBS_PATH) :]
    if not rest:
        return _JOBS_PATH, None
    if rest[0] != "/":
        return None
    job_id, slash, action = rest[1:].partition("/")
    if not job_id or (slash and not action):
        return None
    return (f"{_JOBS_PATH}/{{id}}/{action}" if slash else f"{_JOBS_PATH}/{{id}}"), job_id


class _Dispatch:
    """Hands each API request straight to its operation, sparing the router's walk over every
    route; anything else (unknown paths and methods, the IAM endpoint, the spec) goes on to
    the router, which would have picked the same operation for the requests taken here."""

    def __init__(self, app: ASGIApp, by_path: dict[str, dict[str, _Operation]]) -> None:
        self.app = app
        self.by_path = by_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            route = _route_of(scope["path"])
            operations = None if route is None else self.by_path.get(route[0])
            if operations is not None and route is not None:
                method = "GET" if scope["method"] == "HEAD" else scope["method"]
                operation = operations.get(method)
                if operation is not None:
                    job_id = route[1]
                    scope["path_params"] = {} if job_id is None else {"id": job_id}
                    await operation(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def create_app(config: MockConfig | None = None) -> Starlette:
    """Build the mock as an ASGI app; its state is at ``app.state.mock`` (:class:`MockState`)."""
    config = config or MockConfig()
    by_path: dict[str, dict[str, _Operation]] = {}
    for operation_id, (method, path, handler) in ROUTES.items():
        operation = _Operation(operation_id, handler, has_path_id="{id}" in path)
        by_path.setdefault(API_PREFIX + path, {})[method] = operation
    routes = [
        Route(path, _Methods(operations), methods=list(operations))
        for path, operations in by_path.items()
    ]
    routes.append(
        Route(
            IAM_TOKEN_PATH,
            _Operation(IAM_ROUTE, iam_token, has_path_id=False, public=True),
            methods=["POST"],
            name=IAM_ROUTE,
        )
    )
    routes.append(Route(SPEC_YAML_PATH, _document(spec_yaml, "application/yaml"), methods=["GET"]))
    routes.append(Route(SPEC_JSON_PATH, _document(spec_json, "application/json"), methods=["GET"]))
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _http_error},
        middleware=[
            *([Middleware(AccessLog)] if config.access_log else []),
            Middleware(_Dispatch, by_path=by_path),
        ],
    )
    app.router.redirect_slashes = False
    app.state.mock = MockState(
        config=config,
        clock=config.clock or SystemClock(),
        store=JobStore(config),
        issuer=TokenIssuer(config.iam_token_lifetime_seconds),
        faults=FaultInjector(config.faults),
    )
    return app
