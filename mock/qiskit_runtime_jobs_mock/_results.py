"""Deterministic, realistic job results in the reference page's result formats.

Executor results (schema ``v0.1``/``v0.2``) follow ibm-quantum-schemas' ``TensorModel``: each
tensor is base64 of little-endian bytes in C order, and bool tensors are bit-packed with
``numpy.packbits(..., bitorder="little")`` over the flattened array, so ``ceil(size / 8)``
bytes. A circuit item's ``meas`` register has shape ``(*item_shape, shots, num_bits)``, as
Qiskit's ``BitArray.to_bool_array`` gives. The bits come from a seeded RNG (GHZ-like: every
shot all-zeros or all-ones, with a little readout noise), so equal parameters give equal bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ._clock import isoformat
from ._errors import field_error

ResultFormat = Literal["executor_v0.1", "executor_v0.2", "legacy"]
RESULT_FORMATS: tuple[ResultFormat, ...] = ("executor_v0.1", "executor_v0.2", "legacy")
DEFAULT_SHOTS = 1024
DEFAULT_NUM_BITS = 4
READOUT_NOISE = 0.02
_CHUNK_ELEMENTS = 1 << 21  # bools generated per step, bounding memory for tens-of-MB results


@dataclass(frozen=True, kw_only=True)
class ResultPlan:
    """Everything needed to render a job's result, fixed when the job is created."""

    format: ResultFormat
    seed: int
    shots: int
    num_bits: int
    item_shapes: tuple[tuple[int, ...], ...]


def _mock_int(mock: Mapping[str, Any], name: str, low: int) -> int | None:
    if name not in mock:
        return None
    value = mock[name]
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise field_error(
            f"params.mock.{name}", f"'params.mock.{name}' must be an integer >= {low}."
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
        version = params.get("schema_version")
        if version == "v0.2":
            fmt = "executor_v0.2"
        elif program_id == "executor" or version == "v0.1" or "quantum_program" in params:
            fmt = "executor_v0.1"
        else:
            fmt = "legacy"
    if fmt not in RESULT_FORMATS:
        raise field_error(
            "params.mock.result_format",
            f"'params.mock.result_format' must be one of {', '.join(RESULT_FORMATS)}.",
        )
    program_shots, shapes = _program_shapes(params)
    num_items = _mock_int(mock, "num_items", 1)
    if num_items is not None or not shapes:
        shapes = ((),) * (num_items or 1)
    num_bits = _mock_int(mock, "num_bits", 1) or DEFAULT_NUM_BITS
    shots = _mock_int(mock, "shots", 1) or program_shots or DEFAULT_SHOTS
    size = _mock_int(mock, "result_bytes", 1) or result_bytes
    if size is not None:
        # base64 turns 3 bytes into 4 characters; each packed byte holds 8 bools.
        per_shot = num_bits * sum(math.prod(s) for s in shapes) or num_bits
        shots = max(1, round(size * 3 / 4 * 8 / per_shot))
    seed = _mock_int(mock, "seed", 0)
    if seed is None:
        canonical = json.dumps([program_id, params], sort_keys=True, default=str)
        seed = int.from_bytes(hashlib.sha256(canonical.encode()).digest()[:8], "little")
    return ResultPlan(format=fmt, seed=seed, shots=shots, num_bits=num_bits, item_shapes=shapes)


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


def _tensor(data: bytes, shape: Sequence[int], dtype: str) -> dict[str, Any]:
    return {"data": base64.b64encode(data).decode("ascii"), "shape": list(shape), "dtype": dtype}


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


def render_result(plan: ResultPlan, started: float, finished: float) -> bytes:
    """Render the result body (``application/json``) for a job that ran from started to finished."""
    rng = np.random.default_rng(plan.seed)
    if plan.format == "legacy":
        return json.dumps(_legacy(plan, rng)).encode()
    items: list[dict[str, Any]] = []
    for shape in plan.item_shapes:
        full_shape = (*shape, plan.shots, plan.num_bits)
        data = _packed_bits(rng, math.prod(shape) * plan.shots, plan.num_bits)
        meta: dict[str, Any] | None = None
        if plan.format == "executor_v0.2":
            meta = {}
        items.append({"results": {"meas": _tensor(data, full_shape, "bool")}, "metadata": meta})
    body = {
        "schema_version": "v0.2" if plan.format == "executor_v0.2" else "v0.1",
        "data": items,
        "metadata": {"chunk_timing": _chunk_timing(plan, started, finished)},
    }
    return json.dumps(body, separators=(",", ":")).encode()
