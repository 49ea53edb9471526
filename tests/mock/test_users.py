"""A job belongs to the user who created it: to anyone else it does not exist.

Two users share one instance. Every operation on a job by id, sent by the other user, answers
exactly what an unknown id answers (404 ``job_not_found``), and changes nothing: the owner
still reads, retags, cancels, deletes it and gets its private result once.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from qiskit_runtime_jobs_mock import (
    DEFAULT_CRN,
    MockConfig,
    MockEndpoint,
    VirtualClock,
    serve_in_process,
)
from qiskit_runtime_jobs_mock._banner import banner
from qiskit_runtime_jobs_mock.cli import build_parser, config_from_args
from tests.mock.conftest import create_job, mock_client

ALICE_TOKEN, BOB_TOKEN = "alice-token", "bob-token"
UNKNOWN_ID = "cv0000000000000000no"

MakeServer = Callable[..., tuple[MockEndpoint, httpx.Client]]

# Every operation on one job, as (method, path below /jobs/{id}, body).
BY_ID: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "", None),
    ("GET", "?exclude_params=false", None),
    ("GET", "/logs", None),
    ("GET", "/metrics", None),
    ("GET", "/results", None),
    ("PUT", "/tags", {"tags": ["bob-was-here"]}),
    ("POST", "/cancel", None),
    ("DELETE", "", None),
]


@contextmanager
def _two_users(make_server: MakeServer) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """Clients of Alice and Bob, two users of the same instance of one mock."""
    server, _ = make_server(
        tokens={ALICE_TOKEN: "alice", BOB_TOKEN: "bob"}, rate_limit_per_minute=None
    )
    with (
        mock_client(
            server, headers={**server.headers, "Authorization": f"Bearer {ALICE_TOKEN}"}
        ) as alice,
        mock_client(
            server, headers={**server.headers, "Authorization": f"Bearer {BOB_TOKEN}"}
        ) as bob,
    ):
        yield alice, bob


def _error(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["errors"][0]
    return error


@pytest.mark.loopback  # the users reach the mock over real HTTP, as two clients would
@pytest.mark.parametrize(("method", "suffix", "body"), BY_ID)
def test_another_users_job_is_not_found(
    make_server: MakeServer,
    clock: VirtualClock,
    method: str,
    suffix: str,
    body: dict[str, Any] | None,
) -> None:
    """Bob gets, for Alice's job, exactly the 404 of an unknown id, whatever the operation,
    and it changes nothing for Alice."""
    with _two_users(make_server) as (alice, bob):
        job_id = create_job(
            alice,
            private=True,
            params={"mock": {"queued_seconds": 0, "running_seconds": 1}},
            tags=["alice"],
        )
        clock.advance(2)  # completed: deletable, its private result ready
        foreign = bob.request(method, f"/jobs/{job_id}{suffix}", json=body)
        unknown = bob.request(method, f"/jobs/{UNKNOWN_ID}{suffix}", json=body)
        assert foreign.status_code == unknown.status_code == 404, foreign.text
        assert _error(foreign) == {
            **_error(unknown),
            "message": _error(unknown)["message"].replace(UNKNOWN_ID, job_id),
        }
        # Alice's job is there as she left it, and its result is still unread.
        mine = alice.get(f"/jobs/{job_id}")
        assert mine.status_code == 200
        assert (mine.json()["tags"], mine.json()["status"]) == (["alice"], "Completed")
        result = alice.get(f"/jobs/{job_id}/results")
        assert result.status_code == 200
        assert result.json()
        assert alice.get(f"/jobs/{job_id}/results").status_code == 204  # read once


@pytest.mark.loopback
def test_another_users_running_job_stays_running(
    make_server: MakeServer, clock: VirtualClock
) -> None:
    """Cancelling or deleting Alice's running job as Bob is a 404 and leaves it running."""
    with _two_users(make_server) as (alice, bob):
        job_id = create_job(alice, params={"mock": {"queued_seconds": 0}})
        clock.advance(1)
        assert bob.post(f"/jobs/{job_id}/cancel").status_code == 404
        assert bob.delete(f"/jobs/{job_id}").status_code == 404
        assert alice.get(f"/jobs/{job_id}").json()["status"] == "Running"
        assert alice.post(f"/jobs/{job_id}/cancel").status_code == 204


