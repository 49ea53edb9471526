"""The in-memory spec transforms used for code generation, and the staleness check."""

from __future__ import annotations

import ast
import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tools import codegen
from tools.codegen import (
    FACTS,
    GENERATED,
    KIT_FACTS,
    MOCK_FACTS,
    ROOT,
    SpecFactError,
    break_recursion,
    diff_facts,
    diff_trees,
    drop_titles,
    drop_tuple_closers,
    job_statuses,
    kit_facts,
    mock_facts,
    plain_header_formats,
    prepare,
    query_range,
    widen_open_enums,
    write_all_facts,
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


# ---------------------------------------------------------------- the facts modules


def _facts_doc(
    terminal: Any, limit: dict[str, Any] | None = None, offset: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A spec with what the mock's and the kit's facts are read from, and nothing else."""
    status: dict[str, Any] = {"type": "string", "enum": ["New", "Busy", "Done", "Gone"]}
    if terminal is not None:
        status["x-terminal-values"] = terminal
    limit_schema = limit or {
        "default": 20,
        "x-out-of-range": "default",
        "anyOf": [{"type": "integer", "minimum": 1, "maximum": 50}, {"type": "integer"}],
    }
    offset_schema = offset or {"type": "integer", "minimum": 0, "maximum": 9, "default": 0}
    doc = _doc(
        {
            "JobStatus": status,
            "Tags": {"type": "array", "maxItems": 3, "items": {"maxLength": 5}},
            "LogLevel": {"enum": ["loud", "quiet"]},
            "JobId": {"pattern": "^[a-z]+$"},
            "CreateJobRequest": {
                "properties": {
                    "runtime": {"pattern": "^.+:.+$"},
                    "program_id": {"maxLength": 7},
                    "calibration_id": {"maxLength": 4},
                }
            },
        }
    )
    doc["components"]["parameters"] = {
        "Offset": {"name": "offset", "in": "query", "schema": offset_schema}
    }
    doc["paths"] = {
        "/jobs": {
            "get": {
                "operationId": "list_jobs",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": limit_schema},
                    {"$ref": "#/components/parameters/Offset"},
                ],
            }
        }
    }
    return doc


def _module(text: str) -> dict[str, Any]:
    """The names a generated facts module defines."""
    namespace: dict[str, Any] = {}
    exec(compile(text, "<facts>", "exec"), namespace)
    return namespace


def test_terminal_statuses_are_what_x_terminal_values_lists() -> None:
    """Terminal is what the spec marks, in the enum's order; every other value is pending."""
    terminal, pending = job_statuses(_facts_doc(["Gone", "Done"]))
    assert terminal == ["Done", "Gone"]
    assert pending == ["New", "Busy"]
    facts = _module(mock_facts(_facts_doc(["Busy"])))
    assert facts["TERMINAL_STATUSES"] == frozenset({"Busy"})
    assert facts["PENDING_STATUSES"] == frozenset({"New", "Done", "Gone"})


def test_the_mock_checks_requests_by_the_specs_own_limits() -> None:
    """Tags, log levels, id and runtime patterns, id lengths and list ranges: the spec's."""
    facts = _module(mock_facts(_facts_doc(["Busy"])))
    assert (facts["MAX_TAGS"], facts["MAX_TAG_LENGTH"]) == (3, 5)
    assert facts["LOG_LEVELS"] == ("loud", "quiet")
    assert (facts["JOB_ID_PATTERN"], facts["RUNTIME_PATTERN"]) == ("^[a-z]+$", "^.+:.+$")
    assert (facts["MAX_PROGRAM_ID_LENGTH"], facts["MAX_CALIBRATION_ID_LENGTH"]) == (7, 4)
    assert (facts["LIST_LIMIT_RANGE"], facts["LIST_LIMIT_DEFAULT"]) == ((1, 50), 20)


@pytest.mark.parametrize(
    "terminal",
    [
        pytest.param(None, id="not stated"),
        pytest.param([], id="empty"),
        pytest.param("Done", id="not a list"),
        pytest.param(["Done", "Paused"], id="not an enum value"),
        pytest.param(["Done", "Done"], id="repeated"),
        pytest.param(["New", "Busy", "Done", "Gone"], id="nothing pending"),
    ],
)
def test_a_spec_that_does_not_say_which_statuses_are_terminal_is_refused(terminal: Any) -> None:
    with pytest.raises(SpecFactError):
        job_statuses(_facts_doc(terminal))


def test_query_ranges_are_the_viable_range_and_the_default() -> None:
    """`x-out-of-range`: the first `anyOf` branch; a shared parameter is followed."""
    doc = _facts_doc(["Done"])
    assert query_range(doc, "list_jobs", "limit") == (1, 50, 20)
    assert query_range(doc, "list_jobs", "offset") == (0, 9, 0)
    with pytest.raises(SpecFactError):
        query_range(doc, "list_jobs", "sort")
    outside = _facts_doc(["Done"], offset={"minimum": 0, "maximum": 9, "default": 10})
    with pytest.raises(SpecFactError):
        query_range(outside, "list_jobs", "offset")


def test_the_kit_facts_follow_the_spec() -> None:
    """Another spec, other facts: nothing in the kit's module is written down by hand."""
    facts = _module(kit_facts(_facts_doc(["Done", "Gone"])))
    assert facts["TERMINAL_STATUSES"] == frozenset({"Done", "Gone"})
    assert facts["PENDING_STATUSES"] == frozenset({"New", "Busy"})
    assert facts["LIST_LIMIT_RANGE"] == (1, 50)
    assert facts["LIST_LIMIT_DEFAULT"] == 20
    assert facts["LIST_OFFSET_RANGE"] == (0, 9)
    assert facts["LIST_OFFSET_DEFAULT"] == 0


def test_the_real_spec_says_which_statuses_are_terminal() -> None:
    from tests.spec._spec import spec

    document = spec()
    facts = _module(kit_facts(document))
    assert facts["TERMINAL_STATUSES"] == {
        "Completed",
        "Failed",
        "Cancelled",
        "Cancelled - Ran too long",
    }
    assert facts["PENDING_STATUSES"] == {"Queued", "Running"}
    assert facts["LIST_LIMIT_RANGE"] == (1, 200)
    assert facts["LIST_LIMIT_DEFAULT"] == 200
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["JobStatus"]["x-terminal-values"].remove("Failed")
    assert _module(mock_facts(changed))["PENDING_STATUSES"] == {"Queued", "Running", "Failed"}


def test_the_committed_facts_modules_are_current_and_marked_generated(tmp_path: Path) -> None:
    """What `make check-generated` checks of them, without running the generator."""
    written = write_all_facts(tmp_path)
    assert [p.relative_to(tmp_path) for p in written] == [
        p.relative_to(ROOT) for p in (FACTS, MOCK_FACTS, KIT_FACTS)
    ]
    assert diff_facts(tmp_path) == []
    marker = "Written by tools/codegen.py from openapi/qiskit-runtime-jobs.yaml; do not edit."
    for path in (FACTS, MOCK_FACTS, KIT_FACTS):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert marker in docstring, path


def _committed_copy(root: Path) -> Path:
    """The facts modules and sync drivers as committed, copied to `root` (a tree shaped as
    the repository)."""
    for path in (FACTS, MOCK_FACTS, KIT_FACTS):
        target = root / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    drivers = root / codegen.SYNC_DRIVERS.relative_to(ROOT)
    shutil.copytree(codegen.SYNC_DRIVERS, drivers, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_diff_facts_reports_a_hand_edit_and_a_missing_module(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh"
    write_all_facts(fresh)
    committed = _committed_copy(tmp_path / "committed")
    kit = committed / KIT_FACTS.relative_to(ROOT)
    kit.write_text(kit.read_text().replace("(1, 200)", "(1, 100)"), encoding="utf-8")
    (committed / MOCK_FACTS.relative_to(ROOT)).unlink()
    report = "\n".join(diff_facts(fresh, committed))
    assert "+LIST_LIMIT_RANGE: tuple[int, int] = (1, 100)" in report
    assert "-LIST_LIMIT_RANGE: tuple[int, int] = (1, 200)" in report
    assert "missing: mock/qiskit_runtime_jobs_mock/_spec_facts.py" in report
    assert "overlay/" not in report


def _generated_as_committed(into: Path) -> None:
    """`generate` for tests of `check`: generated/ as committed, current by construction."""
    shutil.copytree(GENERATED, into, ignore=shutil.ignore_patterns("__pycache__"))


def test_check_fails_when_a_facts_module_is_hand_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make check-generated` (`check`) fails on a stale facts module, not only on generated/."""

    monkeypatch.setattr(codegen, "generate", _generated_as_committed)
    committed = _committed_copy(tmp_path / "committed")
    assert codegen.check(committed) == 0
    mock = committed / MOCK_FACTS.relative_to(ROOT)
    mock.write_text(mock.read_text().replace('"Failed"', '"Failed", "Paused"'), encoding="utf-8")
    assert codegen.check(committed) == 1
    err = capsys.readouterr().err
    assert "mock/qiskit_runtime_jobs_mock/_spec_facts.py" in err
    assert "Run `make generate`" in err


# ---------------------------------------------------------------- one home per fact

TERMINAL = {"Completed", "Failed", "Cancelled", "Cancelled - Ran too long"}


def _hand_written(*roots: Path) -> list[Path]:
    """The hand-written modules under `roots` (a generated facts module is not one)."""
    paths = [p for root in roots for p in ([root] if root.is_file() else root.rglob("*.py"))]
    return sorted(p for p in paths if p.name != "_spec_facts.py" and "__pycache__" not in p.parts)


def _copies_of_the_terminal_statuses(path: Path) -> list[int]:
    """Lines where a collection literal spells out every terminal status."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Set | ast.List | ast.Tuple)
        and {e.value for e in node.elts if isinstance(e, ast.Constant)} >= TERMINAL
    ]


def test_the_kit_and_the_mock_take_the_terminal_statuses_from_the_spec() -> None:
    from qiskit_runtime_jobs_kit import _spec_facts as kit_spec_facts
    from qiskit_runtime_jobs_kit.contract import rules
    from qiskit_runtime_jobs_mock import _spec_facts as mock_spec_facts, _store

    assert rules.TERMINAL is kit_spec_facts.TERMINAL_STATUSES
    assert rules.PENDING is kit_spec_facts.PENDING_STATUSES
    assert _store.TERMINAL is mock_spec_facts.TERMINAL_STATUSES
    assert _store.PENDING is mock_spec_facts.PENDING_STATUSES
    modules = _hand_written(ROOT / "kit", ROOT / "mock" / "qiskit_runtime_jobs_mock" / "_store.py")
    copies = {
        p.relative_to(ROOT).as_posix(): lines
        for p in modules
        if (lines := _copies_of_the_terminal_statuses(p))
    }
    assert copies == {}, "a hand-written copy of JobStatus.x-terminal-values"


def _module_constants(path: Path) -> list[tuple[int, int]]:
    """(line, value) of each integer a module-level constant is, or holds in a tuple."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        parts = value.elts if isinstance(value, ast.Tuple) else [value]
        for part in parts:
            inner = part.elts if isinstance(part, ast.Tuple) else [part]
            found += [
                (node.lineno, e.value)
                for e in inner
                if isinstance(e, ast.Constant) and type(e.value) is int
            ]
    return found


def test_the_kit_takes_the_page_size_from_the_spec() -> None:
    from qiskit_runtime_jobs_kit.contract import cleanup, rules
    from tests.spec._spec import spec

    low, high, default = query_range(spec(), "list_jobs", "limit")
    assert (low, high) == rules.LIMIT_RANGE
    assert default == rules.DEFAULT_LIMIT
    assert high == cleanup.LARGEST_PAGE
    copies = {
        p.relative_to(ROOT).as_posix(): lines
        for p in _hand_written(ROOT / "kit")
        if (lines := [n for n, v in _module_constants(p) if v in (high, default)])
    }
    assert copies == {}, "a hand-written copy of list_jobs' `limit` range"


def test_each_async_driver_has_its_generated_sync_twin(tmp_path: Path) -> None:
    """unasync writes one sync module per async driver, marked generated, with sync names."""
    written = codegen.write_sync_drivers(tmp_path)
    sources = sorted(p.name for p in codegen.ASYNC_DRIVERS.glob("*.py"))
    assert sorted(p.name for p in written) == sources
    client = (tmp_path / "client.py").read_text()
    assert client.startswith("# Generated from `_async/client.py` by `make generate`")
    assert "class Client(ClientCore):" in client
    assert "class RawResponses:" in client
    assert "async def" not in client
    assert "await " not in client
    assert ".sync_detailed(" in client
    assert "asyncio_detailed" not in client


def test_check_fails_when_a_sync_driver_is_hand_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edit to `_sync/` (generated) is caught like one to `generated/`."""

    monkeypatch.setattr(codegen, "generate", _generated_as_committed)
    committed = _committed_copy(tmp_path / "committed")
    client = committed / codegen.SYNC_DRIVERS.relative_to(ROOT) / "client.py"
    client.write_text(client.read_text().replace("def wait(", "def wait_(", 1), encoding="utf-8")
    assert codegen.check(committed) == 1
    assert "overlay/qiskit_runtime_jobs/_sync/client.py" in capsys.readouterr().err
