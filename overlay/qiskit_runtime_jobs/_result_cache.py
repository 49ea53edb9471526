"""Read-once private results: keep the first successful read, share it, never lose it.

The service deletes a private job's result after the first successful read. So the raw response
body is kept before anyone sees it: in memory, and (with `cache_dir`) in a file written
atomically (temporary file in the same directory, fsync, `os.replace`, fsync of the directory).
A second call, a concurrent call, or a new process after a crash gets that copy back instead of
asking the service again, and decoding can always be redone from the kept bytes.

Concurrent readers of one job share one request (single flight): one caller fetches, the others
wait for its answer, whether they are threads, asyncio tasks, or both (the flight is a
`concurrent.futures.Future`; tasks await it through `asyncio.wrap_future`). If that one fetch
fails, every waiter gets the same error; if its caller is cancelled or interrupted, a waiter
takes over. Don't call the sync method from inside a running event loop.

Contract with the fetch callable: it returns the raw response body (bytes), or failing that the
parsed result (a generated model, a mapping, the legacy string: re-encoded as JSON here). It
raises `ResultGone` when the service says the result is not there any more (for a private job
that completed: HTTP 204); the cache then raises `ResultAlreadyConsumedError` unless it holds a
copy. Any other exception passes through unchanged.

Policy: private results are kept in memory (and on disk when `cache_dir` is set) until
`forget()`. Non-private results are not kept: the service serves them again, and keeping every
result a long-lived client ever read would only grow memory; their concurrent reads still share
one request. A copy found in the cache is returned whatever `private` says.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Awaitable, Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, TypeAlias, cast

from ._errors import ResultAlreadyConsumedError
from ._stepper import adrive, drive
from ._validation import check_job_id

__all__ = ["FetchedResult", "ResultCache", "ResultGone"]

FetchedResult: TypeAlias = bytes | bytearray | memoryview | Mapping[str, Any] | str | Any
"""What a fetch may return: the raw body (preferred), else the parsed result."""


class ResultGone(Exception):
    """Raised by a fetch: the service has no result for this job any more (already read)."""


class _Retry:
    """A flight's answer when its leader was cancelled: a waiter leads a new one."""


_RETRY: Final = _Retry()
_Flight: TypeAlias = "concurrent.futures.Future[bytes | _Retry]"
_Steps: TypeAlias = Generator["_Flight | None", Any, bytes]


def _awaitable(flight: _Flight) -> Awaitable[bytes | _Retry]:
    """Await a flight from a task; shielded, so a cancelled waiter never cancels the flight."""
    return asyncio.shield(asyncio.wrap_future(flight))


