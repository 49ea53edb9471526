"""The curated spec, as shipped in the wheel (a symlink to `openapi/` in a checkout)."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import yaml

_RESOURCE = files(__package__).joinpath("openapi.yaml")
SPEC_PATH: Path
with as_file(_RESOURCE) as _path:  # a real file for wheels and checkouts alike
    SPEC_PATH = Path(_path)
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


@cache
def load_spec() -> dict[str, Any]:
    """The spec as a dict (parsed once per process)."""
    spec: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


def spec_operations() -> dict[str, str]:
    """operationId -> "METHOD /path", in spec order."""
    return {
        item[method]["operationId"]: f"{method.upper()} {path}"
        for path, item in load_spec()["paths"].items()
        for method in HTTP_METHODS
        if method in item
    }
