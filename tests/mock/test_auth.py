"""Authentication, instance and API-version rules, and the IAM-style token endpoint."""

from __future__ import annotations

import base64
import datetime as dt
import json

import httpx
import pytest

from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, DEFAULT_CRN, MockServer, VirtualClock
from tests.mock.conftest import HOOKS, mock_client

GRANT = "urn:ibm:params:oauth:grant-type:apikey"


def _error(response: httpx.Response) -> dict[str, object]:
    item: dict[str, object] = response.json()["errors"][0]
    return item


def test_missing_token_is_401(client: httpx.Client) -> None:
    """A request without Authorization answers 401 naming the header."""
    response = client.get("/jobs", headers={"Authorization": ""})
    assert response.status_code == 401
    assert _error(response)["target"] == {"type": "header", "name": "Authorization"}


@pytest.mark.parametrize("value", ["Bearer wrong", "Basic mock-token", "Bearer", "mock-token"])
def test_invalid_token_is_401(client: httpx.Client, value: str) -> None:
    """An unknown token or a non-Bearer scheme answers 401."""
    response = client.get("/jobs", headers={"Authorization": value})
    assert response.status_code == 401
    assert _error(response)["code"] == "invalid_token"


@pytest.mark.parametrize("crn", ["", "crn:v1:unknown"])
def test_unknown_or_missing_crn_is_403(client: httpx.Client, crn: str) -> None:
    """A valid token with a missing or unknown Service-CRN answers 403."""
    response = client.get("/jobs", headers={"Service-CRN": crn})
    assert response.status_code == 403
    assert _error(response)["target"] == {"type": "header", "name": "Service-CRN"}


def test_crn_of_another_user_is_403(make_server) -> None:
    """A token whose user is not allowed on the instance answers 403."""
    _, http = make_server(
        tokens={"alice-token": "alice", "bob-token": "bob"},
        instances={"crn:alice": frozenset({"alice"})},
    )
    headers = {"Service-CRN": "crn:alice"}
    ok = http.get("/jobs", headers={**headers, "Authorization": "Bearer alice-token"})
    denied = http.get("/jobs", headers={**headers, "Authorization": "Bearer bob-token"})
    assert ok.status_code == 200
    assert denied.status_code == 403
    assert _error(denied)["code"] == "instance_forbidden"


def test_jobs_are_scoped_to_their_instance(make_server) -> None:
    """A job created in one instance is not found through another."""
    _, http = make_server(instances={"crn:a": None, "crn:b": None})
    response = http.post("/jobs", json={"program_id": "sampler"}, headers={"Service-CRN": "crn:a"})
    job_id = response.json()["id"]
    assert http.get(f"/jobs/{job_id}", headers={"Service-CRN": "crn:a"}).status_code == 200
    assert http.get(f"/jobs/{job_id}", headers={"Service-CRN": "crn:b"}).status_code == 404


@pytest.mark.parametrize("version", ["2026-03-15", "2026-04-15", "2027-01-01"])
def test_api_versions_from_the_minimum_on_are_accepted(client: httpx.Client, version: str) -> None:
    """The documented version, the one IBM's client sends, and later dates are accepted."""
    assert client.get("/jobs", headers={"IBM-API-Version": version}).status_code == 200


@pytest.mark.parametrize(
    ("version", "code"),
    [
        ("", "missing_api_version"),
        ("2026-3-15", "invalid_api_version"),
        ("2026-02-30", "invalid_api_version"),
        ("latest", "invalid_api_version"),
        ("2026-03-14", "unsupported_api_version"),
    ],
)
def test_bad_api_version_is_400(client: httpx.Client, version: str, code: str) -> None:
    """A missing, malformed or too old IBM-API-Version answers 400 naming the header."""
    response = client.get("/jobs", headers={"IBM-API-Version": version})
    assert response.status_code == 400
    assert _error(response)["code"] == code
    assert _error(response)["target"] == {"type": "header", "name": "IBM-API-Version"}


def test_minimum_api_version_is_configurable(make_server) -> None:
    """``min_api_version`` moves the oldest accepted date."""
    _, http = make_server(min_api_version=dt.date(2026, 4, 15))
    assert http.get("/jobs", headers={"IBM-API-Version": "2026-03-15"}).status_code == 400
    assert http.get("/jobs", headers={"IBM-API-Version": "2026-04-15"}).status_code == 200


def _token(server: MockServer, apikey: str = DEFAULT_API_KEY) -> httpx.Response:
    with httpx.Client(transport=server.transport(), event_hooks=HOOKS) as http:
        return http.post(
            server.root_url + "/identity/token",
            data={"grant_type": GRANT, "apikey": apikey},
            headers={"Accept": "application/json"},
        )


def test_iam_exchanges_an_api_key_for_a_jwt_bearer_token(mock_server: MockServer) -> None:
    """POST /identity/token answers an IAM-shaped token whose JWT carries iat/exp."""
    response = _token(mock_server)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    claims_b64 = body["access_token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(claims_b64 + "=" * (-len(claims_b64) % 4)))
    assert claims["exp"] - claims["iat"] == 3600
    assert body["expiration"] == claims["exp"]
    headers = {**mock_server.headers, "Authorization": f"Bearer {body['access_token']}"}
    with mock_client(mock_server, headers=headers) as http:
        assert http.get("/jobs").status_code == 200


def test_iam_token_expires_on_the_clock(mock_server: MockServer, clock: VirtualClock) -> None:
    """A minted token answers 401 token_expired once its lifetime has passed."""
    token = _token(mock_server).json()["access_token"]
    headers = {**mock_server.headers, "Authorization": f"Bearer {token}"}
    with mock_client(mock_server, headers=headers) as http:
        clock.advance(3599)
        assert http.get("/jobs").status_code == 200
        clock.advance(1)
        expired = http.get("/jobs")
    assert expired.status_code == 401
    assert expired.json()["errors"][0]["code"] == "token_expired"


def test_iam_refresh_token_gives_a_new_access_token(mock_server: MockServer) -> None:
    """grant_type=refresh_token trades a refresh token for a fresh access token."""
    first = _token(mock_server).json()
    with httpx.Client(transport=mock_server.transport(), event_hooks=HOOKS) as http:
        response = http.post(
            mock_server.root_url + "/identity/token",
            data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        )
    assert response.status_code == 200
    assert response.json()["access_token"] != first["access_token"]


def test_iam_bad_api_key_is_400_in_iam_style(mock_server: MockServer) -> None:
    """An unknown API key answers 400 with IAM's errorCode/errorMessage fields."""
    response = _token(mock_server, apikey="nope")
    assert response.status_code == 400
    body = response.json()
    assert body["errorCode"] == "BXNIM0415E"
    assert body["trace"] == body["context"]["requestId"] == response.headers["X-Request-ID"]
    assert body["errors"][0]["target"] == {"type": "field", "name": "apikey"}


def test_static_token_does_not_expire(client: httpx.Client, clock: VirtualClock) -> None:
    """Configured tokens stay valid whatever the clock says."""
    clock.advance(10 * 365 * 24 * 3600)
    assert client.get("/jobs").status_code == 200


def test_default_crn_constant_is_accepted(client: httpx.Client) -> None:
    """The exported DEFAULT_CRN is the default instance."""
    assert client.get("/jobs", headers={"Service-CRN": DEFAULT_CRN}).status_code == 200
