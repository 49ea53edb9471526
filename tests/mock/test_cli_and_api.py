"""The console entry, the pytest plugin, in-process use, and the package's public surface."""

from __future__ import annotations

import datetime as dt
import json
import queue
import subprocess
import sys
import textwrap
import threading

import httpx
import pytest

import qiskit_runtime_jobs_mock
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, Fault, SystemClock
from qiskit_runtime_jobs_mock.cli import build_parser, config_from_args


def test_public_api_is_pinned() -> None:
    """__all__ is explicit, isort-sorted (constants, classes, functions), and pinned."""
    expected = [
        "DEFAULT_API_KEY",
        "DEFAULT_CRN",
        "DEFAULT_TOKEN",
        "DEFAULT_USER",
        "ROUTES",
        "Clock",
        "Fault",
        "InProcessMock",
        "MockConfig",
        "MockEndpoint",
        "MockServer",
        "MockState",
        "SystemClock",
        "VirtualClock",
        "create_app",
        "serve",
        "serve_in_process",
    ]
    assert qiskit_runtime_jobs_mock.__all__ == expected


def test_route_table_is_keyed_by_operation_id() -> None:
    """ROUTES maps every spec operationId to its method and path."""
    assert {k: v[:2] for k, v in qiskit_runtime_jobs_mock.ROUTES.items()} == {
        "create_job": ("POST", "/jobs"),
        "list_jobs": ("GET", "/jobs"),
        "get_job": ("GET", "/jobs/{id}"),
        "delete_job": ("DELETE", "/jobs/{id}"),
        "cancel_job": ("POST", "/jobs/{id}/cancel"),
        "get_job_logs": ("GET", "/jobs/{id}/logs"),
        "get_job_metrics": ("GET", "/jobs/{id}/metrics"),
        "get_job_results": ("GET", "/jobs/{id}/results"),
        "replace_job_tags": ("PUT", "/jobs/{id}/tags"),
    }


