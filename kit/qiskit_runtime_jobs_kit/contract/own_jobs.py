"""The own-jobs rule: a run reads results of, and changes, only the jobs it created.

A contract run often shares an account with real work: a user's queued job, a completed one
whose results nobody read yet, a private one whose single read is not spent. The fuzzer
learns real ids from `GET /jobs` answers (schemathesis reuses values it saw), so without this
rule it cancels, retags and deletes them, and spends private reads. Pure functions: the
hooks apply them to every case, the lifecycle and cleanup to every request.
"""

from __future__ import annotations

from typing import Any

# Requests that change a job, or read (and for a private job, spend) its result.
GUARDED = frozenset({"get_job_results", "cancel_job", "delete_job", "replace_job_tags"})
# Methods that change nothing. Any other method with a job's id is guarded whatever the
# operation: the fuzzer also sends undocumented methods to documented paths (a `POST` to
# `/jobs/{id}`, a `DELETE` to `/jobs/{id}/logs`), which a lax target might carry out.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# What `GET /jobs/{id}` answers for an id no job of the target has (or can have).
NOT_SHOWN = frozenset({400, 404})


def shown_by(status: int | None) -> bool | None:
    """Whether the target shows a job, from its answer to `GET /jobs/{id}` (None: can't tell)."""
    if status == 200:
        return True
    return False if status in NOT_SHOWN else None


def guarded(operation: str, method: str) -> bool:
    """Whether a request (the case's operation, the method it is sent with) falls under the
    rule: it could read a job's result or change a job."""
    return operation in GUARDED or method.upper() not in SAFE_METHODS


def may_send(operation: str, method: str, *, own: bool, shown: bool | None) -> bool:
    """Whether a request of `operation`, sent with `method`, may go to this job id.

    `own`: the run created the job (its ledger says so). `shown`: the target shows a job with
    this id (None: it could not tell: an error, a refusal, no answer). Only an id the target
    says it does not know is safe when the job is not ours: nothing of anyone's can change.
    """
    return not guarded(operation, method) or own or shown is False


def with_run_tag(body: Any, tag: str, room: int, *, make_room: bool) -> None:
    """Put the run's tag into a body's `tags` list, where the body stays what it was.

    A valid body (`make_room`) always gets the tag: it takes the last slot of a full list,
    so no valid tags change made by the run erases it. An invalid body gets it only when its
    list has room: adding a valid tag never makes an invalid body valid, but taking a slot
    could (a list one item too long).
    """
    if not isinstance(body, dict):
        return
    tags = body.get("tags", [] if make_room else None)
    if not isinstance(tags, list) or tag in tags:
        return
    if len(tags) < room:
        body["tags"] = [*tags, tag]
    elif make_room and room > 0:
        body["tags"] = [*tags[: room - 1], tag]
