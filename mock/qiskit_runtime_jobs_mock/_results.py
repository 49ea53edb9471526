"""Deterministic, realistic job results in every result format of the reference page.

Executor results (schema ``v0.1``/``v0.2``) carry one bit-packed bool ``meas`` tensor per
circuit item (see ``_tensors.py``), of shape ``(*item_shape, shots, num_bits)`` as Qiskit's
``BitArray.to_bool_array`` gives. The bits come from a seeded RNG (GHZ-like: every shot
all-zeros or all-ones, with a little readout noise). Noise-learner v3 results are built in
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
from typing import Any, Literal

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
from ._tensors import tensor

ResultFormat = Literal[
    "executor_v0.1",
    "executor_v0.2",
    "noise_learner_v3_v0.1",
    "noise_learner_v3_v0.2",
    "legacy",
]
RESULT_FORMATS: tuple[ResultFormat, ...] = (
    "executor_v0.1",
    "executor_v0.2",
    "noise_learner_v3_v0.1",
    "noise_learner_v3_v0.2",
    "legacy",
)
NOISE_LEARNER_PROGRAM = "noise-learner"
DEFAULT_SHOTS = 1024
DEFAULT_NUM_BITS = 4
DEFAULT_NOISE_LEARNER_ITEMS = 2  # one per learning protocol
MAX_NUM_ITEMS = 10_000
READOUT_NOISE = 0.02
# The largest result the mock renders; a job whose params ask for more is a 400 at creation.
MAX_RESULT_BYTES = 64 * 1024 * 1024
_CHUNK_ELEMENTS = 1 << 21  # bools generated per step, bounding memory for tens-of-MB results


@dataclass(frozen=True, kw_only=True)
class ResultPlan:
    """Everything needed to render a job's result, fixed when the job is created."""

    format: ResultFormat
    seed: int
    shots: int
    num_bits: int  # bits per shot; qubits per item for noise-learner results
    item_shapes: tuple[tuple[int, ...], ...]
    layer_pair_depths: tuple[int, ...] = DEFAULT_LAYER_PAIR_DEPTHS

    @property
    def noise_learner(self) -> bool:
        return self.format.startswith("noise_learner_v3")

    def estimated_bytes(self) -> int:
        """An upper bound of the rendered size (checked before the job is accepted)."""
        if self.format == "legacy":
            return 2 * self.num_bits + 200
        if self.noise_learner:
            per_qubit = BYTES_PER_QUBIT + BYTES_PER_QUBIT_AND_DEPTH * len(self.layer_pair_depths)
            return len(self.item_shapes) * self.num_bits * per_qubit
        bits = self.shots * self.num_bits * sum(math.prod(s) for s in self.item_shapes)
        return bits // 6 + 300 * len(self.item_shapes)  # base64: 6 bits per character


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


def _program_shapes(params: Mapping[str, Any]) -> tuple[int | None, tuple[tuple[int, ...], ...]]:
    """Read shots and item shapes from an executor-style ``quantum_program``, if well formed."""
    program = params.get("quantum_program")
    if not isinstance(program, dict):
        return None, ()
    shots = program.get("shots")
    shots = shots if isinstance(shots, int) and not isinstance(shots, bool) and shots > 0 else None
    shapes: list[tuple[int, ...]] = []
    items = program.get("items")
    for item in items if isinstance(items, list) else []:
        shape: Any = ()
        if isinstance(item, dict):
            arguments = item.get("circuit_arguments")
            if isinstance(item.get("shape"), list):
                shape = item["shape"]
            elif isinstance(arguments, dict) and isinstance(arguments.get("shape"), list):
                shape = arguments["shape"][:-1]  # the last axis is over circuit parameters
        if isinstance(shape, list | tuple) and all(
            isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 4096 for n in shape
        ):
            shapes.append(tuple(shape))
        else:
            shapes.append(())
    return shots, tuple(shapes)


def _default_format(program_id: str, params: Mapping[str, Any]) -> ResultFormat:
    """The format the service would answer for this program and these params."""
    version = params.get("schema_version")
    if program_id == NOISE_LEARNER_PROGRAM and "schema_version" in params:
        # v0.2 is the newest the page documents; IBM's client asks for v0.3, the same shape.
        return "noise_learner_v3_v0.1" if version == "v0.1" else "noise_learner_v3_v0.2"
    if version == "v0.2":
        return "executor_v0.2"
    if program_id == "executor" or version == "v0.1" or "quantum_program" in params:
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
        # base64 turns 3 bytes into 4 characters; each packed byte holds 8 bools.
        per_shot = num_bits * sum(math.prod(s) for s in shapes) or num_bits
        shots = max(1, round(size * 3 / 4 * 8 / per_shot))
    seed = _mock_int(mock, "seed", 0)
    if seed is None:
        canonical = json.dumps([program_id, params], sort_keys=True, default=str)
        seed = int.from_bytes(hashlib.sha256(canonical.encode()).digest()[:8], "little")
    plan = ResultPlan(
        format=fmt,
        seed=seed,
        shots=shots,
        num_bits=num_bits,
        item_shapes=shapes,
        layer_pair_depths=_layer_pair_depths(params),
    )
    if plan.estimated_bytes() > MAX_RESULT_BYTES:
        raise field_error(
            "params",
            f"The result these params ask for would take about {plan.estimated_bytes()} bytes; "
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


def _chunk_timing(plan: ResultPlan, started: float, finished: float) -> list[dict[str, Any]]:
    spans = []
    width = (finished - started) / max(1, len(plan.item_shapes))
    for index, shape in enumerate(plan.item_shapes):
        spans.append(
            {
                "start": isoformat(started + index * width),
                "stop": isoformat(started + (index + 1) * width),
                "parts": [{"idx_item": index, "size": math.prod(shape)}],
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
    items: list[dict[str, Any]] = []
    for shape in plan.item_shapes:
        full_shape = (*shape, plan.shots, plan.num_bits)
        data = _packed_bits(rng, math.prod(shape) * plan.shots, plan.num_bits)
        meta: dict[str, Any] | None = {} if plan.format == "executor_v0.2" else None
        items.append({"results": {"meas": tensor(data, full_shape, "bool")}, "metadata": meta})
    return {
        "schema_version": "v0.2" if plan.format == "executor_v0.2" else "v0.1",
        "data": items,
        "metadata": {"chunk_timing": _chunk_timing(plan, started, finished)},
    }


def render_result(plan: ResultPlan, started: float, finished: float) -> bytes:
    """Render the result body (``application/json``) for a job that ran from started to finished."""
    rng = np.random.default_rng(plan.seed)
    body: Any
    if plan.format == "legacy":
        body = _legacy(plan, rng)
    elif plan.noise_learner:
        version: NoiseLearnerVersion = "v0.1" if plan.format.endswith("v0.1") else "v0.2"
        body = noise_learner_result(
            rng, version, len(plan.item_shapes), plan.num_bits, plan.layer_pair_depths
        )
    else:
        body = _executor(plan, rng, started, finished)
    return json.dumps(body, separators=(",", ":")).encode()
