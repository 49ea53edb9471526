"""Waiting without going silent: the create rate limit, Retry-After and slow queues.

A real service takes 5 creates per minute and queues jobs for minutes; a CI log that shows
nothing for that long looks hung. Every wait here says what it waits for, at least every
`Progress.every` seconds. The decision (`pacing_delay`) is pure; `Retry-After` is read with
the client's public `parse_retry_after`, the one parser of the project.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")
RATE_WINDOW_SECONDS = 60.0
# The longest a run stays quiet while it waits.
SAY_EVERY_SECONDS = 10.0


def pacing_delay(
    recent: list[float], now: float, per_minute: int, window: float = RATE_WINDOW_SECONDS
) -> float:
    """Seconds to wait before the next create so at most `per_minute` fall in any window."""
    inside = sorted(t for t in recent if now - t < window)
    if len(inside) < per_minute:
        return 0.0
    return inside[len(inside) - per_minute] + window - now


@dataclass
class Progress:
    """Sleeps in slices, saying before each what the run is waiting for.

    `stop` ends every wait early: the run was asked to stop (a signal), and winds down.
    """

    write: Callable[[str], object] = sys.stderr.write
    every: float = SAY_EVERY_SECONDS
    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], object] | None = None
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def stopped(self) -> bool:
        return self.stop.is_set()

    def say(self, message: str) -> None:
        self.write(f"[contract] {message}\n")

    def _sleep(self, seconds: float) -> None:
        if self.sleep is None:
            self.stop.wait(seconds)
        else:
            self.sleep(seconds)

    def wait(self, seconds: float, what: str) -> None:
        end = self.now() + seconds
        while (left := end - self.now()) > 0 and not self.stopped:
            self.say(f"waiting {left:.0f}s for {what}")
            self._sleep(min(left, self.every))

    def until(
        self, check: Callable[[], T | None], what: Callable[[], str], timeout: float, poll: float
    ) -> T | None:
        """Poll `check` until it returns a value, or `timeout` passes or the run stops (None)."""
        start = last_said = self.now()
        while True:
            found = check()
            if found is not None:
                return found
            elapsed = self.now() - start
            if elapsed >= timeout or self.stopped:
                return None
            if self.now() - last_said >= self.every or elapsed == 0:
                self.say(f"waiting for {what()} ({elapsed:.0f}s of at most {timeout:.0f}s)")
                last_said = self.now()
            self._sleep(min(poll, timeout - elapsed))


@dataclass
class CreatePacer:
    """Keeps creates under the service's per-minute limit, and honours its 429s.

    Shared by the scenarios, which run side by side: one create is paced at a time.
    """

    per_minute: int
    progress: Progress
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=1000))
    _turn: threading.Lock = field(default_factory=threading.Lock)

    def before_create(self) -> None:
        with self._turn:
            delay = pacing_delay(list(self.recent), self.progress.now(), self.per_minute)
            if delay > 0:
                self.progress.wait(delay, f"the create rate limit ({self.per_minute} per minute)")
            self.recent.append(self.progress.now())

    def refused(self, retry_after: float | None) -> None:
        """The target answered 429: wait what it asked (else a whole window)."""
        delay = RATE_WINDOW_SECONDS if retry_after is None else retry_after
        self.progress.wait(delay, f"the target's 429 on create (Retry-After {delay:.0f}s)")
