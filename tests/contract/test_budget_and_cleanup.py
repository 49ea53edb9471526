"""On a billed service the run keeps to its job budget and leaves nothing behind, even when
interrupted. The mock stands in for the service: real rate limit, a queue of 30 s."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_kit.contract import Credentials, RunOptions, Target, run
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, MockServer, serve
from tests.contract.service_log import CREATE_PATH, ServiceLog

pytestmark = pytest.mark.contract
KEYS = Credentials(crn=DEFAULT_CRN, token=DEFAULT_TOKEN)


@pytest.fixture
def counter() -> ServiceLog:
    return ServiceLog()


@pytest.fixture
def slow_service(counter: ServiceLog) -> Iterator[MockServer]:
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
    counter: ServiceLog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--live --allow-create --max-jobs N: at most N jobs, none run, all deleted; and the
    user's working directory gets the reports and nothing else (no tool caches)."""
    said: list[str] = []
    target = Target("live", slow_service.base_url, KEYS, kind="live", allow_create=True)
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
        f"- {counter.created} created (budget {max_jobs}), {counter.created} cleaned up, 0 left"
        in markdown
    )


class LoseCreateAnswers:
    """ASGI middleware: the service makes the job, but the client gets a 502 in place of the
    create's answer (a proxy timing out, a dropped connection) for the first `times` creates."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.lost: list[str] = []

    def __call__(self, app: Any) -> Any:
        async def middleware(scope: Any, receive: Any, send: Any) -> None:
            creating = (scope.get("method"), scope.get("path")) == ("POST", CREATE_PATH)
            if not creating or len(self.lost) >= self.times:
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
        target = Target("live", service.base_url, KEYS, kind="live", allow_create=True)
        options = RunOptions(
            report_dir=tmp_path, phases=[], quiet=True, max_jobs=2, say=said.append
        )
        summary = run(target, options)
        assert len(losing.lost) == 1
        assert jobs_left(service) == []
    assert summary.left == []
    assert summary.created == 2  # the lost one and the one after it, both deleted
    assert any("create answer was lost" in line for line in said), said
