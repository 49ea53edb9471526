"""One contract run: check the credentials, fuzz, drive real jobs, clean up, report.

0. Preflight: one `GET /jobs` shows the target takes the credentials (`preflight`); if not,
   the run stops there. Then earlier runs on this target that died without cleaning up are
   cleaned up (their ledgers, in the state directory).
1. Fuzzing: `schemathesis run` in a child process of its own process group, with the kit's
   config plus the target's own blocks (`target_config`) and the run's `RunContext`. Its
   output streams through; when it is quiet for long, the runner says it is still working.
   The child watches a pipe the runner holds: if the runner dies, so does the child.
2. Lifecycle: real jobs walked through the page's states (`lifecycle`), paced and budgeted;
   on the embedded mock, also one completed job per result variant (`EMBEDDED_RESULT_VARIANTS`).
3. Cleanup: every job in the run's ledger (and every job carrying its tag) is cancelled,
   then deleted once terminal; also after SIGINT or SIGTERM (`stopping`).
4. Reports: junit.xml, report.json, summary.md and summary.json in `report_dir`, each
   written whole and renamed into place, after the previous run's were removed first, so a
   killed run never leaves a stale PASS behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..spec import spec_file, spec_operations, spec_text
from . import hooks, ledger
from .cleanup import abandoned_jobs, adopt_lost, recover_abandoned, remove_jobs
from .context import Credentials, RunContext, new_run_id, target_key
from .driver import ResultVariant
from .pacing import Progress
from .preflight import preflight
from .report import junit, markdown
from .session import Session
from .stopping import Stopper
from .summary import Summary, summarise, write_atomically

CONFIG_PATH = Path(__file__).with_name("schemathesis.toml")
CRN_PLACEHOLDER = '"${QISKIT_RUNTIME_CRN}"'
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
    "job_behaviour",
]
PHASES = ["examples", "coverage", "fuzzing", "stateful"]
REPORT_FILES = ("junit.xml", "report.json", "summary.md", "summary.json")
TargetKind = Literal["embedded", "url", "live"]
# The embedded mock: most jobs end at once, every third queues and runs briefly, so fuzzed
# cancels and deletes meet both states; lifecycle jobs queue 0.5 s and run 0.6 s.
EMBEDDED_TIMING_CYCLE = ((0.0, 0.0), (0.0, 0.0), (0.3, 1.0))
EMBEDDED_LIFECYCLE_PARAMS = {"mock": {"queued_seconds": 0.5, "running_seconds": 0.6}}
# The embedded mock is on loopback: polling it often costs nothing and keeps the phases short.
EMBEDDED_POLL_SECONDS = 0.05
POLL_SECONDS = 1.0
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
            # Not on the page: the versions IBM's client asks for (ibm-quantum-schemas).
            ("executor", "v1.0", "ExecutorV10QuantumProgramResultModel"),
            ("executor", "v1.1", "ExecutorV11QuantumProgramResultModel"),
            ("executor", "v2.0", "ExecutorV20QuantumProgramResultModel"),
            ("noise-learner", "v0.3", "NoiseLearnerV3V03ResultsModel"),
        )
    ),
    ResultVariant("legacy", "LegacyJobResults", "sampler", {}),
)
# The embedded mock takes creates without limit, so its lifecycle jobs (4 scenarios plus one
# per result variant) are not paced.
EMBEDDED_CREATES_PER_MINUTE = 1_000_000
HEARTBEAT_SECONDS = 10.0
# After the stop signal, the fuzzer gets this long to stop and write its reports.
CHILD_GRACE_SECONDS = 10.0
# Variables of the user's shell that never reach the fuzzing child: the SDK's credentials
# (the child gets the run's own, in its `RunContext`) and this kit's.
CHILD_ENV_EXCLUDED = ("QISKIT_RUNTIME_", "QRJ_")


@dataclass(frozen=True)
class Target:
    """Where requests go, with which credentials, and what the run may do there."""

    name: str
    url: str
    credentials: Credentials
    kind: TargetKind = "embedded"
    allow_create: bool = True

    def __repr__(self) -> str:
        return f"Target(name={self.name!r}, url={self.url!r}, kind={self.kind!r})"

    @property
    def read_only(self) -> bool:
        return not self.allow_create


@dataclass(frozen=True)
class RunOptions:
    """Knobs of one run; defaults are the CI run described in schemathesis.toml.

    `state_dir`: where the ledgers of runs against real targets live, so that a later run
    cleans up after one that was killed (None: in the run's own work folder, gone with it).
    """

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
    state_dir: Path | None = None
    say: Callable[[str], object] = sys.stderr.write


@contextmanager
def embedded_mock(wrap: Callable[[Any], Any] | None = None) -> Iterator[Target]:
    """The stateful mock on a free loopback port, configured for fuzzing.

    Creation is not rate limited (the fuzzer creates hundreds of jobs) and most jobs finish
    at once, so stateful sequences reach results, delete and read-once behaviour; a few stay
    queued or running (`EMBEDDED_TIMING_CYCLE`). `wrap` (tests) plants a bug in the app.
    The run authenticates as a client would: its API key, exchanged at the mock's IAM.
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
            credentials=Credentials(
                crn=DEFAULT_CRN,
                api_key=DEFAULT_API_KEY,
                iam_url=server.root_url + "/identity/token",
            ),
        )


