"""Result-decoding benchmark (not a test): the overlay's decoder against the numpy floor.

For three sizes of an executor-style v0.2 result (bit-packed measurement booleans,
shots x bits, plus a float64 tensor), and one ~10 MB executor v2.0 result (the same tensors,
zlib-compressed as `CompressedTensorModel`), the whole response body (bytes) is turned into
numpy arrays by:

- `overlay`: `decode_results(body)` (the fast path the client uses);
- `overlay_plain`: parse the JSON, then `decode_results(parsed)` (the path for parsed input);
- `floor`: the least work anyone must do with the same libraries, written inline: JSON parse,
  base64 decode, `zlib.decompress` (v2.0), `numpy.frombuffer` / `unpackbits`, reshape. It uses
  the fastest codecs installed (orjson if present, else json; pybase64 if present, else
  binascii);
- the peer, IBM's decoder, its arrays asserted identical to ours (values, dtype, shape, so bit
  order included): `qiskit_ibm_runtime`, `ExecutorResultDecoder.decode(text)`, if that package
  is installed (it reads v0.1 to v2.0); else, for v2.0 only, `ibm_quantum_schemas`:
  `QuantumProgramResultModel.model_validate_json(body)` and `to_numpy()` of each tensor. The
  v2.0 size's name says which;
- `physical_floor`: the base64 decoding (and, for v2.0, the inflating) alone, of the same tensor
  payloads taken out of the body beforehand (no JSON, no numpy): the work no decoder can skip.
  Context, not a target: the overlay's multiple of it is what all its other work costs.

Times are the median of interleaved rounds; ratios are against `floor` (target: overlay
<= 1.1x). Peak memory is the peak RSS (Linux /proc VmHWM, reset just before) during one
decode, less the RSS before it, in a fresh process that has already read the body, as a
multiple of the body size: the body itself is
not counted, the decoded arrays are (about 1x for this payload: 0.75x of base64 for the
float64 bytes plus the unpacked booleans). tracemalloc is not used: it misreports orjson's
allocations (13x peak for a 2x real one).

    python -m benchmarks.decode_bench            # JSON report on stdout
"""

from __future__ import annotations

import base64
import binascii
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from benchmarks._common import ROOT, optional, ratio
from qiskit_runtime_jobs import ExecutorResults, decode_results

SIZES = {  # name: (shots, bits, float64 values, schema version)
    "small": (1_000, 27, 10_000, "v0.2"),
    "medium": (10_000, 127, 500_000, "v0.2"),
    "large": (100_000, 127, 4_000_000, "v0.2"),
    "v2.0": (20_000, 127, 900_000, "v2.0"),  # about 10 MB of body
}
ROUNDS = {"small": 30, "medium": 10, "large": 5, "v2.0": 5}
QUICK_SIZES = {
    "small": (100, 5, 100, "v0.2"),
    "medium": (1_000, 27, 1_000, "v0.2"),
    "large": (2_000, 27, 10_000, "v0.2"),
    "v2.0": (2_000, 27, 10_000, "v2.0"),
}
QUICK_ROUNDS = 3
TARGET_RATIO = 1.1


orjson = optional("orjson")
pybase64 = optional("pybase64")


def _loads(body: bytes) -> Any:
    return json.loads(body) if orjson is None else orjson.loads(body)


def _b64decode(text: str | bytes) -> bytes:
    if pybase64 is not None:
        return pybase64.b64decode(text, validate=True)  # type: ignore[no-any-return]
    return binascii.a2b_base64(text, strict_mode=True)


def make_body(shots: int, bits: int, floats: int, seed: int = 0, version: str = "v0.2") -> bytes:
    """An executor result body, encoded as ibm-quantum-schemas' TensorModel does (v0.2) or its
    CompressedTensorModel (v2.0: zlib at the default level, then base64)."""
    rng = np.random.default_rng(seed)
    meas = rng.integers(0, 2, (shots, bits), dtype=np.uint8).astype(bool)
    evs = rng.standard_normal(floats)
    packed = np.packbits(meas.astype(np.uint8), bitorder="little").tobytes()
    pack = zlib.compress if version == "v2.0" else bytes
    part: dict[str, Any] = {"idx_item": 0, "size": 1}
    if version == "v2.0":
        part.update(permutation=[], element_range=[0, 1, 1])
    doc = {
        "schema_version": version,
        "data": [
            {
                "results": {
                    "meas": {
                        "data": base64.b64encode(pack(packed)).decode(),
                        "shape": [shots, bits],
                        "dtype": "bool",
                    },
                    "evs": {
                        "data": base64.b64encode(pack(evs.astype("<f8").tobytes())).decode(),
                        "shape": [floats],
                        "dtype": "f64",
                    },
                },
                "metadata": {"scheduler_timing": None, "stretch_values": None},
            }
        ],
        "metadata": {
            "chunk_timing": [
                {
                    "start": "2026-03-06T14:02:18Z",
                    "stop": "2026-03-06T14:05:47Z",
                    "parts": [part],
                }
            ]
        },
    }
    return json.dumps(doc, separators=(",", ":")).encode()


