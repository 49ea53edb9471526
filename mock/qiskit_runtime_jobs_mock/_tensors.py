"""ibm-quantum-schemas' ``TensorModel`` encoding, shared by every result format.

A tensor is ``{"data": base64, "shape": [...], "dtype": ...}``: little-endian bytes in C order;
a bool tensor is bit-packed with ``numpy.packbits(..., bitorder="little")`` over the flattened
array, so ``ceil(size / 8)`` bytes.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


def tensor(data: bytes, shape: Sequence[int], dtype: str) -> dict[str, Any]:
    """A tensor from its already encoded bytes."""
    return {"data": base64.b64encode(data).decode("ascii"), "shape": list(shape), "dtype": dtype}


def f64_tensor(values: npt.NDArray[np.float64]) -> dict[str, Any]:
    """A float64 tensor (``F64TensorModel``)."""
    return tensor(values.astype("<f8").tobytes(), values.shape, "f64")
