"""The changelog gets one entry per API version, newest first, rewritten on re-runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tools.api_diff import __main__ as cli, changelog
from tools.api_diff.changes import CODE_GROUPS, Change, DiffResult

ON = date(2026, 6, 2)


def spec_result(new: str, *changes: Change, old: str = "2026-03-15") -> DiffResult:
    return DiffResult("OpenAPI spec", "a", "b", list(changes), old_version=old, new_version=new)


REMOVED = Change(
    "Operations",
    "operation-removed",
    "DELETE /x",
    True,
    "DELETE /x was removed.",
    ("DELETE /x",),
    action="stop calling it",
)
ADDED = Change("Schema properties", "property-added", "Job.eta", False, "New property Job.eta.")


def test_entry_is_the_summary_under_a_dated_version_heading() -> None:
    """An entry names both versions, then says what breaks, per operation, and what to do."""
    code = DiffResult("Generated client (public API)", "a", "b", [], groups=CODE_GROUPS)
    text = changelog.entry(spec_result("2026-06-01", ADDED, REMOVED), code, on=ON)
    assert text.splitlines()[:3] == [
        "<!-- api-version: 2026-06-01 -->",
        "## API 2026-06-01 (from 2026-03-15)",
        "",
    ]
    assert text.splitlines()[3].startswith("Regenerated on 2026-06-02: 0 change(s) break code")
    wire = text.index("### What breaks on the wire")
    assert text.index("### What breaks your code (after `make generate`)") < wire
    assert text.index("- DELETE /x was removed → stop calling it.") > wire
    assert "Job.eta" not in text  # a safe change is counted, listed only in the full report


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
    assert "DELETE /x was removed → stop calling it." in text
    assert "New property Job.eta." not in text


def test_entry_lands_on_top_above_hand_written_sections(tmp_path: Path) -> None:
    """Under the file's heading, above unreleased notes and older entries."""
    path = tmp_path / "CHANGELOG.md"
    path.write_text(
        changelog.HEADING + "\n## SDK 0.2.0 (unreleased)\n\n- notes\n", encoding="utf-8"
    )
    changelog.update(path, changelog.entry(spec_result("2026-06-01", ADDED), None, on=ON))
    changelog.update(path, changelog.entry(spec_result("2026-06-01", REMOVED), None, on=ON))
    text = path.read_text()
    assert text.index("# Changelog") < text.index("## API 2026-06-01") < text.index("## SDK")
    assert text.count("## API 2026-06-01") == 1
    assert text.endswith("- notes\n")


def test_changelog_refuses_an_unbumped_breaking_change(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Like the guard: exit 1, say why and how to bump, write nothing."""
    same = spec_result("2026-03-15", REMOVED, old="2026-03-15")
    code = DiffResult("Generated client (public API)", "a", "b", [], groups=CODE_GROUPS)
    monkeypatch.setattr(cli, "_both", lambda args: (same, code))
    path = tmp_path / "CHANGELOG.md"
    assert cli.main(["changelog", "--file", str(path)]) == cli.EXIT_BREAKING
    assert not path.exists()
    err = capsys.readouterr().err
    assert "no changelog entry written: 1 breaking change(s)" in err
    assert "info.x-spec-revision" in err
