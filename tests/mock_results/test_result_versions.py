"""The result versions IBM's own client asks for, beyond the reference page: executor v1.0, v1.1
and v2.0, noise-learner v3 v0.3. Each job goes over real loopback HTTP (every response checked
against the spec) and each body is held to IBM's own pydantic model of its version."""

from __future__ import annotations

import base64
import json
import math
import zlib
from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np
import pytest
from ibm_quantum_schemas.executor.version_0_1 import QuantumProgramResultModel as ExecutorV01
from ibm_quantum_schemas.executor.version_0_2 import QuantumProgramResultModel as ExecutorV02
from ibm_quantum_schemas.executor.version_1_0 import QuantumProgramResultModel as ExecutorV10
from ibm_quantum_schemas.executor.version_1_1 import QuantumProgramResultModel as ExecutorV11
from ibm_quantum_schemas.executor.version_2_0 import QuantumProgramResultModel as ExecutorV20
from ibm_quantum_schemas.noise_learner_v3.version_0_3 import (
    NoiseLearnerV3ResultsModel as NoiseLearnerV03,
)
from pydantic import BaseModel
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit_ibm_runtime.decoders.executor.decoder import ExecutorResultDecoder
from qiskit_ibm_runtime.decoders.noise_learner_v3.decoder import NoiseLearnerV3ResultDecoder
from qiskit_ibm_runtime.executor.executor import Executor
from qiskit_ibm_runtime.options_models import ExecutorOptions
from qiskit_ibm_runtime.quantum_program import QuantumProgram
from qiskit_ibm_runtime.quantum_program.params_converters import (
    QUANTUM_PROGRAM_PARAMS_CONVERTERS,
)
from qiskit_ibm_runtime.results.noise_learner_v3 import NoiseLearnerV3Results
from qiskit_ibm_runtime.results.quantum_program import QuantumProgramResult
from samplomatic.quantum_program import CircuitItem

from qiskit_runtime_jobs import Client, ExecutorItem, ExecutorResults, NoiseLearnerResults
from qiskit_runtime_jobs_mock import VirtualClock
from qiskit_runtime_jobs_mock._results import RESULT_FORMATS, plan_result, render_result
from tests.mock_results.conftest import finished_job, result_of
from tests.spec._spec import component, resolve, validator

pytestmark = pytest.mark.loopback


@dataclass(frozen=True)
class Version:
    """A result version, the job that asks for it, and IBM's model of it."""

    program_id: str
    schema_version: str
    component: str
    ibm_model: type[BaseModel]


VERSIONS = {
    "executor_v1.0": Version(
        "executor", "v1.0", "ExecutorV10QuantumProgramResultModel", ExecutorV10
    ),
    "executor_v1.1": Version(
        "executor", "v1.1", "ExecutorV11QuantumProgramResultModel", ExecutorV11
    ),
    "executor_v2.0": Version(
        "executor", "v2.0", "ExecutorV20QuantumProgramResultModel", ExecutorV20
    ),
    "noise_learner_v3_v0.3": Version(
        "noise-learner", "v0.3", "NoiseLearnerV3V03ResultsModel", NoiseLearnerV03
    ),
}
EXECUTORS = [name for name in VERSIONS if name.startswith("executor")]
# IBM's result model for each version its Executor can send.
EXECUTOR_MODELS: dict[str, type[BaseModel]] = {
    "v0.1": ExecutorV01,
    "v0.2": ExecutorV02,
    **{VERSIONS[name].schema_version: VERSIONS[name].ibm_model for name in EXECUTORS},
}
SHOTS = 20
NUM_BITS = 4  # the mock's default
# Items as IBM's client shapes them from v1.0 (circuit data, QPY, left out: the mock reads
# shapes only). A circuit item sends `shape: []` and its sweep grid in the leading axes of
# `circuit_arguments` (the last axis is over parameters); a shape that extends the grid by
# broadcasting replicates it; a samplex item sends its whole shape.
ITEMS = [
    {"item_type": "circuit", "circuit_arguments": {"shape": [3, 2, 1]}, "shape": []},
    {"item_type": "samplex", "shape": [4, 2]},
    {"item_type": "circuit", "circuit_arguments": {"shape": [5, 2]}, "shape": [2, 1]},
]
ITEM_SHAPES = [(3, 2), (4, 2), (2, 5)]


