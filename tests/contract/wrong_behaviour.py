"""Wrong-behaviour variants of the mock: each breaks one documented rule, and stays spec-valid.

The planted faults of `broken.py` break the spec itself (a wrong status, a missing field), so
any schema checker catches them. These are the bugs a schema checker cannot see: every answer
keeps a documented status, a body valid against its schema and documented headers, yet the
service does the wrong thing (a filter ignored, a cancel not applied, another user's job
listed). Only checks that know the reference page's rules catch them, so each variant proves
that one such check bites; plain schemathesis and Specmatic runs are expected to pass them.

Each variant is an ASGI middleware around the real, correct mock. It rewrites the request
(query or body) before the mock sees it, rewrites the mock's answer, or answers itself after
reading the job through the mock. A request the mock refuses (a query or body it answers 400
to) is passed on unchanged, so no variant turns a 400 into a 200; requests its rule does not
concern go straight through, unbuffered.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from qiskit_runtime_jobs_mock._errors import ApiError
from qiskit_runtime_jobs_mock._validation import parse_list_query, validate_create, validate_tags
from tests.contract.broken import (
    Answer,
    App,
    Message,
    Receive,
    Rewrite,
    Scope,
    Send,
    _rewriting,
    exchange,
)

__all__ = ["BEHAVIOURS", "Behaviour"]

JOBS_PATH = "/api/v1/jobs"
# /api/v1/jobs/{id}[/action], the id as the mock accepts it (others are its 400s, left alone).
_JOB_ACTION = re.compile(r"^/api/v1/jobs/([A-Za-z0-9_-]+)(?:/([a-z]+))?$")
PENDING = frozenset({"Queued", "Running"})
TERMINAL = frozenset({"Completed", "Failed", "Cancelled", "Cancelled - Ran too long"})

Wrap = Callable[[App], App]
Query = list[tuple[str, str]]
Job = dict[str, Any]


@dataclass(frozen=True)
class Behaviour:
    """One wrong behaviour: `wrap()` makes a fresh middleware (with its own state) per mock."""

    wrap: Callable[[], Wrap]
    breaks: str  # the page's rule it breaks, in the page's words where it has them


# ---------------------------------------------------------------------------- requests


def _job_id(scope: Scope, method: str, action: str | None = None) -> str | None:
    """The id of a `method /jobs/{id}[/action]` request; None for any other request."""
    if scope["type"] != "http" or scope["method"] != method:
        return None
    match = _JOB_ACTION.match(scope["path"])
    return match.group(1) if match is not None and match.group(2) == action else None


def _on_jobs(scope: Scope, method: str) -> bool:
    """A `method /jobs` request."""
    return bool(
        scope["type"] == "http" and scope["method"] == method and scope["path"] == JOBS_PATH
    )


def _is_list(scope: Scope) -> bool:
    return _on_jobs(scope, "GET")


def _is_create(scope: Scope) -> bool:
    return _on_jobs(scope, "POST")


def _is_get_job(scope: Scope) -> bool:
    return _job_id(scope, "GET") is not None


def _reads_jobs(scope: Scope) -> bool:
    """GET /jobs/{id} or GET /jobs: the answers that show jobs."""
    return _is_get_job(scope) or _is_list(scope)


def _query(scope: Scope) -> Query:
    """The query's pairs as the mock reads them (Starlette: latin-1, then percent-decoding)."""
    return parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)


def _flag(query: Query, name: str, default: bool) -> bool:
    """A boolean parameter as the mock reads it: its last value, in any case."""
    values = [value for key, value in query if key == name]
    return values[-1].strip().lower() == "true" if values else default


def _params_shown(scope: Scope) -> bool:
    """Whether a job's params belong in this answer: `exclude_params` defaults to true for
    GET /jobs and to false for GET /jobs/{id}."""
    return not _flag(_query(scope), "exclude_params", _is_list(scope))


def _valid(check: Callable[..., object], *args: Any) -> bool:
    """Whether the mock's own validator accepts the input (no ApiError: no 400)."""
    try:
        check(*args)
    except ApiError:
        return False
    return True


def _json_object(raw: bytes) -> dict[str, Any] | None:
    """A body that is a JSON object, parsed; None for anything else (the mock's 400s)."""
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def _dumps(body: Any) -> bytes:
    """JSON as the mock encodes it (compact, ASCII): `json.loads` and back keeps what the mock
    refuses refused (NaN stays NaN), so a rewritten body is accepted iff the client's was."""
    return json.dumps(body, separators=(",", ":")).encode()


