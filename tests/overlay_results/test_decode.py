"""Tensor and result decoding: the ibm-quantum-schemas encoding, round trips, the spec's examples,
raw fallbacks, and the fast byte path agreeing with the plain one."""

from __future__ import annotations

import base64
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import yaml
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from qiskit_runtime_jobs import _decode, _json
from qiskit_runtime_jobs._decode import (
    ChunkPart,
    ChunkSpan,
    DecodedResults,
    ExecutorMetadata,
    ExecutorResults,
    ItemMetadata,
    NoiseLearnerResults,
    RawResults,
    RawTensor,
    SchedulerTiming,
    StretchValue,
    decode_result_bytes,
    decode_results,
)
from qiskit_runtime_jobs_generated.models import (
    ExecutorV02QuantumProgramResultModel,
    NoiseLearnerV3V01ResultsModel,
)

from .conftest import decode_one

SPEC = yaml.safe_load(
    (Path(__file__).parents[2] / "openapi" / "qiskit-runtime-jobs.yaml").read_text()
)
SCHEMAS = SPEC["components"]["schemas"]
DTYPES = {"f64": np.float64, "c128": np.complex128, "u8": np.uint8, "bool": np.bool_}


def encode(array: npt.NDArray[Any]) -> dict[str, Any]:
    """numpy -> TensorModel JSON, as ibm-quantum-schemas' TensorModel.from_numpy does it."""
    name = {np.dtype(v): k for k, v in DTYPES.items()}[array.dtype]
    if name == "bool":
        raw = np.packbits(array.astype(np.uint8), bitorder="little").tobytes()
    else:
        raw = array.astype(array.dtype.newbyteorder("<")).tobytes()
    return {"data": base64.b64encode(raw).decode(), "shape": list(array.shape), "dtype": name}


def sample(dtype: str, shape: tuple[int, ...], seed: int = 0) -> npt.NDArray[Any]:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if dtype == "u8":
        return rng.integers(0, 256, shape).astype(np.uint8)
    if dtype == "c128":
        return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    return rng.standard_normal(shape)


SHAPES = [(), (0,), (1,), (7,), (8,), (9,), (3, 5), (100, 127), (2, 3, 5), (0, 4), (4, 0, 3)]


@pytest.mark.parametrize("dtype", list(DTYPES))
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_round_trip(dtype: str, shape: tuple[int, ...]) -> None:
    """encode -> decode gives the same values, dtype and shape (bit counts % 8 != 0 too)."""
    array = sample(dtype, shape)
    decoded = decode_one(encode(array))
    assert not isinstance(decoded, RawTensor)
    assert decoded.dtype == DTYPES[dtype]
    assert decoded.shape == shape
    np.testing.assert_array_equal(decoded, array)


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        st.sampled_from([np.dtype(t) for t in DTYPES.values()]),
        hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=9),
    )
)
def test_round_trip_property(array: npt.NDArray[Any]) -> None:
    """Any array of a supported dtype survives encode -> decode, NaNs included."""
    decoded = decode_one(encode(array))
    assert not isinstance(decoded, RawTensor)
    np.testing.assert_array_equal(decoded, array)
    assert decoded.dtype == array.dtype


def test_bool_bit_order_is_little_over_the_flat_array() -> None:
    """Bit i of the flat tensor is bit i % 8 (LSB first) of byte i // 8; padding only at the end."""
    tensor = {"data": base64.b64encode(b"\x01\x02").decode(), "shape": [2, 5], "dtype": "bool"}
    expected = np.zeros(10, bool)
    expected[[0, 9]] = True
    np.testing.assert_array_equal(decode_one(tensor), expected.reshape(2, 5))


def test_agrees_with_ibm_quantum_schemas() -> None:
    """Our decoder and ibm-quantum-schemas' TensorModel agree both ways (when it is installed)."""
    schemas = pytest.importorskip("ibm_quantum_schemas.common.tensor")
    for dtype in DTYPES:
        for shape in [(13,), (5, 127), (0,)]:
            array = sample(dtype, shape, seed=3)
            theirs = schemas.TensorModel.from_numpy(array).model_dump(mode="json")
            np.testing.assert_array_equal(decode_one(theirs), array)
            ours = schemas.TensorModel.model_validate(encode(array)).to_numpy()
            np.testing.assert_array_equal(ours, array)