def _params(version: Version) -> dict[str, Any]:
    """Params as the job would send them: `schema_version` at the top level, as IBM's do."""
    if version.program_id == "noise-learner":
        return {"schema_version": version.schema_version, "options": {"layer_pair_depths": [0, 4]}}
    program = {"shots": SHOTS, "items": ITEMS, "meas_level": "classified"}
    return {"schema_version": version.schema_version, "quantum_program": program, "options": {}}


def _result(http: httpx.Client, clock: VirtualClock, name: str) -> bytes:
    version = VERSIONS[name]
    return result_of(http, clock, version.program_id, _params(version))


@pytest.mark.parametrize("name", VERSIONS)
def test_the_version_asked_for_is_answered(
    http: httpx.Client, clock: VirtualClock, name: str
) -> None:
    """IBM's model of that version accepts the body, whose schema_version is the one asked."""
    version = VERSIONS[name]
    model = version.ibm_model.model_validate_json(_result(http, clock, name))
    assert model.model_dump()["schema_version"] == version.schema_version


@pytest.mark.parametrize("name", VERSIONS)
def test_the_body_is_its_own_branch_of_job_results(
    http: httpx.Client, clock: VirtualClock, name: str
) -> None:
    """The body is the spec's schema for its version, and no other branch of JobResults."""
    document = json.loads(_result(http, clock, name))
    own = component(VERSIONS[name].component)
    validator(own).validate(document)
    branches = resolve(component("JobResults"))["anyOf"]
    assert own in branches
    assert [b for b in branches if validator(b).is_valid(document)] == [own]


@pytest.mark.parametrize("name", VERSIONS)
def test_ibm_decoders_decode_it(http: httpx.Client, clock: VirtualClock, name: str) -> None:
    """The decoder IBM's client picks for the program reads the body."""
    body = _result(http, clock, name).decode()
    if VERSIONS[name].program_id == "executor":
        assert isinstance(ExecutorResultDecoder.decode(body), QuantumProgramResult)
    else:
        decoded = NoiseLearnerV3ResultDecoder.decode(body)
        assert isinstance(decoded, NoiseLearnerV3Results)
        assert len(decoded.data) == 2  # one item per learning protocol


@pytest.mark.parametrize("name", VERSIONS)
def test_the_projects_client_reads_what_ibms_reads(
    http: httpx.Client, clock: VirtualClock, sdk: Client, name: str
) -> None:
    """`decoded_results()` gives the version's typed result, with the very arrays IBM's tensor
    models decode from the same body."""
    version = VERSIONS[name]
    job_id = finished_job(http, clock, version.program_id, _params(version))
    ibm = version.ibm_model.model_validate_json(http.get(f"/jobs/{job_id}/results").content)
    ours = sdk.decoded_results(job_id)
    assert isinstance(ours, ExecutorResults | NoiseLearnerResults)
    assert ours.schema_version == version.schema_version
    assert len(ours.items) == len(ibm.data)
    for mine, theirs in zip(ours.items, ibm.data, strict=True):
        if isinstance(mine, ExecutorItem):
            np.testing.assert_array_equal(mine.results["meas"], theirs.results["meas"].to_numpy())
        else:
            np.testing.assert_array_equal(mine.rates, theirs.rates.to_numpy())


