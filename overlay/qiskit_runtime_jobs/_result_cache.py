"""Read-once private results: keep the first successful read, share it, never lose it.

The service deletes a private job's result after the first successful read. So the raw response
body is kept before anyone sees it: in memory, and (with `cache_dir`) in a file. A second call,
a concurrent call, or a new process after a crash gets that copy back instead of asking the
service again, and decoding can always be redone from the kept bytes.

One service read per machine. A private read holds the job's lock: a thread lock (sync
client) or a task lock (async client), plus, with `cache_dir`, the job's file lock
(`<cache_dir>/locks/result-<id>.lock`, see `_locks`) shared by every client and process using
that directory. Under it the reader looks for a kept copy again before it asks the service,
and keeps the body before letting go. So a 204 ("read elsewhere") is only believed once no
reader sharing the cache is still between its read and its write, and a reader that is
cancelled or fails simply lets the next one in. A job's thread or task lock lives only while
someone holds or waits for it: the last one out removes it, so a long-lived client keeps no
lock per job it ever read.

The async client never touches the disk on the event loop: reading, writing, fsyncing and
renaming a kept file (tens of megabytes) run in a worker thread (`_offload.run_off_loop`
around `get`, `settle` and, in `areading`, the look for a kept copy), while the task keeps the
job's locks. A task cancelled meanwhile still waits for that thread before it lets the locks
go, so no other reader sees a write half done.

Crash safety. The kept file `<id>.result` is a 48-byte header (magic, SHA-256 and length of
the body), then the body. It is written to `.<id>.<random>.tmp` in the same directory (header
first, then the body, straight to the OS; fsync), renamed into place (`os.replace`), and the
directory is fsynced. As the header vouches for the body, a temporary file is recognisably
complete the moment its last byte is written: a process killed after that (before the fsync,
before or after the rename) loses nothing, as the next private read of the job promotes the
complete temporary file, under the lock. Incomplete temporary files (a process killed before
the body was written; the result is then lost, as the service already deleted it) are
deleted by that same read.

Policy: private results are kept in memory (and on disk when `cache_dir` is set) until
`forget()`. Non-private results are neither kept nor locked: the service serves them again,
and keeping every result a long-lived client ever read would only grow memory. A copy found
in the cache is returned whatever `private` says.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import struct
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Final, Generic, TypeVar

from . import _constants as c
from ._errors import APIConnectionError, ResultAlreadyConsumedError, ResultLostError
from ._locks import LOCKS_SUBDIR, async_file_lock, file_lock
from ._offload import run_off_loop
from ._retry import never_sent
from ._validation import check_job_id

logger = logging.getLogger(c.LOGGER_NAME)
L = TypeVar("L")

_HEADER: Final = struct.Struct(">8s32sQ")
"""A kept file's header: magic, SHA-256 of the body, length of the body."""
_MAGIC: Final = b"qrjkept1"


def seal(body: bytes) -> bytes:
    """The header that makes a file holding `body` recognisably complete."""
    return _HEADER.pack(_MAGIC, hashlib.sha256(body).digest(), len(body))


def unseal(header: bytes, body: bytes) -> bytes | None:
    """`body` if `header` vouches for it (magic, length, SHA-256), else None (incomplete)."""
    if len(header) != _HEADER.size:
        return None
    magic, digest, length = _HEADER.unpack(header)
    if magic != _MAGIC or length != len(body) or hashlib.sha256(body).digest() != digest:
        return None
    return body


