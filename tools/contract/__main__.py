"""`python -m tools.contract` (and `make contract`): run the contract suite.

    python -m tools.contract                 # against the embedded mock (default)
    python -m tools.contract --url URL       # any deployment; credentials from the env
    python -m tools.contract --live          # IBM's service, read-only (GET) operations
    python -m tools.contract --live --allow-create   # ... also create/cancel/delete jobs

Credentials for --url/--live: QISKIT_RUNTIME_CRN plus QISKIT_RUNTIME_TOKEN or
QISKIT_RUNTIME_API_KEY (optionally QISKIT_RUNTIME_IAM_URL). Exit status 1 on any
contract failure.
"""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from qiskit_runtime_jobs import REGION_BASE_URLS
from tools.contract.runner import (
    PHASES,
    RunOptions,
    Target,
    embedded_mock,
    env_target,
    print_summary,
    run,
)


def _live_url(region: str) -> str:
    """The spec's server for a region (the table the SDK routes by)."""
    if region not in REGION_BASE_URLS:
        raise SystemExit(f"unknown region {region!r}; known: {', '.join(REGION_BASE_URLS)}")
    return REGION_BASE_URLS[region]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.contract", description=__doc__)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="base URL of the API (ends in /api/v1)")
    where.add_argument("--live", action="store_true", help="IBM's service (opt-in)")
    parser.add_argument("--region", default="us-east", help="live region (us-east, eu-de)")
    parser.add_argument(
        "--allow-create",
        action="store_true",
        help="with --url/--live: also run operations that create or change jobs",
    )
    parser.add_argument("--max-examples", type=int, help="override schemathesis.toml")
    parser.add_argument("--phases", default=",".join(PHASES), help="comma-separated")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="schemathesis workers (1: hypothesis is not thread-safe on Python 3.11)",
    )
    parser.add_argument("--operation-id", action="append", default=[], dest="operation_ids")
    parser.add_argument("--report-dir", type=Path, default=RunOptions().report_dir)
    args = parser.parse_args(argv)

    options = RunOptions(
        report_dir=args.report_dir.resolve(),
        max_examples=args.max_examples,
        phases=args.phases.split(","),
        workers=args.workers,
        operation_ids=args.operation_ids,
        # Creation is limited to 5 jobs/minute on the service: follow its Retry-After.
        rate_limit="auto" if (args.live or args.url) else None,
    )
    target: AbstractContextManager[Target]
    if args.live:
        url = _live_url(args.region)
        target = nullcontext(env_target(url, name="live", read_only=not args.allow_create))
    elif args.url:
        target = nullcontext(env_target(args.url, name="url", read_only=not args.allow_create))
    else:
        target = embedded_mock()
    with target as resolved:
        summary = run(resolved, options)
    print_summary(summary, options)
    return 0 if summary.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
