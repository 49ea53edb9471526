"""What `Client` and `AsyncClient` share: the options, the settings, the policies, the
generated client, the result cache and the two small readers of an answer.

The clients themselves are drivers: `_async/client.py` is written by hand and
`_sync/client.py` is generated from it (`make generate`, see docs/architecture.md). Every
decision they take is made in pure code both share: settings, validation, the operations as
data (`_ops`), the create protocol (`_create`), the wait schedule (`_wait`), the pagination
stop rule and the read-once cache. A driver method only does the I/O between those decisions.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar

import httpx

from qiskit_runtime_jobs_generated import Client as GeneratedClient
from qiskit_runtime_jobs_generated.types import Response

from . import _constants as c, _ops
from ._clock import Clock, SystemClock
from ._errors import InvariantError, NotFoundError
from ._iam import BearerAuth, IAMAuth
from ._limiter import SlidingWindowLimiter
from ._ops import JobFilters, RecoveredResponse
from ._pagination import PageCursor
from ._result_cache import ResultCache
from ._retry import RetryPolicy
from ._settings import ClientOptions, Settings, resolve_settings
from ._transport import attempts
from ._validation import check_page_size

T = TypeVar("T")
L = TypeVar("L")


def parsed(response: Response[T]) -> T:
    """The model a call read: every call whose plain method returns one reads it or raises."""
    if response.parsed is None:
        raise InvariantError(
            f"a {int(response.status_code)} answer came back without the model its call reads"
        )
    return response.parsed


def deleted_before(error: NotFoundError) -> RecoveredResponse[None]:
    """A 404 to a DELETE the transport had to resend: an earlier attempt deleted the job.
    The outcome is reported as the plain method reports it (deleted: 204), and the 404 as
    the answer it was learned from (see `RecoveredResponse`)."""
    if attempts(error.response) <= 1:
        raise error
    answer = error.response
    resend: Response[None] = Response(
        HTTPStatus(answer.status_code), answer.content, answer.headers, None
    )
    return RecoveredResponse(HTTPStatus.NO_CONTENT, b"", httpx.Headers(), None, learned_from=resend)


class ClientCore:
    """Settings, policies, the generated client and the result cache both clients share."""

    def __init__(self, options: ClientOptions) -> None:
        self._settings = resolve_settings(**options)
        self._clock: Clock = options.get("clock") or SystemClock()
        self._policy = RetryPolicy(max_retries=self._settings.max_retries)
        self._limiter = SlidingWindowLimiter(
            self._settings.create_rate_limit, c.CREATE_RATE_WINDOW, self._clock
        )
        self._gen = GeneratedClient(base_url=self._settings.base_url)
        self._results = ResultCache(self._settings.cache_dir)

    @property
    def settings(self) -> Settings:
        """The resolved configuration (its repr hides secrets)."""
        return self._settings

    @property
    def base_url(self) -> str:
        return self._settings.base_url

    @property
    def result_cache(self) -> ResultCache:
        """The kept copies of private results (`forget(job_id)` to drop one)."""
        return self._results

    def _http_options(
        self, retrying: Callable[..., object], iam: Callable[..., IAMAuth], **inner: Any
    ) -> dict[str, Any]:
        """The httpx client's arguments: the retrying transport over `inner` (the one given),
        and the auth (`iam` for an API key), whose IAM exchange goes through `inner` too."""
        s = self._settings
        self._auth: IAMAuth | BearerAuth = BearerAuth(s.token or "")
        if s.api_key is not None:
            self._auth = iam(
                s.api_key,
                url=s.iam_url,
                clock=self._clock,
                timeout=s.timeout,
                max_retries=s.max_retries,
                **inner,
            )
        return {
            "auth": self._auth,
            "transport": retrying(*inner.values(), policy=self._policy, clock=self._clock),
            "base_url": s.base_url,
            "timeout": s.timeout,
            "headers": {"User-Agent": s.user_agent},
        }

    def _key_lock(
        self, key: str | None, lock: Callable[[Path, str], L]
    ) -> L | contextlib.nullcontext[None]:
        """The lock on a caller's idempotency key (`lock` makes the sync or async one)."""
        if key is None:
            return contextlib.nullcontext()
        return lock(self._settings.lock_dir, f"create-{key}")

    def _page_cursor(self, page_size: int, filters: JobFilters) -> PageCursor:
        """Check the page size and filters now, before the first page is asked for."""
        _ops.list_jobs(self._settings, limit=page_size, offset=0, filters=filters)
        return PageCursor(check_page_size(page_size))

    def __repr__(self) -> str:
        s = self._settings
        return (
            f"{type(self).__name__}(base_url={s.base_url!r}, crn={s.crn!r}, "
            f"region={s.region!r}, {s.auth_kind}=<redacted>)"
        )
