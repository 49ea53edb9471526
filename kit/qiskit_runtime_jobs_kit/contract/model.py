"""The run's reference model: from the run's own history, what the target must show.

A run knows its own jobs completely: what it created each with, the tags it set, which it
cancelled and deleted, the status each was last seen in, and its tag, which no job of anyone
else carries. From that the model predicts what a job must show when read back, and which of
the run's jobs a listing must return: every matching one, and none other. The page's rules
that hold for any answer (`rules`) are the other half; the hooks judge every answer of the run,
fuzzed or played, with both.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from typing import Any

from ..spec import load_spec
from .rules import CANCELLED, PENDING, TERMINAL, Finding, ListQuery, judged, stage, timestamp

# Fields a job shows as they were sent on create (the page describes each the same way in
# the create request and in the job). An empty string is no value: nothing was asked for.
ECHOED = ("session_id", "runtime")


@cache
def cost_cap() -> int:
    """`cost`: 'If the provided value exceeds the maximum, it will be capped at that value.'"""
    cost = load_spec()["components"]["schemas"]["CreateJobRequest"]["properties"]["cost"]
    return int(cost["anyOf"][0]["maximum"])


@dataclass(frozen=True)
class JobRecord:
    """What the run knows of one of its jobs."""

    id: str
    sent: Mapping[str, Any]  # the create request, as sent (the run's tag in it)
    backend: str | None  # the one it was sent with, else the one the create answer named
    tags: tuple[str, ...]
    tags_replaced: bool = False
    created: datetime | None = None  # as the target shows it
    status: str | None = None  # as last seen
    cancelled: bool = False  # a cancel was answered 204
    deleted: bool = False  # a delete was answered 204

    @property
    def private(self) -> bool:
        return self.sent.get("private") is True

    @property
    def program(self) -> Any:
        return self.sent.get("program_id")


@dataclass
class RunModel:
    """The run's history, and what it predicts. Thread-safe: scenarios run side by side."""

    _jobs: dict[str, JobRecord] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    user_id: str | None = None

    # ------------------------------------------------------------ what the run did

    def created(self, sent: Mapping[str, Any], answer: Mapping[str, Any]) -> None:
        job_id = answer.get("id")
        if not isinstance(job_id, str):
            return
        backend = sent.get("backend") if isinstance(sent.get("backend"), str) else None
        backend = backend or None  # an empty backend asks for none: the service picks one
        if backend is None and isinstance(answer.get("backend"), str):
            backend = answer["backend"]
        tags = _listed(sent.get("tags"))
        record = JobRecord(job_id, dict(sent), backend, tuple(str(t) for t in tags))
        with self._lock:
            self._jobs[job_id] = record

    def tags_replaced(self, job_id: str, tags: Iterable[Any]) -> None:
        self._update(job_id, tags=tuple(str(t) for t in tags), tags_replaced=True)

    def cancel_accepted(self, job_id: str) -> None:
        self._update(job_id, cancelled=True)

    def deleted(self, job_id: str) -> None:
        self._update(job_id, deleted=True)

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            if job_id in self._jobs:
                self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def job(self, job_id: str) -> JobRecord | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[JobRecord]:
        """The run's jobs, deleted ones included, in the order it created them."""
        with self._lock:
            return list(self._jobs.values())

    # ------------------------------------------------------------ what the target showed

    def shown(self, job: Mapping[str, Any]) -> list[Finding]:
        """Judge a job the target showed against the run's history (nothing for a job that
        is not the run's), and remember where it stands."""
        job_id = job.get("id")
        record = self.job(job_id) if isinstance(job_id, str) else None
        if record is None:
            return []
        status = job.get("status") if isinstance(job.get("status"), str) else None
        found = [
            judged("read back: create", _create_mismatches(record, job)),
            _status_moves(record, status),
        ]
        if record.deleted:
            gone = f"job {record.id} was deleted (204) and is still shown"
            found.append(judged("delete is applied", [gone]))
        if record.tags_replaced:
            found.append(judged("read back: tags", _tags_mismatch(record, job)))
        if record.cancelled and status in TERMINAL:
            ended = (
                []
                if status in CANCELLED
                else [f"job {record.id} was cancelled (204) but is {status}"]
            )
            found.append(judged("cancel is applied", ended))
        with self._lock:
            if isinstance(job.get("user_id"), str) and self.user_id is None:
                self.user_id = job["user_id"]
        self._update(
            record.id,
            status=status or record.status,
            created=timestamp(job.get("created")) or record.created,
        )
        return found

    def expected(
        self, query: ListQuery, statuses: Mapping[str, str | None]
    ) -> tuple[set[str], set[str]]:
        """Which of the run's jobs a listing must return, and those it may or may not (a
        status that changed while it was asked for, a timestamp on the bound itself).

        `statuses`: each job's status for the whole time the listing was asked for, or None
        where it changed meanwhile.
        """
        must: set[str] = set()
        maybe: set[str] = set()
        for record in self.jobs():
            if record.deleted:
                continue
            shown = {
                "id": record.id,
                "program": {"id": record.program},
                "backend": record.backend,
                "session_id": record.sent.get("session_id"),
                "created": None if record.created is None else record.created.isoformat(),
                "tags": list(record.tags),
                "status": statuses.get(record.id),
            }
            verdicts = query.matches(shown).values()
            if all(verdicts):
                must.add(record.id)
            elif None in verdicts and False not in verdicts:
                maybe.add(record.id)
        return must, maybe


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _tags_mismatch(record: JobRecord, job: Mapping[str, Any]) -> list[str]:
    shown = sorted(map(str, _listed(job.get("tags"))))
    if set(shown) == set(record.tags):
        return []
    return [f"job {record.id} shows tags {shown}, not {sorted(record.tags)}"]


