"""Checker 2, plain schemathesis: `schemathesis run SPEC --checks all`, with no kit in sight.

It runs in its own empty directory with an empty config file, so neither the kit's
schemathesis.toml nor its hooks are picked up, and without SCHEMATHESIS_* variables. Seeded
and bounded (one worker, a fixed --max-examples), so a run takes well under a minute.
A failure is a (check code, operation) pair from its JSON report; on the correct mock it
already reports some (e.g. ST202, a 400 for deleting a job still queued), so only pairs the
baseline runs did not report count.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tools.compare_checkers.model import SPEC, Checker, Failure, Reading, Target

SEED = 42
MAX_EXAMPLES = 50
PHASES = "examples,coverage,fuzzing,stateful"


def command(target: Target, workdir: Path) -> list[str]:
    """The command line: every check, every phase, the mock's three headers on each request."""
    headers = [arg for name, value in target.headers.items() for arg in ("-H", f"{name}: {value}")]
    return [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(workdir / "schemathesis.toml"),
        "run",
        str(SPEC),
        "--url",
        target.base_url,
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--workers",
        "1",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        *headers,
        "--report",
        "junit,json",
        "--report-junit-path",
        str(workdir / "report" / "junit.xml"),
        "--report-json-path",
        str(workdir / "report" / "report.json"),
        "--no-color",
    ]


def prepare(_target: Target, workdir: Path) -> None:
    """An empty config file, so that no schemathesis.toml above `workdir` is picked up."""
    (workdir / "schemathesis.toml").write_text("", encoding="utf-8")


def read(workdir: Path) -> Reading:
    """The failures of the run's JSON report and its counts."""
    path = workdir / "report" / "report.json"
    if not path.is_file():
        return Reading((), "no report", "no JSON report")
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return Reading(tuple(failures(report)), _summary(report))


def failures(report: dict[str, Any]) -> list[Failure]:
    """One failure per (check code, operation) in the JSON report, in its order."""
    found: list[Failure] = []
    for failure in report.get("failures", []):
        code, title = failure.get("code", "?"), failure.get("title", "")
        for operation in failure.get("operations", []):
            found.append(Failure(f"{code} {operation}", f"{operation}: {code} {title}"))
    return found


def _summary(report: dict[str, Any]) -> str:
    cases = report.get("test_cases", {})
    if not cases:
        return "no report"
    errors = sum(int(e.get("count", 1)) for e in report.get("errors", []))
    failed = cases.get("unique_failures", 0)
    text = f"{cases.get('generated', 0)} test cases, {failed} unique failure" + (
        "" if failed == 1 else "s"
    )
    return text + (f", {errors} errors" if errors else "")


CHECKER = Checker(
    name="schemathesis",
    title="schemathesis",
    time_limit=300.0,
    command=command,
    env_drop=("SCHEMATHESIS_",),
    read=read,
    rule="new_failures",
    prepare=prepare,
    settings={
        "config": "an empty schemathesis.toml in an empty temporary directory (no kit config or "
        "hooks), no SCHEMATHESIS_* variables",
    },
    notes="One worker and a fixed seed make a run repeatable as far as the mock's timing "
    "allows: whether a delete finds its job still queued (400, reported as ST202) depends on "
    "it, which is why the baseline runs are pooled.",
)
