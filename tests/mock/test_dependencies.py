"""What the mock depends on is declared, and what it relies on is public or pinned.

- every third-party module the mock imports comes from a dependency of the distribution or of
  its ``mock`` extra;
- the mock uses no private member of uvicorn's protocol class; since it subclasses that class
  (internal API), the ``mock`` extra pins uvicorn to the minor version the tests run;
- the benchmarks reach the mock through its public names only.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

import qiskit_runtime_jobs_mock
from qiskit_runtime_jobs_mock._protocol import MockProtocol

ROOT = Path(__file__).resolve().parents[2]
MOCK = ROOT / "mock" / "qiskit_runtime_jobs_mock"
# Import names that differ from the distribution's name.
DISTRIBUTION_OF = {"yaml": "pyyaml"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def _project() -> dict[str, object]:
    project: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project


def _requirements(*groups: str) -> dict[str, str]:
    """Distribution name -> requirement, of the core dependencies and the given extras."""
    project = _project()
    extras = project["optional-dependencies"]
    assert isinstance(extras, dict)
    lines = [*project["dependencies"], *(r for g in groups for r in extras[g])]  # type: ignore[misc]
    found = {}
    for line in lines:
        match = _NAME.match(line)
        assert match is not None, line
        found[match.group().lower()] = line.split(";")[0].strip()
    return found


def _imports(path: Path) -> set[str]:
    """Top-level names of the absolute imports in ``path``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def test_every_import_of_the_mock_is_declared() -> None:
    """The mock imports only the standard library, itself, and what the `mock` extra (with the
    core dependencies) installs: anyio included, which it uses directly."""
    imported = set().union(*(_imports(path) for path in MOCK.glob("*.py")))
    third_party = imported - set(sys.stdlib_module_names) - {"qiskit_runtime_jobs_mock"}
    declared = _requirements("mock")
    undeclared = {name for name in third_party if DISTRIBUTION_OF.get(name, name) not in declared}
    assert undeclared == set()
    assert "anyio" in third_party


def test_the_mock_uses_no_private_member_of_uvicorns_protocol() -> None:
    """No `_name` of HttpToolsProtocol's (e.g. `_unset_keepalive_if_required`) is used by the
    mock's protocol unless the mock defines it itself."""
    tree = ast.parse((MOCK / "_protocol.py").read_text())
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr.startswith("_")
    }
    own = set(vars(MockProtocol))
    borrowed = {
        name
        for name in used - own
        if hasattr(HttpToolsProtocol, name) and not name.startswith("__")
    }
    assert borrowed == set()


def test_uvicorn_is_pinned_to_the_tested_minor_version() -> None:
    """The protocol subclasses uvicorn's internal class: the extra allows the minor version the
    dev pin (what the tests run) has, and only that one."""
    assert issubclass(MockProtocol, HttpToolsProtocol)
    dev = _requirements("dev")["uvicorn"]
    assert dev == f"uvicorn=={version('uvicorn')}"
    major, minor, _ = version("uvicorn").split(".")
    assert (
        _requirements("mock")["uvicorn"] == f"uvicorn>={major}.{minor}.0,<{major}.{int(minor) + 1}"
    )


def test_new_dependencies_are_pinned_in_dev() -> None:
    """Each distribution of the mock extra is pinned exactly in the dev extra."""
    extras = _project()["optional-dependencies"]
    assert isinstance(extras, dict)
    pins = {m.group(): line for line in extras["dev"] if (m := _NAME.match(line)) and "==" in line}
    mock = {m.group() for line in extras["mock"] if (m := _NAME.match(line))}
    assert mock - set(pins) == set()


def test_benchmarks_use_the_mocks_public_names_only() -> None:
    """No benchmark imports a private module of the mock (they are not an API)."""
    private = {
        (path.name, node.module)
        for path in (ROOT / "benchmarks").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("qiskit_runtime_jobs_mock.")
        and any(part.startswith("_") for part in (node.module or "").split(".")[1:])
    }
    assert private == set()
    assert hasattr(qiskit_runtime_jobs_mock.MockState, "add_job")
