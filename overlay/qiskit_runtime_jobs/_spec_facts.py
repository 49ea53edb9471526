"""Facts from the spec that the hand-written overlay needs at run time.

Written by tools/codegen.py from openapi/qiskit-runtime-jobs.yaml; do not edit.
"""

from typing import Any, TypeAlias

from qiskit_runtime_jobs_generated.models import (
    ExecutorV01QuantumProgramResultModel,
    ExecutorV02QuantumProgramResultModel,
    ExecutorV10QuantumProgramResultModel,
    ExecutorV11QuantumProgramResultModel,
    ExecutorV20QuantumProgramResultModel,
    NoiseLearnerV3V01ResultsModel,
    NoiseLearnerV3V02ResultsModel,
    NoiseLearnerV3V03ResultsModel,
)

API_VERSION = "2026-03-15"
"""`info.version`: the IBM-API-Version this client was generated for."""

SERVERS: dict[str, str] = {
    "us-east": "https://quantum.cloud.ibm.com/api/v1",
    "eu-de": "https://eu-de.quantum.cloud.ibm.com/api/v1",
}
"""Region (CRN location) -> base URL, in the spec's order; the first is the default."""

RESULT_MODELS = (
    ExecutorV01QuantumProgramResultModel,
    ExecutorV02QuantumProgramResultModel,
    NoiseLearnerV3V01ResultsModel,
    NoiseLearnerV3V02ResultsModel,
    ExecutorV10QuantumProgramResultModel,
    ExecutorV11QuantumProgramResultModel,
    ExecutorV20QuantumProgramResultModel,
    NoiseLearnerV3V03ResultsModel,
)
"""The object variants of `JobResults`, in the spec's order: a result is read as the first
that takes it."""

MAX_TAGS = 8
MAX_TAG_LENGTH = 86
"""`Tags`: at most this many tags, each at most this many characters."""

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
"""`LogLevel`: the log levels a job may ask for, least verbose first."""

MAX_PAGE_SIZE = 200
"""`list_jobs` `limit`: the largest page (also the clients' default)."""

MAX_COST = 10800
"""`CreateJobRequest.cost`: the most seconds a job may cost (its first `anyOf` branch)."""

JobResult: TypeAlias = (
    ExecutorV01QuantumProgramResultModel
    | ExecutorV02QuantumProgramResultModel
    | NoiseLearnerV3V01ResultsModel
    | NoiseLearnerV3V02ResultsModel
    | ExecutorV10QuantumProgramResultModel
    | ExecutorV11QuantumProgramResultModel
    | ExecutorV20QuantumProgramResultModel
    | NoiseLearnerV3V03ResultsModel
    | str
    | dict[str, Any]
)
"""What `results()` returns: a result model (tried in the spec's order), the legacy string,
or the JSON object as it came for a shape no model matches (a newer result version)."""
