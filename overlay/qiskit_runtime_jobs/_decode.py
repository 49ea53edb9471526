"""Job results as numpy arrays: the ibm-quantum-schemas tensor encoding, decoded without loops.

A `TensorModel` is `{"data": base64, "shape": [...], "dtype": "f64" | "c128" | "u8" | "bool"}`:
the bytes are little-endian, C order. Bool tensors are bit-packed the way
`ibm_quantum_schemas.common.tensor.TensorModel.from_numpy` packs them:
`numpy.packbits(flat, bitorder="little")` over the whole flattened array (bit i of the tensor is
bit `i % 8`, least significant first, of byte `i // 8`), zero-padded only at the very end, so
`ceil(size / 8)` bytes. Decoding is `unpackbits(..., count=size, bitorder="little")` then a
reshape: a `(shots, bits)` tensor comes back as `shots x bits` booleans.

`decode_result_bytes` is the fast path for a whole response body. It never turns the big base64
strings into Python `str`: it finds each `"data": "<base64>"` value in the raw bytes, swaps it
for a short placeholder, parses the small remainder as JSON, and decodes every placeholder's
bytes straight from a memoryview of the body. Anything unexpected on that path (JSON escapes
inside the data, a dtype it does not know, a placeholder that is not a tensor's data) makes it
start again on the plain path (parse everything, then decode), so both give the same answer.

Never an exception for a whole result: an unknown format or schema version, or the legacy
string format, comes back as `RawResults`; a single tensor that cannot be decoded (unknown
dtype, data that does not fit its shape) comes back as `RawTensor` next to the decoded ones.
"""

from __future__ import annotations

import binascii
import importlib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from qiskit_runtime_jobs_generated.models import F64TensorModel, TensorModel
from qiskit_runtime_jobs_generated.types import Unset

from ._errors import QiskitRuntimeError
from ._json import loads

# ------------------------------------------------------------------ fastest available codecs


