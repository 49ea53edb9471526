"""Contract tests: schemathesis drives the mock against `openapi/`, never against a schema
the mock describes itself."""

from __future__ import annotations

import os

from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN

# The auth hook and `schemathesis.toml` read the SDK's environment variables; point them at
# the mock's built-in credentials before the schema (and its config) is loaded.
os.environ.setdefault("QISKIT_RUNTIME_TOKEN", DEFAULT_TOKEN)
os.environ.setdefault("QISKIT_RUNTIME_CRN", DEFAULT_CRN)