@pytest.mark.parametrize("name", VERSIONS)
def test_same_params_same_bytes(http: httpx.Client, clock: VirtualClock, name: str) -> None:
    """Equal params give equal bytes (zlib's included) for jobs that ran at the same times
    (executor results carry the chunks' timing); a seed changes them."""
    version = VERSIONS[name]
    asks = [_params(version), _params(version), {**_params(version), "mock": {"seed": 1}}]
    created = [
        http.post("/jobs", json={"program_id": version.program_id, "params": params})
        for params in asks
    ]
    clock.advance(60)
    first, again, seeded = (
        http.get(f"/jobs/{response.json()['id']}/results").content for response in created
    )
    assert again == first
    assert seeded != first


@pytest.mark.parametrize("name", VERSIONS)
def test_result_format_knob_selects_it(http: httpx.Client, clock: VirtualClock, name: str) -> None:
    """params.mock.result_format gives the version whatever the program and params."""
    body = result_of(http, clock, "sampler", {"mock": {"result_format": name}})
    model = VERSIONS[name].ibm_model.model_validate_json(body)
    assert model.model_dump()["schema_version"] == VERSIONS[name].schema_version


@pytest.mark.parametrize("name", EXECUTORS)
def test_items_have_the_programs_shapes(http: httpx.Client, clock: VirtualClock, name: str) -> None:
    """`meas` is (*item_shape, shots, bits) per item; one chunk part covers each whole item,
    every element in order (IBM's ChunkPart checks the range against the size)."""
    model = VERSIONS[name].ibm_model.model_validate_json(_result(http, clock, name))
    meas = [item.results["meas"].to_numpy() for item in model.data]  # v2.0's decompressed
    assert [m.shape for m in meas] == [(*shape, SHOTS, NUM_BITS) for shape in ITEM_SHAPES]
    parts = [span.parts for span in model.metadata.chunk_timing]
    assert [
        (part.idx_item, part.size, part.permutation, part.element_range) for [part] in parts
    ] == [
        (index, math.prod(shape), list(range(len(shape))), (0, math.prod(shape), 1))
        for index, shape in enumerate(ITEM_SHAPES)
    ]
    assert [item.metadata.model_dump() for item in model.data] == [
        {"scheduler_timing": None, "stretch_values": None}
    ] * len(ITEM_SHAPES)


def test_v20_tensors_are_zlib_compressed_packed_bits(
    http: httpx.Client, clock: VirtualClock
) -> None:
    """v2.0's `meas` is base64 of zlib over the bit-packed bools: GHZ-like bits, and smaller
    than the packed bytes themselves."""
    document = json.loads(_result(http, clock, "executor_v2.0"))
    for item, shape in zip(document["data"], ITEM_SHAPES, strict=True):
        meas = item["results"]["meas"]
        assert meas["dtype"] == "bool"
        packed = zlib.decompress(base64.b64decode(meas["data"]))
        total = math.prod(meas["shape"])
        assert len(packed) == math.ceil(total / 8)
        assert len(base64.b64decode(meas["data"])) < len(packed)
        bits = np.unpackbits(np.frombuffer(packed, dtype=np.uint8), bitorder="little")[:total]
        shots = bits.astype(bool).reshape(*shape, SHOTS, NUM_BITS)
        assert (shots == shots[..., :1]).all(axis=-1).mean() > 0.8


@pytest.mark.parametrize("num_bits", [1, 4])
@pytest.mark.parametrize("result_format", RESULT_FORMATS)
def test_the_size_check_bounds_the_body(result_format: str, num_bits: int) -> None:
    """A job is refused when its result would pass the mock's cap, by an estimate that bounds
    the body: also when zlib cannot shrink the bits (one per shot: random) and with handed-back
    passthrough data that JSON escapes."""
    program = {"shots": 3000, "items": ITEMS, "passthrough_data": ["\u00e9" * 40, {"k": 1}]}
    mock = {"result_format": result_format, "num_bits": num_bits}
    plan = plan_result("executor", {"quantum_program": program, "mock": mock}, None)
    assert len(render_result(plan, 0.0, 60.0)) <= plan.estimated_bytes()


