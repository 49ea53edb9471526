"""wait() benchmark (not a test): polls per wait, on a virtual clock, against the ideal.

A fake job runs for T seconds (Queued, then Running, then Completed at T). `Client.wait`
(in-process, over `httpx.MockTransport`) polls it with the default schedule (first poll at
once, then 1 s growing x1.5 up to 30 s).
For each T the report gives the polls made, the ideal (1: a waiter that knew T would poll once,
at T), and how late the completion was noticed (the price of polling less). A fixed 1 s and a
fixed 30 s interval are shown for comparison: the first is quick to notice but polls T times,
the second polls little but is late on short jobs. No real time passes.

    python benchmarks/wait_bench.py            # JSON report on stdout
"""

from __future__ import annotations

import json
import sys
from typing import Any

import httpx

from qiskit_runtime_jobs import Client, VirtualClock

RUN_TIMES = [0.5, 2, 10, 30, 60, 300, 900, 1800, 3600, 4 * 3600]
POLICIES = {
    "default": (1.0, 30.0, 1.5),  # the client's defaults (WaitOptions)
    "fixed_1s": (1.0, 1.0, 1.0),
    "fixed_30s": (30.0, 30.0, 1.0),
}


def _job(status: str) -> dict[str, object]:
    return {
        "id": "bench",
        "created": "2026-03-06T14:00:00Z",
        "program": {"id": "sampler"},
        "state": {"status": status},
        "status": status,
        "cost": 60,
    }


RUNNING, COMPLETED = _job("Running"), _job("Completed")


def one_wait(run_time: float, interval: float, cap: float, factor: float) -> dict[str, float]:
    """Polls and detection delay for one job of `run_time` seconds."""
    clock = VirtualClock()
    polls = 0

    def service(request: httpx.Request) -> httpx.Response:
        del request  # every request is a poll of the one job
        nonlocal polls
        polls += 1
        return httpx.Response(200, json=(COMPLETED if clock.now() >= run_time else RUNNING))

    with Client(
        token="bench",
        crn="crn:v1:bluemix:public:quantum-computing:us-east:a/bench:bench::",
        transport=httpx.MockTransport(service),
        clock=clock,
    ) as client:
        client.wait("bench", poll_interval=interval, max_poll_interval=cap, factor=factor)
    return {"polls": polls, "late_s": round(clock.now() - run_time, 2)}


def run() -> dict[str, Any]:
    """Every run time under every policy; `polls_vs_ideal` is polls / 1."""
    report: dict[str, Any] = {"ideal_polls": 1, "policies": {}}
    for name, (interval, cap, factor) in POLICIES.items():
        rows = {str(t): one_wait(t, interval, cap, factor) for t in RUN_TIMES}
        report["policies"][name] = {
            "poll_interval": interval,
            "max_poll_interval": cap,
            "factor": factor,
            "by_run_time_s": rows,
            "mean_polls": round(sum(r["polls"] for r in rows.values()) / len(rows), 1),
        }
    return report


if __name__ == "__main__":
    sys.stdout.write(json.dumps(run(), indent=2) + "\n")
