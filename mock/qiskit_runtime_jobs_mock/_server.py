"""Serve the mock over real loopback HTTP: uvicorn in a background thread on a free port."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.types import ASGIApp

from ._app import create_app
from ._config import MockConfig
from ._endpoint import MockEndpoint
from ._protocol import MockProtocol, ServerConfig

_STARTUP_TIMEOUT_SECONDS = 10.0


class _Server(uvicorn.Server):
    """uvicorn's server, stopping as soon as asked instead of on its next 0.1 s tick.

    (It overrides two of uvicorn's own methods, another reason the ``mock`` extra pins uvicorn
    to the minor version the tests run; see ``_protocol.py``.)
    """

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = asyncio.Event()

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self._stop.wait()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Ctrl+C / SIGTERM (the CLI) stop the server too."""
        super().handle_exit(sig, frame)
        self.stop()

    def stop(self) -> None:
        """Ask the server to exit (thread-safe)."""
        self.should_exit = True
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)


class MockServer(MockEndpoint):
    """A running mock on a loopback port: ``base_url`` for clients; ``state``/``app`` for tests
    that steer it."""

    def __init__(self, app: Starlette, host: str, port: int) -> None:
        super().__init__(app)
        self.host = host
        self.port = port

    @property
    def root_url(self) -> str:
        """``http://HOST:PORT`` (the IAM endpoint lives at ``/identity/token`` under it)."""
        return f"http://{self.host}:{self.port}"

    def transport(self) -> httpx.BaseTransport:
        """A new plain HTTP transport (the server is reached through its socket)."""
        return httpx.HTTPTransport()

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """A new plain async HTTP transport."""
        return httpx.AsyncHTTPTransport()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only for sockets that say
    # so, and with Nagle on every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def build_server(
    config: MockConfig | None,
    host: str,
    port: int,
    log_level: str,
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
) -> tuple[_Server, socket.socket, MockServer]:
    """Bind the socket and prepare (not start) uvicorn; shared by :func:`serve` and the CLI."""
    app = create_app(config)
    sock = _bind(host, port)
    uv_config = ServerConfig(
        wrap(app) if wrap is not None else app,
        app.state.mock.config,
        http=MockProtocol,
        loop="auto",  # uvloop where it is installed (the mock extra, except on Windows)
        lifespan="off",
        proxy_headers=False,  # nothing in the mock reads the client address or scheme
        log_level=log_level,
        access_log=False,  # the app's own request log (MockConfig.access_log) replaces it
        timeout_graceful_shutdown=2,
    )
    return _Server(uv_config), sock, MockServer(app, host, sock.getsockname()[1])


@contextmanager
def serve(
    config: MockConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    log_level: str = "warning",
    wrap: Callable[[ASGIApp], ASGIApp] | None = None,
) -> Iterator[MockServer]:
    """Run the mock on ``host:port`` (port 0: a free one) until the block exits.

    ``wrap`` puts ASGI middleware around the app (the contract suite plants bugs that way).
    The request log is off here (the CLI turns it on): ``MockConfig(access_log=True)`` logs one
    line per request on the ``qiskit_runtime_jobs_mock.access`` logger.
    """
    server, sock, mock = build_server(config, host, port, log_level, wrap)

    def run() -> None:
        with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
            runner.run(server.serve(sockets=[sock]))

    thread = threading.Thread(
        target=run,
        name=f"qiskit-runtime-jobs-mock:{mock.port}",
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + _STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.stop()
            sock.close()
            raise RuntimeError("the mock server did not start")
        time.sleep(0.005)
    try:
        yield mock
    finally:
        server.stop()
        thread.join(timeout=5)
        sock.close()