def _editing_body(receive: Receive, edit: Callable[[bytes], bytes]) -> Receive:
    """`receive`, but the app gets the whole body in one message, as `edit` rewrites it.

    Nothing is read before the app reads, so the mock's own size (413) and time (408) limits
    still apply to the client's body; chunked and streamed bodies work alike.
    """
    chunks: list[bytes] = []

    async def edited() -> Message:
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return message
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return {"type": "http.request", "body": edit(b"".join(chunks)), "more_body": False}

    return edited


def _editing_list_query(edit: Callable[[Query], Query]) -> Wrap:
    """GET /jobs with a query the mock accepts reaches it as `edit` rewrites the query."""

    def wrap(app: App) -> App:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if _is_list(scope):
                query = _query(scope)
                tags = [value for key, value in query if key == "tags"]
                edited = edit(query) if _valid(parse_list_query, dict(query), tags) else query
                if edited != query:
                    scope = {**scope, "query_string": urlencode(edited).encode("ascii")}
            await app(scope, receive, send)

        return middleware

    return wrap


def _without(name: str) -> Callable[[Query], Query]:
    """The query without any value of `name`: the mock applies its default."""
    return lambda query: [(key, value) for key, value in query if key != name]


def _pending_inverted(query: Query) -> Query:
    """`pending=true` asks for the terminal jobs, `pending=false` for the pending ones."""
    flip = {"true": "false", "false": "true"}
    return [(k, flip.get(v.strip().lower(), v) if k == "pending" else v) for k, v in query]


def _params_included(query: Query) -> Query:
    """`exclude_params=false` where the listing would exclude params (its default: true)."""
    if not _flag(query, "exclude_params", True):
        return query
    return [*_without("exclude_params")(query), ("exclude_params", "false")]


def _asc_dropped(query: Query) -> Query:
    """`sort=ASC` removed, so the default DESC order applies."""
    sorts = [value for key, value in query if key == "sort"]
    return _without("sort")(query) if sorts and sorts[-1] == "ASC" else query


def _editing_create(
    edit: Callable[[dict[str, Any]], None] | None = None,
    answered: Callable[[dict[str, Any], dict[str, Any]], None] | None = None,
) -> Wrap:
    """POST /jobs: a body the mock would accept reaches it as `edit` changes it (in place);
    `answered(sent, answer)` gets the body as the client sent it, and may change the 200
    answer in place."""

    def wrap(app: App) -> App:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if not _is_create(scope):
                await app(scope, receive, send)
                return
            sent: dict[str, Any] = {}  # the client's body, once the mock has read it

            def rewrite_body(raw: bytes) -> bytes:
                body = _json_object(raw)
                if body is None or not _valid(validate_create, body):
                    return raw
                sent.update(copy.deepcopy(body))
                if edit is None:
                    return raw
                edit(body)
                return _dumps(body)

            receive = _editing_body(receive, rewrite_body)
            if answered is None:
                await app(scope, receive, send)
                return

            def answer(_scope: Scope, body: dict[str, Any]) -> None:
                if sent:  # the mock read an acceptable body
                    answered(sent, body)

            await _rewriting(_json_rewrite(answer))(app)(scope, receive, send)

        return middleware

    return wrap


def _chain(*wraps: Wrap) -> Wrap:
    """The wraps nested, the first outermost."""

    def wrap(app: App) -> App:
        for inner in reversed(wraps):
            app = inner(app)
        return app

    return wrap


# ---------------------------------------------------------------------------- answers


def _edited(raw: bytes, edit: Callable[[Any], None]) -> tuple[int, bytes] | None:
    """A 200 JSON body as `edit` changes it in place; None if it changed nothing."""
    original = json.loads(raw)
    changed = copy.deepcopy(original)
    edit(changed)
    return None if changed == original else (200, _dumps(changed))


def _json_rewrite(edit: Callable[[Scope, Any], None]) -> Rewrite:
    """A rewrite of 200 JSON answers by `edit(scope, body)`, changing the body in place."""

    def rewrite(scope: Scope, status: int, _h: Any, raw: bytes) -> tuple[int, bytes] | None:
        return _edited(raw, lambda body: edit(scope, body)) if status == 200 else None

    return rewrite


def _editing_answers(applies: Callable[[Scope], bool], edit: Callable[[Scope, Any], None]) -> Wrap:
    """The 200 JSON answers to the requests `applies` picks, as `edit` changes them in place;
    every other request goes straight to the mock (unbuffered)."""

    def wrap(app: App) -> App:
        rewriting = _rewriting(_json_rewrite(edit))(app)

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            await (rewriting if applies(scope) else app)(scope, receive, send)

        return middleware

    return wrap


