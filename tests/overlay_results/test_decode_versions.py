"""The result versions IBM's own client reads (executor v1.0, v1.1, v2.0; noise learner v3 v0.3;
executor v0.2 alongside), with ibm-quantum-schemas as the oracle: every body is built and
serialized by its pydantic models, and both our paths (`decode_results` of the parsed JSON,
`decode_result_bytes` of the bytes) must give back exactly what its models read from the same
bytes: arrays bit for bit, and every metadata field typed."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from qiskit_runtime_jobs import (
    ChunkPart,
    ChunkSpan,
    DecodedResults,
    ExecutorItem,
    ExecutorResults,
    ItemMetadata,
    NoiseLearnerResults,
    RawResults,
    RawTensor,
    SchedulerTiming,
    StretchValue,
    _decode,
    decode_results,
)
from qiskit_runtime_jobs._decode import decode_result_bytes

from .conftest import decode_one

tensor = pytest.importorskip("ibm_quantum_schemas.common.tensor")
pydantic = pytest.importorskip("pydantic")
EXECUTOR: dict[str, ModuleType] = {
    version: pytest.importorskip(f"ibm_quantum_schemas.executor.version_{module}.models")
    for version, module in [("v0.2", "0_2"), ("v1.0", "1_0"), ("v1.1", "1_1"), ("v2.0", "2_0")]
}
NOISE_LEARNER = pytest.importorskip("ibm_quantum_schemas.noise_learner_v3.version_0_3.models")

PLAIN = ["f64", "bool", "u8", "c128"]
COMPRESSED = [
    *("f16", "f32", "f64", "bool", "i8", "i16", "i32", "i64"),
    *("u8", "u16", "u32", "u64", "c64", "c128"),
]
NUMPY = {
    name: np.dtype("?" if name == "bool" else name[0] + str(int(name[1:]) // 8))
    for name in COMPRESSED
}
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def tensor_model(version: str) -> Any:
    """The tensor model a version's results and passthrough data hold."""
    return tensor.CompressedTensorModel if version == "v2.0" else tensor.TensorModel


def dtypes(version: str) -> list[str]:
    return COMPRESSED if version == "v2.0" else PLAIN


# ------------------------------------------------------------------ strategies


def small_arrays(names: list[str]) -> st.SearchStrategy[npt.NDArray[Any]]:
    """Any array of one of `names`' dtypes: 0-dim and 0-size shapes, NaNs, infinities."""
    shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6)
    return st.sampled_from(names).flatmap(lambda name: hnp.arrays(NUMPY[name], shapes))


