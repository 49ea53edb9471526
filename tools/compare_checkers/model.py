"""What a checker is and what one run of it leaves behind, in a shape JSON can hold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parents[2]
# The spec every checker reads: the repository's own, byte for byte.
SPEC = ROOT / "openapi" / "qiskit-runtime-jobs.yaml"

# How a variant's run is judged against the correct mock's runs (see `judge`).
BaselineRule = Literal["exit_status", "new_failures"]


@dataclass(frozen=True)
class Target:
    """One fresh mock: where a checker sends its requests, and the headers it needs."""

    base_url: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Failure:
    """One failure a checker reported.

    `key` is what the baseline rule compares (the same failure on the correct mock does not
    count); `detail` is a few words for the table.
    """

    key: str
    detail: str


@dataclass(frozen=True)
class Reading:
    """What a checker's reports say; `problem` is set when they cannot be judged."""

    failures: tuple[Failure, ...]
    summary: str  # the checker's own verdict line, e.g. "PASS" or "2123 tests, 6 failed"
    problem: str | None = None


@dataclass(frozen=True)
class CheckerRun:
    """One checker's run against one mock."""

    checker: str
    variant: str
    exit_code: int | None  # None: killed at the time limit
    seconds: float
    timed_out: bool
    failures: tuple[Failure, ...] = ()
    summary: str = ""
    error: str | None = None  # set when the run could not be judged (no report, crash, ...)
    workdir: str = ""

    def to_json(self) -> dict[str, Any]:
        """Plain data for `--json`."""
        return asdict(self)


def _nothing_to_prepare(_target: Target, _workdir: Path) -> None:
    """Most checkers need no files beside their command line."""


@dataclass(frozen=True)
class Checker:
    """A checker: how to run it against a target, how to read its reports, how to show it.

    `command(target, workdir)` is the command line (the page shows it with placeholders),
    run in `workdir` after `prepare(target, workdir)` wrote any files it needs, in this
    process's environment without the variables starting with one of `env_drop` (the
    checker would take them as settings) and with `env_set`; `read(workdir)` reads the
    reports it left there. `rule` says what counts as caught, `settings` names its fixed
    options, `notes` what the page should know.
    """

    name: str
    title: str
    time_limit: float
    command: Callable[[Target, Path], list[str]]
    env_drop: tuple[str, ...]
    read: Callable[[Path], Reading]
    rule: BaselineRule
    prepare: Callable[[Target, Path], None] = _nothing_to_prepare
    env_set: Mapping[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    notes: str = ""
