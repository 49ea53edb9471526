from enum import StrEnum


class ExecutorV02QuantumProgramResultModelSchemaVersion(StrEnum):
    V0_2 = "v0.2"

    def __str__(self) -> str:
        return str(self.value)
