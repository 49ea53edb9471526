"""Noise-learner v3 results: how a job selects them, and what they hold."""

from __future__ import annotations

import json
from typing import Any

import httpx
import numpy as np
import pytest
from qiskit_ibm_runtime.decoders.noise_learner_v3.decoder import NoiseLearnerV3ResultDecoder

from qiskit_runtime_jobs import Client, NoiseLearnerResults
from qiskit_runtime_jobs_mock import VirtualClock
from tests.mock_results.conftest import finished_job, result_of

DEFAULT_DEPTHS = ["0", "1", "2", "4", "16", "32"]  # ibm-quantum-schemas' default
# What IBM's client sends (NoiseLearnerV3.run): its params model dumped, plus "version": 3.
IBM_PARAMS = {
    "schema_version": "v0.3",
    "version": 3,
    "instructions": {"qpy_data": "UVBZ", "qpy_version": 16},
    "options": {"layer_pair_depths": [0, 2, 8], "shots_per_randomization": 64},
}


def _document(
    http: httpx.Client, clock: VirtualClock, params: Any, program: str = "noise-learner"
) -> Any:
    return json.loads(result_of(http, clock, program, params))


@pytest.mark.parametrize(
    ("program", "params", "schema_version"),
    [
        ("noise-learner", {"schema_version": "v0.1"}, "v0.1"),
        ("noise-learner", {"schema_version": "v0.2"}, "v0.2"),
        ("noise-learner", IBM_PARAMS, "v0.3"),
        ("noise-learner", {"schema_version": "v9.9"}, "v0.2"),  # unknown: the page's newest
        ("noise-learner", {"schema_version": ["v0.3"]}, "v0.2"),
        ("sampler", {"mock": {"result_format": "noise_learner_v3_v0.1"}}, "v0.1"),
        ("executor", {"mock": {"result_format": "noise_learner_v3_v0.2"}}, "v0.2"),
    ],
)
def test_selected_by_program_params_or_knob(
    http: httpx.Client, clock: VirtualClock, program: str, params: Any, schema_version: str
) -> None:
    """Program noise-learner with a schema_version, or params.mock.result_format, select them."""
    document = _document(http, clock, params, program)
    assert document["schema_version"] == schema_version
    assert "metadata" not in document  # what tells them from executor results
    assert "rates" in document["data"][0]


def test_noise_learner_without_schema_version_is_legacy(
    http: httpx.Client, clock: VirtualClock
) -> None:
    """Older (v2) noise-learner jobs send no schema_version: their result is the legacy string."""
    assert isinstance(_document(http, clock, {"options": {}}), str)


@pytest.mark.parametrize("version", ["v0.1", "v0.2", "v0.3"])
def test_items_take_turns_between_the_two_protocols(
    http: httpx.Client, clock: VirtualClock, version: str
) -> None:
    """Items alternate Lindblad (gate layer) and TREX (readout); num_bits sets the qubits."""
    params = {"schema_version": version, "mock": {"num_items": 5, "num_bits": 3}}
    items = _document(http, clock, params)["data"]
    protocols = [item["metadata"]["learning_protocol"] for item in items]
    assert protocols == ["lindblad", "trex", "lindblad", "trex", "lindblad"]
    lindblad, trex = items[0], items[1]
    assert {item["num_qubits"] for item in items} == {3}
    assert len(lindblad["generators_sparse"]) == 3 * 3 + 6 * 2  # 1q Paulis + pairs per edge
    assert trex["generators_sparse"] == [[["X", [0]]], [["X", [1]]], [["X", [2]]]]
    assert [["XY", [0, 1]], ["YX", [0, 1]]] in lindblad["generators_sparse"]  # degenerate pair
    for item in items:
        assert item["rates"]["shape"] == [len(item["generators_sparse"])]
        assert item["rates_std"]["shape"] == item["rates"]["shape"]


def test_default_is_one_item_per_protocol(http: httpx.Client, clock: VirtualClock) -> None:
    """Without num_items a result learns one gate layer and one measurement layer."""
    items = _document(http, clock, {"schema_version": "v0.1"})["data"]
    assert [item["metadata"]["learning_protocol"] for item in items] == ["lindblad", "trex"]
    assert items[0]["num_qubits"] == 4


