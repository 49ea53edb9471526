"""What one contract run is: its target, credentials, budget, run tag and files.

The runner builds a `RunContext` once; the fuzzing child (schemathesis, which loads our hooks)
gets it whole, as one JSON value in one environment variable of its own process
(`CHILD_ENV`), and nothing else of the run reaches it. The secrets travel the same way a
client's `QISKIT_RUNTIME_TOKEN` does: in the child's environment, never in a file.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..spec import load_spec

CHILD_ENV = "QRJ_CONTRACT_RUN"
DEFAULT_IAM_URL = "https://iam.cloud.ibm.com/identity/token"
RUN_TAG_PREFIX = "qrj-contract-run-"
# The SDK's variables: what a user's shell exports for the client. The runner reads them only
# for --url/--live, and keeps every one of them away from the fuzzing child.
TOKEN_ENV, API_KEY_ENV, IAM_URL_ENV, CRN_ENV = (
    "QISKIT_RUNTIME_TOKEN",
    "QISKIT_RUNTIME_API_KEY",
    "QISKIT_RUNTIME_IAM_URL",
    "QISKIT_RUNTIME_CRN",
)


class UsageError(ValueError):
    """A mistake in the command line or the environment: one line says what to fix."""


@dataclass(frozen=True)
class Credentials:
    """How the run authenticates: a bearer token, or an IAM API key exchanged for one."""

    crn: str
    token: str | None = None
    api_key: str | None = None
    iam_url: str = DEFAULT_IAM_URL

    def __post_init__(self) -> None:
        if not self.crn or not (self.token or self.api_key):
            raise UsageError(
                f"set {CRN_ENV} and {TOKEN_ENV} or {API_KEY_ENV} (the service instance and "
                "its credentials)"
            )

    def __repr__(self) -> str:
        return f"Credentials(crn={self.crn!r}, {self.secret_name}=<redacted>)"

    @property
    def secret_name(self) -> str:
        """The variable that holds the secret in use (for messages: never its value)."""
        return TOKEN_ENV if self.token else API_KEY_ENV

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Credentials:
        """The SDK's variables, as a user exports them for the client."""
        return cls(
            crn=environ.get(CRN_ENV, ""),
            token=environ.get(TOKEN_ENV) or None,
            api_key=environ.get(API_KEY_ENV) or None,
            iam_url=environ.get(IAM_URL_ENV) or DEFAULT_IAM_URL,
        )


def api_version() -> str:
    """The `IBM-API-Version` the spec speaks (its parameter's default)."""
    return str(load_spec()["components"]["parameters"]["IBMAPIVersion"]["schema"]["default"])


def target_key(url: str, crn: str) -> str:
    """A short, stable name for one target (a deployment and an instance on it)."""
    return hashlib.sha256(f"{url.rstrip('/')}\n{crn}".encode()).hexdigest()[:16]


def new_run_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass(frozen=True)
class RunContext:
    """Everything the hooks need to know about the run, in both of its processes.

    - `url`, `credentials`: the target and how to reach it;
    - `run_tag`: every valid create carries it, and no tags change removes it;
    - `ledger_path`: the jobs the run created, on disk (see `ledger`); cleanup trusts it;
    - `events_path`: what the hooks report to the runner (answers, verdicts, drift);
    - `max_jobs`: the run's job budget (None: none); `negative_creates_only`: the fuzzer
      sends invalid creates only (a real service: valid ones are the lifecycle's);
    - `watchdog_fd`: in the fuzzing child, the read end of a pipe the runner holds open; when
      it closes (the runner died), the child stops at once.
    """

    url: str
    credentials: Credentials
    run_id: str = field(default_factory=new_run_id)
    ledger_path: Path | None = None
    events_path: Path | None = None
    max_jobs: int | None = None
    negative_creates_only: bool = False
    watchdog_fd: int | None = None

    def __repr__(self) -> str:
        return f"RunContext(url={self.url!r}, run_id={self.run_id!r})"

    @property
    def run_tag(self) -> str:
        return RUN_TAG_PREFIX + self.run_id

    @property
    def absent_job_id(self) -> str:
        """An id no job has: where a request that would change, or read the result of,
        someone else's job goes instead. Valid for the spec's `JobId` pattern, so the request
        stays what it was; the service makes ids of 20 characters of 0-9a-v, never with `-`."""
        return f"qrj-absent-{self.run_id}"

    def for_child(self, watchdog_fd: int) -> dict[str, str]:
        """The child's one variable: this context, serialised."""
        data: dict[str, Any] = {
            "url": self.url,
            "credentials": vars(self.credentials),
            "run_id": self.run_id,
            "ledger_path": None if self.ledger_path is None else str(self.ledger_path),
            "events_path": None if self.events_path is None else str(self.events_path),
            "max_jobs": self.max_jobs,
            "negative_creates_only": self.negative_creates_only,
            "watchdog_fd": watchdog_fd,
        }
        return {CHILD_ENV: json.dumps(data)}

    @classmethod
    def from_child_environment(cls, environ: Mapping[str, str]) -> RunContext | None:
        raw = environ.get(CHILD_ENV)
        if not raw:
            return None
        data = json.loads(raw)
        paths = {
            key: None if data[key] is None else Path(data[key])
            for key in ("ledger_path", "events_path")
        }
        return cls(
            url=data["url"],
            credentials=Credentials(**data["credentials"]),
            run_id=data["run_id"],
            max_jobs=data["max_jobs"],
            negative_creates_only=data["negative_creates_only"],
            watchdog_fd=data["watchdog_fd"],
            **paths,
        )
