"""The client's own invariants are explicit checks, not `assert`s: they hold under `python -O`
and fail with a typed error (`InvariantError`, a `QiskitRuntimeError` and `RuntimeError`)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from http import HTTPStatus

import httpx
import pytest

from qiskit_runtime_jobs import QiskitRuntimeError, VirtualClock, WaitTimeoutError
from qiskit_runtime_jobs._async.iam import AsyncIAMAuth
from qiskit_runtime_jobs._core import parsed as _parsed
from qiskit_runtime_jobs._create import CreatePlan, lookup, plan_create
from qiskit_runtime_jobs._errors import InvariantError
from qiskit_runtime_jobs._settings import resolve_settings
from qiskit_runtime_jobs._sync.iam import SyncIAMAuth
from qiskit_runtime_jobs._wait import Poll
from qiskit_runtime_jobs_generated.types import Response

from ..overlay_results.conftest import make_job

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/acct:inst::"


def test_invariant_error_is_a_package_error_and_a_runtime_error() -> None:
    assert issubclass(InvariantError, QiskitRuntimeError)
    assert issubclass(InvariantError, RuntimeError)


def test_a_model_call_answered_without_its_model_is_an_invariant_error() -> None:
    """`_parsed` (what every plain method returns through) checks the model is there."""
    empty: Response[object] = Response(HTTPStatus.OK, b"", httpx.Headers(), None)
    with pytest.raises(InvariantError, match="200 answer came back without the model"):
        _parsed(empty)
    assert _parsed(Response(HTTPStatus.OK, b"{}", httpx.Headers(), "job")) == "job"


def test_a_plan_without_a_tag_is_never_looked_up() -> None:
    """A create whose 8 tag places are taken has no tag: looking it up is refused, typed."""
    settings = resolve_settings(token="t", crn=CRN)
    full = plan_create("sampler", {"tags": [f"t{i}" for i in range(8)]})
    assert full.tag is None
    with pytest.raises(InvariantError, match="without an idempotency tag"):
        lookup(settings, full)
    tagged = plan_create("sampler", {})
    assert isinstance(tagged, CreatePlan)
    assert lookup(settings, tagged).kwargs["tags"] == [tagged.tag]


def test_an_iam_auth_serves_only_the_client_it_was_made_for() -> None:
    """Each IAM auth is made for one kind of client: the other kind's flow raises instead of
    sending the request without a token."""
    never = httpx.MockTransport(lambda request: pytest.fail("no exchange may be sent"))

    async def never_async(request: httpx.Request) -> httpx.Response:
        pytest.fail("no exchange may be sent")

    request = httpx.Request("GET", "https://example.invalid/jobs")
    for_async = AsyncIAMAuth(
        "key", async_transport=httpx.MockTransport(never_async), clock=VirtualClock()
    )
    with pytest.raises(InvariantError, match="AsyncIAMAuth serves only the client"):
        next(for_async.sync_auth_flow(request))
    for_sync = SyncIAMAuth("key", transport=never, clock=VirtualClock())

    async def first_request() -> httpx.Request:
        return await anext(for_sync.async_auth_flow(request))

    with pytest.raises(InvariantError, match="SyncIAMAuth serves only the client"):
        asyncio.run(first_request())
    for_sync.close()
    asyncio.run(for_async.aclose())


def test_a_timed_out_wait_always_knows_its_timeout() -> None:
    """The timeout is kept with its deadline: a wait that times out reports that timeout."""
    clock = VirtualClock()
    poll = Poll("j", 2, clock)
    running = make_job("Running")
    while (delay := poll.delay(running)) is not None:
        clock.sleep(delay)
    assert poll.timed_out
    with pytest.raises(WaitTimeoutError) as info:
        poll.finish(running)
    assert (info.value.timeout, info.value.last_status) == (2, "Running")
    endless = Poll("j", None, clock)
    assert endless.delay(running) == 1.0
    assert not endless.timed_out


def test_the_checks_hold_under_python_dash_o() -> None:
    """Under `python -O` (asserts stripped) each invariant still raises InvariantError."""
    script = textwrap.dedent(
        f"""
        assert False, "asserts run: this is not python -O"
        import httpx
        from http import HTTPStatus
        from qiskit_runtime_jobs import VirtualClock
        from qiskit_runtime_jobs._core import parsed as _parsed
        from qiskit_runtime_jobs._create import lookup, plan_create
        from qiskit_runtime_jobs._errors import InvariantError
        from qiskit_runtime_jobs._async.iam import AsyncIAMAuth
        from qiskit_runtime_jobs._settings import resolve_settings
        from qiskit_runtime_jobs_generated.types import Response

        settings = resolve_settings(token="t", crn={CRN!r})
        full = plan_create("sampler", {{"tags": [str(i) for i in range(8)]}})
        checks = {{
            "parsed": lambda: _parsed(Response(HTTPStatus.OK, b"", httpx.Headers(), None)),
            "lookup": lambda: lookup(settings, full),
            "iam": lambda: next(AsyncIAMAuth(
                "k", async_transport=httpx.AsyncHTTPTransport(), clock=VirtualClock()
            ).sync_auth_flow(httpx.Request("GET", "https://example.invalid"))),
        }}
        for name, check in checks.items():
            try:
                check()
            except InvariantError:
                print(name, "raised")
            else:
                print(name, "passed silently")
        """
    )
    done = subprocess.run(
        [sys.executable, "-O", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["parsed raised", "lookup raised", "iam raised"]
