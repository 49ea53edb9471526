# Generated from `_async/http.py` by `make generate` (unasync): do not edit.
"""The httpx client of `AsyncClient`: its error answers raise the package's typed errors."""

from __future__ import annotations

from typing import Any

import httpx

from .._http import answered, sending


class SyncHTTPClient(httpx.Client):
    """An httpx client whose error answers raise the package's typed errors (see `_http`)."""

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        with sending(request):
            response = super().send(request, **kwargs)
        return answered(response, kwargs)
