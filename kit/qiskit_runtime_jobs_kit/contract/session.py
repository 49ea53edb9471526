"""One process's live part of a run: its token, connections, ledger, events and probes.

A `Session` is made from a `RunContext`: by the runner for its own phases (preflight,
lifecycle, cleanup), and by the hooks in the fuzzing child from the context the runner
passed it. The schemathesis hooks are module-level functions, so the hooks module holds the
one session of its process (`hooks.bind`); everything else takes the session as an argument.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from . import own_jobs
from .context import RunContext, api_version
from .events import EventLog
from .ledger import Ledger
from .model import RunModel
from .rules import Finding, Verdict, judge, stage

IAM_GRANT = "urn:ibm:params:oauth:grant-type:apikey"
HTTP_TIMEOUT_SECONDS = 30.0
# A token from IAM is fetched again once this share of its lifetime has passed.
REFRESH_AT = 0.8
# When IAM does not say how long its token lives (`expires_in`): IAM's own hour.
DEFAULT_TOKEN_LIFETIME_SECONDS = 3600.0


class CredentialsRefusedError(RuntimeError):
    """The target (or its IAM) refused the run's credentials; the message names which."""


class BudgetExhaustedError(RuntimeError):
    """Sending this create would exceed the run's job budget (`--max-jobs`)."""


def json_or_none(content: bytes) -> Any:
    """A body's JSON value, or None (empty, or not JSON): the target is under test."""
    try:
        return json.loads(content) if content else None
    except ValueError:
        return None


