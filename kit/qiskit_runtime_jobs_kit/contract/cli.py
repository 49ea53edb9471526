"""`qiskit-runtime-jobs contract`: check a Jobs API deployment against the curated spec.

    qiskit-runtime-jobs contract                       # the embedded mock (the CI job)
    qiskit-runtime-jobs contract --url URL             # any deployment, read-only
    qiskit-runtime-jobs contract --url URL --allow-create   # ... also create/cancel/delete
    qiskit-runtime-jobs contract --live                # IBM's service, read-only
    qiskit-runtime-jobs contract --live --allow-create --max-jobs 3 --backend ibm_x

Credentials for --url/--live: QISKIT_RUNTIME_CRN plus QISKIT_RUNTIME_TOKEN or
QISKIT_RUNTIME_API_KEY (optionally QISKIT_RUNTIME_IAM_URL). Exit status: 0 pass, 1 a contract
failure (or drift with --fail-on-drift), 2 bad usage, 130 interrupted (after cleanup).
"""

from __future__ import annotations

import argparse
import json
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from qiskit_runtime_jobs import REGION_BASE_URLS

from .lifecycle import example_body
from .runner import (
    PHASES,
    RunOptions,
    Target,
    TargetKind,
    embedded_mock,
    env_target,
    print_summary,
    run,
)

# Jobs a run may create when the caller names no budget (the embedded mock has none).
DEFAULT_MAX_JOBS = {"live": 3, "url": 5}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qiskit-runtime-jobs contract",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="base URL of the API, ending in /api/v1")
    where.add_argument("--live", action="store_true", help="IBM's service (opt-in)")
    parser.add_argument("--region", default="us-east", choices=sorted(REGION_BASE_URLS))
    parser.add_argument(
        "--allow-create",
        action="store_true",
        help="with --url/--live: also test operations that create or change jobs",
    )
    parser.add_argument(
        "--max-jobs",
        type=int,
        help="jobs the run may create in all (default: 3 with --live, 5 with --url, "
        "unlimited on the embedded mock); every one is cancelled and deleted at the end",
    )
    parser.add_argument(
        "--creates-per-minute", type=int, default=5, help="pace of creates (service: 5)"
    )
    parser.add_argument(
        "--job-timeout", type=float, default=300.0, help="longest wait for one job (seconds)"
    )
    parser.add_argument("--backend", help="backend for the jobs the run creates")
    parser.add_argument(
        "--job-body", type=Path, help="JSON file: the create request for the run's jobs"
    )
    parser.add_argument(
        "--fail-on-drift",
        action="store_true",
        help="fail when the target returns anything the spec lacks (default: a warning)",
    )
    parser.add_argument("--no-lifecycle", action="store_true", help="skip the lifecycle phase")
    parser.add_argument("--max-examples", type=int, help="override schemathesis.toml")
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help="fuzzing phases, comma-separated; empty: no fuzzing (default %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="schemathesis workers (1: hypothesis is not thread-safe on Python 3.11)",
    )
    parser.add_argument(
        "--operation-id",
        action="append",
        default=[],
        dest="operation_ids",
        help="test only this operation (repeatable)",
    )
    parser.add_argument(
        "--report-dir", type=Path, default=RunOptions().report_dir, help="default %(default)s"
    )
    parser.add_argument("--quiet", action="store_true", help="hide schemathesis' own output")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    kind: TargetKind = "live" if args.live else "url" if args.url else "embedded"
    if args.max_jobs is not None and args.max_jobs < 0:
        parser.error("--max-jobs must be >= 0")
    job_body = json.loads(args.job_body.read_text(encoding="utf-8")) if args.job_body else None
    if args.backend:
        job_body = {**(job_body or example_body()), "backend": args.backend}
    options = RunOptions(
        report_dir=args.report_dir,
        max_examples=args.max_examples,
        phases=[phase for phase in args.phases.split(",") if phase],
        workers=args.workers,
        operation_ids=args.operation_ids,
        quiet=args.quiet,
        max_jobs=args.max_jobs if args.max_jobs is not None else DEFAULT_MAX_JOBS.get(kind),
        creates_per_minute=args.creates_per_minute,
        job_timeout=args.job_timeout,
        fail_on_drift=args.fail_on_drift,
        job_body=job_body,
        lifecycle=not args.no_lifecycle,
    )
    target: AbstractContextManager[Target]
    if kind == "embedded":
        target = embedded_mock()
    else:
        url = REGION_BASE_URLS[args.region] if args.live else args.url
        target = nullcontext(env_target(url, kind=kind, allow_create=args.allow_create))
    try:
        with target as resolved:
            summary = run(resolved, options)
    except KeyboardInterrupt:
        return 130
    print_summary(summary, options)
    return 0 if summary.ok else 1
