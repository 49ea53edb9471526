"""One contract run: fuzz with schemathesis, drive real jobs, clean up, report.

1. Fuzzing: `schemathesis run` in a child process, with the kit's config plus the target's
   own blocks (`target_config`). Its output streams through; when it is quiet for long, the
   runner says it is still working.
2. Lifecycle: real jobs walked through the page's states (`lifecycle`), paced and budgeted;
   on the embedded mock, also one completed job per result variant (`EMBEDDED_RESULT_VARIANTS`).
3. Cleanup: every job the run created (the hooks report them, see `events`) is cancelled,
   then deleted once terminal; also after Ctrl-C.
4. Reports: junit.xml, report.json, summary.md and summary.json in `report_dir`, each
   written whole and renamed into place, after the previous run's were removed first, so a
   killed run never leaves a stale PASS behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import httpx

from ..spec import SPEC_PATH, spec_operations
from . import events
from .lifecycle import ResultVariant
from .pacing import Progress
from .rules import TERMINAL
from .summary import Summary, render, summarise, write_atomically

CONFIG_PATH = Path(__file__).with_name("schemathesis.toml")
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
    "job_state_rules",
    "job_listing_and_privacy",
]
PHASES = ["examples", "coverage", "fuzzing", "stateful"]
SECRET_ENV = ("QISKIT_RUNTIME_TOKEN", "QISKIT_RUNTIME_API_KEY")
REPORT_FILES = ("junit.xml", "report.json", "summary.md", "summary.json")
TargetKind = Literal["embedded", "url", "live"]
# The embedded mock: most jobs end at once, every third queues and runs briefly, so fuzzed
# cancels and deletes meet both states; lifecycle jobs queue 0.5 s and run 0.6 s.
EMBEDDED_TIMING_CYCLE = ((0.0, 0.0), (0.0, 0.0), (0.3, 1.0))
EMBEDDED_LIFECYCLE_PARAMS = {"mock": {"queued_seconds": 0.5, "running_seconds": 0.6}}
# The embedded mock is on loopback: polling it often costs nothing and keeps the phase short.
EMBEDDED_POLL_SECONDS = 0.05
# Every `JobResults` variant, asked of the embedded mock as a client asks the service: by
# program and `schema_version` (the mock's `_results.py` picks its result format from them).
EMBEDDED_RESULT_VARIANTS = (
    *(
        ResultVariant(f"{program} {version}", schema, program, {"schema_version": version})
        for program, version, schema in (
            ("executor", "v0.1", "ExecutorV01QuantumProgramResultModel"),
            ("executor", "v0.2", "ExecutorV02QuantumProgramResultModel"),
            ("noise-learner", "v0.1", "NoiseLearnerV3V01ResultsModel"),
            ("noise-learner", "v0.2", "NoiseLearnerV3V02ResultsModel"),
        )
    ),
    ResultVariant("legacy", "LegacyJobResults", "sampler", {}),
)
# The embedded mock takes creates without limit, so its lifecycle jobs (4 scenarios plus one
# per result variant) are not paced.
EMBEDDED_CREATES_PER_MINUTE = 1_000_000
HEARTBEAT_SECONDS = 10.0


@dataclass(frozen=True)
class Target:
    """Where requests go, the auth environment for the hooks, and what the run may do there."""

    name: str
    url: str
    env: Mapping[str, str]
    kind: TargetKind = "embedded"
    allow_create: bool = True

    def __repr__(self) -> str:  # the env holds secrets
        return f"Target(name={self.name!r}, url={self.url!r}, kind={self.kind!r})"

    @property
    def read_only(self) -> bool:
        return not self.allow_create


@dataclass(frozen=True)
class RunOptions:
    """Knobs of one run; defaults are the CI run described in schemathesis.toml."""

    report_dir: Path = Path("reports/contract")
    max_examples: int | None = None
    phases: list[str] = field(default_factory=lambda: list(PHASES))
    checks: list[str] = field(default_factory=lambda: list(CHECKS))
    workers: int = 1
    operation_ids: list[str] = field(default_factory=list)
    quiet: bool = False
    max_jobs: int | None = None
    creates_per_minute: int = 5
    job_timeout: float = 300.0
    fail_on_drift: bool = False
    job_body: dict[str, Any] | None = None
    lifecycle: bool = True
    say: Callable[[str], object] = sys.stderr.write


@contextmanager
def embedded_mock(wrap: Callable[[Any], Any] | None = None) -> Iterator[Target]:
    """The stateful mock on a free loopback port, configured for fuzzing.

    Creation is not rate limited (the fuzzer creates hundreds of jobs) and most jobs finish
    at once, so stateful sequences reach results, delete and read-once behaviour; a few stay
    queued or running (`EMBEDDED_TIMING_CYCLE`). `wrap` (tests) plants a bug in the app.
    """
    from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, DEFAULT_CRN, MockConfig, serve

    config = MockConfig(
        rate_limit_per_minute=None,
        queued_seconds=0.0,
        running_seconds=0.0,
        timing_cycle=EMBEDDED_TIMING_CYCLE,
    )
    with serve(config, wrap=wrap) as server:
        yield Target(
            name="embedded mock",
            url=server.base_url,
            env={
                "QISKIT_RUNTIME_API_KEY": DEFAULT_API_KEY,
                "QISKIT_RUNTIME_IAM_URL": server.root_url + "/identity/token",
                "QISKIT_RUNTIME_CRN": DEFAULT_CRN,
            },
        )


def env_target(url: str, *, kind: TargetKind, allow_create: bool) -> Target:
    """A target whose credentials come from the SDK's environment variables."""
    names = (*SECRET_ENV, "QISKIT_RUNTIME_IAM_URL", "QISKIT_RUNTIME_CRN")
    env = {k: os.environ[k] for k in names if os.environ.get(k)}
    if "QISKIT_RUNTIME_CRN" not in env or not any(k in env for k in SECRET_ENV):
        raise SystemExit(
            "set QISKIT_RUNTIME_CRN and QISKIT_RUNTIME_TOKEN or QISKIT_RUNTIME_API_KEY "
            f"to run the contract suite against {url}"
        )
    return Target(name=kind, url=url, env=env, kind=kind, allow_create=allow_create)


