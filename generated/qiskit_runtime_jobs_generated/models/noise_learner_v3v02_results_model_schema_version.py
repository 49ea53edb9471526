from enum import StrEnum


class NoiseLearnerV3V02ResultsModelSchemaVersion(StrEnum):
    V0_2 = "v0.2"

    def __str__(self) -> str:
        return str(self.value)
