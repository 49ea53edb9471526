"""Each wrong-behaviour variant breaks the rule it names, and only with spec-valid answers.

For every variant one probe runs twice over loopback HTTP: against the correct mock it must
see the documented behaviour, against the variant something else. Every answer the probe got,
from either, must be valid against the spec (documented status, body schema, no drift):
a variant that broke the spec would be caught by schema checks and prove nothing about the
behaviour checks it exists for, and one whose probe sees no difference is no bug at all.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_kit.contract.drift import SpecIndex
from qiskit_runtime_jobs_kit.spec import load_spec
from qiskit_runtime_jobs_mock import DEFAULT_USER, MockConfig, serve
from tests.contract.broken import App
from tests.contract.wrong_behaviour import BEHAVIOURS, TERMINAL

pytestmark = [pytest.mark.contract, pytest.mark.loopback]

# The brief's list: every one must be a variant with a probe.
NAMES = (
    "pending_ignored",
    "program_ignored",
    "backend_ignored",
    "created_after_ignored",
    "created_before_ignored",
    "tags_ignored",
    "session_id_ignored",
    "pending_inverted",
    "exclude_params_ignored",
    "offset_ignored",
    "limit_not_honoured",
    "count_is_page_length",
    "sort_asc_ignored",
    "create_backend_changed",
    "create_tags_truncated",
    "create_private_dropped",
    "status_disagrees_with_state",
    "metrics_timestamps_out_of_order",
    "cancel_not_applied",
    "cancelled_shown_completed",
    "tags_replace_not_applied",
    "foreign_job_listed",
    "private_params_returned",
    "private_false_returned",
    "unknown_id_answers_other_job",
    "cancel_terminal_answers_204",
    "cancel_running_answers_409",
    "delete_not_applied",
)
CONFIG = MockConfig(rate_limit_per_minute=None, queued_seconds=0.05, running_seconds=0.05)
# Per-job timings (params.mock): a job that stays queued, one that stays running, one that
# is completed from the start, one that completes shortly.
QUEUED = {"mock": {"queued_seconds": 600}}
RUNNING = {"mock": {"queued_seconds": 0, "running_seconds": 600}}
DONE = {"mock": {"queued_seconds": 0, "running_seconds": 0}}
SHORT = {"mock": {"queued_seconds": 0, "running_seconds": 1.0}}
UNKNOWN_ID = "no-such-job"  # valid id pattern; the mock's ids have no '-'

SPEC = load_spec()
INDEX = SpecIndex(SPEC)
TEMPLATES = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", t) + "$"), t) for t in SPEC["paths"]]


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _response(template: str, method: str, status: int) -> tuple[str, dict[str, Any]] | None:
    """The spec's response object (its pointer, `$ref` followed) for an operation and status."""
    responses = SPEC["paths"][template][method.lower()]["responses"]
    if str(status) not in responses:
        return None
    pointer = f"/paths/{_escape(template)}/{method.lower()}/responses/{status}"
    node = responses[str(status)]
    while "$ref" in node:
        pointer = node["$ref"][1:]
        node = SPEC
        for part in pointer.split("/")[1:]:
            node = node[part]
    return pointer, node


def spec_problems(method: str, path: str, answer: httpx.Response) -> list[str]:
    """Why an answer breaks the spec: undocumented status, media type or header, a body
    against its schema, or drift (undocumented fields or enum values); [] if it is valid."""
    template = next(t for pattern, t in TEMPLATES if pattern.match(path))
    where = f"{method} {template} -> {answer.status_code}"
    found = _response(template, method, answer.status_code)
    if found is None:
        return [f"{where}: undocumented status"]
    pointer, response = found
    content = response.get("content", {})
    media = answer.headers.get("content-type", "").split(";")[0].strip()
    if not content:
        return [f"{where}: a body where none is documented"] if answer.content else []
    if media not in content:
        return [f"{where}: undocumented media type {media!r}"]
    body = answer.json() if media == "application/json" else None
    problems = []
    if body is not None:
        schema = f"{pointer}/content/{_escape(media)}/schema"
        problems += [f"{where}: {error}" for error in INDEX.schema_errors(schema, body)]
    drift = INDEX.find_drift(method, template, answer.status_code, dict(answer.headers), body)
    return problems + [f"{where}: {d.describe()}" for d in drift]


