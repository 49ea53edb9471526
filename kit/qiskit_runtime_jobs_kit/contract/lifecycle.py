"""The lifecycle phase: a few real jobs, planned to show as much as they can, within a budget.

Fuzzing sends each request once, whatever state its job is in, and never knows the whole
account. This phase creates a small fleet of jobs on purpose (paced to the create rate limit),
made to differ so that each listing filter picks a real part of them (`listing`), and plays a
role with each: pending -> cancelled, private (read once), running -> cancelled, completed,
and an extra one for the filters. In order:

1. the fleet is created, and each job read back;
2. the run's tag is listed while the jobs are in mixed states (the `pending` filter);
3. each job plays its role, side by side, so a slow queue is waited out once;
4. once they have ended, every filter, page, sort and count is listed and held to the run's
   model (`model`): exactly the run's matching jobs;
5. each is deleted, and must then answer 404 and be listed no more;
6. on the embedded mock, one completed job per result variant is read (`ResultVariant`).

Every answer goes through the same schemathesis checks, state rules and behaviours as the
fuzzing phases. On a billed service (`spend_qpu=False`) no job is allowed to run: each is
cancelled while still queued, and the roles that need a running or finished job are skipped
with that reason. A role reads its job's state and picks its next step from it, so jobs that
end at once, in seconds or after minutes get the same verdict: a state never seen is a note,
not a failure. A role that cannot run (its create refused, its job stuck past `job_timeout`)
fails with that reason.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ..spec import load_spec, spec_operations
from . import hooks, listing
from .driver import LifecycleReport, Phase, Play, ResultCheck, ResultVariant, Step, created_id
from .model import settled_status
from .pacing import CreatePacer, Progress
from .preflight import answer_text
from .rules import PENDING, TERMINAL, judged
from .session import Session

RUNNING_OR_ENDED = frozenset({"Running"}) | TERMINAL
# The lifecycle's own steps outside any role: the fleet, the listings, the deletes.
FLEET, LISTING, RETIRE = "fleet", "listing", "retire"


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


# ---------------------------------------------------------------- the roles

Role = Callable[[Play, str], None]


def _pending(p: Play, job: str) -> None:
    """A pending job: tags replaced and read back, the pending-state rules, then cancelled."""
    world = Fleet.world_tag(p.phase.session.context.run_tag)  # it stays in the closed world
    p.call("replace_job_tags", job, body={"tags": ["qrj-contract", world]}, status=204)
    p.call("get_job", job, status=200)  # shows exactly the new tags
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
    if p.wait_for(job, TERMINAL, "terminal") is not None:
        p.call("get_job", job, status=200)  # a job cancelled while pending ends Cancelled
        p.call("cancel_job", job)  # 409 once terminal


def _private(p: Play, job: str) -> None:
    """A private job: params hidden, results read once."""
    if not p.phase.spend_qpu:
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


def _running(p: Play, job: str) -> None:
    """A running job cancelled: 204 while it runs, and it ends Cancelled."""
    state = p.wait_for(job, RUNNING_OR_ENDED, "Running")
    if state is None:
        return
    if state != "Running":
        p.note(f"job {job} ended {state} before it was seen Running: no running cancel to judge")
    p.call("cancel_job", job)  # 204 while running, 409 once ended (the state rule judges)
    if p.wait_for(job, TERMINAL, "terminal") is not None:
        p.call("get_job", job, status=200)


def _completed(p: Play, job: str) -> None:
    """A completed job: its results, then the terminal-state rules."""
    state = p.wait_for(job, TERMINAL, "terminal")
    if state is None:
        return
    if state == "Completed":
        p.call("get_job_results", job, status=200)
        p.call("get_job_results", job, status=200)  # not private: still there
        p.call("get_job_metrics", job, status=200)  # created, running, finished, in order
    else:
        p.cannot_run("wait for Completed", f"job {job} ended {state}: it has no result to read")
    p.call("cancel_job", job)  # 409 once terminal


def _extra(p: Play, job: str) -> None:
    """One more job for the listing filters: left to run (cancelled at once on a billed
    service)."""
    if not p.phase.spend_qpu:
        p.call("cancel_job", job)
    if p.wait_for(job, TERMINAL, "terminal") is not None:
        p.call("get_job", job, status=200)  # as it was created, in the status it ended in


@dataclass(frozen=True)
class RoleSpec:
    play: Role
    runs: bool  # needs its job to run on the QPU


# In budget order: the first ones get jobs when the budget is short.
ROLES: dict[str, RoleSpec] = {
    "pending": RoleSpec(_pending, runs=False),
    "private": RoleSpec(_private, runs=False),
    "running": RoleSpec(_running, runs=True),
    "completed": RoleSpec(_completed, runs=True),
    "extra": RoleSpec(_extra, runs=False),
}
SCENARIOS = (FLEET, *ROLES, LISTING, RETIRE, "results")
NO_VARIANTS = (
    "no result variants to ask for: each costs a job, so they are read from the embedded "
    "mock only (completed reads this target's own result)"
)
QPU = "would let a job run on the QPU (billed); covered against a mock"


def plan(options: LifecycleOptions, already_created: int) -> Iterator[tuple[str, str | None]]:
    """(role or "results", the reason it is skipped or None) in order, within the budget."""
    budget = None if options.max_jobs is None else options.max_jobs - already_created
    wanted = [(name, spec.runs, 1) for name, spec in ROLES.items()]
    for name, runs, jobs in [*wanted, ("results", True, len(options.result_variants))]:
        if runs and not options.spend_qpu:
            yield name, QPU
        elif jobs == 0:
            yield name, NO_VARIANTS
        elif budget is not None and budget < jobs:
            short = f"needs {jobs} jobs, {budget} left" if budget > 0 else "job budget used up"
            yield name, f"{short} (--max-jobs {options.max_jobs})"
        else:
            if budget is not None:
                budget -= jobs
            yield name, None


# ---------------------------------------------------------------- the fleet


def _other(value: Any, choices: tuple[str, str]) -> str:
    return choices[1] if value == choices[0] else choices[0]


@dataclass
class Fleet:
    """The run's jobs by role, and the filters whose second value the target refused."""

    jobs: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def world_tag(run_tag: str) -> str:
        """The fleet's own tag: the closed world is the jobs that carry it (the fuzzer's jobs
        carry the run's tag too, and the model knows only the fleet's)."""
        return f"{run_tag}-fleet"

    @staticmethod
    def group_tag(run_tag: str) -> str:
        """A second tag, on every other job: unique to the run, so the closed world holds."""
        return f"{run_tag}-a"


