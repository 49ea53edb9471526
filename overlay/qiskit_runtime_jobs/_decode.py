"""Job results as numpy arrays: the ibm-quantum-schemas tensor encoding, decoded without loops.

A `TensorModel` is `{"data": base64, "shape": [...], "dtype": "f64" | "c128" | "u8" | "bool"}`:
the bytes are little-endian, C order. Bool tensors are bit-packed the way
`ibm_quantum_schemas.common.tensor.TensorModel.from_numpy` packs them:
`numpy.packbits(flat, bitorder="little")` over the whole flattened array (bit i of the tensor is
bit `i % 8`, least significant first, of byte `i // 8`), zero-padded only at the very end, so
`ceil(size / 8)` bytes. Decoding is `unpackbits(..., count=size, bitorder="little")` then a
reshape: a `(shots, bits)` tensor comes back as `shots x bits` booleans.

Executor results v2.0 hold `CompressedTensorModel`s instead (results and passthrough data
alike): the same bytes zlib-compressed before the base64, and more dtypes (f16 f32 f64 bool
i8 i16 i32 i64 u8 u16 u32 u64 c64 c128).

Metadata comes back typed, as the schema of its version gives it (`ExecutorMetadata`,
`ItemMetadata`), so a caller never re-validates JSON; v0.1 items keep theirs as JSON, because
v0.1 gives it no shape. Keys a version does not define are ignored, as ibm-quantum-schemas'
models ignore them.

`decode_result_bytes` is the fast path for a whole response body. It never turns the big base64
strings into Python `str`: it finds each `"data": "<base64>"` value in the raw bytes, swaps it
for a short placeholder, parses the small remainder as JSON, and decodes every placeholder's
bytes straight from a memoryview of the body. Anything unexpected on that path (JSON escapes
inside the data, a dtype it does not know, a placeholder that is not a tensor's data, metadata
that breaks its schema) makes it start again on the plain path (parse everything, then decode),
so both give the same answer.

Never an exception for a whole result: an unknown format or schema version, metadata that breaks
its version's schema, or the legacy string format, comes back as `RawResults`; a single tensor
that cannot be decoded (unknown dtype, data that does not fit its shape) comes back as
`RawTensor` next to the decoded ones.
"""

from __future__ import annotations

import binascii
import importlib
import math
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal, TypeAlias, TypeVar, get_args

import numpy as np
import numpy.typing as npt

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

_Json: TypeAlias = bool | int | float | str | list[Any] | dict[str, Any] | None

ExecutorVersion: TypeAlias = Literal["v0.1", "v0.2", "v1.0", "v1.1", "v2.0"]
NoiseLearnerVersion: TypeAlias = Literal["v0.1", "v0.2", "v0.3"]


@dataclass(frozen=True, slots=True)
class SchedulerTiming:
    """How the circuit was scheduled, in units of the backend's `dt`."""

    timing: str
    """The schedule in the service's comma-separated text format."""
    circuit_duration: int


@dataclass(frozen=True, slots=True)
class StretchValue:
    """How one stretch (a duration the scheduler chooses) was resolved, in units of `dt`."""

    name: str
    value: int
    remainder: int
    """What is left over if every use of the stretch took `value`."""
    expanded_values: tuple[tuple[int, int], ...]
    """`(time, duration)` of each delay the stretch became."""


@dataclass(frozen=True, slots=True)
class ItemMetadata:
    """One item's metadata (executor v0.2 and later); None where the service did not send it."""

    scheduler_timing: SchedulerTiming | None = None
    stretch_values: tuple[StretchValue, ...] | None = None


@dataclass(frozen=True, slots=True)
class ChunkPart:
    """Which elements of one item ran in a chunk.

    `permutation` and `element_range` (executor v1.0 and later; None before) locate them:
    `flatten(transpose(item, permutation))[slice(*element_range)]`.
    """

    idx_item: int
    size: int
    permutation: tuple[int, ...] | None = None
    element_range: tuple[int, int, int] | None = None


@dataclass(frozen=True, slots=True)
class ChunkSpan:
    """When one chunk of execution ran (timezone-aware; a time sent without a zone is UTC, as
    the schema says) and what it held. The span may include some non-circuit time."""

    start: datetime
    stop: datetime
    parts: tuple[ChunkPart, ...]


