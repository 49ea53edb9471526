"""The httpx client of `AsyncClient`: its error answers raise the package's typed errors."""

from __future__ import annotations

from typing import Any

import httpx

from .._http import answered, sending


class AsyncHTTPClient(httpx.AsyncClient):
    """An httpx client whose error answers raise the package's typed errors (see `_http`)."""

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        with sending(request):
            response = await super().send(request, **kwargs)
        return answered(response, kwargs)
