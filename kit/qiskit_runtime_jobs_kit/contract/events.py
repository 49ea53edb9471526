"""What a run's hooks tell the runner: jobs created and deleted, rule verdicts, drift.

The hooks run inside the schemathesis process and inside the runner (lifecycle phase); both
append JSON lines to the file named by `QRJ_CONTRACT_EVENTS`, one `write` per line, so the
runner can clean up every job a run created even after the fuzzer was killed.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_EVENTS = "QRJ_CONTRACT_EVENTS"
_lock = threading.Lock()


def emit(event: str, **fields: Any) -> None:
    """Append one event, if this process reports to a runner."""
    path = os.environ.get(ENV_EVENTS)
    if not path:
        return
    line = json.dumps({"event": event, **fields}, sort_keys=True) + "\n"
    with _lock, open(path, "a", encoding="utf-8") as sink:
        sink.write(line)


def read(path: Path) -> Iterator[dict[str, Any]]:
    """Every complete event line in `path` (a torn last line from a kill is skipped)."""
    if not path.exists():
        return
    with open(path, encoding="utf-8") as source:
        for line in source:
            if line.endswith("\n"):
                yield json.loads(line)


@dataclass
class JobLedger:
    """The jobs one run created, and which of them it deleted again."""

    created: list[str] = field(default_factory=list)
    deleted: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> JobLedger:
        ledger = cls()
        for event in read(path):
            if event["event"] == "created":
                ledger.created.append(event["id"])
            elif event["event"] == "deleted":
                ledger.deleted.add(event["id"])
        return ledger

    @property
    def left(self) -> list[str]:
        return [job_id for job_id in self.created if job_id not in self.deleted]
