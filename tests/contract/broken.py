"""Deliberately broken variants of the mock, for proving the contract suite catches bugs.

Each variant is an ASGI middleware around the real mock that plants one bug; the mock's
own code stays correct. A suite that passes every variant would prove nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

RESULTS_PATH = re.compile(r"^/api/v1/jobs/([A-Za-z0-9_-]+)/results$")
JOB_PATH = re.compile(r"^/api/v1/jobs/[A-Za-z0-9_-]+$")

# (status, headers, body) -> (status, headers, body); None leaves the response alone.
Rewrite = Callable[[Scope, int, list[tuple[bytes, bytes]], bytes], tuple[int, bytes] | None]


@dataclass(frozen=True)
class Answer:
    """One whole HTTP answer."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""

    @property
    def trace(self) -> bytes:
        """The request id the mock answered with (it echoes the client's)."""
        return next((v for k, v in self.headers if k.lower() == b"x-request-id"), b"")

    def json(self) -> Any:
        return json.loads(self.body)


async def exchange(app: App, scope: Scope, receive: Receive) -> Answer:
    """The app's whole answer to one request, buffered."""
    start: Message = {}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    if not start:
        raise ConnectionAbortedError("the mock gave no answer")
    return Answer(start["status"], list(start.get("headers", [])), b"".join(chunks))


def _rewriting(rewrite: Rewrite) -> Callable[[App], App]:
    """Middleware that buffers each response and lets `rewrite` change status and body."""

    def wrap(app: App) -> App:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            answer = await exchange(app, scope, receive)
            start = {"status": answer.status, "headers": answer.headers}
            await _flush(scope, start, answer.body, rewrite, send)

        return middleware

    return wrap


async def _flush(scope: Scope, start: Message, body: bytes, rewrite: Rewrite, send: Send) -> None:
    headers = list(start.get("headers", []))
    changed = rewrite(scope, start["status"], headers, body)
    status = start["status"]
    if changed is not None:
        status, body = changed
        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        if body and not any(k.lower() == b"content-type" for k, _ in headers):
            headers.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _delete_answers_200(
    scope: Scope, status: int, _h: Any, body: bytes
) -> tuple[int, bytes] | None:
    """Delete answers 200 where the spec says 204."""
    if scope["method"] == "DELETE" and JOB_PATH.match(scope["path"]) and status == 204:
        return 200, body
    return None


def _job_without_cost(scope: Scope, status: int, _h: Any, body: bytes) -> tuple[int, bytes] | None:
    """Job details lose the required `cost` field."""
    if scope["method"] == "GET" and JOB_PATH.match(scope["path"]) and status == 200:
        return 200, re.sub(rb'"cost":\s*\d+,?', b"", body)
    return None


def _bad_input_is_500(scope: Scope, status: int, _h: Any, body: bytes) -> tuple[int, bytes] | None:
    """Invalid create bodies crash the server (500) instead of answering 400."""
    if scope["method"] == "POST" and scope["path"] == "/api/v1/jobs" and status == 400:
        return 500, body
    return None


def _limit_out_of_range_rejected(
    scope: Scope, status: int, _h: Any, body: bytes
) -> tuple[int, bytes] | None:
    """An out-of-range `limit` answers 400, though the page says the default is used."""
    if scope["method"] != "GET" or scope["path"] != "/api/v1/jobs" or status != 200:
        return None
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    for value in query.get("limit", []):
        if value.lstrip("-").isdigit() and not 1 <= int(value) <= 200:
            error = (
                b'{"errors":[{"code":"invalid_parameter","message":"limit: must be 1..200"}],'
                b'"trace":"planted","status_code":400}'
            )
            return 400, error
    return None


def _private_results_twice() -> Rewrite:
    """Private results stay readable: later reads replay the first one."""
    first: dict[str, bytes] = {}

    def rewrite(scope: Scope, status: int, _h: Any, body: bytes) -> tuple[int, bytes] | None:
        match = RESULTS_PATH.match(scope["path"])
        if scope["method"] != "GET" or match is None:
            return None
        job_id = match.group(1)
        if status == 200:
            first.setdefault(job_id, body)
            return None
        if status == 204 and job_id in first:  # the service's "already read": replay instead
            return 200, first[job_id]
        return None

    return rewrite


_NOT_DELETABLE = (
    b'{"errors":[{"code":"job_not_deletable","message":"planted: the job is terminal"}],'
    b'"trace":"planted","status_code":400}'
)


def _deletes_queued_job(
    scope: Scope, status: int, _h: Any, body: bytes
) -> tuple[int, bytes] | None:
    """Deleting a job that is still queued or running answers 204 where the page says 400."""
    refused = status == 400 and b"job_not_deletable" in body
    if scope["method"] == "DELETE" and JOB_PATH.match(scope["path"]) and refused:
        return 204, b""
    return None


def _refuses_terminal_delete(
    scope: Scope, status: int, _h: Any, body: bytes
) -> tuple[int, bytes] | None:
    """Deleting a terminal job answers 400, as if it were still running."""
    if scope["method"] == "DELETE" and JOB_PATH.match(scope["path"]) and status == 204:
        return 400, _NOT_DELETABLE
    return None


def _drifted(scope: Scope, status: int, _h: Any, body: bytes) -> tuple[int, bytes] | None:
    """The service moved ahead of the spec: a new job field and a new status value."""
    if scope["method"] == "GET" and JOB_PATH.match(scope["path"]) and status == 200:
        job = json.loads(body)
        job["queue_position"] = 3
        if job.get("status") == "Queued":
            job["status"] = "Paused"
        return 200, json.dumps(job).encode()
    return None


# Each breaks one lifecycle rule of the page, or drifts from the spec (see tests/contract).
STATE_VARIANTS: dict[str, Callable[[], Callable[[App], App]]] = {
    "deletes_queued_job": lambda: _rewriting(_deletes_queued_job),
    "refuses_terminal_delete": lambda: _rewriting(_refuses_terminal_delete),
    "drifted": lambda: _rewriting(_drifted),
}

VARIANTS: dict[str, Callable[[], Callable[[App], App]]] = {
    "delete_answers_200": lambda: _rewriting(_delete_answers_200),
    "job_without_cost": lambda: _rewriting(_job_without_cost),
    "bad_input_is_500": lambda: _rewriting(_bad_input_is_500),
    "limit_out_of_range_rejected": lambda: _rewriting(_limit_out_of_range_rejected),
    "private_results_twice": lambda: _rewriting(_private_results_twice()),
}
