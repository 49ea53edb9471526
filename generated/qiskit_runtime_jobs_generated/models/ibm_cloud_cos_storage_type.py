from enum import StrEnum


class IBMCloudCOSStorageType(StrEnum):
    IBMCLOUD_COS = "ibmcloud_cos"

    def __str__(self) -> str:
        return str(self.value)
