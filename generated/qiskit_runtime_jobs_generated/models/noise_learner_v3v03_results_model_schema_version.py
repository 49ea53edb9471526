from enum import StrEnum


class NoiseLearnerV3V03ResultsModelSchemaVersion(StrEnum):
    V0_3 = "v0.3"

    def __str__(self) -> str:
        return str(self.value)
