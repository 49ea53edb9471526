"""The lifecycle phase: real jobs driven through the page's states, within a job budget.

Fuzzing sends each request once, whatever state its job is in. This phase creates a few jobs
on purpose (paced to the create rate limit) and walks each through a scenario: queued ->
cancelled, queued -> running -> cancelled, completed, private. Every answer goes through
the same schemathesis checks and state rules as the fuzzing phases. On a billed service
(`spend_qpu=False`) no job is allowed to run: each is cancelled while still queued, and the
scenarios that need a running or finished job are skipped with that reason.

The `results` scenario reads one completed job per result variant the caller names
(`ResultVariant`: executor, noise-learner, legacy), because one job shows only one of the
`JobResults` shapes; each body must be an instance of its own variant's schema. Each variant
costs a job, so the runner names variants for the embedded mock only.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from schemathesis.checks import CHECKS

from qiskit_runtime_jobs import parse_retry_after

from ..spec import load_spec, spec_operations
from . import hooks
from .pacing import CreatePacer, Progress
from .rules import TERMINAL

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


@dataclass(frozen=True)
class Step:
    """One request of a scenario and what became of it."""

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
    steps: list[Step] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    results: list[ResultCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps) and all(check.ok for check in self.results)


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


class _Driver:
    """Sends scenario requests through schemathesis cases and records each step."""

    def __init__(self, schema: Any, options: LifecycleOptions, progress: Progress) -> None:
        self.schema = schema
        self.options = options
        self.progress = progress
        self.pacer = CreatePacer(options.creates_per_minute, progress)
        self.report = LifecycleReport()
        self.checks = CHECKS.get_by_names(list(LIFECYCLE_CHECKS))
        self.scenario = ""
        self.retry_after: float | None = None

    def call(
        self,
        operation_id: str,
        job_id: str | None = None,
        body: Any = None,
        judge: Callable[[Any], list[str]] | None = None,
        **expect: int,
    ) -> tuple[int | None, Any]:
        """One validated request; `expect=` pins the status when no state rule decides it,
        `judge` adds the problems of a 200 body beyond the spec's checks."""
        operation = self.schema.find_operation_by_id(operation_id)
        kwargs: dict[str, Any] = {"headers": hooks.api_headers()}
        if job_id is not None:
            kwargs["path_parameters"] = {"id": job_id}
        if body is not None:
            kwargs["body"] = body
            kwargs["media_type"] = "application/json"
        case = operation.Case(**kwargs)
        name = spec_operations()[operation_id]
        try:
            response = case.call(base_url=self.options.base_url)
        except Exception as exc:  # a transport failure is this step's result
            self._record(name, None, [f"request failed: {type(exc).__name__}: {exc}"])
            return None, None
        self.retry_after = parse_retry_after(hooks.header(response, "Retry-After"))
        problems = _check(case, response, self.checks)
        wanted = expect.get("status")
        if wanted is not None and response.status_code != wanted:
            problems.append(f"expected {wanted}, got {response.status_code}")
        try:
            payload = response.json() if response.content else None
        except ValueError:
            payload = None
        if judge is not None and response.status_code == 200:
            problems += judge(payload)
        self._record(name, response.status_code, problems)
        return response.status_code, payload

    def _record(self, operation: str, answered: int | None, problems: list[str]) -> None:
        step = Step(self.scenario, operation, answered, tuple(problems))
        self.report.steps.append(step)
        mark = "ok" if step.ok else "FAIL: " + "; ".join(problems)
        self.progress.say(f"{self.scenario}: {operation} -> {answered} {mark}")

    def create(self, *, private: bool, variant: ResultVariant | None = None) -> str | None:
        """Create one cheap job (of `variant`'s program and params), paced, retrying the
        target's 429 as it asks."""
        body = copy.deepcopy(self.options.job_body or example_body())
        if variant is not None:
            body["program_id"], body["params"] = variant.program_id, dict(variant.params)
        body["params"] = {**body.get("params", {}), **self.options.extra_params}
        if private:
            body["private"] = True
        for _ in range(MAX_CREATE_ATTEMPTS):
            self.pacer.before_create()
            status, payload = self.call("create_job", body=body)
            if status == 429:
                self.pacer.refused(self.retry_after)
                continue
            if status == 200 and isinstance(payload, dict):
                return str(payload["id"])
            return None
        return None

    def status(self, job_id: str) -> str | None:
        state = hooks.probe(job_id)
        return state[0] if state else None

    def wait_for(self, job_id: str, wanted: frozenset[str], what: str) -> str | None:
        last: list[str | None] = [None]

        def check() -> str | None:
            last[0] = self.status(job_id)
            return last[0] if last[0] in wanted else None

        return self.progress.until(
            check,
            lambda: f"job {job_id} to be {what} (now {last[0]})",
            self.options.job_timeout,
            self.options.poll_seconds,
        )


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