@dataclass
class Plan:
    """What this run covers, and every operation and phase it leaves out, with the reason."""

    operations: dict[str, str]  # operationId -> "METHOD /path", the ones fuzzed
    skipped: dict[str, str] = field(default_factory=dict)  # "METHOD /path" -> reason
    phases: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lifecycle: bool = False
    negative_creates_only: bool = False


def plan_run(target: Target, options: RunOptions) -> Plan:
    """Decide operations, phases and notes from the target and the options (pure)."""
    every = spec_operations()
    plan = Plan(operations={}, phases=list(options.phases))
    for op_id, name in every.items():
        if options.operation_ids and op_id not in options.operation_ids:
            plan.skipped[name] = "not selected (--operation-id)"
        elif target.read_only and not name.startswith("GET "):
            plan.skipped[name] = "read-only run: it changes jobs (enable with --allow-create)"
        else:
            plan.operations[op_id] = name
    if target.read_only:
        plan.notes.append(
            f"READ-ONLY RUN: {sum(r.startswith('read-only') for r in plan.skipped.values())} "
            f"of {len(every)} operations are not tested; "
            "add --allow-create to test them"
            + (" (with a job budget, --max-jobs)" if target.kind == "live" else "")
        )
    creating = "create_job" in plan.operations
    if target.kind != "embedded" and creating:
        plan.negative_creates_only = True
        plan.notes.append(
            "POST /jobs is fuzzed with invalid input only; valid creates are paced and "
            "budgeted in the lifecycle phase"
        )
    if "stateful" in plan.phases and (not creating or target.kind != "embedded"):
        plan.phases.remove("stateful")
        plan.notes.append(
            "stateful phase skipped: "
            + (
                "its links start at create_job, which this run does not test"
                if not creating
                else "each step would create a job on a rate-limited, possibly billed "
                "service; the lifecycle phase drives real jobs instead"
            )
        )
    if not plan.phases:
        plan.notes.append("fuzzing skipped: no phase selected (--phases)")
    plan.lifecycle = creating and options.lifecycle
    if creating and not options.lifecycle:
        plan.notes.append("lifecycle phase skipped (--no-lifecycle)")
    return plan


def target_config(plan: Plan) -> str:
    """The kit's schemathesis.toml plus this target's blocks."""
    text = CONFIG_PATH.read_text(encoding="utf-8")
    if plan.negative_creates_only:
        # Invalid input only (the hooks' `filter_case` drops any valid case that slips
        # through); the spec's create example is valid, so the lifecycle phase sends it.
        text += (
            '\n[[operations]]\ninclude-operation-id = "create_job"\n'
            'generation.mode = "negative"\nphases.examples.enabled = false\n'
        )
    return text


