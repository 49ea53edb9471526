"""Noise-learner v3 results (schema v0.1, v0.2 and v0.3), as the reference page (v0.1, v0.2) and
ibm-quantum-schemas' ``NoiseLearnerV3ResultsModel`` define them.

One item per learned instruction, the two learning protocols in turn, so every result carries
both metadata kinds: even items are ``lindblad`` (a layer of two-qubit gates on a line of
qubits), odd items ``trex`` (a measurement layer). A generator is a list of sparse Pauli terms
``[paulis, qubits]`` (one ``QubitSparsePauliList``); ``rates`` and ``rates_std`` are f64 tensors
with one entry per generator. Post-selection metadata: TREX keeps one fraction of shots,
Lindblad one per layer-pair depth; v0.2 adds the per-qubit success rates (per depth for
Lindblad). A v0.3 result is a v0.2 one but for its ``schema_version``: v0.3 changed only the
params (bit-flip check options). Every number comes from the caller's seeded RNG, so equal
plans give equal bytes.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ._tensors import f64_tensor

NoiseLearnerVersion = Literal["v0.1", "v0.2", "v0.3"]
# ibm-quantum-schemas' OptionsModel default, used when params.options gives none.
DEFAULT_LAYER_PAIR_DEPTHS = (0, 1, 2, 4, 16, 32)
MAX_LAYER_PAIR_DEPTH = 1_000_000
# Rendered bytes per item, qubit and depth are well under these (for the size check).
BYTES_PER_QUBIT = 600
BYTES_PER_QUBIT_AND_DEPTH = 20
_PAULIS = "XYZ"

Generators = list[list[tuple[str, list[int]]]]


def lindblad_generators(num_qubits: int) -> Generators:
    """One-qubit Paulis on every qubit, two-qubit Paulis on every neighbouring pair.

    ``PQ`` and ``QP`` on a pair are learned together (degenerate), so they form one two-term
    generator, as the Lindblad protocol reports degeneracies.
    """
    generators: Generators = [[(p, [q])] for q in range(num_qubits) for p in _PAULIS]
    for q in range(num_qubits - 1):
        pair = [q, q + 1]
        for i, a in enumerate(_PAULIS):
            for b in _PAULIS[i:]:
                terms = [(a + b, pair)] if a == b else [(a + b, pair), (b + a, pair)]
                generators.append(terms)
    return generators


def trex_generators(num_qubits: int) -> Generators:
    """Readout noise: a bit flip (``X``) before the measurement of each qubit."""
    return [[("X", [q])] for q in range(num_qubits)]


def _fraction(rng: np.random.Generator, low: float, high: float) -> float:
    return round(float(rng.uniform(low, high)), 4)


def _success_rates(rng: np.random.Generator, num_qubits: int) -> dict[str, float]:
    return {str(q): _fraction(rng, 0.97, 0.999) for q in range(num_qubits)}


def _item(
    rng: np.random.Generator,
    version: NoiseLearnerVersion,
    protocol: Literal["lindblad", "trex"],
    num_qubits: int,
    depths: tuple[int, ...],
) -> dict[str, Any]:
    if protocol == "lindblad":
        generators = lindblad_generators(num_qubits)
        rates = rng.uniform(2e-4, 2e-3, len(generators))
        keep = float(rng.uniform(0.995, 0.999))  # per layer pair: deeper circuits keep fewer
        post: dict[str, Any] = {
            "fraction_kept": {str(d): round(keep ** (d + 1), 4) for d in depths}
        }
        if version != "v0.1":
            post["success_rates"] = {str(d): _success_rates(rng, num_qubits) for d in depths}
    else:
        generators = trex_generators(num_qubits)
        rates = rng.uniform(5e-3, 3e-2, len(generators))
        post = {"fraction_kept": _fraction(rng, 0.9, 0.99)}
        if version != "v0.1":
            post["success_rates"] = _success_rates(rng, num_qubits)
    return {
        "generators_sparse": generators,
        "num_qubits": num_qubits,
        "rates": f64_tensor(rates),
        "rates_std": f64_tensor(rates * rng.uniform(0.05, 0.2, len(generators))),
        "metadata": {"learning_protocol": protocol, "post_selection": post},
    }


def noise_learner_result(
    rng: np.random.Generator,
    version: NoiseLearnerVersion,
    num_items: int,
    num_qubits: int,
    depths: tuple[int, ...],
) -> dict[str, Any]:
    """The result document (no top-level ``metadata``: that is how it differs from executor's)."""
    items = [
        _item(rng, version, "lindblad" if index % 2 == 0 else "trex", num_qubits, depths)
        for index in range(num_items)
    ]
    return {"schema_version": version, "data": items}
