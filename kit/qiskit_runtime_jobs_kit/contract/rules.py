"""The job-lifecycle rules the reference page states, as state-aware expectations.

A rule maps the state a job was in when the request was sent to the answers the page
documents for that state. The same status for a job in the other state is a contract failure:
deleting a queued job must answer 400, and a 400 for a terminal job is a bug. Pure functions,
so the table is tested on its own and shared by the fuzzing hooks and the lifecycle phase.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

PENDING = frozenset({"Queued", "Running"})
TERMINAL = frozenset({"Completed", "Failed", "Cancelled", "Cancelled - Ran too long"})
StateClass = Literal["pending", "completed", "completed-private", "ended"]


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
            # A private result is gone after its first read; Failed/Cancelled jobs may or may
            # not keep partial results: the page says neither way, so both answers pass.
            _answers(pending={204}, completed={200}, private={200, 204}, ended={200, 204}),
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


def listing_violations(pending: bool | None, statuses: list[str]) -> list[str]:
    """List jobs: 'Returns Queued and Running jobs if true. Returns Completed, Cancelled, and
    Failed jobs if false.' Every listed status must match the `pending` filter."""
    if pending is None:
        return []
    wrong = [s for s in statuses if (s in PENDING) != pending and (s in PENDING or s in TERMINAL)]
    return [f"pending={str(pending).lower()} listed a job in status {s!r}" for s in wrong]


def privacy_violations(job: Mapping[str, object]) -> list[str]:
    """PrivateFlag: 'input parameters are not returned'; the flag is 'Only returned in the
    response if the value is true, otherwise it is omitted.'"""
    found = []
    if job.get("private") is False:
        found.append("'private': false is returned; the page says it is omitted unless true")
    if job.get("private") is True and "params" in job:
        found.append("a private job's input parameters are returned")
    return found
