from enum import StrEnum


class JobStatus(StrEnum):
    CANCELLED = "Cancelled"
    CANCELLED_RAN_TOO_LONG = "Cancelled - Ran too long"
    COMPLETED = "Completed"
    FAILED = "Failed"
    QUEUED = "Queued"
    RUNNING = "Running"

    def __str__(self) -> str:
        return str(self.value)
