"""The jobs a run created, on disk, so that no stop leaves one behind for good.

One append-only JSON-lines file per run: a header naming the run (its id, tag and target),
then one line per job created or deleted. Both processes of a run (the fuzzing child and the
runner) append to it, each line in one `write` on an `O_APPEND` descriptor and then `fsync`,
so a line is on disk before the run acts on the job it names, and a kill tears no line that
a later one would run into.

Against a real target the files live in a state directory, one folder per target
(`target_key`). Each run holds a lock on its own file while it lives; the operating system
drops the lock when the process dies, however it dies. A run that finds another run's file
unlocked knows that run is gone (SIGKILL, a power cut, a CI runner torn down) and cleans up
the jobs it left (`abandoned_runs`). A run still going keeps its lock: its jobs are left alone.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

LEDGER_GLOB = "run-*.jsonl"


def ledger_file(folder: Path, run_id: str) -> Path:
    return folder / f"run-{run_id}.jsonl"


def _lock_of(path: Path) -> FileLock:
    return FileLock(path.with_suffix(".lock"))


def read_lines(path: Path) -> Iterator[dict[str, Any]]:
    """Every whole JSON line of an append-only file (a line torn by a kill is skipped)."""
    try:
        with open(path, "rb") as source:
            for line in source:
                if line.endswith(b"\n"):
                    with suppress(ValueError):
                        yield json.loads(line)
    except FileNotFoundError:
        return


def append_line(path: Path, record: dict[str, Any], *, durable: bool = True) -> None:
    """One JSON line, in one `write` on an `O_APPEND` descriptor (then `fsync` if durable)."""
    data = (json.dumps(record, sort_keys=True) + "\n").encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, data)
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class LedgerRecord:
    """What one run's file says: its header and its jobs."""

    path: Path
    run_id: str = ""
    tag: str = ""
    started: float = 0.0
    created: dict[str, None] = field(default_factory=dict)  # in order, no repeats
    deleted: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> LedgerRecord:
        record = cls(path)
        for line in read_lines(path):
            if not isinstance(line, dict):
                continue  # not a line this module wrote: skipped, like a torn one
            kind, job_id = line.get("event"), line.get("id")
            if kind == "run":
                record.run_id, record.tag = str(line.get("run_id", "")), str(line.get("tag", ""))
                started = line.get("started")
                record.started = float(started) if isinstance(started, int | float) else 0.0
            elif kind == "created" and isinstance(job_id, str):
                record.created[job_id] = None
            elif kind == "deleted" and isinstance(job_id, str):
                record.deleted.add(job_id)
        return record

    @property
    def left(self) -> list[str]:
        return [job_id for job_id in self.created if job_id not in self.deleted]


class Ledger:
    """This run's file, kept in memory too: the budget and the own-jobs rule ask it often.

    Without a path (a pytest session using `load_schema`), it lives in memory only.
    """

    def __init__(self, path: Path | None, *, durable: bool = True) -> None:
        self.path = path
        self._durable = durable
        self._lock = threading.Lock()
        self._record = LedgerRecord.load(path) if path else LedgerRecord(Path())

    def start(self, run_id: str, tag: str, url: str) -> None:
        """Write the header (once, by the runner, before anything is created)."""
        header = {"run_id": run_id, "tag": tag, "url": url, "started": time.time()}
        self._append({"event": "run", **header})

    def reload(self) -> None:
        """Read what the other process of the run added (after the fuzzing child ended)."""
        if self.path is not None:
            with self._lock:
                self._record = LedgerRecord.load(self.path)

    def created(self, job_id: str, **details: Any) -> None:
        with self._lock:
            if job_id in self._record.created:
                return
            self._record.created[job_id] = None
        self._append({"event": "created", "id": job_id, **details})

    def deleted(self, job_id: str) -> None:
        with self._lock:
            if job_id in self._record.deleted:
                return
            self._record.deleted.add(job_id)
        self._append({"event": "deleted", "id": job_id})

    def owns(self, job_id: str) -> bool:
        with self._lock:
            return job_id in self._record.created

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._record.created)

    @property
    def left(self) -> list[str]:
        with self._lock:
            return self._record.left

    def _append(self, record: dict[str, Any]) -> None:
        if self.path is not None:
            append_line(self.path, record, durable=self._durable)


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the run's lock for as long as the run lives (the OS drops it if the run dies).

    A run that leaves no job removes its ledger; then its lock file goes too, still held, so
    the state folder keeps only the files of runs that left something.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock_of(path)
    lock.acquire()
    try:
        yield
    finally:
        if not path.exists():
            Path(lock.lock_file).unlink(missing_ok=True)
        lock.release()


@contextmanager
def abandoned_runs(folder: Path, own: Path) -> Iterator[list[LedgerRecord]]:
    """The files of earlier runs on this target whose process is gone, locked while in use.

    A file whose lock is held belongs to a run still going (another CI job on the same
    account): it is not listed. The caller cleans up each record's jobs, then `forget`s it.
    """
    locks: list[FileLock] = []
    records: list[LedgerRecord] = []
    try:
        for path in sorted(folder.glob(LEDGER_GLOB)):
            if path == own:
                continue
            lock = _lock_of(path)
            try:
                lock.acquire(blocking=False)
            except Timeout:
                continue
            locks.append(lock)
            records.append(LedgerRecord.load(path))
        yield records
    finally:
        for lock in locks:
            lock.release()


def forget(record: LedgerRecord) -> None:
    """Remove a run's files once none of its jobs is left (the caller holds its lock)."""
    record.path.unlink(missing_ok=True)
    record.path.with_suffix(".lock").unlink(missing_ok=True)
