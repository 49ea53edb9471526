"""`python -m tools.compare_checkers`: run the comparison, write the page (and the JSON).

Exit status: 0 when every run could be judged, 1 when some could not (the page is written
all the same and says which), 2 for bad usage or a missing install, 130 after Ctrl+C.
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig
from tools.compare_checkers import ours, plain_schemathesis, render, specmatic, variants
from tools.compare_checkers.judge import CAUGHT, ERROR, Verdict, judge
from tools.compare_checkers.model import Checker
from tools.compare_checkers.schedule import Results, Task, run_all, tasks_for
from tools.compare_checkers.versions import versions

CHECKERS: dict[str, Checker] = {
    c.name: c for c in (ours.CHECKER, plain_schemathesis.CHECKER, specmatic.CHECKER)
}
EXIT_UNJUDGED, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


def parser() -> argparse.ArgumentParser:
    """The options."""
    p = argparse.ArgumentParser(
        prog="python -m tools.compare_checkers",
        description="Compare how ours, plain schemathesis and Specmatic catch wrong-behaviour "
        "variants of the mock; write the table for the docs.",
    )
    p.add_argument(
        "--variants",
        default=variants.DEFAULT_REGISTRY,
        metavar="MODULE:NAME",
        help=f"the registry of variants (default {variants.DEFAULT_REGISTRY})",
    )
    p.add_argument(
        "--only", nargs="+", action="extend", default=[], metavar="NAME", help="these variants"
    )
    p.add_argument(
        "--checker",
        action="append",
        choices=list(CHECKERS),
        default=[],
        help="run only this checker (repeatable; default all three)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("docs/checker-comparison.md"),
        metavar="PATH",
        help="the page (default docs/checker-comparison.md)",
    )
    p.add_argument("--json", type=Path, default=None, metavar="PATH", help="the raw results")
    p.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2)")
    p.add_argument(
        "--baseline-runs",
        type=int,
        default=2,
        help="runs of each checker on the correct mock; their failures are pooled, so one "
        "that comes and goes with timing is not taken for a catch (default 2)",
    )
    p.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep every run's files (reports, output) in DIR instead of a temporary one",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison; see the module docstring for the exit status."""
    args = parser().parse_args(argv)
    if args.jobs < 1 or args.baseline_runs < 1:
        return _usage("--jobs and --baseline-runs must be at least 1")
    try:
        source, registry = variants.load(args.variants)
        chosen = variants.select(registry, args.only)
    except variants.RegistryError as exc:
        return _usage(str(exc))
    checkers = [CHECKERS[name] for name in CHECKERS if not args.checker or name in args.checker]
    if specmatic.CHECKER in checkers and not specmatic.installed():
        return _usage(
            "Specmatic needs its npm package and java on PATH: "
            "npm ci --prefix tools/compare_checkers (or make compare-checkers)"
        )
    tasks = tasks_for(chosen, checkers, args.baseline_runs)
    print(
        f"compare-checkers: {len(chosen)} variant(s) of {source}, "
        f"{', '.join(c.title for c in checkers)}; {len(tasks)} runs, {args.jobs} at a time",
        flush=True,
    )
    signal.signal(signal.SIGTERM, _interrupt)  # a `kill` ends the runs too, as Ctrl+C does
    try:
        results = _run(tasks, args.jobs, args.keep)
    except KeyboardInterrupt:
        print("compare-checkers: interrupted; every run was stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    verdicts = {
        (v.name, c.name): judge(
            c.rule, results.runs[(v.name, c.name)], results.baselines.get(c.name, [])
        )
        for v in chosen
        for c in checkers
    }
    page = render.Page(
        registry=args.variants,
        registry_file=source,
        invocation=_invocation(argv),
        variants=chosen,
        checkers=checkers,
        results=results,
        verdicts=verdicts,
        versions=versions(),
        baseline_runs=args.baseline_runs,
        jobs=args.jobs,
        headers=_mock_headers(),
        date=datetime.now(UTC).strftime("%Y-%m-%d"),
    )
    _write(args.out, render.markdown(page))
    if args.json is not None:
        _write(args.json, json.dumps(raw(page), indent=2) + "\n")
    print(f"compare-checkers: wrote {args.out} ({render.minutes_seconds(results.seconds)})")
    for checker in checkers:
        caught = sum(verdicts[(v.name, checker.name)].outcome == CAUGHT for v in chosen)
        print(f"  {checker.title}: {caught}/{len(chosen)} caught")
    unjudged = any(v.outcome == ERROR for v in verdicts.values())
    return EXIT_UNJUDGED if unjudged else 0


def _run(tasks: list[Task], jobs: int, keep: Path | None) -> Results:
    """Every run, its files in `keep` or in a temporary directory removed afterwards."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return run_all(tasks, jobs, keep.resolve(), _say)
    with tempfile.TemporaryDirectory(prefix="compare-checkers-") as workroot:
        return run_all(tasks, jobs, Path(workroot), _say)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _usage(message: str) -> int:
    print(f"compare-checkers: {message}", file=sys.stderr)
    return EXIT_USAGE


def raw(page: render.Page) -> dict[str, Any]:
    """`--json`: every run and verdict, the versions and the options."""
    results: Results = page.results

    def verdict(v: Verdict) -> dict[str, Any]:
        return {
            "outcome": v.outcome,
            "why": v.why,
            "distinguishing": [{"key": f.key, "detail": f.detail} for f in v.distinguishing],
        }

    return {
        "registry": page.registry,
        "registry_file": page.registry_file,
        "date": page.date,
        "versions": dict(page.versions),
        "jobs": page.jobs,
        "wall_seconds": round(results.seconds, 1),
        "checkers": {
            c.name: {"time_limit": c.time_limit, "rule": c.rule, "settings": c.settings}
            for c in page.checkers
        },
        "baseline": {
            name: [run.to_json() for run in runs] for name, runs in results.baselines.items()
        },
        "variants": {
            v.name: {
                "breaks": v.breaks,
                "runs": {
                    c.name: {
                        **results.runs[(v.name, c.name)].to_json(),
                        "verdict": verdict(page.verdicts[(v.name, c.name)]),
                    }
                    for c in page.checkers
                },
            }
            for v in page.variants
        },
    }


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    """SIGTERM: stop as on Ctrl+C, so no checker or mock outlives the comparison."""
    raise KeyboardInterrupt


def _say(line: str) -> None:
    print(line, flush=True)


def _mock_headers() -> dict[str, str]:
    """The three headers of a default mock, for the commands the page shows."""
    return {
        "Authorization": f"Bearer {DEFAULT_TOKEN}",
        "Service-CRN": DEFAULT_CRN,
        "IBM-API-Version": MockConfig().min_api_version.isoformat(),
    }


def _invocation(argv: Sequence[str] | None) -> str:
    args = list(sys.argv[1:] if argv is None else argv)
    return shlex.join(["python", "-m", "tools.compare_checkers", *args])
