"""schemathesis hooks of the contract suite: IBM Cloud auth, the own-jobs rule, the page's
lifecycle rules, the job ledger and budget, every answer counted, and spec drift.

Loaded by the kit's `schemathesis.toml` (`hooks = "qiskit_runtime_jobs_kit.contract.hooks"`)
in the fuzzing child, and imported by the runner for the lifecycle phase (whose requests go
through `case.call`, so the same hooks see them), so both judge answers the same way.

schemathesis calls hooks as module-level functions, so this module holds its process's one
`Session` (`bind`): the runner binds its own; the fuzzing child makes one from the
`RunContext` the runner gave it (`context.CHILD_ENV`); `load_schema` binds one for pytest.
The hooks are global to schemathesis, so each acts only on cases of our spec (`ours`): a
pytest session that also tests another API keeps its own auth and checks.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import cache
from typing import Any
from urllib.parse import unquote

import schemathesis
from schemathesis.generation import GenerationMode
from schemathesis.openapi.checks import JsonSchemaError, RejectedPositiveData

from ..spec import load_spec
from . import own_jobs
from .context import RunContext
from .drift import Drift, SpecIndex
from .rules import (
    RULES,
    Finding,
    ListQuery,
    asked_for,
    job_findings,
    listing_findings,
    metrics_findings,
)
from .session import Session, json_or_none

# IAM tokens live an hour; refresh well before that (schemathesis also refetches on 401).
REFRESH_SECONDS = 20 * 60

_bound: Session | None = None
_bind_lock = threading.Lock()


def bind(session: Session | None) -> Session | None:
    """Make `session` the one these hooks serve (None: none); the one they served before."""
    global _bound
    with _bind_lock:
        previous, _bound = _bound, session
    return previous


@contextmanager
def bound(session: Session) -> Iterator[None]:
    """Serve `session` for the duration, then the one served before (a pytest session's)."""
    previous = bind(session)
    try:
        yield
    finally:
        bind(previous)


def session() -> Session:
    """The bound session; in the fuzzing child, the one its `RunContext` describes."""
    global _bound
    with _bind_lock:
        if _bound is None:
            context = RunContext.from_child_environment(os.environ)
            if context is None:
                raise RuntimeError(
                    "the contract hooks run outside a contract run: use "
                    "qiskit_runtime_jobs_kit.contract.load_schema()"
                )
            _bound = Session(context)
        return _bound


@cache
def _our_info() -> tuple[object, object]:
    info = load_spec()["info"]
    return info.get("title"), info.get("version")


def ours(operation: Any) -> bool:
    """Whether an API operation is one of our spec's (the same title and version)."""
    raw = getattr(getattr(operation, "schema", None), "raw_schema", None)
    info = raw.get("info") if isinstance(raw, dict) else None
    return isinstance(info, dict) and (info.get("title"), info.get("version")) == _our_info()


def _ours(context: Any) -> bool:
    return ours(context.operation)


@schemathesis.auth(refresh_interval=REFRESH_SECONDS).apply_to(_ours)
class IBMCloudAuth:
    """Bearer auth that survives token expiry on long live runs."""

    def get(self, case: Any, context: Any) -> str:  # noqa: ARG002 (schemathesis' signature)
        return session().token.refresh()

    def set(self, case: Any, data: str, context: Any) -> None:  # noqa: ARG002
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


def _watch_parent(fd: int) -> None:
    """Stop this process (and its group) the moment the runner's end of the pipe closes."""
    try:
        while os.read(fd, 1):
            pass
    except OSError:
        pass
    os.killpg(os.getpgrp(), signal.SIGKILL)


@schemathesis.hook
def after_load_schema(context: Any, schema: Any) -> None:  # noqa: ARG001
    """In the fuzzing child: never outlive the runner (a SIGKILL to it included)."""
    run = RunContext.from_child_environment(os.environ)
    if run is not None and run.watchdog_fd is not None:
        _start_watchdog(run.watchdog_fd)


@cache
def _start_watchdog(fd: int) -> None:
    threading.Thread(target=_watch_parent, args=(fd,), daemon=True).start()


def operation_id(case: Any) -> str | None:
    definition = getattr(case.operation, "definition", None)
    raw = getattr(definition, "raw", None) or {}
    return raw.get("operationId") if isinstance(raw, dict) else None


@cache
def tags_room() -> int:
    """How many tags a job may carry (the spec's `Tags.maxItems`)."""
    return int(load_spec()["components"]["schemas"]["Tags"]["maxItems"])


def is_positive(case: Any) -> bool:
    """Whether every input of the case is valid (a negative case may be refused for that)."""
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


def _job_id(case: Any) -> str | None:
    """The case's job id as its request sends it (whatever type the fuzzer made it)."""
    value = (case.path_parameters or {}).get("id")
    return None if value is None or value == "" else str(value)


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:  # noqa: ARG001
    """Valid creates the run may not send are not made: on a real service they belong to
    the paced, budgeted lifecycle phase; anywhere, none once the job budget is spent."""
    if not ours(case.operation) or operation_id(case) != "create_job" or not is_positive(case):
        return True
    run = session()
    return not run.context.negative_creates_only and run.budget_left > 0


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any) -> None:  # noqa: ARG001
    """The own-jobs rule, the budget and the run's tag; note a job's state before a
    state-sensitive request.

    A request that would change, or read the result of, a job the run did not create goes to
    an id no job can have instead (`RunContext.absent_job_id`), and the run counts it.
    """
    if not ours(case.operation):
        return
    run = session()
    op = operation_id(case) or ""
    positive = is_positive(case)
    if op == "create_job":
        if positive:  # a negative case keeps exactly the input it was made with
            run.reserve_create()
            own_jobs.with_run_tag(case.body, run.context.run_tag, tags_room(), make_room=True)
        return
    job_id = _job_id(case)
    if job_id is None or not own_jobs.guarded(op, case.method):
        return
    if not run.may_send(op, case.method, job_id):
        case.path_parameters = {**case.path_parameters, "id": run.context.absent_job_id}
        run.events.emit("redirected", operation=op)
        return
    if op == "replace_job_tags":
        own_jobs.with_run_tag(case.body, run.context.run_tag, tags_room(), make_room=positive)
    elif op in RULES and positive and run.ledger.owns(job_id):
        look = run.look(job_id)
        if look.status is not None:
            run.verdicts.remember(case, look, op, job_id)