class Api:
    """An httpx client for one mock that checks every answer it gets against the spec."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.problems: list[str] = []

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        answer = self.client.request(method, path, **kwargs)
        self.problems += spec_problems(method, path, answer)
        return answer

    def create(self, **fields: Any) -> dict[str, Any]:
        answer = self.call("POST", "/jobs", json={"program_id": "sampler", **fields})
        assert answer.status_code == 200, answer.text
        created: dict[str, Any] = answer.json()
        return created

    def new(self, **fields: Any) -> str:
        """A new job's id."""
        return str(self.create(**fields)["id"])

    def get(self, job_id: str, **params: str) -> httpx.Response:
        return self.call("GET", f"/jobs/{job_id}", params=params)

    def job(self, job_id: str) -> dict[str, Any]:
        answer = self.get(job_id)
        assert answer.status_code == 200, answer.text
        job: dict[str, Any] = answer.json()
        return job

    def listed(self, **params: str) -> dict[str, Any]:
        answer = self.call("GET", "/jobs", params=params)
        assert answer.status_code == 200, answer.text
        page: dict[str, Any] = answer.json()
        return page

    def ids(self, **params: str) -> list[str]:
        return [job["id"] for job in self.listed(**params)["jobs"]]

    def do(self, method: str, job_id: str, action: str = "", **kwargs: Any) -> int:
        """The status of `method /jobs/{id}[/action]`."""
        path = f"/jobs/{job_id}" + (f"/{action}" if action else "")
        return self.call(method, path, **kwargs).status_code

    def terminal_status(self, job_id: str) -> str:
        """The job's status once it is terminal (polled, with a deadline)."""
        deadline = time.monotonic() + 10
        while (status := str(self.job(job_id)["status"])) not in TERMINAL:
            assert time.monotonic() < deadline, f"job {job_id} still {status}"
            time.sleep(0.02)
        return status


@contextmanager
def api_for(wrap: Callable[[App], App] | None) -> Iterator[Api]:
    """An `Api` on a fresh mock over loopback, `wrap` around it (None: the correct mock)."""
    with (
        serve(CONFIG, wrap=wrap) as server,
        httpx.Client(base_url=server.base_url, headers=server.headers, timeout=10) as client,
    ):
        yield Api(client)


# A probe drives one mock and returns (what it saw, what the page says it should see).
Probe = Callable[[Api], tuple[object, object]]


def _filter_probe(param: str, value: str, matching: dict[str, Any], other: dict[str, Any]) -> Probe:
    """A job created with `matching` and one with `other`: `param=value` lists the first."""

    def probe(api: Api) -> tuple[object, object]:
        wanted = api.new(**matching)
        api.new(**other)
        return set(api.ids(**{param: value})), {wanted}

    return probe


def _created_probe(param: str, wanted: int) -> Probe:
    """Two jobs; list with `param` set to an instant between their `created` times (the
    mock's float clock makes a job's own timestamp an unreliable bound)."""

    def probe(api: Api) -> tuple[object, object]:
        jobs = (api.new(), api.new())
        first, second = (datetime.fromisoformat(api.job(j)["created"]) for j in jobs)
        between = (first + (second - first) / 2).isoformat()
        return set(api.ids(**{param: between})), {jobs[wanted]}

    return probe


def probe_pending(api: Api) -> tuple[object, object]:
    queued, done = api.new(params=QUEUED), api.new(params=DONE)
    return (set(api.ids(pending="true")), set(api.ids(pending="false"))), ({queued}, {done})


def probe_exclude_params(api: Api) -> tuple[object, object]:
    """The listing's default leaves params out (a private job's are never shown)."""
    api.new(params={"x": 1})
    api.new(params={"x": 2}, private=True)
    return ["params" in job for job in api.listed()["jobs"]], [False, False]


def _three(api: Api) -> list[str]:
    """Three jobs' ids, newest first (the listing's default order)."""
    return [api.new() for _ in range(3)][::-1]


def probe_offset(api: Api) -> tuple[object, object]:
    newest_first = _three(api)
    return api.ids(offset="1"), newest_first[1:]


def probe_limit(api: Api) -> tuple[object, object]:
    _three(api)
    return len(api.ids(limit="1")), 1


def probe_count(api: Api) -> tuple[object, object]:
    _three(api)
    return api.listed(limit="1")["count"], 3


def probe_sort(api: Api) -> tuple[object, object]:
    first, second = api.new(), api.new()
    return api.ids(sort="ASC"), [first, second]


def probe_backend(api: Api) -> tuple[object, object]:
    answer = api.create(backend="ibm_x")
    reads = [api.job(answer["id"])["backend"] for _ in range(2)]
    listed = [job["backend"] for job in api.listed()["jobs"]]
    return (answer["backend"], reads, listed), ("ibm_x", ["ibm_x"] * 2, ["ibm_x"])


def probe_tags(api: Api) -> tuple[object, object]:
    return api.job(api.new(tags=["a", "b", "c"]))["tags"], ["a", "b", "c"]


def probe_private(api: Api) -> tuple[object, object]:
    """A private job: flagged, params hidden, its result read once (then 204)."""
    answer = api.create(private=True, params=DONE)
    job = api.job(answer["id"])
    reads = [api.do("GET", answer["id"], "results") for _ in range(2)]
    seen = (answer.get("private"), job.get("private"), "params" in job, reads)
    return seen, (True, True, False, [200, 204])


