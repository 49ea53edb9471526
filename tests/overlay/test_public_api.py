"""The package's public surface is explicit, sorted and pinned (httpx/openai style)."""

from __future__ import annotations

from typing import get_args

import qiskit_runtime_jobs
from qiskit_runtime_jobs import REGION_BASE_URLS, Region
from tests.spec._spec import spec

EXPECTED = {
    "API_VERSION",
    "REGION_BASE_URLS",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncRawResponses",
    "IAMError",
    "AuthenticationError",
    "BadRequestError",
    "Client",
    "ClientOptions",
    "Clock",
    "ConfigurationError",
    "ConflictError",
    "ChunkPart",
    "ChunkSpan",
    "CreateOptions",
    "DecodedResults",
    "ExecutorItem",
    "ExecutorMetadata",
    "ExecutorResults",
    "InternalServerError",
    "ItemMetadata",
    "JobCancelledError",
    "JobError",
    "JobFailedError",
    "JobFilters",
    "JobResult",
    "NoiseLearnerItem",
    "NoiseLearnerResults",
    "NotFoundError",
    "PermissionDeniedError",
    "QiskitRuntimeError",
    "RateLimitError",
    "RawResponse",
    "RawResponses",
    "RawResults",
    "RawTensor",
    "RecoveredResponse",
    "SchedulerTiming",
    "Region",
    "ResultAlreadyConsumedError",
    "ResultCache",
    "ResultLostError",
    "ResultNotReadyError",
    "Settings",
    "StretchValue",
    "SystemClock",
    "TensorDecodeError",
    "ValidationError",
    "VirtualClock",
    "WaitOptions",
    "WaitTimeoutError",
    "decode_results",
    "parse_retry_after",
    "__version__",
}


def test_all_is_sorted_and_exact() -> None:
    """__all__ lists exactly the pinned public names, in ruff's (isort-style) order."""
    names = qiskit_runtime_jobs.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    assert set(names) == EXPECTED


def test_every_exported_name_exists() -> None:
    """Every name in __all__ is importable from the package."""
    for name in qiskit_runtime_jobs.__all__:
        assert hasattr(qiskit_runtime_jobs, name), name


def test_region_literal_matches_spec_servers() -> None:
    """The Region type lists exactly the spec's regions, and the table is the spec's."""
    servers = {server["x-region"]: server["url"] for server in spec()["servers"]}
    assert set(get_args(Region)) == set(servers)
    assert dict(REGION_BASE_URLS) == servers


def test_version_is_a_string() -> None:
    """__version__ is exposed for the User-Agent."""
    assert qiskit_runtime_jobs.__version__.count(".") == 2
