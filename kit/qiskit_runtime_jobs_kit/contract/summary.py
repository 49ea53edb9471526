"""Turn one run's reports and events into a short, readable verdict (and its JSON twin)."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..spec import spec_operations
from . import events
from .lifecycle import LifecycleReport
from .rules import RULES

_CURL = re.compile(r"Reproduce with:\s*\n((?:\s*curl .+\n?)+)")
_CURL_TARGET = re.compile(r"curl -X (\w+) .*?'?(https?://[^\s']+)'?\s*$")
_CODE = re.compile(r"^- (ST\d+|[A-Za-z_]+) (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Failure:
    """One failing check on one operation, with a command that reproduces it."""

    operation: str
    code: str
    title: str
    curl: str | None


@dataclass
class Summary:
    """What a contract run found, in the shape the terminal table and summary.json need."""

    target: str
    operations: list[str]
    skipped: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)
    test_cases: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    running_time: float = 0.0
    lifecycle: LifecycleReport | None = None
    rules: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    drift: list[dict[str, str]] = field(default_factory=list)
    created: int = 0
    max_jobs: int | None = None
    left: list[str] = field(default_factory=list)
    fail_on_drift: bool = False
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not (
            self.failures
            or self.errors
            or self.left
            or self.interrupted
            or (self.lifecycle is not None and not self.lifecycle.ok)
            or (self.fail_on_drift and self.drift)
        )

    def codes_for(self, operation: str) -> list[str]:
        codes = {f"{f.code} {f.title}" for f in self.failures if f.operation == operation}
        if self.lifecycle is not None:
            for step in self.lifecycle.steps:
                if step.operation == operation and not step.ok:
                    codes.add(f"lifecycle {step.scenario}: " + "; ".join(step.problems))
        return sorted(codes)

    def to_json(self) -> dict[str, Any]:
        lifecycle = self.lifecycle
        return {
            "target": self.target,
            "ok": self.ok,
            "notes": self.notes,
            "running_time_seconds": round(self.running_time, 1),
            "phases": self.phases,
            "test_cases": self.test_cases,
            "operations": {op: self.codes_for(op) for op in self.operations},
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
            "drift": self.drift,
            "jobs": {"created": self.created, "max_jobs": self.max_jobs, "left": self.left},
            "fail_on_drift": self.fail_on_drift,
            "interrupted": self.interrupted,
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
    found: list[Failure] = []
    for case in ET.parse(junit).getroot().iter("testcase"):
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
    for event in events.read(events_path):
        if event["event"] == "rule" and event["operation"] in tally and event["state"]:
            tally[event["operation"]][event["state"]]["ok" if event["ok"] else "failed"] += 1
    return tally


def _drift(events_path: Path) -> list[dict[str, str]]:
    seen: Counter[tuple[str, ...]] = Counter()
    first: dict[tuple[str, ...], dict[str, str]] = {}
    for event in events.read(events_path):
        if event["event"] == "drift":
            key = (event["operation"], event["kind"], event["where"], event["value"])
            seen[key] += 1
            first.setdefault(key, {k: v for k, v in event.items() if k != "event"})
    return [{**first[key], "seen": str(seen[key])} for key in sorted(first)]


def summarise(
    *,
    target: str,
    work: Path,
    fuzzed: bool,
    skipped: dict[str, str],
    notes: list[str],
    events_path: Path,
    lifecycle: LifecycleReport | None,
    created: int,
    max_jobs: int | None,
    left: list[str],
    fail_on_drift: bool,
    interrupted: bool,
) -> Summary:
    """Read the fuzzing reports (if that phase ran) and the run's events."""
    templates = list(spec_operations().values())
    summary = Summary(
        target=target,
        operations=templates,
        skipped=skipped,
        notes=notes,
        lifecycle=lifecycle,
        rules=_rule_tally(events_path),
        drift=_drift(events_path),
        created=created,
        max_jobs=max_jobs,
        left=left,
        fail_on_drift=fail_on_drift,
        interrupted=interrupted,
    )
    report_path, junit = work / "report.json", work / "junit.xml"
    if report_path.exists():
        report = json.loads(report_path.read_text(encoding="utf-8"))
        summary.phases = {n: str(p.get("status")) for n, p in report.get("phases", {}).items()}
        summary.test_cases = {k: int(v) for k, v in report.get("test_cases", {}).items()}
        summary.warnings = {k: list(v) for k, v in report.get("warnings", {}).items() if v}
        summary.errors = [json.dumps(e)[:500] for e in report.get("errors", [])]
        summary.running_time = float(report.get("running_time", 0.0))
    elif fuzzed and not interrupted:
        summary.errors.append("the fuzzing phase wrote no report (see its output above)")
    if junit.exists():
        summary.failures = _failures_from_junit(junit, templates)
    # Operations outside the spec (e.g. OPTIONS probes of unsupported methods) get rows too.
    extra = sorted({f.operation for f in summary.failures} - set(templates))
    summary.operations += extra
    return summary


