"""Secrets never appear in reprs, exception messages or log records."""

from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from qiskit_runtime_jobs import AuthError, Client, QiskitRuntimeError
from qiskit_runtime_jobs._iam import BearerAuth
from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, DEFAULT_TOKEN, Fault, MockServer

from .conftest import seed_jobs


def _everything_said(caplog: pytest.LogCaptureFixture, *objects: object) -> str:
    texts = [repr(o) for o in objects] + [str(o) for o in objects]
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
    return "\n".join(texts)


def test_no_secret_anywhere(
    mock_server: MockServer,
    make_client: Callable[..., Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Across a busy session at DEBUG (httpx and httpcore too), neither secret is shown."""
    caplog.set_level(logging.DEBUG)
    (job_id,) = seed_jobs(mock_server, 1)
    mock_server.state.faults.add(Fault(route="get_job", status=503))
    key_client = make_client(api_key=DEFAULT_API_KEY)
    token_client = make_client()
    errors: list[Exception] = []
    key_client.get_job(job_id)
    for call in (
        lambda: key_client.get_job("missing"),
        lambda: token_client.get_job("../x"),
        lambda: make_client(token="bad-token-9c2e").list_jobs(),
        lambda: make_client(api_key="bad-key-7f3a").list_jobs(),
    ):
        try:
            call()
        except QiskitRuntimeError as exc:
            errors.append(exc)
    assert len(errors) == 4
    said = _everything_said(
        caplog,
        key_client,
        token_client,
        key_client.settings,
        key_client._auth,
        BearerAuth(DEFAULT_TOKEN),
        *errors,
        *(e.__notes__ for e in errors if hasattr(e, "__notes__")),
    )
    assert "retrying GET" in said  # the log really was captured
    for secret in (DEFAULT_TOKEN, DEFAULT_API_KEY, "bad-token-9c2e", "bad-key-7f3a"):
        assert secret not in said


def test_client_repr_names_the_auth_kind_only() -> None:
    """The repr shows base URL, CRN and region, and `<redacted>` for the credential."""
    crn = "crn:v1:bluemix:public:quantum-computing:eu-de:a/acct:inst::"
    with Client(api_key="s3cr3t-key", crn=crn) as client:
        text = repr(client)
    assert text == (
        "Client(base_url='https://eu-de.quantum.cloud.ibm.com/api/v1', "
        f"crn='{crn}', region='eu-de', api_key=<redacted>)"
    )
    assert "s3cr3t" not in repr(client.settings)


def test_iam_error_message_scrubs_an_echoed_key(make_client: Callable[..., Client]) -> None:
    """Even if IAM echoed the key back, the AuthError message would not contain it."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"errorMessage": "key echo-me-123 is unknown"})

    client = make_client(api_key="echo-me-123", transport=httpx.MockTransport(handler))
    with pytest.raises(AuthError) as info:
        client.list_jobs()
    assert "echo-me-123" not in str(info.value)
    assert "<redacted>" in str(info.value)
