"""Clocks: the mock reads time only through one of these, so tests never sleep."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the current time as POSIX seconds (UTC)."""

    def now(self) -> float:
        """Return the current time in POSIX seconds."""
        ...


class SystemClock:
    """Wall-clock time, optionally sped up so lifecycles finish sooner.

    ``speed=10`` makes one real second count as ten seconds of job time; the clock starts
    at the real current time so timestamps stay plausible.
    """

    def __init__(self, *, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self.speed = speed
        self._origin_wall = time.time()
        self._origin_mono = time.monotonic()

    def now(self) -> float:
        """Return the (scaled) current time."""
        return self._origin_wall + (time.monotonic() - self._origin_mono) * self.speed


class VirtualClock:
    """A clock that moves only when told to, for deterministic tests."""

    def __init__(self, start: float | datetime | None = None) -> None:
        if start is None:
            start = time.time()
        elif isinstance(start, datetime):
            start = start.timestamp()
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        """Return the virtual current time."""
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (never backwards)."""
        if seconds < 0:
            raise ValueError(f"cannot advance by a negative amount: {seconds}")
        with self._lock:
            self._now += seconds


def isoformat(ts: float) -> str:
    """Format POSIX seconds as RFC 3339 UTC with microseconds and a ``Z``, as the service does."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