def _verdict(summary: Summary, op: str) -> str:
    codes = summary.codes_for(op)
    if codes:
        return "FAILED: " + "; ".join(codes)
    if op in summary.skipped:
        return "skipped: " + summary.skipped[op]
    return "all checks passed"


def _result_variants(lifecycle: LifecycleReport) -> list[str]:
    """A row per result variant read, so a run shows which `JobResults` shapes it covered."""
    lines = ["", "Result variants (a completed job's results, matched to their JobResults schema):"]
    for check in lifecycle.results:
        verdict = "passed" if check.ok else "FAILED: " + "; ".join(check.read.problems)
        lines.append(f"- {check.variant.name} ({check.variant.schema}): {verdict}")
    if not lifecycle.results:
        lines.append(f"- none read ({lifecycle.skipped.get('results', 'no lifecycle phase')})")
    return lines


def render(summary: Summary, checks: list[str]) -> str:
    """The terminal/markdown report: notes, operations, lifecycle, rules, jobs, drift, verdict."""
    width = max(len(op) for op in summary.operations)
    cases = summary.test_cases
    lines = [f"Contract run against {summary.target}"]
    lines += [f"NOTE: {note}" for note in summary.notes]
    lines += [
        f"checks: {', '.join(checks)}",
        "phases: " + ("  ".join(f"{n}: {s}" for n, s in summary.phases.items()) or "none ran"),
        f"test cases: {cases.get('generated', 0)} generated, "
        f"{cases.get('with_failures', 0)} with failures ({summary.running_time:.0f}s)",
        "",
        f"{'operation'.ljust(width)} | verdict",
        f"{'-' * width}-+-{'-' * 40}",
    ]
    lines += [f"{op.ljust(width)} | {_verdict(summary, op)}" for op in summary.operations]
    if summary.lifecycle is not None:
        lines += ["", "Lifecycle phase (real jobs through the page's states):"]
        for name in dict.fromkeys(s.scenario for s in summary.lifecycle.steps):
            steps = [s for s in summary.lifecycle.steps if s.scenario == name]
            bad = [s for s in steps if not s.ok]
            lines.append(f"- {name}: {len(steps) - len(bad)}/{len(steps)} steps passed")
            lines += [f"    {s.operation} -> {s.answered}: {'; '.join(s.problems)}" for s in bad]
        lines += [f"- {n}: skipped ({why})" for n, why in summary.lifecycle.skipped.items()]
        lines += _result_variants(summary.lifecycle)
    lines += ["", "State rules (answers judged for the job's state; 0 = not exercised):"]
    for op, states in summary.rules.items():
        cells = ", ".join(
            f"{state} {n['ok']} ok" + (f" {n['failed']} FAILED" if n["failed"] else "")
            for state, n in states.items()
        )
        lines.append(f"- {op}: {cells}")
    budget = "no budget" if summary.max_jobs is None else f"budget {summary.max_jobs}"
    lines += [
        "",
        f"Jobs: {summary.created} created ({budget}), {summary.created - len(summary.left)} "
        f"cleaned up, {len(summary.left)} left"
        + (f": {', '.join(summary.left)}" if summary.left else ""),
    ]
    verdict = "failure (--fail-on-drift)" if summary.fail_on_drift else "warning"
    lines += [
        "",
        f"Drift: {len(summary.drift)} thing(s) the target returned that the spec lacks ({verdict})",
    ]
    lines += [
        f"- {d['operation']}: {d['kind']} {d['value']!r} at {d['where']} (seen {d['seen']}x)"
        for d in summary.drift
    ]
    if summary.failures:
        lines += ["", "Failures (reproduce with):"]
        seen: set[tuple[str, str]] = set()
        for f in summary.failures:
            if (f.operation, f.code) in seen:
                continue
            seen.add((f.operation, f.code))
            lines.append(f"- {f.operation}: {f.code} {f.title}")
            if f.curl:
                lines.append(f"    {f.curl}")
    for name, items in summary.warnings.items():
        lines.append(f"warning {name}: {', '.join(items)}")
    lines += [f"error: {error}" for error in summary.errors]
    if summary.interrupted:
        lines.append("INTERRUPTED: the run did not finish")
    lines += ["", "RESULT: " + ("PASS" if summary.ok else "FAIL")]
    return "\n".join(lines)