@dataclass(frozen=True, slots=True)
class ExecutorMetadata:
    """Job-wide metadata: when each chunk of the program ran, with which items' elements."""

    chunk_timing: tuple[ChunkSpan, ...]


@dataclass(frozen=True, slots=True)
class ExecutorItem:
    """One quantum-program item: its named result tensors and its metadata (`ItemMetadata`
    from v0.2 on; v0.1 gives item metadata no shape, so it stays the JSON value sent)."""

    results: dict[str, TensorValue]
    metadata: ItemMetadata | _Json


@dataclass(frozen=True, slots=True)
class ExecutorResults:
    """An executor result (schema v0.1 to v2.0): `passthrough_data` as JSON with its tensors
    decoded; `semantic_role` (v1.0 and later) tells how a client may post-process the result."""

    schema_version: ExecutorVersion
    items: list[ExecutorItem]
    metadata: ExecutorMetadata
    passthrough_data: Any = None
    semantic_role: str | None = None


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
    """A noise-learner v3 result (schema v0.1 to v0.3)."""

    schema_version: NoiseLearnerVersion
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

_PLAIN_DTYPES: Final[dict[str, np.dtype[Any]]] = {
    "f64": np.dtype("<f8"),
    "c128": np.dtype("<c16"),
    "u8": np.dtype("u1"),
}
_COMPRESSED_DTYPES: Final[dict[str, np.dtype[Any]]] = {
    name: np.dtype(code)
    for name, code in {
        "f16": "<f2",
        "f32": "<f4",
        "f64": "<f8",
        "i8": "i1",
        "i16": "<i2",
        "i32": "<i4",
        "i64": "<i8",
        "u8": "u1",
        "u16": "<u2",
        "u32": "<u4",
        "u64": "<u8",
        "c64": "<c8",
        "c128": "<c16",
    }.items()
}
"""CompressedTensorModel's dtypes but bool (which is bit-packed, not a numpy dtype)."""


def _shape(shape: Any) -> tuple[int, ...]:
    if not isinstance(shape, list | tuple) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise TensorDecodeError(f"shape must be a list of non-negative integers, got {shape!r}")
    return tuple(shape)


def _inflate(packed: bytes, expected: int) -> bytes:
    """zlib-decompress at most one byte more than the shape implies: a tensor that inflates
    past its shape (a zip bomb among them) is refused without ever being held whole (the
    caller checks the size)."""
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, expected + 1)
    except zlib.error as error:
        raise TensorDecodeError(f"data is not valid zlib: {error}") from None
    if not inflater.eof:
        state = "inflates past" if len(raw) > expected else "is truncated before"
        raise TensorDecodeError(f"zlib data {state} the {expected} bytes its shape implies")
    return raw


def _to_numpy(data: _Text, shape: Any, dtype: str, compressed: bool = False) -> npt.NDArray[Any]:
    """Decode one tensor's base64 `data` (a str, or a memoryview into the response body).

    Numeric arrays are read-only views over the decoded bytes (no copy): `.copy()` to write.
    Bool arrays are fresh and writable.
    """
    dims = _shape(shape)
    size = math.prod(dims)
    numeric = _COMPRESSED_DTYPES if compressed else _PLAIN_DTYPES
    if dtype != "bool" and dtype not in numeric:
        raise TensorDecodeError(f"unknown dtype {dtype!r}")
    try:
        raw = _b64decode(data)
    except ValueError as error:
        raise TensorDecodeError(f"data is not valid base64: {error}") from None
    expected = (size + 7) // 8 if dtype == "bool" else size * numeric[dtype].itemsize
    if compressed:
        raw = _inflate(raw, expected)
    if len(raw) != expected:
        raise TensorDecodeError(
            f"{len(raw)} bytes of data do not fit shape {list(dims)} of dtype {dtype}"
            f" ({expected} bytes expected)"
        )
    if dtype == "bool":
        flat = np.unpackbits(np.frombuffer(raw, np.uint8), count=size, bitorder="little")
        flat = flat.view(np.bool_)
    else:
        flat = np.frombuffer(raw, numeric[dtype])
    try:
        return flat.reshape(dims)
    except ValueError as error:  # e.g. a 0-size shape with absurd dimensions
        raise TensorDecodeError(f"shape {list(dims)}: {error}") from None


