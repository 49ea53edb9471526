"""`qiskit-runtime-jobs contract`: check a Jobs API deployment against the curated spec.

    qiskit-runtime-jobs contract                       # the embedded mock (the CI job)
    qiskit-runtime-jobs contract --url URL             # any deployment, read-only
    qiskit-runtime-jobs contract --url URL --allow-create   # ... also create/cancel/delete
    qiskit-runtime-jobs contract --live                # IBM's service, read-only
    qiskit-runtime-jobs contract --live --allow-create --max-jobs 3 --backend ibm_x

Credentials for --url/--live: QISKIT_RUNTIME_CRN plus QISKIT_RUNTIME_TOKEN or
QISKIT_RUNTIME_API_KEY (optionally QISKIT_RUNTIME_IAM_URL); the embedded mock uses its own.
A run touches only the jobs it creates. Exit status: 0 pass, 1 a contract failure (refused
credentials, an operation not exercised, drift with --fail-on-drift), 2 bad usage, 130 after
SIGINT and 143 after SIGTERM (each once the run's jobs are cleaned up).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from qiskit_runtime_jobs import REGION_BASE_URLS

from ..spec import spec_operations
from .context import Credentials, UsageError
from .lifecycle import example_body
from .report import markdown
from .runner import (
    PHASES,
    RunOptions,
    Target,
    TargetKind,
    embedded_mock,
    run,
)

PROG = "qiskit-runtime-jobs contract"
# Jobs a run may create when the caller names no budget (the embedded mock has none).
DEFAULT_MAX_JOBS = {"live": 3, "url": 5}
APP_NAME = "qiskit-runtime-jobs"
USAGE_EXIT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """argparse's mistakes as ours: one line, exit 2."""
        raise UsageError(message)


def default_state_dir(environ: Mapping[str, str]) -> Path:
    """The user's state directory (XDG), where ledgers of runs against real targets live."""
    base = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / APP_NAME


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
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
    parser.add_argument(
        "--state-dir",
        type=Path,
        help="where runs against --url/--live keep their job ledgers, so a later run cleans "
        "up after one that was killed (default: $XDG_STATE_HOME/qiskit-runtime-jobs, else "
        "~/.local/state/qiskit-runtime-jobs)",
    )
    parser.add_argument(
        "--step-summary",
        type=Path,
        help="also append summary.md to this file (default: $GITHUB_STEP_SUMMARY, if set)",
    )
    parser.add_argument("--quiet", action="store_true", help="hide schemathesis' own output")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback when the kit itself fails"
    )
    return parser


def _at_least(name: str, value: float | None, least: float, *, strictly: bool = False) -> None:
    if value is not None and not math.isfinite(value):
        raise UsageError(f"{name} must be a finite number (got {value})")
    if value is not None and (value <= least if strictly else value < least):
        rule = f"greater than {least:g}" if strictly else f"at least {least:g}"
        raise UsageError(f"{name} must be {rule} (got {value:g})")


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--url must be an http(s) URL with a host, e.g. http://127.0.0.1:8080/api/v1 "
            f"(got {value!r})"
        )
    return value.rstrip("/")


