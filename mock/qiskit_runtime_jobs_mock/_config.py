"""Every knob of the mock in one frozen, keyword-only object with safe defaults."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from ._clock import Clock
from ._faults import Fault

DEFAULT_TOKEN = "mock-token"
DEFAULT_API_KEY = "mock-api-key"
DEFAULT_USER = "mock-user"
DEFAULT_CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/mock-account:mock-instance::"
DEFAULT_MIN_API_VERSION = dt.date(2026, 3, 15)
DEFAULT_BACKEND = "ibm_mock_backend"
MAX_COST_SECONDS = 10800


def _default_tokens() -> Mapping[str, str]:
    return {DEFAULT_TOKEN: DEFAULT_USER}


def _default_api_keys() -> Mapping[str, str]:
    return {DEFAULT_API_KEY: DEFAULT_USER}


def _default_instances() -> Mapping[str, frozenset[str] | None]:
    return {DEFAULT_CRN: None}


@dataclass(frozen=True, kw_only=True)
class MockConfig:
    """Configuration of one mock server.

    Attributes:
        tokens: static bearer tokens (never expire) mapped to the user id they authenticate.
        api_keys: IAM API keys accepted by ``POST /identity/token``, mapped to user ids.
        instances: Service-CRNs that exist, each mapped to the user ids allowed to use it
            (``None``: every known user). A valid token with an unknown or foreign CRN gets 403.
        min_api_version: oldest ``IBM-API-Version`` date accepted; any well-formed later
            date is accepted too (IBM's client sends newer dates than the docs).
        iam_token_lifetime_seconds: lifetime of tokens minted by the IAM endpoint (clock time).
        rate_limit_per_minute: job creations allowed per user per 60 s; ``None`` disables it.
        usage_limit_seconds: QPU seconds an instance may consume before creation answers 409;
            ``None`` disables it.
        queued_seconds: default time a job spends ``Queued`` (clock time).
        running_seconds: default time a job spends ``Running`` (clock time).
        timing_cycle: when non-empty, replaces the two defaults above in turn: the N-th job
            (counting from 0, per server) created setting neither ``params.mock.queued_seconds``
            nor ``running_seconds`` gets ``timing_cycle[N % len(timing_cycle)]`` as its
            ``(queued_seconds, running_seconds)``; a job setting one keeps the defaults for the
            other and takes no turn. Lets a fuzzer keep a few of its jobs pending.
        default_backend: backend given to jobs created without one.
        result_bytes: approximate size of executor results (base64 text), ``None`` for the
            natural size given by shots and bits; a job's ``params.mock.result_bytes`` wins.
        max_body_bytes: larger request bodies answer 413.
        qiskit_version: reported by the metrics endpoint.
        faults: faults active from the start (see :class:`Fault`); off by default.
        clock: the time source; ``None`` means real time (see :class:`SystemClock`).
        keep_alive_seconds: an open connection with no request on it is closed after this
            long (real time; the bundled server only, as all three timeouts).
        header_timeout_seconds: a request's head (request line and headers) must arrive
            within this long of its first byte, else the server answers 408 and closes.
        body_timeout_seconds: a request body must arrive within this long; a body the
            operation reads answers 408 (in-process too), one it does not is dropped.
        access_log: log one line per request (method, path, status, duration, request id;
            never a credential) at INFO on the ``qiskit_runtime_jobs_mock.access`` logger.
    """

    tokens: Mapping[str, str] = field(default_factory=_default_tokens)
    api_keys: Mapping[str, str] = field(default_factory=_default_api_keys)
    instances: Mapping[str, frozenset[str] | None] = field(default_factory=_default_instances)
    min_api_version: dt.date = DEFAULT_MIN_API_VERSION
    iam_token_lifetime_seconds: float = 3600.0
    rate_limit_per_minute: int | None = 5
    usage_limit_seconds: float | None = None
    queued_seconds: float = 1.0
    running_seconds: float = 3.0
    default_backend: str = DEFAULT_BACKEND
    result_bytes: int | None = None
    max_body_bytes: int = 32 * 1024 * 1024
    qiskit_version: str = "2.3.0"
    faults: tuple[Fault, ...] = ()
    clock: Clock | None = None
    timing_cycle: tuple[tuple[float, float], ...] = ()
    keep_alive_seconds: float = 5.0
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 30.0
    access_log: bool = False

    def __post_init__(self) -> None:
        if self.rate_limit_per_minute is not None and self.rate_limit_per_minute < 1:
            raise ValueError("rate_limit_per_minute must be >= 1 or None")
        if self.queued_seconds < 0 or self.running_seconds < 0:
            raise ValueError("queued_seconds and running_seconds must be >= 0")
        if self.max_body_bytes < 1:
            raise ValueError("max_body_bytes must be >= 1")
        if self.iam_token_lifetime_seconds <= 0:
            raise ValueError("iam_token_lifetime_seconds must be > 0")
        for entry in self.timing_cycle:
            if len(entry) != 2 or not all(math.isfinite(v) and v >= 0 for v in entry):
                raise ValueError(
                    "timing_cycle entries must be (queued_seconds, running_seconds) pairs of "
                    f"finite numbers >= 0, got {entry!r}"
                )
        for name in ("keep_alive_seconds", "header_timeout_seconds", "body_timeout_seconds"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0")
