"""docs/checker-comparison.md: what ran, the table of verdicts and the baseline outcomes."""

from __future__ import annotations

import shlex
import statistics
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tools.compare_checkers.judge import CAUGHT, ERROR, Verdict
from tools.compare_checkers.model import ROOT, Checker, CheckerRun, Target
from tools.compare_checkers.schedule import Results
from tools.compare_checkers.variants import Variant


@dataclass(frozen=True)
class Page:
    """Everything the page says, gathered by the command line."""

    registry: str  # MODULE:NAME
    registry_file: str
    invocation: str
    variants: list[Variant]
    checkers: list[Checker]
    results: Results
    verdicts: Mapping[tuple[str, str], Verdict]
    versions: Mapping[str, str]
    baseline_runs: int
    jobs: int
    headers: Mapping[str, str]
    date: str


def markdown(page: Page) -> str:
    """The whole page."""
    parts = [
        _intro(page),
        _table(page),
        _baseline(page),
        _what_ran(page),
    ]
    return "\n".join(parts).rstrip() + "\n"


def _intro(page: Page) -> str:
    v = page.versions
    paragraphs = [
        f"Written by `{page.invocation}` on {page.date} (commit `{v.get('commit', '?')}`); "
        "do not edit it by hand, run that again.",
        f"Each variant of `{page.registry_file}` (`{page.registry}`) is an ASGI middleware "
        "around the correct mock that makes it break one documented rule. Three checkers ran "
        f"against the correct mock (the baseline, {_count(page.baseline_runs, 'run')} each) "
        "and against every variant: ours (the kit's contract run, qiskit-runtime-jobs "
        f"{v.get('qiskit-runtime-jobs', '?')}), plain schemathesis {v.get('schemathesis', '?')} "
        f"and Specmatic {v.get('specmatic', '?')}. Every run is a subprocess with a time limit, "
        "against its own fresh mock on 127.0.0.1 with the service-like defaults "
        "(`MockConfig()`: 5 creates per minute, jobs queued about 1 s and running about 3 s), "
        f"{_count(page.jobs, 'run')} at a time.",
    ]
    rules = [
        "What counts as caught:",
        "- ours: the run exits 1 where every baseline run exits 0;",
        "- schemathesis and Specmatic: the run reports a failure that no baseline run reported "
        "(schemathesis: check code and operation; Specmatic: the operation and status tested, "
        "where the answer failed and the rule), since both report failures on the correct "
        "mock too (below).",
        "",
        "A caught cell names the first distinguishing failure; `error` means the run could "
        "not be judged (it timed out, crashed or left no report).",
    ]
    text = ["# Checker comparison: wrong-behaviour variants of the mock", ""]
    for paragraph in paragraphs:
        text += [_wrap(paragraph), ""]
    text += [_wrap(line, indent="  " if line.startswith("- ") else "") for line in rules]
    return "\n".join(text) + "\n"


def _table(page: Page) -> str:
    titles = [c.title for c in page.checkers]
    lines = [
        "## Results",
        "",
        "| variant | what it breaks | " + " | ".join(titles) + " |",
        "| --- | --- | " + " | ".join("---" for _ in titles) + " |",
    ]
    for variant in page.variants:
        cells = [_cell(page.verdicts[(variant.name, c.name)]) for c in page.checkers]
        lines.append(
            f"| `{variant.name}` | {_escape(variant.breaks)} | " + " | ".join(cells) + " |"
        )
    totals = []
    for checker in page.checkers:
        verdicts = [page.verdicts[(v.name, checker.name)] for v in page.variants]
        caught = sum(x.outcome == CAUGHT for x in verdicts)
        errors = sum(x.outcome == ERROR for x in verdicts)
        total = f"**{caught}/{len(verdicts)}** caught"
        totals.append(total + (f" ({errors} error)" if errors else ""))
    count = _count(len(page.variants), "variant")
    lines.append(f"| **total** | {count} | " + " | ".join(totals) + " |")
    return "\n".join(lines) + "\n"


def _cell(verdict: Verdict) -> str:
    if verdict.outcome == CAUGHT:
        return f"caught: {_escape(verdict.why)}"
    if verdict.outcome == ERROR:
        return f"error: {_escape(verdict.why)}"
    return "missed"


def _baseline(page: Page) -> str:
    lines = [
        "## On the correct mock",
        "",
        "What each checker reported on the correct mock: failures here are the checker's false",
        "positives, and do not count against a variant.",
        "",
        "| checker | run | exit status | outcome | failures reported |",
        "| --- | --: | --: | --- | --- |",
    ]
    for checker in page.checkers:
        for number, run in enumerate(page.results.baselines.get(checker.name, []), start=1):
            failures = "; ".join(_escape(f.detail) for f in run.failures[:8]) or "none"
            if len(run.failures) > 8:
                failures += f"; … ({len(run.failures)} in all)"
            outcome = _escape(run.error or run.summary)
            lines.append(f"| {checker.title} | {number} | {_exit(run)} | {outcome} | {failures} |")
    return "\n".join(lines) + "\n"


def _what_ran(page: Page) -> str:
    placeholder = Target("URL", dict(page.headers))
    lines = [
        "## What ran",
        "",
        _wrap(
            "`URL` is the run's mock (`http://127.0.0.1:PORT/api/v1`), `TMP` the run's own "
            "temporary directory (its working directory, with its reports)."
        ),
        "",
    ]
    for checker in page.checkers:
        runs = [r for (_, name), r in page.results.runs.items() if name == checker.name]
        runs += page.results.baselines.get(checker.name, [])
        median = f"{statistics.median(r.seconds for r in runs):.0f} s" if runs else "-"
        lines += [
            f"### {checker.title}",
            "",
            f"Time limit {checker.time_limit:.0f} s; median run {median}.",
            "",
            "```sh",
            _shown(checker.command(placeholder, Path("TMP"))),
            "```",
            "",
        ]
        lines += [
            _wrap(f"- {key}: {value}", indent="  ") for key, value in checker.settings.items()
        ]
        lines += ["", _wrap(checker.notes), ""] if checker.notes else [""]
    v = page.versions
    wall = page.results.seconds
    count = len(page.results.runs) + sum(len(r) for r in page.results.baselines.values())
    lines += [
        "### Machine",
        "",
        f"Java: {v.get('java', '?')}; Node {v.get('node', '?')}; Python {v.get('python', '?')}.",
        f"Wall time: {minutes_seconds(wall)} for {count} runs.",
    ]
    return "\n".join(lines) + "\n"


def _shown(command: list[str]) -> str:
    """A command as a reader would type it: `python`, paths from the repo root."""
    shown = ["python" if arg == sys.executable else arg for arg in command]
    root = f"{ROOT}/"
    return shlex.join(arg.replace(root, "") for arg in shown)


def _exit(run: CheckerRun) -> str:
    return "killed" if run.exit_code is None else str(run.exit_code)


def minutes_seconds(seconds: float) -> str:
    """`19 min 60 s` never: round first, then split."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _wrap(text: str, indent: str = "") -> str:
    """A paragraph or list item wrapped as the repo's docs are (100 columns)."""
    return textwrap.fill(
        text, width=100, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def _escape(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
