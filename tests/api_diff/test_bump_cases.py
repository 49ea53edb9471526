"""Real-world bumps (`bump_cases`): each class of change gets the verdict the issue asks for."""

from __future__ import annotations

import copy
import re

import pytest

from tests.api_diff.bump_cases import CASES, CREATE, RESULTS, Case, ibm_2025_05_01
from tools.api_diff import summary
from tools.api_diff.spec_diff import REPO_ROOT, SPEC_PATH, diff_specs, load_spec

BY_NAME = {case.name: case for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gets_exactly_its_verdicts(case: Case) -> None:
    """Every row, and each row's two wire verdicts, are the expected ones: nothing more."""
    result = diff_specs(*case.specs())
    got = {(c.kind, c.location, c.breaking, c.reverse_breaking) for c in result.changes}
    assert got == case.expected


def test_a_schema_used_on_both_sides_is_judged_for_both() -> None:
    """`Tags` is sent (create, replace tags) and read (job details): one row names both."""
    (change,) = diff_specs(*BY_NAME["shared-schema-judged-for-both-sides"].specs()).changes
    assert {CREATE, "PUT /jobs/{id}/tags", "GET /jobs/{id}", "GET /jobs"} <= set(change.used_in)


def test_documentation_beside_a_ref_is_counted_not_compared() -> None:
    """Descriptions, titles, examples and x- notes beside `$ref`s are only counted."""
    result = diff_specs(*BY_NAME["documentation-beside-ref"].specs())
    assert result.changes == []
    assert result.notes == [
        "6 documentation-only difference(s) (descriptions, titles, examples, `x-` notes) not "
        "listed."
    ]


def test_error_body_gains_are_seen_at_every_operation_and_break_only_new_clients() -> None:
    """A `$ref`'d error response is a response wherever it is used."""
    changes = diff_specs(*BY_NAME["error-response-gains-fields"].specs()).changes
    assert {len(c.used_in) for c in changes} == {9}
    assert not any(c.breaking for c in changes)


def real_bump() -> tuple[dict[str, object], dict[str, object]]:
    new = load_spec(str(REPO_ROOT / SPEC_PATH))
    old = copy.deepcopy(new)
    ibm_2025_05_01(old)
    return old, new


def test_the_real_bump_is_a_short_list_with_the_big_changes_in_it() -> None:
    """2025-05-01 → ours: every class above in one bump, one row per change."""
    result = diff_specs(*real_bump())
    kinds = [(c.kind, c.location) for c in result.breaking]
    assert len(result.changes) <= 15
    assert ("media-type-changed", f"{RESULTS} → 200 media type") in kinds
    assert sum(k == "authentication-removed" for k, _ in kinds) == 4
    assert not any(c.location.startswith("ErrorResponse") for c in result.breaking)


def test_the_summary_groups_per_operation_with_no_raw_json() -> None:
    """The wire summary names each operation once, one line per change, no JSON blobs."""
    text = summary.render(diff_specs(*real_bump()), None)
    assert "**Every operation**" in text
    assert "**`get_job_results` (GET /jobs/{id}/results)**" in text
    assert "- The response body is now `application/json` (was `text/plain`) → regenerate" in text
    assert not re.search(r"[{\[]\s*\"", text)  # no JSON object or list literals
    assert len(text.splitlines()) <= 40
