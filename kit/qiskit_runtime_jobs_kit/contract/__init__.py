"""The contract suite: the curated spec, schemathesis checks for it, and a runner.

`qiskit-runtime-jobs contract` runs it from the command line; `load_schema()` brings the same
spec, configuration, auth and checks into your own pytest session (see the README).
"""

from __future__ import annotations

import os
from typing import Any

from ..spec import spec_text
from .context import Credentials, RunContext
from .runner import CONFIG_PATH, RunOptions, Target, embedded_mock, run


def load_schema(base_url: str | None = None) -> Any:
    """The curated spec as a schemathesis schema, with the kit's config, auth and checks.

    Credentials come from `QISKIT_RUNTIME_TOKEN` (or `QISKIT_RUNTIME_API_KEY`) and
    `QISKIT_RUNTIME_CRN`, as for the client. With `base_url`, the lifecycle rules read each
    job's status before they judge an answer, and the own-jobs rule asks the target whether
    an id is someone else's job; without it, every request that would change a job, or read
    its result, goes to a job the session created or to an id no job has.
    """
    import schemathesis
    from schemathesis.config import SchemathesisConfig

    from . import hooks
    from .session import Session

    credentials = Credentials.from_environment(os.environ)
    hooks.bind(Session(RunContext(url=base_url or "", credentials=credentials)))
    return schemathesis.openapi.from_file(
        spec_text(), config=SchemathesisConfig.from_path(CONFIG_PATH)
    )


__all__ = [
    "CONFIG_PATH",
    "Credentials",
    "RunOptions",
    "Target",
    "embedded_mock",
    "load_schema",
    "run",
]
