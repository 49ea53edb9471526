"""The lifecycle phase: real jobs driven through the page's states, within a job budget.

Fuzzing sends each request once, whatever state its job is in. This phase creates a few jobs
on purpose (paced to the create rate limit) and walks each through a scenario: pending ->
cancelled, running -> cancelled, completed, private. Every answer goes through the same
schemathesis checks and state rules as the fuzzing phases. On a billed service
(`spend_qpu=False`) no job is allowed to run: each is cancelled while still queued, and the
scenarios that need a running or finished job are skipped with that reason.

A scenario reads its job's state and picks its next step from it, so a target whose jobs end
at once (a simulator), in seconds or after minutes gets the same verdict: what a state could
not be seen in is a note, never a failure, and no job is deleted while a step still needs it.
A scenario that cannot run (its create refused, its job stuck past `job_timeout`, its job
ended otherwise than it needs) fails with that reason. The scenarios run side by side, so a
slow queue is waited out once, not once per scenario.

The `results` scenario reads one completed job per result variant the caller names
(`ResultVariant`: executor, noise-learner, legacy), because one job shows only one of the
`JobResults` shapes; each body must be an instance of its own variant's schema. Each variant
costs a job, so the runner names variants for the embedded mock only.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from schemathesis.checks import CHECKS

from qiskit_runtime_jobs import parse_retry_after

from ..spec import load_spec, spec_operations
from . import hooks
from .pacing import CreatePacer, Progress
from .preflight import answer_text
from .rules import PENDING, TERMINAL
from .session import Look, Session

# Checks that judge one response on its own (the others need the fuzzing engine's context).
LIFECYCLE_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "job_state_rules",
    "job_listing_and_privacy",
    "private_results_read_once",
)
MAX_CREATE_ATTEMPTS = 5
RUNNING_OR_ENDED = frozenset({"Running"}) | TERMINAL


@dataclass(frozen=True)
class Step:
    """One request of a scenario and what became of it (`answered` None: not sent, or no
    answer; a scenario that could not go on records why as a step of its own)."""

    scenario: str
    operation: str
    answered: int | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ResultVariant:
    """A kind of result, the create request that asks the target for it, and the `JobResults`
    branch (a component schema) its body must match."""

    name: str
    schema: str
    program_id: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class ResultCheck:
    """One result variant's verdict: the read of its completed job's results (unanswered, with
    the reason, when the job never completed)."""

    variant: ResultVariant
    read: Step

    @property
    def ok(self) -> bool:
        return self.read.ok


@dataclass
class LifecycleReport:
    """Every step, skipped scenario, result variant and note of the phase (thread-safe)."""

    steps: list[Step] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    results: list[ResultCheck] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps) and all(check.ok for check in self.results)

    def add(self, step: Step) -> None:
        with self._lock:
            self.steps.append(step)

    def note(self, scenario: str, text: str) -> None:
        with self._lock:
            self.notes.setdefault(scenario, []).append(text)

    def result(self, check: ResultCheck) -> None:
        with self._lock:
            self.results.append(check)

    def scenario_steps(self) -> dict[str, list[Step]]:
        """The steps, grouped by scenario, in the scenarios' order (`SCENARIOS`)."""
        grouped: dict[str, list[Step]] = {name: [] for name in SCENARIOS}
        for step in self.steps:
            grouped.setdefault(step.scenario, []).append(step)
        return {name: steps for name, steps in grouped.items() if steps}


@dataclass(frozen=True)
class LifecycleOptions:
    """How the phase may treat the target."""

    base_url: str
    spend_qpu: bool
    max_jobs: int | None
    creates_per_minute: int = 5
    job_timeout: float = 300.0
    poll_seconds: float = 1.0
    job_body: dict[str, Any] | None = None
    # Extra `params` for every job (the embedded mock's `params.mock` timings).
    extra_params: dict[str, Any] = field(default_factory=dict)
    # The `results` scenario's variants, one job each (none: the scenario is skipped).
    result_variants: tuple[ResultVariant, ...] = ()


@dataclass
class _Phase:
    """What the scenarios share: the schema, the options, the pacer and the report."""

    schema: Any
    options: LifecycleOptions
    progress: Progress
    session: Session
    pacer: CreatePacer
    report: LifecycleReport = field(default_factory=LifecycleReport)
    checks: list[Any] = field(default_factory=lambda: CHECKS.get_by_names(list(LIFECYCLE_CHECKS)))