def floor(body: bytes) -> list[dict[str, np.ndarray]]:
    """The minimum: parse, base64-decode, inflate (v2.0), frombuffer/unpackbits, reshape;
    nothing else."""
    doc = _loads(body)
    compressed = doc["schema_version"] == "v2.0"
    items = []
    for item in doc["data"]:
        arrays = {}
        for name, tensor in item["results"].items():
            raw = _b64decode(tensor["data"])
            if compressed:
                raw = zlib.decompress(raw)
            shape = tuple(tensor["shape"])
            if tensor["dtype"] == "bool":
                size = int(np.prod(shape))
                bits = np.unpackbits(np.frombuffer(raw, np.uint8), count=size, bitorder="little")
                arrays[name] = bits.view(np.bool_).reshape(shape)
            else:
                arrays[name] = np.frombuffer(raw, "<f8").reshape(shape)
        items.append(arrays)
    return items


def tensor_payloads(body: bytes) -> list[bytes]:
    """Every tensor's base64 text, as bytes: what `physical_floor` decodes."""
    doc = json.loads(body)
    return [tensor["data"].encode() for item in doc["data"] for tensor in item["results"].values()]


def physical_floor(payloads: list[bytes], compressed: bool = False) -> list[bytes]:
    """Bare base64 decoding of each payload (pybase64 if installed), then inflating it if
    `compressed`: nothing else."""
    if compressed:
        return [zlib.decompress(_b64decode(payload)) for payload in payloads]
    return [_b64decode(payload) for payload in payloads]


def overlay(body: bytes) -> list[dict[str, Any]]:
    decoded = decode_results(body)
    assert isinstance(decoded, ExecutorResults)
    return [item.results for item in decoded.items]


def overlay_plain(body: bytes) -> list[dict[str, Any]]:
    decoded = decode_results(_loads(body))
    assert isinstance(decoded, ExecutorResults)
    return [item.results for item in decoded.items]


def _ibm_decoder() -> Callable[[bytes], list[dict[str, Any]]] | None:
    module = optional("qiskit_ibm_runtime.decoders.executor.decoder")
    if module is None:
        return None
    decoder = module.ExecutorResultDecoder

    def ibm(body: bytes) -> list[dict[str, Any]]:
        result = decoder.decode(body.decode())
        return [dict(item) for item in result]

    return ibm


def _ibm_schemas_decoder() -> Callable[[bytes], list[dict[str, Any]]] | None:
    """ibm-quantum-schemas' own v2.0 model, for when IBM's client is not installed."""
    module = optional("ibm_quantum_schemas.executor.version_2_0")
    if module is None:
        return None
    model = module.QuantumProgramResultModel

    def ibm(body: bytes) -> list[dict[str, Any]]:
        result = model.model_validate_json(body)
        return [{k: v.to_numpy() for k, v in item.results.items()} for item in result.data]

    return ibm


PEERS: dict[str, Callable[[], Callable[[bytes], list[dict[str, Any]]] | None]] = {
    "qiskit_ibm_runtime": _ibm_decoder,
    "ibm_quantum_schemas": _ibm_schemas_decoder,
}
PEER_NAMES = {
    "qiskit_ibm_runtime": "ExecutorResultDecoder",
    "ibm_quantum_schemas": "QuantumProgramResultModel.model_validate_json + to_numpy",
}


def _peer(version: str) -> tuple[str, Callable[[bytes], list[dict[str, Any]]]] | None:
    """IBM's decoder for `version`: its client's if installed, else (v2.0) its schemas'."""
    for key in PEERS if version == "v2.0" else ["qiskit_ibm_runtime"]:
        decode = PEERS[key]()
        if decode is not None:
            return key, decode
    return None


