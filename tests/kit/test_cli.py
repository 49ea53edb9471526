"""Packaging and the `qiskit-runtime-jobs` command: what ships, what loads, what it answers.

The command runs as an installed user runs it: the console script next to this interpreter
(else `python -m qiskit_runtime_jobs_kit`), from a directory outside the checkout.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import entry_points
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import qiskit_runtime_jobs_kit
from qiskit_runtime_jobs_kit import cli, spec
from qiskit_runtime_jobs_kit.contract import runner

ROOT = Path(__file__).resolve().parents[2]
SUBPROCESS_TIMEOUT = 120
HEAVY = (
    "qiskit_runtime_jobs_mock",
    "qiskit_runtime_jobs_kit",
    "schemathesis",
    "hypothesis",
    "starlette",
    "uvicorn",
)


def command() -> list[str]:
    """The console script installed beside this interpreter, else the module form."""
    script = shutil.which("qiskit-runtime-jobs", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "qiskit_runtime_jobs_kit"]


def run_command(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )


# ---------------------------------------------------------------- what importing loads


def test_importing_the_client_loads_no_server_kit_or_test_stack(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "import qiskit_runtime_jobs\n"
        f"heavy = {set(HEAVY)!r}\n"
        "print(json.dumps({\n"
        "    'client': 'qiskit_runtime_jobs' in sys.modules,\n"
        "    'heavy': sorted(m for m in sys.modules if m.split('.')[0] in heavy),\n"
        "}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["client"] is True
    assert loaded["heavy"] == []


# ---------------------------------------------------------------- the command


def test_version(tmp_path: Path) -> None:
    done = run_command(["--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"qiskit-runtime-jobs {qiskit_runtime_jobs_kit.__version__}\n"
    assert qiskit_runtime_jobs_kit.__version__ != "0+unknown"  # installed, not a bare checkout


def test_help_lists_the_commands(tmp_path: Path) -> None:
    done = run_command(["--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    listed = {line.split()[0] for line in done.stdout.splitlines() if line.startswith("  ")}
    assert {"contract", "mock"} <= listed
    assert done.stdout.startswith("usage: qiskit-runtime-jobs")


def test_no_arguments_is_a_usage_error(tmp_path: Path) -> None:
    done = run_command([], tmp_path)
    assert done.returncode == 2
    assert "usage: qiskit-runtime-jobs" in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    done = run_command(["frobnicate"], tmp_path)
    assert done.returncode == 2
    assert "unknown command 'frobnicate'" in done.stderr
    assert "Traceback" not in done.stderr


def test_contract_help_documents_its_options(tmp_path: Path) -> None:
    done = run_command(["contract", "--help"], tmp_path)
    assert done.returncode == 0, done.stderr
    for option in ("--max-jobs", "--allow-create", "--fail-on-drift", "--report-dir"):
        assert option in done.stdout, option
    assert "qiskit-runtime-jobs contract" in done.stdout


@pytest.mark.parametrize(
    ("subcommand", "hidden", "extra"),
    [
        ("mock", "starlette", "mock"),
        ("contract", "schemathesis", "contract"),
    ],
)
def test_a_missing_extra_is_a_one_line_hint(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    subcommand: str,
    hidden: str,
    extra: str,
) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> object:
        return None if name == hidden else real_find_spec(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    status = cli.main([subcommand])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert f"pip install '/path/to/checkout[{extra}]'" in err
    assert f"qiskit-runtime-jobs[{extra}] @ git+" in err
    assert {"yaml": "pyyaml"}.get(hidden, hidden) in err  # pip's name, not the import's
    assert "Traceback" not in err


# ---------------------------------------------------------------- package data


def test_the_spec_ships_with_the_kit() -> None:
    curated = ROOT / "openapi" / "qiskit-runtime-jobs.yaml"
    with spec.spec_file() as path:
        assert path.is_file()
        assert path.name == "openapi.yaml"
        package_dir = Path(qiskit_runtime_jobs_kit.__file__).resolve().parent
        assert path.parent.resolve() == package_dir
        assert path.read_bytes() == curated.read_bytes()
    assert spec.spec_text() == curated.read_text(encoding="utf-8")
    assert "list_jobs" in spec.spec_operations()


ZIPPED = """
import json, sys
sys.path.insert(0, sys.argv[1])
from qiskit_runtime_jobs_kit import spec
assert spec.__file__.startswith(sys.argv[1]), spec.__file__  # zipimport, not the checkout
seen = {"operations": list(spec.spec_operations()), "text": len(spec.spec_text())}
with spec.spec_file() as path:
    seen["inside"] = {"file": path.is_file(), "size": path.stat().st_size}
