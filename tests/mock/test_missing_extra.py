"""Without the `mock` extra, importing the mock says what to install, in a form that works.

The project is not on PyPI: the hint never sends anyone to ``pip install
'qiskit-runtime-jobs[mock]'`` (a name anyone could register there), and it names packages as
pip knows them (``pyyaml``), not by their import names (``yaml``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from qiskit_runtime_jobs_mock import _requirements

ROOT = Path(__file__).resolve().parents[2]
BARE = "pip install 'qiskit-runtime-jobs[mock]'"


@pytest.mark.loopback  # a subprocess
def test_importing_without_the_extra_names_an_install_that_works() -> None:
    """With pyyaml and uvicorn missing, the ImportError names them as pip does, their ranges,
    and the checkout this copy came from."""
    code = (
        "import sys; sys.modules['yaml'] = sys.modules['uvicorn'] = None\n"
        "import qiskit_runtime_jobs_mock\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: qiskit_runtime_jobs_mock needs the 'mock' extra")
    assert "uvicorn, pyyaml are not installed" in last
    assert "pip install 'uvicorn<0.55,>=0.54.0' 'pyyaml<7,>=6'" in last
    assert f"'{ROOT}[mock]'" in last  # this venv's editable install of the checkout
    assert BARE not in last


def _installed_from(monkeypatch: pytest.MonkeyPatch, origin: dict[str, Any] | None) -> None:
    real = _requirements.importlib.metadata.distribution("qiskit-runtime-jobs")

    class Distribution:
        requires = real.requires

        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return None if origin is None else json.dumps(origin)

    monkeypatch.setattr(_requirements.importlib.metadata, "distribution", lambda _: Distribution())


def test_hint_for_a_git_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Installed from git: the same URL and revision, as a direct reference."""
    _installed_from(
        monkeypatch,
        {
            "url": "https://example.org/team/qiskit-runtime-jobs",
            "vcs_info": {"vcs": "git", "requested_revision": "v0.1.0", "commit_id": "ab12"},
        },
    )
    text = _requirements.hint(["pyyaml"])
    assert (
        "pip install 'qiskit-runtime-jobs[mock] @ "
        "git+https://example.org/team/qiskit-runtime-jobs@v0.1.0'"
    ) in text
    assert "pyyaml is not installed" in text
    assert BARE not in text


@pytest.mark.parametrize("origin", [None, {"url": "https://example.org/x.whl", "archive_info": {}}])
def test_hint_when_the_source_is_unknown(
    monkeypatch: pytest.MonkeyPatch, origin: dict[str, Any] | None
) -> None:
    """Installed from a wheel, or by a tool that recorded nothing: a checkout or git, in general."""
    _installed_from(monkeypatch, origin)
    text = _requirements.hint(["starlette", "anyio"])
    assert _requirements.GENERAL_SOURCES in text
    assert "pip install '/path/to/checkout[mock]'" in text
    assert "git+https://github.com/<owner>/qiskit-runtime-jobs" in text
    assert "starlette, anyio are not installed" in text
    assert BARE not in text


def test_the_hint_knows_every_package_of_the_extra() -> None:
    """IMPORTS covers the mock extra of pyproject.toml (but uvloop, which nothing imports: uvicorn
    picks it up), by distribution name."""
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["mock"]
    names = {requirement.split(";")[0].split("<")[0].split(">")[0].strip() for requirement in extra}
    assert set(_requirements.IMPORTS.values()) == names - {"uvloop"}