def test_generated_models_accepted() -> None:
    """decode_results takes the generated result models: an executor result's TensorModel, and
    a noise learner's F64TensorModel, whose missing dtype means f64."""
    array = sample("u8", (2, 3))
    item = {"results": {"x": encode(array)}, "metadata": {}}
    doc = {"schema_version": "v0.2", "data": [item], "metadata": {"chunk_timing": []}}
    executor = decode_results(ExecutorV02QuantumProgramResultModel.from_dict(doc))
    assert isinstance(executor, ExecutorResults)
    assert executor.items[0].results["x"].tolist() == array.tolist()  # type: ignore[union-attr]
    learner = json.loads(json.dumps(spec_examples()["noise_v01"]))
    learner["data"][0]["rates"] = encode(np.array([0.5, 0.25]))
    del learner["data"][0]["rates"]["dtype"]
    noise = decode_results(NoiseLearnerV3V01ResultsModel.from_dict(learner))
    assert isinstance(noise, NoiseLearnerResults)
    assert noise.items[0].rates.tolist() == [0.5, 0.25]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tensor", "message"),
    [
        ({"data": "AAAA", "shape": [3], "dtype": "f16"}, "unknown dtype"),
        ({"data": "AAAA", "shape": [4], "dtype": "u8"}, "do not fit"),
        ({"data": "AAA", "shape": [2], "dtype": "u8"}, "base64"),
        ({"data": "AA\nAA", "shape": [3], "dtype": "u8"}, "base64"),
        ({"data": "AAAA", "shape": [-3], "dtype": "u8"}, "non-negative"),
        ({"data": "AAAA", "shape": "3", "dtype": "u8"}, "non-negative"),
        ({"data": "AQ==", "shape": [9], "dtype": "bool"}, "do not fit"),
        ({"data": 7, "shape": [1], "dtype": "u8"}, "base64 string"),
        ({"data": "AAAA", "shape": [3]}, "dtype is missing"),
    ],
)
def test_bad_tensor_stays_raw_with_the_reason(tensor: dict[str, Any], message: str) -> None:
    """A tensor that cannot be decoded comes back as it was sent, saying what is wrong."""
    decoded = decode_one(tensor)
    assert isinstance(decoded, RawTensor)
    assert (decoded.data, decoded.shape, decoded.dtype) == (
        tensor["data"],
        tensor["shape"],
        tensor.get("dtype"),
    )
    assert message in decoded.reason


def test_read_only_views_and_writable_bools() -> None:
    """Numeric arrays are zero-copy read-only views; unpacked bools are fresh arrays."""
    numeric, bits = (
        decode_one(encode(sample("f64", (3,)))),
        decode_one(encode(sample("bool", (3,)))),
    )
    assert not isinstance(numeric, RawTensor)
    assert not isinstance(bits, RawTensor)
    assert not numeric.flags.writeable
    assert bits.flags.writeable


# ------------------------------------------------------------------ the spec's examples


def spec_examples() -> dict[str, Any]:
    results = SPEC["paths"]["/jobs/{id}/results"]["get"]["responses"]["200"]["content"]
    return {
        "executor_v02": SCHEMAS["ExecutorV02QuantumProgramResultModel"]["examples"][0],
        "noise_v01": SCHEMAS["NoiseLearnerV3V01ResultsModel"]["examples"][0],
        "noise_v02": SCHEMAS["NoiseLearnerV3V02ResultsModel"]["examples"][0],
        "reference": results["application/json"]["examples"]["reference"]["value"],
        "legacy": SCHEMAS["LegacyJobResults"]["examples"][0],
    }


def test_spec_tensor_example() -> None:
    """The TensorModel example is [0.5, 0.25]."""
    decoded = decode_one(SCHEMAS["TensorModel"]["examples"][0])
    assert not isinstance(decoded, RawTensor)
    assert decoded.tolist() == [0.5, 0.25]


def test_spec_executor_example() -> None:
    """The executor v0.2 example: f64 evs, u8 counts, typed metadata, passthrough tensor
    decoded."""
    decoded = decode_results(spec_examples()["executor_v02"])
    assert isinstance(decoded, ExecutorResults)
    assert decoded.schema_version == "v0.2"
    (item,) = decoded.items
    assert item.results["evs"].tolist() == [0.5, 0.25]  # type: ignore[union-attr]
    assert item.results["counts"].tolist() == [[1, 2], [3, 4]]  # type: ignore[union-attr]
    assert item.metadata == ItemMetadata(
        SchedulerTiming("0,x,q0,160", 1200), (StretchValue("s0", 16, 0, ((0, 16), (32, 16))),)
    )
    start, stop = datetime(2026, 3, 6, 14, 2, 18, tzinfo=UTC), datetime(2026, 3, 6, 14, 5, 47)
    parts = (ChunkPart(0, 2),)
    assert decoded.metadata == ExecutorMetadata(
        (ChunkSpan(start, stop.replace(tzinfo=UTC), parts),)
    )
    assert decoded.semantic_role is None
    assert decoded.passthrough_data["note"] == "passthrough"
    assert decoded.passthrough_data["tensor"].tolist() == [0.5, 0.25]


