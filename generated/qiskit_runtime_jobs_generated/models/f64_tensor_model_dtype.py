from enum import StrEnum


class F64TensorModelDtype(StrEnum):
    F64 = "f64"

    def __str__(self) -> str:
        return str(self.value)
