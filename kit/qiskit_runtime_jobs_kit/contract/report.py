"""The verdict for people and for CI tools: GitHub-flavoured Markdown and junit.xml.

Both render the same `Summary.outcomes()`, so a failure in one is a failure in the other.
The Markdown is also what the terminal shows: plain enough to read there, and real tables,
headings and code blocks once rendered (a CI job summary, a pull request comment).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime

from .driver import LifecycleReport
from .rules import BEHAVIOURS
from .summary import Outcome, Summary

TITLE = "qiskit-runtime-jobs contract"


def cell(text: object) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] * len(header)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return lines


def _verdict_cell(outcome: Outcome) -> str:
    if outcome.state == "failed":
        return f"**FAILED**: {outcome.detail}"
    return f"skipped: {outcome.detail}" if outcome.state == "skipped" else "passed"


def _operation_cell(outcome: Outcome, accepted: int) -> str:
    if outcome.state == "passed" and not accepted:
        return "passed (only error answers: the target accepted none)"
    return _verdict_cell(outcome)


def markdown(summary: Summary) -> str:
    """The whole report, ending in the verdict line `RESULT: PASS` or `RESULT: FAIL`."""
    verdict = "PASS" if summary.ok else "FAIL"
    lines = [f"# Contract run: {verdict}", "", f"Target: `{summary.target}`", ""]
    for note in summary.notes:
        lines += [f"> **Note:** {note}", ""]
    run = [o for o in summary.outcomes() if o.suite == "run" and o.state == "failed"]
    for outcome in run:
        lines += [f"- **{outcome.name} FAILED:** {cell(outcome.detail)}"]
    if run:
        lines.append("")
    cases = summary.test_cases
    phases = ", ".join(f"{name} {status}" for name, status in summary.phases.items())
    lines += [
        f"- Checks: {', '.join(summary.checks)}",
        f"- Phases: {phases or 'none ran'}",
        f"- Test cases: {cases.get('generated', 0)} generated, "
        f"{cases.get('with_failures', 0)} with failures ({summary.running_time:.0f} s)",
        "",
        "## Operations",
        "",
    ]
    rows = []
    for operation in summary.operations:
        outcome = summary.operation_outcome(operation)
        answers = summary.answers.get(operation)
        sent, accepted = (answers.sent, answers.accepted) if answers else (0, 0)
        rows.append(
            [f"`{operation}`", str(sent), str(accepted), _operation_cell(outcome, accepted)]
        )
    lines += _table(
        ["operation", "sent", "accepted", "verdict"], rows, ["---", "--:", "--:", "---"]
    )
    lines += ["", "*sent*: answers received; *accepted*: 2xx answers.", ""]
    if summary.lifecycle is not None:
        lines += _lifecycle(summary.lifecycle)
    lines += _behaviours(summary)
    lines += _rules(summary) + _jobs(summary) + _drift(summary) + _failures(summary)
    for name, items in summary.warnings.items():
        lines += [f"- warning `{name}`: {cell(', '.join(items))}"]
    lines += [f"- error: {cell(error)}" for error in summary.errors]
    if summary.warnings or summary.errors:
        lines.append("")
    lines.append(f"RESULT: {verdict}")
    return "\n".join(lines) + "\n"


def _lifecycle(report: LifecycleReport) -> list[str]:
    lines = ["## Lifecycle", "", "Real jobs walked through the page's states.", ""]
    rows = []
    for scenario, steps in report.scenario_steps().items():
        good = sum(step.ok for step in steps)
        notes = "; ".join(report.notes.get(scenario, []))
        rows.append([scenario, f"{good}/{len(steps)} steps passed", notes])
    rows += [[name, "skipped", why] for name, why in report.skipped.items()]
    lines += _table(["scenario", "steps", "notes"], rows)
    bad = [step for step in report.steps if not step.ok]
    if bad:
        lines += ["", "Failed steps:", ""]
        lines += [
            f"- {step.scenario}: `{step.operation}` -> {step.answered}: "
            f"{cell('; '.join(step.problems))}"
            for step in bad
        ]
    lines.append("")
    if report.results:
        lines += ["### Result variants", "", "A completed job's results, held to its variant.", ""]
        lines += _table(
            ["variant", "schema", "verdict"],
            [
                [
                    c.variant.name,
                    f"`{c.variant.schema}`",
                    "passed" if c.ok else "**FAILED**: " + "; ".join(c.read.problems),
                ]
                for c in report.results
            ],
        )
        lines.append("")
    return lines


def _behaviours(summary: Summary) -> list[str]:
    rows = []
    for behaviour, words in BEHAVIOURS.items():
        outcome = summary.behaviour_outcome(behaviour)
        tally = summary.behaviours.get(behaviour)
        judged = str(tally.judged) if tally else "0"
        rows.append([behaviour, judged, _verdict_cell(outcome), words])
    lines = [
        "## Behaviours",
        "",
        "What the service does, judged on every answer of the run, fuzzed or played "
        "(*judged*: answers that showed it).",
        "",
    ]
    return lines + _table(["behaviour", "judged", "verdict", "the page"], rows) + [""]


def _rules(summary: Summary) -> list[str]:
    states = list(dict.fromkeys(s for rule in summary.rules.values() for s in rule))
    rows = [
        [f"`{op}`"]
        + [
            f"{n['ok']} ok" + (f", {n['failed']} FAILED" if n["failed"] else "")
            for state in states
            for n in [tally.get(state, {"ok": 0, "failed": 0})]
        ]
        for op, tally in summary.rules.items()
    ]
    lines = ["## State rules", "", "Answers judged for the job's state (0: not exercised).", ""]
    return lines + _table(["operation", *states], rows) + [""]


def _jobs(summary: Summary) -> list[str]:
    budget = "no budget" if summary.max_jobs is None else f"budget {summary.max_jobs}"
    cleaned = summary.created - len(summary.left)
    lines = [
        "## Jobs",
        "",
        f"- {summary.created} created ({budget}), {cleaned} cleaned up, {len(summary.left)} left"
        + (f": {', '.join(summary.left)}" if summary.left else ""),
        f"- {summary.redirected} request(s) meant for jobs this run did not create went to an "
        "id no job has instead (the own-jobs rule)",
    ]
    for rec in summary.recovered:
        started = datetime.fromtimestamp(rec.started, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        lines.append(
            f"- an earlier run ({rec.run_id}, started {started}) left {len(rec.found)} job(s): "
            + (
                f"{len(rec.left)} still left: {', '.join(rec.left)}"
                if rec.left
                else "all cleaned up"
            )
        )
    return [*lines, ""]


def _drift(summary: Summary) -> list[str]:
    verdict = "a failure (--fail-on-drift)" if summary.fail_on_drift else "a warning"
    lines = [
        "## Drift",
        "",
        f"{len(summary.drift)} thing(s) the target returned that the spec lacks ({verdict}).",
    ]
    if summary.drift:
        lines.append("")
        lines += [
            f"- `{d['operation']}`: {d['kind']} `{d['value']}` at `{d['where']}` "
            f"(seen {d['seen']}x)"
            for d in summary.drift
        ]
    return [*lines, ""]


def _failures(summary: Summary) -> list[str]:
    if not summary.failures:
        return []
    lines = ["## Failures", "", "Each with a command that reproduces it.", ""]
    seen: set[tuple[str, str]] = set()
    for failure in summary.failures:
        if (failure.operation, failure.code) in seen:
            continue
        seen.add((failure.operation, failure.code))
        lines.append(f"- `{failure.operation}`: {failure.code} {cell(failure.title)}")
        if failure.curl:
            lines += ["", "  ```sh", f"  {failure.curl}", "  ```", ""]
    return [*lines, ""]


# What XML 1.0 cannot carry (a target's message may hold anything): control characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit(summary: Summary) -> str:
    """junit.xml: one test case per outcome, in a test suite per kind (run, operations,
    lifecycle); failures and skips carry the reason."""
    outcomes = summary.outcomes()
    root = ET.Element("testsuites", name=TITLE)
    suites: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        suites.setdefault(outcome.suite, []).append(outcome)
    for name, members in suites.items():
        counts = Counter(o.state for o in members)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=name,
            tests=str(len(members)),
            failures=str(counts["failed"]),
            skipped=str(counts["skipped"]),
            errors="0",
        )
        for outcome in members:
            case = ET.SubElement(
                suite, "testcase", classname=f"contract.{name}", name=_xml_text(outcome.name)
            )
            detail = _xml_text(outcome.detail)
            if outcome.state == "failed":
                ET.SubElement(case, "failure", message=detail[:500]).text = detail
            elif outcome.state == "skipped":
                ET.SubElement(case, "skipped", message=detail[:500])
            else:
                ET.SubElement(case, "system-out").text = detail
    counts = Counter(o.state for o in outcomes)
    root.set("tests", str(len(outcomes)))
    root.set("failures", str(counts["failed"]))
    root.set("skipped", str(counts["skipped"]))
    root.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
