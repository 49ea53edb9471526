"""Facts from the spec that the hand-written overlay needs at run time.

Written by tools/codegen.py from openapi/qiskit-runtime-jobs.yaml; do not edit.
"""

API_VERSION = "2026-03-15"
"""`info.version`: the IBM-API-Version this client was generated for."""

SERVERS: dict[str, str] = {
    "us-east": "https://quantum.cloud.ibm.com/api/v1",
    "eu-de": "https://eu-de.quantum.cloud.ibm.com/api/v1",
}
"""Region (CRN location) -> base URL, in the spec's order; the first is the default."""
