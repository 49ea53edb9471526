"""Deterministic, realistic job results in every result format of the reference page, and in
the newer versions IBM's own client asks for (ibm-quantum-schemas' executor v1.0, v1.1, v2.0
and noise-learner v3 v0.3).

Executor results carry one bit-packed bool ``meas`` tensor per program item (see
``_tensors.py``), of shape ``(*item_shape, shots, num_bits)`` as Qiskit's
``BitArray.to_bool_array`` gives; v2.0 compresses it with zlib. The bits come from a seeded RNG
(GHZ-like: every shot all-zeros or all-ones, with a little readout noise). From v1.0 on a
chunk part also says which of its item's elements it ran, and the result hands back the
program's ``passthrough_data`` and ``semantic_role`` unchanged, as the service does (IBM's
client-side primitives post-process by them). Noise-learner v3 results are built in
``_noise_learner.py``; legacy results are a JSON document carried as a JSON string. Every
format is drawn from an RNG seeded by the job's program and params, so equal parameters give
equal bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any, Literal, cast, get_args

import numpy as np

from ._clock import isoformat
from ._errors import field_error
from ._noise_learner import (
    BYTES_PER_QUBIT,
    BYTES_PER_QUBIT_AND_DEPTH,
    DEFAULT_LAYER_PAIR_DEPTHS,
    MAX_LAYER_PAIR_DEPTH,
    NoiseLearnerVersion,
    noise_learner_result,
)
from ._tensors import compressed_tensor, encoded_length, tensor

# ``<kind>_<schema_version>``, but for legacy.
ResultFormat = Literal[
    "executor_v0.1",
    "executor_v0.2",
    "executor_v1.0",
    "executor_v1.1",
    "executor_v2.0",
    "noise_learner_v3_v0.1",
    "noise_learner_v3_v0.2",
    "noise_learner_v3_v0.3",
    "legacy",
]
RESULT_FORMATS: tuple[ResultFormat, ...] = get_args(ResultFormat)
_EXECUTOR_V1 = ("executor_v1.0", "executor_v1.1", "executor_v2.0")
NOISE_LEARNER_PROGRAM = "noise-learner"
DEFAULT_SHOTS = 1024
DEFAULT_NUM_BITS = 4
DEFAULT_NOISE_LEARNER_ITEMS = 2  # one per learning protocol
MAX_NUM_ITEMS = 10_000
MAX_AXIS = 4096  # the longest item axis the mock reads from a program
READOUT_NOISE = 0.02
# The largest result the mock renders; a job whose params ask for more is a 400 at creation.
MAX_RESULT_BYTES = 64 * 1024 * 1024
_CHUNK_ELEMENTS = 1 << 21  # bools generated per step, bounding memory for tens-of-MB results
# Rendered bytes of an executor item besides its tensor data, and per axis of its shape (written
# in the tensor and, from v1.0, in the chunk part's permutation): well over the real figures.
_ITEM_BYTES = 300
_AXIS_BYTES = 16


@dataclass(frozen=True, kw_only=True)
class ResultPlan:
    """Everything needed to render a job's result, fixed when the job is created."""

    format: ResultFormat
    seed: int
    shots: int
    num_bits: int  # bits per shot; qubits per item for noise-learner results
    item_shapes: tuple[tuple[int, ...], ...]
    layer_pair_depths: tuple[int, ...] = DEFAULT_LAYER_PAIR_DEPTHS
    # Handed back by executor v1.0 on, as JSON text: a plan is small and cheap to pass between
    # processes whatever the program carries (see _intake.py).
    passthrough_json: str = "null"
    semantic_role: str | None = None  # likewise

    @property
    def noise_learner(self) -> bool:
        return self.format.startswith("noise_learner_v3")

    @property
    def schema_version(self) -> str:
        return self.format.rpartition("_")[2]

    @property
    def executor_v1(self) -> bool:
        """Executor v1.0 on: ranged chunk parts, passthrough data and semantic role."""
        return self.format in _EXECUTOR_V1

    @property
    def compressed(self) -> bool:
        return self.format == "executor_v2.0"

    def estimated_bytes(self) -> int:
        """An upper bound of the rendered size (checked before the job is accepted)."""
        if self.format == "legacy":
            return 2 * self.num_bits + 200
        if self.noise_learner:
            per_qubit = BYTES_PER_QUBIT + BYTES_PER_QUBIT_AND_DEPTH * len(self.layer_pair_depths)
            return len(self.item_shapes) * self.num_bits * per_qubit
        handed_back = (
            len(self.passthrough_json) + len(_json(self.semantic_role)) if self.executor_v1 else 0
        )
        return handed_back + sum(
            encoded_length(_packed_size(self, shape), compressed=self.compressed)
            + _ITEM_BYTES
            + _AXIS_BYTES * len(shape)
            for shape in self.item_shapes
        )


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _packed_size(plan: ResultPlan, shape: tuple[int, ...]) -> int:
    """Bytes of an item's bit-packed ``meas`` tensor."""
    return -(-math.prod(shape) * plan.shots * plan.num_bits // 8)


def _mock_int(mock: Mapping[str, Any], name: str, low: int, high: int | None = None) -> int | None:
    if name not in mock:
        return None
    value = mock[name]
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < low
        or (high is not None and value > high)
    ):
        bound = f">= {low}" if high is None else f"from {low} to {high}"
        raise field_error(
            f"params.mock.{name}", f"'params.mock.{name}' must be an integer {bound}."
        )
    return value