def _base_body(options: LifecycleOptions) -> dict[str, Any]:
    body = copy.deepcopy(options.job_body or example_body())
    body["params"] = {**body.get("params", {}), **options.extra_params}
    return body


def _bodies(base: Mapping[str, Any], roles: list[str], run_tag: str) -> list[dict[str, Any]]:
    """One create request per role, made to differ: a second tag on every other job, and a
    second program, backend and session, each on one job, from the last one back."""
    bodies = []
    for index, role in enumerate(roles):
        body = copy.deepcopy(dict(base))
        group = [Fleet.group_tag(run_tag)] if index % 2 == 0 else []
        body["tags"] = [*body.get("tags", []), Fleet.world_tag(run_tag), *group]
        if role == "private":
            body["private"] = True
        bodies.append(body)
    seconds = {
        "program_id": _other(base.get("program_id"), ("sampler", "estimator")),
        "backend": f"{base.get('backend') or 'ibm_backend'}_b",
        "session_id": f"{run_tag}-session",
    }
    for body, (name, value) in zip(reversed(bodies), seconds.items(), strict=False):
        body[name] = value
    return bodies


# A create field made to differ -> the listing filter it serves.
FILTER_OF = {"program_id": "program", "backend": "backend", "session_id": "session_id"}


def _create_one(p: Play, fleet: Fleet, base: Mapping[str, Any], body: dict[str, Any]) -> str | None:
    """Create one job of the fleet. If the target refuses its second program, backend or
    session (a 4xx), it is sent again as the first job was: that filter is then not shown."""
    varied = [name for name in FILTER_OF if body.get(name) != base.get(name)]
    status, payload = p.send_create(body)
    refused = created_id(status, payload) is None and status is not None and 400 <= status < 500
    if varied and refused and status != 429 and not p.stopped:
        for name in varied:
            what = FILTER_OF[name].replace("_", " ")
            fleet.refused[FILTER_OF[name]] = (
                f"the target refused a second {what} ({body[name]!r}: "
                f"{answer_text(status, payload)})"
            )
        kept = {k: v for k, v in body.items() if k not in varied}
        body = {**kept, **{name: base[name] for name in varied if name in base}}
        status, payload = p.send_create(body)
    return p.settle(status, payload)


