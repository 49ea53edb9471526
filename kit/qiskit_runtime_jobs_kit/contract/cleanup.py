"""Cleanup: every job a run created is cancelled, then deleted once it has ended.

The run's ledger says which jobs are its own; its tag finds those whose create answer never
came back (an interrupt, a proxy's 502, a dropped connection), but only jobs whose own
`tags` show the tag are taken: a target that ignores the `tags` filter must not make the
run delete someone else's jobs. Earlier runs on the same target that died without cleaning
up (their ledger unlocked, see `ledger`) are cleaned up the same way, before this run starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .ledger import Ledger, LedgerRecord, abandoned_runs, forget
from .listing import jobs_of
from .pacing import Progress
from .rules import LIMIT_RANGE, TERMINAL
from .session import CredentialsRefusedError, Session, job_path, json_or_none

LARGEST_PAGE = LIMIT_RANGE[1]  # the top of list_jobs' `limit` (the page's "viable range")
FAILURES = (httpx.HTTPError, CredentialsRefusedError, ValueError, KeyError, TypeError)


def jobs_tagged(session: Session, tag: str) -> list[str]:
    """The ids of every job the target lists with `tag` and shows carrying it, page by page.

    Stops at a short page, or at one that brings no new id (a target that ignores `offset`).
    A listed job without `tags` is looked up on its own before it is taken.
    """
    listed_ids: set[str] = set()
    ids: dict[str, None] = {}
    while True:
        params = {"tags": tag, "limit": LARGEST_PAGE, "offset": len(listed_ids)}
        response = session.request("GET", "/jobs", params=params)
        response.raise_for_status()
        listed = [
            job for job in jobs_of(json_or_none(response.content)) if isinstance(job.get("id"), str)
        ]
        before = len(listed_ids)
        for job in listed:
            listed_ids.add(job["id"])
            if _carries(session, job, tag):
                ids[job["id"]] = None
        if len(listed) < LARGEST_PAGE or len(listed_ids) == before:
            return list(ids)


def _carries(session: Session, job: dict[str, Any], tag: str) -> bool:
    tags = job.get("tags")
    if not isinstance(tags, list):
        response = session.request("GET", job_path(str(job["id"])))
        shown = json_or_none(response.content) if response.status_code == 200 else None
        tags = shown.get("tags") if isinstance(shown, dict) else None
    return isinstance(tags, list) and tag in tags


def adopt_lost(session: Session, ledger: Ledger, tag: str, progress: Progress) -> None:
    """Add to `ledger` the jobs carrying `tag` that it does not know."""
    try:
        tagged = jobs_tagged(session, tag)
    except FAILURES as error:
        progress.say(f"could not list the jobs tagged {tag}: {type(error).__name__}: {error}")
        return
    lost = [job_id for job_id in tagged if not ledger.owns(job_id)]
    if lost:
        progress.say(f"found {len(lost)} job(s) tagged {tag} whose create answer was lost")
    for job_id in lost:
        ledger.created(job_id, lost=True)


def remove_jobs(
    session: Session, ledger: Ledger, progress: Progress, timeout: float, poll: float
) -> list[str]:
    """Cancel every job of `ledger` still there, delete each once it has ended; the ids left.

    `progress.stop` (the run's `abandon`) cuts it short: what is left stays in the ledger.
    """
    left = ledger.left
    if not left:
        return []
    progress.say(
        f"cleaning up {len(left)} job(s)" + (f": {', '.join(left)}" if len(left) <= 10 else "")
    )
    for job_id in left:
        if session.look(job_id).status not in TERMINAL:
            _send(session, "POST", job_path(job_id) + "/cancel")

    def all_deleted() -> bool | None:
        """Delete each job that has ended; None while some job has not."""
        waiting = False
        for job_id in ledger.left:
            look = session.look(job_id)
            gone = look.shown is False
            if not gone and (look.status in TERMINAL or look.answered is None):
                gone = _send(session, "DELETE", job_path(job_id)) in (204, 404)
            if gone:
                ledger.deleted(job_id)
            else:
                waiting = True
        return None if waiting else True

    progress.until(
        all_deleted, lambda: f"{len(ledger.left)} job(s) to end, to delete them", timeout, poll
    )
    return ledger.left


def _send(session: Session, method: str, path: str) -> int | None:
    """The status of one request to the target (None: no answer)."""
    try:
        return session.request(method, path).status_code
    except FAILURES:
        return None


@dataclass
class Recovered:
    """An earlier run's jobs found and cleaned up by this one."""

    run_id: str
    started: float
    found: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)


def abandoned_jobs(folder: Path, own: Path) -> list[str]:
    """The jobs earlier runs on this target left in their ledgers (their processes gone)."""
    with abandoned_runs(folder, own) as records:
        return [job_id for record in records for job_id in record.left]


def recover_abandoned(
    session: Session, folder: Path, own: Path, progress: Progress, timeout: float, poll: float
) -> list[Recovered]:
    """Clean up after every earlier run on this target whose process is gone."""
    recovered = []
    with abandoned_runs(folder, own) as records:
        for record in records:
            recovered.append(_recover(session, record, progress, timeout, poll))
    return recovered


def _recover(
    session: Session, record: LedgerRecord, progress: Progress, timeout: float, poll: float
) -> Recovered:
    ledger = Ledger(record.path)
    if record.tag:
        adopt_lost(session, ledger, record.tag, progress)
    found = ledger.left
    if found:
        progress.say(
            f"an earlier run ({record.run_id or record.path.name}) stopped without cleaning "
            f"up: {len(found)} job(s) of it left"
        )
    left = remove_jobs(session, ledger, progress, timeout, poll) if found else []
    if not left:
        forget(record)
    return Recovered(record.run_id, record.started, found, left)
