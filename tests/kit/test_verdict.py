"""The verdict is a promise: what makes a run fail, and how summary.md and junit.xml say so.

Pure: summaries built by hand, rendered as GitHub renders Markdown (CommonMark with tables,
markdown-it-py) and read as CI reads junit (ElementTree).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import pytest
from markdown_it import MarkdownIt

from qiskit_runtime_jobs_kit.contract.cleanup import Recovered
from qiskit_runtime_jobs_kit.contract.driver import LifecycleReport, Step
from qiskit_runtime_jobs_kit.contract.report import junit, markdown
from qiskit_runtime_jobs_kit.contract.rules import BEHAVIOURS
from qiskit_runtime_jobs_kit.contract.summary import Answers, Failure, Summary
from qiskit_runtime_jobs_kit.spec import spec_operations

OPERATIONS = list(spec_operations().values())


def reached_everything(**changes: Any) -> Summary:
    """A run that sent every operation a request the target accepted, and found nothing."""
    summary = Summary(
        target="http://x/api/v1 (url)",
        checks=["not_a_server_error"],
        operations=list(OPERATIONS),
        answers={op: Answers(sent=3, accepted=1) for op in OPERATIONS},
        fuzzed=True,
        phases={"examples": "success"},
        test_cases={"generated": 27, "with_failures": 0},
    )
    for name, value in changes.items():
        setattr(summary, name, value)
    return summary


def failed(summary: Summary) -> dict[str, str]:
    return {f"{o.suite}/{o.name}": o.detail for o in summary.outcomes() if o.state == "failed"}


def test_a_run_that_reached_everything_and_found_nothing_passes() -> None:
    summary = reached_everything()
    assert summary.ok, failed(summary)


def test_an_operation_nothing_reached_fails_the_run() -> None:
    refused = {op: Answers(sent=4, refused=Counter({401: 4})) for op in OPERATIONS}
    summary = reached_everything(answers=refused)
    assert not summary.ok
    detail = failed(summary)["operations/GET /jobs"]
    assert detail == "not exercised: 4 sent, none reached it (4x 401)"


def test_an_operation_sent_nothing_fails_the_run() -> None:
    summary = reached_everything(answers={})
    assert not summary.ok
    assert failed(summary)["operations/GET /jobs/{id}"].startswith("not exercised: no request")


def test_a_deselected_operation_is_skipped_not_failed() -> None:
    skipped = {op: "not selected (--operation-id)" for op in OPERATIONS[1:]}
    answers = {OPERATIONS[0]: Answers(sent=1, accepted=1)}
    summary = reached_everything(skipped=skipped, answers=answers)
    assert summary.ok, failed(summary)
    states = Counter(o.state for o in summary.outcomes() if o.suite == "operations")
    assert states == {"passed": 1, "skipped": len(OPERATIONS) - 1}


def test_refused_credentials_fail_once_and_skip_the_operations() -> None:
    summary = reached_everything(answers={}, preflight="credentials refused: the token")
    assert failed(summary) == {"run/preflight": "credentials refused: the token"}
    operations = [o for o in summary.outcomes() if o.suite == "operations"]
    assert {o.state for o in operations} == {"skipped"}
    assert all("stopped at the start" in o.detail for o in operations)


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({"left": ["job1"]}, "run/cleanup"),
        ({"stopped_by": "SIGTERM"}, "run/interrupted"),
        ({"errors": ["boom"]}, "run/fuzzing"),
        ({"phases": {}}, "run/fuzzing"),  # fuzzed, but no report came back
        ({"fail_on_drift": True, "drift": [{"operation": "GET /jobs"}]}, "run/drift"),
        (
            {"recovered": [Recovered("r1", 0.0, found=["old"], left=["old"])]},
            "run/earlier runs",
        ),
        (
            {"failures": [Failure("GET /jobs", "ST101", "Server error", None)]},
            "operations/GET /jobs",
        ),
    ],
)
def test_each_reason_to_fail(change: dict[str, Any], failing: str) -> None:
    summary = reached_everything(**change)
    assert not summary.ok
    assert failing in failed(summary)


def test_a_behaviour_an_answer_broke_fails_and_one_none_showed_is_not_exercised() -> None:
    from qiskit_runtime_jobs_kit.contract.summary import Tally

    broken = Tally(judged=4, failed=1, problems=["job j shows tags ['a'], not ['a', 'b']"])
    summary = reached_everything(behaviours={"read back: tags": broken})
    assert failed(summary) == {
        "behaviours/read back: tags": "1 of 4 answers broke it: job j shows tags ['a'], not "
        "['a', 'b']"
    }
    report = LifecycleReport(cannot={"list: backend": "the run's jobs have one backend only"})
    summary = reached_everything(lifecycle=report)
    outcome = summary.behaviour_outcome("list: backend")
    assert (outcome.state, outcome.detail) == (
        "skipped",
        "not exercised: the run's jobs have one backend only",
    )
    assert summary.ok


def test_drift_alone_is_a_warning() -> None:
    assert reached_everything(drift=[{"operation": "GET /jobs"}]).ok


def test_a_lifecycle_scenario_that_could_not_run_fails() -> None:
    report = LifecycleReport()
    report.add(Step("running", "POST /jobs", 200, ()))
    report.add(Step("running", "wait for Running", None, ("could not run: job j is Queued",)))
    report.skipped["results"] = "no result variants to ask for"
    summary = reached_everything(lifecycle=report)
    assert failed(summary) == {
        "lifecycle/running 02 wait for Running": "answered None: could not run: job j is Queued"
    }
    skipped = [o for o in summary.outcomes() if o.suite == "lifecycle" and o.state == "skipped"]
    assert [o.name for o in skipped] == ["results"]


# ---------------------------------------------------------------- summary.md


def tokens_of(text: str) -> list[Any]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def a_failing_run() -> Summary:
    report = LifecycleReport()
    report.add(Step("pending", "PUT /jobs/{id}/tags", 404, ("expected 204, got 404",)))
    report.note("pending", "job j was Completed | when first read")
    curl = "curl -X GET 'http://x/api/v1/jobs?limit=0'"
    return reached_everything(
        notes=["READ-ONLY RUN: 4 of 9 operations are not tested"],
        lifecycle=report,
        failures=[Failure("GET /jobs", "ST101", "Server error | with a pipe", curl)],
        left=["job9"],
    )


def test_summary_md_is_github_flavoured_markdown() -> None:
    text = markdown(a_failing_run())
    tokens = tokens_of(text)
    kinds = Counter(token.type for token in tokens)
    assert kinds["table_open"] == 4  # operations, lifecycle, behaviours, state rules
    assert kinds["heading_open"] >= 5
    assert kinds["fence"] == 1  # the reproducing curl
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == "Contract run: FAIL"
    expected = {"Operations", "Lifecycle", "Behaviours", "State rules", "Jobs", "Drift", "Failures"}
    assert expected <= set(headings)
    assert text.rstrip().splitlines()[-1] == "RESULT: FAIL"


def _table_rows(text: str, header: str) -> list[list[str]]:
    """The body rows of the table whose first header cell is `header`, as rendered."""
    tokens = tokens_of(text)
    rows: list[list[str]] = []
    inside = False
    row: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "th_open" and tokens[i + 1].content == header:
            inside, rows = True, []
        elif token.type == "table_close":
            if inside:
                return rows
        elif inside and token.type == "tr_open":
            row = []
        elif inside and token.type == "inline" and tokens[i - 1].type == "td_open":
            row.append(token.content)
        elif inside and token.type == "tr_close" and row:
            rows.append(row)
    raise AssertionError(f"no table headed {header!r}")


def test_every_operation_has_a_row_with_its_counts_and_verdict() -> None:
    rows = _table_rows(markdown(a_failing_run()), "operation")
    assert [row[0] for row in rows] == [f"`{op}`" for op in OPERATIONS]
    by_name = {row[0].strip("`"): row for row in rows}
    assert by_name["GET /jobs/{id}"][1:] == ["3", "1", "passed"]
    # A pipe in a message stays inside its cell.
    assert by_name["GET /jobs"][3] == "**FAILED**: ST101 Server error | with a pipe"
    assert by_name["PUT /jobs/{id}/tags"][3].startswith("**FAILED**: lifecycle pending")


def test_a_scenario_note_with_a_pipe_keeps_the_table_whole() -> None:
    rows = _table_rows(markdown(a_failing_run()), "scenario")
    assert rows == [["pending", "0/1 steps passed", "job j was Completed | when first read"]]


# ---------------------------------------------------------------- junit.xml


def test_junit_carries_the_same_verdict_as_the_summary() -> None:
    summary = a_failing_run()
    summary.skipped = {OPERATIONS[1]: "read-only run: it changes jobs"}
    root = ET.fromstring(junit(summary))
    cases = list(root.iter("testcase"))
    failures = [case for case in cases if case.find("failure") is not None]
    skipped = [case for case in cases if case.find("skipped") is not None]
    outcomes = summary.outcomes()
    assert int(root.get("tests", "")) == len(cases) == len(outcomes)
    assert int(root.get("failures", "")) == len(failures) > 0
    assert len(failures) == sum(o.state == "failed" for o in outcomes)
    # The one deselected operation, and every behaviour (none was judged in this summary).
    assert int(root.get("skipped", "")) == len(skipped) == 1 + len(BEHAVIOURS)
    names = {(case.get("classname"), case.get("name")) for case in failures}
    assert ("contract.operations", "GET /jobs") in names
    assert ("contract.lifecycle", "pending 01 PUT /jobs/{id}/tags") in names
    assert ("contract.run", "cleanup") in names
    (skip,) = [case for case in skipped if case.get("classname") == "contract.operations"]
    assert skip.get("name") == OPERATIONS[1]
    assert "read-only run" in (skip.find("skipped").get("message") or "")  # type: ignore[union-attr]
    for suite in root.iter("testsuite"):
        members = list(suite.iter("testcase"))
        assert int(suite.get("tests", "")) == len(members)
        assert int(suite.get("failures", "")) == sum(m.find("failure") is not None for m in members)


def test_junit_stays_xml_whatever_the_target_said() -> None:
    """A target's message may hold control characters; junit.xml must still parse."""
    failure = Failure("GET /jobs", "ST101", "Server error: \x00\x1b[31mred\x07", None)
    root = ET.fromstring(junit(reached_everything(failures=[failure])))
    (case,) = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert "red" in (case.find("failure").text or "")  # type: ignore[union-attr]


def test_a_row_nothing_accepted_says_so() -> None:
    answers = {op: Answers(sent=3, accepted=0) for op in OPERATIONS}
    rows = _table_rows(markdown(reached_everything(answers=answers)), "operation")
    assert {row[3] for row in rows} == {"passed (only error answers: the target accepted none)"}


def test_junit_of_a_passing_run_has_no_failure() -> None:
    root = ET.fromstring(junit(reached_everything()))
    assert root.get("failures") == "0"
    suites = {suite.get("name") for suite in root.iter("testsuite")}
    assert suites == {"run", "operations", "behaviours"}
