"""The spec diff names and classifies each kind of change (fixture pairs, one change each)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.api_diff.conftest import commit, fixture
from tools.api_diff import spec_diff
from tools.api_diff.__main__ import main
from tools.api_diff.changes import Change, merge
from tools.api_diff.spec_diff import SpecDiffError, diff_sources, load_spec

LIST = "GET /v1/jobs"
JOB_READS = ("GET /v1/jobs", "GET /v1/jobs/{id}", "POST /v1/jobs")  # they answer a JobResponse

# (old, new) -> every change expected, as (group, kind, location, breaks old clients on the new
# service, breaks new clients on the old service)
Row = tuple[str, str, str, bool, bool]
CASES: dict[tuple[str, str], set[Row]] = {
    # A reader ignores a field it does not know, and copes without an optional one: the
    # regenerated model's attribute goes (the code report), the wire is fine both ways.
    ("base", "added_optional_field"): {
        ("Schema properties", "property-added", "JobResponse.usage_seconds", False, False)
    },
    ("base", "removed_field"): {
        ("Schema properties", "property-removed", "JobResponse.backend", False, False)
    },
    # JobStatus is read in responses and sent as a query parameter: judged on both sides.
    ("base", "narrowed_enum"): {
        ("Enum values", "enum-value-removed", 'JobStatus = "Cancelled"', True, True)
    },
    ("base", "widened_enum"): {
        ("Enum values", "enum-value-added", 'JobStatus = "Paused"', True, True)
    },
    ("open_enum_base", "open_enum_widened"): {
        ("Enum values", "enum-value-added", 'JobStatus = "Paused"', False, True)
    },
    ("base", "new_required_param"): {
        ("Parameters", "parameter-added", f"{LIST} query parameter instance", True, False)
    },
    ("base", "new_optional_param"): {
        ("Parameters", "parameter-added", f"{LIST} query parameter backend", False, False)
    },
    ("base", "new_operation"): {
        ("Operations", "operation-added", "GET /v1/jobs/{id}/metrics", False, True)
    },
    ("base", "removed_operation"): {
        ("Operations", "operation-removed", "DELETE /v1/jobs/{id}", True, False)
    },
    ("base", "changed_default"): {
        ("Defaults", "default-changed", f"{LIST} query parameter limit", False, False)
    },
    ("base", "changed_type"): {
        # One row: the string's format goes with its type.
        ("Types", "type-changed", "JobResponse.created", True, True),
    },
    ("base", "tightened_constraint"): {
        ("Constraints", "maximum-changed", f"{LIST} query parameter limit", True, False)
    },
    ("base", "added_response_code"): {
        ("Responses", "response-code-added", "GET /v1/jobs/{id} → 429", False, False)
    },
    ("base", "new_required_request_field"): {
        ("Schema properties", "property-added", "JobCreate.instance", True, False)
    },
    # Same shape under a new name: nothing changes on the wire (the model class is renamed:
    # the code report says so).
    ("base", "renamed_model"): set(),
    ("base", "version_bump_only"): {
        ("Defaults", "default-changed", "header parameter IBM-API-Version", False, False)
    },
    ("base", "base"): set(),
}


@pytest.mark.parametrize(
    ("pair", "expected"),
    [pytest.param(pair, expected, id=f"{pair[0]}->{pair[1]}") for pair, expected in CASES.items()],
)
def test_fixture_pair_is_classified(pair: tuple[str, str], expected: set[Row]) -> None:
    """Each fixture pair yields exactly its expected changes, each correctly flagged."""
    old, new = pair
    result = diff_sources(str(fixture(old)), str(fixture(new)))
    got = {(c.group, c.kind, c.location, c.breaking, c.reverse_breaking) for c in result.changes}
    assert got == expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [("new_operation", "operation-removed"), ("new_required_param", "parameter-removed")],
)
def test_reading_a_pair_backwards_swaps_the_two_verdicts(name: str, kind: str) -> None:
    """The reverse verdict is the forward verdict of the change read the other way round."""
    (forward,) = diff_sources(str(fixture("base")), str(fixture(name))).changes
    (backward,) = diff_sources(str(fixture(name)), str(fixture("base"))).changes
    assert backward.kind == kind
    assert (backward.breaking, backward.reverse_breaking) == (
        forward.reverse_breaking,
        forward.breaking,
    )


def test_shared_schema_change_is_listed_once_with_every_use() -> None:
    """A change to a component used by several operations is one row naming each use."""
    result = diff_sources(str(fixture("base")), str(fixture("added_optional_field")))
    (change,) = result.changes
    assert change.used_in == tuple(sorted(JOB_READS))


def test_enum_change_seen_on_both_sides_takes_the_breaking_verdict() -> None:
    """A narrowed enum is harmless in responses but refused in requests: it is breaking."""
    result = diff_sources(str(fixture("base")), str(fixture("narrowed_enum")))
    (change,) = result.changes
    assert change.breaking
    assert LIST in change.used_in
    assert change.action == 'stop sending "Cancelled"'


def test_documentation_only_change_is_counted_not_listed() -> None:
    """Description edits are counted in a note and never reported as changes."""
    result = diff_sources(str(fixture("base")), str(fixture("description_only")))
    assert result.changes == []
    assert len(result.notes) == 1
    assert result.notes[0].startswith("1 documentation-only difference(s)")


def test_property_named_description_is_compared_not_skipped() -> None:
    """Only documentation keys are skipped, not properties that share their names."""
    old = {"properties": {"description": {"type": "string"}}, "description": "a"}
    new = {"properties": {"description": {"type": "integer"}}, "description": "b"}
    assert spec_diff.documentation_differences(old, new) == 1


def test_versions_come_from_info_version() -> None:
    """The result carries both `info.version` dates."""
    result = diff_sources(str(fixture("base")), str(fixture("version_bump_only")))
    assert (result.old_version, result.new_version) == ("2026-03-15", "2026-06-01")
    assert result.version_changed


def test_unquoted_status_codes_are_read_like_quoted_ones(tmp_path: Path) -> None:
    """YAML's integer keys (`404:`) locate changes just as quoted ones ("404":) do."""
    for name in ("base", "removed_field"):
        text = fixture(name).read_text()
        (tmp_path / f"{name}.yaml").write_text(
            text.replace('"200":', "200:").replace('"404":', "404:")
        )
    result = diff_sources(str(tmp_path / "base.yaml"), str(tmp_path / "removed_field.yaml"))
    (change,) = result.changes
    assert change.used_in == tuple(sorted(JOB_READS))