def _each_job(
    edit: Callable[[Scope, Job], None], applies: Callable[[Scope], bool] = _reads_jobs
) -> Wrap:
    """`edit` applied to every job a 200 answer shows (the listing's jobs, or the one job)."""

    def edit_all(scope: Scope, body: Any) -> None:
        for job in body["jobs"] if _is_list(scope) else [body]:
            edit(scope, job)

    return _editing_answers(applies, edit_all)


async def _call(app: App, scope: Scope, method: str, path: str, query: bytes = b"") -> Answer:
    """The app's answer to another (bodiless) request made with the client's headers, so the
    same credentials, instance and request id."""
    framing = (b"content-length", b"content-type", b"transfer-encoding")
    headers = [(k, v) for k, v in scope["headers"] if k.lower() not in framing]
    other = {**scope, "method": method, "path": path, "raw_path": path.encode()}
    other.update(query_string=query, headers=headers)
    other.pop("path_params", None)
    received = False

    async def receive() -> Message:
        nonlocal received
        if received:
            return {"type": "http.disconnect"}
        received = True
        return {"type": "http.request", "body": b"", "more_body": False}

    return await exchange(app, other, receive)


async def _shown(app: App, scope: Scope, job_id: str) -> tuple[Job | None, bytes]:
    """The job as GET /jobs/{id} shows it to this caller (None unless 200), and the trace."""
    answer = await _call(app, scope, "GET", f"{JOBS_PATH}/{job_id}")
    return (answer.json() if answer.status == 200 else None), answer.trace


async def _send(send: Send, answer: Answer) -> None:
    """Send a whole answer, with a Content-Length only if it has a body (none on a 204)."""
    headers = [(k, v) for k, v in answer.headers if k.lower() != b"content-length"]
    if answer.body:
        headers.append((b"content-length", str(len(answer.body)).encode()))
    else:
        headers = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


def _no_content(trace: bytes, _status: str) -> Answer:
    return Answer(204, [(b"x-request-id", trace)])


def _not_cancellable(trace: bytes, status: str) -> Answer:
    """The mock's 409 for cancelling a job that cannot be cancelled."""
    error = {
        "code": "job_not_cancellable",
        "message": f"Job is in status '{status}' and cannot be cancelled.",
    }
    body = {"errors": [error], "trace": trace.decode("latin-1"), "status_code": 409}
    headers = [(b"x-request-id", trace), (b"content-type", b"application/json")]
    return Answer(409, headers, _dumps(body))


def _gated(
    method: str,
    action: str | None,
    statuses: frozenset[str],
    answer: Callable[[bytes, str], Answer],
) -> Wrap:
    """`method /jobs/{id}[/action]` of a job whose status is one of `statuses` gets `answer`
    without the operation being carried out; every other case goes to the mock."""

    def wrap(app: App) -> App:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            job_id = _job_id(scope, method, action)
            if job_id is not None:
                job, trace = await _shown(app, scope, job_id)
                if job is not None and job.get("status") in statuses:
                    await _send(send, answer(trace, job["status"]))
                    return
            await app(scope, receive, send)

        return middleware

    return wrap


# ---------------------------------------------------------------------------- the variants


def _other_backend(body: dict[str, Any]) -> None:
    """The job is created on another backend than the one asked for, so every later read
    (details, listings, the `backend` filter, logs) agrees on that other one."""
    if body.get("backend"):  # "" or none: the mock picks its default, left alone
        body["backend"] = "other-" + body["backend"]


def _sent_backend(sent: dict[str, Any], answer: dict[str, Any]) -> None:
    """The create answer names the backend the client asked for (the one the mock would)."""
    if sent.get("backend"):
        answer["backend"] = sent["backend"]


def _first_tag_only(body: dict[str, Any]) -> None:
    if isinstance(body.get("tags"), list):
        body["tags"] = body["tags"][:1]


def _not_private(body: dict[str, Any]) -> None:
    body.pop("private", None)


def _count_is_page_length(_scope: Scope, page: Any) -> None:
    page["count"] = len(page["jobs"])


def _status_disagrees(_scope: Scope, job: Job) -> None:
    job["status"] = "Completed" if job["state"]["status"] == "Running" else "Running"


def _cancelled_shown_completed(_scope: Scope, job: Job) -> None:
    if job["status"] == "Cancelled":
        job["status"] = "Completed"
        job["state"] = {"status": "Completed", "reason": ""}


def _private_false(_scope: Scope, job: Job) -> None:
    job.setdefault("private", False)


