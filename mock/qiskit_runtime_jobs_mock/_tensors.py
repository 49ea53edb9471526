"""ibm-quantum-schemas' ``TensorModel`` and ``CompressedTensorModel`` encodings, shared by every
result format.

A tensor is ``{"data": base64, "shape": [...], "dtype": ...}``: little-endian bytes in C order;
a bool tensor is bit-packed with ``numpy.packbits(..., bitorder="little")`` over the flattened
array, so ``ceil(size / 8)`` bytes. A compressed tensor (executor v2.0) base64-encodes
``zlib.compress`` of those same bytes. Every level decompresses alike and is deterministic (equal
bytes give equal text); level 1 rather than IBM's default 6 because on the mock's bits it is
about ten times faster for some 5% more bytes, which counts for results of tens of MB.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

_ZLIB_LEVEL = 1


def tensor(data: bytes, shape: Sequence[int], dtype: str) -> dict[str, Any]:
    """A tensor from its already encoded bytes."""
    return {"data": base64.b64encode(data).decode("ascii"), "shape": list(shape), "dtype": dtype}


def compressed_tensor(data: bytes, shape: Sequence[int], dtype: str) -> dict[str, Any]:
    """A compressed tensor from its already encoded (uncompressed) bytes."""
    return tensor(zlib.compress(data, _ZLIB_LEVEL), shape, dtype)


def encoded_length(raw_bytes: int, *, compressed: bool) -> int:
    """An upper bound of the ``data`` text for a tensor of ``raw_bytes`` bytes.

    Compression can grow data it cannot shrink; zlib's ``compressBound`` bounds by how much.
    """
    if compressed:
        raw_bytes += (raw_bytes >> 12) + (raw_bytes >> 14) + (raw_bytes >> 25) + 13
    return 4 * -(-raw_bytes // 3)  # integers throughout: absurd params ask for huge sizes


def f64_tensor(values: npt.NDArray[np.float64]) -> dict[str, Any]:
    """A float64 tensor (``F64TensorModel``)."""
    return tensor(values.astype("<f8").tobytes(), values.shape, "f64")
