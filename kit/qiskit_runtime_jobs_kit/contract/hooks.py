"""schemathesis hooks of the contract suite: IBM Cloud auth, the page's lifecycle rules, the
job ledger and budget, and spec drift.

Loaded by the kit's `schemathesis.toml` (`hooks = "qiskit_runtime_jobs_kit.contract.hooks"`)
in the fuzzing process, and imported by the runner for the lifecycle phase, so both judge
answers the same way. Everything target-specific comes from the environment the runner sets:

- `QISKIT_RUNTIME_TOKEN`, or `QISKIT_RUNTIME_API_KEY` (+ `QISKIT_RUNTIME_IAM_URL`): auth;
- `QISKIT_RUNTIME_CRN`: the instance;
- `QRJ_CONTRACT_URL`: base URL used to probe a job's state before a state-sensitive request;
- `QRJ_CONTRACT_MAX_JOBS`: the job budget of the whole run (unset: none);
- `QRJ_CONTRACT_NEGATIVE_CREATES_ONLY`: fuzz creates with invalid input only (real services);
- `QRJ_CONTRACT_RUN_TAG`: a tag the run's valid creates carry, so that cleanup finds a job
  whose create answer never came back (see `tag_with_run`);
- `QRJ_CONTRACT_EVENTS`: where to report jobs, verdicts and drift (see `events`).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import schemathesis
from schemathesis.generation import GenerationMode
from schemathesis.openapi.checks import JsonSchemaError, RejectedPositiveData

from ..spec import load_spec
from . import events
from .drift import Drift, SpecIndex
from .rules import RULES, Verdict, judge, listing_violations, privacy_violations

DEFAULT_IAM_URL = "https://iam.cloud.ibm.com/identity/token"
IAM_GRANT = "urn:ibm:params:oauth:grant-type:apikey"
# IAM tokens live an hour; refresh well before that (schemathesis also refetches on 401).
REFRESH_SECONDS = 20 * 60
ENV_URL = "QRJ_CONTRACT_URL"
ENV_MAX_JOBS = "QRJ_CONTRACT_MAX_JOBS"
ENV_NEGATIVE_CREATES = "QRJ_CONTRACT_NEGATIVE_CREATES_ONLY"
ENV_RUN_TAG = "QRJ_CONTRACT_RUN_TAG"
LARGEST_PAGE = 200  # list_jobs' `limit`: 1..200 (the page's "viable range")


class BudgetExhaustedError(RuntimeError):
    """Sending this create would exceed the run's job budget (`--max-jobs`)."""


def fetch_token() -> str:
    """A bearer token: the configured one, or a fresh one from IAM for the API key."""
    token = os.environ.get("QISKIT_RUNTIME_TOKEN")
    if token:
        return token
    api_key = os.environ.get("QISKIT_RUNTIME_API_KEY")
    if not api_key:
        raise RuntimeError("set QISKIT_RUNTIME_TOKEN or QISKIT_RUNTIME_API_KEY")
    response = httpx.post(
        os.environ.get("QISKIT_RUNTIME_IAM_URL", DEFAULT_IAM_URL),
        data={"grant_type": IAM_GRANT, "apikey": api_key},
        headers={"Accept": "application/json"},
        timeout=30.0,
    )
    if response.status_code != 200:
        # Never echo the key: only the status.
        raise RuntimeError(f"IAM refused the API key: HTTP {response.status_code}")
    return str(response.json()["access_token"])


class _Token:
    """The current token, shared by schemathesis' auth and the state probes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: str | None = None

    def refresh(self) -> str:
        with self._lock:
            self._value = fetch_token()
            return self._value

    def current(self) -> str:
        return self._value or self.refresh()

    def __repr__(self) -> str:
        return "_Token(<redacted>)"


TOKEN = _Token()


@schemathesis.auth(refresh_interval=REFRESH_SECONDS)
class IBMCloudAuth:
    """Bearer auth that survives token expiry on long live runs."""

    def get(self, case: Any, context: Any) -> str:  # noqa: ARG002 (schemathesis' signature)
        return TOKEN.refresh()

    def set(self, case: Any, data: str, context: Any) -> None:  # noqa: ARG002
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


def api_headers() -> dict[str, str]:
    """Headers of a well-formed request to the target (probes, lifecycle, cleanup)."""
    version = load_spec()["components"]["parameters"]["IBMAPIVersion"]["schema"]["default"]
    return {
        "Authorization": f"Bearer {TOKEN.current()}",
        "Service-CRN": os.environ.get("QISKIT_RUNTIME_CRN", ""),
        "IBM-API-Version": str(version),
        "Accept": "application/json",
    }


@cache
def _http() -> httpx.Client:
    return httpx.Client(timeout=30.0)


def close() -> None:
    """Close the probes' connections (the runner calls this once its phases are done)."""
    if _http.cache_info().currsize:
        _http().close()
        _http.cache_clear()


