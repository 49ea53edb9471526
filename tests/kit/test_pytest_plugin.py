"""The pytest plugin's fixtures, used exactly as a user's suite uses them: registered by the
`pytest11` entry point, with no `pytest_plugins` line and no conftest."""

from __future__ import annotations

import textwrap

import httpx
import pytest

from qiskit_runtime_jobs import Client, VirtualClock
from qiskit_runtime_jobs_kit._spec_facts import TERMINAL_STATUSES as TERMINAL
from qiskit_runtime_jobs_kit.pytest_plugin import RunningMock

pytest_plugins = ["pytester"]


def _status(job: object) -> str:
    status = job.status  # type: ignore[attr-defined]
    return str(getattr(status, "value", status))


def test_the_mock_fixture_says_where_it_is_and_what_to_send(
    qiskit_runtime_mock: RunningMock,
) -> None:
    mock = qiskit_runtime_mock
    assert mock.base_url.startswith("http://127.0.0.1:")
    assert mock.base_url.endswith("/api/v1")
    assert mock.token
    assert mock.crn.startswith("crn:")
    assert mock.token in mock.headers["Authorization"]
    assert mock.headers["Service-CRN"] == mock.crn
    assert isinstance(mock.clock, VirtualClock)
    assert mock.token not in repr(mock)
    assert mock.base_url in repr(mock)


def test_the_mock_answers_raw_requests_with_its_headers(
    qiskit_runtime_mock: RunningMock,
) -> None:
    response = httpx.get(
        f"{qiskit_runtime_mock.base_url}/jobs", headers=qiskit_runtime_mock.headers, timeout=30
    )
    assert response.status_code == 200, response.text
    assert isinstance(response.json()["jobs"], list)
    refused = httpx.get(f"{qiskit_runtime_mock.base_url}/jobs", timeout=30)
    assert refused.status_code == 401  # the headers are what makes the difference


def test_the_client_waits_on_the_shared_virtual_clock(
    qiskit_runtime_mock: RunningMock, qiskit_runtime_client: Client
) -> None:
    # The mock's defaults: 1 s queued + 3 s running, on the shared virtual clock.
    clock = qiskit_runtime_mock.clock
    start = clock.now()
    created = qiskit_runtime_client.create_job(program_id="sampler")
    assert _status(qiskit_runtime_client.get_job(created.id)) not in TERMINAL
    finished = qiskit_runtime_client.wait(created.id, timeout=600)
    assert _status(finished) == "Completed"
    assert clock.now() - start >= 4.0  # the wait slept on virtual time, and the mock saw it
    assert sum(clock.sleeps) >= 4.0


@pytest.mark.parametrize(
    "clock", ["None", "SystemClock()"], ids=["real-time-default", "system-clock"]
)
def test_a_non_virtual_clock_fails_clearly(pytester: pytest.Pytester, clock: str) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            f"""
            import pytest
            from qiskit_runtime_jobs import SystemClock
            from qiskit_runtime_jobs_mock import MockConfig


            @pytest.fixture
            def qiskit_runtime_mock_config():
                return MockConfig(clock={clock})


            def test_uses_the_mock(qiskit_runtime_mock):
                pass
            """
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", timeout=120)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*qiskit_runtime_mock_config must use qiskit_runtime_jobs.VirtualClock*"]
    )
    assert "Traceback" not in result.stdout.str()  # pytrace=False: the message, not a stack


def test_an_overridden_config_reaches_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            """
            import pytest
            from qiskit_runtime_jobs import VirtualClock
            from qiskit_runtime_jobs_mock import MockConfig


            @pytest.fixture
            def qiskit_runtime_mock_config():
                return MockConfig(clock=VirtualClock(), queued_seconds=0, running_seconds=0)


            def test_finishes_at_once(qiskit_runtime_mock, qiskit_runtime_client):
                clock = qiskit_runtime_mock.clock
                job = qiskit_runtime_client.create_job("sampler")
                done = qiskit_runtime_client.wait(job.id, timeout=60)
                assert str(getattr(done.status, "value", done.status)) == "Completed"
                assert clock.now() < 4.0
            """
        )
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", timeout=120)
    result.assert_outcomes(passed=1)