def body_of(response: Any) -> Any:
    """A response's JSON value, or None (empty, or not JSON)."""
    return json_or_none(response.content)


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
    """Count the answer; record jobs created and deleted (ledger, budget); report drift."""
    if not ours(case.operation):
        return
    run = session()
    op = operation_id(case) or ""
    body = body_of(response)
    status = response.status_code
    run.events.emit("answer", operation=op, status=status)
    if op == "create_job":
        made = status == 200 and isinstance(body, dict) and isinstance(body.get("id"), str)
        run.create_answered(
            str(body["id"]) if made else None,
            private=made and body.get("private") is True,
            reserved=is_positive(case),
        )
        if made and isinstance(case.body, dict):
            run.model.created(case.body, body)
    else:
        _remember(run, op, status, _job_id(case) or "", case.body)
    for drift in spec_index().find_drift(
        case.method, case.operation.path, status, _flat_headers(response), body
    ):
        if not is_echo(drift):
            run.events.emit("drift", **asdict(drift))


def _remember(run: Session, op: str, status: int, job_id: str, sent: Any) -> None:
    """What a change the target accepted means for the run's own job (ledger, model)."""
    if not run.ledger.owns(job_id):
        return
    if op == "delete_job" and status == 204:
        run.ledger.deleted(job_id)
        run.model.deleted(job_id)
    elif op == "cancel_job" and status == 204:
        run.model.cancel_accepted(job_id)
    elif op == "replace_job_tags" and status == 204 and isinstance(sent, dict):
        tags = sent.get("tags")
        if isinstance(tags, list):
            run.model.tags_replaced(job_id, tags)


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:  # noqa: ARG001
    """Drop only what the spec itself documents: a state-justified refusal, a new open-enum value.

    - "Schema-valid request rejected" for a delete the page refuses in the job's state (400
      for a Queued or Running job) is the documented answer, judged by `job_state_rules`.
    - A schema failure whose only cause is a new value of an `x-open-enum` field is drift
      (reported as such; `--fail-on-drift` fails the run on it), not a broken contract.
    """
    if not ours(case.operation):
        return True
    if isinstance(failure, RejectedPositiveData):
        verdict = session().verdicts.verdict(case, response.status_code)
        return not (verdict is not None and verdict.ok)
    if isinstance(failure, JsonSchemaError):
        return not spec_index().excused_by_open_enum(
            case.method, case.operation.path, response.status_code, body_of(response)
        )
    return True


