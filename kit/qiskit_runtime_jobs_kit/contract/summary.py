"""One run's verdict: what it exercised, what it found, and what it left behind.

`summarise` gathers the fuzzer's reports (if it wrote them) and the run's events into a
`Summary`; `Summary.outcomes` turns it into the list of things that passed, failed or were
skipped, which is the verdict: the Markdown report, junit.xml and the exit status all read
that one list, so they cannot disagree. PASS means every selected operation was reached by
at least one request the target did not refuse for auth or rate limits, and every check,
lifecycle step and cleanup held.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from ..spec import spec_operations
from . import events
from .cleanup import Recovered
from .driver import LifecycleReport
from .rules import BEHAVIOURS, RULES

_CURL = re.compile(r"Reproduce with:\s*\n((?:\s*curl .+\n?)+)")
_CURL_TARGET = re.compile(r"curl -X (\w+) .*?'?(https?://[^\s']+)'?\s*$")
_CODE = re.compile(r"^- (ST\d+|[A-Za-z_]+) (.+)$", re.MULTILINE)
# Answers that show the request never reached the operation: the gateway refused it.
NOT_REACHED = frozenset({401, 403, 429})
State = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class Failure:
    """One failing check on one operation, with a command that reproduces it."""

    operation: str
    code: str
    title: str
    curl: str | None


@dataclass
class Answers:
    """What one operation was sent, and what became of it."""

    sent: int = 0
    accepted: int = 0  # 2xx
    refused: Counter[int] = field(default_factory=Counter)  # NOT_REACHED answers

    @property
    def reached(self) -> int:
        return self.sent - sum(self.refused.values())

    def counts(self) -> str:
        return f"{self.sent} sent, {self.accepted} accepted"


@dataclass
class Tally:
    """How often one behaviour was judged, how often it failed, and how, first."""

    judged: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, ok: bool, problem: str | None) -> None:
        self.judged += 1
        if not ok:
            self.failed += 1
            if problem and len(self.problems) < 3 and problem not in self.problems:
                self.problems.append(problem)


@dataclass(frozen=True)
class Outcome:
    """One line of the verdict: a suite (run, operations, lifecycle) and a named item."""

    suite: str
    name: str
    state: State
    detail: str


@dataclass
class Summary:
    """What a contract run found, in the shape the reports need."""

    target: str
    checks: list[str]
    operations: list[str]
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)
    test_cases: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    running_time: float = 0.0
    answers: dict[str, Answers] = field(default_factory=dict)
    redirected: int = 0
    lifecycle: LifecycleReport | None = None
    rules: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    behaviours: dict[str, Tally] = field(default_factory=dict)
    drift: list[dict[str, str]] = field(default_factory=list)
    created: int = 0
    max_jobs: int | None = None
    left: list[str] = field(default_factory=list)
    recovered: list[Recovered] = field(default_factory=list)
    fail_on_drift: bool = False
    fuzzed: bool = False
    preflight: str | None = None  # what was wrong, when the run stopped at the start
    stopped_by: str = ""  # the signal's name, when a signal stopped the run

    @property
    def stopped_early(self) -> str:
        """Why operations may not have been reached ("" when the run went its course)."""
        if self.preflight is not None:
            return "the run stopped at the start (see preflight)"
        return f"the run was stopped by {self.stopped_by}" if self.stopped_by else ""

    def codes_for(self, operation: str) -> list[str]:
        codes = {f"{f.code} {f.title}" for f in self.failures if f.operation == operation}
        if self.lifecycle is not None:
            for step in self.lifecycle.steps:
                if step.operation == operation and not step.ok:
                    codes.add(f"lifecycle {step.scenario}: " + "; ".join(step.problems))
        return sorted(codes)

    def operation_outcome(self, operation: str) -> Outcome:
        codes = self.codes_for(operation)
        answers = self.answers.get(operation, Answers())
        if codes:
            return Outcome("operations", operation, "failed", "; ".join(codes))
        if operation in self.skipped:
            return Outcome("operations", operation, "skipped", self.skipped[operation])
        if answers.reached == 0:
            if self.stopped_early:
                return Outcome(
                    "operations", operation, "skipped", f"not reached: {self.stopped_early}"
                )
            refused = ", ".join(f"{n}x {status}" for status, n in sorted(answers.refused.items()))
            why = (
                f"{answers.sent} sent, none reached it ({refused})"
                if answers.sent
                else "no request was sent to it"
            )
            return Outcome("operations", operation, "failed", f"not exercised: {why}")
        return Outcome("operations", operation, "passed", answers.counts())

    def outcomes(self) -> list[Outcome]:
        """The verdict, item by item."""
        found = [*self._run_outcomes(), *map(self.operation_outcome, self.operations)]
        return found + self._lifecycle_outcomes() + list(map(self.behaviour_outcome, BEHAVIOURS))

    def behaviour_outcome(self, behaviour: str) -> Outcome:
        """A behaviour fails if any answer broke it; one no answer showed is not exercised."""
        tally = self.behaviours.get(behaviour, Tally())
        if tally.failed:
            how = "; ".join(tally.problems)
            detail = f"{tally.failed} of {tally.judged} answers broke it: {how}"
            return Outcome("behaviours", behaviour, "failed", detail)
        if tally.judged:
            return Outcome("behaviours", behaviour, "passed", f"{tally.judged} answers held it")
        cannot = {} if self.lifecycle is None else self.lifecycle.cannot
        why = cannot.get(behaviour) or self.stopped_early or "no answer of this run showed it"
        return Outcome("behaviours", behaviour, "skipped", f"not exercised: {why}")

    @property
    def ok(self) -> bool:
        return all(outcome.state != "failed" for outcome in self.outcomes())

    def _run_outcomes(self) -> list[Outcome]:
        def run(name: str, state: State, detail: str) -> Outcome:
            return Outcome("run", name, state, detail)

        found = [
            run("preflight", "failed", self.preflight)
            if self.preflight is not None
            else run("preflight", "passed", "the target took the credentials")
        ]
        cases = self.test_cases
        if self.errors:
            found.append(run("fuzzing", "failed", "; ".join(self.errors)))
        elif self.fuzzed and not self.phases and not self.stopped_by:
            found.append(run("fuzzing", "failed", "the fuzzing phase wrote no report"))
        elif self.fuzzed:
            found.append(
                run(
                    "fuzzing",
                    "passed",
                    f"{cases.get('generated', 0)} test cases, "
                    f"{cases.get('with_failures', 0)} with failures",
                )
            )
        found.append(
            run("cleanup", "failed", f"{len(self.left)} job(s) left: {', '.join(self.left)}")
            if self.left
            else run("cleanup", "passed", f"{self.created} job(s) created, none left")
        )
        earlier_left = [job for rec in self.recovered for job in rec.left]
        if self.recovered:
            found.append(
                run(
                    "earlier runs",
                    "failed",
                    f"jobs of earlier runs left: {', '.join(earlier_left)}",
                )
                if earlier_left
                else run(
                    "earlier runs",
                    "passed",
                    f"{sum(len(r.found) for r in self.recovered)} job(s) of "
                    f"{len(self.recovered)} stopped run(s) cleaned up",
                )
            )
        drifted = f"{len(self.drift)} thing(s) the target returned that the spec lacks"
        found.append(
            run("drift", "failed" if self.fail_on_drift and self.drift else "passed", drifted)
        )
        if self.stopped_by:
            found.append(
                run("interrupted", "failed", f"stopped by {self.stopped_by} before it finished")
            )
        return found

    def _lifecycle_outcomes(self) -> list[Outcome]:
        report = self.lifecycle
        if report is None:
            return []
        reads = {id(check.read) for check in report.results}
        found = []
        for scenario, steps in report.scenario_steps().items():
            for number, step in enumerate(steps, 1):
                if id(step) in reads:
                    continue
                state: State = "passed" if step.ok else "failed"
                detail = f"answered {step.answered}" + (
                    f": {'; '.join(step.problems)}" if step.problems else ""
                )
                found.append(
                    Outcome("lifecycle", f"{scenario} {number:02d} {step.operation}", state, detail)
                )
        for check in report.results:
            state = "passed" if check.ok else "failed"
            detail = "; ".join(check.read.problems) or f"answered {check.read.answered}"
            found.append(Outcome("lifecycle", f"results {check.variant.name}", state, detail))
        for scenario, why in report.skipped.items():
            found.append(Outcome("lifecycle", scenario, "skipped", why))
        return found

    def to_json(self) -> dict[str, Any]:
        lifecycle = self.lifecycle
        return {
            "target": self.target,
            "ok": self.ok,
            "notes": self.notes,
            "preflight": self.preflight,
            "stopped_by": self.stopped_by or None,
            "running_time_seconds": round(self.running_time, 1),
            "phases": self.phases,
            "test_cases": self.test_cases,
            "operations": {
                op: {
                    "state": outcome.state,
                    "detail": outcome.detail,
                    "sent": self.answers.get(op, Answers()).sent,
                    "accepted": self.answers.get(op, Answers()).accepted,
                }
                for op in self.operations
                for outcome in [self.operation_outcome(op)]
            },
            "skipped": self.skipped,
            "failures": [vars(f) for f in self.failures],
            "lifecycle": None
            if lifecycle is None
            else {
                "ok": lifecycle.ok,
                "steps": [
                    {**vars(s), "problems": list(s.problems), "ok": s.ok} for s in lifecycle.steps
                ],
                "skipped": lifecycle.skipped,
                "notes": lifecycle.notes,
                "result_variants": [
                    {
                        "variant": c.variant.name,
                        "schema": c.variant.schema,
                        "answered": c.read.answered,
                        "problems": list(c.read.problems),
                        "ok": c.ok,
                    }
                    for c in lifecycle.results
                ],
            },
            "state_rules": self.rules,
            "behaviours": {name: vars(tally) for name, tally in self.behaviours.items()},
            "drift": self.drift,
            "jobs": {
                "created": self.created,
                "max_jobs": self.max_jobs,
                "left": self.left,
                "redirected_requests": self.redirected,
                "earlier_runs": [vars(r) for r in self.recovered],
            },
            "fail_on_drift": self.fail_on_drift,
            "outcomes": [vars(o) for o in self.outcomes()],
            "warnings": self.warnings,
            "errors": self.errors,
        }

    def to_json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write a sibling temp file, then rename: readers see the old file or the whole new one."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def _operation_of(curl: str, templates: list[str]) -> str | None:
    """ "METHOD /template" for a reproducing curl command (stateful failures name no op)."""
    target = _CURL_TARGET.search(curl)
    if target is None:
        return None
    method, url = target.group(1).upper(), urlsplit(target.group(2)).path
    for operation in templates:
        op_method, template = operation.split(" ", 1)
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)) + "$"
        if op_method == method and re.search(pattern, url):
            return operation
    return None


def _failures_from_junit(junit: Path, operations: list[str]) -> list[Failure]:
    try:
        root = ET.parse(junit).getroot()
    except ET.ParseError:  # cut short by a stop
        return []
    found: list[Failure] = []
    for case in root.iter("testcase"):
        for failure in case.iter("failure"):
            text = failure.text or ""
            found_curl = _CURL.search(text)
            # A stateful failure reproduces with several requests; the last one failed.
            curl = found_curl.group(1).strip().splitlines()[-1].strip() if found_curl else None
            name = case.get("name", "?")
            if curl and name not in operations:
                name = _operation_of(curl, operations) or name
            for code, title in _CODE.findall(text):
                found.append(Failure(operation=name, code=code, title=title.strip(), curl=curl))
    return found


def _rule_tally(events_path: Path) -> dict[str, dict[str, dict[str, int]]]:
    """operationId -> state -> {"ok": n, "failed": n}, for every rule (zeros included)."""
    tally: dict[str, dict[str, dict[str, int]]] = {
        op: {state: {"ok": 0, "failed": 0} for state in rule.answers} for op, rule in RULES.items()
    }
    for event in events.read(events_path, "rule"):
        if event["operation"] in tally and event["state"]:
            tally[event["operation"]][event["state"]]["ok" if event["ok"] else "failed"] += 1
    return tally


def _drift(events_path: Path) -> list[dict[str, str]]:
    seen: Counter[tuple[str, ...]] = Counter()
    first: dict[tuple[str, ...], dict[str, str]] = {}
    for event in events.read(events_path, "drift"):
        key = (event["operation"], event["kind"], event["where"], event["value"])
        seen[key] += 1
        first.setdefault(key, {k: v for k, v in event.items() if k != "event"})
    return [{**first[key], "seen": str(seen[key])} for key in sorted(first)]


def _behaviours(events_path: Path) -> dict[str, Tally]:
    tally: dict[str, Tally] = {}
    for event in events.read(events_path, "behaviour"):
        name = str(event.get("behaviour"))
        tally.setdefault(name, Tally()).add(event.get("ok") is True, event.get("problem"))
    return tally


def _answers(events_path: Path) -> dict[str, Answers]:
    names = spec_operations()
    tally: dict[str, Answers] = {}
    for event in events.read(events_path, "answer"):
        name = names.get(str(event["operation"]))
        if name is None:
            continue
        answers = tally.setdefault(name, Answers())
        status = int(event["status"])
        answers.sent += 1
        answers.accepted += 200 <= status < 300
        if status in NOT_REACHED:
            answers.refused[status] += 1
    return tally


def _read_report(path: Path) -> dict[str, Any]:
    """schemathesis' report.json, or {} when it is missing or cut short (a stopped run)."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return report if isinstance(report, dict) else {}


def summarise(summary: Summary, work: Path, events_path: Path) -> Summary:
    """Fill `summary` in from the fuzzing reports in `work` (if that phase wrote them) and
    the run's events."""
    summary.rules = _rule_tally(events_path)
    summary.drift = _drift(events_path)
    summary.answers = _answers(events_path)
    summary.behaviours = _behaviours(events_path)
    summary.redirected = sum(1 for _ in events.read(events_path, "redirected"))
    report = _read_report(work / "report.json")
    summary.phases = {n: str(p.get("status")) for n, p in report.get("phases", {}).items()}
    summary.test_cases = {k: int(v) for k, v in report.get("test_cases", {}).items()}
    summary.warnings = {k: list(v) for k, v in report.get("warnings", {}).items() if v}
    summary.errors = [json.dumps(e)[:500] for e in report.get("errors", [])]
    summary.running_time = float(report.get("running_time", 0.0))
    junit = work / "schemathesis.junit.xml"
    if junit.exists():
        summary.failures = _failures_from_junit(junit, summary.operations)
    # Operations outside the spec (e.g. OPTIONS probes of unsupported methods) get rows too.
    summary.operations += sorted({f.operation for f in summary.failures} - set(summary.operations))
    return summary
