"""The OpenAPI document the mock implements, for ``/openapi.yaml`` and ``/openapi.json``.

The file is package data (``openapi.yaml``: a symlink to ``openapi/`` in a checkout, which the
wheel build resolves into a copy), so an installed mock serves the spec it was built from.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _Yaml12Loader(yaml.SafeLoader):
    """YAML as OpenAPI tools read it (the 1.2 core schema): an unquoted date stays a string
    instead of becoming a ``datetime.date``, which JSON cannot carry."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: bytes) -> Any:
    """Parse YAML the way :func:`spec_json` does."""
    return yaml.load(text, Loader=_Yaml12Loader)


@cache
def spec_yaml() -> bytes:
    """The spec file's bytes, exactly as shipped."""
    return files("qiskit_runtime_jobs_mock").joinpath("openapi.yaml").read_bytes()


@cache
def spec_json() -> bytes:
    """The same document as JSON."""
    return json.dumps(parse_yaml(spec_yaml()), ensure_ascii=False).encode()
