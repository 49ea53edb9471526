"""Bad input never crashes the mock or leaks a trace; lenient where real clients need it."""

from __future__ import annotations

import httpx
import pytest

from qiskit_runtime_jobs_mock import MockServer
from tests.mock.conftest import create_job


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"{not json", "invalid_json"),
        (b"", "invalid_body"),
        (b"[1, 2]", "invalid_body"),
        (b'"text"', "invalid_body"),
        (b"\xff\xfe\x00garbage", "invalid_json"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
        (b'{"program_id": "s", "cost": 1' + b"0" * 5000 + b"}", "invalid_json"),
    ],
)
def test_malformed_bodies_are_400_json(client: httpx.Client, content: bytes, code: str) -> None:
    """Malformed, empty, non-object, non-UTF-8 and pathological JSON all answer 400."""
    response = client.post("/jobs", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code
    assert "Traceback" not in response.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_400(client: httpx.Client, content_type: str) -> None:
    """A body declared as something other than JSON answers 400 naming the header."""
    response = client.post(
        "/jobs", content=b'{"program_id": "s"}', headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["target"] == {"type": "header", "name": "Content-Type"}


def test_json_body_without_content_type_is_accepted(client: httpx.Client) -> None:
    """A JSON body without any Content-Type is parsed as JSON."""
    assert client.post("/jobs", content=b'{"program_id": "s"}').status_code == 200


def test_json_charset_and_suffix_types_are_accepted(client: httpx.Client) -> None:
    """application/json; charset=utf-8 and application/*+json are JSON."""
    for content_type in ("application/json; charset=utf-8", "application/vnd.ibm+json"):
        response = client.post(
            "/jobs", content=b'{"program_id": "s"}', headers={"Content-Type": content_type}
        )
        assert response.status_code == 200


def test_huge_body_is_413(make_server) -> None:
    """A body over max_body_bytes answers 413, by Content-Length or while streaming."""
    _, http = make_server(max_body_bytes=1000)
    big = b'{"program_id": "s", "params": {"x": "' + b"a" * 2000 + b'"}}'
    response = http.post("/jobs", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "payload_too_large"

    def chunks():  # no Content-Length: chunked transfer
        yield big[:500]
        yield big[500:]

    streamed = http.post("/jobs", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    job_id = create_job(http)
    assert http.put(f"/jobs/{job_id}/tags", content=big).status_code == 413


@pytest.mark.parametrize("bad_id", ["a b", "a.b", "%C3%A9", "x;y", "a%00b"])
def test_bad_path_ids_are_400(client: httpx.Client, bad_id: str) -> None:
    """Ids failing ^[A-Za-z0-9_-]+$ answer 400 on every job route."""
    for method, suffix in [
        ("GET", ""),
        ("DELETE", ""),
        ("POST", "/cancel"),
        ("GET", "/logs"),
        ("GET", "/metrics"),
        ("GET", "/results"),
    ]:
        response = client.request(method, f"/jobs/{bad_id}{suffix}")
        assert response.status_code == 400, (method, suffix)
        assert response.json()["errors"][0]["target"] == {"type": "parameter", "name": "id"}


@pytest.mark.parametrize("suffix", ["", "/cancel", "/logs", "/metrics", "/results"])
def test_unknown_well_formed_id_is_404(client: httpx.Client, suffix: str) -> None:
    """A well-formed id that names no job answers 404."""
    method = "POST" if suffix == "/cancel" else "GET"
    response = client.request(method, f"/jobs/c5dge2d3rn7breq27i9g{suffix}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "job_not_found"


def test_unknown_route_and_method_answer_json(client: httpx.Client) -> None:
    """Unknown paths answer 404 and unknown methods 405, both as JSON errors."""
    assert client.get("/nothing/here").status_code == 404
    assert client.get("/jobs/").status_code == 404
    response = client.patch("/jobs")
    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/jobs", {"GET", "HEAD", "POST"}), ("/jobs/x1", {"GET", "HEAD", "DELETE"})],
)
def test_405_lists_every_method_of_the_path(
    client: httpx.Client, path: str, allowed: set[str]
) -> None:
    """OPTIONS/PUT on a path answer 405 with an Allow header naming all its methods."""
    for method in ("OPTIONS", "PUT"):
        response = client.request(method, path)
        assert response.status_code == 405
        assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed


def test_stray_content_type_without_body_is_served(client: httpx.Client, clock) -> None:
    """Cancel/delete/GET with Content-Type: application/json and no body work normally."""
    headers = {"Content-Type": "application/json"}
    job_id = create_job(client)
    assert client.get(f"/jobs/{job_id}", headers=headers).status_code == 200
    assert client.post(f"/jobs/{job_id}/cancel", headers=headers).status_code == 204
    assert client.delete(f"/jobs/{job_id}", headers=headers).status_code == 204


def test_no_accept_header_is_served(mock_server: MockServer) -> None:
    """Requests without an Accept header get the normal answer."""
    with httpx.Client(transport=mock_server.transport(), base_url=mock_server.base_url) as http:
        http.headers.pop("Accept")
        response = http.get("/jobs", headers=mock_server.headers)
    assert "accept" not in response.request.headers
    assert response.status_code == 200


def test_request_id_is_echoed_or_generated(client: httpx.Client) -> None:
    """X-Request-ID is echoed when sent and generated otherwise; errors repeat it as trace."""
    sent = client.get("/jobs/zz", headers={"X-Request-ID": "my-trace-1"})
    assert sent.headers["X-Request-ID"] == "my-trace-1"
    assert sent.json()["trace"] == "my-trace-1"
    generated = client.get("/jobs")
    assert len(generated.headers["X-Request-ID"]) == 36
    junk = client.get("/jobs", headers={"X-Request-ID": "bad id with spaces"})
    assert junk.headers["X-Request-ID"] != "bad id with spaces"


def test_unexpected_error_is_500_without_trace(
    mock_server: MockServer, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An internal bug answers a 500 JSON error, not a stack trace."""

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(mock_server.state.store, "list", boom)
    with httpx.Client(
        transport=mock_server.transport(),
        base_url=mock_server.base_url,
        headers=mock_server.headers,
    ) as http:
        response = http.get("/jobs")
    assert response.status_code == 500
    assert response.json()["errors"][0]["code"] == "internal_error"
    assert "secret" not in response.text
