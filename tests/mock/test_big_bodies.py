"""Big request bodies are parsed and checked off the event loop: other clients never wait.

A body from ``LARGE_BODY_BYTES`` on is parsed, checked and planned in a worker process; what
comes back is the same answer (or the same 400) the small-body path gives.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from qiskit_runtime_jobs_mock import MockEndpoint, _intake, _workers
from qiskit_runtime_jobs_mock._errors import ApiError
from qiskit_runtime_jobs_mock._workers import WorkerDiedError, WorkerPool
from tests.mock.conftest import create_job, mock_client

MakeServer = Callable[..., tuple[MockEndpoint, httpx.Client]]
BIG = _intake.LARGE_BODY_BYTES
ROOT = Path(__file__).resolve().parents[2]


def _numbers(count: int) -> bytes:
    return b"[" + b"0," * (count - 1) + b"0]"


def _create_body(values: bytes, **fields: object) -> bytes:
    extra = b"".join(
        b"," + json.dumps(k).encode() + b":" + json.dumps(v).encode() for k, v in fields.items()
    )
    return b'{"program_id":"sampler","params":{"values":' + values + b"}" + extra + b"}"


@pytest.mark.loopback  # two clients over real HTTP
def test_a_big_create_does_not_hold_up_other_clients(make_server: MakeServer) -> None:
    """While a 10 MB create (5 million numbers) is parsed, another client's requests are
    answered one after another; before, each waited until the create was done (6 s for
    10 MB, 26 s for 30 MB). Then the job holds exactly the params sent."""
    server, other = make_server(rate_limit_per_minute=None)
    count = 5_000_000
    body = _create_body(_numbers(count))
    done = threading.Event()
    answered: list[int] = []

    def poll() -> None:
        while not done.is_set():
            answered.append(other.get("/jobs", params={"limit": 1}).status_code)

    poller = threading.Thread(target=poll, daemon=True)
    with mock_client(server, timeout=120) as creator:
        poller.start()
        try:
            created = creator.post(
                "/jobs", content=body, headers={"Content-Type": "application/json"}
            )
        finally:
            done.set()
            poller.join()
        assert created.status_code == 200, created.text
        # Answered meanwhile: hundreds (80 on a loaded 2-core machine), where the old mock
        # answered one (what came before it started parsing). A count, not a time: the
        # create took however long it took.
        assert len(answered) >= 20, len(answered)
        assert set(answered) == {200}
        job = creator.get(f"/jobs/{created.json()['id']}", params={"exclude_params": "false"})
    values = job.json()["params"]["values"]
    assert len(values) == count
    assert set(values) == {0}


@pytest.mark.loopback  # two clients over real HTTP
@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="POSIX signals")
def test_the_server_answers_while_a_body_is_in_a_worker(
    make_server: MakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the worker process stopped (SIGSTOP) mid-create, the create waits and every other
    request is still answered; once the worker goes on, the create is answered too."""
    pool = WorkerPool(1)
    monkeypatch.setattr(_intake, "POOL", pool)
    worker = pool.call(os.getpid)  # started, and idle
    server, other = make_server()
    outcome: list[httpx.Response] = []
    os.kill(worker, signal.SIGSTOP)
    try:
        with mock_client(server, timeout=60) as creator:
            create = threading.Thread(
                target=lambda: outcome.append(
                    creator.post(
                        "/jobs",
                        content=_create_body(_numbers(BIG)),
                        headers={"Content-Type": "application/json"},
                    )
                )
            )
            create.start()
            while pool._idle:  # until the create has taken the (stopped) worker
                assert create.is_alive(), outcome
                time.sleep(0.01)
            for _ in range(20):
                assert other.get("/jobs").status_code == 200
            assert create_job(other)  # a small create does not wait either
            assert create.is_alive()
            assert outcome == []
            os.kill(worker, signal.SIGCONT)
            create.join()
    finally:
        os.kill(worker, signal.SIGCONT)
        pool.close()
    assert outcome[0].status_code == 200, outcome[0].text


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"private": "yes"}, "private"), ({"tags": ["x"] * 9}, "tags"), ({"cost": -1}, "cost")],
)
def test_a_big_create_is_checked_as_a_small_one(
    client: httpx.Client, extra: dict[str, object], field: str
) -> None:
    """A big body's mistakes are the 400s of a small body's, naming the same field."""
    for values in (_numbers(3), _numbers(BIG)):
        response = client.post(
            "/jobs",
            content=_create_body(values, **extra),
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == 400, len(values)
        assert response.json()["errors"][0]["target"] == {"type": "field", "name": field}


@pytest.mark.parametrize(
    ("tail", "code"),
    [(b",NaN]", "invalid_json"), (b",1e400]", "invalid_json"), (b",]", "invalid_json")],
)
def test_a_big_body_that_is_not_strict_json_is_400(
    client: httpx.Client, tail: bytes, code: str
) -> None:
    """NaN, numbers out of float range and malformed JSON are refused in big bodies too."""
    values = _numbers(BIG)[:-1] + tail
    response = client.post(
        "/jobs", content=_create_body(values), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code


def test_a_big_body_is_cleaned_as_a_small_one(client: httpx.Client) -> None:
    """Lone surrogates become U+FFFD and deep nesting is refused, whatever the size."""
    surrogate = b'"\\ud800"'
    values = _numbers(BIG)[:-1] + b"," + surrogate + b"]"
    created = client.post(
        "/jobs", content=_create_body(values), headers={"Content-Type": "application/json"}
    )
    assert created.status_code == 200, created.text
    job = client.get(f"/jobs/{created.json()['id']}", params={"exclude_params": "false"})
    assert job.json()["params"]["values"][-1] == "\ufffd"
    deep = b"[" * 300 + b"]" * 300
    nested = client.post(
        "/jobs",
        content=_create_body(_numbers(BIG)[:-1] + b"," + deep + b"]"),
        headers={"Content-Type": "application/json"},
    )
    assert nested.status_code == 400
    assert "nested deeper" in nested.json()["errors"][0]["message"]


def test_big_tags_and_iam_bodies(client: httpx.Client, mock_server: MockEndpoint) -> None:
    """A big tags body is checked (too many tags: 400) and a big IAM form still exchanges."""
    job_id = create_job(client)
    tags = {"tags": ["t"] * (BIG // 4)}
    response = client.put(f"/jobs/{job_id}/tags", json=tags)
    assert response.status_code == 400
    assert response.json()["errors"][0]["target"] == {"type": "field", "name": "tags"}
    with httpx.Client(transport=mock_server.transport()) as http:
        token = http.post(
            mock_server.root_url + "/identity/token",
            data={
                "grant_type": "urn:ibm:params:oauth:grant-type:apikey",
                "apikey": "mock-api-key",
                "padding": "x" * BIG,
            },
        )
    assert token.status_code == 200, token.text
    assert token.json()["token_type"] == "Bearer"


def test_without_worker_processes_big_bodies_are_parsed_in_a_thread(
    client: httpx.Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Where no worker process can start, a big body is still parsed (in a thread) and the
    log says why."""
    monkeypatch.setattr(_intake, "POOL", WorkerPool(1))
    monkeypatch.setattr(_workers.sys, "executable", "/nonexistent/python")
    response = client.post(
        "/jobs", content=_create_body(_numbers(BIG)), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert any(
        "in a thread" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
    )


# ------------------------------------------------------------------------------ the pool


def _raise_api_error() -> None:
    raise ApiError(400, "invalid_field", "no", target=("field", "x"), headers={"A": "b"})


def _exit_now() -> None:
    os._exit(3)


def test_pool_runs_calls_in_another_process() -> None:
    """A call runs in a child process, which is kept for the next call."""
    pool = WorkerPool(1)
    try:
        first = pool.call(os.getpid)
        assert first != os.getpid()
        assert pool.call(os.getpid) == first
    finally:
        pool.close()


def test_pool_hands_back_exceptions_whole() -> None:
    """An ApiError raised in the worker comes back with every field; the worker stays."""
    pool = WorkerPool(1)
    try:
        with pytest.raises(ApiError) as raised:
            pool.call(_raise_api_error)
        error = raised.value
        assert (error.status_code, error.code, error.message) == (400, "invalid_field", "no")
        assert (error.target, error.headers) == (("field", "x"), {"A": "b"})
        assert pool.call(os.getpid) != os.getpid()
    finally:
        pool.close()


def test_pool_replaces_a_worker_that_died() -> None:
    """A worker that dies mid-call fails that call only; the next call gets a new worker."""
    pool = WorkerPool(1)
    try:
        before = pool.call(os.getpid)
        with pytest.raises(WorkerDiedError):
            pool.call(_exit_now)
        assert pool.call(os.getpid) not in (before, os.getpid())
    finally:
        pool.close()


@pytest.mark.loopback  # a subprocess
def test_a_script_that_starts_the_mock_runs_once(tmp_path: Path) -> None:
    """A script without an `if __name__ == "__main__":` guard that sends a big body runs once:
    the worker processes never run the parent's main module again (multiprocessing's and
    anyio.to_process' workers would, starting a second mock)."""
    runs = tmp_path / "runs.txt"
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import httpx
            from qiskit_runtime_jobs_mock import serve

            with open({str(runs)!r}, "a") as f:
                f.write("run\\n")
            with serve() as mock:
                body = b'{{"program_id":"p","params":{{"v":"' + b"x" * {BIG * 2} + b'"}}}}'
                r = httpx.post(mock.base_url + "/jobs", content=body, headers=mock.headers)
                print(r.status_code)
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert done.stdout.strip() == "200", done.stderr
    assert runs.read_text() == "run\n"
