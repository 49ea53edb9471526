"""The lifecycle phase reads a completed job of every result variant the embedded mock produces
(noise-learner v3 included) and holds each body to its own variant's schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qiskit_runtime_jobs_kit.contract import embedded_mock, run
from qiskit_runtime_jobs_kit.contract.lifecycle import ResultCheck, result_schemas
from qiskit_runtime_jobs_kit.contract.runner import EMBEDDED_RESULT_VARIANTS
from qiskit_runtime_jobs_kit.contract.summary import Summary
from qiskit_runtime_jobs_kit.spec import load_spec
from qiskit_runtime_jobs_mock._results import RESULT_FORMATS
from tests.contract.broken import RESULTS_PATH, App, Scope, _rewriting
from tests.contract.runs import lifecycle_only

pytestmark = pytest.mark.contract
NOISE_LEARNER = {v.name for v in EMBEDDED_RESULT_VARIANTS if v.program_id == "noise-learner"}
# A valid executor v0.1 body: the spec's own example of a results answer.
EXECUTOR_EXAMPLE = load_spec()["paths"]["/jobs/{id}/results"]["get"]["responses"]["200"]["content"][
    "application/json"
]["examples"]["reference"]["value"]


def _noise_learner_results(change: Callable[[Any], Any]) -> Callable[[App], App]:
    """The mock with every noise-learner results body passed through `change`."""

    def rewrite(scope: Scope, status: int, _h: Any, body: bytes) -> tuple[int, bytes] | None:
        if scope["method"] != "GET" or not RESULTS_PATH.match(scope["path"]) or status != 200:
            return None
        result = json.loads(body)
        items = result.get("data") if isinstance(result, dict) else None
        if not items or "generators_sparse" not in items[0]:
            return None
        return 200, json.dumps(change(result)).encode()

    return _rewriting(rewrite)


def _without_rates_std(result: Any) -> Any:
    for item in result["data"]:
        del item["rates_std"]
    return result


def _lifecycle_run(tmp_path: Path, wrap: Callable[[App], App] | None = None) -> Summary:
    """No fuzzing: the lifecycle phase alone, against the embedded mock."""
    said: list[str] = []
    options = lifecycle_only(tmp_path, said.append)
    with embedded_mock(wrap=wrap) as target:
        summary = run(target, options)
    assert summary.lifecycle is not None, "\n".join(said)
    return summary


def _rows(summary: Summary) -> dict[str, ResultCheck]:
    assert summary.lifecycle is not None
    return {check.variant.name: check for check in summary.lifecycle.results}


def test_the_embedded_variants_cover_the_spec_and_the_mock() -> None:
    """One variant per `JobResults` branch, as many as the mock has result formats."""
    schemas = [variant.schema for variant in EMBEDDED_RESULT_VARIANTS]
    assert sorted(schemas) == sorted(result_schemas())
    assert len(EMBEDDED_RESULT_VARIANTS) == len(RESULT_FORMATS)
    assert {variant.name for variant in EMBEDDED_RESULT_VARIANTS} >= NOISE_LEARNER


def test_every_variant_is_read_and_valid(tmp_path: Path) -> None:
    """Each variant's completed job answers 200 with a body of its schema; the reports say so."""
    summary = _lifecycle_run(tmp_path)
    rows = _rows(summary)
    assert list(rows) == [variant.name for variant in EMBEDDED_RESULT_VARIANTS]
    for variant in EMBEDDED_RESULT_VARIANTS:
        row = rows[variant.name]
        assert (row.variant, row.read.answered, row.read.problems) == (variant, 200, ())
    assert summary.ok
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| noise-learner v0.1 | `NoiseLearnerV3V01ResultsModel` | passed |" in markdown
    assert "| noise-learner v0.2 | `NoiseLearnerV3V02ResultsModel` | passed |" in markdown
    reported = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    variants = {row["variant"]: row for row in reported["lifecycle"]["result_variants"]}
    assert {name: variants[name]["ok"] for name in NOISE_LEARNER} == dict.fromkeys(
        NOISE_LEARNER, True
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # Valid `JobResults`, so schemathesis passes it: only the variant check catches it.
        (lambda _: EXECUTOR_EXAMPLE, "it matches ExecutorV01QuantumProgramResultModel"),
        # Breaks the spec: schemathesis' schema check and the variant check both fail it.
        (_without_rates_std, "'rates_std' is a required property"),
    ],
    ids=["answered-as-executor", "rates_std-missing"],
)
def test_a_wrong_noise_learner_body_fails_the_run(
    change: Callable[[Any], Any], expected: str, tmp_path: Path
) -> None:
    """The noise-learner rows fail (the others pass), and so does the run."""
    summary = _lifecycle_run(tmp_path, _noise_learner_results(change))
    rows = _rows(summary)
    assert not summary.ok
    for name, row in rows.items():
        assert row.ok is (name not in NOISE_LEARNER), row
    for name in NOISE_LEARNER:
        assert any(expected in problem for problem in rows[name].read.problems), rows[name]
    markdown = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "| noise-learner v0.1 | `NoiseLearnerV3V01ResultsModel` | **FAILED**" in markdown
    assert "RESULT: FAIL" in markdown
