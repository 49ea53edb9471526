"""Typed Python client for the IBM Qiskit Runtime REST API (Jobs).

The client composes the generated package `qiskit_runtime_jobs_generated` (written by
`make generate` from `openapi/`) and adds what a production SDK needs.
"""

from qiskit_runtime_jobs_generated._spec_facts import API_VERSION

__version__ = "0.1.0"

__all__ = ["API_VERSION", "__version__"]
