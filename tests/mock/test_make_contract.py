"""`make contract`, the main job, installs only what it runs: the `contract` extra (the mock and
the kit), not the `dev` and `peer` extras (three times the size), and nothing at all where the
full install is up to date. Other targets still get the full install.

Each test runs the real Makefile on a scratch virtualenv whose `python` and
`qiskit-runtime-jobs` only write down how they were called.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FAKE = """#!/bin/sh
echo "$(basename "$0") $*" >> "{log}"
"""

pytestmark = [
    pytest.mark.loopback,  # subprocesses
    pytest.mark.skipif(shutil.which("make") is None, reason="needs make"),
]


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    """A virtualenv-shaped directory of fakes that log their arguments to `calls.log`."""
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "qiskit-runtime-jobs"):
        fake = bin_dir / name
        fake.write_text(FAKE.format(log=tmp_path / "calls.log"))
        fake.chmod(0o755)
    return tmp_path / "venv"


def _make(venv: Path, *goals: str) -> list[str]:
    """Run make with `goals` on `venv`; return the calls the fakes saw (and forget them)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), f"VENV={venv}", *goals],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    log = venv.parent / "calls.log"
    calls = log.read_text().splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return calls


def _installs(calls: list[str]) -> list[str]:
    return [call.rsplit(" ", 1)[-1] for call in calls if " -e " in call]


def test_contract_alone_installs_the_contract_extra_only(venv: Path) -> None:
    """A fresh `make contract` installs `.[contract]`, then runs the suite; run again, it
    installs nothing."""
    calls = _make(venv, "contract")
    assert _installs(calls) == [".[contract]"]
    assert calls[-1] == "qiskit-runtime-jobs contract"
    assert _installs(_make(venv, "contract")) == []


def test_other_targets_still_get_the_full_install(venv: Path) -> None:
    """After a contract-only install, a target that needs the dev tools installs them."""
    _make(venv, "contract")
    calls = _make(venv, "mock")
    assert _installs(calls) == [".[dev,peer]"]
    assert calls[-1] == "qiskit-runtime-jobs mock"


def test_contract_after_setup_installs_nothing(venv: Path) -> None:
    """CI runs `make setup`, then `make contract`: the full install serves the suite as is."""
    assert _installs(_make(venv, "mock")) == [".[dev,peer]"]  # what `setup` installs, too
    calls = _make(venv, "contract")
    assert _installs(calls) == []
    assert calls == ["qiskit-runtime-jobs contract"]


def test_contract_with_other_goals_shares_the_full_install(venv: Path) -> None:
    """`make mock contract` (like `make check`) installs once, the full set: never two pips
    writing to one venv."""
    calls = _make(venv, "mock", "contract")
    assert _installs(calls) == [".[dev,peer]"]
    assert calls[-2:] == ["qiskit-runtime-jobs mock", "qiskit-runtime-jobs contract"]
