"""The closed world: the run's tag makes the run's jobs a set the kit knows completely.

On an account full of other people's jobs, `GET /jobs?tags=<run tag>` must return exactly the
run's jobs; with another filter added, exactly those of them that match it; paged, pages that
follow one another with no job twice and none left out. The run's jobs are made to differ
(a second tag on some, a second program, backend and session where the target takes them)
so that each filter picks a real part of them. A filter the run's jobs cannot tell apart (one
program only) is not exercised, and the report says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .model import RunModel
from .rules import ListQuery

PAGE = 2  # the paging probe's `limit`: small, so the run's few jobs fill several pages


@dataclass(frozen=True)
class Probe:
    """One listing the closed world predicts exactly: the behaviour it shows, its params."""

    behaviour: str
    name: str
    params: Mapping[str, Any]

    @property
    def query(self) -> ListQuery:
        return ListQuery.from_params(self.params)


@dataclass
class Plan:
    """The probes to send, and each behaviour that cannot be shown, with the reason."""

    probes: list[Probe] = field(default_factory=list)
    cannot: dict[str, str] = field(default_factory=dict)


def jobs_of(page: Any) -> list[dict[str, Any]]:
    """The job objects of a `GET /jobs` answer (nothing, for an answer that has none)."""
    jobs = page.get("jobs") if isinstance(page, dict) else None
    return [job for job in jobs if isinstance(job, dict)] if isinstance(jobs, list) else []


def _stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _between(times: Sequence[datetime]) -> datetime | None:
    """A moment strictly between the run's jobs' creation times, splitting them in two."""
    distinct = sorted(set(times))
    if len(distinct) < 2:
        return None
    low, high = distinct[len(distinct) // 2 - 1], distinct[len(distinct) // 2]
    return low + (high - low) / 2


def plan(model: RunModel, world_tag: str, group_tag: str, refused: Mapping[str, str]) -> Plan:
    """The probes that show each filter on the run's jobs as they stand.

    `world_tag`: the tag every job of the closed world carries (and no other job);
    `group_tag`: a second tag some of them carry; `refused`: filters whose second value the
    target would not take on create, with why.
    """
    live = [job for job in model.jobs() if not job.deleted and world_tag in job.tags]
    out = Plan()
    own = {"tags": [world_tag]}
    out.probes.append(Probe("list: tags", "tags=<the fleet's tag>", own))
    if any(group_tag in job.tags for job in live):
        out.probes.append(Probe("list: tags", "tags=<a second tag of some>", {"tags": [group_tag]}))
    for flag in ("true", "false"):
        out.probes.append(Probe("list: pending", f"pending={flag}", {**own, "pending": flag}))
    values: dict[str, set[Any]] = {
        "program": {job.program for job in live},
        "backend": {job.backend for job in live},
        "session_id": {job.sent.get("session_id") for job in live},
    }
    for name, seen in values.items():
        behaviour = f"list: {name}"
        known = sorted(v for v in seen if isinstance(v, str))
        if len(seen) < 2 or not known:
            why = refused.get(name) or f"the run's jobs have one {name.replace('_', ' ')} only"
            out.cannot[behaviour] = why
            continue
        for value in known:
            out.probes.append(Probe(behaviour, f"{name}={value}", {**own, name: value}))
    middle = _between([job.created for job in live if job.created is not None])
    for name in ("created_after", "created_before"):
        if middle is None:
            out.cannot[f"list: {name}"] = "the run's jobs were all created at the same instant"
        else:
            out.probes.append(
                Probe(f"list: {name}", f"{name}=<between two jobs>", {**own, name: _stamp(middle)})
            )
    out.probes.append(Probe("list: sort", "sort=ASC", {**own, "sort": "ASC"}))
    out.probes.append(Probe("list: sort", "sort=DESC", {**own, "sort": "DESC"}))
    params = {**own, "exclude_params": "false"}
    out.probes.append(Probe("list: exclude_params", "exclude_params=false", params))
    return out


def problems(
    probe: Probe,
    listed: Sequence[Mapping[str, Any]],
    model: RunModel,
    statuses: Mapping[str, str | None],
) -> list[str]:
    """Where one listing differs from what the closed world predicts."""
    must, maybe = model.expected(probe.query, statuses)
    ids = [str(job.get("id")) for job in listed]
    found = []
    missing = sorted(must - set(ids))
    if missing:
        found.append(f"{probe.name}: the run's job(s) {', '.join(missing)} not listed")
    extra = sorted(set(ids) - must - maybe)
    if extra:
        found.append(f"{probe.name}: job(s) {', '.join(extra)} listed that do not match")
    if probe.behaviour == "list: exclude_params" and probe.query.exclude_params is False:
        found += _params_shown(listed, model, probe.name)
    return found


def _params_shown(listed: Sequence[Mapping[str, Any]], model: RunModel, name: str) -> list[str]:
    """exclude_params=false: the run's jobs show the params they were sent with (a private
    job none)."""
    found = []
    for job in listed:
        record = model.job(str(job.get("id")))
        if record is None or record.private:
            continue
        if job.get("params") != record.sent.get("params"):
            found.append(f"{name}: job {record.id} does not show the params it was created with")
    return found


def paging_problems(
    pages: Sequence[Sequence[str]], counts: Sequence[int | None], expected: set[str]
) -> dict[str, list[str]]:
    """Pages of `limit` PAGE, `offset` 0, PAGE, 2 PAGE...: they partition the run's jobs, and
    each page's `count` covers them all."""
    seen: list[str] = [job for page in pages for job in page]
    repeated = sorted({job for job in seen if seen.count(job) > 1})
    left_out = sorted(expected - set(seen))
    offset = []
    if repeated:
        offset.append(f"job(s) {', '.join(repeated)} on more than one page")
    if left_out:
        offset.append(f"job(s) {', '.join(left_out)} on no page")
    count = [
        f"count {value} on a page, for {len(expected)} jobs"
        for value in counts
        if value is not None and value < len(expected)
    ]
    return {"list: offset": offset, "list: count": sorted(set(count))}
