from enum import StrEnum


class CompressedTensorDtype(StrEnum):
    BOOL = "bool"
    C128 = "c128"
    C64 = "c64"
    F16 = "f16"
    F32 = "f32"
    F64 = "f64"
    I16 = "i16"
    I32 = "i32"
    I64 = "i64"
    I8 = "i8"
    U16 = "u16"
    U32 = "u32"
    U64 = "u64"
    U8 = "u8"

    def __str__(self) -> str:
        return str(self.value)
