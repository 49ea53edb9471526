"""The own-jobs rule and the run's tag, as pure decisions; finding a run's jobs by its tag.

Pure tables, plus `jobs_tagged` against an in-process transport (the HTTP layer is not the
point: what matters is which jobs it takes).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_kit.contract import own_jobs
from qiskit_runtime_jobs_kit.contract.cleanup import jobs_tagged
from qiskit_runtime_jobs_kit.contract.context import Credentials, RunContext
from qiskit_runtime_jobs_kit.contract.session import Session

TAG = "qrj-contract-run-x"


@pytest.mark.parametrize(
    ("operation", "method", "own", "shown", "allowed"),
    [
        # reads of a job (not its result) go anywhere
        ("get_job", "GET", False, True, True),
        ("get_job_logs", "GET", False, True, True),
        ("list_jobs", "GET", False, None, True),
        ("get_job_metrics", "OPTIONS", False, True, True),
        # results, cancel, delete, tags: the run's own jobs ...
        ("get_job_results", "GET", True, True, True),
        ("cancel_job", "POST", True, True, True),
        # ... or an id the target says it does not know
        ("delete_job", "DELETE", False, False, True),
        ("replace_job_tags", "PUT", False, False, True),
        # never a job the target shows that the run did not create
        ("get_job_results", "GET", False, True, False),
        ("cancel_job", "POST", False, True, False),
        ("delete_job", "DELETE", False, True, False),
        ("replace_job_tags", "PUT", False, True, False),
        # nor one it could not tell about (an error, a refusal, no answer)
        ("get_job_results", "GET", False, None, False),
        ("delete_job", "DELETE", False, None, False),
        # an undocumented method that could change something is guarded on any path
        ("get_job", "POST", False, True, False),
        ("get_job_logs", "delete", False, True, False),
        ("get_job", "PATCH", True, True, True),
        ("get_job_metrics", "PUT", False, False, True),
    ],
)
def test_may_send(
    operation: str, method: str, own: bool, shown: bool | None, allowed: bool
) -> None:
    assert own_jobs.may_send(operation, method, own=own, shown=shown) is allowed


@pytest.mark.parametrize(
    ("status", "shown"), [(200, True), (404, False), (400, False), (401, None), (500, None)]
)
def test_what_get_job_shows(status: int, shown: bool | None) -> None:
    assert own_jobs.shown_by(status) is shown


FULL = [str(i) for i in range(8)]


@pytest.mark.parametrize(
    ("body", "valid", "tags"),
    [
        ({}, True, [TAG]),
        ({"tags": ["a"]}, True, ["a", TAG]),
        ({"tags": FULL}, True, [*FULL[:7], TAG]),  # a valid list full: the tag takes the last slot
        ({"tags": [TAG]}, True, [TAG]),
        ({"tags": "not-a-list"}, True, "not-a-list"),
        # invalid bodies keep what made them invalid
        ({}, False, None),
        ({"tags": ["a"]}, False, ["a", TAG]),
        ({"tags": FULL}, False, FULL),
        ({"tags": [*FULL, "9"]}, False, [*FULL, "9"]),
        ({"tags": 5}, False, 5),
    ],
)
def test_the_run_tag_is_added_where_the_body_stays_what_it_was(
    body: dict[str, Any], valid: bool, tags: object
) -> None:
    own_jobs.with_run_tag(body, TAG, 8, make_room=valid)
    assert body.get("tags") == tags


def test_a_body_that_is_no_object_is_left_alone() -> None:
    body: list[str] = ["x"]
    own_jobs.with_run_tag(body, TAG, 8, make_room=True)
    assert body == ["x"]


def _session(answer: Any) -> Session:
    context = RunContext(url="http://target/api/v1", credentials=Credentials(crn="c", token="t"))
    return Session(context, transport=httpx.MockTransport(answer))


def _listing(total: int, *, ignores_offset: bool = False, tagged: bool = True) -> Any:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        assert len(requests) < 20, "jobs_tagged did not stop"
        assert request.url.params["tags"] == TAG
        limit = int(request.url.params["limit"])
        offset = 0 if ignores_offset else int(request.url.params["offset"])
        jobs = [
            {"id": f"job{i}", "tags": [TAG] if tagged else ["someone-elses"]}
            for i in range(offset, min(offset + limit, total))
        ]
        return httpx.Response(200, json={"jobs": jobs, "limit": limit, "offset": offset})

    return answer


@pytest.mark.parametrize("total", [0, 1, 199, 200, 201, 450])
def test_every_tagged_job_is_found_across_pages(total: int) -> None:
    found = jobs_tagged(_session(_listing(total)), TAG)
    assert found == [f"job{i}" for i in range(total)]


def test_a_target_ignoring_offset_cannot_loop() -> None:
    assert len(jobs_tagged(_session(_listing(1000, ignores_offset=True)), TAG)) == 200


def test_a_target_ignoring_the_tags_filter_gives_no_one_elses_job() -> None:
    """It lists every job of the account: only those that carry the tag are the run's."""
    assert jobs_tagged(_session(_listing(30, tagged=False)), TAG) == []


def test_a_listed_job_without_tags_is_looked_up_before_it_is_taken() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/jobs"):
            return httpx.Response(200, json={"jobs": [{"id": "mine"}, {"id": "theirs"}]})
        job = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(200, json={"id": job, "tags": [TAG] if job == "mine" else []})

    assert jobs_tagged(_session(answer), TAG) == ["mine"]


# ---------------------------------------------------------------- the kit's own requests


class FakeIAM:
    """IAM and the target in one transport: tokens that live 100 s, numbered."""

    def __init__(self) -> None:
        self.issued = 0
        self.refuse_next: set[str] = set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/identity/token":
            self.issued += 1
            return httpx.Response(200, json={"access_token": f"t{self.issued}", "expires_in": 100})
        token = request.headers["Authorization"].removeprefix("Bearer ")
        if token in self.refuse_next:
            self.refuse_next.discard(token)
            return httpx.Response(401, json={"errors": [{"message": "expired"}]})
        return httpx.Response(200, json={"id": "j", "status": "Queued", "token": token})


def test_a_token_from_iam_is_fetched_again_before_it_expires() -> None:
    iam, clock = FakeIAM(), [0.0]
    context = RunContext(
        url="http://target/api/v1",
        credentials=Credentials(crn="c", api_key="key", iam_url="http://target/identity/token"),
    )
    session = Session(context, transport=httpx.MockTransport(iam), now=lambda: clock[0])
    assert session.headers()["Authorization"] == "Bearer t1"
    clock[0] = 79.0
    assert session.headers()["Authorization"] == "Bearer t1"
    clock[0] = 81.0  # 80% of its 100 s gone
    assert session.headers()["Authorization"] == "Bearer t2"
    # A 401 to a token IAM issued: a new one, and the request once more.
    iam.refuse_next.add("t2")
    answer = session.request("GET", "/jobs/j")
    assert answer.status_code == 200
    assert answer.json()["token"] == "t3"
    assert repr(session.token) == "Token(<redacted>)"


def test_a_configured_token_is_never_replaced() -> None:
    iam = FakeIAM()
    context = RunContext(url="http://target/api/v1", credentials=Credentials(crn="c", token="mine"))
    session = Session(context, transport=httpx.MockTransport(iam), now=lambda: 1e9)
    iam.refuse_next.add("mine")
    assert session.request("GET", "/jobs/j").status_code == 401
    assert iam.issued == 0
