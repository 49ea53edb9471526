"""The CI guard fails a breaking spec change that keeps its version, and explains why."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.api_diff.conftest import commit, fixture
from tools.api_diff import guard
from tools.api_diff.spec_diff import REPO_ROOT, SPEC_PATH

SPEC = Path("openapi/spec.yaml")


def bumped(name: str, version: str = "2026-06-01") -> str:
    """A fixture spec with its version (and version header default) set to `version`."""
    return fixture(name).read_text().replace("2026-03-15", version)


def run(repo: Path, working_copy: str) -> guard.GuardResult:
    commit(repo, {SPEC.as_posix(): fixture("base")})
    (repo / SPEC).write_text(working_copy)
    return guard.check(base="HEAD", spec_path=SPEC, repo=repo)


def test_breaking_change_without_version_bump_fails(repo: Path) -> None:
    """A removed operation with the same info.version fails and names the change and the fix."""
    result = run(repo, fixture("removed_operation").read_text())
    assert not result.ok
    (problem,) = result.problems
    assert "1 breaking change(s) to the spec since HEAD" in problem
    assert "Operation DELETE /v1/jobs/{id} was removed." in problem
    assert "set info.version" in problem


def test_breaking_change_with_version_bump_passes(repo: Path) -> None:
    """The same removal passes once info.version and the header default name a new date."""
    result = run(repo, bumped("removed_operation"))
    assert result.ok, result.problems
    assert result.diff is not None
    assert len(result.diff.breaking) == 1


def test_breaking_correction_with_spec_revision_passes(repo: Path) -> None:
    """A breaking fix of the curated spec passes with `info.x-spec-revision`, same date."""
    text = fixture("removed_operation").read_text()
    text = text.replace(
        '  version: "2026-03-15"\n', '  version: "2026-03-15"\n  x-spec-revision: 1\n'
    )
    result = run(repo, text)
    assert result.ok, result.problems
    assert result.diff is not None
    assert result.diff.new_version == "2026-03-15+r1"


def test_non_breaking_change_without_bump_passes(repo: Path) -> None:
    """Adding an optional field needs no new version."""
    assert run(repo, fixture("added_optional_field").read_text()).ok


def test_version_header_default_must_match_info_version(repo: Path) -> None:
    """Bumping info.version alone (header default left behind) fails with both values."""
    text = fixture("base").read_text().replace('version: "2026-03-15"', 'version: "2026-06-01"')
    (problem,) = run(repo, text).problems
    assert "defaults to '2026-03-15' but info.version is '2026-06-01'" in problem


def test_version_must_not_go_backwards(repo: Path) -> None:
    """An older date than the base's fails."""
    (problem,) = run(repo, bumped("base", "2025-01-01")).problems
    assert "went backwards" in problem


def test_version_must_be_a_date(repo: Path) -> None:
    """info.version that is not YYYY-MM-DD fails."""
    problems = run(repo, bumped("base", "v2")).problems
    assert any("must be the API version date" in p for p in problems)


def test_invalid_spec_fails(repo: Path) -> None:
    """A spec the OpenAPI validator rejects fails the guard."""
    spec = yaml.safe_load(fixture("base").read_text())
    spec["paths"]["/v1/jobs"]["get"]["parameters"][1]["in"] = "body"  # not an OpenAPI 3 location
    problems = run(repo, yaml.safe_dump(spec)).problems
    assert any("not valid OpenAPI" in p for p in problems)


def test_no_spec_at_base_checks_the_spec_alone(repo: Path) -> None:
    """When the base has no spec yet, only validity and version are checked, with a note."""
    commit(repo, {"README": "x"})
    (repo / SPEC).parent.mkdir()
    (repo / SPEC).write_text(fixture("base").read_text())
    result = guard.check(base="HEAD", spec_path=SPEC, repo=repo)
    assert result.ok
    assert len(result.notes) == 1
    assert "no spec to compare at HEAD" in result.notes[0]


def test_render_says_fail_with_the_problem(repo: Path) -> None:
    """The rendered output has one FAIL line per problem."""
    text = guard.render(run(repo, fixture("removed_operation").read_text()))
    assert "api-guard: FAIL: 1 breaking change(s)" in text


def test_default_base_is_the_previous_commit_without_origin(repo: Path) -> None:
    """With no `origin/main`, the guard checks the last commit (HEAD~1), or HEAD if alone."""
    commit(repo, {"a": "1"})
    assert guard.default_base(repo) == "HEAD"
    commit(repo, {"a": "2"})
    assert guard.default_base(repo) == "HEAD~1"


@pytest.mark.skipif(not (REPO_ROOT / SPEC_PATH).exists(), reason="project spec not present")
def test_project_spec_names_one_api_version() -> None:
    """The project's spec is a dated version and its IBM-API-Version default repeats it."""
    spec = yaml.safe_load((REPO_ROOT / SPEC_PATH).read_text(encoding="utf-8"))
    assert guard.version_problems(spec) == []