def _quantum_program(params: Mapping[str, Any]) -> Mapping[str, Any]:
    program = params.get("quantum_program")
    return program if isinstance(program, dict) else {}


def _axes(value: Any) -> tuple[int, ...]:
    """A well-formed shape as a tuple; anything else counts as a single element."""
    if isinstance(value, list) and all(
        isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= MAX_AXIS for n in value
    ):
        return tuple(value)
    return ()


def _broadcast(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    """NumPy's broadcast of two shapes (without its limit on axes); () when they clash."""
    pairs = list(zip_longest(reversed(first), reversed(second), fillvalue=1))
    if any(a != b and 1 not in (a, b) for a, b in pairs):
        return ()
    return tuple(b if a == 1 else a for a, b in reversed(pairs))


def _item_shape(item: Any) -> tuple[int, ...]:
    """An item's ``shape`` broadcast with the leading axes of its ``circuit_arguments`` (the
    last axis is over circuit parameters).

    v0.x circuit items have arguments only, samplex items a shape only; from v1.0 circuit items
    have both, and IBM's client sends ``shape: []`` with the grid in the arguments.
    """
    if not isinstance(item, dict):
        return ()
    arguments = item.get("circuit_arguments")
    grid = arguments.get("shape") if isinstance(arguments, dict) else None
    return _broadcast(
        _axes(item.get("shape", [])), _axes(grid[:-1] if isinstance(grid, list) else [])
    )


def _program_shapes(params: Mapping[str, Any]) -> tuple[int | None, tuple[tuple[int, ...], ...]]:
    """Read shots and item shapes from an executor-style ``quantum_program``, if well formed."""
    program = _quantum_program(params)
    shots = program.get("shots")
    shots = shots if isinstance(shots, int) and not isinstance(shots, bool) and shots > 0 else None
    items = program.get("items")
    return shots, tuple(_item_shape(item) for item in (items if isinstance(items, list) else []))


def _known_format(name: str) -> ResultFormat | None:
    return next((fmt for fmt in RESULT_FORMATS if fmt == name), None)


def _default_format(program_id: str, params: Mapping[str, Any]) -> ResultFormat:
    """The format the service would answer for this program and these params."""
    version = params.get("schema_version")
    if program_id == NOISE_LEARNER_PROGRAM and "schema_version" in params:
        # A version the mock does not know gets v0.2, the newest the page documents.
        return _known_format(f"noise_learner_v3_{version}") or "noise_learner_v3_v0.2"
    if (fmt := _known_format(f"executor_{version}")) is not None:
        return fmt
    if program_id == "executor" or "quantum_program" in params:
        return "executor_v0.1"
    return "legacy"


def _layer_pair_depths(params: Mapping[str, Any]) -> tuple[int, ...]:
    """A noise-learner job's ``options.layer_pair_depths``, if well formed."""
    options = params.get("options")
    depths = options.get("layer_pair_depths") if isinstance(options, dict) else None
    if (
        isinstance(depths, list)
        and depths
        and all(
            isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= MAX_LAYER_PAIR_DEPTH
            for d in depths
        )
    ):
        return tuple(depths)
    return DEFAULT_LAYER_PAIR_DEPTHS


def plan_result(
    program_id: str, params: Mapping[str, Any] | None, result_bytes: int | None
) -> ResultPlan:
    """Fix the result of a job from its program and params (see the README's mock controls)."""
    params = params or {}
    mock = params.get("mock", {})
    if not isinstance(mock, dict):
        raise field_error("params.mock", "'params.mock' must be a JSON object.")
    fmt = mock.get("result_format")
    if fmt is None:
        fmt = _default_format(program_id, params)
    if fmt not in RESULT_FORMATS:
        raise field_error(
            "params.mock.result_format",
            f"'params.mock.result_format' must be one of {', '.join(RESULT_FORMATS)}.",
        )
    program_shots, shapes = _program_shapes(params)
    num_items = _mock_int(mock, "num_items", 1, MAX_NUM_ITEMS)
    if fmt.startswith("noise_learner_v3") and num_items is None:
        num_items = DEFAULT_NOISE_LEARNER_ITEMS
    if num_items is not None or not shapes:
        shapes = ((),) * (num_items or 1)
    num_bits = _mock_int(mock, "num_bits", 1) or DEFAULT_NUM_BITS
    shots = _mock_int(mock, "shots", 1) or program_shots or DEFAULT_SHOTS
    size = _mock_int(mock, "result_bytes", 1, MAX_RESULT_BYTES) or result_bytes
    if size is not None:
        # base64 turns 3 bytes into 4 characters; each packed byte holds 8 bools. Compressed
        # (v2.0) tensors are sized before compression: their results come out smaller.
        per_shot = num_bits * sum(math.prod(s) for s in shapes) or num_bits
        shots = max(1, round(size * 3 / 4 * 8 / per_shot))
    seed = _mock_int(mock, "seed", 0)
    if seed is None:
        canonical = json.dumps([program_id, params], sort_keys=True, default=str)
        seed = int.from_bytes(hashlib.sha256(canonical.encode()).digest()[:8], "little")
    program = _quantum_program(params)
    role = program.get("semantic_role")
    plan = ResultPlan(
        format=fmt,
        seed=seed,
        shots=shots,
        num_bits=num_bits,
        item_shapes=shapes,
        layer_pair_depths=_layer_pair_depths(params),
        passthrough_json=_json(program.get("passthrough_data")),
        semantic_role=role if isinstance(role, str) else None,
    )
    estimate = plan.estimated_bytes()
    if estimate > MAX_RESULT_BYTES:
        raise field_error(
            "params",
            f"The result these params ask for would take about {estimate} bytes; "
            f"the mock renders at most {MAX_RESULT_BYTES}.",
        )
    return plan


def _packed_bits(rng: np.random.Generator, rows: int, num_bits: int) -> bytes:
    """GHZ-like shots, bit-packed little-endian; generated in chunks of whole bytes."""
    step = 8 * max(1, _CHUNK_ELEMENTS // (8 * num_bits))  # rows per chunk; rows*bits % 8 == 0
    parts: list[bytes] = []
    for start in range(0, rows, step):
        count = min(step, rows - start)
        outcome = rng.random(count) < 0.5
        flips = rng.random((count, num_bits), dtype=np.float32) < READOUT_NOISE
        bits = outcome[:, None] ^ flips
        parts.append(np.packbits(bits.ravel(), bitorder="little").tobytes())
    return b"".join(parts)


def _chunk_part(plan: ResultPlan, index: int, shape: tuple[int, ...]) -> dict[str, Any]:
    """One chunk runs one whole item; from v1.0 the part says so: every element, in order."""
    size = math.prod(shape)
    part: dict[str, Any] = {"idx_item": index, "size": size}
    if plan.executor_v1:
        part["permutation"] = list(range(len(shape)))
        part["element_range"] = [0, size, 1]
    return part


def _chunk_timing(plan: ResultPlan, started: float, finished: float) -> list[dict[str, Any]]:
    spans = []
    width = (finished - started) / max(1, len(plan.item_shapes))
    for index, shape in enumerate(plan.item_shapes):
        spans.append(
            {
                "start": isoformat(started + index * width),
                "stop": isoformat(started + (index + 1) * width),
                "parts": [_chunk_part(plan, index, shape)],
            }
        )
    return spans


def _legacy(plan: ResultPlan, rng: np.random.Generator) -> str:
    """A legacy program's result: a JSON document carried as a JSON string value."""
    zeros, ones = "0" * plan.num_bits, "1" * plan.num_bits
    n_zero = int(rng.binomial(plan.shots, 0.5))
    counts = {zeros: n_zero, ones: plan.shots - n_zero}
    body = {"results": [{"data": {"counts": counts}, "shots": plan.shots}], "metadata": {}}
    return json.dumps(body, separators=(",", ":"))


def _executor(
    plan: ResultPlan, rng: np.random.Generator, started: float, finished: float
) -> dict[str, Any]:
    """An executor result: one ``meas`` tensor per item, and the chunks' timing."""
    encode = compressed_tensor if plan.compressed else tensor
    items: list[dict[str, Any]] = []
    for shape in plan.item_shapes:
        full_shape = (*shape, plan.shots, plan.num_bits)
        data = _packed_bits(rng, math.prod(shape) * plan.shots, plan.num_bits)
        meta: dict[str, Any] | None = None if plan.format == "executor_v0.1" else {}
        items.append({"results": {"meas": encode(data, full_shape, "bool")}, "metadata": meta})
    body: dict[str, Any] = {
        "schema_version": plan.schema_version,
        "data": items,
        "metadata": {"chunk_timing": _chunk_timing(plan, started, finished)},
    }
    return body


def render_result(plan: ResultPlan, started: float, finished: float) -> bytes:
    """Render the result body (``application/json``) for a job that ran from started to finished."""
    rng = np.random.default_rng(plan.seed)
    body: Any
    if plan.format == "legacy":
        body = _legacy(plan, rng)
    elif plan.noise_learner:
        version = cast("NoiseLearnerVersion", plan.schema_version)
        body = noise_learner_result(
            rng, version, len(plan.item_shapes), plan.num_bits, plan.layer_pair_depths
        )
    else:
        body = _executor(plan, rng, started, finished)
        if plan.executor_v1:  # its last two fields, the program's data spliced in as it came
            text = _json(body)[:-1]
            role = _json(plan.semantic_role)
            tail = f',"passthrough_data":{plan.passthrough_json},"semantic_role":{role}}}'
            return (text + tail).encode()
    return _json(body).encode()
