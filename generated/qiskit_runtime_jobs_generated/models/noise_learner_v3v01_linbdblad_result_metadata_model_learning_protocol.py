from enum import StrEnum


class NoiseLearnerV3V01LinbdbladResultMetadataModelLearningProtocol(StrEnum):
    LINDBLAD = "lindblad"

    def __str__(self) -> str:
        return str(self.value)
