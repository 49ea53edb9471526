"""One log line per request, so a user debugging a client sees what arrived and what was answered.

The line holds the method, the path (percent-encoded again, so a crafted path cannot forge log
lines), the status, the duration and the request id, plus the fault that struck, if any. It
never holds headers, the query string or the body: no token, API key or CRN reaches the log.
A request that got no answer (a dropped connection) logs ``-`` as its status.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("qiskit_runtime_jobs_mock.access")
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


class AccessLog:
    """ASGI middleware logging every HTTP request at INFO when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = "-"
        request_id = "-"
        fault = ""

        async def watch(message: Message) -> None:
            nonlocal status, request_id, fault
            if message["type"] == "http.response.start":
                status = str(message["status"])
                for name, value in message.get("headers", ()):
                    if name.lower() == b"x-request-id":
                        request_id = value.decode("latin-1")
                    elif name.lower() == b"x-mock-fault":
                        fault = f" fault={value.decode('latin-1')}"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            path = quote(scope["path"], safe=_PATH_SAFE, errors="backslashreplace")
            elapsed_ms = (time.perf_counter() - started) * 1000
            logger.info(
                "%s %s %s %.1fms id=%s%s",
                scope["method"],
                path,
                status,
                elapsed_ms,
                request_id,
                fault,
            )