@st.composite
def big_arrays(draw: st.DrawFn, names: list[str]) -> npt.NDArray[Any]:
    """A random-bytes array (every bit pattern, NaN payloads included) whose base64 is long
    enough (incompressible, so in v2.0 too) for the fast path to hoist it."""
    name = draw(st.sampled_from(names))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = draw(st.sampled_from([1, 3, 8]))
    if name == "bool":
        return rng.integers(0, 2, (rows, 8 * 1024 // rows + 5)).astype(bool)
    itemsize = NUMPY[name].itemsize
    raw = rng.integers(0, 256, rows * (4096 // itemsize // rows) * itemsize, dtype=np.uint8)
    return raw.view(NUMPY[name]).reshape(rows, -1)


def datetimes() -> st.SearchStrategy[datetime]:
    """Naive (UTC by the schema) or aware with a whole-minute offset, microseconds included."""
    offsets = st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    return st.datetimes(timezones=st.none() | st.just(UTC) | offsets)


@st.composite
def chunk_parts(draw: st.DrawFn, models: ModuleType, ranged: bool) -> Any:
    if not ranged:
        return models.ChunkPart(idx_item=draw(st.integers(0, 9)), size=draw(st.integers(0)))
    start = draw(st.integers(0, 10**6))
    stop = start + draw(st.integers(0, 10**6))
    step = draw(st.integers(1, 1000))
    return models.ChunkPart(
        idx_item=draw(st.integers(0, 9)),
        size=len(range(start, stop, step)),
        permutation=draw(st.integers(0, 5).flatmap(lambda n: st.permutations(range(n)))),
        element_range=(start, stop, step),
    )


def metadata(models: ModuleType, ranged: bool) -> st.SearchStrategy[Any]:
    span = st.builds(
        models.ChunkSpan,
        start=datetimes(),
        stop=datetimes(),
        parts=st.lists(chunk_parts(models, ranged), max_size=3),
    )
    return st.builds(models.MetadataModel, chunk_timing=st.lists(span, max_size=3))


def item_metadata(models: ModuleType) -> st.SearchStrategy[Any]:
    timing = st.builds(
        models.SchedulerTimingModel, timing=st.text(), circuit_duration=st.integers()
    )
    stretch = st.builds(
        models.StretchValueModel,
        name=st.text(),
        value=st.integers(),
        remainder=st.integers(),
        expanded_values=st.lists(st.tuples(st.integers(), st.integers()), max_size=3),
    )
    return st.builds(
        models.ItemMetadataModel,
        scheduler_timing=st.none() | timing,
        stretch_values=st.none() | st.lists(stretch, max_size=3),
    )


def passthrough(version: str) -> st.SearchStrategy[Any]:
    """A DataTree: JSON with the version's tensors at any depth."""
    leaves = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text()
        | small_arrays(dtypes(version)).map(tensor_model(version).from_numpy)
    )
    return st.recursive(
        leaves,
        lambda kids: (
            st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=4), kids, max_size=3)
        ),
        max_leaves=8,
    )


@st.composite
def executor_bodies(draw: st.DrawFn, version: str, big: bool | None = None) -> bytes:
    """One executor result of `version`, serialized by ibm-quantum-schemas."""
    models = EXECUTOR[version]
    model = tensor_model(version)
    names = dtypes(version)
    items = []
    for _ in range(draw(st.integers(1 if big else 0, 3))):
        arrays = draw(st.lists(small_arrays(names), max_size=4))
        if big or (big is None and draw(st.booleans())):
            arrays.append(draw(big_arrays(names)))
        results = {f"r{i}": model.from_numpy(a) for i, a in enumerate(arrays)}
        items.append(
            models.QuantumProgramResultItemModel(
                results=results, metadata=draw(item_metadata(models))
            )
        )
    fields: dict[str, Any] = {
        "data": items,
        "metadata": draw(metadata(models, ranged=version != "v0.2")),
        "passthrough_data": draw(passthrough(version)),
    }
    if version != "v0.2":
        fields["semantic_role"] = draw(st.none() | st.sampled_from(["sampler-v2", "x"]) | st.text())
    body: bytes = models.QuantumProgramResultModel(**fields).model_dump_json().encode()
    return body


# ------------------------------------------------------------------ comparing with the oracle


def assert_array(ours: Any, theirs: npt.NDArray[Any]) -> None:
    """Bit for bit: dtype, shape, and every byte (so NaN payloads and -0.0 count)."""
    assert isinstance(ours, np.ndarray), ours
    assert (ours.dtype, ours.shape) == (theirs.dtype, theirs.shape)
    assert ours.tobytes() == theirs.tobytes()
    if ours.dtype.kind not in "fc":
        assert np.array_equal(ours, theirs)


def assert_tree(ours: Any, theirs: Any) -> None:
    """Passthrough data: their tensor models are our arrays; everything else equal, same type."""
    if isinstance(theirs, tensor.TensorModel):
        assert_array(ours, theirs.to_numpy())
    elif isinstance(theirs, list):
        assert isinstance(ours, list)
        assert len(ours) == len(theirs)
        for mine, its in zip(ours, theirs, strict=True):
            assert_tree(mine, its)
    elif isinstance(theirs, dict):
        assert isinstance(ours, dict)
        assert ours.keys() == theirs.keys()
        for key in theirs:
            assert_tree(ours[key], theirs[key])
    else:
        assert type(ours) is type(theirs)
        assert ours == theirs


def assert_instant(ours: datetime, theirs: datetime) -> None:
    """The same wall-clock time and offset; a naive time of theirs is UTC (the schema's zone)."""
    assert ours.tzinfo is not None
    assert ours.replace(tzinfo=None) == theirs.replace(tzinfo=None)
    assert ours.utcoffset() == (theirs.utcoffset() or timedelta(0))


def assert_executor(decoded: DecodedResults, theirs: Any, version: str) -> None:
    assert isinstance(decoded, ExecutorResults), decoded
    assert decoded.schema_version == version == theirs.schema_version
    assert len(decoded.items) == len(theirs.data)
    for item, its in zip(decoded.items, theirs.data, strict=True):
        assert item.results.keys() == its.results.keys()
        for name, model in its.results.items():
            assert_array(item.results[name], model.to_numpy())
        assert_item_metadata(item, its.metadata)
    spans = theirs.metadata.chunk_timing
    assert len(decoded.metadata.chunk_timing) == len(spans)
    for span, its_span in zip(decoded.metadata.chunk_timing, spans, strict=True):
        assert isinstance(span, ChunkSpan)
        assert_instant(span.start, its_span.start)
        assert_instant(span.stop, its_span.stop)
        expected = tuple(
            ChunkPart(
                p.idx_item,
                p.size,
                tuple(p.permutation) if version != "v0.2" else None,
                tuple(p.element_range) if version != "v0.2" else None,
            )
            for p in its_span.parts
        )
        assert span.parts == expected
    assert decoded.semantic_role == getattr(theirs, "semantic_role", None)
    assert_tree(decoded.passthrough_data, theirs.passthrough_data)


def assert_item_metadata(item: ExecutorItem, theirs: Any) -> None:
    timing, stretches = theirs.scheduler_timing, theirs.stretch_values
    expected = ItemMetadata(
        None if timing is None else SchedulerTiming(timing.timing, timing.circuit_duration),
        None
        if stretches is None
        else tuple(
            StretchValue(s.name, s.value, s.remainder, tuple(map(tuple, s.expanded_values)))
            for s in stretches
        ),
    )
    assert item.metadata == expected


def both_paths(body: bytes) -> Iterator[DecodedResults]:
    yield decode_results(json.loads(body))
    yield decode_result_bytes(body)


# ------------------------------------------------------------------ the versions, against IBM


@pytest.mark.parametrize("version", ["v0.2", "v1.0", "v1.1", "v2.0"])
@EXAMPLES
@given(data=st.data())
def test_executor_results_match_ibm(version: str, data: st.DataObject) -> None:
    """Arrays of every dtype the version allows (any shape, big ones for the fast path), every
    metadata field, semantic_role and passthrough data: as ibm-quantum-schemas reads them."""
    body = data.draw(executor_bodies(version))
    theirs = EXECUTOR[version].QuantumProgramResultModel.model_validate_json(body)
    for decoded in both_paths(body):
        assert_executor(decoded, theirs, version)


@pytest.mark.parametrize("version", ["v1.0", "v2.0"])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_large_bodies_take_the_fast_path(version: str, data: st.DataObject) -> None:
    """With a big tensor in every item, the body is parsed once, as a small skeleton: the big
    base64 never becomes a `str` (v2.0's compressed data included), and the answer is IBM's."""
    body = data.draw(executor_bodies(version, big=True))
    with pytest.MonkeyPatch.context() as monkeypatch:
        parsed = spy_on_loads(monkeypatch)
        decoded = decode_result_bytes(body)
    assert len(parsed) == 1
    assert parsed[0] < len(body) // 2
    theirs = EXECUTOR[version].QuantumProgramResultModel.model_validate_json(body)
    assert_executor(decoded, theirs, version)


@pytest.mark.parametrize("name", COMPRESSED)
def test_every_compressed_dtype_round_trips(name: str) -> None:
    """Each CompressedTensorModel dtype, big enough for the fast path, comes back as the very
    array that was sent (IBM's `to_numpy` agrees), in a result of its own."""
    array = _random(name)
    model = tensor.CompressedTensorModel.from_numpy(array)
    assert len(model.data) > 1024
    decoded = decode_one(model.model_dump(), compressed=True)
    assert_array(decoded, model.to_numpy())
    assert_array(decoded, array.astype(array.dtype.newbyteorder("<")))
    models = EXECUTOR["v2.0"]
    item = models.QuantumProgramResultItemModel(
        results={"x": model}, metadata=models.ItemMetadataModel()
    )
    result = models.QuantumProgramResultModel(data=[item], metadata={"chunk_timing": []})
    for decoded_result in both_paths(result.model_dump_json().encode()):
        assert isinstance(decoded_result, ExecutorResults)
        assert_array(decoded_result.items[0].results["x"], array)


def _random(name: str) -> npt.NDArray[Any]:
    rng = np.random.default_rng(7)
    if name == "bool":
        return rng.integers(0, 2, (13, 997)).astype(bool)
    dtype = NUMPY[name]  # 3 rows of 400 random bytes: 1,600 characters of base64 and more
    return rng.integers(0, 256, 1200, dtype=np.uint8).view(dtype).reshape(3, -1)


@EXAMPLES
@given(data=st.data())
def test_noise_learner_v03_matches_ibm(data: st.DataObject) -> None:
    """Noise learner v3 v0.3 (as v0.2, with its own version): rates and rates_std as IBM's f64
    arrays, the rest as the JSON sent."""
    small = hnp.arrays(np.float64, st.integers(0, 9))
    big = st.integers(0, 2**32 - 1).map(_floats)  # 600 floats: the fast path
    items = []
    for _ in range(data.draw(st.integers(0, 3))):
        rates = data.draw(small | big)
        post_selection = NOISE_LEARNER.TREXResultPostSelectionMetadataModel(
            fraction_kept=0.5, success_rates={0: 1.0, 3: 0.25}
        )
        items.append(
            NOISE_LEARNER.NoiseLearnerV3ResultModel(
                generators_sparse=[[("XZ", [0, 1])], [("Y", [1])]],
                num_qubits=data.draw(st.integers(0, 127)),
                rates=tensor.F64TensorModel.from_numpy(rates),
                rates_std=tensor.F64TensorModel.from_numpy(np.abs(rates)),
                metadata=NOISE_LEARNER.TREXResultMetadataModel(post_selection=post_selection),
            )
        )
    body = NOISE_LEARNER.NoiseLearnerV3ResultsModel(data=items).model_dump_json().encode()
    theirs = NOISE_LEARNER.NoiseLearnerV3ResultsModel.model_validate_json(body)
    sent = json.loads(body)["data"]
    for decoded in both_paths(body):
        assert isinstance(decoded, NoiseLearnerResults)
        assert decoded.schema_version == "v0.3"
        assert len(decoded.items) == len(theirs.data)
        for item, its, raw in zip(decoded.items, theirs.data, sent, strict=True):
            assert_array(item.rates, its.rates.to_numpy())
            assert_array(item.rates_std, its.rates_std.to_numpy())
            assert item.num_qubits == its.num_qubits
            assert item.generators_sparse == raw["generators_sparse"]
            assert item.metadata == raw["metadata"]
            assert item.metadata["post_selection"]["success_rates"] == {"0": 1.0, "3": 0.25}


def _floats(seed: int) -> npt.NDArray[np.float64]:
    """600 random bit patterns as float64 (NaN payloads included)."""
    raw = np.random.default_rng(seed).integers(0, 256, 600 * 8, dtype=np.uint8)
    return raw.view(np.float64)


# ------------------------------------------------------------------ what IBM refuses, we keep raw


def valid_doc(version: str) -> dict[str, Any]:
    """A result of `version` with every metadata field set and a tensor for the fast path."""
    models = EXECUTOR[version]
    meta = models.ItemMetadataModel(
        scheduler_timing=models.SchedulerTimingModel(timing="0,x,q0,160", circuit_duration=1200),
        stretch_values=[
            models.StretchValueModel(name="s0", value=16, remainder=0, expanded_values=[(0, 16)])
        ],
    )
    array = _random("f64")
    item = models.QuantumProgramResultItemModel(
        results={"evs": tensor_model(version).from_numpy(array)}, metadata=meta
    )
    part = {"idx_item": 0, "size": 2, "permutation": [1, 0], "element_range": [0, 4, 2]}
    span = {"start": "2026-03-06T14:02:18Z", "stop": "2026-03-06T14:05:47Z", "parts": [part]}
    result = models.QuantumProgramResultModel(
        data=[item], metadata={"chunk_timing": [span]}, semantic_role="sampler-v2"
    )
    doc: dict[str, Any] = json.loads(result.model_dump_json())
    return doc


def _drop(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path
        for key in parents:
            doc = doc[key]
        del doc[last]

    return change


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, last = path
        for key in parents:
            doc = doc[key]
        doc[last] = value

    return change


ITEM_META = ["data", 0, "metadata"]
PART = ["metadata", "chunk_timing", 0, "parts", 0]
BREAKS = {
    "no circuit_duration": (
        _drop([*ITEM_META, "scheduler_timing", "circuit_duration"]),
        "circuit_duration",
    ),
    "timing not a string": (_set([*ITEM_META, "scheduler_timing", "timing"], 5), "timing"),
    "no permutation": (_drop([*PART, "permutation"]), "permutation"),
    "range of two": (_set([*PART, "element_range"], [0, 4]), "element_range"),
    "fractional size": (_set([*PART, "size"], 1.5), "size"),
    "no idx_item": (_drop([*PART, "idx_item"]), "idx_item"),
    "start not a date-time": (_set(["metadata", "chunk_timing", 0, "start"], "yesterday"), "start"),
    "stop a list": (_set(["metadata", "chunk_timing", 0, "stop"], []), "stop"),
    "parts not a list": (_set(["metadata", "chunk_timing", 0, "parts"], {}), "parts"),
    "no chunk_timing": (_drop(["metadata", "chunk_timing"]), "chunk_timing"),
    "metadata null": (_set(["metadata"], None), "MetadataModel"),
    "triple delay": (
        _set([*ITEM_META, "stretch_values", 0, "expanded_values"], [[0, 1, 2]]),
        "expanded_values",
    ),
    "stretch without name": (_drop([*ITEM_META, "stretch_values", 0, "name"]), "name"),
    "stretch_values an object": (_set([*ITEM_META, "stretch_values"], {}), "stretch_values"),
    "no item metadata": (_drop(ITEM_META), "metadata"),
    "item metadata null": (_set(ITEM_META, None), "ItemMetadataModel"),
    "semantic_role a number": (_set(["semantic_role"], 5), "semantic_role"),
}


@pytest.mark.parametrize("version", ["v1.0", "v1.1", "v2.0"])
@pytest.mark.parametrize("name", list(BREAKS))
def test_metadata_breaking_its_schema_is_kept_raw(
    version: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Metadata IBM's model refuses makes the whole result a RawResults("unknown") saying what
    broke, with the JSON as sent; the fast path tries, then leaves it to the plain path."""
    doc = valid_doc(version)
    assert isinstance(decode_results(doc), ExecutorResults)  # valid before the change
    change, field = BREAKS[name]
    change(doc)
    body = json.dumps(doc).encode()
    with pytest.raises(pydantic.ValidationError):
        EXECUTOR[version].QuantumProgramResultModel.model_validate_json(body)
    parsed = spy_on_loads(monkeypatch)
    for decoded in both_paths(body):
        assert isinstance(decoded, RawResults)
        assert decoded.format == "unknown"
        assert field in decoded.reason
        assert decoded.value == doc
    assert len(parsed) == 2  # the skeleton, then the whole body
    assert parsed[0] < len(body) // 2 < parsed[1]


def test_v0x_chunk_parts_have_no_range_and_v01_item_metadata_stays_json() -> None:
    """v0.x parts carry no permutation or element_range (ignored if sent, as IBM ignores them);
    v0.1 item metadata is any JSON, kept as sent."""
    part = {"idx_item": 0, "size": 2, "permutation": [0], "element_range": [0, 2, 1]}
    span = {"start": "2026-03-06T14:02:18", "stop": "2026-03-06T14:02:19+02:00", "parts": [part]}
    v02 = EXECUTOR["v0.2"].QuantumProgramResultModel(data=[], metadata={"chunk_timing": [span]})
    theirs = v02.metadata.chunk_timing[0]
    for version in ("v0.1", "v0.2"):
        item = {"results": {}, "metadata": {"free": ["form", 1]} if version == "v0.1" else {}}
        doc = {"schema_version": version, "data": [item], "metadata": {"chunk_timing": [span]}}
        decoded = decode_results(doc)
        assert isinstance(decoded, ExecutorResults)
        (ours,) = decoded.metadata.chunk_timing
        assert ours.parts == (ChunkPart(0, 2, None, None),)
        assert_instant(ours.start, theirs.start)
        assert_instant(ours.stop, theirs.stop)
        assert ours.start == datetime(2026, 3, 6, 14, 2, 18, tzinfo=UTC)
        expected = {"free": ["form", 1]} if version == "v0.1" else ItemMetadata(None, None)
        assert decoded.items[0].metadata == expected


@pytest.mark.parametrize(
    "payload",
    [
        {"schema_version": "v2.1", "data": [], "metadata": {"chunk_timing": []}},
        {"schema_version": "v3.0", "data": [], "metadata": {"chunk_timing": []}},
        {"schema_version": "v0.4", "data": [{"rates": {}}]},
        {"schema_version": "v1.0", "data": [{"rates": {}}]},
        {"schema_version": 2.0, "data": [], "metadata": {"chunk_timing": []}},
    ],
    ids=["executor v2.1", "executor v3.0", "noise learner v0.4", "noise learner v1.0", "number"],
)
def test_versions_we_do_not_know_stay_raw(payload: dict[str, Any]) -> None:
    """A version of neither kind we read comes back as RawResults, naming it."""
    for decoded in both_paths(json.dumps(payload).encode()):
        assert isinstance(decoded, RawResults)
        assert (decoded.format, decoded.value) == ("unknown", payload)
        assert "schema_version" in decoded.reason


# ------------------------------------------------------------------ tensors that stay raw


def compressed(raw: bytes) -> str:
    return base64.b64encode(zlib.compress(raw)).decode()


BAD_COMPRESSED = {
    "not zlib": (
        {"data": base64.b64encode(b"\x00" * 16).decode(), "shape": [2], "dtype": "f64"},
        "not valid zlib",
    ),
    "truncated": (
        {
            "data": base64.b64encode(zlib.compress(b"\x01" * 16)[:-6]).decode(),
            "shape": [2],
            "dtype": "f64",
        },
        "truncated",
    ),
    "too short": ({"data": compressed(b"\x00" * 8), "shape": [2], "dtype": "f64"}, "do not fit"),
    "too long": (
        {"data": compressed(b"\x00" * 24), "shape": [2], "dtype": "f64"},
        "inflates past the 16 bytes its shape implies",
    ),
    # 20 MB of zeros in 20 kB: refused after inflating 2 bytes, not 20 MB
    "zip bomb": (
        {"data": compressed(bytes(20_000_000)), "shape": [1], "dtype": "u8"},
        "inflates past the 1 bytes its shape implies",
    ),
    "unknown dtype": (
        {"data": compressed(b"\x00" * 16), "shape": [1], "dtype": "f128"},
        "unknown dtype 'f128'",
    ),
    "bad base64": ({"data": "eJ=z", "shape": [1], "dtype": "u8"}, "base64"),
}


@pytest.mark.parametrize("name", list(BAD_COMPRESSED))
def test_bad_compressed_tensor_stays_raw(name: str) -> None:
    """In a v2.0 result a bad tensor stays a RawTensor saying what is wrong, alone or next to a
    good one (big: the fast path falls back and agrees)."""
    bad, message = BAD_COMPRESSED[name]
    alone = decode_one(bad, compressed=True)
    assert isinstance(alone, RawTensor)
    assert message in alone.reason
    good = tensor.CompressedTensorModel.from_numpy(_random("f32")).model_dump()
    item = {"results": {"good": good, "bad": bad}, "metadata": {}}
    doc = {"schema_version": "v2.0", "data": [item], "metadata": {"chunk_timing": []}}
    for decoded in both_paths(json.dumps(doc).encode()):
        assert isinstance(decoded, ExecutorResults)
        results = decoded.items[0].results
        assert_array(results["good"], _random("f32"))
        assert isinstance(results["bad"], RawTensor)
        assert (results["bad"].data, results["bad"].dtype) == (bad["data"], bad["dtype"])
        assert message in results["bad"].reason


def test_tensor_encodings_do_not_cross_versions() -> None:
    """v1.x keeps TensorModel's four dtypes and uncompressed data, v2.0 only reads compressed
    data: the other encoding stays a RawTensor in results and a plain dict in passthrough."""
    array = np.arange(4, dtype=np.float32)
    packed = tensor.CompressedTensorModel.from_numpy(array).model_dump()
    plain = tensor.TensorModel.from_numpy(np.arange(4.0)).model_dump()
    for version, foreign in [("v1.1", packed), ("v2.0", plain)]:
        item = {"results": {"x": foreign}, "metadata": {}}
        doc = {
            "schema_version": version,
            "data": [item],
            "metadata": {"chunk_timing": []},
            "passthrough_data": {"t": foreign},
        }
        for decoded in both_paths(json.dumps(doc).encode()):
            assert isinstance(decoded, ExecutorResults)
            assert isinstance(decoded.items[0].results["x"], RawTensor)
            assert decoded.passthrough_data == {"t": foreign}


def test_compressed_arrays_are_read_only_views_and_bools_fresh() -> None:
    """As for uncompressed tensors: numeric arrays view the inflated bytes, bools are new."""
    f64 = tensor.CompressedTensorModel.from_numpy(np.arange(3.0)).model_dump()
    bits = tensor.CompressedTensorModel.from_numpy(np.ones(3, bool)).model_dump()
    numeric, unpacked = decode_one(f64, compressed=True), decode_one(bits, compressed=True)
    assert not isinstance(numeric, RawTensor)
    assert not isinstance(unpacked, RawTensor)
    assert not numeric.flags.writeable
    assert unpacked.flags.writeable


def spy_on_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text `_decode` parses as JSON, from now on."""
    parsed: list[int] = []
    loads = _decode.loads

    def spy(text: bytes) -> Any:
        parsed.append(len(text))
        return loads(text)

    monkeypatch.setattr(_decode, "loads", spy)
    return parsed