def test_git_source_reads_the_spec_at_a_ref(repo: Path) -> None:
    """`git:REF:PATH` reads the committed spec, not the working copy."""
    commit(repo, {"spec.yaml": fixture("base")})
    (repo / "spec.yaml").write_text(fixture("removed_operation").read_text())
    result = diff_sources("git:HEAD:spec.yaml", str(repo / "spec.yaml"), repo=repo)
    assert [c.kind for c in result.changes] == ["operation-removed"]


def test_unknown_git_ref_is_a_clear_error(repo: Path) -> None:
    """A ref that does not exist names the ref in the error."""
    commit(repo, {"spec.yaml": fixture("base")})
    with pytest.raises(SpecDiffError, match="no-such-ref"):
        load_spec("git:no-such-ref:spec.yaml", repo=repo)


def test_not_an_openapi_document_is_rejected(tmp_path: Path) -> None:
    """A YAML file without `openapi:` is refused before anything is compared."""
    (tmp_path / "x.yaml").write_text("hello: world\n")
    with pytest.raises(SpecDiffError, match="not an OpenAPI document"):
        load_spec(str(tmp_path / "x.yaml"))


def test_merge_keeps_the_breaking_verdict_and_every_use() -> None:
    """Merging a non-breaking and a breaking sighting gives one breaking change."""
    safe = Change("Enum values", "enum-value-added", "S", False, "ok", ("a",), True)
    risky = Change("Enum values", "enum-value-added", "S", True, "breaks", ("b",), action="do")
    assert merge([safe, risky]) == [
        Change("Enum values", "enum-value-added", "S", True, "breaks", ("a", "b"), True, "do")
    ]


def test_cli_spec_json_and_fail_on_breaking(capsys: pytest.CaptureFixture[str]) -> None:
    """`spec --format json --fail-on-breaking` prints the report and exits 1 on a break."""
    code = main(
        [
            "spec",
            str(fixture("base")),
            str(fixture("removed_operation")),
            "--format",
            "json",
            "--fail-on-breaking",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert (report["breaking"], report["changes"][0]["kind"]) == (1, "operation-removed")


def test_cli_reports_errors_with_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A missing spec file is an error (exit 2) with a one-line message."""
    code = main(["spec", "does-not-exist.yaml", str(fixture("base"))])
    assert code == 2
    assert "api-diff: error: cannot read spec does-not-exist.yaml" in capsys.readouterr().err
