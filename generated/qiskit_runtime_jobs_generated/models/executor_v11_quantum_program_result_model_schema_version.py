from enum import StrEnum


class ExecutorV11QuantumProgramResultModelSchemaVersion(StrEnum):
    V1_1 = "v1.1"

    def __str__(self) -> str:
        return str(self.value)