def _same(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> bool:
    """Identical arrays: same names, dtype, shape and every value (so bit order too)."""
    return len(left) == len(right) and all(
        a.keys() == b.keys()
        and all(
            a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and np.array_equal(a[k], b[k])
            for k in a
        )
        for a, b in zip(left, right, strict=True)
    )


def _variants(version: str) -> dict[str, Callable[[bytes], Any]]:
    variants: dict[str, Callable[[bytes], Any]] = {
        "floor": floor,
        "overlay": overlay,
        "overlay_plain": overlay_plain,
    }
    peer = _peer(version)
    if peer is not None:
        variants[peer[0]] = peer[1]
    return variants


def _peak_child(variant: str, path: str, version: str) -> None:
    """In a fresh process: read the body, decode once, print the peak-RSS growth / body size."""
    base = {"floor": floor, "overlay": overlay, "overlay_plain": overlay_plain}
    decode = base[variant] if variant in base else PEERS[variant]()
    assert decode is not None
    # warm up: lazy imports peak before the measurement, not in it
    decode(make_body(8, 3, 8, version=version))
    with open(path, "rb") as file:
        body = file.read()
    before = _rss_kib("VmRSS")
    _reset_peak()
    result = decode(body)
    after = _rss_kib("VmHWM")
    del result
    sys.stdout.write(f"{(after - before) * 1024 / len(body):.2f}\n")


def _rss_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, in KiB (Linux /proc; not ru_maxrss, which
    a child inherits from its parent across exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    """Start VmHWM afresh (Linux >= 4.0), so earlier peaks (imports, warm-up) do not hide ours."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def _peak(variant: str, body: bytes, version: str) -> float:
    with tempfile.NamedTemporaryFile(suffix=".json") as file:
        file.write(body)
        file.flush()
        command = ["-m", "benchmarks.decode_bench", "--peak", variant, file.name, version]
        out = subprocess.run(
            [sys.executable, *command],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
    return float(out.stdout.strip())


def bench_size(
    shots: int, bits: int, floats: int, version: str, *, rounds: int, peak: bool = True
) -> dict[str, Any]:
    body = make_body(shots, bits, floats, version=version)
    variants = _variants(version)
    peer_key = next((key for key in variants if key in PEERS), None)
    expected = floor(body)
    identical = {key: _same(fn(body), expected) for key, fn in variants.items()}
    assert all(identical.values()), f"decoders disagree: {identical}"

    payloads = tensor_payloads(body)
    assert len(payloads) == sum(len(arrays) for arrays in expected), "one payload per tensor"
    timed: dict[str, Callable[[], Any]] = {key: partial(fn, body) for key, fn in variants.items()}
    timed["physical_floor"] = partial(physical_floor, payloads, version == "v2.0")
    times: dict[str, list[float]] = {key: [] for key in timed}
    for _ in range(rounds):  # interleaved, so drift hits every variant alike
        for key, call in timed.items():
            start = time.perf_counter()
            call()
            times[key].append(time.perf_counter() - start)
    ms = {key: statistics.median(t) * 1e3 for key, t in times.items()}
    peer = None if peer_key is None else ms[peer_key]
    return {
        "schema_version": version,
        "peer": None if peer_key is None else f"{peer_key} {PEER_NAMES[peer_key]}",
        "shots_x_bits": [shots, bits],
        "float64_values": floats,
        "body_mb": round(len(body) / 1e6, 2),
        "ms": {key: round(v, 2) for key, v in ms.items()},
        "ratio_to_floor": {key: ratio(v, ms["floor"]) for key, v in ms.items()},
        "overlay_vs_peer": None if peer is None else ratio(ms["overlay"], peer),
        "overlay_vs_physical_floor": ratio(ms["overlay"], ms["physical_floor"]),
        "mb_per_s_overlay": round(len(body) / 1e6 / (ms["overlay"] / 1e3), 1),
        "peak_rss_x_body": {key: _peak(key, body, version) for key in variants} if peak else None,
        "identical_arrays": identical,
        "meets_target": ms["overlay"] / ms["floor"] <= TARGET_RATIO,
        "faster_than_peer": None if peer is None else ms["overlay"] < peer,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Every size; the report is plain JSON-able data. `quick`: tiny sizes, no peak
    memory (each peak is a fresh process)."""
    ibm = optional("qiskit_ibm_runtime")
    sizes = QUICK_SIZES if quick else SIZES
    return {
        "backends": {
            "json": "json" if orjson is None else "orjson",
            "base64": "binascii" if pybase64 is None else "pybase64",
            "numpy": np.__version__,
        },
        "qiskit_ibm_runtime": None if ibm is None else ibm.__version__,
        "target_ratio": TARGET_RATIO,
        "sizes": {
            _size_name(name, size[3]): bench_size(
                *size,
                rounds=QUICK_ROUNDS if quick else ROUNDS[name],
                peak=not quick,
            )
            for name, size in sizes.items()
        },
    }


def _size_name(name: str, version: str) -> str:
    """The v2.0 size names its peer (the report's rows call every peer ExecutorResultDecoder)."""
    if version != "v2.0":
        return name
    peer = _peer(version)
    return f"{name} (peer: {'none' if peer is None else PEER_NAMES[peer[0]]})"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--peak"]:
        _peak_child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.stdout.write(json.dumps(run(), indent=2) + "\n")