def _optional(name: str) -> Any:
    """A module if installed, else None (pybase64 is a speed-up, not a requirement)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


_pybase64 = _optional("pybase64")

_Text: TypeAlias = str | bytes | memoryview

BASE64_BACKEND: Final = "binascii" if _pybase64 is None else "pybase64"


def _b64decode(text: _Text) -> bytes:
    """Strict base64 (nothing outside the alphabet, padding required)."""
    if _pybase64 is not None:
        # validate=True is also pybase64's fast (SIMD) path
        return _pybase64.b64decode(text, validate=True)  # type: ignore[no-any-return]
    return binascii.a2b_base64(text, strict_mode=True)


# ------------------------------------------------------------------ the typed answer


class TensorDecodeError(QiskitRuntimeError, ValueError):
    """One tensor could not be decoded (unknown dtype, bad base64, data not fitting its shape)."""


@dataclass(frozen=True, slots=True)
class RawTensor:
    """A tensor kept as sent, because it could not be decoded; `reason` says why."""

    data: Any
    shape: Any
    dtype: Any
    reason: str


TensorValue: TypeAlias = npt.NDArray[Any] | RawTensor
"""A decoded tensor, or the tensor kept raw."""


@dataclass(frozen=True, slots=True)
class ExecutorItem:
    """One quantum-program item: its named result tensors and its metadata (plain JSON)."""

    results: dict[str, TensorValue]
    metadata: Any


@dataclass(frozen=True, slots=True)
class ExecutorResults:
    """An executor result (schema v0.1 or v0.2); `metadata` and `passthrough_data` as JSON,
    with the tensors inside `passthrough_data` decoded."""

    schema_version: Literal["v0.1", "v0.2"]
    items: list[ExecutorItem]
    metadata: Any
    passthrough_data: Any = None


@dataclass(frozen=True, slots=True)
class NoiseLearnerItem:
    """One noise-learner v3 item: `rates` and `rates_std` as float64 arrays."""

    rates: TensorValue
    rates_std: TensorValue
    generators_sparse: Any
    num_qubits: Any
    metadata: Any


@dataclass(frozen=True, slots=True)
class NoiseLearnerResults:
    """A noise-learner v3 result (schema v0.1 or v0.2)."""

    schema_version: Literal["v0.1", "v0.2"]
    items: list[NoiseLearnerItem]


@dataclass(frozen=True, slots=True)
class RawResults:
    """A result this client does not decode, returned as it came.

    `format` is "legacy" for the plain-string format of older programs (`value` is that string)
    and "unknown" for anything else (`value` is the parsed JSON, or the bytes if not JSON).
    """

    value: Any
    format: Literal["legacy", "unknown"]
    reason: str


DecodedResults: TypeAlias = ExecutorResults | NoiseLearnerResults | RawResults
"""What `decode_results` returns: match on the class."""

# ------------------------------------------------------------------ one tensor

_DTYPES: Final[dict[str, np.dtype[Any]]] = {
    "f64": np.dtype("<f8"),
    "c128": np.dtype("<c16"),
    "u8": np.dtype("u1"),
}


def _shape(shape: Any) -> tuple[int, ...]:
    if not isinstance(shape, list | tuple) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise TensorDecodeError(f"shape must be a list of non-negative integers, got {shape!r}")
    return tuple(shape)


def _to_numpy(data: _Text, shape: Any, dtype: str) -> npt.NDArray[Any]:
    """Decode one tensor's base64 `data` (a str, or a memoryview into the response body).

    f64/c128/u8 arrays are read-only views over the decoded bytes (no copy): `.copy()` to
    write. Bool arrays are fresh and writable.
    """
    dims = _shape(shape)
    size = math.prod(dims)
    if dtype != "bool" and dtype not in _DTYPES:
        raise TensorDecodeError(f"unknown dtype {dtype!r}")
    try:
        raw = _b64decode(data)
    except ValueError as error:
        raise TensorDecodeError(f"data is not valid base64: {error}") from None
    expected = (size + 7) // 8 if dtype == "bool" else size * _DTYPES[dtype].itemsize
    if len(raw) != expected:
        raise TensorDecodeError(
            f"{len(raw)} bytes of data do not fit shape {list(dims)} of dtype {dtype}"
            f" ({expected} bytes expected)"
        )
    if dtype == "bool":
        flat = np.unpackbits(np.frombuffer(raw, np.uint8), count=size, bitorder="little")
        flat = flat.view(np.bool_)
    else:
        flat = np.frombuffer(raw, _DTYPES[dtype])
    try:
        return flat.reshape(dims)
    except ValueError as error:  # e.g. a 0-size shape with absurd dimensions
        raise TensorDecodeError(f"shape {list(dims)}: {error}") from None


def decode_tensor(
    tensor: TensorModel | F64TensorModel | Mapping[str, Any], *, default_dtype: str | None = None
) -> npt.NDArray[Any]:
    """One `TensorModel` (generated model or its JSON mapping) as a numpy array.

    `default_dtype` stands in for a missing dtype (`F64TensorModel` may omit it: "f64", which
    is also the default for a generated `F64TensorModel`). Raises `TensorDecodeError`.
    """
    if isinstance(tensor, Mapping):
        data, shape, dtype = tensor.get("data"), tensor.get("shape"), tensor.get("dtype")
    else:
        data, shape, dtype = tensor.data, tensor.shape, tensor.dtype
        if isinstance(tensor, F64TensorModel) and default_dtype is None:
            default_dtype = "f64"
    if dtype is None or isinstance(dtype, Unset):
        dtype = default_dtype
    if not isinstance(data, str):
        raise TensorDecodeError("data must be a base64 string")
    if dtype is None:
        raise TensorDecodeError("dtype is missing")
    return _to_numpy(data, shape, str(dtype))


# ------------------------------------------------------------------ whole results


class _Fallback(Exception):
    """The fast path met something it leaves to the plain path."""


class _Malformed(Exception):
    """The payload looked like a known format but breaks it: returned raw."""


_PLACEHOLDER_PREFIX: Final = "\x00qrj"
_Blobs: TypeAlias = dict[str, memoryview]


class _Walk:
    """Turns parsed JSON into `DecodedResults`.

    With `blobs` (the fast path), tensor data may be a placeholder naming a slice of the body;
    every placeholder must be used exactly once as a decodable tensor's data, else `_Fallback`.
    """

    def __init__(self, blobs: _Blobs | None = None) -> None:
        self.blobs = blobs

    def results(self, doc: Any) -> DecodedResults:
        try:
            decoded = self._results(doc)
        except (_Malformed, RecursionError) as error:
            if self.blobs is not None:
                raise _Fallback from error
            return RawResults(doc, "unknown", str(error) or type(error).__name__)
        if self.blobs is not None and (self.blobs or isinstance(decoded, RawResults)):
            raise _Fallback  # e.g. a "data" string that was not a tensor's: the plain path keeps it
        return decoded

    def _results(self, doc: Any) -> DecodedResults:
        if isinstance(doc, str):
            return RawResults(doc, "legacy", "legacy string result")
        if not isinstance(doc, Mapping) or not isinstance(doc.get("data"), list):
            raise _Malformed("not a known result format (no `data` list)")
        items: list[Any] = doc["data"]
        if "metadata" in doc and all(isinstance(i, Mapping) and "results" in i for i in items):
            return self._executor(doc, items)
        if "metadata" not in doc and all(isinstance(i, Mapping) and "rates" in i for i in items):
            return self._noise_learner(doc, items)
        raise _Malformed("not a known result format (neither executor nor noise learner)")

    @staticmethod
    def _version(doc: Mapping[str, Any]) -> Literal["v0.1", "v0.2"]:
        version = doc.get("schema_version", "v0.1")
        if version not in ("v0.1", "v0.2"):
            raise _Malformed(f"unsupported schema_version {version!r}")
        return "v0.1" if version == "v0.1" else "v0.2"

    def _executor(self, doc: Mapping[str, Any], items: list[Any]) -> ExecutorResults:
        version = self._version(doc)
        decoded = []
        for item in items:
            tensors = item["results"]
            if not isinstance(tensors, Mapping):
                raise _Malformed("an item's `results` is not an object")
            results = {str(name): self.tensor(value) for name, value in tensors.items()}
            decoded.append(ExecutorItem(results, item.get("metadata")))
        passthrough = self.passthrough(doc.get("passthrough_data"))
        return ExecutorResults(version, decoded, doc["metadata"], passthrough)

    def _noise_learner(self, doc: Mapping[str, Any], items: list[Any]) -> NoiseLearnerResults:
        version = self._version(doc)
        decoded = [
            NoiseLearnerItem(
                rates=self.tensor(item["rates"], "f64"),
                rates_std=self.tensor(item.get("rates_std"), "f64"),
                generators_sparse=item.get("generators_sparse"),
                num_qubits=item.get("num_qubits"),
                metadata=item.get("metadata"),
            )
            for item in items
        ]
        return NoiseLearnerResults(version, decoded)

    def _source(self, data: Any) -> _Text:
        """The tensor's base64: a body slice for a placeholder, else the string itself."""
        if self.blobs is not None and isinstance(data, str) and data in self.blobs:
            return self.blobs.pop(data)
        if not isinstance(data, str):
            raise TensorDecodeError("data must be a base64 string")
        return data

    def tensor(self, value: Any, default_dtype: str | None = None) -> TensorValue:
        """One tensor of a known format; kept raw (plain path) when it cannot be decoded."""
        if not isinstance(value, Mapping):
            raise _Malformed(f"a tensor must be an object, got {type(value).__name__}")
        dtype = value.get("dtype", default_dtype)
        try:
            if dtype is None:
                raise TensorDecodeError("dtype is missing")
            return _to_numpy(self._source(value.get("data")), value.get("shape"), str(dtype))
        except TensorDecodeError as error:
            if self.blobs is not None:
                raise _Fallback from error
            return RawTensor(value.get("data"), value.get("shape"), dtype, str(error))

    def passthrough(self, value: Any) -> Any:
        """Passthrough JSON with every well-formed tensor (data, shape, dtype) decoded."""
        if isinstance(value, list):
            return [self.passthrough(v) for v in value]
        if not isinstance(value, Mapping):
            return value
        if value.keys() == {"data", "shape", "dtype"}:
            try:
                return _to_numpy(self._source(value["data"]), value["shape"], str(value["dtype"]))
            except TensorDecodeError as error:
                if self.blobs is not None:
                    raise _Fallback from error
                # like pydantic's union: a dict that does not validate as a tensor stays a dict
        return {k: self.passthrough(v) for k, v in value.items()}


