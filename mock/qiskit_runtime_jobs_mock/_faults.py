"""Scripted, deterministic fault injection, so client retry/timeout code can be tested.

A :class:`Fault` names a route (an operationId, ``"iam_token"`` or ``"*"``), what goes wrong and
whether it strikes ``before`` the operation takes effect (nothing changes server-side) or
``after`` it (the change is made, but the client never hears of it). The difference matters for
non-idempotent calls: a client that retries ``POST /jobs`` after an ``after`` fault creates a
second job.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

FaultKind = Literal["status", "slow", "drop", "truncate"]
FaultWhen = Literal["before", "after"]

FAULT_KINDS: tuple[FaultKind, ...] = ("status", "slow", "drop", "truncate")
FAULT_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True, kw_only=True)
class Fault:
    """One scripted failure.

    Attributes:
        route: operationId (``create_job``, ``get_job_results``, ...), ``"iam_token"``, or
            ``"*"`` for every route.
        kind: ``status`` answers ``status`` (with ``Retry-After`` when ``retry_after`` is set);
            ``slow`` waits ``delay_seconds`` (real time) and then answers normally; ``drop``
            closes the connection without an answer; ``truncate`` sends the headers and
            half of the body, then closes the connection.
        when: ``before`` (the operation does not happen) or ``after`` (it happens).
        status: the status code for ``kind="status"``: 429, 500, 502, 503 or 504.
        retry_after: seconds for the ``Retry-After`` header, or ``None`` to omit it.
        delay_seconds: the delay for ``kind="slow"``.
        skip: how many matching requests pass untouched before the fault first strikes.
        times: how many times it strikes, or ``None`` for every matching request after ``skip``.
    """

    route: str
    kind: FaultKind = "status"
    when: FaultWhen = "before"
    status: int = 503
    retry_after: int | None = None
    delay_seconds: float = 0.0
    skip: int = 0
    times: int | None = 1

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, got {self.kind!r}")
        if self.when not in ("before", "after"):
            raise ValueError(f"fault 'when' must be 'before' or 'after', got {self.when!r}")
        if self.kind == "status" and self.status not in FAULT_STATUSES:
            raise ValueError(f"fault status must be one of {FAULT_STATUSES}, got {self.status}")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must be >= 0")
        if self.delay_seconds < 0 or self.skip < 0 or (self.times is not None and self.times < 0):
            raise ValueError("delay_seconds, skip and times must be >= 0")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Fault:
        """Build a fault from a JSON-like mapping (CLI ``--fault``); unknown keys are errors."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown fault keys: {sorted(unknown)}; allowed: {sorted(names)}")
        return cls(**dict(data))


class FaultInjector:
    """Holds the active faults and decides, thread-safely, which one strikes a request."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._seen: list[int] = []
        for fault in faults:
            self.add(fault)

    def add(self, fault: Fault) -> None:
        """Activate ``fault`` (its ``skip``/``times`` count from now)."""
        with self._lock:
            self._faults.append(fault)
            self._seen.append(0)

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()
            self._seen.clear()

    @property
    def faults(self) -> tuple[Fault, ...]:
        """The faults currently configured."""
        with self._lock:
            return tuple(self._faults)

    def pick(self, route: str) -> Fault | None:
        """Return the fault that strikes this request on ``route``, if any (consumes one use)."""
        if not self._faults:  # fast path: no lock when fault injection is off
            return None
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.route not in (route, "*"):
                    continue
                seen = self._seen[index]
                self._seen[index] = seen + 1
                if seen < fault.skip:
                    continue
                if fault.times is None or seen - fault.skip < fault.times:
                    return fault
            return None