def probe_status_agrees(api: Api) -> tuple[object, object]:
    job = api.job(api.new(params=DONE))
    return (job["status"], job["state"]["status"]), ("Completed", "Completed")


def probe_metrics(api: Api) -> tuple[object, object]:
    answer = api.call("GET", f"/jobs/{api.new(params=DONE)}/metrics")
    stamps = answer.json()["timestamps"]
    running, finished = (datetime.fromisoformat(stamps[k]) for k in ("running", "finished"))
    return running <= finished, True


def probe_cancel_applied(api: Api) -> tuple[object, object]:
    job_id = api.new(params=SHORT)
    return (api.do("POST", job_id, "cancel"), api.terminal_status(job_id)), (204, "Cancelled")


def probe_cancelled_shown(api: Api) -> tuple[object, object]:
    job_id = api.new(params=QUEUED)
    cancelled = api.do("POST", job_id, "cancel")
    job = api.job(job_id)
    seen = (cancelled, job["status"], job["state"]["status"])
    return seen, (204, "Cancelled", "Cancelled")


def probe_tags_replaced(api: Api) -> tuple[object, object]:
    job_id = api.new(tags=["old"])
    replaced = api.do("PUT", job_id, "tags", json={"tags": ["new"]})
    return (replaced, api.job(job_id)["tags"]), (204, ["new"])


def probe_own_jobs(api: Api) -> tuple[object, object]:
    """An empty listing stays empty; a listing shows only the caller's jobs."""
    empty = len(api.listed()["jobs"])
    api.new()
    users = {job.get("user_id") for job in api.listed()["jobs"]}
    return (empty, users), (0, {DEFAULT_USER})


def probe_private_params(api: Api) -> tuple[object, object]:
    job_id = api.new(private=True, params={"x": 1})
    listed = api.listed(exclude_params="false")["jobs"]
    return ("params" in api.job(job_id), ["params" in job for job in listed]), (False, [False])


def probe_private_omitted(api: Api) -> tuple[object, object]:
    answer = api.create()
    shown = [answer, api.job(answer["id"]), *api.listed()["jobs"]]
    return ["private" in body for body in shown], [False] * 3


def probe_unknown_id(api: Api) -> tuple[object, object]:
    """An unknown id is a 404, with no job yet and with one."""
    before = api.get(UNKNOWN_ID).status_code
    api.new()
    return (before, api.get(UNKNOWN_ID).status_code), (404, 404)


def probe_cancel_terminal(api: Api) -> tuple[object, object]:
    job_id = api.new(params=DONE)
    return (api.do("POST", job_id, "cancel"), api.job(job_id)["status"]), (409, "Completed")


def probe_cancel_running(api: Api) -> tuple[object, object]:
    job_id = api.new(params=RUNNING)
    assert api.job(job_id)["status"] == "Running"
    return (api.do("POST", job_id, "cancel"), api.job(job_id)["status"]), (204, "Cancelled")


def probe_delete(api: Api) -> tuple[object, object]:
    job_id = api.new(params=DONE)
    return (api.do("DELETE", job_id), api.get(job_id).status_code), (204, 404)


PROBES: dict[str, Probe] = {
    "pending_ignored": probe_pending,
    "program_ignored": _filter_probe(
        "program", "sampler", {"program_id": "sampler"}, {"program_id": "estimator"}
    ),
    "backend_ignored": _filter_probe(
        "backend", "ibm_a", {"backend": "ibm_a"}, {"backend": "ibm_b"}
    ),
    "created_after_ignored": _created_probe("created_after", 1),
    "created_before_ignored": _created_probe("created_before", 0),
    "tags_ignored": _filter_probe("tags", "x", {"tags": ["x", "y"]}, {"tags": ["y"]}),
    "session_id_ignored": _filter_probe(
        "session_id", "s-1", {"session_id": "s-1"}, {"session_id": "s-2"}
    ),
    "pending_inverted": probe_pending,
    "exclude_params_ignored": probe_exclude_params,
    "offset_ignored": probe_offset,
    "limit_not_honoured": probe_limit,
    "count_is_page_length": probe_count,
    "sort_asc_ignored": probe_sort,
    "create_backend_changed": probe_backend,
    "create_tags_truncated": probe_tags,
    "create_private_dropped": probe_private,
    "status_disagrees_with_state": probe_status_agrees,
    "metrics_timestamps_out_of_order": probe_metrics,
    "cancel_not_applied": probe_cancel_applied,
    "cancelled_shown_completed": probe_cancelled_shown,
    "tags_replace_not_applied": probe_tags_replaced,
    "foreign_job_listed": probe_own_jobs,
    "private_params_returned": probe_private_params,
    "private_false_returned": probe_private_omitted,
    "unknown_id_answers_other_job": probe_unknown_id,
    "cancel_terminal_answers_204": probe_cancel_terminal,
    "cancel_running_answers_409": probe_cancel_running,
    "delete_not_applied": probe_delete,
}