class _Play:
    """One scenario being played: sends its requests through schemathesis cases and records
    each step."""

    def __init__(self, phase: _Phase, scenario: str) -> None:
        self.phase = phase
        self.options = phase.options
        self.scenario = scenario
        self.retry_after: float | None = None

    @property
    def stopped(self) -> bool:
        return self.phase.progress.stopped

    def say(self, text: str) -> None:
        self.phase.progress.say(f"{self.scenario}: {text}")

    def call(
        self,
        operation_id: str,
        job_id: str | None = None,
        body: Any = None,
        judge: Callable[[Any], list[str]] | None = None,
        **expect: int,
    ) -> tuple[int | None, Any]:
        """One validated request; `expect=` pins the status when no state rule decides it,
        `judge` adds the problems of a 200 body beyond the spec's checks. Once the run is
        stopping, nothing more is sent (cleanup takes over the scenario's job)."""
        if self.stopped:
            return None, None
        operation = self.phase.schema.find_operation_by_id(operation_id)
        kwargs: dict[str, Any] = {"headers": self.phase.session.headers()}
        if job_id is not None:
            kwargs["path_parameters"] = {"id": job_id}
        if body is not None:
            kwargs["body"] = body
            kwargs["media_type"] = "application/json"
        case = operation.Case(**kwargs)
        name = spec_operations()[operation_id]
        try:
            response = case.call(base_url=self.options.base_url)
        except Exception as exc:  # a transport failure (or a hook's refusal) is the result
            self.record(name, None, [f"request failed: {type(exc).__name__}: {exc}"])
            return None, None
        self.retry_after = parse_retry_after(hooks.header(response, "Retry-After"))
        problems = _check(case, response, self.phase.checks)
        wanted = expect.get("status")
        if wanted is not None and response.status_code != wanted:
            problems.append(f"expected {wanted}, got {response.status_code}")
        try:
            payload = response.json() if response.content else None
        except ValueError:
            payload = None
        if judge is not None and response.status_code == 200:
            problems += judge(payload)
        self.record(name, response.status_code, problems)
        return response.status_code, payload

    def record(self, operation: str, answered: int | None, problems: list[str]) -> None:
        step = Step(self.scenario, operation, answered, tuple(problems))
        self.phase.report.add(step)
        mark = "ok" if step.ok else "FAIL: " + "; ".join(problems)
        self.say(f"{operation} -> {answered} {mark}")

    def cannot_run(self, what: str, why: str) -> None:
        """The scenario could not go on: a failing step that says why."""
        self.record(what, None, [f"could not run: {why}"])

    def note(self, text: str) -> None:
        self.phase.report.note(self.scenario, text)
        self.say(f"note: {text}")

    def create(self, *, private: bool, variant: ResultVariant | None = None) -> str | None:
        """Create one cheap job (of `variant`'s program and params), paced, retrying the
        target's 429 as it asks; None (with the reason recorded) if no job was made."""
        body = copy.deepcopy(self.options.job_body or example_body())
        if variant is not None:
            body["program_id"], body["params"] = variant.program_id, dict(variant.params)
        body["params"] = {**body.get("params", {}), **self.options.extra_params}
        if private:
            body["private"] = True
        create = spec_operations()["create_job"]
        for _ in range(MAX_CREATE_ATTEMPTS):
            self.phase.pacer.before_create()
            if self.stopped:
                return None
            status, payload = self.call("create_job", body=body)
            if status == 429:
                self.phase.pacer.refused(self.retry_after)
                continue
            job_id = payload.get("id") if isinstance(payload, dict) else None
            if status == 200 and isinstance(job_id, str) and job_id:
                return job_id
            why = answer_text(status, payload) if status != 200 else "its answer names no job id"
            self.cannot_run(create, f"the create was refused: {why}")
            return None
        self.cannot_run(create, f"the target answered 429 to {MAX_CREATE_ATTEMPTS} creates")
        return None

    def status(self, job_id: str) -> str | None:
        return self.phase.session.look(job_id).status

    def wait_for(self, job_id: str, wanted: frozenset[str], what: str) -> str | None:
        """The job's status once it is one of `wanted`; None (recorded as a failure, unless the
        run is stopping) when it is not within the job timeout."""
        last = [Look(None)]

        def check() -> str | None:
            last[0] = self.phase.session.look(job_id)
            return last[0].status if last[0].status in wanted else None

        found = self.phase.progress.until(
            check,
            lambda: f"{self.scenario}: job {job_id} to be {what} (now {last[0].describe()})",
            self.options.job_timeout,
            self.options.poll_seconds,
        )
        if found is None and not self.stopped:
            self.cannot_run(
                f"wait for {what}",
                f"job {job_id} is {last[0].describe()}, not {what}, after "
                f"{self.options.job_timeout:g}s (--job-timeout)",
            )
        return found


