"""The contract suite: the curated spec, schemathesis checks for it, and a runner.

`qiskit-runtime-jobs contract` runs it from the command line; `load_schema()` brings the same
spec, configuration, auth and checks into your own pytest session (see the README).
"""

from __future__ import annotations

from typing import Any

from ..spec import SPEC_PATH
from .runner import CONFIG_PATH, RunOptions, Target, embedded_mock, env_target, run


def load_schema() -> Any:
    """The curated spec as a schemathesis schema, with the kit's config, auth and checks.

    Credentials come from `QISKIT_RUNTIME_TOKEN` (or `QISKIT_RUNTIME_API_KEY`) and
    `QISKIT_RUNTIME_CRN`, as for the client; set `QRJ_CONTRACT_URL` to the base URL too so the
    lifecycle rules can probe a job's state before judging an answer.
    """
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    from . import hooks  # noqa: F401  (registers the auth and the checks)

    return schemathesis.openapi.from_path(
        SPEC_PATH, config=SchemathesisConfig.from_path(CONFIG_PATH)
    )


__all__ = [
    "CONFIG_PATH",
    "RunOptions",
    "Target",
    "embedded_mock",
    "env_target",
    "load_schema",
    "run",
]
