"""What the service saw: an ASGI middleware in front of the mock that logs every answer.

Contract tests judge the kit by what reached the service (jobs created, requests to a user's
job, requests after the run died), not by what the kit says it did.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

CREATE_PATH = "/api/v1/jobs"


@dataclass(frozen=True)
class Answered:
    method: str
    path: str
    status: int
    at: float  # time.time() when the answer started


class ServiceLog:
    """ASGI middleware (pass it as `serve(..., wrap=log)`); `delete_delay` answers every
    DELETE that many seconds late (a slow cleanup)."""

    def __init__(self, delete_delay: float = 0.0) -> None:
        self.seen: list[Answered] = []
        self.delete_delay = delete_delay

    def __call__(self, app: Any) -> Any:
        async def middleware(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            if scope["method"] == "DELETE" and self.delete_delay:
                await asyncio.sleep(self.delete_delay)

            async def logging(message: Any) -> None:
                if message["type"] == "http.response.start":
                    answered = Answered(
                        scope["method"], scope["path"], message["status"], time.time()
                    )
                    self.seen.append(answered)
                await send(message)

            await app(scope, receive, logging)

        return middleware

    @property
    def created(self) -> int:
        """Jobs the service made (a 200 to `POST /jobs`)."""
        return sum(
            1 for a in self.seen if (a.method, a.path, a.status) == ("POST", CREATE_PATH, 200)
        )
