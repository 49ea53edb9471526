"""The mock in-process: httpx transports straight into its ASGI app, no socket, no server.

:func:`serve_in_process` builds the app and returns an :class:`InProcessMock`;
``InProcessMock(app)`` wraps an app that already exists (say the one a loopback
:class:`MockServer` serves), so both reach one store, one clock and one fault list. Its
transports, for any httpx client (the project's SDK takes them as ``transport=``):

- ``async_transport()``: :class:`httpx.ASGITransport` over the app, for ``httpx.AsyncClient``;
  the app runs on the caller's event loop.
- ``transport()``: a sync :class:`httpx.BaseTransport` for ``httpx.Client``. Each request is
  handed to ``httpx.ASGITransport`` on one event loop in a background thread (an anyio blocking
  portal, as ``starlette.testclient`` does), started on first use and stopped by
  :meth:`InProcessMock.close`. Requests from many threads run concurrently on that loop, as on
  the real server; the request body is read whole before it is sent.

Both answer only for the mock's own origin (``root_url``, ``http://mock.test`` by default): a
request for any other host raises :class:`httpx.ConnectError`, as an unreachable server would.
A socket's behaviour is not emulated: timeouts are not enforced, and a ``drop`` or ``truncate``
fault fails the request with the app's ``ConnectionAbortedError`` rather than a transport
error. Test those against :func:`serve` (real loopback HTTP).
"""

from __future__ import annotations

import contextlib
import threading

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from starlette.applications import Starlette

from ._app import create_app
from ._config import MockConfig
from ._endpoint import MockEndpoint

IN_PROCESS_ROOT_URL = "http://mock.test"


class _ASGITransport(httpx.ASGITransport):
    """httpx's ASGI transport, refusing requests for any origin but the mock's."""

    def __init__(self, app: Starlette, origin: httpx.URL) -> None:
        super().__init__(app=app)
        self._origin = origin

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if (url.scheme, url.host, url.port) != (
            self._origin.scheme,
            self._origin.host,
            self._origin.port,
        ):
            raise httpx.ConnectError(
                f"{url.scheme}://{url.netloc.decode('ascii')} is not the in-process mock "
                f"({self._origin})",
                request=request,
            )
        return await super().handle_async_request(request)


class _SyncTransport(httpx.BaseTransport):
    """A sync transport running each request through the mock's portal."""

    def __init__(self, mock: InProcessMock) -> None:
        self._mock = mock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()  # now a ByteStream: readable by the async transport too
        return self._mock._portal().call(self._mock._exchange, request)


class InProcessMock(MockEndpoint):
    """The mock reached without a socket: ``transport()`` / ``async_transport()`` for httpx
    clients, ``base_url`` and ``headers`` as for :class:`MockServer`, ``state`` to steer it.

    Close it (or use it as a context manager) to stop the sync transport's event loop; the
    transports' own ``close()`` does nothing, so many clients can share them.
    """

    def __init__(self, app: Starlette, *, root_url: str = IN_PROCESS_ROOT_URL) -> None:
        super().__init__(app)
        origin = httpx.URL(root_url)
        if origin.path not in ("", "/") or not origin.host:
            raise ValueError(f"root_url must be scheme://host[:port], got {root_url!r}")
        self._root_url = root_url.rstrip("/")
        self._asgi = _ASGITransport(app, origin)
        self._sync = _SyncTransport(self)
        self._lock = threading.Lock()
        self._running: BlockingPortal | None = None
        self._stack = contextlib.ExitStack()
        self._closed = False

    @property
    def root_url(self) -> str:
        """``http://mock.test`` unless given: the origin the transports answer for."""
        return self._root_url

    def transport(self) -> httpx.BaseTransport:
        """The sync transport (the same object every call)."""
        return self._sync

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """The async transport (the same object every call)."""
        return self._asgi

    def close(self) -> None:
        """Stop the sync transport's event loop (if it ever started); idempotent."""
        with self._lock:
            self._closed = True
            self._running = None
            self._stack.close()

    def __enter__(self) -> InProcessMock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"InProcessMock(root_url={self._root_url!r})"

    def _portal(self) -> BlockingPortal:
        with self._lock:
            if self._closed:
                raise RuntimeError("the in-process mock is closed")
            if self._running is None:
                self._running = self._stack.enter_context(start_blocking_portal())
            return self._running

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        """One request through the ASGI transport, its body read whole (on the portal's loop)."""
        response = await self._asgi.handle_async_request(request)
        body = b"".join([part async for part in response.aiter_raw()])  # raw: not decoded
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(body),
            extensions=response.extensions,
        )


def serve_in_process(
    config: MockConfig | None = None, *, root_url: str = IN_PROCESS_ROOT_URL
) -> InProcessMock:
    """A fresh mock app (``config`` or the defaults) behind in-process transports.

    ``with serve_in_process(config) as mock:`` mirrors ``with serve(config) as server:``.
    """
    return InProcessMock(create_app(config), root_url=root_url)
