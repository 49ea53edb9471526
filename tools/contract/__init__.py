"""The contract suite: schemathesis fuzzes a Jobs API (the embedded mock, any URL, or the
live service) against `openapi/qiskit-runtime-jobs.yaml` and reports every mismatch."""
