"""Every example in the spec validates against the schema it is attached to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.spec._spec import component, operations, resolve, spec, validator


def _media_examples() -> Iterator[tuple[str, dict[str, Any], Any]]:
    for _, _, op in operations():
        bodies: list[tuple[str, dict[str, Any]]] = []
        if "requestBody" in op:
            bodies.append(("request", op["requestBody"]))
        bodies += [(code, resolve(r)) for code, r in op["responses"].items()]
        for where, body in bodies:
            for media_type, media in body.get("content", {}).items():
                for name, example in media.get("examples", {}).items():
                    label = f"{op['operationId']}:{where}:{media_type}:{name}"
                    yield label, media["schema"], example["value"]


def _schema_examples() -> Iterator[tuple[str, dict[str, Any], Any]]:
    for name, schema in spec()["components"]["schemas"].items():
        for i, example in enumerate(schema.get("examples", [])):
            yield f"schema:{name}:{i}", component(name), example


EXAMPLES = [*_media_examples(), *_schema_examples()]


def test_the_page_examples_are_all_attached() -> None:
    """The page's examples (create, list, details, metrics, results, tags) are present."""
    labels = {label for label, _, _ in EXAMPLES}
    for expected in (
        "create_job:200:application/json:reference",
        "list_jobs:200:application/json:reference",
        "get_job:200:application/json:reference",
        "get_job_metrics:200:application/json:reference",
        "get_job_results:200:application/json:reference",
        "replace_job_tags:request:application/json:reference",
    ):
        assert expected in labels


@pytest.mark.parametrize(("label", "schema", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_validates(label: str, schema: dict[str, Any], example: Any) -> None:
    """The example is an instance of its schema (formats asserted)."""
    errors = [e.message for e in validator(schema).iter_errors(example)]
    assert errors == [], label


def test_page_results_example_as_printed_is_invalid() -> None:
    """The page's results example, unfixed ("start": "example"), fails: formats are checked."""
    printed = {
        "schema_version": "v0.1",
        "data": [{"results": {}, "metadata": None}],
        "metadata": {
            "chunk_timing": [
                {"start": "example", "stop": "example", "parts": [{"idx_item": 1, "size": 1}]}
            ]
        },
    }
    assert list(validator(component("JobResults")).iter_errors(printed))