class Token:
    """The bearer token: the configured one, or one IAM issues for the API key, fetched again
    once `REFRESH_AT` of its lifetime has passed (IAM's tokens live an hour; a live run with
    a slow queue outlives one)."""

    def __init__(
        self,
        context: RunContext,
        now: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._credentials = context.credentials
        self._now = now
        self._transport = transport
        self._lock = threading.Lock()
        self._value: str | None = None
        self._refresh_at = 0.0

    def __repr__(self) -> str:
        return "Token(<redacted>)"

    @property
    def refreshable(self) -> bool:
        return self._credentials.token is None

    def refresh(self) -> str:
        with self._lock:
            self._value, lifetime = self._fetch()
            self._refresh_at = self._now() + lifetime * REFRESH_AT
            return self._value

    def current(self) -> str:
        with self._lock:
            value = self._value
            fresh = value is not None and (not self.refreshable or self._now() < self._refresh_at)
        return value if fresh and value is not None else self.refresh()

    def _fetch(self) -> tuple[str, float]:
        credentials = self._credentials
        if credentials.token:
            return credentials.token, float("inf")
        try:
            with httpx.Client(transport=self._transport, timeout=HTTP_TIMEOUT_SECONDS) as iam:
                response = iam.post(
                    credentials.iam_url,
                    data={"grant_type": IAM_GRANT, "apikey": credentials.api_key},
                    headers={"Accept": "application/json"},
                )
        except httpx.HTTPError as error:
            raise CredentialsRefusedError(
                f"could not reach IAM at {credentials.iam_url}: {type(error).__name__}"
            ) from None
        body = json_or_none(response.content) if response.status_code == 200 else None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            # Never the key itself: which variable, and what IAM answered.
            raise CredentialsRefusedError(
                f"IAM at {credentials.iam_url} refused the API key "
                f"({credentials.secret_name}): HTTP {response.status_code}"
            )
        lifetime = body.get("expires_in") if isinstance(body, dict) else None
        if isinstance(lifetime, int | float) and lifetime > 0:
            return token, float(lifetime)
        return token, DEFAULT_TOKEN_LIFETIME_SECONDS


@dataclass(frozen=True)
class Look:
    """What `GET /jobs/{id}` showed of a job just now."""

    answered: int | None  # None: no answer (a transport error)
    status: str | None = None
    private: bool = False

    @property
    def shown(self) -> bool | None:
        return own_jobs.shown_by(self.answered)

    def describe(self) -> str:
        """Where the job is, in a word or three ("Queued", "not shown: HTTP 404")."""
        if self.status is not None:
            return self.status
        return "unanswered" if self.answered is None else f"not shown: HTTP {self.answered}"


def _acting_status(job: dict[str, Any]) -> str:
    """The status the kit acts on: `status`, unless `state.status` says the job is further on
    (the two disagree: the behaviours report it). Acting on the later one, the kit neither
    waits for a job forever nor leaves it behind."""
    status: str = job["status"]
    state = job.get("state")
    inner = state.get("status") if isinstance(state, dict) else None
    now, later = stage(status), stage(inner)
    ahead = later is not None and (now is None or later > now)
    return str(inner) if ahead else status


def job_path(job_id: str) -> str:
    """`/jobs/{id}` for an id as a request sends it: a service id, or a case's path value,
    which schemathesis has percent-encoded already (so `%` stays as it is)."""
    return f"/jobs/{quote(job_id, safe='%')}"


class Session:
    """The run as one process sees it."""

    def __init__(
        self,
        context: RunContext,
        transport: httpx.BaseTransport | None = None,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        """`transport`: where requests go instead of the network; `now`: the clock token
        lifetimes are counted on (both for tests)."""
        self.context = context
        self._transport = transport
        self.token = Token(context, now, transport)
        self.ledger = Ledger(context.ledger_path)
        self.events = EventLog(context.events_path)
        self._lock = threading.Lock()
        self._http: httpx.Client | None = None
        self._creates_in_flight = 0
        self._absent: set[str] = set()
        self.verdicts = StateVerdicts(self)
        self.reads = ReadOnceLedger()
        self.model = RunModel()

    def __repr__(self) -> str:
        return f"Session({self.context!r})"

    def headers(self) -> dict[str, str]:
        """Headers of a well-formed request to the target."""
        return {
            "Authorization": f"Bearer {self.token.current()}",
            "Service-CRN": self.context.credentials.crn,
            "IBM-API-Version": api_version(),
            "Accept": "application/json",
        }

    def http(self) -> httpx.Client:
        """The session's connections to the target (shared by its threads)."""
        with self._lock:
            if self._http is None:
                self._http = httpx.Client(
                    base_url=self.context.url,
                    timeout=HTTP_TIMEOUT_SECONDS,
                    transport=self._transport,
                )
            return self._http

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One well-formed request of the kit's own (a look, preflight, cleanup); a 401 to a
        token from IAM fetches a new one and tries once more."""
        response = self.http().request(method, path, headers=self.headers(), **kwargs)
        if response.status_code == 401 and self.token.refreshable:
            self.token.refresh()
            response = self.http().request(method, path, headers=self.headers(), **kwargs)
        return response

    def found(self, findings: Iterable[Finding]) -> None:
        """Tell the runner what each behaviour judged showed (the summary counts them)."""
        for finding in findings:
            self.events.emit(
                "behaviour",
                behaviour=finding.behaviour,
                ok=finding.problem is None,
                problem=finding.problem,
            )

    def close(self) -> None:
        with self._lock:
            if self._http is not None:
                self._http.close()
                self._http = None

    def look(self, job_id: str) -> Look:
        """The job's status and privacy right now, as the target shows them."""
        if not self.context.url:
            return Look(None)
        try:
            response = self.request("GET", job_path(job_id))
        except (httpx.HTTPError, CredentialsRefusedError):
            return Look(None)
        body = json_or_none(response.content) if response.status_code == 200 else None
        if not isinstance(body, dict) or not isinstance(body.get("status"), str):
            return Look(response.status_code)
        return Look(200, _acting_status(body), body.get("private") is True)

    def may_send(self, operation: str, method: str, job_id: str) -> bool:
        """The own-jobs rule for this id: ours, or one the target says it does not know."""
        if not own_jobs.guarded(operation, method) or self.ledger.owns(job_id):
            return True
        with self._lock:
            if job_id in self._absent:
                return True
        shown = self.look(job_id).shown
        if shown is False:
            with self._lock:
                self._absent.add(job_id)
        return own_jobs.may_send(operation, method, own=False, shown=shown)

    @property
    def budget_left(self) -> float:
        """Jobs the run may still create (infinite without a budget)."""
        budget = self.context.max_jobs
        with self._lock:
            used = self.ledger.count + self._creates_in_flight
        return float("inf") if budget is None else budget - used

    def reserve_create(self) -> None:
        """Count a valid create about to be sent against the budget, or refuse it."""
        budget = self.context.max_jobs
        with self._lock:
            if budget is not None and self.ledger.count + self._creates_in_flight >= budget:
                raise BudgetExhaustedError(
                    f"not sending POST /jobs: the run's job budget (--max-jobs {budget}) is used up"
                )
            self._creates_in_flight += 1

    def create_answered(self, job_id: str | None, *, private: bool, reserved: bool) -> None:
        """A create came back; `job_id` is the job it made (None: it made none)."""
        if reserved:
            with self._lock:
                self._creates_in_flight = max(0, self._creates_in_flight - 1)
        if job_id is not None:
            self.ledger.created(job_id, private=private)


class StateVerdicts:
    """Each state-sensitive case's job state when it was sent, and its verdict once judged.

    Keyed by `id(case)`, holding the case so the id cannot be reused while the entry lives.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._lock = threading.Lock()
        self._before: dict[int, tuple[Any, Look, str, str]] = {}
        self._verdicts: dict[int, Verdict] = {}

    def remember(self, case: Any, look: Look, operation: str, job_id: str) -> None:
        with self._lock:
            self._before[id(case)] = (case, look, operation, job_id)

    def verdict(self, case: Any, answered: int) -> Verdict | None:
        """Judge (once) the answer to a case whose job's state was looked at."""
        with self._lock:
            if id(case) in self._verdicts:
                return self._verdicts[id(case)]
            entry = self._before.get(id(case))
        if entry is None:
            return None
        _, look, operation, job_id = entry
        verdict = judge(operation, look.status, answered, private=look.private)
        if verdict.ok is not True:
            # The job may have moved between the look and the request: judge where it is now.
            later = self._session.look(job_id)
            if later.status is not None:
                verdict = judge(
                    operation, look.status, answered, private=look.private, after=later.status
                )
        if verdict.ok is not None:
            self._session.events.emit(
                "rule", operation=operation, state=verdict.state, answered=answered, ok=verdict.ok
            )
        with self._lock:
            self._verdicts[id(case)] = verdict
        return verdict


class ReadOnceLedger:
    """Which private jobs exist and which result reads succeeded, across one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._private: set[str] = set()
        self._reads: dict[str, str] = {}

    def created(self, job_id: str) -> None:
        with self._lock:
            self._private.add(job_id)

    def read(self, job_id: str, request_id: str) -> str | None:
        """Record a successful read; the earlier read's request id if this is a second one."""
        with self._lock:
            if job_id not in self._private:
                return None
            first = self._reads.setdefault(job_id, request_id)
            return first if first != request_id else None
