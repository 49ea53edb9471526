"""`qiskit-runtime-jobs`: one console command, one subcommand per tool of the kit.

Each subcommand is imported only when it runs, so a missing extra costs a one-line hint
(which `pip install` fixes it) instead of a traceback, and `--help`/`--version` need nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass

from . import __version__


@dataclass(frozen=True)
class Command:
    """A subcommand: the module whose `main(argv)` runs it, and what it needs installed."""

    module: str
    summary: str
    extra: str
    needs: dict[str, str]  # import name -> the distribution pip installs it from

    def missing(self) -> list[str]:
        """The distributions (pip's names) whose imports are not found."""
        return [dist for name, dist in self.needs.items() if importlib.util.find_spec(name) is None]

    def main(self) -> Callable[[list[str]], int]:
        main: Callable[[list[str]], int] = importlib.import_module(self.module).main
        return main


def install_hint(extra: str) -> str:
    """How to install an extra of this project, which is not on PyPI (a same-named package
    there would be somebody else's)."""
    return (
        f"install the project with its `{extra}` extra from a checkout or git, e.g. "
        f"pip install '/path/to/checkout[{extra}]' or "
        f"pip install 'qiskit-runtime-jobs[{extra}] @ git+<repository URL>'"
    )


COMMANDS = {
    "contract": Command(
        "qiskit_runtime_jobs_kit.contract.cli",
        "run the contract suite (schemathesis) against the embedded mock, a URL or IBM's service",
        "contract",
        {
            "schemathesis": "schemathesis",
            "yaml": "pyyaml",
            "starlette": "starlette",
            "uvicorn": "uvicorn",
            "httptools": "httptools",
        },
    ),
    "mock": Command(
        "qiskit_runtime_jobs_mock.cli",
        "run the stateful mock server of the Jobs API on loopback",
        "mock",
        {
            "starlette": "starlette",
            "uvicorn": "uvicorn",
            "httptools": "httptools",
            "anyio": "anyio",
        },
    ),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [
        "usage: qiskit-runtime-jobs [--version] [--help] <command> [options]",
        "",
        "The IBM Qiskit Runtime Jobs API kit: a mock server and a contract suite.",
        "",
        "commands:",
        *(f"  {name.ljust(width)}  {cmd.summary}" for name, cmd in COMMANDS.items()),
        "",
        "`qiskit-runtime-jobs <command> --help` describes a command's options.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Dispatch `qiskit-runtime-jobs <command> [args...]`; returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(usage())
        return 0 if args else 2
    if args[0] in ("-V", "--version"):
        sys.stdout.write(f"qiskit-runtime-jobs {__version__}\n")
        return 0
    command = COMMANDS.get(args[0])
    if command is None:
        sys.stderr.write(f"qiskit-runtime-jobs: unknown command {args[0]!r}\n\n{usage()}")
        return 2
    missing = command.missing()
    if missing:
        sys.stderr.write(
            f"qiskit-runtime-jobs {args[0]}: missing {', '.join(missing)}; "
            f"{install_hint(command.extra)}\n"
        )
        return 2
    return command.main()(args[1:])
