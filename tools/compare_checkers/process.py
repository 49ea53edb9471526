"""Run a checker as a subprocess with a time limit, and leave nothing of it running.

Each run gets its own session (process group): a checker that starts children (our contract
run starts schemathesis) is ended whole, on a timeout, on Ctrl+C or SIGTERM, and after it exits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.compare_checkers.model import Checker, CheckerRun, Target

# The exit statuses a checker passes (0) or fails (1) with; any other is a crash.
JUDGED_EXIT_CODES = (0, 1)
# After SIGTERM (our contract run then deletes the jobs it created), how long before SIGKILL.
GRACE_SECONDS = 10.0

# The process groups running now (runs go in parallel threads), for `stop_all` on Ctrl+C.
_LIVE: set[int] = set()
_LOCK = threading.Lock()
_STOPPING = threading.Event()


class Stopped(Exception):
    """The comparison is being stopped: no new run starts."""


@dataclass(frozen=True)
class Finished:
    """How a subprocess ended."""

    exit_code: int | None  # None: killed at the time limit
    seconds: float
    timed_out: bool


def run_limited(
    command: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    time_limit: float,
    log: Path,
) -> Finished:
    """Run `command` in `cwd`, output (stdout and stderr) to `log`, for at most `time_limit` s."""
    started = time.monotonic()
    with log.open("wb") as out, _LOCK:
        if _STOPPING.is_set():
            raise Stopped
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _LIVE.add(process.pid)
    timed_out = False
    try:
        exit_code: int | None = process.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        timed_out, exit_code = True, None
    finally:
        _end_group(process)
        with _LOCK:
            _LIVE.discard(process.pid)
    if _STOPPING.is_set():
        raise Stopped
    return Finished(exit_code, time.monotonic() - started, timed_out)


def run_checker(checker: Checker, target: Target, workdir: Path) -> CheckerRun:
    """Run `checker` once against `target`; its files, reports and output stay in `workdir`."""
    checker.prepare(target, workdir)
    finished = run_limited(
        checker.command(target, workdir),
        cwd=workdir,
        env=_environment(checker),
        time_limit=checker.time_limit,
        log=workdir / "output.txt",
    )
    reading = checker.read(workdir)
    error = reading.problem
    if finished.timed_out:
        error = f"timed out after {checker.time_limit:.0f} s"
    elif error is None and finished.exit_code not in JUDGED_EXIT_CODES:
        error = f"exit status {finished.exit_code}"
    return CheckerRun(
        checker=checker.name,
        variant="",
        exit_code=finished.exit_code,
        seconds=finished.seconds,
        timed_out=finished.timed_out,
        failures=reading.failures,
        summary=reading.summary,
        error=error,
        workdir=str(workdir),
    )


def _environment(checker: Checker) -> dict[str, str]:
    """This process's environment without the variables the checker would take as settings."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(checker.env_drop)}
    return {**kept, **checker.env_set}


def stop_all() -> None:
    """Start no more runs and SIGTERM every running one (their threads then end them)."""
    with _LOCK:
        _STOPPING.set()
        groups = list(_LIVE)
    for group in groups:
        _signal(group, signal.SIGTERM)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the run's process group, then SIGKILL whatever is left after the grace period.

    The group id is the leader's pid, which Linux does not hand out again while the group has
    members, so this only ever signals processes this run started.
    """
    group = process.pid
    if not _signal(group, signal.SIGTERM):
        return
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None and not _signal(group, 0):
            return
        time.sleep(0.1)
    _signal(group, signal.SIGKILL)
    process.wait()


def _signal(group: int, sig: int) -> bool:
    """Send `sig` to the group; False when no process of it is left."""
    try:
        os.killpg(group, sig)
    except ProcessLookupError:
        return False
    return True