def test_v01_post_selection_metadata(http: httpx.Client, clock: VirtualClock) -> None:
    """v0.1: TREX keeps one fraction; Lindblad one per layer-pair depth, falling with depth."""
    lindblad, trex = _document(http, clock, {"schema_version": "v0.1"})["data"]
    kept = lindblad["metadata"]["post_selection"]["fraction_kept"]
    assert list(kept) == DEFAULT_DEPTHS
    assert list(kept.values()) == sorted(kept.values(), reverse=True)
    assert all(0 <= value <= 1 for value in kept.values())
    assert set(trex["metadata"]["post_selection"]) == {"fraction_kept"}
    assert 0 <= trex["metadata"]["post_selection"]["fraction_kept"] <= 1


def test_v02_post_selection_adds_success_rates(http: httpx.Client, clock: VirtualClock) -> None:
    """v0.2 adds success rates: per qubit for TREX, per depth and qubit for Lindblad."""
    lindblad, trex = _document(http, clock, {"schema_version": "v0.2"})["data"]
    trex_rates = trex["metadata"]["post_selection"]["success_rates"]
    assert list(trex_rates) == ["0", "1", "2", "3"]
    lindblad_rates = lindblad["metadata"]["post_selection"]["success_rates"]
    assert list(lindblad_rates) == DEFAULT_DEPTHS
    assert all(list(per_qubit) == ["0", "1", "2", "3"] for per_qubit in lindblad_rates.values())
    values = [*trex_rates.values(), *(v for d in lindblad_rates.values() for v in d.values())]
    assert all(0 <= value <= 1 for value in values)


@pytest.mark.parametrize(
    ("depths", "expected"),
    [
        ([0, 2, 8], ["0", "2", "8"]),
        ([], DEFAULT_DEPTHS),
        ([1, "2"], DEFAULT_DEPTHS),
        ([-1], DEFAULT_DEPTHS),
        ("0,1", DEFAULT_DEPTHS),
    ],
)
def test_depths_come_from_the_jobs_options(
    http: httpx.Client, clock: VirtualClock, depths: Any, expected: list[str]
) -> None:
    """options.layer_pair_depths, when well formed, keys the Lindblad metadata."""
    params = {"schema_version": "v0.2", "options": {"layer_pair_depths": depths}}
    post = _document(http, clock, params)["data"][0]["metadata"]["post_selection"]
    assert list(post["fraction_kept"]) == expected
    assert list(post["success_rates"]) == expected


def test_rates_are_plausible(http: httpx.Client, clock: VirtualClock, sdk: Client) -> None:
    """Positive rates, readout worse than gate noise, each std smaller than its rate."""
    job_id = finished_job(http, clock, "noise-learner", {"schema_version": "v0.2"})
    decoded = sdk.decoded_results(job_id)
    assert isinstance(decoded, NoiseLearnerResults)
    lindblad, trex = decoded.items
    for item in (lindblad, trex):
        assert isinstance(item.rates, np.ndarray)
        assert isinstance(item.rates_std, np.ndarray)
        assert (item.rates > 0).all()
        assert (item.rates_std < item.rates).all()
    assert trex.rates.min() > lindblad.rates.max()


def test_same_params_same_bytes(http: httpx.Client, clock: VirtualClock) -> None:
    """Equal program and params give equal bytes; a seed or any param changes them."""
    params: dict[str, Any] = {"schema_version": "v0.2", "options": {"layer_pair_depths": [1]}}
    first = result_of(http, clock, "noise-learner", params)
    assert result_of(http, clock, "noise-learner", params) == first
    assert result_of(http, clock, "noise-learner", {**params, "mock": {"seed": 3}}) != first
    assert result_of(http, clock, "noise-learner", {**params, "tag": 1}) != first


def test_ibm_client_and_ours_read_the_same_numbers(
    http: httpx.Client, clock: VirtualClock, sdk: Client
) -> None:
    """IBM's decoder builds Pauli-Lindblad maps from the result; our client decodes the same
    rates (IBM's map repeats a generator's rate for each of its terms)."""
    job_id = finished_job(http, clock, "noise-learner", IBM_PARAMS)
    body = http.get(f"/jobs/{job_id}/results").text
    ibm = NoiseLearnerV3ResultDecoder.decode(body)
    ours = sdk.decoded_results(job_id)
    assert isinstance(ours, NoiseLearnerResults)
    assert len(ibm.data) == len(ours.items) == 2
    for theirs, mine in zip(ibm.data, ours.items, strict=True):
        pauli_map = theirs.to_pauli_lindblad_map()
        terms = [len(generator) for generator in mine.generators_sparse]
        np.testing.assert_array_equal(pauli_map.rates, np.repeat(mine.rates, terms))
        assert pauli_map.num_qubits == mine.num_qubits
        assert len(theirs) == len(mine.generators_sparse)
        assert theirs.metadata["learning_protocol"] == mine.metadata["learning_protocol"]
