"""`qiskit-runtime-jobs` console command: one entry point, one subcommand per tool."""

from __future__ import annotations

import sys


def _mock(argv: list[str]) -> int:
    from qiskit_runtime_jobs_mock.cli import main

    return main(argv)


COMMANDS = {"mock": _mock}


def main(argv: list[str] | None = None) -> int:
    """Dispatch `qiskit-runtime-jobs <command> [args...]`."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in COMMANDS:
        names = ", ".join(sorted(COMMANDS))
        sys.stderr.write(f"usage: qiskit-runtime-jobs {{{names}}} [options]\n")
        return 2
    return COMMANDS[args[0]](args[1:])