def test_spec_reference_example_is_executor_v01() -> None:
    """The results endpoint's reference example decodes as an executor v0.1 with no tensors
    (its item metadata kept as the JSON sent: null)."""
    decoded = decode_results(spec_examples()["reference"])
    assert isinstance(decoded, ExecutorResults)
    assert decoded.schema_version == "v0.1"
    assert decoded.items[0].results == {}
    assert decoded.items[0].metadata is None
    assert decoded.metadata.chunk_timing[0].parts == (ChunkPart(1, 1),)


@pytest.mark.parametrize(
    ("name", "version", "rates"),
    [("noise_v01", "v0.1", [0.01, 0.02, 0.03]), ("noise_v02", "v0.2", [0.5, 0.25])],
)
def test_spec_noise_learner_examples(name: str, version: str, rates: list[float]) -> None:
    """Noise-learner rates come back as float64 arrays (v0.2 omits dtype: f64 by default)."""
    decoded = decode_results(spec_examples()[name])
    assert isinstance(decoded, NoiseLearnerResults)
    assert decoded.schema_version == version
    item = decoded.items[0]
    assert isinstance(item.rates, np.ndarray)
    assert item.rates.dtype == np.float64
    np.testing.assert_allclose(item.rates, rates)
    assert isinstance(item.rates_std, np.ndarray)
    assert item.num_qubits == 2


def test_spec_legacy_example_returned_raw() -> None:
    """The legacy string format is returned as a RawResults('legacy'), untouched."""
    legacy = spec_examples()["legacy"]
    assert decode_results(legacy) == RawResults(legacy, "legacy", "legacy string result")
    decoded = decode_result_bytes(json.dumps(legacy).encode())
    assert (decoded.format, decoded.value) == ("legacy", legacy)  # type: ignore[union-attr]


def test_generated_result_models_accepted() -> None:
    """decode_results takes the generated result models (via to_dict) too."""
    examples = spec_examples()
    executor = ExecutorV02QuantumProgramResultModel.from_dict(examples["executor_v02"])
    noise = NoiseLearnerV3V01ResultsModel.from_dict(examples["noise_v01"])
    assert isinstance(decode_results(executor), ExecutorResults)
    assert isinstance(decode_results(noise), NoiseLearnerResults)


# ------------------------------------------------------------------ raw, never an exception


@pytest.mark.parametrize(
    ("payload", "format_"),
    [
        ({"schema_version": "v9.9", "data": [], "metadata": {"chunk_timing": []}}, "unknown"),
        ({"schema_version": "v0.3", "data": [], "metadata": {"chunk_timing": []}}, "unknown"),
        ({"schema_version": "v1.0", "data": [], "metadata": {}}, "unknown"),
        ({"quasi_dists": [{"0": 1.0}]}, "unknown"),
        ({"data": [{"neither": 1}]}, "unknown"),
        ({"data": [{"results": []}], "metadata": {}}, "unknown"),
        ([1, 2, 3], "unknown"),
        (None, "unknown"),
        ("{not json", "legacy"),
        (b"\xff\xfe not json", "unknown"),
        (b'{"data": [', "unknown"),
    ],
)
def test_unknown_formats_returned_raw(payload: Any, format_: str) -> None:
    """Unknown formats, schema versions and non-JSON come back as RawResults, never an error."""
    decoded = decode_results(payload)
    assert isinstance(decoded, RawResults)
    assert decoded.format == format_
    assert decoded.value == payload


def test_bad_tensor_kept_raw_next_to_good_ones() -> None:
    """An unknown dtype or a misfit tensor stays raw; the rest of the result is decoded."""
    good = encode(sample("f64", (4,)))
    odd = {"data": "AAAA", "shape": [3], "dtype": "i24"}
    short = {"data": "AAAA", "shape": [9], "dtype": "u8"}
    untyped = {"data": "AAAA", "shape": [3]}
    tensors = {"good": good, "odd": odd, "short": short, "untyped": untyped}
    item = {"results": tensors, "metadata": None}
    doc: dict[str, Any] = {"data": [item], "metadata": {"chunk_timing": []}}
    for decoded in (decode_results(doc), decode_result_bytes(json.dumps(doc).encode())):
        assert isinstance(decoded, ExecutorResults)
        results = decoded.items[0].results
        np.testing.assert_array_equal(results["good"], sample("f64", (4,)))
        assert results["odd"] == RawTensor("AAAA", [3], "i24", "unknown dtype 'i24'")
        assert isinstance(results["short"], RawTensor)
        assert "do not fit" in results["short"].reason
        assert results["untyped"] == RawTensor("AAAA", [3], None, "dtype is missing")


# ------------------------------------------------------------------ the fast byte path


