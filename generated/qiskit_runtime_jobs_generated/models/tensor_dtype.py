from enum import StrEnum


class TensorDtype(StrEnum):
    BOOL = "bool"
    C128 = "c128"
    F64 = "f64"
    U8 = "u8"

    def __str__(self) -> str:
        return str(self.value)
