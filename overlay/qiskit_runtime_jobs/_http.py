"""The httpx clients handed to the generated client: errors become typed exceptions here.

`send()` is the last step after authentication (so a 401 has had its one refresh) and
before the generated code parses anything, so every error status, documented or not,
becomes the `APIStatusError` subclass for it, with the service's error body and request
id, and transport failures become `APIConnectionError`/`APITimeoutError`.

httpx binds every answer's stream to the answer itself (a reference cycle: the answer holds
the stream, the stream the answer), so a spent answer, body and all, lives until Python's
cycle collector runs, and under a steady load of pages (`iter_jobs`) many of them wait in
the oldest generation. Once the body is read, `send()` puts the bytes back as a plain
stream: the answer is freed as soon as the last reference to it goes. Its `json()` then
parses with `_json.loads` (the standard library's values, twice as fast where msgspec is
installed): the generated code reads every answer through it, and a page of 200 jobs spends
a third of its parsing time in JSON.

Whose fault. A generated operation builds the request, sends it through `send()`, then
decodes the answer, and any step may raise a `KeyError`, `TypeError` or `ValueError`.
`send()` marks the moment the service's answer is in (`decoding_answer()` reads the mark):
what is raised after it is the answer breaking the spec (`APIError`); what is raised before
it, while the request was being built (wrong arguments, a header httpx cannot encode), is a
bug on this side, and surfaces as itself, with a note saying so: no request was sent.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, NoReturn

import httpx

from ._errors import APIConnectionError, APIError, APITimeoutError, status_error
from ._json import loads

_ANSWER_MISMATCH = (KeyError, TypeError, ValueError)
"""What the generated parsers raise on an answer that does not match the spec."""

_answered: ContextVar[bool] = ContextVar("qiskit_runtime_jobs.answered", default=False)
"""Set by `send()` once the service's answer is in: the current call is decoding it."""


@contextlib.contextmanager
def decoding_answer() -> Iterator[None]:
    """Around one call into the generated code: a `KeyError`/`TypeError`/`ValueError` raised
    after the service answered is the answer breaking the spec (`APIError`); one raised before
    (building the request) is our own bug and propagates as itself, with a note."""
    mark = _answered.set(False)
    try:
        yield
    except _ANSWER_MISMATCH as exc:
        if not _answered.get():
            exc.add_note(
                "raised by qiskit_runtime_jobs while building the request, before anything "
                "was sent: a bug in the client, not an answer of the service"
            )
            raise
        raise APIError("the service's answer does not match the spec") from exc
    finally:
        _answered.reset(mark)


def _raise_transport(exc: httpx.TransportError, request: httpx.Request) -> NoReturn:
    what = f"{request.method} {request.url.path}"
    if isinstance(exc, httpx.TimeoutException):
        raise APITimeoutError(f"{what} timed out ({type(exc).__name__})", request=request) from exc
    raise APIConnectionError(f"{what} failed: {type(exc).__name__}", request=request) from exc


class _ReadAnswer(httpx.Response):
    """An answer whose body has been read, parsed by `_json.loads`."""

    def json(self, **kwargs: Any) -> Any:
        return super().json(**kwargs) if kwargs else loads(self.content)


def _unbound(response: httpx.Response, kwargs: dict[str, Any]) -> httpx.Response:
    """`response` without its stream's reference back to it, once the body has been read."""
    if not kwargs.get("stream"):  # `send` read the body: the bound stream is spent
        response.stream = httpx.ByteStream(response.content)
        response.__class__ = _ReadAnswer
    return response


def _checked(response: httpx.Response) -> httpx.Response:
    if response.is_error:
        body: Any = None
        try:
            body = response.json()
        except ValueError:
            body = response.text or None
        raise status_error(response, body)
    return response


@contextlib.contextmanager
def sending(request: httpx.Request) -> Iterator[None]:
    """Around one send: a transport failure becomes the package's typed error."""
    try:
        yield
    except httpx.TransportError as exc:
        _raise_transport(exc, request)


def answered(response: httpx.Response, kwargs: dict[str, Any]) -> httpx.Response:
    """The service's answer is in (see `decoding_answer`): checked, and freed of its client."""
    _answered.set(True)
    return _checked(_unbound(response, kwargs))