@dataclass
class Plan:
    """What this run covers, and every operation and phase it leaves out, with the reason."""

    operations: dict[str, str]  # operationId -> "METHOD /path", the ones fuzzed
    skipped: dict[str, str] = field(default_factory=dict)  # "METHOD /path" -> reason
    phases: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lifecycle: bool = False
    negative_creates_only: bool = False

    @property
    def fuzzes(self) -> bool:
        return bool(self.operations and self.phases)


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
            f"of {len(every)} operations are not tested, and no result is read; "
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


def target_config(plan: Plan, crn: str) -> str:
    """The kit's schemathesis.toml for this run: the instance pinned, the target's blocks."""
    # A TOML basic string; JSON's escapes are TOML's.
    text = CONFIG_PATH.read_text(encoding="utf-8").replace(CRN_PLACEHOLDER, json.dumps(crn))
    if plan.negative_creates_only:
        # Invalid input only (the hooks' `filter_case` drops any valid case that slips
        # through); the spec's create example is valid, so the lifecycle phase sends it.
        text += (
            '\n[[operations]]\ninclude-operation-id = "create_job"\n'
            'generation.mode = "negative"\nphases.examples.enabled = false\n'
        )
    return text


def schemathesis_command(
    target: Target, options: RunOptions, plan: Plan, config: Path, out: Path, *, spec: Path
) -> list[str]:
    """The `schemathesis run` invocation for this target and these options, of the spec at
    `spec` (a file that must exist until the command has run: see `spec.spec_file`)."""
    cmd = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        str(spec),
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
        str(out / "schemathesis.junit.xml"),
        "--report-json-path",
        str(out / "report.json"),
        "--continue-on-failure",
    ]
    if options.max_examples is not None:
        cmd += ["--max-examples", str(options.max_examples)]
    for operation_id in plan.operations:
        cmd += ["--include-operation-id", operation_id]
    return cmd


def child_environment(context: RunContext, watchdog_fd: int, work: Path) -> dict[str, str]:
    """The fuzzing child's environment: the user's, minus every credential, plus the run."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(CHILD_ENV_EXCLUDED)}
    return {
        **base,
        **context.for_child(watchdog_fd),
        "PYTHONUNBUFFERED": "1",
        # Hypothesis keeps caches (constants, the Unicode table) in `.hypothesis/` under the
        # working directory: the user's, when the kit is installed. Keep them with the run.
        "HYPOTHESIS_STORAGE_DIRECTORY": str(work / "hypothesis"),
    }


def _fuzz(
    cmd: list[str],
    context: RunContext,
    work: Path,
    options: RunOptions,
    progress: Progress,
    stopper: Stopper,
) -> None:
    """Run schemathesis in its own process group; it never outlives this process."""
    watch_read, watch_write = os.pipe()
    try:
        proc = subprocess.Popen(
            cmd,
            env=child_environment(context, watch_read, work),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
            pass_fds=(watch_read,),
        )
    except BaseException:
        os.close(watch_write)
        raise
    finally:
        os.close(watch_read)
    try:
        with stopper.on_stop(lambda: _stop_child(proc)):
            _echo(proc, options, progress)
    finally:
        _kill_group(proc)
        proc.wait()
        os.close(watch_write)
        if proc.stdout is not None:
            proc.stdout.close()


def _stop_child(proc: subprocess.Popen[str]) -> None:
    """Ask the fuzzer to stop (it writes its reports), and kill it if it takes too long."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    timer = threading.Timer(CHILD_GRACE_SECONDS, _kill_group, args=(proc,))
    timer.daemon = True
    timer.start()