def big_result() -> dict[str, Any]:
    """An executor v0.2 result with tensors large enough to take the fast path."""
    items = [
        {
            "results": {
                "meas": encode(sample("bool", (300, 27), seed=i)),
                "evs": encode(sample("f64", (600,), seed=i)),
                "tiny": encode(sample("u8", (3,), seed=i)),
                "z": encode(sample("c128", (40, 3), seed=i)),
            },
            "metadata": {"scheduler_timing": {"timing": "0,x,q0,160", "circuit_duration": 12}},
        }
        for i in range(3)
    ]
    return {
        "schema_version": "v0.2",
        "data": items,
        "metadata": {"chunk_timing": []},
        "passthrough_data": {"deep": [{"t": encode(sample("f64", (700,)))}], "data": "keep"},
    }


def assert_same(left: Any, right: Any) -> None:
    """Deep equality through dataclasses, dicts, lists and arrays (dtype and shape included)."""
    if isinstance(left, np.ndarray):
        assert isinstance(right, np.ndarray)
        assert (left.dtype, left.shape) == (right.dtype, right.shape)
        np.testing.assert_array_equal(left, right)
    elif isinstance(left, dict):
        assert isinstance(right, dict)
        assert left.keys() == right.keys()
        for key in left:
            assert_same(left[key], right[key])
    elif isinstance(left, list):
        assert isinstance(right, list)
        assert len(left) == len(right)
        for a, b in zip(left, right, strict=True):
            assert_same(a, b)
    elif hasattr(left, "__dataclass_fields__"):
        assert type(left) is type(right)
        for name in left.__dataclass_fields__:
            assert_same(getattr(left, name), getattr(right, name))
    else:
        assert left == right


def bodies() -> dict[str, bytes]:
    """One result serialized in ways a server might, plus tricky-but-valid variants."""
    doc = big_result()
    compact = json.dumps(doc, separators=(",", ":"))
    long_string = "A" * 5000
    tricky = dict(doc, metadata={"chunk_timing": [], "note": '"data":"' + long_string + '"'})
    keyed = dict(doc, metadata={"chunk_timing": [], "data": long_string})
    return {
        "compact": compact.encode(),
        "spaced": json.dumps(doc).encode(),
        "indented": json.dumps(doc, indent=2).encode(),
        "escaped-slashes": compact.replace("/", "\\/").encode(),
        "reordered": json.dumps(dict(reversed(list(doc.items())))).encode(),
        "quoted-data-in-string": json.dumps(tricky).encode(),
        "data-key-not-a-tensor": json.dumps(keyed).encode(),
    }


@pytest.mark.parametrize("name", list(bodies()))
def test_fast_path_matches_plain_path(name: str) -> None:
    """decode_result_bytes gives exactly what parsing then decode_results gives."""
    body = bodies()[name]
    fast = decode_result_bytes(body)
    assert isinstance(fast, ExecutorResults)
    assert_same(fast, decode_results(json.loads(body)))


def test_fast_path_never_parses_the_big_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a normal body the JSON parser only sees a small skeleton, once."""
    parsed: list[int] = []
    loads = _decode.loads

    def spy(text: bytes) -> Any:
        parsed.append(len(text))
        return loads(text)

    monkeypatch.setattr(_decode, "loads", spy)
    body = bodies()["compact"]
    decode_result_bytes(body)
    assert len(parsed) == 1
    assert parsed[0] < len(body) // 4


def test_json_the_standard_library_reads_decodes_too() -> None:
    """Python's own JSON (what `json.dumps` writes): NaN in passthrough data and an integer
    past 64 bits come back as they were sent, not as an undecodable `RawResults` or a float."""
    doc = json.loads(bodies()["compact"])
    doc["passthrough_data"] = {**doc["passthrough_data"], "drift": float("nan"), "seed": 2**70}
    decoded = decode_result_bytes(json.dumps(doc).encode())
    assert isinstance(decoded, ExecutorResults)
    assert math.isnan(decoded.passthrough_data["drift"])
    assert decoded.passthrough_data["seed"] == 2**70
    assert isinstance(decoded.passthrough_data["seed"], int)


@pytest.mark.parametrize(("module", "missing"), [(_decode, "_pybase64"), (_json, "_fast")])
def test_stdlib_fallbacks_give_the_same_answer(
    monkeypatch: pytest.MonkeyPatch, module: ModuleType, missing: str
) -> None:
    """Without pybase64 or msgspec (optional speed-ups) the answers are identical."""
    body = bodies()["spaced"]
    expected: DecodedResults = decode_result_bytes(body)
    monkeypatch.setattr(module, missing, None)
    assert_same(decode_result_bytes(body), expected)
    bad = decode_one({"data": "A=AA", "shape": [2], "dtype": "u8"})
    assert isinstance(bad, RawTensor)
    assert "base64" in bad.reason