def decode_results(result: Any) -> DecodedResults:
    """Decode a job result given in any form the client may hold it.

    Accepts the raw response body (bytes: the fast path), its parsed JSON, a generated result
    model (anything with `to_dict()`), or the legacy string. Never raises for bad content.
    """
    if isinstance(result, bytes | bytearray | memoryview):
        return decode_result_bytes(bytes(result) if isinstance(result, bytearray) else result)
    if result is None:
        return RawResults(None, "unknown", "no result")
    to_dict = getattr(result, "to_dict", None)
    if callable(to_dict) and not isinstance(result, Mapping):
        result = to_dict()
    return _Walk().results(result)


_DATA_KEY: Final = re.compile(rb'"data"[ \t\r\n]*:[ \t\r\n]*"')
_HOIST_MIN: Final = 1024
"""Shorter data strings are parsed as usual: hoisting them would not pay for itself."""


def _escaped(raw: bytes, index: int) -> bool:
    """Whether the quote at `index` is escaped (preceded by an odd run of backslashes)."""
    run = 0
    while index > run and raw[index - 1 - run] == 0x5C:
        run += 1
    return run % 2 == 1


def _hoist(raw: bytes) -> tuple[bytes, _Blobs] | None:
    """The body with each long `"data"` string swapped for a placeholder, and those strings.

    The quote after `data` in a match is unescaped, so it really closes a key; if the quote
    before `data` is unescaped too, the key is exactly "data" and the value's quote opens a
    string (in valid JSON). The value ends at the next quote; an escape inside it would fail
    strict base64 later and send the body down the plain path.
    """
    view = memoryview(raw)
    parts: list[bytes | memoryview] = []
    blobs: _Blobs = {}
    done = pos = 0
    while (match := _DATA_KEY.search(raw, pos)) is not None:
        start = match.end()
        end = raw.find(b'"', start)
        if end < 0:
            return None
        pos = end + 1
        if end - start < _HOIST_MIN or _escaped(raw, match.start()):
            continue
        parts += (view[done:start], b"\\u0000qrj%d" % len(blobs))
        blobs[f"{_PLACEHOLDER_PREFIX}{len(blobs)}"] = view[start:end]
        done = end
    if not blobs:
        return None
    parts.append(view[done:])
    return b"".join(parts), blobs


def decode_result_bytes(body: bytes | memoryview) -> DecodedResults:
    """Decode a raw results response body (the fast path; same answer as `decode_results`)."""
    raw = body if isinstance(body, bytes) else bytes(body)
    hoisted = _hoist(raw)
    if hoisted is not None:
        skeleton, blobs = hoisted
        try:
            return _Walk(blobs).results(loads(skeleton))
        except (_Fallback, ValueError):
            pass
    try:
        doc = loads(raw)
    except ValueError as error:
        return RawResults(raw, "unknown", f"not JSON: {error}")
    return _Walk().results(doc)
