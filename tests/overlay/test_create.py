"""Duplicate-free create against the loopback mock, with faults injected before and after."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from qiskit_runtime_jobs import (
    APIConnectionError,
    BadRequestError,
    Client,
    ConfigurationError,
    InternalServerError,
    QiskitRuntimeError,
    VirtualClock,
)
from qiskit_runtime_jobs_mock import Fault, MockServer

from .conftest import AsyncCountingTransport, CountingTransport, job_count, make_async_client
from .test_transport import CRN, JOB

LOOPBACK = pytest.mark.loopback  # dropped or cut-off connections need the real socket


def _tags_of_only_job(server: MockServer, client: Client) -> list[str]:
    jobs = client.list_jobs().jobs
    assert len(jobs) == 1
    tags = jobs[0].tags
    assert isinstance(tags, list)
    return tags


@pytest.mark.parametrize(
    "fault",
    [
        Fault(route="create_job", status=503, when="after"),
        Fault(route="create_job", status=500, when="after"),
        Fault(route="create_job", status=429, when="after", retry_after=2),
        pytest.param(Fault(route="create_job", kind="drop", when="after"), marks=LOOPBACK),
        pytest.param(Fault(route="create_job", kind="truncate", when="after"), marks=LOOPBACK),
    ],
    ids=["503-after", "500-after", "429-after", "drop-after", "truncate-after"],
)
def test_ambiguous_failure_after_creation_returns_the_created_job(
    mock_server: MockServer, make_client: Callable[..., Client], fault: Fault
) -> None:
    """The job was created but the answer was lost: the client finds it, creates no second."""
    mock_server.state.faults.add(fault)
    counting = CountingTransport()
    client = make_client(transport=counting)
    created = client.create_job("sampler", tags=["mine"])
    assert job_count(mock_server) == 1
    assert client.get_job(created.id).id == created.id
    assert counting.count("POST", "/jobs") == 1
    tags = _tags_of_only_job(mock_server, client)
    assert tags[0] == "mine"
    assert tags[1].startswith("qrj-idempotency-")


@pytest.mark.parametrize(
    "fault",
    [
        Fault(route="create_job", status=503, when="before"),
        Fault(route="create_job", status=502, when="before", times=2),
        pytest.param(Fault(route="create_job", kind="drop", when="before"), marks=LOOPBACK),
    ],
    ids=["503-before", "502-before-twice", "drop-before"],
)
def test_ambiguous_failure_before_creation_is_retried(
    mock_server: MockServer, make_client: Callable[..., Client], fault: Fault
) -> None:
    """Nothing was created: the lookup finds nothing and the create is sent again, once."""
    mock_server.state.faults.add(fault)
    counting = CountingTransport()
    client = make_client(transport=counting)
    created = client.create_job("sampler")
    assert counting.count("POST", "/jobs") == 1 + (fault.times or 1)
    assert counting.count("GET", "/jobs") == (fault.times or 1)
    assert job_count(mock_server) == 1
    assert client.list_jobs().jobs[0].id == created.id


@pytest.mark.loopback  # a client timeout
def test_slow_create_that_times_out_is_found_by_its_tag(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """A create the client timed out on, but the service completed, is not sent twice."""
    mock_server.state.faults.add(
        Fault(route="create_job", kind="slow", when="after", delay_seconds=0.5)
    )
    client = make_client(timeout=0.1)
    created = client.create_job("sampler")
    assert job_count(mock_server) == 1
    assert client.get_job(created.id).id == created.id


def test_retry_after_of_429_is_waited_before_the_lookup(
    mock_server: MockServer, make_client: Callable[..., Client], clock: VirtualClock
) -> None:
    """A 429 with Retry-After: 7 on create waits 7 s (client clock), then checks the tag."""
    mock_server.state.faults.add(Fault(route="create_job", status=429, retry_after=7))
    make_client().create_job("sampler")
    assert clock.sleeps == [7.0]
    assert job_count(mock_server) == 1


def test_definite_refusal_is_not_retried(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """A 400 from the service is raised at once: nothing is looked up or resent."""
    counting = CountingTransport()
    client = make_client(transport=counting)
    with pytest.raises(BadRequestError):
        client.create_job("sampler", params={"mock": {"outcome": "nonsense"}})
    assert counting.sent == [("POST", "/api/v1/jobs")]


def test_full_tags_means_no_retry(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """With 8 user tags nothing is attached, and an ambiguous failure is raised, not retried."""
    mock_server.state.faults.add(Fault(route="create_job", status=503, when="after"))
    tags = [f"t{i}" for i in range(8)]
    client = make_client()
    with pytest.raises(InternalServerError):
        client.create_job("sampler", tags=tags)
    assert job_count(mock_server) == 1
    assert _tags_of_only_job(mock_server, client) == tags


@pytest.mark.loopback  # dropped connections
def test_gives_up_after_max_retries(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """Persistent ambiguous failures end in the last error, never in a duplicate job."""
    mock_server.state.faults.add(Fault(route="create_job", kind="drop", when="before", times=None))
    client = make_client(max_retries=2)
    with pytest.raises(APIConnectionError) as info:
        client.create_job("sampler")
    assert job_count(mock_server) == 0
    assert any("qrj-idempotency-" in note for note in info.value.__notes__)


def test_caller_idempotency_key_dedupes_across_calls(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """An explicit idempotency_key becomes the tag, so a re-run can be found by it."""
    client = make_client()
    created = client.create_job("sampler", idempotency_key="batch-42")
    found = client.list_jobs(tags=["qrj-idempotency-batch-42"]).jobs
    assert [job.id for job in found] == [created.id]


@pytest.mark.asyncio
async def test_async_create_finds_the_job_after_a_lost_answer(
    mock_server: MockServer, clock: VirtualClock
) -> None:
    """The async client follows the same protocol: one job after a 503-after fault."""
    mock_server.state.faults.add(Fault(route="create_job", status=503, when="after"))
    client = make_async_client(mock_server, clock)
    try:
        created = await client.create_job("sampler")
        assert (await client.get_job(created.id)).id == created.id
    finally:
        await client.close()
    assert job_count(mock_server) == 1


@pytest.mark.loopback  # a dropped connection
@pytest.mark.asyncio
async def test_async_create_retries_when_nothing_was_created(
    mock_server: MockServer, clock: VirtualClock
) -> None:
    """The async client resends after a before-fault and ends with exactly one job."""
    mock_server.state.faults.add(Fault(route="create_job", kind="drop", when="before"))
    async with make_async_client(mock_server, clock) as client:
        await client.create_job("sampler")
    assert job_count(mock_server) == 1


# ---------------------------------------------------------------- caller's idempotency keys


def test_reused_key_returns_the_existing_job(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """A second create with the same key returns the first job: one POST, one lookup each."""
    counting = CountingTransport()
    client = make_client(transport=counting)
    first = client.create_job("sampler", idempotency_key="batch-42")
    second = client.create_job("sampler", idempotency_key="batch-42")
    assert second.id == first.id
    assert job_count(mock_server) == 1
    assert counting.count("POST", "/jobs") == 1
    assert counting.count("GET", "/jobs") == 2  # the lookup before each POST


def test_retry_with_the_key_after_a_raised_create_finds_the_job(
    mock_server: MockServer, make_client: Callable[..., Client]
) -> None:
    """The create raised (503 after the job was made, no retries left): calling again with
    the key returns the job the failed call made instead of a duplicate."""
    mock_server.state.faults.add(Fault(route="create_job", status=503, when="after"))
    counting = CountingTransport()
    client = make_client(transport=counting, max_retries=0)
    with pytest.raises(InternalServerError) as info:
        client.create_job("sampler", idempotency_key="nightly-7")
    assert any("qrj-idempotency-nightly-7" in note for note in info.value.__notes__)
    found = client.create_job("sampler", idempotency_key="nightly-7")
    assert job_count(mock_server) == 1
    assert client.list_jobs().jobs[0].id == found.id
    assert counting.count("POST", "/jobs") == 1


def test_keyed_creates_from_threads_make_one_job(
    mock_server: MockServer, make_client: Callable[..., Client], tmp_path: Path
) -> None:
    """Eight threads, two clients, one key, at the same time: one job, one POST; the key's
    lock file is in `<cache_dir>/locks`."""
    counting = CountingTransport()
    clients = [make_client(transport=counting, cache_dir=tmp_path) for _ in range(2)]
    start = threading.Barrier(8)

    def create(index: int) -> str:
        start.wait(timeout=10)
        return clients[index % 2].create_job("sampler", idempotency_key="same").id

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(create, range(8)))
    assert len(ids) == 1
    assert job_count(mock_server) == 1
    assert counting.count("POST", "/jobs") == 1
    assert [p.name for p in (tmp_path / "locks").iterdir()] == ["create-same.lock"]


def test_keyed_create_without_cache_dir_locks_in_the_user_cache(
    make_client: Callable[..., Client], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a cache_dir the key's lock lives under $XDG_CACHE_HOME; unkeyed creates take
    no lock at all."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    client = make_client()
    client.create_job("sampler")
    assert list(tmp_path.iterdir()) == []
    client.create_job("sampler", idempotency_key="k1")
    locks = tmp_path / "qiskit-runtime-jobs" / "locks"
    assert [p.name for p in locks.iterdir()] == ["create-k1.lock"]
    assert locks.stat().st_mode & 0o777 == 0o700


def test_unusable_lock_directory_is_a_configuration_error(
    make_client: Callable[..., Client], tmp_path: Path
) -> None:
    """A cache_dir that cannot hold the lock directory is named in a ConfigurationError, and
    nothing is sent."""
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    counting = CountingTransport()
    client = make_client(transport=counting, cache_dir=blocker)
    with pytest.raises(ConfigurationError, match="lock directory"):
        client.create_job("sampler", idempotency_key="k")
    assert counting.sent == []


@pytest.mark.asyncio
async def test_async_keyed_creates_make_one_job(
    mock_server: MockServer, clock: VirtualClock, tmp_path: Path
) -> None:
    """Eight tasks of two async clients with one key: one job, one POST."""
    counting = AsyncCountingTransport()
    clients = [
        make_async_client(mock_server, clock, transport=counting, cache_dir=tmp_path)
        for _ in range(2)
    ]
    try:
        created = await asyncio.gather(
            *(clients[i % 2].create_job("sampler", idempotency_key="k") for i in range(8))
        )
    finally:
        for client in clients:
            await client.close()
    assert len({job.id for job in created}) == 1
    assert job_count(mock_server) == 1
    assert counting.count("POST", "/jobs") == 1


# ---------------------------------------------------------------- the protocol, step by step

FOUND = {**JOB, "id": "found", "backend": "b"}  # as the service lists a created job
MADE = {"id": "made", "backend": "b"}
LOST = httpx.RemoteProtocolError("dropped")


@pytest.mark.parametrize(
    ("key", "answers", "steps", "result"),
    [
        (None, {"post": [MADE]}, ["post"], "made"),
        ("k", {"lookup": [FOUND]}, ["lookup"], "found"),
        ("k", {"lookup": [None], "post": [MADE]}, ["lookup", "post"], "made"),
        ("k", {"lookup": [None, FOUND], "post": [LOST]}, ["lookup", "post", "lookup"], "found"),
        (None, {"lookup": [None], "post": [LOST, MADE]}, ["post", "lookup", "post"], "made"),
        ("k", {"lookup": [None], "post": [400]}, ["lookup", "post"], "400"),
    ],
    ids=["plain", "key-found", "key-new", "key-lost-then-found", "lost-then-resent", "refused"],
)
def test_create_protocol_requests(
    key: str | None, answers: dict[str, list[object]], steps: list[str], result: str
) -> None:
    """The protocol over an in-process service: which requests it sends, given the answers,
    and a backoff sleep before each lookup that follows a lost create."""
    asked: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        step = "post" if request.method == "POST" else "lookup"
        asked.append(step)
        answer = answers[step].pop(0)
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, int):
            return httpx.Response(answer, json={"errors": [{"message": "refused"}]})
        if step == "lookup":
            jobs = [] if answer is None else [answer]
            return httpx.Response(
                200, json={"jobs": jobs, "count": len(jobs), "limit": 1, "offset": 0}
            )
        return httpx.Response(200, json=answer)

    clock = VirtualClock()
    options = {} if key is None else {"idempotency_key": key}
    with Client(token="t", crn=CRN, transport=httpx.MockTransport(handle), clock=clock) as client:
        try:
            outcome = client.create_job("sampler", **options).id
        except QiskitRuntimeError as exc:
            outcome = str(exc).split()[0]
    assert asked == steps
    assert outcome == result
    assert len(clock.sleeps) == steps.count("lookup") - (key is not None)
    assert all(0 <= delay <= 0.5 for delay in clock.sleeps)
