"""GET /openapi.yaml and /openapi.json: the exact spec the mock implements, without auth."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import httpx
import pytest
import yaml

import qiskit_runtime_jobs_mock
from qiskit_runtime_jobs_mock import ROUTES, MockServer
from qiskit_runtime_jobs_mock._spec import parse_yaml

SPEC_FILE = Path(__file__).resolve().parents[2] / "openapi" / "qiskit-runtime-jobs.yaml"
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture
def anonymous(asgi_client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The in-process client without any credentials."""
    for name in ("Authorization", "Service-CRN", "IBM-API-Version"):
        asgi_client.headers.pop(name)
    return asgi_client


@pytest.mark.asyncio
async def test_yaml_is_the_spec_file_byte_for_byte(anonymous: httpx.AsyncClient) -> None:
    """/openapi.yaml answers the spec file as is, as application/yaml, with a request id."""
    response = await anonymous.get("http://mock.test/openapi.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/yaml"
    assert response.headers["x-request-id"]
    assert response.content == SPEC_FILE.read_bytes()


@pytest.mark.asyncio
async def test_json_is_the_same_document(anonymous: httpx.AsyncClient) -> None:
    """/openapi.json answers the same document as JSON."""
    response = await anonymous.get("http://mock.test/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == yaml.safe_load(SPEC_FILE.read_bytes())


@pytest.mark.asyncio
async def test_served_spec_describes_the_served_routes(anonymous: httpx.AsyncClient) -> None:
    """Every operation of the served spec is a route of this mock, and the other way round."""
    spec = (await anonymous.get("http://mock.test/openapi.json")).json()
    operations = {
        item[method]["operationId"]: (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in METHODS
        if method in item
    }
    assert operations == {name: (method, path) for name, (method, path, _) in ROUTES.items()}


@pytest.mark.asyncio
async def test_spec_routes_are_outside_the_api(anonymous: httpx.AsyncClient) -> None:
    """Under /api/v1 there is no spec; other methods answer 405 in the error shape."""
    assert (await anonymous.get("/openapi.json")).status_code == 404
    response = await anonymous.post("http://mock.test/openapi.json")
    assert response.status_code == 405
    assert response.json()["errors"][0]["code"] == "method_not_allowed"


@pytest.mark.loopback
def test_served_over_loopback(mock_server: MockServer) -> None:
    """A running server serves it at spec_url (and HEAD works too)."""
    assert mock_server.spec_url == mock_server.root_url + "/openapi.json"
    assert httpx.get(mock_server.spec_url).json()["openapi"].startswith("3.1")
    head = httpx.head(mock_server.root_url + "/openapi.yaml")
    assert head.status_code == 200
    assert int(head.headers["content-length"]) == SPEC_FILE.stat().st_size


def test_spec_is_package_data() -> None:
    """The package ships openapi.yaml, a relative symlink in a checkout (a copy in a wheel)."""
    resource = files(qiskit_runtime_jobs_mock).joinpath("openapi.yaml")
    assert resource.read_bytes() == SPEC_FILE.read_bytes()
    link = Path(qiskit_runtime_jobs_mock.__file__).with_name("openapi.yaml")
    if link.is_symlink():
        assert not os.path.isabs(os.readlink(link))


def test_json_reading_keeps_dates_as_text() -> None:
    """An unquoted date stays a string (YAML 1.2, as OpenAPI tools read it), so JSON holds it."""
    assert parse_yaml(b"example: 2026-03-15\nn: 1\nflag: true") == {
        "example": "2026-03-15",
        "n": 1,
        "flag": True,
    }
