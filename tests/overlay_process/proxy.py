"""A fault-injecting proxy between a client and the loopback mock, with seeded random faults.

The mock's own fault modes script which request fails; the measurements of the issue need
faults at a rate, on every route, from several threads or processes at once. So this
transport sits in front of a real `httpx.HTTPTransport` (plain loopback HTTP to the mock) and
gives each request, with probability `rate`, one fault drawn from `kinds`:

- `"503"`, `"429"`: refused before the request reaches the mock (nothing happens there);
  a 429 carries `Retry-After: 1`;
- `"503-after"`: the mock handles the request, then the answer is replaced by a 503;
- `"drop-after"`: the mock handles it, then the connection is dropped without an answer;
- `"truncate-after"`: the mock handles it, then the body is cut after half.

The client's retrying transport sends the same `httpx.Request` object again; `max_in_a_row`
caps how many faults one such request meets, so a test can require that every call gets
through within its retries. It counts the faults it dealt and the requests it forwarded.
"""

from __future__ import annotations

import random
import threading
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence

import httpx

REFUSALS = ("503", "429")
EVERY_FAULT = ("503", "429", "503-after", "drop-after", "truncate-after")


def _refusal(status: int, request: httpx.Request) -> httpx.Response:
    body = {"errors": [{"code": "proxy", "message": "refused by the test proxy"}]}
    headers = {"Retry-After": "1"} if status == 429 else {}
    return httpx.Response(status, json=body, headers=headers, request=request)


class _Cut(httpx.SyncByteStream):
    """A body that ends in a dropped connection after `part`."""

    def __init__(self, part: bytes) -> None:
        self._part = part

    def __iter__(self) -> Iterator[bytes]:
        yield self._part
        raise httpx.RemoteProtocolError("peer closed connection without sending complete body")


class FaultProxy(httpx.BaseTransport):
    """Loopback HTTP with seeded random faults (see the module docstring)."""

    def __init__(
        self,
        *,
        rate: float = 0.0,
        kinds: Sequence[str] = EVERY_FAULT,
        seed: int = 0,
        max_in_a_row: int | None = None,
    ) -> None:
        self._inner = httpx.HTTPTransport()
        self._rate = rate
        self._kinds = tuple(kinds)
        self._cap = max_in_a_row
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._struck: weakref.WeakKeyDictionary[httpx.Request, int] = weakref.WeakKeyDictionary()
        self.faults: Counter[str] = Counter()
        self.forwarded = 0

    def _draw(self, request: httpx.Request) -> str | None:
        with self._lock:
            struck = self._struck.get(request, 0)
            if self._cap is not None and struck >= self._cap:
                return None
            if self._rng.random() >= self._rate:
                return None
            kind = self._rng.choice(self._kinds)
            self._struck[request] = struck + 1
            self.faults[kind] += 1
            return kind

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        kind = self._draw(request)
        if kind in REFUSALS:
            return _refusal(int(kind), request)
        with self._lock:
            self.forwarded += 1
        response = self._inner.handle_request(request)
        if kind is None:
            return response
        body = response.read()
        response.close()
        if kind == "503-after":
            return _refusal(503, request)
        if kind == "drop-after":
            raise httpx.RemoteProtocolError(
                "server disconnected without an answer", request=request
            )
        assert kind == "truncate-after", kind
        cut = _Cut(body[: len(body) // 2])
        return httpx.Response(response.status_code, headers=response.headers, stream=cut)

    def close(self) -> None:
        self._inner.close()
