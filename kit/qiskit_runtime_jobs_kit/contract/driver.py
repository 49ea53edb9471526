"""How the lifecycle phase talks to the target: validated requests, recorded as steps.

Each request is a schemathesis case sent with `case.call` (so the hooks see it, as they see
the fuzzer's) and judged by the same checks; every answer becomes a `Step` of the role that
sent it, with its problems. A role that cannot go on says why as a failing step of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemathesis.checks import CHECKS

from qiskit_runtime_jobs import parse_retry_after

from ..spec import spec_operations
from . import hooks
from .pacing import CreatePacer, Progress
from .preflight import answer_text
from .rules import Finding
from .session import Look, Session

# Checks that judge one response on its own (the others need the fuzzing engine's context).
LIFECYCLE_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "job_state_rules",
    "job_behaviour",
    "private_results_read_once",
)
MAX_CREATE_ATTEMPTS = 5


@dataclass(frozen=True)
class Step:
    """One request of a role and what became of it (`answered` None: not sent, or no
    answer; a role that could not go on records why as a step of its own)."""

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
    """Every step, skipped role, result variant, note and behaviour the phase could not
    show (thread-safe: roles play side by side)."""

    steps: list[Step] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    results: list[ResultCheck] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    cannot: dict[str, str] = field(default_factory=dict)  # behaviour -> why it was not shown
    order: tuple[str, ...] = ()  # how scenarios are listed
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
        """The steps, grouped by scenario, in the scenarios' order."""
        grouped: dict[str, list[Step]] = {name: [] for name in self.order}
        for step in self.steps:
            grouped.setdefault(step.scenario, []).append(step)
        return {name: steps for name, steps in grouped.items() if steps}


@dataclass
class Phase:
    """What the roles share: the schema, the target's session, the pacer and the report."""

    schema: Any
    base_url: str
    progress: Progress
    session: Session
    pacer: CreatePacer
    job_timeout: float
    poll_seconds: float
    spend_qpu: bool
    report: LifecycleReport = field(default_factory=LifecycleReport)
    checks: list[Any] = field(default_factory=lambda: CHECKS.get_by_names(list(LIFECYCLE_CHECKS)))


class Play:
    """One role being played: sends its requests through schemathesis cases and records
    each step."""

    def __init__(self, phase: Phase, scenario: str) -> None:
        self.phase = phase
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
        query: Mapping[str, Any] | None = None,
        **expect: int,
    ) -> tuple[int | None, Any]:
        """One validated request; `expect=` pins the status when no state rule decides it,
        `judge` adds the problems of a 200 body beyond the checks. Once the run is stopping,
        nothing more is sent (cleanup takes over the role's job)."""
        if self.stopped:
            return None, None
        operation = self.phase.schema.find_operation_by_id(operation_id)
        kwargs: dict[str, Any] = {"headers": self.phase.session.headers()}
        if job_id is not None:
            kwargs["path_parameters"] = {"id": job_id}
        if query is not None:
            kwargs["query"] = dict(query)
        if body is not None:
            kwargs["body"] = body
            kwargs["media_type"] = "application/json"
        case = operation.Case(**kwargs)
        name = spec_operations()[operation_id]
        try:
            response = case.call(base_url=self.phase.base_url)
        except Exception as exc:  # a transport failure (or a hook's refusal) is the result
            self.record(name, None, [f"request failed: {type(exc).__name__}: {exc}"])
            return None, None
        self.retry_after = parse_retry_after(hooks.header(response, "Retry-After"))
        problems = _check(case, response, self.phase.checks)
        wanted = expect.get("status")
        if wanted is not None and response.status_code != wanted:
            problems.append(f"expected {wanted}, got {response.status_code}")
        payload = hooks.body_of(response)
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
        """The role could not go on: a failing step that says why."""
        self.record(what, None, [f"could not run: {why}"])

    def note(self, text: str) -> None:
        self.phase.report.note(self.scenario, text)
        self.say(f"note: {text}")

    def found(self, findings: list[Finding]) -> list[str]:
        """Report behaviours judged by the phase itself (the hooks report their own); their
        problems."""
        self.phase.session.found(findings)
        return [f.problem for f in findings if f.problem is not None]

    def send_create(self, body: Mapping[str, Any]) -> tuple[int | None, Any]:
        """One create, paced, retrying the target's 429 as it asks: its last answer."""
        status: int | None = None
        payload: Any = None
        for _ in range(MAX_CREATE_ATTEMPTS):
            self.phase.pacer.before_create()
            if self.stopped:
                return None, None
            status, payload = self.call("create_job", body=dict(body))
            if status != 429:
                return status, payload
            self.phase.pacer.refused(self.retry_after)
        return status, payload

    def create(self, body: Mapping[str, Any]) -> str | None:
        """Create one job; None (with the reason recorded as a failure) if none was made."""
        return self.settle(*self.send_create(body))

    def settle(self, status: int | None, payload: Any) -> str | None:
        """The job a create made; None (the reason recorded as a failure) if it made none."""
        job_id = created_id(status, payload)
        if job_id is None and not self.stopped:
            why = (
                f"the target answered 429 to {MAX_CREATE_ATTEMPTS} creates"
                if status == 429
                else answer_text(status, payload)
                if status != 200
                else "its answer names no job id"
            )
            self.cannot_run(spec_operations()["create_job"], f"the create was refused: {why}")
        return job_id

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
            self.phase.job_timeout,
            self.phase.poll_seconds,
        )
        if found is None and not self.stopped:
            self.cannot_run(
                f"wait for {what}",
                f"job {job_id} is {last[0].describe()}, not {what}, after "
                f"{self.phase.job_timeout:g}s (--job-timeout)",
            )
        return found


def created_id(status: int | None, payload: Any) -> str | None:
    job_id = payload.get("id") if isinstance(payload, dict) else None
    return job_id if status == 200 and isinstance(job_id, str) and job_id else None


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
