"""Every result variant the reference page documents, produced by the mock and read three ways:
against our spec, with IBM's own models and decoders, and through this project's client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np
import pytest
from ibm_quantum_schemas.executor.version_0_1.models import (
    QuantumProgramResultModel as ExecutorV01,
)
from ibm_quantum_schemas.executor.version_0_2.models import (
    QuantumProgramResultModel as ExecutorV02,
)
from ibm_quantum_schemas.noise_learner_v3.version_0_1 import (
    NoiseLearnerV3ResultsModel as NoiseLearnerV01,
)
from ibm_quantum_schemas.noise_learner_v3.version_0_2 import (
    NoiseLearnerV3ResultsModel as NoiseLearnerV02,
)
from pydantic import BaseModel
from qiskit_ibm_runtime.decoders.executor.decoder import ExecutorResultDecoder
from qiskit_ibm_runtime.decoders.noise_learner_v3.decoder import NoiseLearnerV3ResultDecoder
from qiskit_ibm_runtime.decoders.result_decoder import ResultDecoder
from qiskit_ibm_runtime.results.noise_learner_v3 import NoiseLearnerV3Results
from qiskit_ibm_runtime.results.quantum_program import QuantumProgramResult

from qiskit_runtime_jobs import Client, ExecutorResults, NoiseLearnerResults, RawResults
from qiskit_runtime_jobs_mock import VirtualClock
from tests.mock_results.conftest import finished_job
from tests.spec._spec import component, validator


@dataclass(frozen=True)
class Variant:
    """One documented result variant and how a job asks for it."""

    program_id: str
    params: dict[str, Any]
    component: str
    ibm_model: type[BaseModel] | None  # legacy strings have no model
    ibm_decoder: type[ResultDecoder]
    decoded: type[ExecutorResults | NoiseLearnerResults | RawResults]


VARIANTS = {
    "executor_v0.1": Variant(
        "executor",
        {"schema_version": "v0.1"},
        "ExecutorV01QuantumProgramResultModel",
        ExecutorV01,
        ExecutorResultDecoder,
        ExecutorResults,
    ),
    "executor_v0.2": Variant(
        "executor",
        {"schema_version": "v0.2"},
        "ExecutorV02QuantumProgramResultModel",
        ExecutorV02,
        ExecutorResultDecoder,
        ExecutorResults,
    ),
    "noise_learner_v3_v0.1": Variant(
        "noise-learner",
        {"schema_version": "v0.1"},
        "NoiseLearnerV3V01ResultsModel",
        NoiseLearnerV01,
        NoiseLearnerV3ResultDecoder,
        NoiseLearnerResults,
    ),
    "noise_learner_v3_v0.2": Variant(
        "noise-learner",
        {"schema_version": "v0.2"},
        "NoiseLearnerV3V02ResultsModel",
        NoiseLearnerV02,
        NoiseLearnerV3ResultDecoder,
        NoiseLearnerResults,
    ),
    "legacy": Variant("sampler", {}, "LegacyJobResults", None, ResultDecoder, RawResults),
}
VARIANT_NAMES = list(VARIANTS)


def _result(http: httpx.Client, clock: VirtualClock, variant: Variant) -> tuple[str, bytes]:
    job_id = finished_job(http, clock, variant.program_id, variant.params)
    response = http.get(f"/jobs/{job_id}/results")  # the fixture's hook checks the response
    assert response.status_code == 200
    return job_id, response.content


@pytest.mark.parametrize("name", VARIANT_NAMES)
def test_variant_validates_against_the_spec(
    http: httpx.Client, clock: VirtualClock, name: str
) -> None:
    """The body is its own variant of JobResults, and exactly one variant of the union."""
    _, body = _result(http, clock, VARIANTS[name])
    document = json.loads(body)
    validator(component(VARIANTS[name].component)).validate(document)
    # JobResults is an anyOf (the page's variants may overlap); the mock's bodies do not.
    validator(component("JobResults")).validate(document)
    others = [v.component for n, v in VARIANTS.items() if n != name]
    assert not any(validator(component(other)).is_valid(document) for other in others)


@pytest.mark.parametrize("name", VARIANT_NAMES)
def test_variant_parses_with_ibm_models_and_decoders(
    http: httpx.Client, clock: VirtualClock, name: str
) -> None:
    """IBM's pydantic model accepts the body; IBM's decoder for the program decodes it."""
    variant = VARIANTS[name]
    _, body = _result(http, clock, variant)
    if variant.ibm_model is not None:
        model = variant.ibm_model.model_validate_json(body)
        assert model.model_dump(mode="json")["schema_version"] == name[-4:]
    decoded = variant.ibm_decoder.decode(body.decode())
    expected = {
        ExecutorResultDecoder: QuantumProgramResult,
        NoiseLearnerV3ResultDecoder: NoiseLearnerV3Results,
        ResultDecoder: str,
    }[variant.ibm_decoder]
    assert isinstance(decoded, expected)


@pytest.mark.parametrize("name", VARIANT_NAMES)
def test_variant_decodes_through_the_client(
    http: httpx.Client, clock: VirtualClock, sdk: Client, name: str
) -> None:
    """`decoded_results()` gives the client's typed result for the variant, tensors as arrays."""
    variant = VARIANTS[name]
    job_id, body = _result(http, clock, variant)
    decoded = sdk.decoded_results(job_id)
    assert isinstance(decoded, variant.decoded)
    document = json.loads(body)
    if isinstance(decoded, RawResults):
        assert decoded.format == "legacy"
        assert decoded.value == document
        return
    assert decoded.schema_version == document["schema_version"]
    assert len(decoded.items) == len(document["data"])
    if isinstance(decoded, NoiseLearnerResults):
        for item in decoded.items:
            assert isinstance(item.rates, np.ndarray)
            assert item.rates.dtype == np.float64
            assert item.rates.shape == (len(item.generators_sparse),)
    else:
        meas = decoded.items[0].results["meas"]
        assert isinstance(meas, np.ndarray)
        assert meas.dtype == np.bool_
