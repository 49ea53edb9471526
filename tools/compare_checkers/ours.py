"""Checker 1, ours: `qiskit-runtime-jobs contract --url URL --allow-create`, as a user runs it.

Caught means exit status 1 where the correct mock exits 0. The failures kept for the table are
the failing rows of the run's summary.md: table cells marked `**FAILED**`, and the items of a
`## Failures` section or a "Failed steps:" list.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN
from tools.compare_checkers.model import Checker, Failure, Reading, Target

DETAIL_CHARS = 100

_FAILED = "**FAILED**"
_LIST_HEADINGS = ("Failed steps:",)
# "fleet: `GET /jobs/{id}` -> 200: why": the scenario and the request, then the reason.
_JOB_IDS = re.compile(r"\b[a-z0-9]{20}\b(?:, [a-z0-9]{20}\b)*")
_ITEM_WHERE = re.compile(r"([\w-]+: `[^`]+`(?: -> \d+)?)")


def command(target: Target, workdir: Path) -> list[str]:
    """The command line (credentials come from the environment: `env_set`)."""
    return [
        sys.executable,
        "-m",
        "qiskit_runtime_jobs_kit.contract",
        "--url",
        target.base_url,
        "--allow-create",
        "--quiet",
        "--report-dir",
        str(workdir / "report"),
        "--state-dir",
        str(workdir / "state"),
    ]


def read(workdir: Path) -> Reading:
    """The failing rows of the run's summary.md, behaviour rows first, and its verdict."""
    summary_md = workdir / "report" / "summary.md"
    if not summary_md.is_file():
        return Reading((), "no summary.md")
    text = summary_md.read_text(encoding="utf-8")
    verdict = re.search(r"^# Contract run: (\w+)", text, re.MULTILINE)
    return Reading(tuple(telling_first(failing_rows(text))), verdict[1] if verdict else "?")


def failing_rows(summary_md: str) -> list[Failure]:
    """The failing rows of a summary.md, in page order: `section: row` and a short reason."""
    failures: list[Failure] = []
    section, in_list = "", False
    for line in summary_md.splitlines():
        stripped = line.strip()
        if stripped.startswith("## "):
            section, in_list = stripped[3:].strip(), stripped[3:].strip() == "Failures"
            continue
        if stripped in _LIST_HEADINGS:
            in_list = True
            continue
        if stripped.startswith("|") and _FAILED in stripped:
            cells = [cell.strip() for cell in stripped.strip("|").split(" | ")]
            reason = next(c for c in cells if _FAILED in c)
            reason = reason.split(_FAILED, 1)[1].lstrip(":").strip()
            failures.append(Failure(f"{section}: {cells[0].strip('`')}", shorten(reason)))
        elif in_list and stripped.startswith("- "):
            item = stripped[2:]
            where = _ITEM_WHERE.match(item)
            label = where.group(1) if where else item[:40]
            failures.append(Failure(f"{section}: {label}", shorten(item[len(label) :])))
        elif in_list and stripped and not stripped.startswith("- "):
            in_list = False
    return list(dict.fromkeys(failures))  # the same row twice says nothing new


def telling_first(failures: list[Failure]) -> list[Failure]:
    """Behaviour rows first: they name the broken rule ("cancel is applied"), where the
    operation rows name only the request that showed it."""
    behaviours = [f for f in failures if f.key.startswith("Behaviours: ")]
    return behaviours + [f for f in failures if f not in behaviours]


def shorten(reason: str) -> str:
    """A failure's reason in a few words: its first clause, without the run's scaffolding."""
    text = re.sub(r"\s+", " ", reason)
    text = re.sub(r"^lifecycle [\w-]+: ", "", text)
    text = re.sub(r"Custom check failed: ", "", text)
    text = re.sub(r"^(`\w+`: )?job [a-z0-9]{20}: ", r"\1", text)
    text = _JOB_IDS.sub("…", text)  # a run's job ids say nothing in a table
    text = re.sub(r"(\d\d:\d\d:\d\d\.\d{3})\d*(?:\+00:00)?", r"\1", text)
    text = re.split(r"; | Validated against | Schema at ", text)[0]
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1].rstrip() + "…"


CHECKER = Checker(
    name="ours",
    title="ours",
    # A run takes about 20 s on the mock; the lifecycle phase waits for real job states.
    time_limit=600.0,
    command=command,
    # GITHUB_STEP_SUMMARY too: the run would append its summary to a CI job's page.
    env_drop=("QISKIT_RUNTIME_", "GITHUB_STEP_SUMMARY"),
    env_set={"QISKIT_RUNTIME_TOKEN": DEFAULT_TOKEN, "QISKIT_RUNTIME_CRN": DEFAULT_CRN},
    read=read,
    rule="exit_status",
    settings={
        "env": "QISKIT_RUNTIME_TOKEN=mock-token, QISKIT_RUNTIME_CRN=<DEFAULT_CRN>, "
        "no other QISKIT_RUNTIME_* variable",
        "options": "the kit's own: its schemathesis.toml, hooks and lifecycle phase",
    },
)