def _as_bytes(value: FetchedResult) -> bytes:
    """The raw body as bytes; a parsed result re-encoded as the JSON it came from."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not isinstance(value, Mapping):
        value = to_dict()
    return json.dumps(value, separators=(",", ":")).encode()


class ResultCache:
    """Kept copies of result bodies, by job id, plus the single-flight bookkeeping."""

    def __init__(self, cache_dir: Path | str | None = None) -> None:
        self.cache_dir = None if cache_dir is None else Path(cache_dir)
        self._lock = threading.Lock()
        self._memory: dict[str, bytes] = {}
        self._unsaved: set[str] = set()  # kept in memory, but the disk write failed
        self._flights: dict[str, _Flight] = {}

    # -------------------------------------------------------------- public API

    def get(self, job_id: str) -> bytes | None:
        """The kept copy (memory, then disk), without fetching."""
        key = check_job_id(job_id)
        with self._lock:
            data = self._memory.get(key)
        return data if data is not None else self._read_file(key)

    def forget(self, job_id: str, *, delete_file: bool = False) -> None:
        """Drop the in-memory copy (and the file too, if asked)."""
        key = check_job_id(job_id)
        with self._lock:
            self._memory.pop(key, None)
            self._unsaved.discard(key)
        if delete_file and self.cache_dir is not None:
            self._path(key).unlink(missing_ok=True)

    def get_or_fetch(
        self, job_id: str, fetch: Callable[[], FetchedResult], *, private: bool
    ) -> bytes:
        """The result body: the kept copy, else one shared `fetch()`, kept before returning.

        Raises `ResultAlreadyConsumedError` if the fetch raises `ResultGone` and no copy is
        kept; an `OSError` if the disk copy cannot be written (the body stays in memory, so
        calling again returns it and retries the write).
        """
        steps = self._steps(check_job_id(job_id), private)
        return drive(steps, lambda flight: fetch() if flight is None else flight.result())

    async def async_get_or_fetch(
        self, job_id: str, fetch: Callable[[], Awaitable[FetchedResult]], *, private: bool
    ) -> bytes:
        """`get_or_fetch` for asyncio: same rules, awaiting `fetch()` and the shared flight."""
        steps = self._steps(check_job_id(job_id), private)
        return await adrive(steps, lambda flight: fetch() if flight is None else _awaitable(flight))

    # -------------------------------------------------------------- single flight

    def _steps(self, key: str, private: bool) -> _Steps:
        """One read, written once for both drivers: yields a flight to wait on, or None to
        have the driver call `fetch()`; the driver sends back the answer or throws the error."""
        while True:
            joined = self._join(key)
            if isinstance(joined, bytes):
                return self._saved(key, joined)
            flight, leader = joined
            if not leader:
                answer = yield flight
                if isinstance(answer, _Retry):
                    continue
                return cast(bytes, answer)
            with self._leading(key, flight) as lead:
                found = self._read_file(key)
                if found is None:
                    try:
                        found = self._keep(key, _as_bytes((yield None)), private)
                    except ResultGone as gone:
                        found = self._gone(key, gone)
                lead.append(found)
            return found

    def _join(self, key: str) -> bytes | tuple[_Flight, bool]:
        """A kept copy, or (the flight to wait on, False), or (a new flight to lead, True)."""
        with self._lock:
            data = self._memory.get(key)
            if data is not None:
                return data
            flight = self._flights.get(key)
            if flight is not None:
                return flight, False
            flight = concurrent.futures.Future()
            flight.set_running_or_notify_cancel()  # a running future cannot be cancelled
            self._flights[key] = flight
            return flight, True

    @contextlib.contextmanager
    def _leading(self, key: str, flight: _Flight) -> Iterator[list[bytes]]:
        """Settle the flight with the leader's answer, its error, or `_RETRY` if cancelled."""
        lead: list[bytes] = []
        try:
            yield lead
        except Exception as error:
            self._land(key, flight)
            flight.set_exception(error)
            raise
        except BaseException:  # cancelled or interrupted: not an answer, let a waiter lead
            self._land(key, flight)
            flight.set_result(_RETRY)
            raise
        self._land(key, flight)
        flight.set_result(lead[0])

    def _land(self, key: str, flight: _Flight) -> None:
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]

    # -------------------------------------------------------------- keeping

    def _keep(self, key: str, data: bytes, private: bool) -> bytes:
        """Keep a fresh private body in memory first (it is never lost), then on disk."""
        if not private:
            return data
        with self._lock:
            self._memory[key] = data
            self._unsaved.add(key)
        return self._saved(key, data)

    def _saved(self, key: str, data: bytes) -> bytes:
        """`data`, once it is on disk if it is meant to be (retrying a failed write)."""
        if self.cache_dir is not None:
            with self._lock:
                pending = key in self._unsaved
            if pending:
                self._write_file(key, data)
                with self._lock:
                    self._unsaved.discard(key)
        return data

    def _gone(self, key: str, gone: ResultGone) -> bytes:
        """The service says the result was read: a copy kept meanwhile, else the error."""
        with self._lock:
            data = self._memory.get(key)
        data = data if data is not None else self._read_file(key)
        if data is None:
            raise ResultAlreadyConsumedError(key) from gone
        return data

    # -------------------------------------------------------------- disk

    def _path(self, key: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / f"{key}.json"  # key is a checked job id: no path tricks

    def _read_file(self, key: str) -> bytes | None:
        if self.cache_dir is None:
            return None
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        with self._lock:
            self._memory.setdefault(key, data)
        return data

    def _write_file(self, key: str, data: bytes) -> None:
        """Write atomically: readers see the old file or the whole new one, never a part."""
        assert self.cache_dir is not None
        self.cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.cache_dir, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:  # mkstemp: mode 0600, private results stay private
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, self._path(key))
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _fsync_dir(self.cache_dir)


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
