from enum import StrEnum


class NoiseLearnerV3V02TREXResultMetadataModelLearningProtocol(StrEnum):
    TREX = "trex"

    def __str__(self) -> str:
        return str(self.value)
