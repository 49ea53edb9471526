"""The changelog gets one entry per API version, newest first, rewritten on re-runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tools.api_diff import changelog
from tools.api_diff.changes import CODE_GROUPS, Change, DiffResult

ON = date(2026, 6, 2)


def spec_result(new: str, *changes: Change, old: str = "2026-03-15") -> DiffResult:
    return DiffResult("OpenAPI spec", "a", "b", list(changes), old_version=old, new_version=new)


REMOVED = Change("Operations", "operation-removed", "DELETE /x", True, "DELETE /x was removed.")
ADDED = Change("Schema properties", "property-added", "Job.eta", False, "New property Job.eta.")


def test_entry_lists_breaking_then_non_breaking_per_report() -> None:
    """An entry names both versions, then breaking and non-breaking changes of each report."""
    code = DiffResult("Generated client (public API)", "a", "b", [], groups=CODE_GROUPS)
    text = changelog.entry(spec_result("2026-06-01", ADDED, REMOVED), code, on=ON)
    assert text.splitlines()[:4] == [
        "<!-- api-version: 2026-06-01 -->",
        "## API 2026-06-01 (from 2026-03-15)",
        "",
        "Regenerated on 2026-06-02.",
    ]
    assert text.index("Breaking:") < text.index("- [Operations] DELETE /x was removed.")
    assert text.index("Non-breaking:") < text.index("- [Schema properties] New property Job.eta.")
    assert "**Generated client (public API)** (no changes):" in text


def test_update_creates_the_file_with_a_heading(tmp_path: Path) -> None:
    """A missing CHANGELOG.md is created with its heading above the entry."""
    path = tmp_path / "CHANGELOG.md"
    changelog.update(path, changelog.entry(spec_result("2026-06-01", ADDED), None, on=ON))
    text = path.read_text()
    assert text.startswith("# Changelog\n")
    assert text.count("<!-- api-version:") == 1


def test_newest_entry_goes_first(tmp_path: Path) -> None:
    """A later version's entry is put above the earlier one."""
    path = tmp_path / "CHANGELOG.md"
    changelog.update(path, changelog.entry(spec_result("2026-06-01", ADDED), None, on=ON))
    later = spec_result("2026-09-01", REMOVED, old="2026-06-01")
    changelog.update(path, changelog.entry(later, None, on=ON))
    text = path.read_text()
    assert text.index("## API 2026-09-01") < text.index("## API 2026-06-01")


def test_rerun_for_the_same_version_replaces_its_entry(tmp_path: Path) -> None:
    """Running the workflow twice for one version leaves one, updated, entry."""
    path = tmp_path / "CHANGELOG.md"
    changelog.update(path, changelog.entry(spec_result("2026-06-01", ADDED), None, on=ON))
    changelog.update(path, changelog.entry(spec_result("2026-06-01", REMOVED), None, on=ON))
    text = path.read_text()
    assert text.count("## API 2026-06-01") == 1
    assert "DELETE /x was removed." in text
    assert "New property Job.eta." not in text