def _create_fleet(phase: Phase, options: LifecycleOptions, roles: list[str]) -> Fleet:
    """A job per role, created one after another, each read back at once."""
    p = Play(phase, FLEET)
    fleet = Fleet()
    base = _base_body(options)
    for role, body in zip(roles, _bodies(base, roles, phase.session.context.run_tag), strict=True):
        job = _create_one(p, fleet, base, body)
        if job is not None:
            fleet.jobs[role] = job
            p.call("get_job", job, status=200)  # shows what it was created with
    return fleet


# ---------------------------------------------------------------- the listings


def _statuses(phase: Phase, jobs: list[str]) -> dict[str, str | None]:
    return {job: phase.session.look(job).status for job in jobs}


def _list(p: Play, probe: listing.Probe, jobs: list[str]) -> list[dict[str, Any]] | None:
    """One closed-world listing, held to the model; the jobs it listed (None: no answer).

    Each job's status is looked at just before and just after, so a job that changed from
    pending to ended in between is neither required nor refused by the `pending` filter.
    """
    pending = probe.query.pending is not None
    before = _statuses(p.phase, jobs) if pending else {}
    listed: list[dict[str, Any]] = []

    def judge(payload: Any) -> list[str]:
        listed.extend(listing.jobs_of(payload))
        after = _statuses(p.phase, jobs) if pending else {}
        settled = {job: settled_status(before.get(job), after.get(job)) for job in jobs}
        problems = listing.problems(probe, listed, p.phase.session.model, settled)
        return p.found([judged(probe.behaviour, problems)])

    status, _ = p.call("list_jobs", query=probe.params, judge=judge, status=200)
    return listed if status == 200 else None


