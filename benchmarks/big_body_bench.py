"""Big-body benchmark (not a test): do other clients wait while the mock reads a huge create?

The mock runs in its own process (`mock_process`). One client, in a process of its own, sends
`POST /jobs` whose `params` hold one long list of numbers (30 MB of JSON by default, near the
mock's 32 MiB body limit); meanwhile another client sends `GET /jobs` back to back, one at a
time, on its own connection. The headline figure is that client's worst latency while the
create is under way, divided by its worst latency with the mock idle, measured in the same run
just before (5,000 requests on the same connection, about as many). Also reported: the
create's own duration and the mock's peak RSS (VmHWM) before and after.

    python -m benchmarks.big_body_bench            # JSON report on stdout
    python -m benchmarks.big_body_bench --quick    # a 3 MB body
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks._common import mock_process, percentile, ratio

FULL_ELEMENTS = 15_000_000  # "0," each: a 30 MB body
QUICK_ELEMENTS = 1_500_000
# Requests to the idle mock: about as many as the other client sends during the create (some
# 5,000 on 2 cores), so that both worsts have the same chances to meet the serving process's
# own pauses (a full garbage collection takes some 35 ms).
IDLE_REQUESTS = 5000
QUICK_IDLE_REQUESTS = 500
# Other clients' worst latency during the create, as a multiple of their idle worst.
TARGET_RATIO = 10.0


def body(elements: int) -> bytes:
    """A `POST /jobs` body whose params hold `elements` zeros (two bytes each)."""
    numbers = b"0," * (elements - 1) + b"0"
    return b'{"program_id":"sampler","params":{"values":[' + numbers + b"]}}"


def _peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _latencies_ms(http: httpx.Client, until: threading.Event | None, count: int) -> list[float]:
    """`GET /jobs` one after another: `count` of them, or until `until` is set."""
    samples: list[float] = []
    while (until is None and len(samples) < count) or (until is not None and not until.is_set()):
        started = time.perf_counter()
        response = http.get("/jobs", params={"limit": 1})
        samples.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return samples


def _create(base_url: str, headers: dict[str, str], elements: int, results: Any) -> None:
    """The big client, in a process of its own (as another user's machine would be): sends the
    create, then puts its status and duration on `results`."""
    payload = body(elements)
    results.put("sending")
    with httpx.Client(base_url=base_url, headers=headers, timeout=httpx.Timeout(300.0)) as http:
        started = time.perf_counter()
        status = http.post("/jobs", content=payload).status_code
        results.put((status, time.perf_counter() - started, len(payload)))


def run(quick: bool = False) -> dict[str, Any]:
    elements = QUICK_ELEMENTS if quick else FULL_ELEMENTS
    context = multiprocessing.get_context("spawn")
    with mock_process() as mock:
        headers = {**mock.headers, "Content-Type": "application/json"}
        with httpx.Client(base_url=mock.base_url, headers=headers, timeout=300.0) as poller:
            _latencies_ms(poller, None, 20)  # warm-up: the connection, the first requests
            rss_before = _peak_rss_mib(mock.pid)
            idle = _latencies_ms(poller, None, QUICK_IDLE_REQUESTS if quick else IDLE_REQUESTS)

            results = context.Queue()
            creator = context.Process(
                target=_create, args=(mock.base_url, headers, elements, results), daemon=True
            )
            creator.start()
            assert results.get(timeout=120) == "sending"
            done = threading.Event()
            outcome: list[tuple[int, float, int]] = []

            def wait_for_the_create() -> None:
                outcome.append(results.get(timeout=600))
                done.set()

            waiter = threading.Thread(target=wait_for_the_create, daemon=True)
            waiter.start()
            busy = _latencies_ms(poller, done, 0)
            waiter.join()
            creator.join(timeout=60)
            rss_after = _peak_rss_mib(mock.pid)
    status, seconds, size = outcome[0]
    idle_worst, busy_worst = max(idle), max(busy)
    return {
        "body_mb": round(size / 1e6, 1),
        "list_elements": elements,
        "create_status": status,
        "create_seconds": round(seconds, 2),
        "idle": {
            "requests": len(idle),
            "worst_ms": round(idle_worst, 2),
            "p50_ms": round(percentile(idle, 0.5), 2),
        },
        "during_create": {
            "requests": len(busy),
            "worst_ms": round(busy_worst, 2),
            "p50_ms": round(percentile(busy, 0.5), 2),
        },
        "worst_vs_idle_worst": ratio(busy_worst, idle_worst, 1),
        "target_ratio": TARGET_RATIO,
        "mock_peak_rss_mib": {"before": rss_before, "after": rss_after},
    }


if __name__ == "__main__":
    json.dump(run("--quick" in sys.argv[1:]), sys.stdout, indent=2)
    sys.stdout.write("\n")
