"""However a run stops, it leaves none of its jobs on the target.

The command runs as CI runs it: a subprocess, stopped with the signal CI sends (SIGINT on
cancel, SIGTERM from `timeout` or a runner shutting down, SIGKILL when patience runs out).
The service is the mock on loopback with jobs that stay queued for two minutes, behind a
middleware that logs every request it answers, so "left behind" and "after it died" are what
the service saw.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, MockServer, serve
from tests.contract.runs import contract_command, environment_with
from tests.contract.service_log import ServiceLog

pytestmark = [pytest.mark.contract, pytest.mark.loopback]
CREDENTIALS = {"QISKIT_RUNTIME_TOKEN": DEFAULT_TOKEN, "QISKIT_RUNTIME_CRN": DEFAULT_CRN}
DEADLINE_SECONDS = 90.0


def jobs_left(server: MockServer) -> list[dict[str, Any]]:
    listed = httpx.get(server.base_url + "/jobs", headers=server.headers, timeout=30)
    jobs: list[dict[str, Any]] = listed.json()["jobs"]
    return jobs


@pytest.fixture
def log() -> ServiceLog:
    return ServiceLog()


@pytest.fixture
def service(log: ServiceLog) -> Iterator[MockServer]:
    config = MockConfig(queued_seconds=120.0, running_seconds=3.0, rate_limit_per_minute=None)
    with serve(config, wrap=log) as server:
        yield server


@dataclass
class Run:
    proc: subprocess.Popen[bytes]
    output: Path
    reports: Path

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def wait(self) -> int:
        return self.proc.wait(timeout=DEADLINE_SECONDS)


def start(server: MockServer, tmp_path: Path, name: str, *args: str) -> Run:
    """`qiskit-runtime-jobs contract --url ...` in its own session, as CI starts it."""
    output, reports = tmp_path / f"{name}.out", tmp_path / name
    command = contract_command(server.base_url, reports, tmp_path / "state", "--quiet", *args)
    with open(output, "wb") as sink:
        proc = subprocess.Popen(
            command,
            env=environment_with(CREDENTIALS),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Run(proc, output, reports)


def wait_for(what: str, check: Callable[[], bool], run: Run) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not check():
        assert run.proc.poll() is None, f"the run ended before {what}:\n{run.text()}"
        assert time.monotonic() < deadline, f"never saw {what}:\n{run.text()}"
        time.sleep(0.02)


def processes_naming(text: str) -> list[int]:
    """The ids of live processes whose command line holds `text` (the fuzzer names its
    report folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmdline:
                found.append(int(entry.name))
    return found


def _kill(run: Run) -> None:
    if run.proc.poll() is None:
        run.proc.kill()
        run.proc.wait(timeout=30)


LIFECYCLE = ("--allow-create", "--max-jobs", "3", "--phases", "")


def stop_at_the_lifecycle(
    server: MockServer, log: ServiceLog, tmp_path: Path, *signals: signal.Signals
) -> Run:
    """A run stopped by `signals` (50 ms apart) once two of its jobs are queued; it must exit
    128 + the first one's number, with none of its jobs left on the target."""
    run = start(server, tmp_path, "run", *LIFECYCLE)
    try:
        wait_for("two jobs queued", lambda: log.created >= 2, run)
        for number, stop in enumerate(signals):
            time.sleep(0.05 if number else 0.0)
            run.proc.send_signal(stop)
        assert run.wait() == 128 + signals[0], run.text()
    finally:
        _kill(run)
    assert jobs_left(server) == []
    return run


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_the_lifecycle_cleans_up_and_reports(
    stop: signal.Signals, service: MockServer, log: ServiceLog, tmp_path: Path
) -> None:
    run = stop_at_the_lifecycle(service, log, tmp_path, stop)
    summary = (run.reports / "summary.md").read_text(encoding="utf-8")
    assert f"stopped by {stop.name}" in summary
    assert "RESULT: FAIL" in summary
    assert "0 left" in summary
    junit = (run.reports / "junit.xml").read_text(encoding="utf-8")
    assert 'name="interrupted"' in junit


def test_a_second_signal_does_not_abandon_the_cleanup(tmp_path: Path) -> None:
    """Ctrl-C twice, 50 ms apart, while deletes are slow: the cleanup goes on to the end."""
    slow = ServiceLog(delete_delay=1.0)
    config = MockConfig(queued_seconds=120.0, running_seconds=3.0, rate_limit_per_minute=None)
    with serve(config, wrap=slow) as server:
        run = stop_at_the_lifecycle(server, slow, tmp_path, signal.SIGINT, signal.SIGINT)
    assert "still stopping" in run.text()


FUZZ_LONG = ("--phases", "fuzzing", "--max-examples", "3000")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_fuzzing_stops_the_fuzzer_and_reports_what_ran(
    stop: signal.Signals, service: MockServer, log: ServiceLog, tmp_path: Path
) -> None:
    run = start(service, tmp_path, "run", *FUZZ_LONG)
    try:
        wait_for("fuzzing under way", lambda: len(log.seen) >= 100, run)
        run.proc.send_signal(stop)
        assert run.wait() == 128 + stop, run.text()
    finally:
        _kill(run)
    ended, answered = time.time(), len(log.seen)
    time.sleep(2.0)
    late = [a for a in log.seen[answered:] if a.at > ended]
    assert late == [], "requests after the run ended"
    assert processes_naming(str(run.reports)) == []
    summary = (run.reports / "summary.md").read_text(encoding="utf-8")
    assert f"stopped by {stop.name}" in summary
    assert "| `GET /jobs` | " in summary
    assert "Traceback" not in run.text()


def test_a_killed_run_takes_its_fuzzer_along(
    service: MockServer, log: ServiceLog, tmp_path: Path
) -> None:
    run = start(service, tmp_path, "run", *FUZZ_LONG)
    try:
        wait_for("fuzzing under way", lambda: len(log.seen) >= 100, run)
        run.proc.kill()
        run.wait()
    finally:
        _kill(run)
    deadline = time.monotonic() + 10
    while processes_naming(str(run.reports)):
        assert time.monotonic() < deadline, "the fuzzer outlived the run"
        time.sleep(0.05)
    answered = len(log.seen)
    time.sleep(1.0)
    assert len(log.seen) == answered, "requests after the fuzzer should be gone"


def test_the_next_run_cleans_up_after_a_killed_one(
    service: MockServer, log: ServiceLog, tmp_path: Path
) -> None:
    """SIGKILL leaves jobs; a read-only run only reports them; a creating run deletes them."""
    first = start(service, tmp_path, "first", *LIFECYCLE)
    try:
        wait_for("two jobs queued", lambda: log.created >= 2, first)
        first.proc.kill()
        first.wait()
    finally:
        _kill(first)
    left = jobs_left(service)
    assert left, "the kill left nothing to clean up"
    for job in left:  # the run's tag survived every step, for the next run to find them
        assert any(tag.startswith("qrj-contract-run-") for tag in job["tags"]), job
    read_only = start(service, tmp_path, "read-only", "--max-examples", "5")
    try:
        assert read_only.wait() == 0, read_only.text()
    finally:
        _kill(read_only)
    assert jobs_left(service) == left  # a read-only run changes nothing, leftovers included
    assert "a run with --allow-create cleans them up" in read_only.text()
    cleaning = start(
        service, tmp_path, "cleaning", "--allow-create", "--no-lifecycle", "--max-examples", "5"
    )
    try:
        status = cleaning.wait()
    finally:
        _kill(cleaning)
    assert jobs_left(service) == []
    output = cleaning.text()
    assert "stopped without cleaning up" in output
    assert status == 0, output
    assert f"left {len(left)} job(s): all cleaned up" in output
    assert list((tmp_path / "state").rglob("run-*")) == []  # no ledger, no lock left
