"""Named locks that threads, asyncio tasks and processes of one machine all respect.

One lock file per name in a lock directory, locked with `filelock` (`flock` on POSIX, its
Windows counterpart there). Each acquisition opens its own descriptor, so two threads, two
tasks, two clients or two processes using the same name exclude each other; the operating
system releases the lock of a process that dies, so a crash never leaves a stale lock. The
lock files themselves stay (empty, 0600): deleting a lock file someone may be about to lock
would let two holders in.

Used for: `create_job(idempotency_key=...)` (`create-<key>`, in `Settings.lock_dir`) and the
read-once result cache (`result-<job id>`, in `<cache_dir>/locks`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from filelock import AsyncFileLock, FileLock

from ._errors import ConfigurationError

LOCKS_SUBDIR = "locks"
"""Where the locks live inside a `cache_dir`."""


def default_lock_dir(env: Mapping[str, str]) -> Path:
    """The per-user lock directory used without a `cache_dir`: `$XDG_CACHE_HOME` or
    `~/.cache`, then `qiskit-runtime-jobs/locks`."""
    base = env.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
    return Path(base) / "qiskit-runtime-jobs" / LOCKS_SUBDIR


def _lock_file(directory: Path, name: str) -> Path:
    """`<directory>/<name>.lock`, creating the directory (0700) if needed."""
    try:  # the last two levels (e.g. a cache_dir and its locks/) are private to the user
        directory.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot create the lock directory {directory} ({exc.strerror}); "
            "pass cache_dir= to keep locks elsewhere"
        ) from exc
    return directory / f"{name}.lock"


def file_lock(directory: Path, name: str) -> contextlib.AbstractContextManager[Any]:
    """The lock `name` for a thread (`with`): blocks until every other holder is done."""
    return FileLock(_lock_file(directory, name), mode=0o600)


def async_file_lock(directory: Path, name: str) -> contextlib.AbstractAsyncContextManager[Any]:
    """The lock `name` for a task (`async with`): waits without blocking the event loop."""
    return AsyncFileLock(_lock_file(directory, name), mode=0o600)
