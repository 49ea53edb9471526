"""A client-side sliding-window limiter for job creation (5 per minute by default).

Each caller reserves the earliest slot that keeps at most `max_calls` in any `window`, under
a short lock, then waits for it outside the lock, so threads and tasks queue fairly and one
limiter serves both the sync and the async client. Time is read from the replaceable clock.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from . import _constants as c
from ._clock import Clock

logger = logging.getLogger(c.LOGGER_NAME)


class SlidingWindowLimiter:
    """At most `max_calls` acquisitions in any `window` seconds (None: no limit)."""

    def __init__(self, max_calls: int | None, window: float, clock: Clock) -> None:
        if (max_calls is not None and max_calls < 1) or window <= 0:
            raise ValueError("max_calls must be None or >= 1, and window > 0")
        self.max_calls = max_calls
        self.window = window
        self._clock = clock
        self._slots: deque[float] = deque()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Claim the next free slot; return how many seconds to wait for it (0 if free now)."""
        if self.max_calls is None:
            return 0.0
        with self._lock:
            now = self._clock.now()
            while self._slots and self._slots[0] <= now - self.window:
                self._slots.popleft()
            slot = now
            if len(self._slots) >= self.max_calls:
                slot = max(now, self._slots[-self.max_calls] + self.window)
            self._slots.append(slot)
            wait = slot - now
        if wait > 0:
            logger.info("create rate limit: waiting %.2fs for a free slot", wait)
        return wait

    def acquire(self) -> None:
        """Block the thread until a slot is free."""
        wait = self.reserve()
        if wait > 0:
            self._clock.sleep(wait)

    async def aacquire(self) -> None:
        """Suspend the task until a slot is free."""
        wait = self.reserve()
        if wait > 0:
            await self._clock.asleep(wait)
