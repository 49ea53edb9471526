"""What the target returns beyond the spec is listed as drift: a warning, or a failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qiskit_runtime_jobs_kit.contract import embedded_mock, run
from tests.contract.broken import STATE_VARIANTS
from tests.contract.runs import lifecycle_only

pytestmark = pytest.mark.contract


@pytest.mark.parametrize("fail_on_drift", [False, True])
def test_drift_is_reported(fail_on_drift: bool, tmp_path: Path) -> None:
    """A new job field and a new status value are listed in summary.md and summary.json."""
    options = lifecycle_only(tmp_path, lambda _: None, fail_on_drift=fail_on_drift)
    with embedded_mock(wrap=STATE_VARIANTS["drifted"]()) as target:
        summary = run(target, options)
    found = {(d["kind"], d["where"], d["value"]) for d in summary.drift}
    assert ("field", "/", "queue_position") in found, found
    assert ("enum", "/status", "Paused") in found, found
    # A new value of an open enum is drift, not a schema failure; only the flag makes it fail.
    assert summary.ok is not fail_on_drift
    assert not summary.failures
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "## Drift" in markdown
    assert "`queue_position`" in markdown
    assert "`Paused`" in markdown
    assert ("RESULT: FAIL" in markdown) is fail_on_drift
    report = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert {d["value"] for d in report["drift"]} >= {"queue_position", "Paused"}


def test_the_correct_mock_shows_no_drift(tmp_path: Path) -> None:
    options = lifecycle_only(tmp_path, lambda _: None)
    with embedded_mock() as target:
        summary = run(target, options)
    assert summary.drift == []