def _check(case: Any, response: Any, checks: list[Any]) -> list[str]:
    """Failures of the lifecycle checks, minus those the spec itself excuses (see hooks)."""
    try:
        case.validate_response(response, checks=checks)
    except (AssertionError, BaseExceptionGroup) as exc:  # a Failure, or a FailureGroup
        found = list(exc.exceptions) if isinstance(exc, BaseExceptionGroup) else [exc]
        return [
            describe_failure(failure)
            for failure in found
            if hooks.filter_failure(None, failure, case, response)
        ]
    return []


def describe_failure(failure: BaseException) -> str:
    """One line: schemathesis' title plus its message (a custom check's own words)."""
    title = getattr(failure, "title", None) or type(failure).__name__
    message = " ".join((getattr(failure, "message", None) or str(failure)).split())
    return f"{title}: {message}" if message and message != title else title


def result_schemas() -> list[str]:
    """The variants of `JobResults` the spec documents: its branches' schema names."""
    results = load_spec()["components"]["schemas"]["JobResults"]
    branches = results.get("anyOf") or results.get("oneOf") or []
    return [str(branch["$ref"]).rsplit("/", 1)[-1] for branch in branches]


def variant_problems(expected: str, body: Any) -> list[str]:
    """Why a 200 results body is not an instance of the `expected` variant.

    schemathesis validates the body against `JobResults`, which any variant passes; this
    also catches, e.g., a noise-learner job answered with an executor result.
    """
    index = hooks.spec_index()
    why = index.schema_errors(f"/components/schemas/{expected}", body)
    if not why:
        return []
    matched = [
        name
        for name in result_schemas()
        if not index.schema_errors(f"/components/schemas/{name}", body, limit=1)
    ]
    return [f"not a {expected} body ({'; '.join(why)}); it matches {', '.join(matched) or 'none'}"]


def example_body() -> dict[str, Any]:
    post = load_spec()["paths"]["/jobs"]["post"]
    example: dict[str, Any] = post["requestBody"]["content"]["application/json"]["examples"]
    return copy.deepcopy(next(iter(example.values()))["value"])


Scenario = Callable[[_Play], None]


def _pending(p: _Play) -> None:
    """A pending job: what any state allows, then the pending-state rules, then cancelled."""
    job = p.create(private=False)
    if job is None:
        return
    p.call("get_job", job, status=200)
    p.call("replace_job_tags", job, body={"tags": ["qrj-contract"]}, status=204)
    p.call("get_job_logs", job, status=200)
    p.call("get_job_metrics", job, status=200)
    state = p.status(job)
    if state in PENDING:
        p.call("get_job_results", job)  # 204 while pending
        deleted, _ = p.call("delete_job", job)  # 400 while pending; the state rule judges
        if deleted == 204:
            p.call("get_job", job, status=404)
            return
    else:
        p.note(f"job {job} was {state} when first read: no pending-state answer to judge")
    p.call("cancel_job", job)  # 204 while pending, 409 once ended (the state rule judges)
    if p.wait_for(job, TERMINAL, "terminal") is None:
        return
    p.call("cancel_job", job)  # 409 once terminal
    p.call("delete_job", job, status=204)
    p.call("get_job", job, status=404)


def _job_once(p: _Play, wanted: frozenset[str], what: str) -> tuple[str, str] | None:
    """A new job and its status once it is one of `wanted` (None: the scenario ends here)."""
    job = p.create(private=False)
    state = None if job is None else p.wait_for(job, wanted, what)
    return None if job is None or state is None else (job, state)


def _running(p: _Play) -> None:
    """A running job cancelled: 204 while it runs, and it ends."""
    found = _job_once(p, RUNNING_OR_ENDED, "Running")
    if found is None:
        return
    job, state = found
    if state != "Running":
        p.note(f"job {job} ended {state} before it was seen Running: no running cancel to judge")
    p.call("cancel_job", job)  # 204 while running, 409 once ended (the state rule judges)
    if p.wait_for(job, TERMINAL, "terminal") is not None:
        p.call("delete_job", job, status=204)


def _completed(p: _Play) -> None:
    """A completed job: its results, then the terminal-state rules."""
    found = _job_once(p, TERMINAL, "terminal")
    if found is None:
        return
    job, state = found
    if state == "Completed":
        p.call("get_job_results", job, status=200)
        p.call("get_job_results", job, status=200)  # not private: still there
    else:
        p.cannot_run("wait for Completed", f"job {job} ended {state}: it has no result to read")
    p.call("cancel_job", job)  # 409 once terminal
    p.call("delete_job", job, status=204)
    p.call("get_job", job, status=404)


