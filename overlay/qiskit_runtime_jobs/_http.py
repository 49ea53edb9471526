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
"""

from __future__ import annotations

from typing import Any, NoReturn

import httpx

from ._errors import APIConnectionError, APITimeoutError, status_error
from ._json import loads


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


class SyncHTTPClient(httpx.Client):
    """An `httpx.Client` whose error answers raise the package's typed errors."""

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        try:
            response = super().send(request, **kwargs)
        except httpx.TransportError as exc:
            _raise_transport(exc, request)
        return _checked(_unbound(response, kwargs))


class AsyncHTTPClient(httpx.AsyncClient):
    """The async twin of `SyncHTTPClient`."""

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        try:
            response = await super().send(request, **kwargs)
        except httpx.TransportError as exc:
            _raise_transport(exc, request)
        return _checked(_unbound(response, kwargs))
