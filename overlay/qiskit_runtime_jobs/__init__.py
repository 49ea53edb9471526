"""Typed Python client for the IBM Qiskit Runtime REST API (Jobs).

The client composes the generated package `qiskit_runtime_jobs_generated` (written by
`make generate` from `openapi/`) and adds what a production SDK needs: configuration from
arguments or environment, region routing, IAM authentication, timeouts, retries, duplicate-free
job creation, a create rate limiter, validation, typed errors, raw responses and pagination.
"""

from qiskit_runtime_jobs_generated.types import Response as RawResponse

from ._async.client import AsyncClient, AsyncRawResponses
from ._clock import Clock, SystemClock, VirtualClock
from ._decode import (
    ChunkPart,
    ChunkSpan,
    DecodedResults,
    ExecutorItem,
    ExecutorMetadata,
    ExecutorResults,
    ItemMetadata,
    NoiseLearnerItem,
    NoiseLearnerResults,
    RawResults,
    RawTensor,
    SchedulerTiming,
    StretchValue,
    TensorDecodeError,
    decode_results,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    IAMError,
    InternalServerError,
    JobCancelledError,
    JobError,
    JobFailedError,
    NotFoundError,
    PermissionDeniedError,
    QiskitRuntimeError,
    RateLimitError,
    ResultAlreadyConsumedError,
    ResultLostError,
    ResultNotReadyError,
    ValidationError,
    WaitTimeoutError,
)
from ._ops import CreateOptions, JobFilters, RecoveredResponse
from ._regions import REGION_BASE_URLS, Region
from ._result_cache import ResultCache
from ._retry import parse_retry_after
from ._settings import ClientOptions, Settings
from ._spec_facts import API_VERSION, JobResult
from ._sync.client import Client, RawResponses
from ._version import __version__
from ._wait import WaitOptions

__all__ = [
    "API_VERSION",
    "REGION_BASE_URLS",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncRawResponses",
    "AuthenticationError",
    "BadRequestError",
    "ChunkPart",
    "ChunkSpan",
    "Client",
    "ClientOptions",
    "Clock",
    "ConfigurationError",
    "ConflictError",
    "CreateOptions",
    "DecodedResults",
    "ExecutorItem",
    "ExecutorMetadata",
    "ExecutorResults",
    "IAMError",
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
    "Region",
    "ResultAlreadyConsumedError",
    "ResultCache",
    "ResultLostError",
    "ResultNotReadyError",
    "SchedulerTiming",
    "Settings",
    "StretchValue",
    "SystemClock",
    "TensorDecodeError",
    "ValidationError",
    "VirtualClock",
    "WaitOptions",
    "WaitTimeoutError",
    "__version__",
    "decode_results",
    "parse_retry_after",
]