Scenario = Callable[[_Driver], None]


def _pending(d: _Driver) -> None:
    """Queued -> cancelled: state rules while pending, then once terminal."""
    job = d.create(private=False)
    if job is None:
        return
    d.call("get_job_results", job)  # 204 while pending
    d.call("delete_job", job)  # 400 while pending
    d.call("replace_job_tags", job, body={"tags": ["qrj-contract"]}, status=204)
    d.call("get_job", job, status=200)
    d.call("get_job_logs", job, status=200)
    d.call("get_job_metrics", job, status=200)
    d.call("cancel_job", job)  # 204 while pending
    if d.wait_for(job, TERMINAL, "terminal") is None:
        return
    d.call("cancel_job", job)  # 409 once terminal
    d.call("delete_job", job)  # 204 once terminal
    d.call("get_job", job, status=404)


def _running(d: _Driver) -> None:
    """Queued -> running -> cancelled: cancelling a job that is running."""
    job = d.create(private=False)
    if job is None or d.wait_for(job, frozenset({"Running"} | TERMINAL), "running") is None:
        return
    d.call("cancel_job", job)
    if d.wait_for(job, TERMINAL, "terminal") is not None:
        d.call("delete_job", job)


def _completed(d: _Driver) -> None:
    """Queued -> running -> completed: results, then the terminal-state rules."""
    job = d.create(private=False)
    if job is None or d.wait_for(job, TERMINAL, "terminal") is None:
        return
    d.call("get_job_results", job)
    d.call("get_job_results", job)
    d.call("cancel_job", job)
    d.call("delete_job", job)
    d.call("get_job", job, status=404)


def _results(d: _Driver) -> None:
    """Completed jobs of every result variant; each body must be an instance of its variant."""
    # All created first, so that they queue and run side by side.
    jobs = [(v, d.create(private=False, variant=v)) for v in d.options.result_variants]
    for variant, job in jobs:
        state = None if job is None else d.wait_for(job, TERMINAL, "terminal")
        if job is None or state != "Completed":
            why = f"not exercised: the job {_fate(job, state)}"
            read = Step(d.scenario, spec_operations()["get_job_results"], None, (why,))
        else:
            judge = partial(variant_problems, variant.schema)
            d.call("get_job_results", job, judge=judge, status=200)
            read = d.report.steps[-1]  # every call records one step
            d.call("delete_job", job, status=204)
        d.report.results.append(ResultCheck(variant, read))
        mark = "ok" if read.ok else "FAIL: " + "; ".join(read.problems)
        d.progress.say(f"results: {variant.name} ({variant.schema}) {mark}")


def _fate(job: str | None, state: str | None) -> str:
    """Why a variant's job has no results to read."""
    if job is None:
        return "was not created"
    return f"ended {state}" if state else "did not end in time"


def _private(d: _Driver) -> None:
    """A private job: params hidden, results read once."""
    job = d.create(private=True)
    if job is None:
        return
    if not d.options.spend_qpu:
        d.call("cancel_job", job)
    if d.wait_for(job, TERMINAL, "terminal") is None:
        return
    d.call("get_job", job, status=200)
    d.call("get_job_results", job)
    d.call("get_job_results", job)
    d.call("delete_job", job)


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


def run_lifecycle(
    schema: Any, options: LifecycleOptions, progress: Progress, already_created: int
) -> LifecycleReport:
    """Run every scenario the budget and the billing policy allow."""
    driver = _Driver(schema, options, progress)
    for name, skipped in plan(options, already_created):
        if skipped:
            driver.report.skipped[name] = skipped
            progress.say(f"lifecycle {name}: skipped ({skipped})")
            continue
        driver.scenario = name
        progress.say(f"lifecycle {name}: {SCENARIOS[name][0].__doc__}")
        SCENARIOS[name][0](driver)
    return driver.report
