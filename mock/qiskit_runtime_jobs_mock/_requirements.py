"""What to install when the mock's dependencies are missing (standard library only).

The project is not on PyPI, so ``pip install 'qiskit-runtime-jobs[mock]'`` would install
whatever someone registered under that name. The hint names the source this copy was
installed from, when the installer recorded it (PEP 610 ``direct_url.json``: a checkout, a
git URL), else how to install from a checkout or git in general; and the packages that are
missing, by their names on PyPI (``pyyaml``, not its import name ``yaml``) and the ranges the
extra asks for.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re

DISTRIBUTION = "qiskit-runtime-jobs"
EXTRA = "mock"
# The mock's imports that its extra provides, and the distribution each comes from.
IMPORTS = {
    "anyio": "anyio",
    "httptools": "httptools",
    "starlette": "starlette",
    "uvicorn": "uvicorn",
    "yaml": "pyyaml",
}
GENERAL_SOURCES = (
    f"pip install '/path/to/checkout[{EXTRA}]' (a checkout of the repository) or "
    f"pip install '{DISTRIBUTION}[{EXTRA}] @ git+https://github.com/<owner>/{DISTRIBUTION}' "
    "(wherever it is hosted)"
)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def missing() -> list[str]:
    """The distributions of the mock's imports that cannot be imported here."""
    absent = []
    for module, distribution in IMPORTS.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            absent.append(distribution)
    return absent


def _ranges() -> dict[str, str]:
    """Each requirement of the extra as its metadata states it (``uvicorn<0.55,>=0.54.0``)."""
    try:
        requirements = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        return {}
    found: dict[str, str] = {}
    for requirement in requirements:
        spec, _, marker = requirement.partition(";")
        name = _NAME.match(spec.strip())
        if name and re.search(rf"extra\s*==\s*['\"]{EXTRA}['\"]", marker):
            found[name.group().lower()] = spec.strip().replace(" ", "")
    return found


def _source() -> str:
    """How to install this copy of the project with the extra, as specifically as known."""
    try:
        text = importlib.metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
        origin = json.loads(text) if text else {}
    except (importlib.metadata.PackageNotFoundError, ValueError):
        origin = {}
    url = origin.get("url", "") if isinstance(origin, dict) else ""
    if url.startswith("file://") and "dir_info" in origin:
        path = url.removeprefix("file://")
        editable = "-e " if origin["dir_info"].get("editable") else ""
        return f"pip install {editable}'{path}[{EXTRA}]' (the checkout it came from)"
    vcs = origin.get("vcs_info") if isinstance(origin, dict) else None
    if isinstance(vcs, dict) and url:
        revision = vcs.get("requested_revision")
        where = f"{vcs.get('vcs', 'git')}+{url}" + (f"@{revision}" if revision else "")
        return f"pip install '{DISTRIBUTION}[{EXTRA}] @ {where}' (where it came from)"
    return GENERAL_SOURCES


def hint(absent: list[str]) -> str:
    """The message for an environment missing ``absent`` (distribution names)."""
    ranges = _ranges()
    packages = " ".join(f"'{ranges.get(name, name)}'" for name in absent)
    return (
        f"qiskit_runtime_jobs_mock needs the '{EXTRA}' extra of {DISTRIBUTION}, and "
        f"{', '.join(absent)} {'is' if len(absent) == 1 else 'are'} not installed. Install "
        f"the project with the extra: {_source()}; or only what is missing: "
        f"pip install {packages}"
    )