@pytest.mark.parametrize("name", EXECUTORS)
def test_passthrough_data_and_semantic_role_come_back(
    http: httpx.Client, clock: VirtualClock, name: str
) -> None:
    """The program's passthrough_data and semantic_role are handed back unchanged; without
    them both are null (IBM's model defaults)."""
    passthrough = {"post_processor": {"version": "v1"}, "values": [1, 2.5, "x", None, True]}
    params = _params(VERSIONS[name])
    params["quantum_program"] = {
        **params["quantum_program"],
        "passthrough_data": passthrough,
        "semantic_role": "sampler_v2",
    }
    body = result_of(http, clock, "executor", params)
    document = json.loads(body)
    assert (document["passthrough_data"], document["semantic_role"]) == (passthrough, "sampler_v2")
    decoded = ExecutorResultDecoder.decode(body.decode())
    assert decoded.passthrough_data == passthrough
    assert decoded._semantic_role == "sampler_v2"
    bare = json.loads(_result(http, clock, name))
    assert (bare["passthrough_data"], bare["semantic_role"]) == (None, None)


def _ghz(phase: Parameter | None = None) -> QuantumCircuit:
    """A 4-qubit GHZ circuit, measured into `meas` (the mock's 4 bits)."""
    circuit = QuantumCircuit(4)
    circuit.h(0)
    if phase is not None:
        circuit.rz(phase, 0)
    for qubit in range(1, 4):
        circuit.cx(0, qubit)
    circuit.measure_all()
    return circuit


def _ibm_program() -> QuantumProgram:
    """A small program as a user of IBM's Executor writes it: a GHZ circuit whose phase sweeps
    a 3x2 grid, and a parameterless one."""
    program = QuantumProgram(
        shots=SHOTS,
        items=[
            CircuitItem(
                _ghz(Parameter("phase")),
                circuit_arguments=np.linspace(0, np.pi, 6).reshape(3, 2, 1),
            ),
            CircuitItem(_ghz()),
        ],
        passthrough_data={"post_processor": {"version": "v1"}, "angles": np.arange(3.0)},
    )
    program._semantic_role = "sampler_v2"  # what IBM's executor-based SamplerV2 sets
    return program


@pytest.mark.parametrize("schema_version", list(QUANTUM_PROGRAM_PARAMS_CONVERTERS))
def test_params_built_by_ibms_client(
    http: httpx.Client, clock: VirtualClock, schema_version: str
) -> None:
    """IBM's params converters (the Executor's path to `POST /jobs`) for every version, on a
    real program: the result is the version its params name, IBM's model of it accepts it and
    IBM's decoder finds the program's item shapes (and, from v1.0, its passthrough data)."""
    converter = QUANTUM_PROGRAM_PARAMS_CONVERTERS[schema_version]
    # What Executor.run posts as `params`: the converter's model, dumped as JSON.
    params = converter.encoder(_ibm_program(), ExecutorOptions()).model_dump(mode="json")
    assert params["schema_version"] == schema_version  # where IBM's client puts it
    body = result_of(http, clock, Executor._PROGRAM_ID, params)
    model = EXECUTOR_MODELS[schema_version].model_validate_json(body)
    assert model.model_dump()["schema_version"] == schema_version
    decoded = ExecutorResultDecoder.decode(body.decode())
    assert [item["meas"].shape for item in decoded] == [(3, 2, SHOTS, 4), (SHOTS, 4)]
    if schema_version in ("v1.0", "v1.1", "v2.0"):
        assert decoded.passthrough_data["post_processor"] == {"version": "v1"}
        np.testing.assert_array_equal(decoded.passthrough_data["angles"], np.arange(3.0))
        assert decoded._semantic_role == "sampler_v2"


def test_executor_asks_for_v20() -> None:
    """IBM's Executor sends v2.0 to program `executor`: the version the mock must answer."""
    assert (Executor._PROGRAM_ID, Executor._SCHEMA_VERSION) == ("executor", "v2.0")
