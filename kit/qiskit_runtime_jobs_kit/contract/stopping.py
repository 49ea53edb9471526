"""Stopping on a signal: SIGINT (Ctrl-C) and SIGTERM (CI's cancel, `timeout`) alike.

Signals are counted from `signal.set_wakeup_fd`, one byte per signal, by a thread of their
own: a Python handler runs only when the main thread next runs Python code, and two signals
that come before that would count as one (a second Ctrl-C 50 ms after the first).

The first signal asks the run to stop: every wait ends early (`Progress.stop`), the fuzzing
child is told to stop, and the run goes on to clean up and report; the exit status is then
128 + the signal's number (130, 143). A second signal does not cut the cleanup short: it
says which jobs are still being cleaned up. Only a third one abandons the cleanup, naming
the jobs it leaves; they stay in the run's ledger on disk, for the next run to clean up.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from .pacing import Progress

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopper:
    """Turns the stop signals into the run's two events: `stop` (wind down) and `abandon`."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.abandon = threading.Event()
        self.signal: int | None = None
        self._count = 0
        self._lock = threading.Lock()
        self._on_stop: list[Callable[[], None]] = []
        # Set while a cleanup runs: the jobs it has still to remove.
        self.left: Callable[[], list[str]] | None = None

    @property
    def name(self) -> str:
        return "" if self.signal is None else signal.Signals(self.signal).name

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Handle the stop signals for the duration (only the main thread can)."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        previous = {number: signal.signal(number, _counted_elsewhere) for number in STOP_SIGNALS}
        previous_fd = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
        watcher = threading.Thread(target=self._watch, args=(read_end,), daemon=True)
        watcher.start()
        try:
            yield
        finally:
            signal.set_wakeup_fd(previous_fd)
            for number, handler in previous.items():
                signal.signal(number, handler)
            os.close(write_end)  # the watcher reads to the end, then stops
            watcher.join()
            os.close(read_end)

    def _watch(self, read_end: int) -> None:
        while data := os.read(read_end, 64):
            for number in data:
                if number in STOP_SIGNALS:
                    self._handle(number)

    @contextmanager
    def on_stop(self, callback: Callable[[], None]) -> Iterator[None]:
        """Call `callback` once when the first signal comes (at once, if it came already)."""
        with self._lock:
            stopped = self.signal is not None
            if not stopped:
                self._on_stop.append(callback)
        if stopped:
            callback()
        try:
            yield
        finally:
            with self._lock:
                if callback in self._on_stop:
                    self._on_stop.remove(callback)

    def _handle(self, number: int) -> None:
        name = signal.Signals(number).name
        with self._lock:
            self._count += 1
            first = self.signal is None
            if first:
                self.signal = number
                callbacks, self._on_stop = self._on_stop, []
        if first:
            self.progress.say(f"{name}: stopping; the run cleans up and reports before it exits")
            self.progress.stop.set()
            for callback in callbacks:
                callback()
            return
        left = "" if self.left is None else f"; jobs left: {', '.join(self.left()) or 'none'}"
        if self._count == 2:
            self.progress.say(f"{name}: still stopping{left}. Another signal abandons the cleanup")
        else:
            self.abandon.set()
            self.progress.say(
                f"{name}: cleanup abandoned{left} (the next run against this target cleans them up)"
            )


def _counted_elsewhere(number: int, frame: FrameType | None) -> None:
    """The Python handler: nothing to do, the watcher thread has the signal already (and
    without a handler the signal would end the process)."""
