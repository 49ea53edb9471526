"""The curated spec, as shipped in the wheel (a symlink to `openapi/` in a checkout).

It is package data, read through `importlib.resources`, so it loads from any install, a
zip file included (`spec_text`, `load_spec`). A caller that needs it as a file on disk (the
fuzzing child takes a path) holds `spec_file()` open for as long as it uses the path: for a
zip install the path is a temporary copy, removed when the `with` block ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import yaml

_RESOURCE = files(__package__).joinpath("openapi.yaml")
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def spec_text() -> str:
    """The spec's YAML text."""
    return _RESOURCE.read_text(encoding="utf-8")


@contextmanager
def spec_file() -> Iterator[Path]:
    """The spec as a file on disk, for the duration of the `with` block only (for a zip
    install, a temporary copy that is removed when the block ends)."""
    with as_file(_RESOURCE) as path:
        yield Path(path)


@cache
def load_spec() -> dict[str, Any]:
    """The spec as a dict (parsed once per process)."""
    spec: dict[str, Any] = yaml.safe_load(spec_text())
    return spec


def spec_operations() -> dict[str, str]:
    """operationId -> "METHOD /path", in spec order."""
    return {
        item[method]["operationId"]: f"{method.upper()} {path}"
        for path, item in load_spec()["paths"].items()
        for method in HTTP_METHODS
        if method in item
    }
