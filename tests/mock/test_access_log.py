"""The request log: one line per request, never a credential; off unless asked for."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from starlette.applications import Starlette

from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, Fault, MockConfig, create_app, serve
from qiskit_runtime_jobs_mock.cli import build_parser, config_from_args

LOGGER = "qiskit_runtime_jobs_mock.access"
LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}|-) \d+\.\dms id=(?P<id>\S+)")
TOKEN = "secret-token-123"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/secret-acct:secret-inst::"


@pytest.fixture
def log_config(mock_server_config: MockConfig) -> MockConfig:
    return dataclasses.replace(
        mock_server_config, access_log=True, tokens={TOKEN: "u"}, instances={CRN: None}
    )


@pytest.fixture
def log_app(log_config: MockConfig) -> Starlette:
    """An in-process mock with the request log on."""
    return create_app(log_config)


@pytest_asyncio.fixture
async def logged(
    log_app: Starlette, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[tuple[httpx.AsyncClient, pytest.LogCaptureFixture]]:
    """A client of ``log_app``, and the captured log lines."""
    caplog.set_level(logging.INFO, logger=LOGGER)
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Service-CRN": CRN,
        "IBM-API-Version": "2026-03-15",
    }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=log_app), base_url="http://mock.test", headers=headers
    ) as http:
        yield http, caplog


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


@pytest.mark.asyncio
async def test_one_line_per_request_with_status_and_request_id(
    logged: tuple[httpx.AsyncClient, pytest.LogCaptureFixture],
) -> None:
    """Each request logs method, path, status, duration and the request id it was answered."""
    http, caplog = logged
    created = await http.post("/api/v1/jobs", json={"program_id": "sampler"})
    await http.get("/api/v1/jobs/nojob", headers={"X-Request-ID": "trace-7"})
    spec = await http.get("/openapi.yaml")
    lines = _lines(caplog)
    assert len(lines) == 3
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m["method"], m["path"], m["status"]) for m in parsed if m] == [
        ("POST", "/api/v1/jobs", "200"),
        ("GET", "/api/v1/jobs/nojob", "404"),
        ("GET", "/openapi.yaml", "200"),
    ]
    ids = [m["id"] for m in parsed if m]
    assert ids == [
        created.headers["X-Request-ID"],
        "trace-7",
        spec.headers["X-Request-ID"],
    ]
    assert all(record.levelno == logging.INFO for record in caplog.records)


@pytest.mark.asyncio
async def test_credentials_never_reach_the_log(
    logged: tuple[httpx.AsyncClient, pytest.LogCaptureFixture],
) -> None:
    """Neither the token, the CRN, an API key, nor the query string appears in the log."""
    http, caplog = logged
    await http.get("/api/v1/jobs", params={"backend": TOKEN})
    await http.post(
        "/identity/token",
        data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": DEFAULT_API_KEY},
    )
    await http.get("/api/v1/jobs", headers={"Authorization": f"Bearer {TOKEN}x"})
    text = "\n".join(_lines(caplog))
    assert len(_lines(caplog)) == 3
    for secret in (TOKEN, CRN, "secret", DEFAULT_API_KEY, "backend="):
        assert secret not in text


@pytest.mark.asyncio
async def test_crafted_paths_stay_on_one_line(
    logged: tuple[httpx.AsyncClient, pytest.LogCaptureFixture],
) -> None:
    """A path with an encoded newline is logged re-encoded, so it cannot forge a log line."""
    http, caplog = logged
    await http.get("/api/v1/jobs/x%0AGET%20/fake%20200")
    [line] = _lines(caplog)
    assert "\n" not in line
    assert line.startswith("GET /api/v1/jobs/x%0AGET%20/fake%20200 404 ")


@pytest.mark.asyncio
async def test_fault_is_named(
    log_app: Starlette, logged: tuple[httpx.AsyncClient, pytest.LogCaptureFixture]
) -> None:
    """A request struck by an injected fault says so."""
    http, caplog = logged
    log_app.state.mock.faults.add(Fault(route="list_jobs", status=503))
    await http.get("/api/v1/jobs")
    [line] = _lines(caplog)
    assert " 503 " in line
    assert line.endswith(" fault=status;when=before")


@pytest.mark.asyncio
async def test_off_by_default(
    asgi_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """MockConfig() (and so serve() and the pytest fixture) logs no requests."""
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    assert MockConfig().access_log is False
    await asgi_client.get("/jobs")
    assert _lines(caplog) == []


@pytest.mark.loopback  # a dropped connection
def test_loopback_server_logs_dropped_connections(
    log_config: MockConfig, caplog: pytest.LogCaptureFixture
) -> None:
    """Over real HTTP too; a request whose connection the mock drops logs status '-'."""
    caplog.set_level(logging.INFO, logger=LOGGER)
    config = dataclasses.replace(log_config, faults=(Fault(route="get_job", kind="drop"),))
    with serve(config) as server:
        headers = {"Authorization": f"Bearer {TOKEN}", "Service-CRN": CRN}
        headers["IBM-API-Version"] = "2026-03-15"
        with httpx.Client(base_url=server.base_url, headers=headers) as http:
            assert http.get("/jobs").status_code == 200
            with pytest.raises(httpx.TransportError):
                http.get("/jobs/abc")
    lines = _lines(caplog)
    assert [line.split()[:3] for line in lines] == [
        ["GET", "/api/v1/jobs", "200"],
        ["GET", "/api/v1/jobs/abc", "-"],
    ]


def test_cli_turns_it_on_unless_silenced(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI logs requests by default; --no-access-log or QRJ_MOCK_ACCESS_LOG=off silence it."""
    assert config_from_args(build_parser().parse_args([])).access_log is True
    assert config_from_args(build_parser().parse_args(["--no-access-log"])).access_log is False
    monkeypatch.setenv("QRJ_MOCK_ACCESS_LOG", "off")
    assert config_from_args(build_parser().parse_args([])).access_log is False
    assert config_from_args(build_parser().parse_args(["--access-log"])).access_log is True
