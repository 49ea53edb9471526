"""Contract runs over real loopback against a mock started here: where the reports go, that a
killed run leaves no stale PASS behind, and a run narrowed to one operation.

Each run fuzzes in a `schemathesis` child process; the runs are small (read-only targets, one
or two phases) so each takes seconds, and every subprocess here is bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qiskit_runtime_jobs_kit.contract import cli as contract_cli, runner
from qiskit_runtime_jobs_kit.contract.context import Credentials
from qiskit_runtime_jobs_kit.contract.runner import RunOptions, Target
from qiskit_runtime_jobs_kit.spec import load_spec
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, MockServer, serve
from tests.contract.runs import contract_command, environment_with

CREDENTIALS = {"QISKIT_RUNTIME_TOKEN": DEFAULT_TOKEN, "QISKIT_RUNTIME_CRN": DEFAULT_CRN}
KEYS = Credentials(crn=DEFAULT_CRN, token=DEFAULT_TOKEN)
STALE_MARKER = "stale verdict from an earlier run"
STALE_PASS = f"{STALE_MARKER}\n\nRESULT: PASS\n"
KILL_DEADLINE_SECONDS = 90.0
API_VERSION = load_spec()["components"]["parameters"]["IBMAPIVersion"]["schema"]["default"]


@pytest.fixture
def server() -> Iterator[MockServer]:
    config = MockConfig(rate_limit_per_minute=None, queued_seconds=0, running_seconds=0)
    with serve(config) as running:
        yield running


def read_only(server: MockServer) -> Target:
    return Target("url", server.base_url, KEYS, kind="url", allow_create=False)


def verdict_rows(summary_md: str) -> dict[str, str]:
    """Operation -> its verdict cell, from the report's operations table."""
    rows = {}
    for line in summary_md.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split(" | ")]
        if len(cells) == 4 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells[3]
    return rows


def test_reports_go_to_any_report_dir(server: MockServer, tmp_path: Path) -> None:
    report_dir = tmp_path / "deep" / "dir"
    said: list[str] = []
    summary = runner.run(
        read_only(server),
        RunOptions(report_dir=report_dir, phases=["examples"], quiet=True, say=said.append),
    )
    files = sorted(p.name for p in report_dir.iterdir())
    assert files == sorted(runner.REPORT_FILES)  # and no `.run-*` work dir or temp file left
    assert not list(report_dir.glob(".run-*"))

    summary_md = (report_dir / "summary.md").read_text(encoding="utf-8")
    assert summary.ok, summary_md
    assert summary_md.rstrip().splitlines()[-1] == "RESULT: PASS"
    data = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    assert data["ok"] is True
    assert data["target"].startswith(server.base_url)
    assert data["phases"].get("examples") == "success"
    ET.parse(report_dir / "junit.xml")  # well-formed
    assert json.loads((report_dir / "report.json").read_text(encoding="utf-8"))

    rows = verdict_rows(summary_md)
    assert rows["GET /jobs"] == "passed"
    assert rows["DELETE /jobs/{id}"].startswith("skipped: read-only run")
    assert any("READ-ONLY RUN" in line for line in said)  # told through `say`


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the run and the schemathesis child it started (its own process group)."""
    if proc.poll() is None:
        proc.kill()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _stale_is_there(path: Path) -> bool:
    try:
        return STALE_MARKER in path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False


def test_a_killed_run_leaves_no_stale_pass(server: MockServer, tmp_path: Path) -> None:
    report_dir = tmp_path / "reports"
    report_dir.mkdir()
    (report_dir / "summary.md").write_text(STALE_PASS, encoding="utf-8")
    (report_dir / "summary.json").write_text('{"ok": true}\n', encoding="utf-8")
    (report_dir / "junit.xml").write_text("<testsuites/>\n", encoding="utf-8")
    cmd = contract_command(
        server.base_url,
        report_dir,
        tmp_path / "state",
        "--phases",
        "fuzzing",
        "--max-examples",
        "500",  # long enough that the kill lands mid-run
        "--quiet",
    )
    proc = subprocess.Popen(
        cmd,
        cwd=tmp_path,
        env=environment_with(CREDENTIALS),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + KILL_DEADLINE_SECONDS
        while _stale_is_there(report_dir / "summary.md") and proc.poll() is None:
            assert time.monotonic() < deadline, "the run never removed the stale summary.md"
            time.sleep(0.01)
        assert proc.poll() is None, f"the run ended (exit {proc.returncode}) before the kill"
        assert not (report_dir / "summary.md").exists()  # removed, and no verdict yet
    finally:
        _kill_group(proc)
    assert proc.returncode == -signal.SIGKILL

    for path in report_dir.rglob("summary.md"):
        assert "RESULT: PASS" not in path.read_text(encoding="utf-8"), path
    for name in ("summary.json", "junit.xml"):
        assert not (report_dir / name).exists(), name  # every stale report went first


def test_one_operation_passes(server: MockServer, tmp_path: Path) -> None:
    report_dir = tmp_path / "one"
    summary = runner.run(
        read_only(server),
        RunOptions(
            report_dir=report_dir,
            phases=["examples", "coverage"],
            operation_ids=["get_job"],
            quiet=True,
            say=[].append,
        ),
    )
    summary_md = (report_dir / "summary.md").read_text(encoding="utf-8")
    assert summary.ok, summary_md
    assert summary.failures == []
    assert summary.errors == []
    # The links (stateful) phase was not run: skipped, never failed.
    assert summary.phases.get("stateful", "skip") not in {"failure", "error", "errored"}
    assert summary.phases.get("examples") == "success"
    rows = verdict_rows(summary_md)
    assert rows["GET /jobs/{id}"].startswith("passed")  # random ids: 404s only
    assert rows["GET /jobs"] == "skipped: not selected (--operation-id)"
    assert summary_md.rstrip().splitlines()[-1] == "RESULT: PASS"


def test_one_operation_through_the_command_skips_the_links_phase_with_a_note(
    server: MockServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("QISKIT_RUNTIME_API_KEY", "QISKIT_RUNTIME_IAM_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    report_dir = tmp_path / "cli"
    status = contract_cli.main(
        [
            "--url",
            server.base_url,
            "--operation-id",
            "get_job",
            "--phases",
            "examples,coverage,stateful",
            "--report-dir",
            str(report_dir),
            "--state-dir",
            str(tmp_path / "state"),
            "--quiet",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    data = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    assert data["ok"] is True
    (note,) = [n for n in data["notes"] if n.startswith("stateful phase skipped")]
    assert "create_job" in note
    assert data["phases"].get("stateful", "skip") == "skip"
    assert data["failures"] == []
    assert "RESULT: PASS" in out


def test_the_embedded_mock_target_authenticates_through_its_iam() -> None:
    # Needs MockConfig(timing_cycle=...): fails with "unexpected keyword argument" without it.
    with runner.embedded_mock() as target:
        assert target.kind == "embedded"
        assert target.allow_create is True
        assert target.url.endswith("/api/v1")
        keys = target.credentials
        assert keys.crn == DEFAULT_CRN
        assert keys.api_key is not None
        assert keys.api_key not in repr(target)
        iam = httpx.post(
            keys.iam_url,
            data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": keys.api_key},
            timeout=30,
        )
        assert iam.status_code == 200, iam.text
        token = iam.json()["access_token"]
        jobs = httpx.get(
            f"{target.url}/jobs",
            headers={
                "Authorization": f"Bearer {token}",
                "Service-CRN": keys.crn,
                "IBM-API-Version": str(API_VERSION),
            },
            timeout=30,
        )
        assert jobs.status_code == 200, jobs.text
