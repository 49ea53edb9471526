"""GET /jobs/{id}/results: formats, bit-packing, determinism, size, and private read-once."""

from __future__ import annotations

import base64
import json
import math
import threading
from typing import Any

import httpx
import numpy as np
import pytest

from qiskit_runtime_jobs_mock import MockServer, VirtualClock
from tests.mock.conftest import create_job, mock_client


def _finished(client: httpx.Client, clock: VirtualClock, **body: Any) -> str:
    job_id = create_job(client, **body)
    clock.advance(10)
    return job_id


def _unpack(tensor: dict[str, Any]) -> np.ndarray:
    """Decode a TensorModel bool tensor the way ibm-quantum-schemas does."""
    raw = base64.b64decode(tensor["data"])
    total = math.prod(tensor["shape"])
    assert len(raw) == math.ceil(total / 8)
    bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8), bitorder="little")
    assert not bits[total:].any(), "padding bits are zero"
    return bits[:total].astype(bool).reshape(tensor["shape"])


def test_results_204_before_completion(client: httpx.Client, clock: VirtualClock) -> None:
    """Queued and running jobs answer 204 with an empty body."""
    job_id = create_job(client)
    assert client.get(f"/jobs/{job_id}/results").status_code == 204
    clock.advance(2)
    response = client.get(f"/jobs/{job_id}/results")
    assert response.status_code == 204
    assert response.content == b""


def test_failed_job_has_no_result(client: httpx.Client, clock: VirtualClock) -> None:
    """A failed job's results answer 204."""
    job_id = _finished(client, clock, params={"mock": {"outcome": "failed"}})
    assert client.get(f"/jobs/{job_id}/results").status_code == 204


def test_executor_v01_result_shape_and_bits(client: httpx.Client, clock: VirtualClock) -> None:
    """An executor job's result is v0.1 with a bit-packed bool meas tensor (*shape, shots, bits)."""
    params = {
        "schema_version": "v0.1",
        "quantum_program": {
            "shots": 100,
            "items": [
                {"item_type": "circuit", "circuit_arguments": {"shape": [3, 2]}},
                {"item_type": "samplex", "shape": [2, 5]},
            ],
        },
        "mock": {"num_bits": 3},
    }
    job_id = _finished(client, clock, program_id="executor", params=params)
    response = client.get(f"/jobs/{job_id}/results")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["schema_version"] == "v0.1"
    assert [item["metadata"] for item in body["data"]] == [None, None]
    shapes = [item["results"]["meas"]["shape"] for item in body["data"]]
    assert shapes == [[3, 100, 3], [2, 5, 100, 3]]
    bits = _unpack(body["data"][0]["results"]["meas"])
    agree = (bits == bits[..., :1]).all(axis=-1).mean()
    assert agree > 0.8, "GHZ-like: most shots have all bits equal"
    timing = body["metadata"]["chunk_timing"]
    assert [span["parts"] for span in timing] == [
        [{"idx_item": 0, "size": 3}],
        [{"idx_item": 1, "size": 10}],
    ]


def test_executor_v02_when_params_ask(client: httpx.Client, clock: VirtualClock) -> None:
    """schema_version v0.2 in params gives a v0.2 result with per-item metadata objects."""
    job_id = _finished(client, clock, program_id="executor", params={"schema_version": "v0.2"})
    body = client.get(f"/jobs/{job_id}/results").json()
    assert body["schema_version"] == "v0.2"
    assert body["data"][0]["metadata"] == {}
    assert body["data"][0]["results"]["meas"]["shape"] == [1024, 4]


def test_legacy_result_is_a_json_string(client: httpx.Client, clock: VirtualClock) -> None:
    """A non-executor program answers the legacy form: a JSON string value."""
    job_id = _finished(client, clock, program_id="sampler", params={"mock": {"shots": 50}})
    body = client.get(f"/jobs/{job_id}/results").json()
    assert isinstance(body, str)
    assert sum(json.loads(body)["results"][0]["data"]["counts"].values()) == 50


def test_result_format_can_be_forced(client: httpx.Client, clock: VirtualClock) -> None:
    """params.mock.result_format picks the format whatever the program."""
    job_id = _finished(client, clock, params={"mock": {"result_format": "executor_v0.2"}})
    assert client.get(f"/jobs/{job_id}/results").json()["schema_version"] == "v0.2"


def test_results_are_deterministic_per_params(client: httpx.Client, clock: VirtualClock) -> None:
    """Equal params give equal bits; another seed gives others; reads repeat exactly."""
    same = {"program_id": "executor", "params": {"mock": {"seed": 7, "shots": 64}}}
    a = _finished(client, clock, **same)
    b = _finished(client, clock, **same)
    c = _finished(client, clock, program_id="executor", params={"mock": {"seed": 8, "shots": 64}})

    def meas(job_id: str) -> str:
        return str(client.get(f"/jobs/{job_id}/results").json()["data"][0]["results"]["meas"])

    assert meas(a) == meas(b)
    assert meas(a) != meas(c)
    assert meas(a) == meas(a)


@pytest.mark.parametrize("size", [1_000, 200_000, 3_000_000])
def test_result_size_is_configurable(client: httpx.Client, clock: VirtualClock, size: int) -> None:
    """params.mock.result_bytes sizes the result (within 10% plus envelope)."""
    job_id = _finished(
        client, clock, program_id="executor", params={"mock": {"result_bytes": size}}
    )
    body = client.get(f"/jobs/{job_id}/results").content
    assert abs(len(body) - size) < size * 0.1 + 400


def test_large_results_from_config(make_server, clock: VirtualClock) -> None:
    """MockConfig.result_bytes sizes every executor result; tens of MB stay decodable."""
    _, http = make_server(result_bytes=20_000_000)
    job_id = _finished(http, clock, program_id="executor")
    body = http.get(f"/jobs/{job_id}/results", timeout=60).json()
    tensor = body["data"][0]["results"]["meas"]
    assert len(tensor["data"]) > 19_000_000
    assert _unpack(tensor).shape == tuple(tensor["shape"])


def test_private_result_is_read_once(client: httpx.Client, clock: VirtualClock) -> None:
    """A private job's result is answered once; later reads answer 204."""
    job_id = _finished(client, clock, private=True, program_id="executor")
    first = client.get(f"/jobs/{job_id}/results")
    assert first.status_code == 200
    assert first.json()["schema_version"] == "v0.1"
    assert client.get(f"/jobs/{job_id}/results").status_code == 204
    assert client.get(f"/jobs/{job_id}").json()["status"] == "Completed"


def test_non_private_result_reads_repeat(client: httpx.Client, clock: VirtualClock) -> None:
    """A normal job's result can be read any number of times."""
    job_id = _finished(client, clock)
    assert {client.get(f"/jobs/{job_id}/results").status_code for _ in range(3)} == {200}


def test_private_read_once_under_20_concurrent_readers(
    mock_server: MockServer, client: httpx.Client, clock: VirtualClock
) -> None:
    """Of 20 concurrent readers of a private result, exactly one gets it."""
    job_id = _finished(
        client,
        clock,
        private=True,
        program_id="executor",
        params={"mock": {"result_bytes": 300_000}},
    )
    barrier = threading.Barrier(20)
    statuses: list[int] = []
    lock = threading.Lock()

    def read() -> None:
        with mock_client(mock_server) as http:
            barrier.wait()
            status = http.get(f"/jobs/{job_id}/results").status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=read) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [204] * 19