def probe(job_id: str) -> tuple[str, bool] | None:
    """(status, private) of a job right now, or None if the target does not show it."""
    base = os.environ.get(ENV_URL)
    if not base:
        return None
    try:
        response = _http().get(f"{base}/jobs/{quote(job_id, safe='')}", headers=api_headers())
        body = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    if not isinstance(body, dict) or not isinstance(body.get("status"), str):
        return None
    return body["status"], body.get("private") is True


def operation_id(case: Any) -> str | None:
    definition = getattr(case.operation, "definition", None)
    raw = getattr(definition, "raw", None) or {}
    return raw.get("operationId") if isinstance(raw, dict) else None


def tag_with_run(body: Any) -> None:
    """Add the run's tag to a create's body, where the body stays valid (its tags a list with
    room for one more).

    The ledger learns of a job from the create's answer. An interrupt, a killed fuzzer or a
    dropped connection can lose that answer after the service made the job; cleanup then
    finds the job by this tag (`jobs_tagged`) instead of leaving it to run and be billed.
    """
    tag = os.environ.get(ENV_RUN_TAG)
    if not tag or not isinstance(body, dict):
        return
    tags = body.get("tags", [])
    room = load_spec()["components"]["schemas"]["Tags"]["maxItems"]
    if isinstance(tags, list) and len(tags) < room and tag not in tags:
        body["tags"] = [*tags, tag]


def jobs_tagged(http: httpx.Client, tag: str) -> list[str]:
    """The ids of every job the target lists with `tag`, page by page (plain JSON: the target
    is under test, so only `id` is relied on). Stops at a short page, or at one that brings
    no new id (a target that ignores `offset`)."""
    ids: dict[str, None] = {}
    while True:
        page = http.get("/jobs", params={"tags": tag, "limit": LARGEST_PAGE, "offset": len(ids)})
        page.raise_for_status()
        listed = [str(job["id"]) for job in page.json()["jobs"]]
        before = len(ids)
        ids.update(dict.fromkeys(listed))
        if len(listed) < LARGEST_PAGE or len(ids) == before:
            return list(ids)


def is_positive(case: Any) -> bool:
    """Whether every input of the case is valid (a negative case may be refused for that)."""
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


def _job_id(case: Any) -> str | None:
    value = (case.path_parameters or {}).get("id")
    return value if isinstance(value, str) and value else None


class _Probes:
    """Each state-sensitive case's job state when it was sent, and its verdict once judged.

    Keyed by `id(case)`, holding the case so the id cannot be reused while the entry lives.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._before: dict[int, tuple[Any, tuple[str, bool]]] = {}
        self._verdicts: dict[int, Verdict] = {}

    def remember(self, case: Any, state: tuple[str, bool]) -> None:
        with self._lock:
            self._before[id(case)] = (case, state)

    def verdict(self, case: Any, answered: int) -> Verdict | None:
        """Judge (once) the answer to a probed case."""
        with self._lock:
            if id(case) in self._verdicts:
                return self._verdicts[id(case)]
            entry = self._before.get(id(case))
        if entry is None:
            return None
        op, job_id = operation_id(case) or "", _job_id(case) or ""
        status, private = entry[1]
        verdict = judge(op, status, answered, private=private)
        if verdict.ok is not True:
            # The job may have moved between probe and request: judge against where it is now.
            later = probe(job_id)
            if later is not None:
                verdict = judge(op, status, answered, private=private, after=later[0])
        if verdict.ok is not None:
            events.emit("rule", operation=op, state=verdict.state, answered=answered, ok=verdict.ok)
        with self._lock:
            self._verdicts[id(case)] = verdict
        return verdict


PROBES = _Probes()


def _created_so_far() -> int:
    path = os.environ.get(events.ENV_EVENTS)
    return len(events.JobLedger.load(Path(path)).created) if path else 0


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:  # noqa: ARG001
    """On a real service, valid creates belong to the paced, budgeted lifecycle phase only."""
    return not (
        os.environ.get(ENV_NEGATIVE_CREATES)
        and operation_id(case) == "create_job"
        and is_positive(case)
    )


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any) -> None:  # noqa: ARG001
    """Keep to the job budget and tag the run's creates; note the job's state before a
    state-sensitive request."""
    op = operation_id(case)
    if op == "create_job":
        budget = os.environ.get(ENV_MAX_JOBS)
        if budget and _created_so_far() >= int(budget):
            raise BudgetExhaustedError(
                f"not sending POST /jobs: the run's job budget (--max-jobs {budget}) is used up"
            )
        if is_positive(case):  # a negative case keeps exactly the input it was made with
            tag_with_run(case.body)
    elif op in RULES and is_positive(case) and (job_id := _job_id(case)) is not None:
        state = probe(job_id)
        if state is not None:
            PROBES.remember(case, state)


def _body(response: Any) -> Any:
    try:
        return json.loads(response.content) if response.content else None
    except ValueError:
        return None


def _first(value: Any) -> str:
    """A header's value; schemathesis keeps every header as a list of values."""
    return str(value[0] if isinstance(value, list) and value else value)


