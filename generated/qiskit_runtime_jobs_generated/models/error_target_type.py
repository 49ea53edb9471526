from enum import StrEnum


class ErrorTargetType(StrEnum):
    FIELD = "field"
    HEADER = "header"
    PARAMETER = "parameter"

    def __str__(self) -> str:
        return str(self.value)
