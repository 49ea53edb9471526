"""Slow and vanishing clients, over real loopback sockets: none holds a connection, none logs
an error.

Each timeout is set to a fraction of a second; a test only checks that the server hangs up
(or answers 408) within the configured timeout plus a generous margin.
"""

from __future__ import annotations

import http.client
import json
import logging
import select
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from qiskit_runtime_jobs_mock import MockConfig, MockServer

pytestmark = pytest.mark.loopback  # raw sockets

TIMEOUT = 0.3
MARGIN = 5.0
SLOW = {
    "keep_alive_seconds": TIMEOUT,
    "header_timeout_seconds": TIMEOUT,
    "body_timeout_seconds": TIMEOUT,
}


@pytest.fixture
def server(make_server: Callable[..., Any]) -> MockServer:
    """A loopback mock with every connection timeout at TIMEOUT seconds."""
    started: MockServer = make_server(**SLOW)[0]
    return started


def _head(server: MockServer, method: str, path: str, **extra: str) -> bytes:
    headers = {"Host": "mock", **server.headers, **extra}
    lines = [f"{method} /api/v1{path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and how long that took."""
    started = time.monotonic()
    sock.settimeout(TIMEOUT + MARGIN)
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received, time.monotonic() - started


def _connect(server: MockServer) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=TIMEOUT + MARGIN)


def _split(answer: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *fields = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (f.partition(":") for f in fields)}
    return status, headers, body


def test_silent_connection_is_closed(server: MockServer) -> None:
    """A client that connects and sends nothing is hung up on after keep_alive_seconds."""
    with _connect(server) as sock:
        received, elapsed = _until_closed(sock)
    assert received == b""
    assert elapsed < TIMEOUT + MARGIN


def test_half_a_head_gets_408_and_close(server: MockServer) -> None:
    """A request line without the end of its headers gets a 408 in the error shape, then EOF."""
    with _connect(server) as sock:
        sock.sendall(b"GET /api/v1/jobs HTTP/1.1\r\nHost: mock\r\nAuthorization: Bea")
        received, elapsed = _until_closed(sock)
    status, headers, body = _split(received)
    assert status == "HTTP/1.1 408 Request Timeout"
    assert headers["connection"] == "close"
    error = json.loads(body)
    assert error["errors"][0]["code"] == "request_timeout"
    assert error["trace"] == headers["x-request-id"]
    assert elapsed < TIMEOUT + MARGIN


def test_dribbled_head_does_not_extend_the_deadline(server: MockServer) -> None:
    """Sending a head one byte at a time (slowloris) does not keep the connection open."""
    head = _head(server, "GET", "/jobs")
    with _connect(server) as sock:
        started = time.monotonic()
        for byte in head[:-4]:  # never the blank line ending the head
            sock.sendall(bytes([byte]))
            if select.select([sock], [], [], TIMEOUT / 10)[0]:
                break  # the server answered: stop writing to a closing socket
        received, _ = _until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - started < TIMEOUT + MARGIN
    assert len(head) * TIMEOUT / 10 > TIMEOUT + MARGIN, "the dribble outlasts the margin"


def test_half_a_body_gets_408_and_close(server: MockServer) -> None:
    """A body the operation reads but that stops halfway answers 408 and closes."""
    body = b'{"program_id": "sampler"}'
    head = _head(
        server,
        "POST",
        "/jobs",
        **{"Content-Type": "application/json", "Content-Length": str(len(body))},
    )
    with _connect(server) as sock:
        sock.sendall(head + body[:10])
        received, elapsed = _until_closed(sock)
    status, headers, answer = _split(received)
    assert status == "HTTP/1.1 408 Request Timeout"
    assert headers["connection"] == "close"
    assert json.loads(answer)["errors"][0]["code"] == "request_timeout"
    assert elapsed < TIMEOUT + MARGIN


def test_unread_half_body_is_answered_then_closed(server: MockServer) -> None:
    """A GET with a body that never completes is answered, then hung up on."""
    head = _head(server, "GET", "/jobs", **{"Content-Length": "100"})
    with _connect(server) as sock:
        sock.sendall(head + b"x" * 10)
        received, elapsed = _until_closed(sock)
    status, _, body = _split(received)
    assert status == "HTTP/1.1 200 OK"
    assert json.loads(body)["count"] == 0
    assert elapsed < TIMEOUT + MARGIN


def test_idle_keep_alive_connection_is_closed(server: MockServer) -> None:
    """After a complete exchange, an idle connection is closed after keep_alive_seconds."""
    with _connect(server) as sock:
        sock.sendall(_head(server, "GET", "/jobs"))
        received, elapsed = _until_closed(sock)
    assert received.startswith(b"HTTP/1.1 200 OK")
    assert elapsed < TIMEOUT + MARGIN


def test_prompt_clients_keep_their_connection(server: MockServer) -> None:
    """Requests sent promptly on one connection are all answered on it."""
    connection = http.client.HTTPConnection(server.host, server.port, timeout=MARGIN)
    local_ports = set()
    try:
        for _ in range(3):
            connection.request("GET", "/api/v1/jobs", headers=server.headers)
            response = connection.getresponse()
            assert response.status == 200
            response.read()
            assert connection.sock is not None
            local_ports.add(connection.sock.getsockname()[1])
    finally:
        connection.close()
    assert len(local_ports) == 1


@pytest.mark.parametrize(
    "knob", ["keep_alive_seconds", "header_timeout_seconds", "body_timeout_seconds"]
)
@pytest.mark.parametrize("value", [0, -1.0, float("nan")])
def test_timeouts_must_be_positive(knob: str, value: float) -> None:
    """Zero, negative or NaN timeouts are refused when the config is built."""
    with pytest.raises(ValueError, match=knob):
        MockConfig(**{knob: value})


@pytest.fixture
def mock_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record of the mock's and uvicorn's loggers, from DEBUG up."""
    caplog.set_level(logging.DEBUG, logger="qiskit_runtime_jobs_mock")
    uvicorn_error = logging.getLogger("uvicorn.error")  # does not propagate to caplog's handler
    uvicorn_error.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        uvicorn_error.removeHandler(caplog.handler)


def test_client_disconnect_is_a_debug_line_without_traceback(
    mock_server: MockServer, mock_logs: pytest.LogCaptureFixture
) -> None:
    """A client hanging up mid-body is logged at DEBUG, with no traceback and no error."""
    head = _head(
        mock_server,
        "POST",
        "/jobs",
        **{"Content-Type": "application/json", "Content-Length": "100"},
    )
    with _connect(mock_server) as sock:
        sock.sendall(head + b'{"program_id":')
    deadline = time.monotonic() + MARGIN
    while not any("client disconnected" in r.getMessage() for r in mock_logs.records):
        assert time.monotonic() < deadline, "the disconnect was never logged"
        time.sleep(0.01)
    [record] = [r for r in mock_logs.records if "client disconnected" in r.getMessage()]
    assert record.levelno == logging.DEBUG
    assert record.exc_info is None
    assert "create_job" in record.getMessage()
    assert [r.getMessage() for r in mock_logs.records if r.levelno >= logging.WARNING] == []
