"""Finding a run's jobs by its tag (cleanup of creates whose answer was lost)."""

from __future__ import annotations

import httpx
import pytest

from qiskit_runtime_jobs_kit.contract import hooks


def _target(total: int, *, ignores_offset: bool = False) -> httpx.Client:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        assert len(requests) < 20, "jobs_tagged did not stop"
        assert request.url.params["tags"] == "qrj-contract-run-x"
        limit = int(request.url.params["limit"])
        offset = 0 if ignores_offset else int(request.url.params["offset"])
        jobs = [{"id": f"job{i}"} for i in range(offset, min(offset + limit, total))]
        return httpx.Response(200, json={"jobs": jobs, "limit": limit, "offset": offset})

    return httpx.Client(base_url="http://target", transport=httpx.MockTransport(answer))


@pytest.mark.parametrize("total", [0, 1, 199, 200, 201, 450])
def test_every_tagged_job_is_found_across_pages(total: int) -> None:
    with _target(total) as http:
        assert hooks.jobs_tagged(http, "qrj-contract-run-x") == [f"job{i}" for i in range(total)]


def test_a_target_ignoring_offset_cannot_loop() -> None:
    with _target(1000, ignores_offset=True) as http:
        assert len(hooks.jobs_tagged(http, "qrj-contract-run-x")) == 200


@pytest.mark.parametrize(
    ("body", "tags"),
    [
        ({}, ["qrj-contract-run-x"]),
        ({"tags": ["a"]}, ["a", "qrj-contract-run-x"]),
        ({"tags": [str(i) for i in range(8)]}, [str(i) for i in range(8)]),  # no room
        ({"tags": "not-a-list"}, "not-a-list"),
        ({"tags": ["qrj-contract-run-x"]}, ["qrj-contract-run-x"]),
    ],
)
def test_creates_are_tagged_only_where_the_body_stays_valid(
    monkeypatch: pytest.MonkeyPatch, body: dict[str, object], tags: object
) -> None:
    monkeypatch.setenv(hooks.ENV_RUN_TAG, "qrj-contract-run-x")
    hooks.tag_with_run(body)
    assert body.get("tags") == tags
