"""Caught or missed: a variant's run against the correct mock's runs of the same checker.

- `exit_status` (ours): caught when the run exits 1 and every baseline run exits 0. Our
  contract run is meant to pass the correct mock, so its exit status is the verdict.
- `new_failures` (plain schemathesis, Specmatic): caught when the run reports a failure whose
  key (what was tested and how it failed) no baseline run reported. Both report failures on
  the correct mock too, so a failure alone proves nothing.

A run that could not be judged (timed out, crashed, no report), or whose baseline could not,
is an error: neither caught nor missed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.compare_checkers.model import BaselineRule, CheckerRun, Failure

CAUGHT, MISSED, ERROR = "caught", "missed", "error"


@dataclass(frozen=True)
class Verdict:
    """The outcome for one checker on one variant, and why (the first distinguishing failure)."""

    outcome: str
    why: str = ""
    distinguishing: tuple[Failure, ...] = ()


def judge(rule: BaselineRule, run: CheckerRun, baselines: list[CheckerRun]) -> Verdict:
    """The verdict for `run` under `rule`, given the same checker's baseline runs."""
    if run.error:
        return Verdict(ERROR, run.error)
    broken = [b for b in baselines if b.error]
    if not baselines or broken:
        return Verdict(ERROR, f"baseline: {broken[0].error}" if broken else "no baseline run")
    if rule == "exit_status":
        if any(b.exit_code != 0 for b in baselines):
            return Verdict(ERROR, "fails the correct mock too")
        if run.exit_code == 1:
            why = _label(run.failures[0]) if run.failures else "exit 1"
            return Verdict(CAUGHT, why, run.failures)
        return Verdict(MISSED)
    known = {f.key for b in baselines for f in b.failures}
    new = tuple(f for f in run.failures if f.key not in known)
    return Verdict(CAUGHT, new[0].detail, new) if new else Verdict(MISSED)


def _label(failure: Failure) -> str:
    """`Operations: GET /jobs/{id}` + reason -> `GET /jobs/{id}: reason` (the section goes)."""
    where = failure.key.split(": ", 1)[-1]
    return f"{where}: {failure.detail}"