@dataclass(frozen=True)
class Outcome:
    """One probe's run: what it saw, what the page says, and every spec problem met."""

    seen: object
    documented: object
    problems: list[str]


def run_probe(probe: Probe, wrap: Callable[[App], App] | None) -> Outcome:
    """Run `probe` on a fresh mock (`wrap` around it; None: the correct one)."""
    with api_for(wrap) as api:
        seen, documented = probe(api)
    return Outcome(seen, documented, api.problems)


def test_every_listed_behaviour_is_a_variant_with_a_probe() -> None:
    """The brief's variants all exist, each proven by a probe below, each naming its rule."""
    assert set(NAMES) <= set(BEHAVIOURS), set(NAMES) - set(BEHAVIOURS)
    assert set(PROBES) == set(BEHAVIOURS)
    for name, behaviour in BEHAVIOURS.items():
        assert behaviour.breaks.strip(), name
        assert "\n" not in behaviour.breaks, name


@pytest.mark.parametrize("name", NAMES)
def test_the_variant_breaks_its_rule_with_spec_valid_answers(name: str) -> None:
    """The probe sees the page's behaviour on the correct mock and another on the variant;
    every answer either gave is valid against the spec."""
    correct = run_probe(PROBES[name], None)
    broken = run_probe(PROBES[name], BEHAVIOURS[name].wrap())
    assert correct.seen == correct.documented, "the correct mock breaks the rule itself"
    assert broken.seen != broken.documented, f"the variant kept the rule: {broken.seen}"
    assert correct.problems == []
    assert broken.problems == []


# (variant, a request the mock refuses with 400): the variant leaves it to the mock.
REFUSED: list[tuple[str, str, dict[str, Any]]] = [
    ("pending_ignored", "GET", {"params": {"pending": "maybe"}}),
    ("limit_not_honoured", "GET", {"params": {"limit": "many"}}),
    ("created_after_ignored", "GET", {"params": {"created_after": "yesterday"}}),
    ("exclude_params_ignored", "GET", {"params": {"exclude_params": "no"}}),
    ("create_tags_truncated", "POST", {"json": {"program_id": "p", "tags": ["t"] * 9}}),
    ("create_private_dropped", "POST", {"json": {"program_id": "p", "private": "yes"}}),
    ("create_backend_changed", "POST", {"json": {"program_id": "p", "backend": 7}}),
]


@pytest.mark.parametrize(("name", "method", "request_"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_request_the_mock_refuses_is_left_to_it(
    name: str, method: str, request_: dict[str, Any]
) -> None:
    """No variant turns a 400 into a 200: it breaks a behaviour, not the validation."""
    with api_for(BEHAVIOURS[name].wrap()) as api:
        answer = api.call(method, "/jobs", **request_)
    assert answer.status_code == 400, answer.text
    assert api.problems == []


def test_a_refused_tags_body_is_left_to_the_mock() -> None:
    """`tags_replace_not_applied` keeps a 400 for tags the page does not allow."""
    with api_for(BEHAVIOURS["tags_replace_not_applied"].wrap()) as api:
        job_id = api.new(tags=["old"])
        refused = api.do("PUT", job_id, "tags", json={"tags": ["t"] * 9})
        assert (refused, api.job(job_id)["tags"]) == (400, ["old"])
        assert api.problems == []


@pytest.mark.parametrize("wrong", [False, True], ids=["correct", "variant"])
def test_a_chunked_create_body_is_read_whole(wrong: bool) -> None:
    """A body sent in chunks (Transfer-Encoding: chunked) is edited as one document."""
    wrap = BEHAVIOURS["create_tags_truncated"].wrap() if wrong else None
    chunks = [b'{"program_id": "sampler", ', b'"tags": ["a", ', b'"b"]}']
    with api_for(wrap) as api:
        answer = api.call("POST", "/jobs", content=iter(chunks))
        assert answer.status_code == 200, answer.text
        assert api.job(answer.json()["id"])["tags"] == (["a"] if wrong else ["a", "b"])
        assert api.problems == []


def test_per_job_state_holds_under_concurrent_clients() -> None:
    """`private_params_returned` keeps each private job's own params when many clients
    create and read at once."""
    with api_for(BEHAVIOURS["private_params_returned"].wrap()) as api:

        def create_and_read(n: int) -> object:
            return api.job(api.new(private=True, params={"n": n})).get("params")

        with ThreadPoolExecutor(max_workers=8) as pool:
            shown = list(pool.map(create_and_read, range(16)))
        assert shown == [{"n": n} for n in range(16)]
        assert api.problems == []
