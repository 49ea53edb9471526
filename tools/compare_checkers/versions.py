"""The versions of everything that ran, for the page's intro and the JSON."""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata

from tools.compare_checkers import specmatic
from tools.compare_checkers.model import ROOT


def versions() -> dict[str, str]:
    """Kit (and the commit it ran from), schemathesis, Specmatic, Java, Node, Python."""
    java = _output(["java", "-version"])
    return {
        "qiskit-runtime-jobs": _distribution("qiskit-runtime-jobs"),
        "commit": _output(["git", "-C", str(ROOT), "describe", "--always", "--dirty"]),
        "schemathesis": _distribution("schemathesis"),
        "specmatic": _specmatic(),
        "java": java.splitlines()[0] if java else "not found",
        "node": _output(["node", "--version"]),
        "python": platform.python_version(),
    }


def _distribution(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _specmatic() -> str:
    package = specmatic.PACKAGE_DIR / "package.json"
    if not package.is_file():
        return "not installed"
    return str(json.loads(package.read_text(encoding="utf-8")).get("version", "?"))


def _output(command: list[str]) -> str:
    """What a version command prints (java prints to stderr), or "" if it cannot run."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (done.stdout or done.stderr).strip()
