"""The startup banner: the URL, credentials, API versions, limits and timings a client needs."""

from __future__ import annotations

import shlex

import httpx
import pytest

from qiskit_runtime_jobs_mock import MockConfig, SystemClock, VirtualClock, serve, serve_in_process
from qiskit_runtime_jobs_mock._banner import banner


def test_banner_shows_the_configured_values() -> None:
    """Every configured credential, the oldest API version, the limits and the timings."""
    config = MockConfig(
        tokens={"T1": "u", "T2": "u"},
        api_keys={"K1": "u"},
        instances={"crn:a": None, "crn:b": None},
        rate_limit_per_minute=7,
        usage_limit_seconds=100,
        queued_seconds=2,
        running_seconds=5,
        clock=SystemClock(speed=10),
    )
    with serve_in_process(config) as server:
        text = banner(server)
    lines = text.splitlines()
    assert lines[0] == f"Qiskit Runtime Jobs mock: {server.base_url}"
    assert "  Authorization:   Bearer T1  (also accepted: T2)" in lines
    assert f"  IAM API key:     K1  -> POST {server.root_url}/identity/token" in lines
    assert "  Service-CRN:     crn:a  (also accepted: crn:b)" in lines
    assert "  IBM-API-Version: 2026-03-15 (or any later date)" in lines
    assert (
        "  limits:          7 job creations per minute per user; 100 QPU seconds per instance"
        in lines
    )
    assert any("Queued 2s, then Running 5s (clock runs 10x real time)" in line for line in lines)
    assert f"  spec:            {server.spec_url}  {server.root_url}/openapi.yaml" in lines


@pytest.mark.loopback  # curl's URL is fetched over HTTP
def test_banner_curl_line_can_be_copied() -> None:
    """The `try:` line is a working command: its headers and URL list jobs."""
    with serve(MockConfig(clock=VirtualClock())) as server:
        line = banner(server).splitlines()[-1]
        label, _, command = line.partition(":")
        assert label.strip() == "try"
        argv = shlex.split(command)
        assert argv[0] == "curl"
        headers = dict(argv[i + 1].split(": ", 1) for i in range(1, len(argv) - 1, 2))
        response = httpx.get(argv[-1], headers=headers)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_banner_without_limits_static_tokens_or_real_time() -> None:
    """Limits off, IAM-only credentials, a virtual clock and a timing cycle are all stated."""
    config = MockConfig(
        tokens={},
        rate_limit_per_minute=None,
        timing_cycle=((0, 0), (0.5, 2)),
        clock=VirtualClock(),
    )
    with serve_in_process(config) as server:
        text = banner(server)
    assert "Bearer <a token from the IAM endpoint>" in text
    assert "no rate limit; no QPU usage limit" in text
    assert "jobs in turn: 0s/0s, 0.5s/2s (queued/running)" in text
    assert "virtual clock" in text
    assert "curl" not in text  # no static token to put in a command
