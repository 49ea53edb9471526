"""On a billed service the run keeps to its job budget and leaves nothing behind, even when
interrupted. The mock stands in for the service: real rate limit, a queue of 30 s."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_kit.contract import RunOptions, Target, run
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, MockServer, serve

pytestmark = pytest.mark.contract
ENV = {"QISKIT_RUNTIME_TOKEN": DEFAULT_TOKEN, "QISKIT_RUNTIME_CRN": DEFAULT_CRN}


def _is_create(scope: Any) -> bool:
    return scope.get("method") == "POST" and scope.get("path") == "/api/v1/jobs"


class CreateCounter:
    """ASGI middleware counting the jobs the service really created (200 to POST /jobs)."""

    def __init__(self) -> None:
        self.created = 0

    def __call__(self, app: Any) -> Any:
        async def middleware(scope: Any, receive: Any, send: Any) -> None:
            async def counting(message: Any) -> None:
                if (
                    message["type"] == "http.response.start"
                    and message["status"] == 200
                    and _is_create(scope)
                ):
                    self.created += 1
                await send(message)

            await app(scope, receive, counting)

        return middleware


@pytest.fixture
def counter() -> CreateCounter:
    return CreateCounter()


@pytest.fixture
def slow_service(counter: CreateCounter) -> Iterator[MockServer]:
    """The mock with the service's 5 creates per minute and a 30 s queue."""
    with serve(MockConfig(queued_seconds=30.0, running_seconds=3.0), wrap=counter) as server:
        yield server


def jobs_left(server: MockServer) -> list[str]:
    listed = httpx.get(server.base_url + "/jobs", headers=server.headers).json()
    return [job["id"] for job in listed["jobs"]]


@pytest.mark.parametrize("max_jobs", [1, 3])
def test_live_policy_keeps_the_budget_and_cleans_up(
    max_jobs: int,
    slow_service: MockServer,
    counter: CreateCounter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--live --allow-create --max-jobs N: at most N jobs, none run, all deleted; and the
    user's working directory gets the reports and nothing else (no tool caches)."""
    said: list[str] = []
    target = Target("live", slow_service.base_url, ENV, kind="live", allow_create=True)
    monkeypatch.chdir(tmp_path)
    options = RunOptions(
        report_dir=Path("reports"),
        phases=["examples"],
        quiet=True,
        max_jobs=max_jobs,
        say=said.append,
    )
    summary = run(target, options)
    assert [path.name for path in tmp_path.iterdir()] == ["reports"]
    reports = tmp_path / "reports"
    assert {path.name for path in reports.iterdir()} == {
        "junit.xml",
        "report.json",
        "summary.json",
        "summary.md",
    }
    assert 1 <= counter.created <= max_jobs
    assert summary.created == counter.created
    assert summary.left == []
    assert jobs_left(slow_service) == []
    assert summary.ok, "\n".join(said)
    assert summary.lifecycle is not None
    skipped = summary.lifecycle.skipped
    assert "QPU" in skipped["running"]
    assert "QPU" in skipped["completed"]
    if max_jobs == 1:
        assert "--max-jobs 1" in skipped["private"]
    markdown = (reports / "summary.md").read_text(encoding="utf-8")
    assert (
        f"Jobs: {counter.created} created (budget {max_jobs}), {counter.created} cleaned up"
        in markdown
    )


def test_interrupt_cleans_up_every_job(
    slow_service: MockServer, counter: CreateCounter, tmp_path: Path
) -> None:
    """Ctrl-C while the run waits on a queued job: it cancels and deletes all it created."""
    command = [
        sys.executable,
        "-m",
        "qiskit_runtime_jobs_kit.contract",
        "--url",
        slow_service.base_url,
        "--allow-create",
        "--max-jobs",
        "3",
        "--phases",
        "",
        "--report-dir",
        str(tmp_path),
    ]
    proc = subprocess.Popen(
        command,
        env={**os.environ, **ENV},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while counter.created < 2:  # the private job waits in the 30 s queue
            assert proc.poll() is None, proc.stdout
            assert time.monotonic() < deadline
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, output
    assert "interrupted: cleaning up" in output
    assert counter.created <= 3
    assert jobs_left(slow_service) == []
    assert "INTERRUPTED" in (tmp_path / "summary.md").read_text(encoding="utf-8")


class LoseCreateAnswers:
    """ASGI middleware: the service makes the job, but the client gets a 502 in place of the
    create's answer (a proxy timing out, a dropped connection) for the first `times` creates."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.lost: list[str] = []

    def __call__(self, app: Any) -> Any:
        async def middleware(scope: Any, receive: Any, send: Any) -> None:
            if not _is_create(scope) or len(self.lost) >= self.times:
                await app(scope, receive, send)
                return
            body = bytearray()

            async def swallow(message: Any) -> None:
                body.extend(message.get("body", b""))

            await app(scope, receive, swallow)
            self.lost.append(json.loads(body)["id"])
            await send({"type": "http.response.start", "status": 502, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        return middleware


def test_a_job_whose_create_answer_was_lost_is_found_and_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger never saw the job (no 200 came back); the run's tag finds it for cleanup."""
    losing = LoseCreateAnswers(times=1)
    config = MockConfig(queued_seconds=30.0, running_seconds=3.0)
    said: list[str] = []
    with serve(config, wrap=losing) as service:
        target = Target("live", service.base_url, ENV, kind="live", allow_create=True)
        options = RunOptions(
            report_dir=tmp_path, phases=[], quiet=True, max_jobs=2, say=said.append
        )
        summary = run(target, options)
        assert len(losing.lost) == 1
        assert jobs_left(service) == []
    assert summary.left == []
    assert summary.created == 2  # the lost one and the one after it, both deleted
    assert any("create answer was lost" in line for line in said), said