# ------------------------------------------------------------------ typed metadata


class _Fallback(Exception):
    """The fast path met something it leaves to the plain path."""


class _Malformed(Exception):
    """The payload looked like a known format but breaks it: returned raw."""


def _field(obj: Mapping[str, Any], key: str, model: str) -> Any:
    if key not in obj:
        raise _Malformed(f"{model}: `{key}` is missing")
    return obj[key]


def _object(value: Any, model: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Malformed(f"{model} must be an object, got {type(value).__name__}")
    return value


def _array(value: Any, what: str, length: int | None = None) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, list | tuple) or (length is not None and len(value) != length):
        count = "an array" if length is None else f"an array of {length}"
        raise _Malformed(f"{what} must be {count}, got {_describe(value)}")
    return value


def _describe(value: Any) -> str:
    if isinstance(value, list | tuple):
        return f"{len(value)} items"
    return type(value).__name__


def _int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Malformed(f"{what} must be an integer, got {type(value).__name__}")
    return value


def _ints(value: Any, what: str, length: int | None = None) -> tuple[int, ...]:
    return tuple(_int(n, f"{what} item") for n in _array(value, what, length))


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise _Malformed(f"{what} must be a string, got {type(value).__name__}")
    return value


def _datetime(value: Any, what: str) -> datetime:
    try:
        when = datetime.fromisoformat(_str(value, what))
    except ValueError as error:
        raise _Malformed(f"{what} is not an ISO 8601 date-time: {error}") from None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


_Item = TypeVar("_Item")


def _each(value: Any, what: str, parse: Callable[[Any], _Item]) -> tuple[_Item, ...]:
    return tuple(parse(v) for v in _array(value, what))


def _chunk_part(value: Any, ranged: bool) -> ChunkPart:
    part = _object(value, "ChunkPart")
    idx_item = _int(_field(part, "idx_item", "ChunkPart"), "ChunkPart.idx_item")
    size = _int(_field(part, "size", "ChunkPart"), "ChunkPart.size")
    if not ranged:
        return ChunkPart(idx_item, size)
    permutation = _ints(_field(part, "permutation", "ChunkPart"), "ChunkPart.permutation")
    element_range = _field(part, "element_range", "ChunkPart")
    start, stop, step = _ints(element_range, "ChunkPart.element_range", 3)
    return ChunkPart(idx_item, size, permutation, (start, stop, step))


def _chunk_span(value: Any, ranged: bool) -> ChunkSpan:
    span = _object(value, "ChunkSpan")
    return ChunkSpan(
        _datetime(_field(span, "start", "ChunkSpan"), "ChunkSpan.start"),
        _datetime(_field(span, "stop", "ChunkSpan"), "ChunkSpan.stop"),
        _each(
            _field(span, "parts", "ChunkSpan"), "ChunkSpan.parts", lambda p: _chunk_part(p, ranged)
        ),
    )


def _from_v1(version: ExecutorVersion) -> bool:
    """v1.0 on: ranged chunk parts and `semantic_role` (v0.x has neither)."""
    return version not in ("v0.1", "v0.2")


def _metadata(value: Any, version: ExecutorVersion) -> ExecutorMetadata:
    if value is None and version == "v0.1":  # an early v0.1 sent null: ibm-quantum-schemas too
        return ExecutorMetadata(())
    metadata = _object(value, "MetadataModel")
    spans = _field(metadata, "chunk_timing", "MetadataModel")
    ranged = _from_v1(version)
    return ExecutorMetadata(
        _each(spans, "MetadataModel.chunk_timing", lambda s: _chunk_span(s, ranged))
    )


def _scheduler_timing(value: Any) -> SchedulerTiming:
    timing = _object(value, "SchedulerTimingModel")
    return SchedulerTiming(
        _str(_field(timing, "timing", "SchedulerTimingModel"), "SchedulerTimingModel.timing"),
        _int(
            _field(timing, "circuit_duration", "SchedulerTimingModel"),
            "SchedulerTimingModel.circuit_duration",
        ),
    )


def _pair(value: Any) -> tuple[int, int]:
    time, duration = _ints(value, "StretchValueModel.expanded_values item", 2)
    return time, duration