def schemathesis_command(
    target: Target, options: RunOptions, plan: Plan, config: Path, out: Path
) -> list[str]:
    """The `schemathesis run` invocation for this target and these options."""
    cmd = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        str(SPEC_PATH),
        "--url",
        target.url,
        "--checks",
        ",".join(options.checks),
        "--phases",
        ",".join(plan.phases),
        "--workers",
        str(options.workers),
        "--report",
        "junit,json",
        "--report-junit-path",
        str(out / "junit.xml"),
        "--report-json-path",
        str(out / "report.json"),
        "--continue-on-failure",
    ]
    if options.max_examples is not None:
        cmd += ["--max-examples", str(options.max_examples)]
    for operation_id in plan.operations:
        cmd += ["--include-operation-id", operation_id]
    return cmd


def _hook_env(target: Target, options: RunOptions, plan: Plan, events_path: Path) -> dict[str, str]:
    env = {
        **target.env,
        "QRJ_CONTRACT_URL": target.url,
        events.ENV_EVENTS: str(events_path),
        # unique per run: cleanup deletes what carries it, so never another run's jobs
        "QRJ_CONTRACT_RUN_TAG": f"qrj-contract-run-{uuid.uuid4().hex[:16]}",
    }
    if options.max_jobs is not None:
        env["QRJ_CONTRACT_MAX_JOBS"] = str(options.max_jobs)
    if plan.negative_creates_only:
        env["QRJ_CONTRACT_NEGATIVE_CREATES_ONLY"] = "1"
    return env


@contextmanager
def _environ(extra: Mapping[str, str]) -> Iterator[None]:
    """The hooks read the environment; set it for the in-process phases only."""
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _fuzz(cmd: list[str], env: dict[str, str], options: RunOptions, progress: Progress) -> None:
    """Run schemathesis, echoing its output, and say so when it has been quiet for long."""
    with subprocess.Popen(
        cmd,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    ) as proc:
        _echo(proc, options, progress)


def _echo(proc: subprocess.Popen[str], options: RunOptions, progress: Progress) -> None:
    """Pass the child's lines through; a heartbeat fills any silence longer than 10 s."""
    last = [time.monotonic()]
    started = time.monotonic()
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(1.0):
            if time.monotonic() - last[0] >= HEARTBEAT_SECONDS:
                progress.say(f"still fuzzing ({time.monotonic() - started:.0f}s so far)")
                last[0] = time.monotonic()

    beat = threading.Thread(target=heartbeat, daemon=True)
    beat.start()
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            last[0] = time.monotonic()
            if not options.quiet:
                sys.stdout.write(line)
                sys.stdout.flush()
        proc.wait()
    finally:
        done.set()
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


def _lifecycle(target: Target, options: RunOptions, progress: Progress, events_path: Path) -> Any:
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    from . import hooks  # noqa: F401  (registers the checks and hooks in this process)
    from .lifecycle import LifecycleOptions, run_lifecycle

    schema = schemathesis.openapi.from_path(
        SPEC_PATH, config=SchemathesisConfig.from_path(CONFIG_PATH)
    )
    embedded = target.kind == "embedded"
    lifecycle_options = LifecycleOptions(
        base_url=target.url,
        spend_qpu=target.kind != "live",
        max_jobs=options.max_jobs,
        creates_per_minute=EMBEDDED_CREATES_PER_MINUTE if embedded else options.creates_per_minute,
        job_timeout=options.job_timeout,
        poll_seconds=EMBEDDED_POLL_SECONDS if embedded else LifecycleOptions.poll_seconds,
        job_body=options.job_body,
        extra_params=EMBEDDED_LIFECYCLE_PARAMS if embedded else {},
        # Each variant costs a job: never on a service that bills them or has a budget.
        result_variants=EMBEDDED_RESULT_VARIANTS if embedded else (),
    )
    created = len(events.JobLedger.load(events_path).created)
    return run_lifecycle(schema, lifecycle_options, progress, created)


