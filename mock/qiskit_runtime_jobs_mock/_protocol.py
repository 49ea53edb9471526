"""The bundled server's HTTP protocol: uvicorn's h11 protocol, hardened against slow clients.

uvicorn times out only a connection left idle after a response, and any byte resets that
timer. So a client that connects and sends nothing, sends half a request head, or stops
halfway through a body the operation never reads, holds its connection forever. Here each
connection always has the one deadline its state calls for:

- waiting for a request, nothing received yet: closed after ``keep_alive_seconds``;
- a request head begun but not finished: ``header_timeout_seconds`` from its first byte, then
  a 408 and close (bytes arriving meanwhile do not extend it);
- answered, but the client is still sending a body nobody reads: closed after
  ``body_timeout_seconds``.

A body the operation does read is bounded by the app itself (a 408, see ``_body.py``), which
works under any ASGI server. A request h11 cannot parse (bad request line or headers, a bad
``Transfer-Encoding``, a bad chunk size) gets a 400 in the mock's JSON error shape, not
uvicorn's text/plain one, and the connection is closed. The protocol also gives each request
a way to drop its connection (fault injection; ASGI has none).
"""

from __future__ import annotations

import asyncio
import uuid
from http import HTTPStatus
from typing import Any, Literal

import h11
import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from ._app import ABORT_EXTENSION
from ._config import MockConfig
from ._errors import ApiError, error_body

_Waiting = Literal["request", "head", "unread body"]


class ServerConfig(uvicorn.Config):
    """uvicorn's configuration plus the mock's, whose deadlines the protocol enforces."""

    def __init__(self, app: ASGIApp, mock: MockConfig, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.mock = mock


class MockProtocol(H11Protocol):
    """uvicorn's h11 protocol with per-state deadlines and the abort scope extension."""

    def __init__(self, config: uvicorn.Config, *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        if not isinstance(config, ServerConfig):
            raise TypeError("MockProtocol needs a ServerConfig")
        self._limits = {
            "request": config.mock.keep_alive_seconds,
            "head": config.mock.header_timeout_seconds,
            "unread body": config.mock.body_timeout_seconds,
        }
        self._waiting: _Waiting | None = None
        self._deadline: asyncio.TimerHandle | None = None
        inner: ASGIApp = self.app

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[ABORT_EXTENSION] = self._abort_connection
            await inner(scope, receive, send)

        self.app = app

    def _abort_connection(self) -> None:
        self.transport.close()

    def send_400_response(self, msg: str) -> None:  # noqa: ARG002 (uvicorn's fixed text)
        """Answer bad HTTP framing as every other error, then close.

        uvicorn calls this when h11 refuses the client's bytes. Its own answer is text/plain,
        and it crashes (an error in the log) when the bad bytes follow a response already
        sent, e.g. an invalid chunk in a body the operation never read: then nothing is said.
        """
        if self.conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
            message = "The request is not valid HTTP/1.1 (request line, headers or body framing)."
            self.transport.write(_raw_error(ApiError(400, "bad_request", message)))
        self.transport.close()

    # ------------------------------------------------------------------ deadlines

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._unset_keepalive_if_required()  # uvicorn's idle timer: the deadline below covers it
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._arm(None)
        super().connection_lost(exc)

    def _state(self) -> _Waiting | None:
        """What the connection waits for from the client, if a deadline applies to it."""
        if self.transport.is_closing():
            return None
        if self.conn.their_state is h11.IDLE:
            return "head" if self.conn.trailing_data[0] else "request"
        answered = self.cycle is not None and self.cycle.response_complete
        if self.conn.their_state is h11.SEND_BODY and answered:
            return "unread body"
        return None  # the app has the request (and bounds its own body reads)

    def _watch(self) -> None:
        """Arm the deadline of the current state; one already running for it keeps running."""
        waiting = self._state()
        if waiting != self._waiting:
            self._arm(waiting)

    def _arm(self, waiting: _Waiting | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self._waiting = waiting
        if waiting is not None:
            self._deadline = self.loop.call_later(self._limits[waiting], self._expire)

    def _expire(self) -> None:
        self._deadline = None
        if self._waiting == "head" and not self.transport.is_closing():
            seconds = self._limits["head"]
            message = f"The request head did not arrive within {seconds:g} seconds."
            self.transport.write(_raw_error(ApiError(408, "request_timeout", message)))
        self.timeout_keep_alive_handler()  # uvicorn's clean close


def _raw_error(error: ApiError) -> bytes:
    """A whole response in the mock's error shape, ending the connection.

    Raw bytes, because h11 cannot answer a request it has not parsed.
    """
    trace = str(uuid.uuid4())
    body = error_body(error, trace)
    head = (
        f"HTTP/1.1 {error.status_code} {HTTPStatus(error.status_code).phrase}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        f"x-request-id: {trace}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body
