from enum import StrEnum


class IBMCloudCOSStorageRegionType(StrEnum):
    CROSS_REGION = "cross-region"
    REGIONAL = "regional"
    SINGLE_SITE = "single-site"

    def __str__(self) -> str:
        return str(self.value)
