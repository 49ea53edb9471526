"""The behaviours, as tables: what any answer must show (`rules`), what the run's own history
says it must (`model`), and what a closed-world listing must return (`listing`). Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from qiskit_runtime_jobs_kit.contract import listing, rules
from qiskit_runtime_jobs_kit.contract.model import RunModel, settled_status
from qiskit_runtime_jobs_kit.contract.rules import ListQuery

T0 = "2026-12-02T10:00:00Z"
T1 = "2026-12-02T10:00:01Z"
T2 = "2026-12-02T10:00:02Z"


def job(job_id: str = "j1", **fields: Any) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": job_id,
        "status": "Queued",
        "state": {"status": "Queued"},
        "program": {"id": "sampler"},
        "backend": "ibm_x",
        "created": T0,
        "tags": ["a"],
        "cost": 600,
        "user_id": "me",
    }
    shown.update(fields)
    return shown


def problems_of(found: list[rules.Finding], behaviour: str) -> list[str]:
    judged = [f for f in found if f.behaviour == behaviour]
    assert judged, f"{behaviour} was not judged"
    return [f.problem for f in judged if f.problem is not None]


def listed(*jobs: dict[str, Any], **page: Any) -> dict[str, Any]:
    return {"jobs": list(jobs), "limit": 200, "offset": 0, **page}


# ---------------------------------------------------------------- the query


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ListQuery()),
        ({"pending": "true"}, ListQuery(pending=True)),
        ({"pending": ["false"]}, ListQuery(pending=False)),
        ({"pending": "maybe"}, ListQuery()),
        ({"limit": "0"}, ListQuery()),  # outside 1..200: the default
        ({"limit": "201"}, ListQuery()),
        ({"limit": "7", "offset": "-3"}, ListQuery(limit=7)),
        ({"offset": "2147483647"}, ListQuery(offset=2147483647)),  # the top of 0..2147483647
        ({"offset": "2147483648"}, ListQuery()),  # above it: the default
        ({"sort": "asc"}, ListQuery(ascending=True)),
        ({"exclude_params": "false"}, ListQuery(exclude_params=False)),
        ({"tags": ["a", "b"]}, ListQuery(tags=("a", "b"))),
        ({"tags": "a"}, ListQuery(tags=("a",))),
        ({"created_after": "not a time"}, ListQuery()),
        (
            {"created_after": T1},
            ListQuery(created_after=datetime(2026, 12, 2, 10, 0, 1, tzinfo=UTC)),
        ),
    ],
)
def test_a_query_is_read_the_way_the_page_reads_it(
    params: dict[str, Any], expected: ListQuery
) -> None:
    assert ListQuery.from_params(params) == expected


# ---------------------------------------------------------------- any listing


@pytest.mark.parametrize(
    ("params", "shown", "behaviour", "broken"),
    [
        ({"pending": "true"}, job(), "list: pending", False),
        ({"pending": "true"}, job(status="Completed"), "list: pending", True),
        ({"pending": "false"}, job(status="Running"), "list: pending", True),
        ({"pending": "false"}, job(status="Cancelled - Ran too long"), "list: pending", False),
        ({"program": "estimator"}, job(), "list: program", True),
        ({"backend": "ibm_x"}, job(), "list: backend", False),
        ({"backend": "ibm_y"}, job(), "list: backend", True),
        ({"session_id": "s"}, job(session_id="s"), "list: session_id", False),
        ({"session_id": "s"}, job(), "list: session_id", True),
        ({"created_after": T1}, job(created=T2), "list: created_after", False),
        ({"created_after": T1}, job(created=T1), "list: created_after", False),  # the bound
        ({"created_after": T1}, job(created=T0), "list: created_after", True),
        ({"created_before": T1}, job(created=T2), "list: created_before", True),
        ({"tags": ["a", "b"]}, job(tags=["b"]), "list: tags", False),  # all or any: any
        ({"tags": ["c"]}, job(), "list: tags", True),
    ],
)
def test_every_listed_job_matches_every_filter(
    params: dict[str, Any], shown: dict[str, Any], behaviour: str, broken: bool
) -> None:
    found = rules.listing_findings(ListQuery.from_params(params), listed(shown))
    assert bool(problems_of(found, behaviour)) is broken


def test_a_listing_is_within_its_limit_in_its_order_without_params() -> None:
    three = [job("j1", created=T2), job("j2", created=T1), job("j3", created=T0)]
    found = rules.listing_findings(ListQuery.from_params({"limit": "2"}), listed(*three))
    assert problems_of(found, "list: limit") == ["3 jobs for limit 2"]
    assert problems_of(found, "list: sort") == []  # DESC, the default
    ascending = rules.listing_findings(ListQuery.from_params({"sort": "ASC"}), listed(*three))
    assert problems_of(ascending, "list: sort")
    with_params = rules.listing_findings(ListQuery(), listed(job(params={"x": 1})))
    assert problems_of(with_params, "list: exclude_params") == ["params returned for j1"]
    asked = rules.listing_findings(ListQuery(exclude_params=False), listed(job(params={"x": 1})))
    assert [f for f in asked if f.behaviour == "list: exclude_params"] == []


def test_an_offset_outside_its_range_is_read_as_the_default() -> None:
    """The service lists from offset 0 for an offset above 2147483647 (as for one below 0):
    its first page, with a count that covers it, is what the page documents."""
    found = rules.listing_findings(
        ListQuery.from_params({"offset": "2147483648"}), listed(job(), job("j2"), count=2)
    )
    assert problems_of(found, "list: count") == []
    beyond = rules.listing_findings(ListQuery(offset=4), listed(job(), job("j2"), count=2))
    assert problems_of(beyond, "list: count") == ["count 2 < offset 4 + 2 listed"]


def test_a_listing_count_covers_what_it_lists_and_only_the_callers_jobs() -> None:
    found = rules.listing_findings(
        ListQuery(offset=4), listed(job(), job("j2", user_id="someone"), count=5, offset=4)
    )
    assert problems_of(found, "list: count") == ["count 5 < offset 4 + 2 listed"]
    # No user known yet (the run has seen none of its own jobs): not judged.
    assert all(f.behaviour != "list: only the caller's jobs" for f in found)
    mine = rules.listing_findings(ListQuery(), listed(job(), job("j2", user_id="x")), user_id="me")
    assert problems_of(mine, "list: only the caller's jobs") == ["jobs of user(s) x"]


@pytest.mark.parametrize(
    ("shown", "behaviour", "broken"),
    [
        (job(), "status matches state", False),
        (job(status="Running"), "status matches state", True),
        (
            job(status="Cancelled - Ran too long", state={"status": "Cancelled"}),
            "status matches state",
            False,
        ),
        (job(private=False), "private: flag omitted unless true", True),
        (job(private=True), "private: params hidden", False),
        (job(private=True, params={}), "private: params hidden", True),
    ],
)
def test_any_job(shown: dict[str, Any], behaviour: str, broken: bool) -> None:
    assert bool(problems_of(rules.job_findings(shown), behaviour)) is broken


@pytest.mark.parametrize(
    ("stamps", "broken"),
    [
        ({"created": T0, "running": T1, "finished": T2}, False),
        ({"created": T0, "running": T2, "finished": T1}, True),
        ({"created": T1, "running": T0}, True),
        ({"created": T0, "finished": T2}, False),
    ],
)
def test_metrics_timestamps_are_in_order(stamps: dict[str, str], broken: bool) -> None:
    found = rules.metrics_findings({"timestamps": stamps})
    assert bool(problems_of(found, "metrics timestamps in order")) is broken


# ---------------------------------------------------------------- the run's history


def a_run(**sent: Any) -> RunModel:
    model = RunModel()
    body = {"program_id": "sampler", "backend": "ibm_x", "tags": ["a"], "cost": 600, **sent}
    model.created(body, {"id": "j1", "backend": "ibm_x"})
    return model


@pytest.mark.parametrize(
    ("sent", "shown", "broken"),
    [
        ({}, job(), False),
        ({}, job(backend="ibm_other"), True),
        ({}, job(program={"id": "estimator"}), True),
        ({"tags": ["a", "b"]}, job(tags=["a"]), True),
        ({"tags": ["b", "a"]}, job(tags=["a", "b"]), False),  # an order is not promised
        ({"private": True}, job(private=True), False),
        ({"private": True}, job(), True),
        ({"session_id": "s"}, job(), True),
        ({"session_id": ""}, job(), False),  # an empty session asks for none
        ({"backend": ""}, job(backend="ibm_x"), False),  # the create answer's backend
        ({"cost": 99999}, job(cost=10800), False),  # 'capped at that value'
        ({"cost": 99999}, job(cost=99999), True),
    ],
)
def test_a_job_reads_back_as_it_was_created(
    sent: dict[str, Any], shown: dict[str, Any], broken: bool
) -> None:
    found = a_run(**sent).shown(shown)
    assert bool(problems_of(found, "read back: create")) is broken


def test_a_job_not_the_runs_is_not_judged_against_the_history() -> None:
    assert a_run().shown(job("someone-elses", backend="anything")) == []


def test_what_the_run_changed_is_what_the_job_shows() -> None:
    model = a_run()
    model.tags_replaced("j1", ["new"])
    assert problems_of(model.shown(job(tags=["new"])), "read back: tags") == []
    assert problems_of(model.shown(job(tags=["a"])), "read back: tags")
    model.cancel_accepted("j1")
    cancelled = job(status="Cancelled", state={"status": "Cancelled"}, tags=["new"])
    assert problems_of(model.shown(cancelled), "cancel is applied") == []
    model = a_run()
    model.cancel_accepted("j1")
    assert problems_of(
        model.shown(job(status="Completed", state={"status": "Completed"})), "cancel is applied"
    )
    model.deleted("j1")
    assert problems_of(model.shown(job()), "delete is applied")


@pytest.mark.parametrize(
    ("first", "then", "broken"),
    [
        ("Queued", "Running", False),
        ("Running", "Completed", False),
        ("Running", "Queued", True),
        ("Completed", "Running", True),
        ("Completed", "Failed", True),
        ("Cancelled", "Cancelled", False),
        ("Queued", "Mystery", False),  # an open enum's new value is not judged
    ],
)
def test_a_job_never_goes_back(first: str, then: str, broken: bool) -> None:
    model = a_run()
    model.shown(job(status=first, state={"status": first}))
    found = model.shown(job(status=then, state={"status": then}))
    assert bool(problems_of(found, "status never goes back")) is broken


@pytest.mark.parametrize(
    ("before", "after", "settled"),
    [
        ("Queued", "Running", "Queued"),  # pending the whole time
        ("Completed", "Completed", "Completed"),
        ("Running", "Completed", None),  # it ended in between: either answer is right
        (None, "Queued", None),
    ],
)
def test_a_status_settled_between_two_looks(
    before: str | None, after: str | None, settled: str | None
) -> None:
    assert settled_status(before, after) == settled


# ---------------------------------------------------------------- the closed world


WORLD, GROUP = "run-fleet", "run-a"


def fleet() -> RunModel:
    """Three jobs: two programs, the group tag on the first and last, created a second apart."""
    model = RunModel()
    for number, (program, group) in enumerate(
        [("sampler", True), ("sampler", False), ("estimator", True)]
    ):
        tags = [WORLD, GROUP] if group else [WORLD]
        model.created({"program_id": program, "backend": "b", "tags": tags}, {"id": f"j{number}"})
        model.shown(
            job(
                f"j{number}",
                program={"id": program},
                backend="b",
                tags=tags,
                created=[T0, T1, T2][number],
            )
        )
    return model


def test_the_probes_cover_what_the_fleet_can_show_and_say_why_not_the_rest() -> None:
    chosen = listing.plan(
        fleet(), WORLD, GROUP, refused={"backend": "the target refused a second backend"}
    )
    names = {probe.name for probe in chosen.probes}
    assert {"program=estimator", "program=sampler", "pending=true", "sort=ASC"} <= names
    assert chosen.cannot["list: backend"] == "the target refused a second backend"
    assert chosen.cannot["list: session_id"] == "the run's jobs have one session id only"
    assert "list: created_after" not in chosen.cannot


def test_a_listing_must_return_exactly_the_matching_jobs_of_the_run() -> None:
    model = fleet()
    probe = listing.Probe(
        "list: program", "program=sampler", {"tags": [WORLD], "program": "sampler"}
    )
    settled = dict.fromkeys(["j0", "j1", "j2"], "Completed")
    assert listing.problems(probe, [job("j0"), job("j1")], model, settled) == []
    missing = listing.problems(probe, [job("j0")], model, settled)
    assert missing == ["program=sampler: the run's job(s) j1 not listed"]
    extra = listing.problems(probe, [job("j0"), job("j1"), job("j2")], model, settled)
    assert extra == ["program=sampler: job(s) j2 listed that do not match"]
    foreign = listing.problems(probe, [job("j0"), job("j1"), job("zz")], model, settled)
    assert foreign == ["program=sampler: job(s) zz listed that do not match"]


def test_a_job_that_ended_while_it_was_listed_may_go_either_way() -> None:
    model = fleet()
    probe = listing.Probe("list: pending", "pending=true", {"tags": [WORLD], "pending": "true"})
    statuses = {"j0": "Queued", "j1": None, "j2": "Completed"}
    assert listing.problems(probe, [job("j0")], model, statuses) == []
    assert listing.problems(probe, [job("j0"), job("j1")], model, statuses) == []
    assert listing.problems(probe, [job("j1")], model, statuses) == [
        "pending=true: the run's job(s) j0 not listed"
    ]


@pytest.mark.parametrize(
    ("pages", "counts", "offset", "count"),
    [
        ([["j0", "j1"], ["j2"]], [3, 3], [], []),
        (
            [["j0", "j1"], ["j0", "j1"], ["j0", "j1"]],
            [3, 3, 3],
            ["job(s) j0, j1 on more than one page", "job(s) j2 on no page"],
            [],
        ),
        (
            [["j0", "j1"], ["j2"]],
            [2, 1],
            [],
            ["count 1 on a page, for 3 jobs", "count 2 on a page, for 3 jobs"],
        ),
        ([["j0", "j1"], ["j2"]], [None, None], [], []),  # count is optional
    ],
)
def test_pages_partition_the_runs_jobs(
    pages: list[list[str]], counts: list[int | None], offset: list[str], count: list[str]
) -> None:
    found = listing.paging_problems(pages, counts, {"j0", "j1", "j2"})
    assert found == {"list: offset": offset, "list: count": count}