def _kill_group(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


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
        for line in proc.stdout or ():
            last[0] = time.monotonic()
            if not options.quiet:
                sys.stdout.write(line)
                sys.stdout.flush()
        proc.wait()
    finally:
        done.set()


def _lifecycle(
    target: Target, options: RunOptions, config: Path, progress: Progress, session: Session
) -> Any:
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    from .lifecycle import LifecycleOptions, run_lifecycle

    schema = schemathesis.openapi.from_file(
        spec_text(), config=SchemathesisConfig.from_path(config)
    )
    embedded = target.kind == "embedded"
    lifecycle_options = LifecycleOptions(
        base_url=target.url,
        spend_qpu=target.kind != "live",
        max_jobs=options.max_jobs,
        creates_per_minute=EMBEDDED_CREATES_PER_MINUTE if embedded else options.creates_per_minute,
        job_timeout=options.job_timeout,
        poll_seconds=EMBEDDED_POLL_SECONDS if embedded else POLL_SECONDS,
        job_body=options.job_body,
        extra_params=EMBEDDED_LIFECYCLE_PARAMS if embedded else {},
        # Each variant costs a job: never on a service that bills them or has a budget.
        result_variants=EMBEDDED_RESULT_VARIANTS if embedded else (),
    )
    return run_lifecycle(schema, lifecycle_options, progress, session)


def _ledger_path(target: Target, options: RunOptions, work: Path, run_id: str) -> Path:
    """Where the run's ledger lives: the state directory's folder for this target (real
    targets), else the run's work folder (the embedded mock dies with the run anyway)."""
    if options.state_dir is None or target.kind == "embedded":
        return work / "ledger.jsonl"
    folder = options.state_dir / "contract" / target_key(target.url, target.credentials.crn)
    folder.mkdir(parents=True, exist_ok=True)
    return ledger.ledger_file(folder, run_id)


def _prepare(report_dir: Path) -> Path:
    """Remove the previous run's reports (no stale PASS) and make this run's work folder."""
    report_dir.mkdir(parents=True, exist_ok=True)
    for stale in REPORT_FILES:
        (report_dir / stale).unlink(missing_ok=True)
    for folder in report_dir.glob(".run-*"):  # work folders of runs that were killed
        if not _alive(folder.name.removeprefix(".run-")):
            shutil.rmtree(folder, ignore_errors=True)
    work = report_dir / f".run-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    return work


def _alive(pid: str) -> bool:
    """Whether a process with this id runs (a run sharing the report folder is left alone)."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def run(target: Target, options: RunOptions) -> Summary:
    """Run the suite; write junit.xml, report.json, summary.json and summary.md.

    A stop signal (SIGINT, SIGTERM) winds the run down: it cleans up and reports, and the
    summary names the signal (`Summary.stopped_by`; the CLI exits 128 + its number).
    """
    report_dir = options.report_dir.resolve()
    work = _prepare(report_dir)
    contract_run = _Run(target, options, work)
    # The signals stay ours until the reports are written: a late Ctrl-C cannot cut them off.
    with contract_run.stopper.installed(), hooks.bound(contract_run.session):
        try:
            contract_run.go()
        finally:
            contract_run.session.close()
        summary = summarise(contract_run.summary, work, contract_run.events_path)
        _write_reports(summary, work, report_dir)
    shutil.rmtree(work, ignore_errors=True)
    return summary


class _Run:
    """The phases of one run, in order, each skipped once the run is stopping."""

    def __init__(self, target: Target, options: RunOptions, work: Path) -> None:
        self.target, self.options, self.work = target, options, work
        self.progress = Progress(write=options.say)
        self.stopper = Stopper(self.progress)
        self.plan = plan_run(target, options)
        run_id = new_run_id()
        self.events_path = work / "events.jsonl"
        self.ledger_path = _ledger_path(target, options, work, run_id)
        self.context = RunContext(
            url=target.url,
            credentials=target.credentials,
            run_id=run_id,
            ledger_path=self.ledger_path,
            events_path=self.events_path,
            max_jobs=options.max_jobs,
            negative_creates_only=self.plan.negative_creates_only,
        )
        self.session = Session(self.context)
        self.config = work / "schemathesis.toml"
        self.config.write_text(target_config(self.plan, target.credentials.crn), encoding="utf-8")
        self.poll = EMBEDDED_POLL_SECONDS if target.kind == "embedded" else POLL_SECONDS
        self.summary = Summary(
            target=f"{target.url} ({target.name})",
            checks=list(options.checks),
            operations=list(spec_operations().values()),
            skipped=self.plan.skipped,
            notes=self.plan.notes,
            max_jobs=options.max_jobs,
            fail_on_drift=options.fail_on_drift,
            fuzzed=self.plan.fuzzes,
        )

    def go(self) -> None:
        for note in self.plan.notes:
            self.progress.say(note)
        with ledger.held(self.ledger_path):
            self.session.ledger.start(self.context.run_id, self.context.run_tag, self.target.url)
            self.summary.preflight = preflight(self.session)
            if self.summary.preflight is not None:
                self.progress.say(self.summary.preflight)  # nothing was sent: nothing to undo
            else:
                try:
                    self.recover()
                    self.fuzz()
                    self.lifecycle()
                finally:
                    self.cleanup()
            self.summary.created = self.session.ledger.count
            if not self.summary.left:
                self.ledger_path.unlink(missing_ok=True)
        self.summary.stopped_by = self.stopper.name

    @property
    def patient(self) -> Progress:
        """Waits for cleanups: a stop signal does not end them, only `abandon` does."""
        return Progress(write=self.progress.write, stop=self.stopper.abandon)

    def recover(self) -> None:
        """Clean up after earlier runs on this target that were killed (real targets; a
        read-only run changes nothing, so it only says what they left)."""
        folder = self.ledger_path.parent
        if folder == self.work:
            return
        if not self.target.allow_create:
            left = abandoned_jobs(folder, self.ledger_path)
            if left:
                note = (
                    f"{len(left)} job(s) left by earlier runs that were stopped: "
                    f"{', '.join(left)}; a run with --allow-create cleans them up"
                )
                self.summary.notes.append(note)
                self.progress.say(note)
            return
        self.stopper.left = self._leftovers
        self.summary.recovered = recover_abandoned(
            self.session,
            folder,
            self.ledger_path,
            self.patient,
            self.options.job_timeout,
            self.poll,
        )
        self.stopper.left = None

    def _leftovers(self) -> list[str]:
        return abandoned_jobs(self.ledger_path.parent, self.ledger_path)

    def fuzz(self) -> None:
        if not self.plan.fuzzes or self.progress.stopped:
            return
        with spec_file() as spec:  # the child reads the path: it exists until the child ends
            command = schemathesis_command(
                self.target, self.options, self.plan, self.config, self.work, spec=spec
            )
            _fuzz(command, self.context, self.work, self.options, self.progress, self.stopper)
        self.session.ledger.reload()

    def lifecycle(self) -> None:
        if self.plan.lifecycle and not self.progress.stopped:
            self.summary.lifecycle = _lifecycle(
                self.target, self.options, self.config, self.progress, self.session
            )

    def cleanup(self) -> None:
        """Every job of the run gone; only a third signal (`abandon`) cuts it short."""
        if self.target.allow_create:
            patient, own = self.patient, self.session.ledger
            self.stopper.left = lambda: own.left
            adopt_lost(self.session, own, self.context.run_tag, patient)
            self.summary.left = remove_jobs(
                self.session, own, patient, self.options.job_timeout, self.poll
            )


def _write_reports(summary: Summary, work: Path, report_dir: Path) -> None:
    if (work / "report.json").exists() and summary.phases:
        os.replace(work / "report.json", report_dir / "report.json")
    write_atomically(report_dir / "junit.xml", junit(summary))
    write_atomically(report_dir / "summary.json", summary.to_json_text())
    write_atomically(report_dir / "summary.md", markdown(summary))