@pytest.mark.loopback  # a subprocess
def test_mock_imports_neither_the_overlay_nor_the_generated_client() -> None:
    """The mock shares no code with the client it tests."""
    code = textwrap.dedent(
        """
        import sys, qiskit_runtime_jobs_mock.cli
        bad = [m for m in sys.modules if m.startswith("qiskit_runtime_jobs")
               and not m.startswith("qiskit_runtime_jobs_mock")]
        print(bad)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_options_build_the_config() -> None:
    """Each CLI option lands in MockConfig."""
    fault = '{"route": "create_job", "kind": "status", "status": 502, "when": "after"}'
    args = build_parser().parse_args(
        [
            "--token",
            "T1",
            "--token",
            "T2",
            "--crn",
            "C",
            "--api-key",
            "K",
            "--user",
            "u",
            "--rate-limit",
            "off",
            "--usage-limit",
            "100",
            "--queued-seconds",
            "0",
            "--running-seconds",
            "2",
            "--time-speed",
            "60",
            "--result-bytes",
            "1000",
            "--min-api-version",
            "2026-04-15",
            "--token-lifetime",
            "30",
            "--keep-alive",
            "2",
            "--header-timeout",
            "3",
            "--body-timeout",
            "4",
            "--fault",
            fault,
        ]
    )
    config = config_from_args(args)
    assert config.tokens == {"T1": "u", "T2": "u"}
    assert config.instances == {"C": None}
    assert config.api_keys == {"K": "u"}
    assert config.rate_limit_per_minute is None
    assert config.usage_limit_seconds == 100
    assert (config.queued_seconds, config.running_seconds) == (0, 2)
    assert isinstance(config.clock, SystemClock)
    assert config.clock.speed == 60
    assert config.result_bytes == 1000
    assert config.min_api_version == dt.date(2026, 4, 15)
    assert config.iam_token_lifetime_seconds == 30
    assert (config.keep_alive_seconds, config.header_timeout_seconds) == (2, 3)
    assert config.body_timeout_seconds == 4
    assert config.faults == (Fault(route="create_job", status=502, when="after"),)


def test_cli_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without options the defaults apply; QRJ_MOCK_* variables override them."""
    config = config_from_args(build_parser().parse_args([]))
    assert config.tokens == {DEFAULT_TOKEN: "mock-user"}
    assert config.instances == {DEFAULT_CRN: None}
    assert config.rate_limit_per_minute == 5
    monkeypatch.setenv("QRJ_MOCK_TOKEN", "a,b")
    monkeypatch.setenv("QRJ_MOCK_RATE_LIMIT", "7")
    config = config_from_args(build_parser().parse_args([]))
    assert set(config.tokens) == {"a", "b"}
    assert config.rate_limit_per_minute == 7


def test_cli_rejects_a_bad_fault(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --fault is a usage error, not a traceback."""
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["--fault", '{"route": "x", "kind": "boom"}'])
    assert exit_info.value.code == 2
    assert "bad --fault" in capsys.readouterr().err


@pytest.mark.loopback  # a subprocess serving on a real port
def test_cli_main_serves_over_http() -> None:
    """`main` runs a real server: it prints its banner, then one log line per request."""
    code = "from qiskit_runtime_jobs_mock.cli import main; main(['--port', '0', '--token', 'T'])"
    process = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    stderr = process.stderr
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:  # the queue gives readline a timeout
        for line in stderr:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        printed = [lines.get(timeout=10)]
        while not printed[-1].lstrip().startswith("try:"):
            printed.append(lines.get(timeout=10))
        base_url = printed[0].split()[4]
        assert "  Authorization:   Bearer T\n" in printed
        headers = {
            "Authorization": "Bearer T",
            "Service-CRN": DEFAULT_CRN,
            "IBM-API-Version": "2026-04-15",
        }
        response = httpx.post(base_url + "/jobs", json={"program_id": "p"}, headers=headers)
        assert response.status_code == 200
        assert json.loads(response.text)["backend"] == "ibm_mock_backend"
        logged = lines.get(timeout=10)
        while "/api/v1/jobs" not in logged:  # past uvicorn's own startup lines
            logged = lines.get(timeout=10)
        assert logged.startswith("INFO:     POST /api/v1/jobs 200 ")
        assert logged.rstrip().endswith(f"id={response.headers['X-Request-ID']}")
    finally:
        process.terminate()
        process.wait(timeout=10)
        stderr.close()


@pytest.mark.loopback
def test_pytest_plugin_fixture(mock_server: qiskit_runtime_jobs_mock.MockServer) -> None:
    """Marked `loopback`, mock_server serves on a free loopback port with usable headers."""
    assert mock_server.base_url.startswith("http://127.0.0.1:")
    assert mock_server.base_url.endswith("/api/v1")
    response = httpx.get(mock_server.base_url + "/jobs", headers=mock_server.headers)
    assert response.status_code == 200


@pytest.mark.asyncio
async def test_in_process_asgi_app(asgi_client: httpx.AsyncClient) -> None:
    """create_app() works in-process through httpx.ASGITransport, with no sockets."""
    created = await asgi_client.post("/jobs", json={"program_id": "sampler"})
    assert created.status_code == 200
    listed = await asgi_client.get("/jobs")
    assert listed.json()["count"] == 1


def test_state_add_job_creates_as_post_jobs_does(make_server) -> None:
    """MockState.add_job: a job as POST /jobs makes it, for the user of `headers` unless told,
    with the same checks."""
    server, http = make_server(tokens={"T": "alice", "U": "bob"})
    job_id = server.state.add_job({"program_id": "sampler", "tags": ["seeded"]})
    bobs = server.state.add_job({"program_id": "sampler"}, user_id="bob")
    listed = http.get("/jobs").json()  # as alice: the first token's user
    assert [(j["id"], j["tags"], j["user_id"]) for j in listed["jobs"]] == [
        (job_id, ["seeded"], "alice")
    ]
    assert http.get(f"/jobs/{bobs}").status_code == 404
    with pytest.raises(ValueError, match=r"^400 invalid_field: 'cost' must be >= 0\.$"):
        server.state.add_job({"program_id": "sampler", "cost": -1})
