from enum import StrEnum


class ExecutorV20QuantumProgramResultModelSchemaVersion(StrEnum):
    V2_0 = "v2.0"

    def __str__(self) -> str:
        return str(self.value)