seen["after"] = path.exists()
print(json.dumps(seen))
"""


def test_the_spec_loads_from_a_zip_install(tmp_path: Path) -> None:
    """From a zip (zipimport) the spec is no file on disk: it is read as package data, and
    `spec_file()` is a temporary copy that exists only while its block runs."""
    package = Path(qiskit_runtime_jobs_kit.__file__).resolve().parent
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(package.rglob("*")):  # openapi.yaml: the file its link points at
            if path.is_file() and "__pycache__" not in path.parts:
                bundle.write(path, f"{package.name}/{path.relative_to(package).as_posix()}")
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(ZIPPED), str(archive)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    curated = ROOT / "openapi" / "qiskit-runtime-jobs.yaml"
    assert seen["operations"] == list(spec.spec_operations())
    assert seen["text"] == len(curated.read_text(encoding="utf-8"))
    assert seen["inside"] == {"file": True, "size": curated.stat().st_size}
    assert seen["after"] is False


def test_the_fuzzing_child_runs_while_the_spec_file_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runner holds `spec_file()` open until the child it gave the path to has ended."""
    temporary = tmp_path / "extracted" / "openapi.yaml"

    @contextmanager
    def spec_file() -> Iterator[Path]:  # as `as_file` is for a zip install: a copy, then gone
        temporary.parent.mkdir()
        temporary.write_text(spec.spec_text(), encoding="utf-8")
        try:
            yield temporary
        finally:
            shutil.rmtree(temporary.parent)

    seen: list[bool] = []

    def fuzz(cmd: list[str], *args: Any) -> None:
        given = Path(cmd[cmd.index("run") + 1])
        seen.append(given == temporary and given.is_file())

    monkeypatch.setattr(runner, "spec_file", spec_file)
    monkeypatch.setattr(runner, "_fuzz", fuzz)
    options = runner.RunOptions()
    target = runner.Target(
        "url", "http://x/api/v1", runner.Credentials(crn="c", token="t"), kind="url"
    )
    run: Any = SimpleNamespace(
        target=target,
        options=options,
        plan=runner.plan_run(target, options),
        config=tmp_path / "schemathesis.toml",
        work=tmp_path,
        context=None,
        progress=SimpleNamespace(stopped=False),
        stopper=None,
        session=SimpleNamespace(ledger=SimpleNamespace(reload=lambda: None)),
    )
    runner._Run.fuzz(run)
    assert seen == [True]
    assert not temporary.exists()


def test_the_schemathesis_config_ships_with_the_kit() -> None:
    contract_dir = Path(runner.__file__).resolve().parent
    assert runner.CONFIG_PATH.is_file()
    assert runner.CONFIG_PATH.name == "schemathesis.toml"
    assert runner.CONFIG_PATH.resolve().parent == contract_dir
    config = tomllib.loads(runner.CONFIG_PATH.read_text(encoding="utf-8"))
    assert config["hooks"] == "qiskit_runtime_jobs_kit.contract.hooks"
    assert importlib.util.find_spec(config["hooks"]) is not None


# ---------------------------------------------------------------- the pytest plugin


def test_the_pytest_plugin_entry_point_is_registered() -> None:
    found = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert found.get("qiskit_runtime_jobs") == "qiskit_runtime_jobs_kit.pytest_plugin"


def test_this_pytest_session_has_the_plugin(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    assert manager.has_plugin("qiskit_runtime_jobs")
    plugin = manager.get_plugin("qiskit_runtime_jobs")
    assert plugin is not None
    assert plugin.__name__ == "qiskit_runtime_jobs_kit.pytest_plugin"