def _later(stamp: str) -> str:
    """The instant 1 ms after an RFC 3339 timestamp, in the mock's format."""
    moment = datetime.fromisoformat(stamp).astimezone(UTC) + timedelta(milliseconds=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _finished_before_running(_scope: Scope, metrics: Any) -> None:
    """`finished` gets the old `running`, and `running` a moment after the old `finished`:
    `created` stays first, but the job finishes before it runs."""
    stamps = metrics.get("timestamps") or {}
    if "running" in stamps and "finished" in stamps:
        stamps["running"], stamps["finished"] = _later(stamps["finished"]), stamps["running"]


def _tags_kept() -> Wrap:
    """PUT /jobs/{id}/tags with a valid body reaches the mock carrying the job's current
    tags: it answers 204 and changes nothing."""

    def wrap(app: App) -> App:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            job_id = _job_id(scope, "PUT", "tags")
            if job_id is not None:
                job, _ = await _shown(app, scope, job_id)
                if job is not None:
                    receive = _editing_body(receive, _tags_replaced_by(job["tags"]))
            await app(scope, receive, send)

        return middleware

    return wrap


def _tags_replaced_by(tags: list[str]) -> Callable[[bytes], bytes]:
    def edit(raw: bytes) -> bytes:
        body = _json_object(raw)
        if body is None or "tags" not in body or not _valid(validate_tags, body["tags"]):
            return raw
        return _dumps({**body, "tags": tags})

    return edit


def _foreign_job_listed() -> Wrap:
    """Listings with room for one more job show a copy of their last job under another user
    (after it, so the order holds), with one stable fresh id per copied job."""
    foreign_ids: dict[str, str] = {}
    lock = threading.Lock()

    def add(_scope: Scope, page: Any) -> None:
        jobs = page["jobs"]
        if not jobs or len(jobs) >= page["limit"]:
            return
        last = jobs[-1]
        with lock:
            foreign_id = foreign_ids.setdefault(last["id"], secrets.token_hex(10))
        jobs.append({**last, "id": foreign_id, "user_id": f"another-{last.get('user_id', 'user')}"})
        if "count" in page:
            page["count"] += 1

    return _editing_answers(_is_list, add)


def _private_params_returned() -> Wrap:
    """A private job's params, kept from its create request (per job id), are shown wherever
    an ordinary job's would be."""
    params: dict[str, Any] = {}
    lock = threading.Lock()

    def record(sent: dict[str, Any], answer: dict[str, Any]) -> None:
        if sent.get("private") is True and "params" in sent:
            with lock:
                params[answer["id"]] = sent["params"]

    def show(scope: Scope, job: Job) -> None:
        if job.get("private") is True and _params_shown(scope):
            with lock:
                kept = params.get(job["id"])
            if kept is not None:
                job["params"] = kept

    return _chain(_editing_create(answered=record), _each_job(show))


def _other_job_for_unknown_id(app: App) -> App:
    """GET /jobs/{id} of an id no job has answers the caller's newest job instead, if any."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_get_job(scope):
            await app(scope, receive, send)
            return
        answer = await exchange(app, scope, receive)
        if answer.status == 404 and answer.json()["errors"][0]["code"] == "job_not_found":
            exclude = "true" if _flag(_query(scope), "exclude_params", False) else "false"
            query = f"limit=1&exclude_params={exclude}".encode()
            listed = await _call(app, scope, "GET", JOBS_PATH, query)
            jobs = listed.json()["jobs"] if listed.status == 200 else []
            if jobs:
                answer = Answer(200, answer.headers, _dumps(jobs[0]))
        await _send(send, answer)

    return middleware


def _ignored(name: str, rule: str) -> Behaviour:
    """A GET /jobs filter removed from the query before the mock sees it."""
    return Behaviour(lambda: _editing_list_query(_without(name)), f"List jobs `{name}`: {rule}")


_PENDING_RULE = (
    "\"Returns 'Queued' and 'Running' jobs if true. "
    "Returns 'Completed', 'Cancelled', and 'Failed' jobs if false.\""
)

BEHAVIOURS: dict[str, Behaviour] = {
    # list_jobs filters
    "pending_ignored": _ignored("pending", _PENDING_RULE),
    "program_ignored": _ignored("program", "'Program ID to filter jobs'"),
    "backend_ignored": _ignored("backend", "'Backend to filter jobs'"),
    "created_after_ignored": _ignored("created_after", "'Job created after filter'"),
    "created_before_ignored": _ignored("created_before", "'Job created before filter'"),
    "tags_ignored": _ignored("tags", "'Tags to filter jobs'"),
    "session_id_ignored": _ignored("session_id", "'Session ID to filter jobs'"),
    "pending_inverted": Behaviour(
        lambda: _editing_list_query(_pending_inverted),
        f"List jobs `pending` (true and false swapped): {_PENDING_RULE}",
    ),
    "exclude_params_ignored": Behaviour(
        lambda: _editing_list_query(_params_included),
        "List jobs `exclude_params`: 'Exclude job params from the response' "
        "('Default value: true')",
    ),
    # paging
    "offset_ignored": Behaviour(
        lambda: _editing_list_query(_without("offset")),
        "List jobs `offset`: 'Number of results to offset when retrieving the list of jobs'",
    ),
    "limit_not_honoured": Behaviour(
        lambda: _editing_list_query(_without("limit")),
        "List jobs `limit`: 'Number of results to return at a time'",
    ),
    "count_is_page_length": Behaviour(
        lambda: _editing_answers(_is_list, _count_is_page_length),
        "List jobs answer `count`: 'Total number of jobs for the user' (not the page's length)",
    ),
    "sort_asc_ignored": Behaviour(
        lambda: _editing_list_query(_asc_dropped),
        "List jobs `sort`: 'Sort jobs by created time ASC or DESC (default)' (ASC answered DESC)",
    ),
    # create, read back
    "create_backend_changed": Behaviour(
        lambda: _editing_create(_other_backend, _sent_backend),
        "Run a job answer `backend`: 'Backend selected to run job'; the job's details and "
        "listings name another",
    ),
    "create_tags_truncated": Behaviour(
        lambda: _editing_create(_first_tag_only),
        "Run a job `tags`: 'List of job or program tags' (only the first one is kept)",
    ),
    "create_private_dropped": Behaviour(
        lambda: _editing_create(_not_private),
        "Run a job `private`: 'When set to true, input parameters are not returned, and the "
        "results can only be read once' (the flag is dropped)",
    ),
    # consistency
    "status_disagrees_with_state": Behaviour(
        lambda: _each_job(_status_disagrees),
        "Job `status` and `state.status`: both the 'Current status of the job', yet they differ",
    ),
    "metrics_timestamps_out_of_order": Behaviour(
        lambda: _editing_answers(
            lambda scope: _job_id(scope, "GET", "metrics") is not None, _finished_before_running
        ),
        "Job metrics `timestamps`: 'A map of status transitions to timestamps' ('finished' "
        "comes before 'running')",
    ),
    # cancel
    "cancel_not_applied": Behaviour(
        lambda: _gated("POST", "cancel", PENDING, _no_content),
        "Cancel a job: 'Cancels the specified job.' (answers 204, but the job runs on)",
    ),
    "cancelled_shown_completed": Behaviour(
        lambda: _each_job(_cancelled_shown_completed),
        "Job `status`/`state.status`: 'Current status of the job' (a Cancelled job is shown "
        "Completed)",
    ),
    # tags
    "tags_replace_not_applied": Behaviour(
        _tags_kept,
        "Replace job tags: 'Replace job tags' (answers 204, but the tags stay as they were)",
    ),
    # privacy, identity
    "foreign_job_listed": Behaviour(
        _foreign_job_listed,
        "List jobs: 'List the quantum program jobs you have run.' (another user's job listed)",
    ),
    "private_params_returned": Behaviour(
        _private_params_returned,
        "Job `private`: 'When set to true, input parameters are not returned'",
    ),
    "private_false_returned": Behaviour(
        lambda: _each_job(_private_false, lambda s: _reads_jobs(s) or _is_create(s)),
        "Job `private`: 'Only returned in the response if the value is true, otherwise it is "
        "omitted.'",
    ),
    "unknown_id_answers_other_job": Behaviour(
        lambda: _other_job_for_unknown_id,
        "List job details: 'List the details about the specified quantum program job.' (`id`: "
        "'Identifier of an existing job'; an unknown one answers another job)",
    ),
    # lifecycle
    "cancel_terminal_answers_204": Behaviour(
        lambda: _gated("POST", "cancel", TERMINAL, _no_content),
        "Cancel a job: 409 'Job is in non cancellable status.' (a terminal job answers 204)",
    ),
    "cancel_running_answers_409": Behaviour(
        lambda: _gated("POST", "cancel", frozenset({"Running"}), _not_cancellable),
        "Cancel a job: 'Cancels the specified job.' (a Running job answers 409 and runs on)",
    ),
    "delete_not_applied": Behaviour(
        lambda: _gated("DELETE", None, TERMINAL, _no_content),
        "Delete a job: 'Delete the specified job and its associated data.' (answers 204, the "
        "job stays)",
    ),
}
