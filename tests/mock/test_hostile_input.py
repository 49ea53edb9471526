"""Legal but hostile JSON never gets a 5xx, on any route, in any result format.

Lone surrogates (``"\\ud800"``: legal JSON, no Unicode text) go into every string field a
request can reach; numbers go beyond float range or the recursion limit; params ask for absurd
results. Each job created that way is then read through every route. Every response passes
the spec validation hook of ``asgi_client``, whose JSON check refuses lone surrogates too.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_mock import VirtualClock
from qiskit_runtime_jobs_mock._results import RESULT_FORMATS

LONE = "\ud800"
FFFD = "\ufffd"  # what the mock makes of a lone surrogate, as Go's encoding/json does
JSON = {"Content-Type": "application/json"}


def _storage(text: str) -> dict[str, str]:
    return {"object_name": text, "bucket_crn": text, "region": "us-east", "region_type": "regional"}


def _surrogate_body(result_format: str) -> dict[str, Any]:
    """A create body with a lone surrogate in every free-text field (and in params' keys)."""
    return {
        "program_id": f"p{LONE}",
        "backend": f"{LONE}b",
        "runtime": f"{LONE}:t{LONE}",
        "tags": [LONE, f"t{LONE}"],
        "log_level": "debug",  # so the logs show the program id too
        "session_id": LONE,
        "calibration_id": LONE,
        "params": {LONE: [LONE, {LONE: LONE}], "mock": {"result_format": result_format}},
        "remote_storage": {
            **_storage(LONE),
            "job_params": _storage(LONE),
            "results": _storage(LONE),
            "logs": _storage(LONE),
        },
    }


def _encoded(body: Any) -> bytes:
    """JSON with non-ASCII escaped: the only way to send a lone surrogate."""
    return json.dumps(body).encode()


async def _every_route(http: httpx.AsyncClient, job_id: str) -> list[int]:
    """Read and change a finished job through every route; return the statuses."""
    statuses = []
    for path in ("", "?exclude_params=false", "/logs", "/metrics", "/results", "/results"):
        statuses.append((await http.get(f"/jobs/{job_id}{path}")).status_code)
    listing = await http.get(
        "/jobs?exclude_params=false&program=%ED%A0%80&backend=%ED%A0%80&tags=%ED%A0%80"
        "&session_id=%ED%A0%80"
    )
    statuses.append(listing.status_code)
    statuses.append((await http.get("/jobs?exclude_params=false")).status_code)
    tags = _encoded({"tags": [LONE, f"x{LONE}y"]})
    statuses.append(
        (await http.put(f"/jobs/{job_id}/tags", content=tags, headers=JSON)).status_code
    )
    statuses.append((await http.get(f"/jobs/{job_id}")).status_code)
    statuses.append((await http.post(f"/jobs/{job_id}/cancel")).status_code)
    statuses.append((await http.delete(f"/jobs/{job_id}")).status_code)
    return statuses


@pytest.mark.asyncio
@pytest.mark.parametrize("result_format", RESULT_FORMATS)
async def test_lone_surrogates_in_every_field_never_5xx(
    asgi_client: httpx.AsyncClient, clock: VirtualClock, result_format: str
) -> None:
    """A job full of lone surrogates is served on every route, each one read back as U+FFFD."""
    created = await asgi_client.post(
        "/jobs", content=_encoded(_surrogate_body(result_format)), headers=JSON
    )
    assert created.status_code == 200, created.text
    job_id = created.json()["id"]
    assert created.json()["backend"] == f"{FFFD}b"
    clock.advance(100)
    logs = await asgi_client.get(f"/jobs/{job_id}/logs")
    assert logs.status_code == 200
    assert f"backend {FFFD}b." in logs.text
    assert f"Program p{FFFD};" in logs.text
    job = (await asgi_client.get(f"/jobs/{job_id}?exclude_params=false")).json()
    assert job["params"][FFFD] == [FFFD, {FFFD: FFFD}]
    assert job["remote_storage"]["logs"]["bucket_crn"] == FFFD
    assert job["tags"] == [FFFD, f"t{FFFD}"]
    statuses = await _every_route(asgi_client, job_id)
    assert max(statuses) < 500, statuses
    assert statuses[-3:] == [200, 409, 204]  # read, cancel of a finished job, delete


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body",
    [
        {"program_id": "s", "log_level": LONE},
        {"program_id": "s", "runtime": LONE},
        {"program_id": "s", "remote_storage": {**_storage("o"), "region": LONE}},
        {"program_id": "s", "remote_storage": {**_storage("o"), "region_type": LONE}},
        {"program_id": "s", "params": {"mock": {"result_format": LONE}}},
        {"program_id": "s", "params": {"mock": {"outcome": LONE}}},
    ],
)
async def test_lone_surrogates_in_checked_fields_are_400(
    asgi_client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    """Fields with a fixed vocabulary or pattern reject a surrogate with a 400 naming them."""
    response = await asgi_client.post("/jobs", content=_encoded(body), headers=JSON)
    assert response.status_code == 400
    assert response.json()["errors"][0]["target"]["type"] == "field"


@pytest.mark.asyncio
async def test_lone_surrogates_in_path_query_and_iam_form(asgi_client: httpx.AsyncClient) -> None:
    """A surrogate's would-be UTF-8 bytes in a path id, a query or an IAM form are 400s."""
    assert (await asgi_client.get("/jobs/%ED%A0%80")).status_code == 400
    assert (await asgi_client.get("/jobs/%ED%A0%80/logs")).status_code == 400
    assert (await asgi_client.get("/jobs?created_after=%ED%A0%80")).status_code == 400
    iam = await asgi_client.post(
        "http://mock.test/identity/token",
        content=b"grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=%ED%A0%80",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert iam.status_code == 400
    assert iam.json()["errorCode"] == "BXNIM0415E"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'{"program_id": "s", "params": {"x": NaN}}', "invalid_json"),
        (b'{"program_id": "s", "params": {"x": -Infinity}}', "invalid_json"),
        (b'{"program_id": "s", "params": {"x": 1e400}}', "invalid_json"),
        (b'{"program_id": "s", "cost": 1e400}', "invalid_json"),
        (
            b'{"program_id": "s", "params": ' + b'{"a":' * 300 + b"1" + b"}" * 300 + b"}",
            "invalid_json",
        ),
        (b'{"program_id": "s", "params": ' + b"[" * 970 + b"]" * 970 + b"}", "invalid_json"),
    ],
)
async def test_numbers_and_nesting_json_cannot_echo_are_400(
    asgi_client: httpx.AsyncClient, content: bytes, code: str
) -> None:
    """NaN/Infinity, numbers past float range and deep nesting are refused up front: stored,
    they would come back as invalid JSON, or crash serializing a job list."""
    response = await asgi_client.post("/jobs", content=content, headers=JSON)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code