def _page_through(p: Play, world: str, expected: set[str]) -> None:
    """The run's jobs a page of `listing.PAGE` at a time: the pages partition them."""
    pages: list[list[str]] = []
    counts: list[int | None] = []
    for number in range(len(expected) // listing.PAGE + 2):  # one page past the end at most
        params = {"tags": [world], "limit": listing.PAGE, "offset": number * listing.PAGE}
        status, payload = p.call("list_jobs", query=params, status=200)
        if status != 200:
            return
        pages.append([str(job.get("id")) for job in listing.jobs_of(payload)])
        count = payload.get("count") if isinstance(payload, dict) else None
        counts.append(count if isinstance(count, int) else None)
        if len(pages[-1]) < listing.PAGE:
            break
    for behaviour, problems in listing.paging_problems(pages, counts, expected).items():
        p.found([judged(behaviour, problems)])


def _listings(phase: Phase, fleet: Fleet, *, settled: bool) -> None:
    """The run's tag listed with each filter; while jobs are in mixed states only `pending`
    (the others do not depend on a job's state), once they have ended every filter."""
    p = Play(phase, LISTING)
    run_tag = phase.session.context.run_tag
    model = phase.session.model
    world = Fleet.world_tag(run_tag)
    jobs = [record.id for record in model.jobs() if not record.deleted and world in record.tags]
    chosen = listing.plan(model, world, Fleet.group_tag(run_tag), fleet.refused)
    for probe in chosen.probes:
        if settled or probe.behaviour == "list: pending":
            _list(p, probe, jobs)
    if settled:
        _page_through(p, world, set(jobs))
        for behaviour, why in chosen.cannot.items():
            phase.report.cannot[behaviour] = why
            p.note(f"{behaviour}: not exercised ({why})")


def _retire(phase: Phase, fleet: Fleet) -> None:
    """Delete each ended job of the fleet: then it answers 404 and is listed no more."""
    p = Play(phase, RETIRE)
    gone = []
    for job in fleet.jobs.values():
        record = phase.session.model.job(job)
        if record is None or record.deleted or p.status(job) not in TERMINAL:
            continue  # a job that never ended is cleanup's
        status, _ = p.call("delete_job", job, status=204)
        if status == 204:
            gone.append(job)
            shown, _ = p.call("get_job", job, status=404)
            still = [] if shown == 404 else [f"job {job} was deleted (204); GET answered {shown}"]
            p.found([judged("delete is applied", still)])
    if gone:
        world = Fleet.world_tag(phase.session.context.run_tag)

        def absent(payload: Any) -> list[str]:
            still = sorted(set(gone) & {str(j.get("id")) for j in listing.jobs_of(payload)})
            found = [f"deleted job(s) {', '.join(still)} still listed"] if still else []
            return p.found([judged("delete is applied", found)])

        p.call("list_jobs", query={"tags": [world]}, judge=absent, status=200)


# ---------------------------------------------------------------- result variants


def _variant_body(options: LifecycleOptions, variant: ResultVariant) -> dict[str, Any]:
    body = copy.deepcopy(options.job_body or example_body())
    body["program_id"] = variant.program_id
    body["params"] = {**variant.params, **options.extra_params}
    return body


def _results(p: Play, options: LifecycleOptions) -> None:
    """Completed jobs of every result variant; each body must be an instance of its variant."""
    # All created first, so that they queue and run side by side.
    variants = options.result_variants
    jobs = [(variant, p.create(_variant_body(options, variant))) for variant in variants]
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


def _last_step(p: Play, operation_id: str) -> Step:
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


# ---------------------------------------------------------------- the phase


def _play(phase: Phase, role: str, job: str) -> None:
    play = Play(phase, role)
    play.say(str(ROLES[role].play.__doc__))
    try:
        ROLES[role].play(play, job)
    except Exception as exc:  # the target answered something no step expected
        play.cannot_run("scenario", f"{type(exc).__name__}: {exc}")


def run_lifecycle(
    schema: Any, options: LifecycleOptions, progress: Progress, session: Session
) -> LifecycleReport:
    """Create the fleet, list it, play every role the budget and billing policy allow side
    by side, list it again, retire it; then the result variants."""
    phase = Phase(
        schema,
        options.base_url,
        progress,
        session,
        CreatePacer(options.creates_per_minute, progress),
        job_timeout=options.job_timeout,
        poll_seconds=options.poll_seconds,
        spend_qpu=options.spend_qpu,
    )
    phase.report.order = SCENARIOS
    roles, results = [], False
    for name, skipped in plan(options, session.ledger.count):
        if skipped:
            phase.report.skipped[name] = skipped
            progress.say(f"lifecycle {name}: skipped ({skipped})")
        elif name == "results":
            results = True
        else:
            roles.append(name)
    try:
        fleet = _create_fleet(phase, options, roles)
        if fleet.jobs:
            _listings(phase, fleet, settled=False)
            with ThreadPoolExecutor(len(fleet.jobs), thread_name_prefix="lifecycle") as pool:
                plays = [pool.submit(_play, phase, r, j) for r, j in fleet.jobs.items()]
                for future in plays:
                    future.result()
            if not progress.stopped:
                _listings(phase, fleet, settled=True)
                _retire(phase, fleet)
        if results and not progress.stopped:
            _results(Play(phase, "results"), options)
    except Exception as exc:  # the target answered something no step expected
        Play(phase, LISTING).cannot_run("lifecycle", f"{type(exc).__name__}: {exc}")
    return phase.report