def _folder(name: str, path: Path) -> Path:
    """A folder the run can write to (made if missing)."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{name} {path} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"{name} {path}: cannot make the folder ({error.strerror})") from None
    if not os.access(path, os.W_OK):
        raise UsageError(f"{name} {path}: the folder is not writable")
    return path


def read_job_body(path: Path) -> dict[str, Any]:
    """The create request in a --job-body file, checked against the spec before any request."""
    from .hooks import spec_index

    try:
        text = path.read_text(encoding="utf-8")
    except IsADirectoryError:
        raise UsageError(f"--job-body {path} is a folder, not a JSON file") from None
    except FileNotFoundError:
        raise UsageError(f"--job-body {path}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"--job-body {path} is not UTF-8 text (a JSON file)") from None
    except OSError as error:
        raise UsageError(f"--job-body {path}: cannot read it ({error.strerror})") from None
    try:
        body = json.loads(text)
    except ValueError as error:
        raise UsageError(f"--job-body {path} is not JSON: {error}") from None
    if not isinstance(body, dict):
        raise UsageError(f"--job-body {path} must hold a JSON object (a create request)")
    problems = spec_index().schema_errors("/components/schemas/CreateJobRequest", body)
    if problems:
        raise UsageError(f"--job-body {path} is not a valid create request: {'; '.join(problems)}")
    return body


def options_from(
    args: argparse.Namespace, kind: TargetKind, environ: Mapping[str, str]
) -> RunOptions:
    """The run's options, every one checked: a mistake is a `UsageError` naming it."""
    _at_least("--max-jobs", args.max_jobs, 0)
    _at_least("--creates-per-minute", args.creates_per_minute, 1)
    _at_least("--job-timeout", args.job_timeout, 0, strictly=True)
    _at_least("--max-examples", args.max_examples, 1)
    _at_least("--workers", args.workers, 1)
    phases = [phase.strip() for phase in args.phases.split(",") if phase.strip()]
    unknown = [phase for phase in phases if phase not in PHASES]
    if unknown:
        raise UsageError(f"--phases: unknown {', '.join(unknown)} (known: {', '.join(PHASES)})")
    known = spec_operations()
    typos = [op for op in args.operation_ids if op not in known]
    if typos:
        raise UsageError(f"--operation-id: unknown {', '.join(typos)} (known: {', '.join(known)})")
    job_body = read_job_body(args.job_body) if args.job_body else None
    if args.backend:
        job_body = {**(job_body or example_body()), "backend": args.backend}
    state_dir = None
    if kind != "embedded":  # the embedded mock dies with the run: nothing to keep
        state_dir = _folder("--state-dir", args.state_dir or default_state_dir(environ))
    return RunOptions(
        report_dir=_folder("--report-dir", args.report_dir),
        max_examples=args.max_examples,
        phases=phases,
        workers=args.workers,
        operation_ids=args.operation_ids,
        quiet=args.quiet,
        max_jobs=args.max_jobs if args.max_jobs is not None else DEFAULT_MAX_JOBS.get(kind),
        creates_per_minute=args.creates_per_minute,
        job_timeout=args.job_timeout,
        fail_on_drift=args.fail_on_drift,
        job_body=job_body,
        lifecycle=not args.no_lifecycle,
        state_dir=state_dir,
    )


def _target(
    args: argparse.Namespace, kind: TargetKind, environ: Mapping[str, str]
) -> AbstractContextManager[Target]:
    if kind == "embedded":
        return embedded_mock()
    url = REGION_BASE_URLS[args.region] if args.live else _url(args.url)
    credentials = Credentials.from_environment(environ)
    return nullcontext(
        Target(
            name=kind, url=url, credentials=credentials, kind=kind, allow_create=args.allow_create
        )
    )


def main(argv: list[str] | None = None) -> int:
    """The command; its exit status (no traceback reaches the user unless --debug)."""
    environ = os.environ
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        kind: TargetKind = "live" if args.live else "url" if args.url is not None else "embedded"
        options = options_from(args, kind, environ)
        target = _target(args, kind, environ)
        with target as resolved:
            summary = run(resolved, options)
    except UsageError as error:
        sys.stderr.write(f"{PROG}: {error}\n(see {PROG} --help)\n")
        return USAGE_EXIT
    except KeyboardInterrupt:  # before the run took over the signals: nothing to clean up
        return 128 + signal.SIGINT
    except Exception as error:
        if args is not None and args.debug:
            raise
        sys.stderr.write(
            f"{PROG}: the kit failed: {type(error).__name__}: {error}\n"
            "(a bug of the kit, not of the target: rerun with --debug for the traceback)\n"
        )
        return 1
    report = markdown(summary)
    sys.stdout.write("\n" + report + f"\nreports: {options.report_dir.resolve()}/\n")
    _append_step_summary(args.step_summary or _github_step_summary(environ), report)
    if summary.stopped_by:
        return 128 + signal.Signals[summary.stopped_by]
    return 0 if summary.ok else 1


def _github_step_summary(environ: Mapping[str, str]) -> Path | None:
    """GitHub Actions' job summary file, when the run is a step of a GitHub workflow."""
    value = environ.get("GITHUB_STEP_SUMMARY")
    return Path(value) if value else None


def _append_step_summary(path: Path | None, report: str) -> None:
    if path is None:
        return
    try:
        with open(path, "a", encoding="utf-8") as sink:
            sink.write(report + "\n")
    except OSError as error:
        sys.stderr.write(f"{PROG}: could not write the step summary {path}: {error.strerror}\n")
