"""What a request body becomes (a job submission, tags, an IAM form), without stalling the server.

Parsing and checking a body is CPU work that holds the GIL. A small one (under
``LARGE_BODY_BYTES``) is done right away: a few milliseconds at most. A large one is
done in a worker process (``_workers.py``), which a thread of the server waits for: the event
loop keeps answering every other client meanwhile, and what comes back is small, or bytes
(``Submission``), cheap to receive. A 30 MB create once stopped every other client for as long
as it took (see ``benchmarks/big_body_bench.py``). Where no worker process can start, the
work runs in a thread instead, which still answers every request, only less smoothly.

Each ``*_from_body`` function takes the raw bytes and returns the checked result or raises an
:class:`ApiError` (a 400 naming what is wrong), in the worker as here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs

import anyio.to_thread

from ._body import parse_json
from ._errors import ApiError, field_error
from ._store import Submission, submit
from ._validation import validate_tags
from ._workers import POOL, WorkerUnavailableError

T = TypeVar("T")
# Bodies from this size on are parsed in a worker process (below, at most ~3 ms in place).
LARGE_BODY_BYTES = 32 * 1024
# The IAM form fields the mock reads (of a form of any size, only these come back).
IAM_FIELDS = ("grant_type", "apikey", "refresh_token")
logger = logging.getLogger("qiskit_runtime_jobs_mock")


def submission_from_body(raw: bytes | bytearray, result_bytes: int | None) -> Submission:
    """A ``POST /jobs`` body: parsed, checked, its result planned."""
    return submit(parse_json(raw), result_bytes)


def tags_from_body(raw: bytes | bytearray) -> tuple[str, ...]:
    """A ``PUT /jobs/{id}/tags`` body: the tags it sets."""
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "The request body must be a JSON object.")
    if "tags" not in body:
        raise field_error("tags", "'tags' is required.", code="missing_field")
    return validate_tags(body["tags"])


def form_from_body(raw: bytes | bytearray) -> dict[str, str]:
    """A ``POST /identity/token`` form: the last value of each field the mock reads."""
    form = parse_qs(raw.decode("utf-8", "replace"))
    return {name: form[name][-1] for name in IAM_FIELDS if name in form}


async def from_body(func: Callable[..., T], raw: bytes | bytearray, *args: Any) -> T:
    """``func(raw, *args)``: right away for a small body, else in a worker process."""
    if len(raw) < LARGE_BODY_BYTES:
        return func(raw, *args)
    try:
        return await anyio.to_thread.run_sync(POOL.call, func, raw, *args)
    except WorkerUnavailableError as exc:
        logger.warning("parsing a %d-byte body in a thread: %s", len(raw), exc)
        return await anyio.to_thread.run_sync(func, raw, *args)
