"""Shared fixtures for the API diff tests: fixture specs, throwaway git repos, tiny clients."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


def fixture(name: str) -> Path:
    return FIXTURES / f"{name}.yaml"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository with an identity, for `git:REF` sources."""
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "config", "user.email", "test@example.invalid")
    git(tmp_path, "config", "user.name", "test")
    return tmp_path


def commit(repo: Path, files: dict[str, Path | str]) -> None:
    """Write `files` (a path to copy, or text) into `repo` and commit them."""
    for name, content in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "fixture")


@pytest.fixture(scope="session")
def client(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Generate (once per worker) the client package of a fixture spec; returns its folder."""
    root = tmp_path_factory.mktemp("clients")
    made: dict[str, Path] = {}

    def make(name: str) -> Path:
        if name not in made:
            out = root / name / "fixture_client"
            subprocess.run(
                [
                    str(GENERATOR),
                    "generate",
                    "--meta",
                    "none",
                    "--path",
                    str(fixture(name)),
                    "--output-path",
                    str(out),
                    "--overwrite",
                ],
                check=True,
                capture_output=True,
            )
            made[name] = out
        return made[name]

    return make
