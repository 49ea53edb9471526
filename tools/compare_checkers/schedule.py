"""Every checker run of a comparison, `jobs` at a time, each against its own fresh mock.

The mocks run in this process (uvicorn in a thread each); the checkers are subprocesses, so
two runs at once keep the machine's 2 cores busy. One line per finished run says how it went.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from tools.compare_checkers.model import Checker, CheckerRun
from tools.compare_checkers.process import Stopped, run_checker, stop_all
from tools.compare_checkers.target import mock_for
from tools.compare_checkers.variants import BASELINE, Variant


@dataclass(frozen=True)
class Task:
    """One checker against one mock; `attempt` numbers the baseline runs."""

    variant: Variant
    checker: Checker
    attempt: int = 0

    @property
    def mock(self) -> str:
        """The variant's name; `baseline-N` for the N-th baseline run."""
        suffix = f"-{self.attempt + 1}" if self.variant is BASELINE else ""
        return f"{self.variant.name}{suffix}"

    @property
    def label(self) -> str:
        """Also the name of the task's work directory."""
        return f"{self.mock}.{self.checker.name}"


@dataclass
class Results:
    """The baseline runs per checker, and the run of each (variant, checker)."""

    baselines: dict[str, list[CheckerRun]] = field(default_factory=dict)
    runs: dict[tuple[str, str], CheckerRun] = field(default_factory=dict)
    seconds: float = 0.0


def tasks_for(variants: list[Variant], checkers: list[Checker], baseline_runs: int) -> list[Task]:
    """Baselines first (every verdict needs them), then the variants in registry order."""
    first = [Task(BASELINE, c, n) for n in range(baseline_runs) for c in checkers]
    return first + [Task(v, c) for v in variants for c in checkers]


def run_all(tasks: list[Task], jobs: int, workroot: Path, say: Callable[[str], None]) -> Results:
    """Run `tasks`, `jobs` at a time, with their files under `workroot`."""
    results = Results()
    lock = threading.Lock()
    done = 0
    started = time.monotonic()

    def one(task: Task) -> None:
        nonlocal done
        run = _run(task, workroot / task.label)
        with lock:
            done += 1
            if task.variant is BASELINE:
                results.baselines.setdefault(task.checker.name, []).append(run)
            else:
                results.runs[(task.variant.name, task.checker.name)] = run
            counter = f"[{done:>3}/{len(tasks)}]"
            say(f"{counter} {task.label:<40} {_outcome(run):<52} {run.seconds:6.1f} s")

    executor = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="compare")
    try:
        for future in [executor.submit(one, task) for task in tasks]:
            future.result()
    except BaseException:
        stop_all()
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    for runs in results.baselines.values():
        runs.sort(key=lambda run: int(run.variant.rpartition("-")[2]))  # baseline-N, in order
    results.seconds = time.monotonic() - started
    return results


def _run(task: Task, workdir: Path) -> CheckerRun:
    """One run; a failure of the tool itself becomes the run's error, not a crash."""
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        with mock_for(task.variant) as target:
            run = run_checker(task.checker, target, workdir)
    except Stopped:
        raise
    except Exception as exc:
        (workdir / "tool-error.txt").write_text(traceback.format_exc(), encoding="utf-8")
        run = CheckerRun(
            checker=task.checker.name,
            variant="",
            exit_code=None,
            seconds=time.monotonic() - started,
            timed_out=False,
            error=f"{type(exc).__name__}: {exc}",
            workdir=str(workdir),
        )
    return replace(run, variant=task.mock)


def _outcome(run: CheckerRun) -> str:
    if run.error:
        return f"ERROR {run.error}"[:52]
    text = f"exit {run.exit_code}: {run.summary}"
    if run.checker == "ours" and run.failures:
        text += f", {len(run.failures)} failing rows"
    return text[:52]
