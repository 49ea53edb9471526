"""Each checker's report read as the table needs it: what failed, keyed so a baseline can match it.

The inputs are what the checkers really wrote: a summary.md of our contract run against
`cancel_not_applied` (trimmed), and the failure shapes of schemathesis' JSON report and
Specmatic's JUnit report.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from tools.compare_checkers import ours, plain_schemathesis, specmatic
from tools.compare_checkers.model import Failure, Target

FIXTURES = Path(__file__).parent / "fixtures"
SPECMATIC_404 = dedent(
    """\
    Testing scenario "Cancel a job. Response: OK"
    API: POST /jobs/(id:JobId)/cancel -> 204

      >> RESPONSE.STATUS

          R0002: HTTP status mismatch
          Documentation: https://docs.specmatic.io/rules#r0002

          Specification expected status 204 but response contained status 404"""
)


def test_our_summary_gives_the_behaviour_row_first_then_the_requests_that_showed_it() -> None:
    reading = ours.read(FIXTURES / "summary-failed")
    assert reading.summary == "FAIL"
    assert reading.problem is None
    first, *rest = reading.failures
    assert first == Failure(
        "Behaviours: cancel is applied",
        "22 of 22 answers broke it: job … was cancelled (204) but is Completed",
    )
    keys = [f.key for f in rest]
    assert "Operations: GET /jobs" in keys
    assert "Operations: POST /jobs" not in keys
    assert "Lifecycle: running: `GET /jobs/{id}` -> 200" in keys
    assert all("Custom check failed" not in f.detail for f in reading.failures)


def test_a_run_without_a_summary_cannot_be_judged_by_its_rows() -> None:
    reading = ours.read(FIXTURES / "nothing-here")
    assert (reading.failures, reading.summary) == ((), "no summary.md")


def test_shorten_drops_ids_and_scaffolding_and_caps_the_length() -> None:
    text = "lifecycle running: job abcdefghij0123456789: " + "x" * 200
    short = ours.shorten(text)
    assert not short.startswith(("lifecycle", "job "))
    assert len(short) == ours.DETAIL_CHARS
    assert ours.shorten("job abcdefghij0123456789 and job 0123456789abcdefghij left") == (
        "job … and job … left"
    )


def test_schemathesis_failures_are_one_per_check_code_and_operation() -> None:
    report = {
        "test_cases": {"generated": 1188, "unique_failures": 2},
        "failures": [
            {"code": "ST202", "title": "Schema-valid request rejected", "operations": ["A", "B"]}
        ],
        "errors": [{"count": 3}],
    }
    assert [f.key for f in plain_schemathesis.failures(report)] == ["ST202 A", "ST202 B"]
    assert plain_schemathesis._summary(report) == "1188 test cases, 2 unique failures, 3 errors"


def test_specmatic_failures_are_keyed_by_what_was_tested_not_by_generated_values() -> None:
    one = specmatic.failure("+ve Scenario: ... with the example 'x'", SPECMATIC_404)
    other = specmatic.failure("+ve Scenario: ... with another request", SPECMATIC_404)
    assert one == other
    assert one.key == "POST /jobs/(id:JobId)/cancel -> 204 | RESPONSE.STATUS | R0002 | 204->404"
    assert one.detail == "POST /jobs/(id:JobId)/cancel -> 204: got 404"


def test_specmatic_junit_counts_tests_and_keeps_each_failure_once(tmp_path: Path) -> None:
    (tmp_path / "junit").mkdir()
    case = '<testcase name="n{i}"><failure message="{m}"/></testcase>'
    message = SPECMATIC_404.replace("\n", "&#10;").replace('"', "&quot;")
    cases = "".join(case.format(i=i, m=message) for i in range(2)) + '<testcase name="ok"/>'
    (tmp_path / "junit" / "TEST-x.xml").write_text(
        f'<testsuite tests="3" failures="2">{cases}</testsuite>', encoding="utf-8"
    )
    reading = specmatic.read(tmp_path)
    assert reading.summary == "3 tests, 2 failed"
    assert reading.problem is None
    assert len(reading.failures) == 1


def test_specmatic_is_given_the_token_for_every_bearer_scheme_of_the_spec() -> None:
    target = Target("http://127.0.0.1:1/api/v1", {"Authorization": "Bearer t0ken"})
    schemes = specmatic.config(target)["security"]["OpenAPI"]["securitySchemes"]
    assert schemes
    assert all(s == {"type": "bearer", "token": "t0ken"} for s in schemes.values())