def _ledger_the_lost(http: httpx.Client, events_path: Path, progress: Progress) -> None:
    """Add to the ledger the jobs carrying this run's tag that it does not know: creates the
    service carried out but whose answer the run never read."""
    from . import hooks

    tag = os.environ.get(hooks.ENV_RUN_TAG)
    if not tag:
        return
    try:
        tagged = hooks.jobs_tagged(http, tag)
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        progress.say(f"could not list this run's jobs by its tag {tag}: {error!r}")
        return
    known = set(events.JobLedger.load(events_path).created)
    lost = [job_id for job_id in tagged if job_id not in known]
    if lost:
        progress.say(f"found {len(lost)} job(s) by the run's tag whose create answer was lost")
    for job_id in lost:
        events.emit("created", id=job_id, lost=True)


def cleanup(events_path: Path, progress: Progress, timeout: float) -> list[str]:
    """Cancel, then delete once terminal, every job this run created; the ids left behind.

    Runs inside the hooks' environment (target URL and credentials), and closes the state
    probes' connections when done.
    """
    from . import hooks

    def ended(job_id: str) -> str | None:
        state = hooks.probe(job_id)
        return "gone" if state is None else (state[0] if state[0] in TERMINAL else None)

    try:
        base_url = os.environ[hooks.ENV_URL]
        with httpx.Client(base_url=base_url, headers=hooks.api_headers(), timeout=30.0) as http:
            _ledger_the_lost(http, events_path, progress)
            left = events.JobLedger.load(events_path).left
            if left:
                progress.say(f"cleaning up {len(left)} job(s) this run created")
                for job_id in left:
                    path = f"/jobs/{quote(job_id, safe='')}"
                    if ended(job_id) is None:
                        http.post(path + "/cancel")
                        what = partial(str, f"job {job_id} to end, to delete it")
                        progress.until(partial(ended, job_id), what, timeout, 1.0)
                    if http.delete(path).status_code in (204, 404):
                        events.emit("deleted", id=job_id)
    finally:
        hooks.close()
    return events.JobLedger.load(events_path).left


def run(target: Target, options: RunOptions) -> Summary:
    """Run the suite; write junit.xml, report.json, summary.json and summary.md."""
    report_dir = options.report_dir.resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    for stale in REPORT_FILES:
        (report_dir / stale).unlink(missing_ok=True)
    work = report_dir / f".run-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    events_path = work / "events.jsonl"
    progress = Progress(write=options.say)
    plan = plan_run(target, options)
    for note in plan.notes:
        progress.say(note)
    # Hypothesis keeps caches (constants, the Unicode table) in `.hypothesis/` under the
    # working directory: the user's, when the kit is installed. Keep them with the run's files.
    env = {
        **_hook_env(target, options, plan, events_path),
        "HYPOTHESIS_STORAGE_DIRECTORY": str(work / "hypothesis"),
    }
    lifecycle_report = None
    left: list[str] = []
    interrupted = False
    try:
        if plan.operations and plan.phases:  # the same test as `fuzzed` below
            config = work / "schemathesis.toml"
            config.write_text(target_config(plan), encoding="utf-8")
            _fuzz(schemathesis_command(target, options, plan, config, work), env, options, progress)
        if plan.lifecycle:
            with _environ(env):
                lifecycle_report = _lifecycle(target, options, progress, events_path)
    except KeyboardInterrupt:
        interrupted = True
        progress.say("interrupted: cleaning up before exit")
    finally:
        if target.allow_create:
            with _environ(env):
                left = cleanup(events_path, progress, options.job_timeout)
    ledger = events.JobLedger.load(events_path)
    summary = summarise(
        target=f"{target.url} ({target.name})",
        work=work,
        fuzzed=bool(plan.operations and plan.phases),
        skipped=plan.skipped,
        notes=plan.notes,
        events_path=events_path,
        lifecycle=lifecycle_report,
        created=len(ledger.created),
        max_jobs=options.max_jobs,
        left=left,
        fail_on_drift=options.fail_on_drift,
        interrupted=interrupted,
    )
    for name in ("junit.xml", "report.json"):
        if (work / name).exists():
            os.replace(work / name, report_dir / name)
    write_atomically(report_dir / "summary.json", summary.to_json_text())
    write_atomically(report_dir / "summary.md", render(summary, options.checks) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    if interrupted:
        raise KeyboardInterrupt
    return summary


def print_summary(summary: Summary, options: RunOptions) -> None:
    sys.stdout.write("\n" + render(summary, options.checks) + "\n")
    sys.stdout.write(f"reports: {options.report_dir.resolve()}/\n")
