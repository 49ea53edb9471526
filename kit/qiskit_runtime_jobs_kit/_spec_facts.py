"""Facts from the spec that the hand-written contract kit needs at run time.

Written by tools/codegen.py from openapi/qiskit-runtime-jobs.yaml; do not edit.
"""

TERMINAL_STATUSES: frozenset[str] = frozenset(
    {"Completed", "Cancelled", "Cancelled - Ran too long", "Failed"}
)
"""`JobStatus.x-terminal-values`: the statuses a job never leaves (the page's "terminal
state": only such a job can be deleted, and it answers a cancel with 409)."""

PENDING_STATUSES: frozenset[str] = frozenset({"Queued", "Running"})
"""The other `JobStatus` values: the job is still queued or running."""

LIST_LIMIT_RANGE: tuple[int, int] = (1, 200)
"""`list_jobs` `limit`: its viable range (minimum, maximum); the maximum is the largest page."""

LIST_LIMIT_DEFAULT = 200
"""`list_jobs` `limit` default, which the service also uses for a limit outside the range."""

LIST_OFFSET_RANGE: tuple[int, int] = (0, 2147483647)
"""`list_jobs` `offset`: its viable range (minimum, maximum)."""

LIST_OFFSET_DEFAULT = 0
"""`list_jobs` `offset` default, which the service also uses for an offset outside the range."""
