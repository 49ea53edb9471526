"""Turn schemathesis' JSON and JUnit reports into a short, readable verdict."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    phases: dict[str, str]
    test_cases: dict[str, int]
    failures: list[Failure] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    running_time: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "ok": self.ok,
            "running_time_seconds": round(self.running_time, 1),
            "phases": self.phases,
            "test_cases": self.test_cases,
            "operations": {op: self.codes_for(op) for op in self.operations},
            "failures": [vars(f) for f in self.failures],
            "warnings": self.warnings,
            "errors": self.errors,
        }

    def codes_for(self, operation: str) -> list[str]:
        return sorted({f"{f.code} {f.title}" for f in self.failures if f.operation == operation})


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
                found.append(
                    Failure(
                        operation=name,
                        code=code,
                        title=title.strip(),
                        curl=curl,
                    )
                )
    return found


def summarise(
    target: str, json_report: Path, junit: Path, templates: list[str], only_tested: bool
) -> Summary:
    """Read both reports of one run.

    `templates` ("METHOD /path" of every spec operation) name the failures; each gets a row,
    or only those the run tested when `only_tested` (a filtered or read-only run).
    """
    report = json.loads(json_report.read_text(encoding="utf-8"))
    failures = _failures_from_junit(junit, templates) if junit.exists() else []
    tested = set(report.get("valid_rates", {}))
    operations = [op for op in templates if op in tested] if only_tested else templates
    known = set(operations)
    # Operations outside the spec (e.g. OPTIONS probes of unsupported methods) get rows too.
    extra = sorted({f.operation for f in failures} - known)
    return Summary(
        target=target,
        operations=[*operations, *extra],
        phases={name: str(p.get("status")) for name, p in report.get("phases", {}).items()},
        test_cases={k: int(v) for k, v in report.get("test_cases", {}).items()},
        failures=failures,
        warnings={k: list(v) for k, v in report.get("warnings", {}).items() if v},
        errors=[json.dumps(e)[:500] for e in report.get("errors", [])],
        running_time=float(report.get("running_time", 0.0)),
    )


def render(summary: Summary, checks: list[str]) -> str:
    """The terminal/markdown table: operations x checks, then failures with curl commands."""
    width = max(len(op) for op in summary.operations) if summary.operations else 10
    phases = "  ".join(f"{n}: {s}" for n, s in summary.phases.items())
    cases = summary.test_cases
    lines = [
        f"Contract run against {summary.target}",
        f"checks: {', '.join(checks)}",
        f"phases: {phases}",
        f"test cases: {cases.get('generated', 0)} generated, "
        f"{cases.get('with_failures', 0)} with failures "
        f"({summary.running_time:.0f}s)",
        "",
        f"{'operation'.ljust(width)} | verdict",
        f"{'-' * width}-+-{'-' * 40}",
    ]
    for op in summary.operations:
        codes = summary.codes_for(op)
        verdict = "all checks passed" if not codes else "FAILED: " + "; ".join(codes)
        lines.append(f"{op.ljust(width)} | {verdict}")
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
    for error in summary.errors:
        lines.append(f"error: {error}")
    lines += ["", "RESULT: " + ("PASS" if summary.ok else "FAIL")]
    return "\n".join(lines)