@schemathesis.check
def job_state_rules(ctx: Any, response: Any, case: Any) -> None:  # noqa: ARG001
    """The page's lifecycle rules, judged for the state the job was in (see `rules.RULES`)."""
    if not ours(case.operation):
        return
    verdict = session().verdicts.verdict(case, response.status_code)
    if verdict is not None and verdict.ok is False:
        raise AssertionError(verdict.message)


@schemathesis.check
def job_behaviour(ctx: Any, response: Any, case: Any) -> None:  # noqa: ARG001
    """What the page says an answer must show (`rules.BEHAVIOURS`), and what the run's own
    history says it must (`model`): listings that match their filters, in their order and
    limit, of the caller's jobs only; a job that shows what it was created with, the tags set
    on it, a cancel that was applied, no deleted job; statuses that agree; metrics in order."""
    if response.status_code != 200 or not ours(case.operation):
        return
    run, body, op = session(), body_of(response), operation_id(case)
    if not isinstance(body, dict):
        return
    found: list[Finding] = []
    if op == "list_jobs":
        query = ListQuery.from_params(case.query or {})
        found += listing_findings(query, body, user_id=run.model.user_id)
        for job in body.get("jobs") or []:
            if isinstance(job, dict):
                found += run.model.shown(job)
    elif op == "get_job":
        found += [asked_for(unquote(_job_id(case) or ""), body), *job_findings(body)]
        found += run.model.shown(body)
    elif op == "create_job":
        found += job_findings(body)
    elif op == "get_job_metrics":
        found += metrics_findings(body)
    run.found(found)
    problems = sorted({f.problem for f in found if f.problem is not None})
    if problems:
        raise AssertionError("; ".join(problems))


@schemathesis.check
def private_results_read_once(ctx: Any, response: Any, case: Any) -> None:  # noqa: ARG001
    """A private job's result can be read once; a second successful read is a contract bug.

    The spec (get_job_results, PrivateFlag) says private results are deleted after the
    first read. Re-checking the same response (shrinking, replay) is not a second read:
    reads are told apart by their X-Request-ID.
    """
    operation = operation_id(case)
    if response.status_code != 200 or not ours(case.operation):
        return
    reads = session().reads
    if operation == "create_job":
        body = body_of(response)
        if isinstance(body, dict) and body.get("private") is True:
            reads.created(str(body.get("id")))
    elif operation == "get_job_results":
        job_id = str((case.path_parameters or {}).get("id"))
        request_id = header(response, "X-Request-ID") or str(id(response))
        first = reads.read(job_id, request_id)
        if first is not None:
            raise AssertionError(
                f"private job {job_id}: results were returned again after a successful "
                f"read (first read: request {first}); they must be deleted after one read"
            )
