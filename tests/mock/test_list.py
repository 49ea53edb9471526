"""GET /jobs: filters, sort, pagination with silent fallback, count, exclude_params."""

from __future__ import annotations

import httpx
import pytest

from qiskit_runtime_jobs_mock import VirtualClock
from tests.mock.conftest import create_job


@pytest.fixture
def http(make_server) -> httpx.Client:
    """A client of a server without the rate limit, so tests can create many jobs."""
    _, client = make_server(rate_limit_per_minute=None)
    return client


def _ids(http: httpx.Client, **params: object) -> list[str]:
    response = http.get("/jobs", params=params)
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()["jobs"]]


def _jobs(http: httpx.Client, clock: VirtualClock, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        ids.append(create_job(http))
        clock.advance(1)
    return ids


def test_newest_first_by_default_and_asc_on_request(
    http: httpx.Client, clock: VirtualClock
) -> None:
    """Jobs come newest first; sort=ASC reverses."""
    ids = _jobs(http, clock, 3)
    assert _ids(http) == ids[::-1]
    assert _ids(http, sort="DESC") == ids[::-1]
    assert _ids(http, sort="ASC") == ids


def test_same_instant_keeps_creation_order(http: httpx.Client) -> None:
    """Jobs created at the same clock instant still list in creation order."""
    ids = [create_job(http) for _ in range(4)]
    assert _ids(http, sort="ASC") == ids
    assert _ids(http) == ids[::-1]


@pytest.mark.parametrize("sort", ["sideways", "asc", ""])
def test_invalid_sort_is_400(http: httpx.Client, sort: str) -> None:
    """sort must be exactly ASC or DESC (the spec's enum)."""
    assert http.get("/jobs", params={"sort": sort}).status_code == 400


def test_pagination_and_exact_count(http: httpx.Client, clock: VirtualClock) -> None:
    """limit/offset page through the jobs; count is the total matching, not the page size."""
    ids = _jobs(http, clock, 7)[::-1]
    page = http.get("/jobs", params={"limit": 3, "offset": 2}).json()
    assert [j["id"] for j in page["jobs"]] == ids[2:5]
    assert (page["count"], page["limit"], page["offset"]) == (7, 3, 2)
    collected: list[str] = []
    while len(collected) < page["count"]:
        chunk = _ids(http, limit=3, offset=len(collected))
        assert chunk
        collected += chunk
    assert collected == ids
    assert http.get("/jobs", params={"offset": 7}).json() == {
        "jobs": [],
        "count": 7,
        "limit": 200,
        "offset": 7,
    }


@pytest.mark.parametrize(
    ("params", "limit", "offset"),
    [
        ({"limit": 0}, 200, 0),
        ({"limit": 201}, 200, 0),
        ({"limit": -5}, 200, 0),
        ({"limit": 200}, 200, 0),
        ({"limit": 1}, 1, 0),
        ({"offset": -1}, 200, 0),
        ({"offset": 2147483648}, 200, 0),
        ({"offset": 2147483647}, 200, 2147483647),
    ],
)
def test_out_of_range_limit_offset_fall_back_silently(
    http: httpx.Client, params: dict[str, int], limit: int, offset: int
) -> None:
    """Out-of-range integers use the defaults (limit 200, offset 0) without an error."""
    body = http.get("/jobs", params=params).json()
    assert (body["limit"], body["offset"]) == (limit, offset)


def test_integral_decimal_limit_is_an_integer(http: httpx.Client) -> None:
    """`limit=2.0` is the integer 2 (JSON Schema's integer rule, which the spec follows)."""
    body = http.get("/jobs", params={"limit": "2.0", "offset": "0.00"}).json()
    assert (body["limit"], body["offset"]) == (2, 0)


@pytest.mark.parametrize(
    "params", [{"limit": "ten"}, {"offset": "1.5"}, {"limit": ""}, {"limit": "1e3"}]
)
def test_non_integer_limit_offset_is_400(http: httpx.Client, params: dict[str, str]) -> None:
    """Non-integers are a 400 naming the parameter."""
    response = http.get("/jobs", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["target"]["name"] == next(iter(params))


def test_filters_program_backend_session(http: httpx.Client) -> None:
    """program, backend and session_id filter by equality."""
    a = create_job(http, program_id="estimator", backend="ibm_a", session_id="s1")
    b = create_job(http, program_id="sampler", backend="ibm_b", session_id="s1")
    c = create_job(http, program_id="sampler", backend="ibm_a")
    assert _ids(http, program="estimator") == [a]
    assert set(_ids(http, backend="ibm_a")) == {a, c}
    assert set(_ids(http, session_id="s1")) == {a, b}
    assert _ids(http, program="sampler", backend="ibm_a") == [c]
    assert http.get("/jobs", params={"program": "nope"}).json()["count"] == 0


def test_tags_filter_repeated_means_all(http: httpx.Client) -> None:
    """tags=a&tags=b matches jobs carrying both tags."""
    both = create_job(http, tags=["a", "b", "c"])
    only_a = create_job(http, tags=["a"])
    assert set(_ids(http, tags="a")) == {both, only_a}
    assert _ids(http, tags=["a", "b"]) == [both]
    assert http.get("/jobs?tags=a&tags=b").json()["count"] == 1


def test_pending_filter(http: httpx.Client, clock: VirtualClock) -> None:
    """pending=true lists Queued/Running jobs; false lists terminal ones."""
    done = create_job(http, params={"mock": {"running_seconds": 1}})
    clock.advance(5)
    running = create_job(http, params={"mock": {"queued_seconds": 0}})
    queued = create_job(http)
    assert set(_ids(http, pending="true")) == {running, queued}
    assert _ids(http, pending="False") == [done]


@pytest.mark.parametrize("name", ["pending", "exclude_params"])
def test_bad_boolean_is_400(http: httpx.Client, name: str) -> None:
    """Booleans accept true/false in any case; anything else is a 400."""
    response = http.get("/jobs", params={name: "yes"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["target"] == {"type": "parameter", "name": name}


def test_created_after_and_before(http: httpx.Client, clock: VirtualClock) -> None:
    """created_after/created_before bound the creation time (inclusive), any RFC 3339 offset."""
    ids = _jobs(http, clock, 3)  # created at 12:00:00, :01, :02
    assert set(_ids(http, created_after="2026-03-20T12:00:01Z")) == set(ids[1:])
    assert _ids(http, created_before="2026-03-20T12:00:00.5Z") == ids[:1]
    assert _ids(
        http,
        created_after="2026-03-20T13:00:01+01:00",
        created_before="2026-03-20T12:00:01.000000+00:00",
    ) == [ids[1]]


@pytest.mark.parametrize(
    "value", ["yesterday", "2026-03-20", "2026-03-20T12:00:00", "2026-02-30T12:00:00Z"]
)
def test_bad_created_after_is_400(http: httpx.Client, value: str) -> None:
    """A value that is not an RFC 3339 date-time with a zone answers 400 naming the parameter."""
    response = http.get("/jobs", params={"created_after": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["target"]["name"] == "created_after"


def test_exclude_params_defaults_to_true(http: httpx.Client) -> None:
    """The list leaves params out unless exclude_params=false."""
    create_job(http, params={"p": 1})
    assert "params" not in http.get("/jobs").json()["jobs"][0]
    assert http.get("/jobs?exclude_params=false").json()["jobs"][0]["params"] == {"p": 1}


def test_unknown_query_parameters_are_ignored(http: httpx.Client) -> None:
    """Extras such as include_mocks=True (sent by IBM's client) change nothing."""
    job = create_job(http)
    assert _ids(http, include_mocks="True", whatever="x") == [job]


def test_list_shows_only_the_callers_jobs(make_server) -> None:
    """Two users on one instance each list only their own jobs."""
    _, http = make_server(tokens={"a": "alice", "b": "bob"})
    mine = http.post("/jobs", json={"program_id": "p"}, headers={"Authorization": "Bearer a"})
    http.post("/jobs", json={"program_id": "p"}, headers={"Authorization": "Bearer b"})
    listed = http.get("/jobs", headers={"Authorization": "Bearer a"}).json()
    assert [j["id"] for j in listed["jobs"]] == [mine.json()["id"]]
    assert listed["jobs"][0]["user_id"] == "alice"


def test_eight_tags_of_86_chars_are_accepted(http: httpx.Client) -> None:
    """The tag limits are inclusive: 8 tags of 86 characters are fine."""
    tags = [str(i) * 86 for i in range(8)]
    job = create_job(http, tags=tags)
    assert http.get(f"/jobs/{job}").json()["tags"] == tags
