"""The public surface, pinned for type checkers (checked by `make typecheck`, never run).

Each `assert_type` fails mypy if a signature drifts; each `# type: ignore[code]` marks a
call that must stay an error (mypy's `warn_unused_ignores` fails if it becomes accepted).
"""

from __future__ import annotations

from typing import Any, assert_type

import httpx

from qiskit_runtime_jobs import (
    APIError,
    AsyncClient,
    Client,
    DecodedResults,
    JobResult,
    RateLimitError,
    RawResponse,
    RecoveredResponse,
    Region,
    ResultCache,
    Settings,
    decode_results,
    parse_retry_after,
)
from qiskit_runtime_jobs_generated.models import (
    CreateJobResponse,
    ExecutorV02QuantumProgramResultModel,
    JobMetrics,
    JobResponse,
    JobsResponse,
)


def construct(region: Region) -> Client:
    client = Client(token="t", crn="crn:...", region=region, timeout=httpx.Timeout(5.0))
    Client(token="t", crn="crn:...", region="mars")  # type: ignore[arg-type]
    Client(token="t", crn="crn:...", retries=3)  # type: ignore[call-arg]
    assert_type(client.settings, Settings)
    assert_type(client.result_cache, ResultCache)
    return client


def sync_methods(client: Client) -> None:
    assert_type(client.create_job("sampler", tags=["a"], idempotency_key="k"), CreateJobResponse)
    client.create_job("sampler", cost="60")  # type: ignore[arg-type]
    assert_type(client.list_jobs(limit=10, pending=True, sort="ASC"), JobsResponse)
    client.list_jobs(sort="up")  # type: ignore[arg-type]
    assert_type(next(client.iter_jobs(page_size=50)), JobResponse)
    assert_type(client.get_job("id", exclude_params=True), JobResponse)
    assert_type(client.cancel_job("id"), None)
    assert_type(client.delete_job("id"), None)
    assert_type(client.get_job_logs("id"), str)
    assert_type(client.get_job_metrics("id"), JobMetrics)
    assert_type(client.replace_job_tags("id", ["a"]), None)
    assert_type(
        client.wait("id", timeout=60, poll_interval=2.0, cancel_on_timeout=True), JobResponse
    )
    client.wait("id", poll_every=2.0)  # type: ignore[call-arg]
    result = client.results("id")
    assert_type(result, JobResult)
    if isinstance(result, ExecutorV02QuantumProgramResultModel):
        assert_type(result.to_dict(), dict[str, Any])
    assert_type(client.decoded_results("id"), DecodedResults)


def raw_responses(client: Client) -> None:
    raw = client.with_raw_response.get_job("id")
    assert_type(raw, RawResponse[JobResponse])
    assert_type(raw.status_code.value, int)
    assert_type(raw.content, bytes)
    assert_type(client.with_raw_response.list_jobs(limit=1), RawResponse[JobsResponse])
    created = client.with_raw_response.create_job("sampler")
    assert_type(created, RawResponse[CreateJobResponse])
    if isinstance(created, RecoveredResponse):  # found by its tag: the lookup's answer, as such
        assert_type(created.learned_from, RawResponse[Any])
        assert_type(created.failure, APIError | None)
    assert_type(client.with_raw_response.cancel_job("id"), RawResponse[None])
    assert_type(client.with_raw_response.delete_job("id"), RawResponse[None])


async def async_methods(client: AsyncClient) -> None:
    assert_type(await client.create_job("sampler"), CreateJobResponse)
    assert_type(await client.get_job("id"), JobResponse)
    assert_type(await client.wait("id", timeout=None), JobResponse)
    assert_type(await client.results("id"), JobResult)
    assert_type(await client.decoded_results("id"), DecodedResults)
    assert_type(await client.with_raw_response.get_job("id"), RawResponse[JobResponse])
    async for job in client.iter_jobs(pending=False):
        assert_type(job, JobResponse)
    async with AsyncClient(token="t", crn="crn:...") as scoped:
        assert_type(scoped, AsyncClient)


def helpers(error: RateLimitError, body: bytes) -> None:
    assert_type(error.retry_after, float | None)
    assert_type(error.status_code, int)
    assert_type(parse_retry_after("120"), float | None)
    assert_type(decode_results(body), DecodedResults)
