"""What the reference page says every answer must show, whatever the run did before.

Two kinds of rule, both pure functions tested as tables and shared by the fuzzing hooks and
the lifecycle phase:
- state rules: the answers the page documents for a job in each state (`RULES`, `judge`):
  deleting a queued job must answer 400, and a 400 for a terminal job is a bug;
- behaviours: what any answer must show (`BEHAVIOURS`): a listing only holds jobs that match
  its filters, in its order, within its limit; a job's `status` matches `state.status`; a
  private job hides its params. Each finding names its behaviour, so the summary can say
  which behaviours were judged, how often, and which failed.
What depends on the run's own history (the tags it set, the jobs it cancelled) is `model`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from .._spec_facts import (
    LIST_LIMIT_DEFAULT,
    LIST_LIMIT_RANGE,
    LIST_OFFSET_DEFAULT,
    LIST_OFFSET_RANGE,
    PENDING_STATUSES,
    TERMINAL_STATUSES,
)

# The spec's job statuses: terminal (`JobStatus.x-terminal-values`) and the others.
PENDING, TERMINAL = PENDING_STATUSES, TERMINAL_STATUSES
CANCELLED = frozenset({"Cancelled", "Cancelled - Ran too long"})
# `status` values whose `state.status` has another name (JobStatus vs JobStateStatus).
STATE_OF_STATUS = {"Cancelled - Ran too long": "Cancelled"}
# list_jobs' `limit` and `offset`: 'If the provided value is outside of the viable range, no
# error occurs and the default value is used instead.'
LIMIT_RANGE, DEFAULT_LIMIT = LIST_LIMIT_RANGE, LIST_LIMIT_DEFAULT
OFFSET_RANGE, DEFAULT_OFFSET = LIST_OFFSET_RANGE, LIST_OFFSET_DEFAULT
StateClass = Literal["pending", "completed", "completed-private", "ended"]


def stage(status: object) -> int | None:
    """Where a status stands in a job's life: 0 queued, 1 running, 2 ended (None: a status
    the page does not list)."""
    if status == "Queued":
        return 0
    if status == "Running":
        return 1
    return 2 if status in TERMINAL else None


def state_class(status: str, *, private: bool) -> StateClass | None:
    """Which column of the rule table a job status falls in (None: a status we don't know)."""
    if status in PENDING:
        return "pending"
    if status == "Completed":
        return "completed-private" if private else "completed"
    if status in TERMINAL:
        return "ended"
    return None


@dataclass(frozen=True)
class StateRule:
    """One rule: the page's words and the documented answers per state class."""

    operation_id: str
    page: str
    answers: Mapping[StateClass, frozenset[int]]

    @property
    def judged(self) -> frozenset[int]:
        """The statuses this rule speaks about (others, e.g. 404 or 401, are not its business)."""
        return frozenset().union(*self.answers.values())


def _answers(
    pending: set[int], completed: set[int], private: set[int], ended: set[int]
) -> Mapping[StateClass, frozenset[int]]:
    return {
        "pending": frozenset(pending),
        "completed": frozenset(completed),
        "completed-private": frozenset(private),
        "ended": frozenset(ended),
    }


RULES: Mapping[str, StateRule] = {
    rule.operation_id: rule
    for rule in (
        StateRule(
            "delete_job",
            "Delete a job: 'Job must be in a terminal state.' (400 Bad Request otherwise)",
            _answers(pending={400}, completed={204}, private={204}, ended={204}),
        ),
        StateRule(
            "cancel_job",
            "Cancel a job: '409 Job is in non cancellable status.'",
            _answers(pending={204}, completed={409}, private={409}, ended={409}),
        ),
        StateRule(
            "get_job_results",
            "List job results: '200 Returns the job's final result. 204 Job's final result "
            "not found.' A private job's results 'can only be read once'.",
            # A private result is gone after its first read. Only a Completed job has a
            # 'final result': a Failed or Cancelled one answers 204.
            _answers(pending={204}, completed={200}, private={200, 204}, ended={204}),
        ),
    )
}


@dataclass(frozen=True)
class Verdict:
    """The judgement of one answer: ok True/False, or None when the rule cannot tell."""

    ok: bool | None
    state: StateClass | None
    message: str


def judge(
    operation_id: str,
    before: str | None,
    answered: int,
    *,
    private: bool = False,
    after: str | None = None,
) -> Verdict:
    """Judge `answered` for a job that was `before` when the request left (and `after` now).

    `after` covers a job that moved between the probe and the request: an answer documented
    for the later state passes. A delete that succeeded leaves no `after`, so a 204 for a job
    probed `Running` cannot be judged: it may have finished in between.
    """
    rule = RULES.get(operation_id)
    cls = state_class(before, private=private) if before else None
    if rule is None or cls is None or answered not in rule.judged:
        return Verdict(None, cls, "not a state rule's business")
    if answered in rule.answers[cls]:
        return Verdict(True, cls, f"{answered} is documented for a {before} job")
    later = state_class(after, private=private) if after else None
    if later is not None and answered in rule.answers[later]:
        return Verdict(True, later, f"{answered} fits the job's later status {after}")
    if operation_id == "delete_job" and before == "Running" and after is None and answered == 204:
        return Verdict(None, cls, "204 for a Running job that may have just ended (now gone)")
    expected = " or ".join(str(s) for s in sorted(rule.answers[cls]))
    return Verdict(
        False,
        cls,
        f"{operation_id}: answered {answered} for a job in status {before!r}; the page "
        f"documents {expected} for that state ({rule.page})",
    )


BEHAVIOURS: Mapping[str, str] = {
    "list: pending": "List jobs `pending`: 'Returns Queued and Running jobs if true. Returns "
    "Completed, Cancelled, and Failed jobs if false.'",
    "list: program": "List jobs `program`: 'Program ID to filter jobs'",
    "list: backend": "List jobs `backend`: 'Backend to filter jobs'",
    "list: created_after": "List jobs `created_after`: 'Job created after filter'",
    "list: created_before": "List jobs `created_before`: 'Job created before filter'",
    "list: tags": "List jobs `tags`: 'Tags to filter jobs'",
    "list: session_id": "List jobs `session_id`: 'Session ID to filter jobs'",
    "list: exclude_params": "List jobs `exclude_params`: 'Exclude job params from the "
    "response' (default true)",
    "list: limit": "List jobs `limit`: 'Number of results to return at a time'",
    "list: offset": "List jobs `offset`: 'Number of results to offset': pages follow one "
    "another, no job twice, none left out",
    "list: count": "List jobs `count`: 'Total number of jobs for the user'",
    "list: sort": "List jobs `sort`: 'Sort jobs by created time ASC or DESC (default)'",
    "list: only the caller's jobs": "List jobs: 'List the quantum program jobs you have run'",
    "read: the job asked for": "List job details: 'the specified quantum program job', no other",
    "read back: create": "A job shows the program, backend, tags, session, privacy and cost it "
    "was created with",
    "read back: tags": "Replace job tags: the job shows exactly the new tags",
    "cancel is applied": "Cancel a job: once cancelled (204), it ends Cancelled, never Completed",
    "delete is applied": "Delete a job: once deleted (204), it answers 404 and is listed no more",
    "status matches state": "A job's `status` and `state.status` name the same status",
    "status never goes back": "A job moves Queued -> Running -> a terminal status, and stays there",
    "metrics timestamps in order": "Job metrics `timestamps`: created, then running, then finished",
    "private: params hidden": "PrivateFlag: 'input parameters are not returned'",
    "private: flag omitted unless true": "PrivateFlag: 'Only returned in the response if the "
    "value is true, otherwise it is omitted'",
}


@dataclass(frozen=True)
class Finding:
    """One behaviour judged on one answer: `problem` None means it held."""

    behaviour: str
    problem: str | None = None


def judged(behaviour: str, problems: Sequence[str]) -> Finding:
    """The finding of a behaviour judged once: its problems joined, or held."""
    return Finding(behaviour, "; ".join(problems) if problems else None)


def timestamp(value: Any) -> datetime | None:
    """An RFC 3339 date-time (the spec's `format: date-time`), or None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _one(value: Any) -> Any:
    """A query value as one value (a client may repeat a parameter: the last one counts)."""
    return value[-1] if isinstance(value, list | tuple) and value else value


def _flag(value: Any) -> bool | None:
    return (
        {"true": True, "false": False}.get(str(_one(value)).lower()) if value is not None else None
    )


def _integer(value: Any) -> int | None:
    try:
        return int(str(_one(value)))
    except ValueError:
        return None


@dataclass(frozen=True)
class ListQuery:
    """What a `GET /jobs` asked for, read the way the page reads it."""

    pending: bool | None = None
    program: str | None = None
    backend: str | None = None
    session_id: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    tags: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    offset: int = DEFAULT_OFFSET
    ascending: bool = False
    exclude_params: bool = True

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ListQuery:
        limit, offset = _integer(params.get("limit")), _integer(params.get("offset"))
        tags = params.get("tags", ())
        text = {name: params.get(name) for name in ("program", "backend", "session_id")}
        return cls(
            pending=_flag(params.get("pending")),
            **{k: None if v is None else str(_one(v)) for k, v in text.items()},
            created_after=timestamp(_one(params.get("created_after"))),
            created_before=timestamp(_one(params.get("created_before"))),
            tags=tuple(str(t) for t in (tags if isinstance(tags, list | tuple) else [tags])),
            limit=limit if limit is not None and in_range(limit, *LIMIT_RANGE) else DEFAULT_LIMIT,
            offset=offset
            if offset is not None and in_range(offset, *OFFSET_RANGE)
            else DEFAULT_OFFSET,
            ascending=str(_one(params.get("sort", ""))).upper() == "ASC",
            exclude_params=_flag(params.get("exclude_params")) is not False,
        )

    def matches(self, job: Mapping[str, Any]) -> dict[str, bool | None]:
        """For each filter this query sets: whether `job` matches it (None: can't tell)."""
        program = job.get("program")
        created = timestamp(job.get("created"))
        status = job.get("status")
        checks: dict[str, bool | None] = {}
        if self.pending is not None:
            known = status in PENDING or status in TERMINAL
            checks["list: pending"] = (status in PENDING) == self.pending if known else None
        if self.program is not None:
            shown = program.get("id") if isinstance(program, dict) else None
            checks["list: program"] = shown == self.program
        if self.backend is not None:
            checks["list: backend"] = job.get("backend") == self.backend
        if self.session_id is not None:
            checks["list: session_id"] = job.get("session_id") == self.session_id
        if self.created_after is not None:
            # 'after': a job created at the bound itself may go either way.
            checks["list: created_after"] = (
                None if created is None else created >= self.created_after
            )
        if self.created_before is not None:
            checks["list: created_before"] = (
                None if created is None else created <= self.created_before
            )
        if self.tags:
            shown = job.get("tags")
            tags = shown if isinstance(shown, list) else []
            # The page does not say whether several tags mean all or any of them: a job
            # with none of them matches under neither reading.
            checks["list: tags"] = any(tag in tags for tag in self.tags)
        return checks


def in_range(value: int, low: int, high: int) -> bool:
    return low <= value <= high


def listing_findings(
    query: ListQuery, body: Mapping[str, Any], *, user_id: str | None = None
) -> list[Finding]:
    """What any `GET /jobs` answer must show: each job matches every filter, within the limit,
    in the order asked, without params unless asked, only the caller's jobs."""
    raw = body.get("jobs")
    jobs = [job for job in raw if isinstance(job, dict)] if isinstance(raw, list) else []
    problems: dict[str, list[str]] = {}
    for job in jobs:
        for behaviour, ok in query.matches(job).items():
            problems.setdefault(behaviour, [])
            if ok is False:
                problems[behaviour].append(f"job {job.get('id')} does not match")
    found = [judged(name, sorted(set(p))) for name, p in problems.items()]
    found.append(
        judged(
            "list: limit",
            [f"{len(jobs)} jobs for limit {query.limit}"] if len(jobs) > query.limit else [],
        )
    )
    if query.exclude_params:
        shown = [str(job.get("id")) for job in jobs if "params" in job]
        found.append(
            judged(
                "list: exclude_params", [f"params returned for {', '.join(shown)}"] if shown else []
            )
        )
    found.append(_order(jobs, ascending=query.ascending))
    count = body.get("count")
    if isinstance(count, int) and jobs:
        short = count < query.offset + len(jobs)
        found.append(
            judged(
                "list: count",
                [f"count {count} < offset {query.offset} + {len(jobs)} listed"] if short else [],
            )
        )
    if user_id is not None:
        others = sorted(
            {str(job["user_id"]) for job in jobs if job.get("user_id") not in (None, user_id)}
        )
        found.append(
            judged(
                "list: only the caller's jobs",
                [f"jobs of user(s) {', '.join(others)}"] if others else [],
            )
        )
    for job in jobs:
        found += job_findings(job)
    return found


def _order(jobs: Iterable[Mapping[str, Any]], *, ascending: bool) -> Finding:
    created = [timestamp(job.get("created")) for job in jobs]
    known = [moment for moment in created if moment is not None]
    pairs = list(itertools.pairwise(known))
    wrong = [(a, b) for a, b in pairs if (a > b if ascending else a < b)]
    word = "ASC" if ascending else "DESC"
    return judged(
        "list: sort", [f"{word} listing has {wrong[0][0]} before {wrong[0][1]}"] if wrong else []
    )


def job_findings(job: Mapping[str, Any]) -> list[Finding]:
    """What any job the target shows must hold: its two statuses agree; privacy."""
    found = []
    state = job.get("state")
    status, inner = job.get("status"), state.get("status") if isinstance(state, dict) else None
    known = PENDING | TERMINAL  # an open enum's new value is drift, not a disagreement
    if status in known and inner in known:
        same = STATE_OF_STATUS.get(status, status) == inner
        found.append(
            judged(
                "status matches state",
                [] if same else [f"status {status!r} but state.status {inner!r}"],
            )
        )
    private = job.get("private")
    found.append(
        judged(
            "private: flag omitted unless true",
            ["'private': false is returned"] if private is False else [],
        )
    )
    if private is True:
        found.append(
            judged(
                "private: params hidden",
                ["a private job's input parameters are returned"] if "params" in job else [],
            )
        )
    return found


def asked_for(job_id: str, job: Mapping[str, Any]) -> Finding:
    """`GET /jobs/{id}` answers the job with that id."""
    shown = job.get("id")
    wrong = [] if shown == job_id else [f"asked for job {job_id}, answered job {shown}"]
    return judged("read: the job asked for", wrong)


def metrics_findings(metrics: Mapping[str, Any]) -> list[Finding]:
    """Job metrics: a job is created, then runs, then finishes."""
    stamps = metrics.get("timestamps")
    if not isinstance(stamps, dict):
        return []
    order = [(name, timestamp(stamps.get(name))) for name in ("created", "running", "finished")]
    known = [(name, moment) for name, moment in order if moment is not None]
    wrong = [
        f"{a} {ma.isoformat()} after {b} {mb.isoformat()}"
        for (a, ma), (b, mb) in itertools.pairwise(known)
        if ma > mb
    ]
    return [judged("metrics timestamps in order", wrong)] if len(known) > 1 else []
