"""PASS means the target was exercised and behaved; anything less is not a PASS.

Each run goes against the mock on loopback, configured as the kind of service it stands for:
a simulator whose jobs end at once, the service's own timings, a slow queue, a queue that
never moves, a service that refuses every create, wrong credentials.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qiskit_runtime_jobs_kit.contract import Credentials, RunOptions, Target, cli, run
from qiskit_runtime_jobs_kit.contract.summary import Summary
from qiskit_runtime_jobs_mock import (
    DEFAULT_API_KEY,
    DEFAULT_CRN,
    DEFAULT_TOKEN,
    MockConfig,
    MockServer,
    serve,
)
from tests.contract.runs import lifecycle_only

pytestmark = [pytest.mark.contract, pytest.mark.loopback]
KEYS = Credentials(crn=DEFAULT_CRN, token=DEFAULT_TOKEN)
ROLES = ("pending", "private", "running", "completed", "extra")


def url_target(server: MockServer, credentials: Credentials = KEYS) -> Target:
    return Target("url", server.base_url, credentials, kind="url", allow_create=True)


def lifecycle_run(server: MockServer, tmp_path: Path, **options: Any) -> tuple[Summary, str]:
    said: list[str] = []
    base = lifecycle_only(tmp_path, said.append)
    summary = run(url_target(server), RunOptions(**{**vars(base), **options}))
    return summary, "\n".join(said)


@pytest.fixture
def service(request: pytest.FixtureRequest) -> Iterator[MockServer]:
    queued, running = request.param
    config = MockConfig(rate_limit_per_minute=None, queued_seconds=queued, running_seconds=running)
    with serve(config) as server:
        yield server


@pytest.mark.parametrize(
    "service",
    [(0.0, 0.0), (1.0, 3.0), (30.0, 3.0)],
    ids=["ends-at-once", "queued-1s", "queued-30s"],
    indirect=True,
)
def test_every_scenario_passes_whatever_the_queue_time(service: MockServer, tmp_path: Path) -> None:
    """A correct service passes at any speed; the kit never deletes a job it still needs."""
    summary, said = lifecycle_run(service, tmp_path)
    assert summary.ok, said
    assert summary.lifecycle is not None
    played = summary.lifecycle.scenario_steps()
    assert set(played) == {"fleet", *ROLES, "listing", "retire"}, said
    for scenario, steps in played.items():
        assert all(step.ok for step in steps), (scenario, steps)
    assert summary.left == []
    assert summary.created == len(ROLES)
    # Every behaviour the fleet can show was shown and held (one program, backend and session
    # more than the first job's: the mock takes them).
    shown = {o.name for o in summary.outcomes() if o.suite == "behaviours" and o.state == "passed"}
    at_once = service.state.config.queued_seconds == 0  # then no cancel is ever accepted
    assert {
        "list: pending",
        "list: program",
        "list: backend",
        "list: session_id",
        "list: created_after",
        "list: created_before",
        "list: tags",
        "list: offset",
        "list: count",
        "list: sort",
        "list: exclude_params",
        "read back: create",
        "read back: tags",
        "delete is applied",
        "metrics timestamps in order",
        *([] if at_once else ["cancel is applied"]),
    } <= shown, said
    # A state the jobs never were in is said, not failed.
    notes = summary.lifecycle.notes
    if service.state.config.queued_seconds == 0:
        assert "no pending-state answer to judge" in " ".join(notes["pending"])
        assert "no running cancel to judge" in " ".join(notes["running"])
    else:
        assert "pending" not in notes
        assert summary.rules["delete_job"]["pending"]["ok"] >= 1
        assert summary.rules["cancel_job"]["pending"]["ok"] >= 1


@pytest.mark.parametrize("service", [(3600.0, 3.0)], ids=["stuck"], indirect=True)
def test_a_queue_that_never_moves_fails_with_the_reason(
    service: MockServer, tmp_path: Path
) -> None:
    summary, said = lifecycle_run(service, tmp_path, job_timeout=2.0)
    assert not summary.ok
    assert summary.lifecycle is not None
    stuck = [
        step
        for step in summary.lifecycle.steps
        if step.problems and "could not run" in step.problems[0]
    ]
    assert {step.scenario for step in stuck} == {"private", "running", "completed", "extra"}, said
    for step in stuck:
        assert "is Queued" in step.problems[0]
        assert "after 2s (--job-timeout)" in step.problems[0]
    assert summary.left == []  # cancelled and deleted all the same


class RefuseCreates:
    """ASGI middleware: every create is refused with a 400, and no job is made."""

    def __call__(self, app: Any) -> Any:
        async def refusing(scope: Any, receive: Any, send: Any) -> None:
            creating = scope.get("method") == "POST" and scope.get("path") == "/api/v1/jobs"
            if not creating:
                await app(scope, receive, send)
                return
            body = (
                b'{"errors": [{"code": "bad_backend", "message": "Unknown backend."}],'
                b' "trace": "t", "status_code": 400}'
            )
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 400, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        return refusing


def test_creates_the_target_refuses_fail_the_run(tmp_path: Path) -> None:
    config = MockConfig(rate_limit_per_minute=None, queued_seconds=0, running_seconds=0)
    with serve(config, wrap=RefuseCreates()) as server:
        # Refused creates take pacing slots too: no need to wait a minute for the sixth.
        summary, said = lifecycle_run(server, tmp_path, creates_per_minute=1000)
    assert not summary.ok
    assert summary.created == 0
    assert summary.lifecycle is not None
    why = ("could not run: the create was refused: HTTP 400 (Unknown backend.)",)
    refused = [step for step in summary.lifecycle.steps if step.problems == why]
    assert [step.scenario for step in refused] == ["fleet"] * len(ROLES), said


@pytest.fixture
def default_service() -> Iterator[MockServer]:
    with serve(MockConfig()) as server:
        yield server


@pytest.mark.parametrize(
    ("credentials", "refused"),
    [
        (Credentials(crn=DEFAULT_CRN, token="s3cr3t-wrong-token"), "refused the token"),
        (
            Credentials(
                crn="crn:v1:bluemix:public:quantum-computing:us-east:a/x:y::", token=DEFAULT_TOKEN
            ),
            "refused the instance crn:v1:bluemix:public:quantum-computing:us-east:a/x:y::",
        ),
    ],
    ids=["wrong-token", "wrong-crn"],
)
def test_refused_credentials_stop_the_run_at_the_start(
    credentials: Credentials, refused: str, default_service: MockServer, tmp_path: Path
) -> None:
    said: list[str] = []
    summary = run(
        url_target(default_service, credentials),
        RunOptions(report_dir=tmp_path, quiet=True, say=said.append),
    )
    assert not summary.ok
    assert summary.preflight is not None
    assert refused in summary.preflight
    assert summary.answers == {}  # nothing fuzzed
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "RESULT: FAIL" in markdown
    assert "s3cr3t" not in markdown + "\n".join(said)


def test_an_api_key_iam_refuses_stops_the_run(default_service: MockServer, tmp_path: Path) -> None:
    credentials = Credentials(
        crn=DEFAULT_CRN,
        api_key="s3cr3t-wrong-key",
        iam_url=default_service.root_url + "/identity/token",
    )
    summary = run(
        url_target(default_service, credentials),
        RunOptions(report_dir=tmp_path, quiet=True, say=[].append),
    )
    assert summary.preflight is not None
    assert summary.preflight.startswith("credentials refused: IAM at ")
    assert "QISKIT_RUNTIME_API_KEY" in summary.preflight
    assert "s3cr3t" not in summary.preflight


def test_the_command_exits_1_on_refused_credentials(
    default_service: MockServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("QISKIT_RUNTIME_TOKEN", "wrong")
    monkeypatch.setenv("QISKIT_RUNTIME_CRN", DEFAULT_CRN)
    monkeypatch.delenv("QISKIT_RUNTIME_API_KEY", raising=False)
    args = [
        "--url",
        default_service.base_url,
        "--report-dir",
        str(tmp_path),
        "--state-dir",
        str(tmp_path / "s"),
        "--quiet",
    ]
    assert cli.main(args) == 1
    out = capsys.readouterr().out
    assert "credentials refused: the target refused the token (QISKIT_RUNTIME_TOKEN)" in out


def test_an_exported_token_does_not_reach_the_embedded_mock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A machine that also runs live jobs exports its token; the embedded run uses its own."""
    monkeypatch.setenv("QISKIT_RUNTIME_TOKEN", "a-live-token-for-ibm")
    monkeypatch.setenv("QISKIT_RUNTIME_API_KEY", "a-live-api-key")
    monkeypatch.setenv("QISKIT_RUNTIME_CRN", "crn:v1:live")
    args = ["--phases", "examples", "--no-lifecycle", "--report-dir", str(tmp_path), "--quiet"]
    status = cli.main(args)
    out = capsys.readouterr().out
    assert status == 0, out
    assert "\nRESULT: PASS\n" in out
    assert DEFAULT_API_KEY not in out
