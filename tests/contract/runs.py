"""Run shapes the contract tests share: a lifecycle-only run, the command as CI runs it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from qiskit_runtime_jobs_kit.contract import RunOptions


def lifecycle_only(
    report_dir: Path, say: Callable[[str], object], *, fail_on_drift: bool = False
) -> RunOptions:
    """No fuzzing: the lifecycle phase alone drives jobs through every state and sends every
    operation a request, so a run is short and deterministic."""
    return RunOptions(
        report_dir=report_dir,
        phases=[],
        quiet=True,
        say=say,
        fail_on_drift=fail_on_drift,
    )


def contract_command(url: str, report_dir: Path, state_dir: Path, *args: str) -> list[str]:
    """`qiskit-runtime-jobs contract --url URL ...` as a subprocess runs it."""
    return [
        sys.executable,
        "-m",
        "qiskit_runtime_jobs_kit.contract",
        "--url",
        url,
        "--report-dir",
        str(report_dir),
        "--state-dir",
        str(state_dir),
        *args,
    ]


def environment_with(credentials: Mapping[str, str]) -> dict[str, str]:
    """This process's environment, with the SDK's variables replaced by `credentials`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("QISKIT_RUNTIME_")}
    return {**kept, **credentials}
