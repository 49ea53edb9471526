"""schemathesis hooks for the contract suite: IBM Cloud auth and project-specific checks.

Loaded by `schemathesis.toml` (`hooks = "tools.contract.hooks"`), so the CLI run and the
pytest suite use the same ones.

Auth reads the SDK's environment variables: `QISKIT_RUNTIME_TOKEN` (a bearer token), or
`QISKIT_RUNTIME_API_KEY` exchanged at `QISKIT_RUNTIME_IAM_URL` (default IBM Cloud IAM) for
a token that schemathesis refreshes on its interval and after any 401.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import schemathesis

from qiskit_runtime_jobs import SystemClock
from qiskit_runtime_jobs._constants import DEFAULT_IAM_URL
from qiskit_runtime_jobs._iam import IAMAuth

# IAM tokens live an hour; refresh well before that (schemathesis also refetches on 401).
REFRESH_SECONDS = 20 * 60


class TokenSource:
    """The bearer token for the run: the configured one, or one exchanged for the API key.

    The exchange is the SDK's own (`qiskit_runtime_jobs._iam.IAMAuth`: retries, secret-free
    errors), so the suite and the client cannot disagree on how IAM is spoken to.
    """

    def __init__(self) -> None:
        self._iam: IAMAuth | None = None
        self._last: str | None = None

    def fetch(self) -> str:
        """A fresh token each time schemathesis asks (on its interval, or after a 401)."""
        token = os.environ.get("QISKIT_RUNTIME_TOKEN")
        if token:
            return token
        api_key = os.environ.get("QISKIT_RUNTIME_API_KEY")
        if not api_key:
            raise RuntimeError("set QISKIT_RUNTIME_TOKEN or QISKIT_RUNTIME_API_KEY")
        if self._iam is None:
            url = os.environ.get("QISKIT_RUNTIME_IAM_URL", DEFAULT_IAM_URL)
            self._iam = IAMAuth(api_key, url=url, clock=SystemClock())
        # Naming the last token as stale makes IAMAuth exchange the key again.
        self._last = self._iam.token(stale=self._last)
        return self._last


TOKENS = TokenSource()


@schemathesis.auth(refresh_interval=REFRESH_SECONDS)
class IBMCloudAuth:
    """Bearer auth that survives token expiry on long live runs."""

    def get(self, case: Any, context: Any) -> str:  # noqa: ARG002 (schemathesis' signature)
        return TOKENS.fetch()

    def set(self, case: Any, data: str, context: Any) -> None:  # noqa: ARG002
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


class ReadOnceLedger:
    """Which private jobs exist and which result reads succeeded, across one run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._private: set[str] = set()
        self._reads: dict[str, str] = {}

    def created(self, job_id: str) -> None:
        with self._lock:
            self._private.add(job_id)

    def read(self, job_id: str, request_id: str) -> str | None:
        """Record a successful read; the earlier read's request id if this is a second one."""
        with self._lock:
            if job_id not in self._private:
                return None
            first = self._reads.setdefault(job_id, request_id)
            return first if first != request_id else None


LEDGER = ReadOnceLedger()


def _operation_id(case: Any) -> str | None:
    definition = getattr(case.operation, "definition", None)
    raw = getattr(definition, "raw", None) or {}
    return raw.get("operationId") if isinstance(raw, dict) else None


def _header(response: Any, name: str) -> str:
    value = response.headers.get(name.lower(), "")
    return str(value[0] if isinstance(value, list) and value else value)


@schemathesis.check
def private_results_read_once(ctx: Any, response: Any, case: Any) -> None:  # noqa: ARG001
    """A private job's result can be read once; a second successful read is a contract bug.

    The spec (get_job_results, PrivateFlag) says private results are deleted after the
    first read. Re-checking the same response (shrinking, replay) is not a second read:
    reads are told apart by their X-Request-ID.
    """
    operation = _operation_id(case)
    if response.status_code != 200:
        return
    if operation == "create_job":
        body = response.json()
        if isinstance(body, dict) and body.get("private") is True:
            LEDGER.created(str(body["id"]))
    elif operation == "get_job_results":
        job_id = str((case.path_parameters or {}).get("id"))
        request_id = _header(response, "X-Request-ID") or str(id(response))
        first = LEDGER.read(job_id, request_id)
        if first is not None:
            raise AssertionError(
                f"private job {job_id}: results were returned again after a successful "
                f"read (first read: request {first}); they must be deleted after one read"
            )