def _private(p: _Play) -> None:
    """A private job: params hidden, results read once."""
    job = p.create(private=True)
    if job is None:
        return
    if not p.options.spend_qpu:
        p.call("cancel_job", job)
    state = p.wait_for(job, TERMINAL, "terminal")
    if state is None:
        return
    p.call("get_job", job, status=200)
    if state == "Completed":
        p.call("get_job_results", job, status=200)  # the one read
        p.call("get_job_results", job, status=204)  # gone after it
    else:
        p.call("get_job_results", job)
    p.call("delete_job", job, status=204)


def _results(p: _Play) -> None:
    """Completed jobs of every result variant; each body must be an instance of its variant."""
    # All created first, so that they queue and run side by side.
    jobs = [(v, p.create(private=False, variant=v)) for v in p.options.result_variants]
    for variant, job in jobs:
        if p.stopped:
            return
        state = None if job is None else p.wait_for(job, TERMINAL, "terminal")
        if job is None or state != "Completed":
            why = f"not exercised: the job {_fate(job, state)}"
            read = Step(p.scenario, spec_operations()["get_job_results"], None, (why,))
        else:
            judge = partial(variant_problems, variant.schema)
            p.call("get_job_results", job, judge=judge, status=200)
            read = _last_step(p, "get_job_results")
            p.call("delete_job", job, status=204)
        p.phase.report.result(ResultCheck(variant, read))
        mark = "ok" if read.ok else "FAIL: " + "; ".join(read.problems)
        p.say(f"{variant.name} ({variant.schema}) {mark}")


def _last_step(p: _Play, operation_id: str) -> Step:
    """The scenario's latest step of `operation_id` (other scenarios record side by side)."""
    name = spec_operations()[operation_id]
    return next(
        step
        for step in reversed(p.phase.report.steps)
        if step.scenario == p.scenario and step.operation == name
    )


def _fate(job: str | None, state: str | None) -> str:
    """Why a variant's job has no results to read."""
    if job is None:
        return "was not created"
    return f"ended {state}" if state else "did not end in time"


# Scenario name -> (function, needs a job to run on the QPU). In budget order.
SCENARIOS: dict[str, tuple[Scenario, bool]] = {
    "pending": (_pending, False),
    "private": (_private, False),
    "running": (_running, True),
    "completed": (_completed, True),
    "results": (_results, True),
}
NO_VARIANTS = (
    "no result variants to ask for: each costs a job, so they are read from the embedded "
    "mock only (completed reads this target's own result)"
)


def plan(options: LifecycleOptions, already_created: int) -> Iterator[tuple[str, str | None]]:
    """(scenario, reason it is skipped or None) in order, within the budget."""
    budget = None if options.max_jobs is None else options.max_jobs - already_created
    for name, (_, runs) in SCENARIOS.items():
        jobs = len(options.result_variants) if name == "results" else 1
        if runs and not options.spend_qpu:
            yield name, "would let a job run on the QPU (billed); covered against a mock"
        elif jobs == 0:
            yield name, NO_VARIANTS
        elif budget is not None and budget < jobs:
            short = f"needs {jobs} jobs, {budget} left" if budget > 0 else "job budget used up"
            yield name, f"{short} (--max-jobs {options.max_jobs})"
        else:
            if budget is not None:
                budget -= jobs
            yield name, None


def _play(phase: _Phase, name: str) -> None:
    play = _Play(phase, name)
    play.say(str(SCENARIOS[name][0].__doc__))
    try:
        SCENARIOS[name][0](play)
    except Exception as exc:  # the target answered something no step expected
        play.cannot_run("scenario", f"{type(exc).__name__}: {exc}")


def run_lifecycle(
    schema: Any, options: LifecycleOptions, progress: Progress, session: Session
) -> LifecycleReport:
    """Run every scenario the budget and the billing policy allow, side by side."""
    phase = _Phase(
        schema, options, progress, session, CreatePacer(options.creates_per_minute, progress)
    )
    chosen = []
    for name, skipped in plan(options, session.ledger.count):
        if skipped:
            phase.report.skipped[name] = skipped
            progress.say(f"lifecycle {name}: skipped ({skipped})")
        else:
            chosen.append(name)
    if chosen:
        with ThreadPoolExecutor(len(chosen), thread_name_prefix="lifecycle") as pool:
            for future in [pool.submit(_play, phase, name) for name in chosen]:
                future.result()
    return phase.report
