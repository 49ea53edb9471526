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

MAX_TAGS = 8
MAX_TAG_LENGTH = 86
"""`Tags`: at most this many tags, each at most this many characters."""

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
"""`LogLevel`: the log levels a job may ask for, least verbose first."""

JOB_ID_PATTERN = "^[A-Za-z0-9_-]+$"
"""`JobId`: what a job id is made of."""

RUNTIME_PATTERN = "^.+:[^:]+$"
"""`CreateJobRequest.runtime`: `name:tag`."""

MAX_PROGRAM_ID_LENGTH = 1000000
MAX_CALIBRATION_ID_LENGTH = 100
"""`CreateJobRequest.program_id` and `.calibration_id`: their longest values."""

LIST_LIMIT_RANGE: tuple[int, int] = (1, 200)
"""`list_jobs` `limit`: its viable range (minimum, maximum); the maximum is the largest page."""

LIST_LIMIT_DEFAULT = 200
"""`list_jobs` `limit` default, which the service also uses for a limit outside the range."""

LIST_OFFSET_RANGE: tuple[int, int] = (0, 2147483647)
"""`list_jobs` `offset`: its viable range (minimum, maximum)."""

LIST_OFFSET_DEFAULT = 0
"""`list_jobs` `offset` default, which the service also uses for an offset outside the range."""