class _Claim(Generic[L]):
    """A job's lock of one kind, and how many readers hold it or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self, lock: L) -> None:
        self.lock = lock
        self.users = 0


class ResultCache:
    """Kept copies of private result bodies, by job id, and the locks that guard reading them."""

    def __init__(self, cache_dir: Path | str | None = None) -> None:
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self._lock = threading.Lock()
        self._memory: dict[str, bytes] = {}
        self._unsaved: set[str] = set()  # kept in memory, but the disk write failed
        # a job's lock while someone holds or waits for it (`_claimed` prunes them)
        self._thread_locks: dict[str, _Claim[threading.Lock]] = {}
        self._task_locks: dict[str, _Claim[asyncio.Lock]] = {}

    def get(self, job_id: str) -> bytes | None:
        """The kept copy (memory, then disk), without asking the service.

        None too for a body whose disk write failed: the next read through the client writes
        it again (under the job's locks) before returning it.
        """
        key = check_job_id(job_id)
        data = self._in_memory(key)
        return data if data is not None else self._read_kept(key)

    def forget(self, job_id: str, *, delete_file: bool = False) -> None:
        """Drop the in-memory copy (and the files too, if asked).

        `delete_file` also deletes the job's temporary files, under the job's locks (a
        writer may be between its write and its rename): a complete one left by a crash
        would otherwise come back as the result on the next read, and a result can be
        tens of megabytes.
        """
        key = check_job_id(job_id)
        with self._lock:
            self._memory.pop(key, None)
            self._unsaved.discard(key)
        directory = self.cache_dir
        if not delete_file or directory is None:
            return
        with (
            self._claimed(key, self._thread_locks, threading.Lock) as lock,
            lock,
            self._file_lock(key, file_lock),
        ):
            _kept_path(directory, key).unlink(missing_ok=True)
            for temp in directory.glob(f".{key}.*.tmp"):
                temp.unlink(missing_ok=True)

    def keep(self, job_id: str, data: bytes) -> bytes:
        """Keep a private body in memory first (so it is never lost), then on disk.

        An `OSError` from the disk write propagates; the body stays in memory and the next
        read of the job retries the write.
        """
        key = check_job_id(job_id)
        directory = self._hold(key, data)
        if directory is not None:
            self._save(directory, key, data)
        return data

    def settle(self, job_id: str, body: bytes | None, *, private: bool) -> bytes:
        """The body just read, kept if private; a 204 (None) means it was read elsewhere."""
        if body is None:
            raise ResultAlreadyConsumedError(job_id)
        return self.keep(job_id, body) if private else body

    @contextlib.contextmanager
    def reading(self, job_id: str, *, private: bool) -> Iterator[bytes | None]:
        """Hold a private job's locks (thread, file) while it is read; yield a kept copy."""
        if not private:
            yield None
            return
        key = check_job_id(job_id)
        with (
            self._claimed(key, self._thread_locks, threading.Lock) as lock,
            lock,
            self._file_lock(key, file_lock),
        ):
            yield self._kept_or_recovered(key)

    @contextlib.asynccontextmanager
    async def areading(self, job_id: str, *, private: bool) -> AsyncIterator[bytes | None]:
        """`reading()` for asyncio tasks: a task lock, the file lock without blocking, and the
        disk in a worker thread."""
        if not private:
            yield None
            return
        key = check_job_id(job_id)
        with self._claimed(key, self._task_locks, asyncio.Lock) as lock:
            async with lock, self._file_lock(key, async_file_lock):
                if self.cache_dir is None:  # memory only: nothing to wait for
                    yield self._kept_or_recovered(key)
                else:
                    yield await run_off_loop(self._kept_or_recovered, key)

    @contextlib.contextmanager
    def _claimed(
        self, key: str, claims: dict[str, _Claim[L]], make: Callable[[], L]
    ) -> Iterator[L]:
        """The job's lock of one kind, made on first use and counted while it is held or
        waited for (wrap the acquisition in this); the last user out removes it."""
        with self._lock:
            claim = claims.get(key)
            if claim is None:
                claim = claims[key] = _Claim(make())
            claim.users += 1
        try:
            yield claim.lock
        finally:
            with self._lock:
                claim.users -= 1
                if claim.users == 0:
                    del claims[key]

    def _in_memory(self, key: str) -> bytes | None:
        """The copy kept in memory, unless its disk write is still due."""
        with self._lock:
            return None if key in self._unsaved else self._memory.get(key)

    def _hold(self, key: str, data: bytes) -> Path | None:
        """Keep `data` in memory; the directory to write it to next, if there is one."""
        with self._lock:
            self._memory[key] = data
            if self.cache_dir is not None:
                self._unsaved.add(key)
            return self.cache_dir

    def _save(self, directory: Path, key: str, data: bytes) -> None:
        """Write a body `_hold` kept to its file; an `OSError` leaves it due (`_unsaved`)."""
        _write_file(directory, key, data)
        with self._lock:
            self._unsaved.discard(key)

    def _kept_or_recovered(self, key: str) -> bytes | None:
        """Under the job's locks: a copy kept meanwhile (its failed disk write retried), else a
        file, recovered if a crashed writer left it."""
        with self._lock:
            data = self._memory.get(key)
            unsaved = key in self._unsaved
        if data is not None and unsaved:
            return self.keep(key, data)
        return data if data is not None else self._recover(key)

    def _file_lock(
        self, key: str, lock: Callable[[Path, str], L]
    ) -> L | contextlib.nullcontext[None]:
        if self.cache_dir is None:
            return contextlib.nullcontext()
        return lock(self.cache_dir / LOCKS_SUBDIR, f"result-{key}")

    # -------------------------------------------------------------- disk

    def _remember(self, key: str, data: bytes | None) -> bytes | None:
        if data is not None:
            with self._lock:
                data = self._memory.setdefault(key, data)
        return data

    def _read_kept(self, key: str) -> bytes | None:
        """The kept file's body (remembered in memory), or None."""
        directory = self.cache_dir
        if directory is None:
            return None
        return self._remember(key, _read_sealed(_kept_path(directory, key)))

    def _recover(self, key: str) -> bytes | None:
        """Under the job's lock: the kept file, else a complete temporary file that a crashed
        writer left (promoted to the kept file). Other temporary files are deleted."""
        found = self._read_kept(key)
        directory = self.cache_dir
        if directory is None:
            return found
        for temp in directory.glob(f".{key}.*.tmp"):
            body = None if found is not None else _read_sealed(temp)
            if body is None:
                logger.info("deleting %s, left incomplete or superseded by a kept copy", temp)
                temp.unlink(missing_ok=True)
                continue
            logger.warning("recovering the result of job %s from an interrupted write", key)
            os.replace(temp, _kept_path(directory, key))
            _fsync_dir(directory)
            found = self._remember(key, body)
        return found


def _kept_path(directory: Path, key: str) -> Path:
    return directory / f"{key}.result"  # key is a checked job id: no path tricks


def _write_file(directory: Path, key: str, data: bytes) -> None:
    """Write atomically: readers see no file or the whole file, never a part."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkstemp: mode 0600, private results stay private
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{key}.", suffix=".tmp")
    try:
        try:
            _write_all(fd, seal(data))
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, _kept_path(directory, key))
    except Exception:  # a failed write; an interrupted one is left for `_recover`
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(directory)


@contextlib.contextmanager
def lost_if_cut(job_id: str, *, private: bool) -> Iterator[None]:
    """Around a private read: a failure once the request may have reached the service may
    have lost the result (it is deleted as it is sent), so it is a `ResultLostError`."""
    try:
        yield
    except APIConnectionError as error:
        if private and not never_sent(error.__cause__ or error):
            raise ResultLostError(job_id, request=error.request) from error
        raise


def _read_sealed(path: Path) -> bytes | None:
    """The body of a kept (or temporary) file, or None when it is missing or incomplete."""
    try:
        with path.open("rb") as file:
            header = file.read(_HEADER.size)
            body = file.read()
    except FileNotFoundError:
        return None
    return unseal(header, body)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to the OS (unbuffered: nothing waits in this process's memory)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
