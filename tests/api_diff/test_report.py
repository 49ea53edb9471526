"""Reports group changes in a fixed order, mark what breaks and stay valid markdown/JSON."""

from __future__ import annotations

import json

from tools.api_diff import report
from tools.api_diff.changes import Change, DiffResult

CHANGES = [
    Change("Defaults", "default-changed", "limit", False, "Default changed."),
    Change("Operations", "operation-removed", "DELETE /x", True, "Removed."),
    Change("Fields", "field-type-changed", "Job.a", True, "str | Unset → str", ("u1", "u2")),
]


def result() -> DiffResult:
    return DiffResult(
        "OpenAPI spec", "git:HEAD", "spec.yaml", list(CHANGES), "2026-03-15", "2026-06-01"
    )


def test_markdown_groups_follow_the_report_order() -> None:
    """Operations come before Defaults; groups unknown to the order come last."""
    text = report.render_markdown(result())
    assert text.index("### Operations") < text.index("### Defaults") < text.index("### Fields")


def test_markdown_marks_breaking_rows_and_escapes_pipes() -> None:
    """A spec row has both wire verdicts; a `|` inside a message does not split the row."""
    text = report.render_markdown(result())
    assert "| Old clients | New clients | Where | Change | Used in |" in text
    assert "| **breaks** | ok | `DELETE /x` | Removed. |  |" in text
    assert "str \\| Unset → str" in text
    assert text.startswith("## OpenAPI spec: 2026-03-15 → 2026-06-01\n")


def test_code_rows_have_one_verdict() -> None:
    """A code result says whether code breaks: one column."""
    code = DiffResult("Generated client", "a", "b", list(CHANGES), wire=False)
    assert "| **yes** | `DELETE /x` | Removed. |  |" in report.render_markdown(code)


def test_long_used_in_lists_are_shortened() -> None:
    """More than four uses are shown as four and a count."""
    change = Change("Defaults", "default-changed", "x", False, "m", tuple("abcdef"))
    text = report.render_markdown(DiffResult("S", "a", "b", [change]))
    assert "a, b, c, d (+2 more)" in text


def test_json_counts_and_lists_every_change() -> None:
    """The JSON report counts breaking changes and lists all, breaking first per group."""
    data = json.loads(report.render_json(result()))
    assert (data["breaking"], data["non_breaking"]) == (2, 1)
    assert [c["kind"] for c in data["changes"]] == [
        "operation-removed",
        "default-changed",
        "field-type-changed",
    ]


def test_summary_of_nothing_says_no_changes() -> None:
    """An empty result reads `no changes`."""
    assert report.summary(DiffResult("S", "a", "b", [])) == "no changes"