def _create_mismatches(record: JobRecord, job: Mapping[str, Any]) -> list[str]:
    """Where a job differs from what it was created with."""
    wrong = []
    program = job.get("program")
    shown_program = program.get("id") if isinstance(program, dict) else None
    if isinstance(record.program, str) and shown_program != record.program:
        wrong.append(f"program {shown_program!r}, created with {record.program!r}")
    if record.backend is not None and job.get("backend") != record.backend:
        wrong.append(f"backend {job.get('backend')!r}, created with {record.backend!r}")
    for name in ECHOED:
        sent = record.sent.get(name)
        if isinstance(sent, str) and sent and job.get(name) != sent:
            wrong.append(f"{name} {job.get(name)!r}, created with {sent!r}")
    cost = record.sent.get("cost")
    if isinstance(cost, int) and not isinstance(cost, bool):
        expected = min(cost, cost_cap())
        if job.get("cost") != expected:
            wrong.append(f"cost {job.get('cost')!r}, created with {cost} (so {expected})")
    if record.private and job.get("private") is not True:
        wrong.append("not private, created private")
    if not record.tags_replaced:
        wrong += _tags_mismatch(record, job)
    return [f"job {record.id}: {', '.join(wrong)}"] if wrong else []


def _status_moves(record: JobRecord, status: str | None) -> Finding:
    before, now = stage(record.status), stage(status)
    back = before is not None and now is not None and now < before
    changed_after_end = before == 2 and now == 2 and status != record.status
    if back or changed_after_end:
        return judged(
            "status never goes back", [f"job {record.id} went {record.status} -> {status}"]
        )
    return judged("status never goes back", [])


def settled_status(before: str | None, after: str | None) -> str | None:
    """A job's status for the whole time between two looks, or None if it may have changed
    class (pending to terminal) in between: a job moves one way, so two looks that agree on
    the class bound everything between them."""
    if before in PENDING and after in PENDING:
        return "Queued"
    if before in TERMINAL and after in TERMINAL:
        return before
    return None
