"""The bundled server's HTTP protocol: uvicorn's httptools protocol, hardened against slow clients.

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
works under any ASGI server. A request the parser refuses (bad request line or headers, a bad
``Transfer-Encoding``, a bad chunk size, two ``Content-Length``\\ s, no ``Host``, a head
over 16 KiB still unfinished) gets a 400 in the mock's JSON error shape, not uvicorn's
text/plain one, and the connection is closed. The protocol also gives each request a way to
drop its connection (fault injection; ASGI has none).

Logs: such a refused request, and a request cut short by the server's shutdown (Ctrl-C while
it is answered), are the mock's own business: it answers them (a 400; the access log's ``-``
status) and logs them in its access log, so uvicorn's warning and traceback for them are left
out (``_MockConnectionRecords``); every other record of uvicorn's is kept.

Speed: the parser is httptools (llhttp, in C) rather than h11 (pure Python), and each
response leaves in one ``send()``: uvicorn writes the head and the body separately, so the
transport holds a small write until the next one, or the end of the event-loop turn.

This subclasses uvicorn's ``HttpToolsProtocol``, which is not uvicorn's public API (nor are
the parser callbacks, request cycle and timer it overrides or reads): no public hook of
uvicorn's, starlette's or ASGI's sees a connection before its request head is whole, where
these deadlines and answers live. That is why the ``mock`` extra pins uvicorn to the minor
version the test suite runs (``pyproject.toml``).
"""

from __future__ import annotations

import asyncio
import logging
import math
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any, Literal, cast

import httptools
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ._app import ABORT_EXTENSION
from ._config import MockConfig
from ._errors import ApiError, error_body

_Waiting = Literal["request", "head", "unread body"]
# An unfinished request head larger than this is refused (h11's limit, which the mock had).
MAX_HEAD_BYTES = 16 * 1024
# Writes up to this size wait for the next one (a response head waits for its body).
_HOLD_BYTES = 16 * 1024


# Set while the mock's protocol handles a connection's bytes, and so in the context of every
# request task it starts: tells uvicorn's log records about the mock's connections apart.
_MOCK_CONNECTION: ContextVar[bool] = ContextVar("qiskit_runtime_jobs_mock", default=False)
_INVALID_REQUEST = "Invalid HTTP request received."  # uvicorn's warning for what llhttp refuses
_APP_EXCEPTION = "Exception in ASGI application"
access_logger = logging.getLogger("qiskit_runtime_jobs_mock.access")


class _MockConnectionRecords(logging.Filter):
    """Leaves out, of uvicorn's records about the mock's own connections, the two the mock
    reports itself: a request it refused (answered with a 400, in its access log) and a request
    task cancelled by the server's shutdown (its access log line shows status ``-``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _MOCK_CONNECTION.get():
            return True
        if record.msg == _INVALID_REQUEST:
            return False
        error = record.exc_info[1] if record.exc_info else None
        return not (
            isinstance(record.msg, str)
            and record.msg.startswith(_APP_EXCEPTION)
            and isinstance(error, asyncio.CancelledError)
        )


_RECORDS_FILTER = _MockConnectionRecords()


class ServerConfig(uvicorn.Config):
    """uvicorn's configuration plus the mock's, whose deadlines the protocol enforces."""

    def __init__(self, app: ASGIApp, mock: MockConfig, **kwargs: Any) -> None:
        # uvicorn's own idle timer, armed after each response, never fires before the deadline
        # the protocol then sets (``keep_alive_seconds``, or ``body_timeout_seconds`` for a body
        # still arriving): the protocol's deadlines decide.
        longest = max(mock.keep_alive_seconds, mock.body_timeout_seconds)
        kwargs.setdefault("timeout_keep_alive", math.ceil(longest))
        super().__init__(app, **kwargs)
        self.mock = mock
        logging.getLogger("uvicorn.error").addFilter(_RECORDS_FILTER)  # once: same object


class _OneSend(asyncio.Transport):
    """A connection's transport that sends a small write together with the one after it.

    A write of at most ``_HOLD_BYTES`` is held until the next write (which it is prepended
    to), a close, or the end of the current event-loop turn, whichever comes first; so a
    response head and its body leave in one segment, and nothing waits longer than one turn.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes | bytearray | memoryview[Any]) -> None:
        held = self._held
        if held is not None:
            self._held = None
            if len(data) <= _HOLD_BYTES:
                self._transport.write(held + bytes(data))
            else:
                self._transport.writelines((held, data))
        elif len(data) <= _HOLD_BYTES:
            self._held = bytes(data)
            self._loop.call_soon(self.flush)
        else:
            self._transport.write(data)

    def writelines(self, list_of_data: Iterable[bytes | bytearray | memoryview[Any]]) -> None:
        self.write(b"".join(list_of_data))

    def flush(self) -> None:
        """Send a held write now."""
        held, self._held = self._held, None
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + len(self._held or b"")

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()


class MockProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with per-state deadlines and the abort scope extension."""

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
        # The current deadline (loop time), and the timer that checks it. A request and its
        # answer move the deadline twice; the timer, set once, follows it when it fires.
        self._due: float | None = None
        self._timer: asyncio.TimerHandle | None = None
        # Where the parser is: inside a request head; done with the current request's body.
        self._in_head = False
        self._head_bytes = 0
        self._message_done = True
        self._refused = False  # bytes after a request that is still being answered were bad
        self._access_log = config.mock.access_log

    def _abort_connection(self) -> None:
        self.transport.close()

    def send_400_response(self, msg: str) -> None:  # noqa: ARG002 (uvicorn's fixed text)
        """Answer bad HTTP framing as every other error, then close.

        uvicorn calls this when httptools refuses the client's bytes. Its own answer is
        text/plain. Bad bytes that follow a response already begun (e.g. an invalid chunk in a
        body the operation never read) get no answer: the connection just closes.
        """
        cycle = self.cycle
        if cycle is not None and self._message_done and not cycle.response_complete:
            # The bad bytes follow a whole request still being answered: answer it first.
            self._refused = True
            self.flow.pause_reading()
            return
        unanswered = (
            cycle is None
            or not cycle.response_started
            or (cycle.response_complete and self._message_done)
        )
        if unanswered and not self.transport.is_closing():
            message = "The request is not valid HTTP/1.1 (request line, headers or body framing)."
            self._answer(ApiError(400, "bad_request", message), "not valid HTTP/1.1")
        self.transport.close()

    def _answer(self, error: ApiError, why: str) -> None:
        """Answer what never reached the app, and log it in the access log, if it is on."""
        trace = str(uuid.uuid4())
        self.transport.write(_raw_error(error, trace))
        if self._access_log:
            access_logger.info("- - %d - id=%s (%s)", error.status_code, trace, why)

    # ------------------------------------------------------------------ parser callbacks

    def on_message_begin(self) -> None:
        super().on_message_begin()
        scope = cast("dict[str, Any]", self.scope)  # ASGI's extensions hold any object
        scope.setdefault("extensions", {})[ABORT_EXTENSION] = self._abort_connection
        self._in_head = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        # What h11 refused and llhttp lets through: a request line without an HTTP version
        # (HTTP/0.9), an HTTP/1.1 request without exactly one Host header, a Transfer-Encoding
        # other than just chunked.
        version = self.parser.get_http_version()
        hosts = sum(1 for name, _ in self.headers if name == b"host")
        codings = [value for name, value in self.headers if name == b"transfer-encoding"]
        if (
            version == "0.9"
            or (hosts != 1 and version == "1.1")
            or (codings and [c.strip().lower() for c in codings] != [b"chunked"])
        ):
            raise httptools.HttpParserError("a request h11 refused too")
        self._in_head = False
        self._message_done = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._message_done = True
        super().on_message_complete()

    # ------------------------------------------------------------------ deadlines

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_OneSend(transport, self.loop))
        self._watch()

    def data_received(self, data: bytes) -> None:
        mine = _MOCK_CONNECTION.set(True)
        try:
            super().data_received(data)
        finally:
            _MOCK_CONNECTION.reset(mine)
        if self._in_head and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self.send_400_response("head too large")
        self._watch()

    def on_response_complete(self) -> None:
        if self._refused:
            self._message_done = True  # what remains is the bad request
            self.send_400_response("deferred")
            return
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._waiting = self._due = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        super().connection_lost(exc)

    def _state(self) -> _Waiting | None:
        """What the connection waits for from the client, if a deadline applies to it."""
        if self.transport.is_closing():
            return None
        if self._in_head:
            return "head"
        cycle = self.cycle
        if cycle is None or cycle.response_complete:
            return "request" if self._message_done else "unread body"
        return None  # the app has the request (and bounds its own body reads)

    def _watch(self) -> None:
        """Set the deadline of the current state; one already running for it keeps running."""
        waiting = self._state()
        if waiting == self._waiting:
            return
        self._waiting = waiting
        if waiting is None:
            self._due = None  # the timer, if set, finds nothing due
            return
        self._due = self.loop.time() + self._limits[waiting]
        timer = self._timer
        if timer is None or timer.when() > self._due:
            if timer is not None:
                timer.cancel()
            self._timer = self.loop.call_at(self._due, self._check)

    def _check(self) -> None:
        """The timer fired: expire the connection if its deadline passed, else wait for it."""
        self._timer = None
        if self._due is None:
            return
        if self.loop.time() < self._due:
            self._timer = self.loop.call_at(self._due, self._check)
            return
        self._expire()

    def _expire(self) -> None:
        self._due = None
        if self._waiting == "head" and not self.transport.is_closing():
            seconds = self._limits["head"]
            message = f"The request head did not arrive within {seconds:g} seconds."
            why = f"no whole request head within {seconds:g} s"
            self._answer(ApiError(408, "request_timeout", message), why)
        self.timeout_keep_alive_handler()  # uvicorn's clean close


def _raw_error(error: ApiError, trace: str) -> bytes:
    """A whole response in the mock's error shape, ending the connection.

    Raw bytes, because the server cannot answer through the app a request it has not parsed.
    """
    body = error_body(error, trace)
    head = (
        f"HTTP/1.1 {error.status_code} {HTTPStatus(error.status_code).phrase}\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        f"x-request-id: {trace}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body
