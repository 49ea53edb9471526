"""Worker processes for CPU-bound work on big request bodies, so the event loop never waits.

Why processes: parsing a body (``json.loads``, in C), checking it and encoding it again hold
the GIL for whole calls; in a thread, every other client of the server would still wait that
long (``benchmarks/big_body_bench.py`` measures both). Why not ``multiprocessing``,
``concurrent.futures.ProcessPoolExecutor`` or ``anyio.to_process``: each starts its workers by
running the parent's ``__main__`` script again (their "safe importing of main module" rule), so
a user's script that starts the mock without an ``if __name__ == "__main__":`` guard would run
a second time inside the worker, starting a second mock. These workers run this module only.

A worker is ``python -c`` importing this module, with the parent's ``sys.path``; it reads a
pickled ``(function, args)`` from its stdin, runs it and writes back a pickled
``(True, value)`` or ``(False, exception)``, one call at a time, until its stdin closes (when
the pool closes, or the server's process ends, however it ends). It ignores Ctrl-C, which is
the server's to handle, runs at a lower priority (``WORKER_NICENESS``), and its stderr goes
nowhere. Pickles only ever cross the pipes between
the server and its own children.

:class:`WorkerPool` starts workers as calls need them (at most ``size`` at once) and keeps them
for the next call; its :meth:`WorkerPool.call` blocks, so the server calls it from a thread
(which waits on the pipe with the GIL released).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any, TypeVar

T = TypeVar("T")

# Added to a worker's niceness from its first line: where the cores are all busy, the server's
# own thread (other clients' answers) gets the CPU before the worker (the big body's).
WORKER_NICENESS = 10
_BOOT = (
    f"import os, pickle, sys; hasattr(os, 'nice') and os.nice({WORKER_NICENESS}); "
    "sys.path[:] = pickle.load(sys.stdin.buffer); "
    "from qiskit_runtime_jobs_mock._workers import serve_calls; serve_calls()"
)
_CLOSE_TIMEOUT_SECONDS = 5.0


class WorkerUnavailableError(RuntimeError):
    """No worker process could be started (the caller may do the work itself)."""


class WorkerDiedError(RuntimeError):
    """A worker process ended in the middle of a call (killed, out of memory)."""


class _Worker:
    """One child process and its two pipes."""

    def __init__(self) -> None:
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise WorkerUnavailableError(f"cannot start a worker process: {exc}") from exc
        try:
            self._send([os.getcwd() if entry == "" else entry for entry in sys.path])
        except OSError as exc:
            self.close()
            raise WorkerUnavailableError(f"the worker process did not start: {exc}") from exc

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None
        assert stdout is not None
        return stdin, stdout

    def _send(self, message: object) -> None:
        stdin, _ = self._pipes()
        pickle.dump(message, stdin, protocol=pickle.HIGHEST_PROTOCOL)
        stdin.flush()

    def call(self, func: Callable[..., Any], args: tuple[Any, ...]) -> tuple[bool, Any]:
        """``(True, func(*args))`` or ``(False, the exception it raised)``, from the child."""
        try:
            self._send((func, args))
            reply: tuple[bool, Any] = pickle.load(self._pipes()[1])
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            self.close()
            raise WorkerDiedError(
                f"the worker process ended during a call (exit status {self.process.poll()})"
            ) from exc
        return reply

    def close(self) -> None:
        """End the child: close its stdin (it exits at EOF), then wait a little, then kill."""
        for pipe in self._pipes():
            with contextlib.suppress(OSError):
                pipe.close()
        try:
            self.process.wait(timeout=_CLOSE_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class WorkerPool:
    """Up to ``size`` worker processes, started when first needed and kept for later calls."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("size must be >= 1")
        self._slots = threading.BoundedSemaphore(size)
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._closed = False

    def call(self, func: Callable[..., T], *args: Any) -> T:
        """Run ``func(*args)`` in a worker process and return its value or raise its exception.

        Blocks until a worker is free and done (call it from a thread). ``func`` and ``args``
        must pickle (``func`` by its module and name), and so must what it returns or raises.
        Raises :class:`WorkerUnavailableError` if no worker could be started, and
        :class:`WorkerDiedError` if the worker ended during the call.
        """
        with self._slots:
            with self._lock:
                if self._closed:
                    raise WorkerUnavailableError("the worker pool is closed")
                worker = self._idle.pop() if self._idle else None
            if worker is None:
                worker = _Worker()
            ok, value = worker.call(func, args)  # a worker that died is closed, not kept
            with self._lock:
                if self._closed:
                    worker.close()
                else:
                    self._idle.append(worker)
        if not ok:
            raise value
        result: T = value
        return result

    def close(self) -> None:
        """End the idle workers; a busy one ends when its call returns."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.close()


def serve_calls() -> None:
    """A worker's main loop (see the module docstring); returns when stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    calls, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must not corrupt the replies
    while True:
        try:
            func, args = pickle.load(calls)
        except EOFError:
            return
        try:
            reply: tuple[bool, Any] = (True, func(*args))
        except Exception as exc:
            reply = (False, exc)
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            failure = RuntimeError(f"the worker's reply does not pickle: {exc!r}")
            data = pickle.dumps((False, failure), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            replies.write(data)
            replies.flush()
        except OSError:  # the server is gone
            return


POOL = WorkerPool(max(1, min(4, os.cpu_count() or 1)))
"""The process's pool: shared by every mock it runs (a call carries everything it needs)."""
atexit.register(POOL.close)