def header(response: Any, name: str) -> str:
    """One response header ("" if absent), whatever the response's case for its name."""
    for key, value in response.headers.items():
        if key.lower() == name.lower():
            return _first(value)
    return ""


def _flat_headers(response: Any) -> dict[str, str]:
    return {name.lower(): _first(value) for name, value in response.headers.items()}


@cache
def spec_index() -> SpecIndex:
    return SpecIndex(load_spec())


@cache
def echoed_fields() -> frozenset[str]:
    """Job fields that echo what the client sent on create (their contents are the client's)."""
    schemas = load_spec()["components"]["schemas"]
    sent, shown = schemas["CreateJobRequest"]["properties"], schemas["JobResponse"]["properties"]
    return frozenset(sent) & frozenset(shown)


def is_echo(drift: Drift) -> bool:
    """Whether drift lies inside an echoed job field: the fuzzer's own keys, not the service's.

    A field's pointer names the object holding the key; an enum's names the value itself.
    """
    parts = [p for p in drift.where.split("/") if p]
    if parts[:2] == ["jobs", "*"]:
        parts = parts[2:]
    inside = len(parts) >= (1 if drift.kind == "field" else 2)
    return inside and parts[0] in echoed_fields()


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:  # noqa: ARG001
    """Report jobs created and deleted (for cleanup and the budget), and spec drift."""
    op = operation_id(case)
    body = _body(response)
    if op == "create_job" and response.status_code == 200 and isinstance(body, dict):
        events.emit("created", id=str(body.get("id")), private=body.get("private") is True)
    elif op == "delete_job" and response.status_code == 204 and (job_id := _job_id(case)):
        events.emit("deleted", id=job_id)
    for drift in spec_index().find_drift(
        case.method, case.operation.path, response.status_code, _flat_headers(response), body
    ):
        if not is_echo(drift):
            events.emit("drift", **asdict(drift))


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:  # noqa: ARG001
    """Drop only what the spec itself documents: a state-justified refusal, a new open-enum value.

    - "Schema-valid request rejected" for a delete the page refuses in the job's state (400
      for a Queued or Running job) is the documented answer, judged by `job_state_rules`.
    - A schema failure whose only cause is a new value of an `x-open-enum` field is drift
      (reported as such; `--fail-on-drift` fails the run on it), not a broken contract.
    """
    if isinstance(failure, RejectedPositiveData):
        verdict = PROBES.verdict(case, response.status_code)
        return not (verdict is not None and verdict.ok)
    if isinstance(failure, JsonSchemaError):
        return not spec_index().excused_by_open_enum(
            case.method, case.operation.path, response.status_code, _body(response)
        )
    return True


@schemathesis.check
def job_state_rules(ctx: Any, response: Any, case: Any) -> None:  # noqa: ARG001
    """The page's lifecycle rules, judged for the state the job was in (see `rules.RULES`)."""
    verdict = PROBES.verdict(case, response.status_code)
    if verdict is not None and verdict.ok is False:
        raise AssertionError(verdict.message)


@schemathesis.check
def job_listing_and_privacy(ctx: Any, response: Any, case: Any) -> None:  # noqa: ARG001
    """The `pending` filter lists only matching statuses; private jobs hide their params."""
    if response.status_code != 200:
        return
    body, op = _body(response), operation_id(case)
    problems: list[str] = []
    if op == "list_jobs" and isinstance(body, dict) and isinstance(body.get("jobs"), list):
        jobs = [job for job in body["jobs"] if isinstance(job, dict)]
        raw = str((case.query or {}).get("pending", "")).lower()
        pending = {"true": True, "false": False}.get(raw)
        problems += listing_violations(pending, [str(job.get("status")) for job in jobs])
        for job in jobs:
            problems += privacy_violations(job)
    elif op in ("get_job", "create_job") and isinstance(body, dict):
        problems += privacy_violations(body)
    if problems:
        raise AssertionError("; ".join(sorted(set(problems))))


class ReadOnceLedger:
    """Which private jobs exist and which result reads succeeded, across one run."""

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


LEDGER = ReadOnceLedger()


@schemathesis.check
def private_results_read_once(ctx: Any, response: Any, case: Any) -> None:  # noqa: ARG001
    """A private job's result can be read once; a second successful read is a contract bug.

    The spec (get_job_results, PrivateFlag) says private results are deleted after the
    first read. Re-checking the same response (shrinking, replay) is not a second read:
    reads are told apart by their X-Request-ID.
    """
    operation = operation_id(case)
    if response.status_code != 200:
        return
    if operation == "create_job":
        body = response.json()
        if isinstance(body, dict) and body.get("private") is True:
            LEDGER.created(str(body["id"]))
    elif operation == "get_job_results":
        job_id = str((case.path_parameters or {}).get("id"))
        request_id = header(response, "X-Request-ID") or str(id(response))
        first = LEDGER.read(job_id, request_id)
        if first is not None:
            raise AssertionError(
                f"private job {job_id}: results were returned again after a successful "
                f"read (first read: request {first}); they must be deleted after one read"
            )
