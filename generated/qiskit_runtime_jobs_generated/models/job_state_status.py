from enum import StrEnum


class JobStateStatus(StrEnum):
    CANCELLED = "Cancelled"
    COMPLETED = "Completed"
    FAILED = "Failed"
    QUEUED = "Queued"
    RUNNING = "Running"

    def __str__(self) -> str:
        return str(self.value)
