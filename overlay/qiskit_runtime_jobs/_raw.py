"""Raw response access, openai `with_raw_response` style.

`client.with_raw_response.get_job(job_id)` calls the same method but returns a
`RawResponse`: the parsed model plus the `httpx.Response` it came from (headers, request id).
The HTTP layer records each final response into a context-local slot only while such a call
runs, so it works across threads and asyncio tasks without touching method signatures.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, ParamSpec, TypeVar

import httpx

__all__ = ["RawResponse", "araw", "raw", "record"]

T = TypeVar("T")
P = ParamSpec("P")

_slot: ContextVar[list[httpx.Response] | None] = ContextVar("qiskit_runtime_jobs_raw", default=None)


def record(response: httpx.Response) -> None:
    """Called by the HTTP layer for every final response; a no-op outside raw calls."""
    slot = _slot.get()
    if slot is not None:
        slot.append(response)


@dataclass(frozen=True)
class RawResponse(Generic[T]):
    """A parsed result plus the last HTTP response of the call that produced it."""

    parsed: T
    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The service's `X-Request-ID`, for support requests."""
        value: str | None = self.http_response.headers.get("x-request-id")
        return value

    @property
    def content(self) -> bytes:
        return self.http_response.content


def _result(parsed: T, slot: list[httpx.Response]) -> RawResponse[T]:
    if not slot:
        raise RuntimeError("no HTTP response was recorded for this call")
    return RawResponse(parsed, slot[-1])


def raw(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """Wrap a sync client method so it returns a `RawResponse`."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        slot: list[httpx.Response] = []
        token = _slot.set(slot)
        try:
            return _result(method(*args, **kwargs), slot)
        finally:
            _slot.reset(token)

    return wrapper


def araw(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """Wrap an async client method so it returns a `RawResponse`."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        slot: list[httpx.Response] = []
        token = _slot.set(slot)
        try:
            return _result(await method(*args, **kwargs), slot)
        finally:
            _slot.reset(token)

    return wrapper
