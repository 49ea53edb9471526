"""The figures of the issue "the client's guarantees hold across clients, processes, crashes
and refusals", measured at the issue's scale with the tests' own scenarios:

    .venv/bin/python -m tests.overlay_process.measure

Against the loopback mock (virtual clocks, create limit off) through the fault proxy. The
tests assert the same properties on smaller runs; this prints the counts, with random faults
not capped (so a call can meet more refusals in a row than it retries).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from .proxy import REFUSALS
from .service import Service, running_service
from .workers import KILL_POINTS, create_with_keys, kill_then_read, read_results, run_processes

KEYS = [f"key-{i}" for i in range(15)]  # x 8 callers = 120 creates
FAULTS = 0.3


def _duplicates(service: Service, outcomes: list[dict[str, Any]]) -> str:
    jobs = [service.jobs_tagged(f"qrj-idempotency-{key}") for key in KEYS]
    calls = sum(len(ids) for o in outcomes for ids in o["ids"].values())
    errors = Counter(e for o in outcomes for e in o["errors"])
    faults = sum(n for o in outcomes for n in o["faults"].values())
    return (
        f"{sum(max(n - 1, 0) for n in jobs)} duplicates, {len(KEYS) - jobs.count(1)} keys "
        f"without exactly one job; {calls} calls returned, errors {dict(errors)}; "
        f"{faults} faults injected"
    )


def keyed_creates(root: Path) -> None:
    with running_service() as service:
        threads = create_with_keys(
            service.base_url, str(root / "t"), KEYS, threads=8, fault_rate=FAULTS, seed=1
        )
        print("reused keys, 8 threads x 15 keys, 30% faults:", _duplicates(service, [threads]))
    with running_service() as service:
        call = ((service.base_url, str(root / "p"), KEYS), {"threads": 2, "fault_rate": FAULTS})
        calls = [(call[0], {**call[1], "seed": seed}) for seed in range(4)]
        outcomes = run_processes(create_with_keys, calls)
        print("reused keys, 4 processes x 2 threads x 15 keys, 30% faults:", end=" ")
        print(_duplicates(service, outcomes))


def _shared(service: Service, jobs: list[str], outcomes: list[dict[str, Any]]) -> str:
    consumed = sum(o["consumed"] for o in outcomes)
    other = sum(len(o["errors"]) for o in outcomes) - consumed
    reads = sum(len(d) for o in outcomes for d in o["digests"].values())
    distinct = {job: {d for o in outcomes for d in o["digests"][job]} for job in jobs}
    return (
        f"{consumed} false 'consumed' of {reads + consumed + other} reads, {other} other "
        f"errors; service reads per job {sorted(set(service.counter.reads.values()))}; "
        f"distinct bodies per job {sorted({len(d) for d in distinct.values()})}"
    )


def shared_cache(root: Path) -> None:
    with running_service() as service:
        jobs = service.completed_jobs(10)
        two = read_results(service.base_url, str(root / "c"), jobs, readers=20, clients=2)
        print("shared cache_dir, 2 clients, 20 readers x 10 jobs:", _shared(service, jobs, [two]))
    with running_service() as service:
        jobs = service.completed_jobs(10)
        call = ((service.base_url, str(root / "d"), jobs), {"readers": 10})
        outcomes = run_processes(read_results, [call, call])
        print("shared cache_dir, 2 processes, 20 readers x 10 jobs:", end=" ")
        print(_shared(service, jobs, outcomes))


def kill_points(root: Path) -> None:
    with running_service() as service:
        *private, twin = service.completed_jobs(len(KILL_POINTS), public=1)
        jobs = dict(zip(KILL_POINTS, private, strict=True))
        expected = hashlib.sha256(service.result_of(twin)).hexdigest()
        run = kill_then_read(service.base_url, root / "k", jobs)
        digests = run["outcome"]["digests"]
        for point, job in jobs.items():
            recovered = digests[job] == [expected]
            print(f"kill -9 {point:13s} (exit {run['codes'][point]}): recovered={recovered}")
        left = sorted(p.name for p in (root / "k").iterdir() if p.suffix == ".tmp")
        print(f"temporary files left after the new process read: {left}")


def refusals() -> None:
    with running_service() as service:
        jobs = service.completed_jobs(200)
        outcome = read_results(
            service.base_url, None, jobs, readers=1, fault_rate=FAULTS, kinds=REFUSALS, seed=5
        )
        refused = sum(outcome["faults"].values())
        print(
            f"results() through 30% refusals (503/429) on every request, max_retries=3: "
            f"{len(outcome['errors'])} of {outcome['calls']} calls raised "
            f"{dict(Counter(outcome['errors']))}; {refused} of "
            f"{refused + outcome['forwarded']} requests refused; service reads per job "
            f"{sorted(set(service.counter.reads.values()))}"
        )


def main() -> None:
    with tempfile.TemporaryDirectory() as root:
        os.environ["XDG_CACHE_HOME"] = root  # nothing outside the temporary directory
        keyed_creates(Path(root))
        shared_cache(Path(root))
        kill_points(Path(root))
        refusals()


if __name__ == "__main__":
    main()
