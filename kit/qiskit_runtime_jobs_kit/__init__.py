"""The kit beside the client: the `qiskit-runtime-jobs` command, the contract suite
(`qiskit_runtime_jobs_kit.contract`, extra `contract`) and the pytest plugin.

Nothing here is imported by the client package `qiskit_runtime_jobs`, so importing the client
never loads a server or a test stack; and this module imports nothing heavy itself, so the
command answers `--help` and `--version` without any extra installed.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qiskit-runtime-jobs")
except PackageNotFoundError:  # a checkout on sys.path that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
