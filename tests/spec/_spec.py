"""Load the curated spec and validate instances against its schemas (test helper)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "qiskit-runtime-jobs.yaml"
SPEC_URI = "urn:qiskit-runtime-jobs-spec"


@cache
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(spec(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A 2020-12 validator for a schema taken from the spec, with formats asserted."""
    return jsonschema.Draft202012Validator(
        _absolute(schema),
        registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def _absolute(node: Any) -> Any:
    """Point local `$ref`s at the registered spec, wherever the schema is used from."""
    if isinstance(node, dict):
        return {
            k: SPEC_URI + v if k == "$ref" and v.startswith("#") else _absolute(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_absolute(v) for v in node]
    return node


def component(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) for every operation in the spec."""
    for path, item in spec()["paths"].items():
        for method, op in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                yield method.upper(), path, op


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (one level at a time) to the referenced object."""
    while "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node