@pytest.mark.asyncio
@pytest.mark.parametrize("content", [b"null", b"3", b"true", b'"\\ud800"', b"[]"])
async def test_bodies_that_are_not_objects_are_400(
    asgi_client: httpx.AsyncClient, content: bytes
) -> None:
    """Any JSON value other than an object, surrogate strings included, is an invalid body."""
    for path in ("/jobs", "/jobs/abc/tags"):
        response = await asgi_client.request(
            "POST" if path == "/jobs" else "PUT", path, content=content, headers=JSON
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "invalid_body"


@pytest.mark.asyncio
async def test_nesting_within_the_cap_round_trips(
    asgi_client: httpx.AsyncClient, clock: VirtualClock
) -> None:
    """Params nested 250 deep are stored and listed back intact."""
    params: Any = 1
    for _ in range(250):
        params = {"a": params}
    created = await asgi_client.post(
        "/jobs", content=_encoded({"program_id": "s", "params": params})
    )
    assert created.status_code == 200
    listed = await asgi_client.get("/jobs?exclude_params=false")
    assert listed.json()["jobs"][0]["params"] == params


HUGE = 10**400  # a legal JSON integer, far beyond float range


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("mock", "field"),
    [
        ({"queued_seconds": HUGE}, "params.mock.queued_seconds"),
        ({"running_seconds": 1e300}, "params.mock.running_seconds"),
        ({"result_bytes": HUGE}, "params.mock.result_bytes"),
        ({"shots": HUGE}, "params"),
        ({"result_format": "legacy", "num_bits": 10**9}, "params"),
        ({"result_format": "noise_learner_v3_v0.2", "num_bits": 10**7}, "params"),
        ({"num_items": HUGE}, "params.mock.num_items"),
        (
            {"result_format": "noise_learner_v3_v0.1", "num_items": 10_000, "num_bits": 1000},
            "params",
        ),
    ],
)
async def test_absurd_mock_knobs_are_400(
    asgi_client: httpx.AsyncClient, mock: dict[str, Any], field: str
) -> None:
    """Knobs past what the mock can time or render are 400s naming the field, not a 500 or a
    result too large to render."""
    body = {"program_id": "executor", "params": {"mock": mock}}
    response = await asgi_client.post("/jobs", content=_encoded(body), headers=JSON)
    assert response.status_code == 400
    assert response.json()["errors"][0]["target"] == {"type": "field", "name": field}


@pytest.mark.asyncio
async def test_huge_program_shapes_are_400(asgi_client: httpx.AsyncClient) -> None:
    """An executor program whose item shapes multiply past the result cap is refused."""
    program = {"quantum_program": {"shots": 1024, "items": [{"shape": [4096] * 5}]}}
    body = {"program_id": "executor", "params": program}
    response = await asgi_client.post("/jobs", content=_encoded(body), headers=JSON)
    assert response.status_code == 400
    assert response.json()["errors"][0]["target"] == {"type": "field", "name": "params"}


@pytest.mark.asyncio
async def test_huge_values_the_mock_ignores_are_served(
    asgi_client: httpx.AsyncClient, clock: VirtualClock
) -> None:
    """Huge integers where the mock only stores or reads leniently serve every route."""
    body = {
        "program_id": "noise-learner",
        "cost": HUGE,
        "params": {
            "schema_version": "v0.2",
            "x": HUGE,
            "options": {"layer_pair_depths": [HUGE]},
            "mock": {"seed": HUGE},
        },
    }
    created = await asgi_client.post("/jobs", content=_encoded(body), headers=JSON)
    assert created.status_code == 200, created.text
    job_id = created.json()["id"]
    clock.advance(100)
    result = await asgi_client.get(f"/jobs/{job_id}/results")
    lindblad = result.json()["data"][0]["metadata"]["post_selection"]["fraction_kept"]
    assert list(lindblad) == ["0", "1", "2", "4", "16", "32"]  # the malformed depths ignored
    statuses = await _every_route(asgi_client, job_id)
    assert max(statuses) < 500, statuses
