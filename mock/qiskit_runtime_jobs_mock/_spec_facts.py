"""Facts from the spec that the hand-written mock needs at run time.

Written by tools/codegen.py from openapi/qiskit-runtime-jobs.yaml; do not edit.
"""

TERMINAL_STATUSES: frozenset[str] = frozenset(
    {"Completed", "Cancelled", "Cancelled - Ran too long", "Failed"}
)
"""`JobStatus.x-terminal-values`: the statuses a job never leaves (the page's "terminal
state": only such a job can be deleted, and it answers a cancel with 409)."""

PENDING_STATUSES: frozenset[str] = frozenset({"Queued", "Running"})
"""The other `JobStatus` values: the job is still queued or running."""
