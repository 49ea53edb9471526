"""`python -m benchmarks --quick` runs and writes a complete report (no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = {"overhead", "decode", "listing", "wait", "mock_load", "big_body"}

pytest.importorskip("qiskit_runtime_jobs_mock")


def _ratios(node: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every value under a key that names a ratio (`*_vs_*`, `ratio_to_*`), anywhere."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}"
            if ("_vs_" in key or key.startswith("ratio_to_")) and not isinstance(value, dict):
                found.append((where, value))
            elif key.startswith("ratio_to_"):
                found.extend((f"{where}.{k}", v) for k, v in value.items())
            else:
                found.extend(_ratios(value, where))
    return found


def test_quick_run_reports_every_section_with_positive_ratios(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=240,
    )
    report = json.loads((tmp_path / "bench.json").read_text())
    assert set(report["sections"]) == SECTIONS
    assert (tmp_path / "bench.md").read_text().startswith("# Benchmarks")
    ratios = [(where, value) for where, value in _ratios(report) if value is not None]
    assert len(ratios) > 20
    bad = [(w, v) for w, v in ratios if not isinstance(v, int | float) or not v > 0]
    assert bad == []
    sections = {row["section"] for row in report["rows"]}
    assert sections == {"per-call overhead", "decode", "listing", "wait", "mock load", "big body"}
