"""The in-memory spec transforms used for code generation, and the staleness check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.codegen import (
    GENERATED,
    break_recursion,
    diff_trees,
    drop_titles,
    drop_tuple_closers,
    plain_header_formats,
    prepare,
    widen_open_enums,
)

REF = "#/components/schemas/"


def _doc(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"paths": paths or {}, "components": {"schemas": schemas}}


def test_drop_titles_keeps_a_property_named_title() -> None:
    """Schema titles go; a field that happens to be called `title` stays."""
    doc = _doc(
        {
            "Book": {
                "title": "Dup",
                "type": "object",
                "properties": {"title": {"type": "string", "title": "Title"}},
            }
        }
    )
    out = drop_titles(doc)
    assert out["components"]["schemas"]["Book"] == {
        "type": "object",
        "properties": {"title": {"type": "string"}},
    }
    assert doc["components"]["schemas"]["Book"]["title"] == "Dup", "input is not mutated"


def test_widen_open_enums_only_touches_marked_enums() -> None:
    """A $ref to an x-open-enum becomes anyOf [enum, string]; other refs are unchanged."""
    doc = _doc(
        {
            "Status": {"type": "string", "enum": ["a"], "x-open-enum": True},
            "Closed": {"type": "string", "enum": ["b"]},
            "Job": {
                "type": "object",
                "properties": {
                    "status": {"$ref": REF + "Status", "description": "d"},
                    "closed": {"$ref": REF + "Closed"},
                },
            },
        }
    )
    props = widen_open_enums(doc)["components"]["schemas"]["Job"]["properties"]
    assert props["status"] == {
        "description": "d",
        "anyOf": [{"$ref": REF + "Status"}, {"type": "string"}],
    }
    assert props["closed"] == {"$ref": REF + "Closed"}


def test_break_recursion_replaces_self_references_only() -> None:
    """A schema's references to itself become `{}`; references to others stay."""
    doc = _doc(
        {
            "Tree": {
                "anyOf": [
                    {"type": "array", "items": {"$ref": REF + "Tree"}},
                    {"$ref": REF + "Leaf"},
                ]
            },
            "Leaf": {"type": "string"},
        }
    )
    tree = break_recursion(doc)["components"]["schemas"]["Tree"]
    assert tree["anyOf"] == [{"type": "array", "items": {}}, {"$ref": REF + "Leaf"}]


def test_plain_header_formats_only_touches_headers() -> None:
    """`format` goes from header parameters; query parameters keep theirs."""
    doc = _doc({})
    doc["components"]["parameters"] = {
        "V": {"in": "header", "schema": {"type": "string", "format": "date"}},
        "Q": {"in": "query", "schema": {"type": "string", "format": "date-time"}},
    }
    params = plain_header_formats(doc)["components"]["parameters"]
    assert params["V"]["schema"] == {"type": "string"}
    assert params["Q"]["schema"]["format"] == "date-time"


def test_drop_tuple_closers_only_touches_tuples_that_admit_nothing_more() -> None:
    """`items: {not: {}}` / `items: false` go beside `prefixItems`; other `items` stay."""
    pair = [{"type": "string"}, {"type": "integer"}]
    doc = _doc(
        {
            "Closed": {"type": "array", "prefixItems": pair, "items": {"not": {}}},
            "ClosedBool": {"type": "array", "prefixItems": pair, "items": False},
            "Open": {"type": "array", "prefixItems": pair, "items": {"type": "string"}},
            "List": {"type": "array", "items": {"not": {}}},
            "Obj": {"type": "object", "properties": {"prefixItems": {}, "items": {"not": {}}}},
        }
    )
    out = drop_tuple_closers(doc)["components"]["schemas"]
    assert out["Closed"] == {"type": "array", "prefixItems": pair}
    assert out["ClosedBool"] == {"type": "array", "prefixItems": pair}
    assert out["Open"]["items"] == {"type": "string"}
    assert out["List"]["items"] == {"not": {}}
    assert out["Obj"]["properties"]["items"] == {"not": {}}, "fields named like keywords stay"
    assert doc["components"]["schemas"]["Closed"]["items"] == {"not": {}}, "input is not mutated"


def test_prepared_spec_has_no_titles_and_no_self_reference() -> None:
    """On the real spec: no titles remain and PassthroughData no longer refers to itself."""
    from tests.spec._spec import spec

    prepared = prepare(spec())
    text = json.dumps(prepared["components"]["schemas"]["PassthroughData"])
    assert REF + "PassthroughData" not in text
    assert '"title"' not in json.dumps(prepared["components"]["schemas"]["JobStatus"])


def test_diff_trees_reports_edits_additions_and_removals(tmp_path: Path) -> None:
    """A hand edit, a hand-added file and a missing file are each reported."""
    fresh, committed = tmp_path / "fresh", tmp_path / "committed"
    for root in (fresh, committed):
        root.mkdir()
        (root / "same.py").write_text("x = 1\n")
    (fresh / "edited.py").write_text("x = 1\n")
    (committed / "edited.py").write_text("x = 2\n")
    (fresh / "gone.py").write_text("")
    (committed / "extra.py").write_text("")
    report = "\n".join(diff_trees(fresh, committed))
    assert "missing from generated/: gone.py" in report
    assert "hand-added?): generated/extra.py" in report
    assert "-x = 1" in report
    assert "+x = 2" in report
    assert "same.py" not in report


def test_generated_tree_is_stamped() -> None:
    """generated/ carries the do-not-edit README and a stamp naming the spec hash."""
    stamp = json.loads((GENERATED / "codegen-stamp.json").read_text())
    assert stamp["generator"] == "openapi-python-client"
    assert len(stamp["spec_sha256"]) == 64
    assert len(stamp["templates_sha256"]) == 64
    assert "do not edit" in (GENERATED / "README.md").read_text()