def _stretch_value(value: Any) -> StretchValue:
    stretch = _object(value, "StretchValueModel")
    model = "StretchValueModel"
    return StretchValue(
        _str(_field(stretch, "name", model), f"{model}.name"),
        _int(_field(stretch, "value", model), f"{model}.value"),
        _int(_field(stretch, "remainder", model), f"{model}.remainder"),
        _each(_field(stretch, "expanded_values", model), f"{model}.expanded_values", _pair),
    )


def _item_metadata(value: Any) -> ItemMetadata:
    metadata = _object(value, "ItemMetadataModel")
    timing = metadata.get("scheduler_timing")
    stretches = metadata.get("stretch_values")
    return ItemMetadata(
        None if timing is None else _scheduler_timing(timing),
        None
        if stretches is None
        else _each(stretches, "ItemMetadataModel.stretch_values", _stretch_value),
    )


# ------------------------------------------------------------------ whole results

_EXECUTOR_VERSIONS: Final[dict[str, ExecutorVersion]] = {v: v for v in get_args(ExecutorVersion)}
_NOISE_LEARNER_VERSIONS: Final[dict[str, NoiseLearnerVersion]] = {
    v: v for v in get_args(NoiseLearnerVersion)
}
_Version = TypeVar("_Version", ExecutorVersion, NoiseLearnerVersion)

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
    def _version(doc: Mapping[str, Any], known: Mapping[str, _Version]) -> _Version:
        version = doc.get("schema_version", "v0.1")
        if not isinstance(version, str) or version not in known:
            raise _Malformed(f"unsupported schema_version {version!r}")
        return known[version]

    def _executor(self, doc: Mapping[str, Any], items: list[Any]) -> ExecutorResults:
        version = self._version(doc, _EXECUTOR_VERSIONS)
        compressed = version == "v2.0"
        metadata = _metadata(doc["metadata"], version)  # first: a bad one is found cheaply
        role = None
        if _from_v1(version) and doc.get("semantic_role") is not None:
            role = _str(doc["semantic_role"], "semantic_role")
        decoded = []
        for item in items:
            tensors = item["results"]
            if not isinstance(tensors, Mapping):
                raise _Malformed("an item's `results` is not an object")
            item_metadata: ItemMetadata | _Json = (
                item.get("metadata")
                if version == "v0.1"
                else _item_metadata(_field(item, "metadata", "QuantumProgramResultItemModel"))
            )
            results = {str(k): self.tensor(v, compressed=compressed) for k, v in tensors.items()}
            decoded.append(ExecutorItem(results, item_metadata))
        passthrough = self.passthrough(doc.get("passthrough_data"), compressed)
        return ExecutorResults(version, decoded, metadata, passthrough, role)

    def _noise_learner(self, doc: Mapping[str, Any], items: list[Any]) -> NoiseLearnerResults:
        version = self._version(doc, _NOISE_LEARNER_VERSIONS)
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

    def tensor(
        self, value: Any, default_dtype: str | None = None, *, compressed: bool = False
    ) -> TensorValue:
        """One tensor of a known format; kept raw (plain path) when it cannot be decoded."""
        if not isinstance(value, Mapping):
            raise _Malformed(f"a tensor must be an object, got {type(value).__name__}")
        dtype = value.get("dtype", default_dtype)
        try:
            if dtype is None:
                raise TensorDecodeError("dtype is missing")
            source = self._source(value.get("data"))
            return _to_numpy(source, value.get("shape"), str(dtype), compressed)
        except TensorDecodeError as error:
            if self.blobs is not None:
                raise _Fallback from error
            return RawTensor(value.get("data"), value.get("shape"), dtype, str(error))

    def passthrough(self, value: Any, compressed: bool) -> Any:
        """Passthrough JSON with every well-formed tensor (data, shape, dtype) decoded."""
        if isinstance(value, list):
            return [self.passthrough(v, compressed) for v in value]
        if not isinstance(value, Mapping):
            return value
        if value.keys() == {"data", "shape", "dtype"}:
            try:
                source = self._source(value["data"])
                return _to_numpy(source, value["shape"], str(value["dtype"]), compressed)
            except TensorDecodeError as error:
                if self.blobs is not None:
                    raise _Fallback from error
                # like pydantic's union: a dict that does not validate as a tensor stays a dict
        return {k: self.passthrough(v, compressed) for k, v in value.items()}


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
