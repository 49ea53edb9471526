from enum import StrEnum


class NoiseLearnerV3V02LinbdbladResultMetadataModelLearningProtocol(StrEnum):
    LINDBLAD = "lindblad"

    def __str__(self) -> str:
        return str(self.value)
