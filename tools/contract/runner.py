"""Run schemathesis against a target and summarise what it found.

A target is where the API lives plus the environment the auth hook needs. The embedded
mock is started on a free loopback port for the duration of the run; the live service is
read-only unless creating jobs is explicitly allowed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from starlette.types import ASGIApp

from tools.contract.summary import Summary, render, summarise

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "qiskit-runtime-jobs.yaml"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "private_results_read_once",
]
PHASES = ["examples", "coverage", "fuzzing", "stateful"]
SECRET_ENV = ("QISKIT_RUNTIME_TOKEN", "QISKIT_RUNTIME_API_KEY")


@dataclass(frozen=True)
class Target:
    """Where to send requests, and the auth environment for `tools.contract.hooks`."""

    name: str
    url: str
    env: Mapping[str, str]
    read_only: bool = False

    def __repr__(self) -> str:  # the env holds secrets
        return f"Target(name={self.name!r}, url={self.url!r}, read_only={self.read_only})"


@dataclass(frozen=True)
class RunOptions:
    """Knobs of one run; defaults are the CI run described in schemathesis.toml."""

    report_dir: Path = ROOT / "reports" / "contract"
    max_examples: int | None = None
    phases: list[str] = field(default_factory=lambda: list(PHASES))
    checks: list[str] = field(default_factory=lambda: list(CHECKS))
    workers: int = 1
    operation_ids: list[str] = field(default_factory=list)
    rate_limit: str | None = None
    quiet: bool = False


def spec_operations() -> list[str]:
    """ "METHOD /path" for every operation in the spec, in spec order."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "patch"}
    ]


@contextmanager
def embedded_mock(wrap: Callable[[ASGIApp], ASGIApp] | None = None) -> Iterator[Target]:
    """The stateful mock on a free loopback port, configured for fuzzing.

    Creation is not rate limited (the fuzzer creates hundreds of jobs) and jobs finish
    at once, so stateful sequences reach results, delete and read-once behaviour.
    `wrap` (tests only) wraps the ASGI app, e.g. to plant a bug.
    """
    from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, DEFAULT_CRN, MockConfig, serve

    config = MockConfig(rate_limit_per_minute=None, queued_seconds=0.0, running_seconds=0.0)
    with serve(config, wrap=wrap) if wrap else serve(config) as server:
        yield Target(
            name="embedded mock",
            url=server.base_url,
            env={
                "QISKIT_RUNTIME_API_KEY": DEFAULT_API_KEY,
                "QISKIT_RUNTIME_IAM_URL": server.root_url + "/identity/token",
                "QISKIT_RUNTIME_CRN": DEFAULT_CRN,
            },
        )


def env_target(url: str, *, name: str, read_only: bool) -> Target:
    """A target whose credentials come from the SDK's environment variables."""
    names = (*SECRET_ENV, "QISKIT_RUNTIME_IAM_URL", "QISKIT_RUNTIME_CRN")
    env = {k: os.environ[k] for k in names if os.environ.get(k)}
    if "QISKIT_RUNTIME_CRN" not in env or not any(k in env for k in SECRET_ENV):
        raise SystemExit(
            "set QISKIT_RUNTIME_CRN and QISKIT_RUNTIME_TOKEN or QISKIT_RUNTIME_API_KEY "
            f"to run the contract suite against {url}"
        )
    return Target(name=name, url=url, env=env, read_only=read_only)


def schemathesis_command(target: Target, options: RunOptions) -> list[str]:
    """The `schemathesis run` invocation for this target and these options."""
    report_dir = options.report_dir
    cmd = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(SPEC),
        "--url",
        target.url,
        "--checks",
        ",".join(options.checks),
        "--phases",
        ",".join(options.phases),
        "--workers",
        str(options.workers),
        "--report",
        "junit,json",
        "--report-junit-path",
        str(report_dir / "junit.xml"),
        "--report-json-path",
        str(report_dir / "report.json"),
        "--continue-on-failure",
    ]
    if options.max_examples is not None:
        cmd += ["--max-examples", str(options.max_examples)]
    for operation_id in options.operation_ids:
        cmd += ["--include-operation-id", operation_id]
    if target.read_only:
        cmd += ["--include-method", "GET"]
    if options.rate_limit:
        cmd += ["--rate-limit", options.rate_limit]
    return cmd


def run(target: Target, options: RunOptions) -> Summary:
    """Run the suite; write junit.xml, report.json, summary.json and summary.md."""
    options.report_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("junit.xml", "report.json"):
        (options.report_dir / stale).unlink(missing_ok=True)
    env = {**os.environ, **target.env, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        schemathesis_command(target, options),
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=options.quiet,
        text=True,
        check=False,
    )
    report = options.report_dir / "report.json"
    if not report.exists():
        output = (proc.stdout or "") + (proc.stderr or "")
        raise RuntimeError(f"schemathesis wrote no report (exit {proc.returncode})\n{output}")
    junit = options.report_dir / "junit.xml"
    only_tested = bool(options.operation_ids) or target.read_only
    summary = summarise(
        f"{target.url} ({target.name})", report, junit, spec_operations(), only_tested
    )
    text = render(summary, options.checks)
    (options.report_dir / "summary.md").write_text(text + "\n", encoding="utf-8")
    (options.report_dir / "summary.json").write_text(
        json.dumps(summary.to_json(), indent=2) + "\n", encoding="utf-8"
    )
    return summary


def print_summary(summary: Summary, options: RunOptions) -> None:
    sys.stdout.write("\n" + render(summary, options.checks) + "\n")
    sys.stdout.write(f"reports: {options.report_dir.relative_to(ROOT)}/\n")
