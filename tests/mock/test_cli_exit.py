"""How `qiskit-runtime-jobs mock` ends: one clear line, never a traceback.

Each test runs the real command as a subprocess, as a user at a terminal would.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from queue import Empty, Queue

import httpx
import pytest

from qiskit_runtime_jobs_mock import DEFAULT_CRN

pytestmark = pytest.mark.loopback  # subprocesses on real ports

COMMAND = Path(sys.executable).with_name("qiskit-runtime-jobs")
TIMEOUT = 30


def _command(*args: str) -> list[str]:
    return [str(COMMAND), "mock", *args]


@contextmanager
def _busy_port() -> Iterator[int]:
    """A port something else listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def test_busy_port_ends_in_one_line() -> None:
    """A port in use ends the command with exit status 1 and one line that says so."""
    with _busy_port() as port:
        done = subprocess.run(
            _command("--port", str(port)), capture_output=True, text=True, timeout=TIMEOUT
        )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"qiskit-runtime-jobs mock: cannot listen on 127.0.0.1:{port}: the address is already "
        "in use (is another mock running? --port picks another port, --port 0 a free one)"
    ]
    assert done.stdout == ""


def test_unusable_host_ends_in_one_line() -> None:
    """A host name that does not resolve is one line too, naming what was asked for."""
    done = subprocess.run(
        _command("--host", "no-such-host.invalid", "--port", "0"),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(
        "qiskit-runtime-jobs mock: cannot listen on no-such-host.invalid:0: "
    )


def _serving(process: subprocess.Popen[str]) -> tuple[str, Queue[str]]:
    """Wait for the banner; return the base URL and a queue of the lines that follow."""
    assert process.stderr is not None
    lines: Queue[str] = Queue()
    stderr = process.stderr

    def pump() -> None:
        for line in stderr:
            lines.put(line)
        lines.put("")  # EOF

    threading.Thread(target=pump, daemon=True).start()
    first = lines.get(timeout=TIMEOUT)
    base_url = first.split()[4]
    while not lines.get(timeout=TIMEOUT).startswith("INFO:     Started server process"):
        pass
    return base_url, lines


def _rest(lines: Queue[str]) -> list[str]:
    rest: list[str] = []
    while True:
        try:
            line = lines.get(timeout=TIMEOUT)
        except Empty:
            pytest.fail(f"the command printed no EOF after {rest!r}")
        if not line:
            return rest
        rest.append(line.rstrip("\n"))


HEADERS = (
    "Authorization: Bearer mock-token\r\n"
    f"Service-CRN: {DEFAULT_CRN}\r\n"
    "IBM-API-Version: 2026-03-15\r\n"
)


@contextmanager
def _request_in_flight(base_url: str) -> Iterator[None]:
    """A `GET /jobs` the server holds for 30 s (a `slow` fault), sent on a raw connection; a
    whole request on a second connection, answered after the first one's bytes arrived, makes
    sure the server has it."""
    url = httpx.URL(base_url)
    with socket.create_connection((url.host, url.port), timeout=TIMEOUT) as held:
        held.sendall(f"GET {url.path}/jobs HTTP/1.1\r\nHost: {url.host}\r\n{HEADERS}\r\n".encode())
        assert httpx.get(f"http://{url.host}:{url.port}/openapi.json").status_code == 200
        yield


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
@pytest.mark.parametrize("busy", [False, True], ids=["idle", "mid-request"])
def test_ctrl_c_ends_in_one_line(busy: bool) -> None:
    """Ctrl-C (SIGINT) stops the server and ends with one line and exit status 130 (128 + SIGINT,
    as a shell reports an interrupted command), also while a request is being answered."""
    slow = '{"route": "list_jobs", "kind": "slow", "delay_seconds": 30}'
    with subprocess.Popen(
        _command("--port", "0", "--fault", slow),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            base_url, lines = _serving(process)
            with _request_in_flight(base_url) if busy else nullcontext():
                process.send_signal(signal.SIGINT)
                rest = _rest(lines)
                status = process.wait(timeout=TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
    assert status == 130
    assert not any("Traceback" in line or "Error" in line for line in rest), rest
    assert rest[-1] == "qiskit-runtime-jobs mock: stopped (interrupted)"
