"""Opt-in smoke tests against IBM's live service (marker `live`; never run by default).

Run with `pytest -m live tests/live` and QISKIT_RUNTIME_CRN plus QISKIT_RUNTIME_API_KEY or
QISKIT_RUNTIME_TOKEN set. Read-only: nothing is created, changed or deleted.
"""

from __future__ import annotations

import os

import pytest

from qiskit_runtime_jobs import Client, NotFoundError

pytestmark = pytest.mark.live

HAS_CREDENTIALS = bool(os.environ.get("QISKIT_RUNTIME_CRN")) and bool(
    os.environ.get("QISKIT_RUNTIME_API_KEY") or os.environ.get("QISKIT_RUNTIME_TOKEN")
)
needs_credentials = pytest.mark.skipif(
    not HAS_CREDENTIALS, reason="set QISKIT_RUNTIME_CRN and an API key or token"
)


@needs_credentials
def test_list_jobs_pages_consistently() -> None:
    """A small page comes back within the documented limits, count >= page length."""
    with Client() as client:
        page = client.list_jobs(limit=2)
    assert 1 <= page.limit <= 200
    assert len(page.jobs) <= 2
    assert not isinstance(page.count, int) or page.count >= len(page.jobs)


@needs_credentials
def test_unknown_job_is_not_found() -> None:
    """A well-formed id that does not exist raises NotFoundError with a request id."""
    with Client() as client, pytest.raises(NotFoundError) as raised:
        client.get_job("qrjdoesnotexist000000")
    assert raised.value.status == 404