def test_each_user_lists_only_their_jobs(make_server: MakeServer) -> None:
    """The listing of each user holds their own jobs only."""
    with _two_users(make_server) as (alice, bob):
        alices, bobs = create_job(alice), create_job(bob)
        assert [j["id"] for j in alice.get("/jobs").json()["jobs"]] == [alices]
        assert [j["id"] for j in bob.get("/jobs").json()["jobs"]] == [bobs]


def test_cli_token_and_api_key_take_a_user() -> None:
    """``--token USER:TOKEN`` and ``--api-key USER:KEY`` give each credential its user; a bare
    one belongs to ``--user``."""
    args = build_parser().parse_args(
        [
            "--token",
            "alice:A",
            "--token",
            "bob:B",
            "--token",
            "C",
            "--api-key",
            "alice:KA",
            "--api-key",
            "KC",
            "--user",
            "carol",
        ]
    )
    config = config_from_args(args)
    assert config.tokens == {"A": "alice", "B": "bob", "C": "carol"}
    assert config.api_keys == {"KA": "alice", "KC": "carol"}


def test_cli_users_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """QRJ_MOCK_TOKEN and QRJ_MOCK_API_KEY take the same USER:CREDENTIAL items."""
    monkeypatch.setenv("QRJ_MOCK_TOKEN", "alice:A, bob:B")
    monkeypatch.setenv("QRJ_MOCK_API_KEY", "bob:KB")
    config = config_from_args(build_parser().parse_args([]))
    assert config.tokens == {"A": "alice", "B": "bob"}
    assert config.api_keys == {"KB": "bob"}


@pytest.mark.parametrize("bad", ["alice:", ":A", ""])
def test_cli_rejects_an_empty_user_or_token(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An empty user or credential is a usage error naming the option."""
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["--token", bad])
    assert exit_info.value.code == 2
    assert "--token" in capsys.readouterr().err


def test_cli_help_explains_users(capsys: pytest.CaptureFixture[str]) -> None:
    """The help says how to give a token or key its own user."""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--token [USER:]TOKEN" in out
    assert "--api-key [USER:]KEY" in out


@pytest.mark.loopback  # a subprocess serving on a real port
def test_cli_serves_two_users_apart() -> None:
    """Started with two users, the command keeps their jobs apart over HTTP."""
    code = textwrap.dedent(
        """
        import sys
        from qiskit_runtime_jobs_mock.cli import main
        sys.exit(main(["--port", "0", "--token", "alice:A", "--token", "bob:B",
                       "--no-access-log", "--log-level", "warning"]))
        """
    )
    process = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    try:
        base_url = process.stderr.readline().split()[4]
        for line in process.stderr:  # the rest of the banner
            if line.lstrip().startswith("try:"):
                break
        common = {"Service-CRN": DEFAULT_CRN, "IBM-API-Version": "2026-03-15"}
        alice = {**common, "Authorization": "Bearer A"}
        bob = {**common, "Authorization": "Bearer B"}
        created = httpx.post(base_url + "/jobs", json={"program_id": "p"}, headers=alice)
        assert created.status_code == 200
        job_id = created.json()["id"]
        assert httpx.get(f"{base_url}/jobs/{job_id}", headers=alice).status_code == 200
        assert httpx.get(f"{base_url}/jobs/{job_id}", headers=bob).status_code == 404
        assert httpx.get(base_url + "/jobs", headers=bob).json()["count"] == 0
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def test_banner_says_whose_each_credential_is() -> None:
    """With several users, the banner says which token and key belong to whom."""
    config = MockConfig(
        tokens={"A": "alice", "B": "bob"}, api_keys={"KA": "alice"}, clock=VirtualClock()
    )
    with serve_in_process(config) as server:
        lines = banner(server).splitlines()
    assert (
        "  users:           alice: Bearer A, key KA; bob: Bearer B (each sees only their own jobs)"
    ) in lines
    with serve_in_process(MockConfig(clock=VirtualClock())) as server:
        assert "users:" not in banner(server)  # one user: nothing to tell apart
