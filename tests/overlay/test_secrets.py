"""Secrets never appear in reprs, exception messages or log records."""

from __future__ import annotations

import logging
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from qiskit_runtime_jobs import Client, IAMError, QiskitRuntimeError
from qiskit_runtime_jobs._iam import BearerAuth, IAMAuth
from qiskit_runtime_jobs_mock import DEFAULT_API_KEY, DEFAULT_TOKEN, Fault, MockServer

from .conftest import seed_jobs


def _everything_said(caplog: pytest.LogCaptureFixture, *objects: object) -> str:
    texts = [repr(o) for o in objects] + [str(o) for o in objects]
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
    return "\n".join(texts)


@pytest.mark.loopback  # httpcore's own logging is part of what is checked
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
    """Even if IAM echoed the key back, the IAMError message would not contain it."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"errorMessage": "key echo-me-123 is unknown"})

    client = make_client(api_key="echo-me-123", transport=httpx.MockTransport(handler))
    with pytest.raises(IAMError) as info:
        client.list_jobs()
    assert "echo-me-123" not in str(info.value)
    assert "<redacted>" in str(info.value)


def _reachable_reprs(*roots: object, limit: int = 20_000) -> Iterator[str]:
    """The repr of every object reachable from `roots` through attributes and containers
    (each object's own attribute dict is walked, not shown; strings are the secrets
    themselves, so they are not shown either)."""
    atoms = (str, bytes, int, float, bool, type(None), type, types.ModuleType)
    seen: set[int] = set()
    todo = list(roots)
    while todo and len(seen) < limit:
        obj = todo.pop()
        if isinstance(obj, atoms) or id(obj) in seen:
            continue
        seen.add(id(obj))
        yield f"{type(obj).__qualname__}: {obj!r}"
        if isinstance(obj, dict):
            todo.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            todo.extend(obj)
        else:
            todo.extend(getattr(obj, "__dict__", {}).values())
            for name in getattr(type(obj), "__slots__", ()):
                todo.append(getattr(obj, name, None))


@pytest.mark.loopback  # in-process, the walk would go on through the transport into the mock
def test_no_secret_in_any_repr_internal_objects_included(
    mock_server: MockServer, make_client: Callable[..., Client], tmp_path: Path
) -> None:
    """Walk every object the clients hold after a busy session (the IAM token cache, the
    auth flows, the HTTP clients, settings, caches, limiters): no repr shows a secret."""
    (job_id,) = seed_jobs(mock_server, 1)
    key_client = make_client(api_key=DEFAULT_API_KEY, cache_dir=tmp_path)
    token_client = make_client()
    key_client.get_job(job_id)
    token_client.create_job("sampler", idempotency_key="k")
    auth = key_client._auth
    assert isinstance(auth, IAMAuth)
    assert auth._token is not None  # a token is cached
    token = auth._token.value
    reprs = list(_reachable_reprs(key_client, token_client))
    assert any(r.startswith("_Token:") for r in reprs)  # the walk reached the token cache
    for secret in (DEFAULT_TOKEN, DEFAULT_API_KEY, token):
        assert [r for r in reprs if secret in r] == []
