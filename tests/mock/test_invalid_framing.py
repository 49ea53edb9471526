"""Bytes that are not valid HTTP/1.1, over real loopback sockets: a 400 in the mock's JSON error
shape (not uvicorn's text/plain one), then the connection closes; never an error in the log.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

import httpx
import pytest

from qiskit_runtime_jobs_mock import MockServer
from tests.mock.test_slow_clients import (  # noqa: F401  (mock_logs is a fixture)
    MARGIN,
    _connect,
    _head,
    _split,
    _until_closed,
    mock_logs,
)
from tests.spec._spec import component, validator

pytestmark = pytest.mark.loopback  # raw sockets

JSON_BODY = {"Content-Type": "application/json"}
CHUNKED = {**JSON_BODY, "Transfer-Encoding": "chunked"}


def _exchange(server: MockServer, request: bytes) -> bytes:
    """Send `request`, then read until the server closes."""
    with _connect(server) as sock:
        sock.sendall(request)
        received, elapsed = _until_closed(sock)
    assert elapsed < MARGIN, "the server did not close the connection"
    return received


def _requests(server: MockServer) -> dict[str, bytes]:
    """One invalid request per way the parser can refuse it (keyed by CASES)."""
    get = _head(server, "GET", "/jobs")
    return {
        "garbage transfer-encoding": _head(
            server, "POST", "/jobs", **{**JSON_BODY, "Transfer-Encoding": "chunked, garbage"}
        ),
        "transfer-encoding not just chunked": _head(
            server, "POST", "/jobs", **{**JSON_BODY, "Transfer-Encoding": "gzip, chunked"}
        )
        + b"0\r\n\r\n",
        "invalid chunk size": _head(server, "POST", "/jobs", **CHUNKED) + b"zz\r\n{}\r\n0\r\n\r\n",
        "two content-lengths": _head(server, "POST", "/jobs", **JSON_BODY)[:-2]
        + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}",
        "garbage request line": b"NOT HTTP AT ALL\r\n\r\n",
        "no http version": b"GET /api/v1/jobs\r\n\r\n",
        "no host": get.replace(b"Host: mock\r\n", b""),
        "two hosts": get.replace(b"Host: mock\r\n", b"Host: a\r\nHost: b\r\n"),
        "unfinished head over 16 KiB": get[:-4] + b"\r\nX-Pad: " + b"x" * (17 * 1024),
        # schemathesis' probe (which the contract kit runs): does the API take a NUL in a header?
        "nul byte in a header": get[:-2] + b"X-Schemathesis-Probe: a\x00b\r\n\r\n",
    }


CASES = [
    "garbage transfer-encoding",
    "transfer-encoding not just chunked",
    "invalid chunk size",
    "two content-lengths",
    "garbage request line",
    "no http version",
    "no host",
    "two hosts",
    "unfinished head over 16 KiB",
    "nul byte in a header",
]


@pytest.mark.parametrize("case", CASES)
def test_invalid_framing_gets_the_json_error_shape(
    case: str,
    mock_server: MockServer,
    mock_logs: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    """400, application/json, the documented error envelope, `Connection: close`, then EOF."""
    status, headers, body = _split(_exchange(mock_server, _requests(mock_server)[case]))
    assert status == "HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    error = json.loads(body)
    validator(component("ErrorResponse")).validate(error)
    assert error["status_code"] == 400
    assert error["trace"] == headers["x-request-id"]
    [item] = error["errors"]
    assert item["code"] == "bad_request"
    assert "not valid HTTP/1.1" in item["message"]
    assert item["more_info"].startswith("https://")
    assert [r.getMessage() for r in mock_logs.records if r.levelno >= logging.ERROR] == []


def test_a_bad_chunk_after_the_answer_only_closes(
    mock_server: MockServer,
    mock_logs: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    """A GET answered before its (unread) chunked body turns bad: the answer stands, no second
    response is written into the stream, and nothing is logged as an error."""
    with _connect(mock_server) as sock:
        sock.sendall(_head(mock_server, "GET", "/jobs", **{"Transfer-Encoding": "chunked"}))
        answer = b""
        deadline = time.monotonic() + MARGIN
        while b'"offset"' not in answer:  # the whole 200 body has arrived
            assert time.monotonic() < deadline, answer
            answer += sock.recv(65536)
        sock.sendall(b"zz\r\n")
        rest, _ = _until_closed(sock)
    status, _, body = _split(answer + rest)
    assert status == "HTTP/1.1 200 OK"
    assert json.loads(body)["count"] == 0
    assert b"HTTP/1.1 400" not in rest
    assert [r.getMessage() for r in mock_logs.records if r.levelno >= logging.ERROR] == []


def test_bad_bytes_after_a_whole_request_come_after_its_answer(
    mock_server: MockServer,
    mock_logs: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    """A valid request followed, in the same packet, by bytes that are not HTTP: the request is
    answered first, then the 400, then the connection closes."""
    request = _head(mock_server, "GET", "/jobs")
    answer = _exchange(mock_server, request + b"NOT HTTP AT ALL\r\n\r\n")
    first, _, rest = answer.partition(b"HTTP/1.1 400 ")
    status, _, body = _split(first)
    assert status == "HTTP/1.1 200 OK"
    assert json.loads(body)["count"] == 0
    assert json.loads(_split(b"HTTP/1.1 400 " + rest)[2])["errors"][0]["code"] == "bad_request"
    assert [r.getMessage() for r in mock_logs.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("case", CASES)
def test_invalid_framing_is_the_mocks_to_log(
    case: str,
    make_server: Callable[..., tuple[MockServer, httpx.Client]],
    mock_logs: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    """A refused request is no warning of uvicorn's ("Invalid HTTP request received.", which
    every contract run printed): the mock answered it, and says so in its own access log."""
    server, _ = make_server(access_log=True)
    _, headers, _ = _split(_exchange(server, _requests(server)[case]))
    uvicorn = [r.getMessage() for r in mock_logs.records if r.name.startswith("uvicorn")]
    assert uvicorn == []
    access = [
        (r.levelno, r.getMessage())
        for r in mock_logs.records
        if r.name == "qiskit_runtime_jobs_mock.access"
    ]
    refused = (logging.INFO, f"- - 400 - id={headers['x-request-id']} (not valid HTTP/1.1)")
    assert refused in access  # (a head that was whole also reached the app, which logs it)


def test_only_the_mocks_connections_are_left_out() -> None:
    """uvicorn's warning about anybody else's connection (another server in the process)
    stays: the filter knows the mock's connections only."""
    from qiskit_runtime_jobs_mock._protocol import _RECORDS_FILTER

    record = logging.LogRecord(
        "uvicorn.error", logging.WARNING, __file__, 1, "Invalid HTTP request received.", (), None
    )
    assert _RECORDS_FILTER.filter(record)
