"""What the hooks tell the runner: every answer, rule verdicts, drift, requests redirected.

The hooks run in the fuzzing child and in the runner (lifecycle phase); both append JSON
lines to the run's events file (`RunContext.events_path`), so the runner can say what each
operation was sent, even when the fuzzer was stopped before it wrote its own report. The
jobs a run created are not here: they are in the ledger (`ledger`), which outlives the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .ledger import append_line, read_lines


class EventLog:
    """Appends events to one run's file (nowhere, for a session outside a run)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def emit(self, event: str, **fields: Any) -> None:
        if self.path is not None:
            append_line(self.path, {"event": event, **fields}, durable=False)


def read(path: Path, event: str | None = None) -> Iterator[dict[str, Any]]:
    """The events in `path` (of one kind, if named)."""
    for line in read_lines(path):
        if event is None or line.get("event") == event:
            yield line
