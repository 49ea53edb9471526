from enum import StrEnum


class ExecutorV01QuantumProgramResultModelSchemaVersion(StrEnum):
    V0_1 = "v0.1"

    def __str__(self) -> str:
        return str(self.value)
