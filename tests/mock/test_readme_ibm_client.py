"""The README's "Pointing IBM's client at it" snippet runs as written, in a fresh interpreter.

It is run as a user would paste it (its own process: it sets `IAM_URL` for IBM's client), so
the README cannot drift from what works: IBM's REST layer sending an executor v2.0 program as
its `Executor` does, and IBM's decoder and ours reading the same result.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("qiskit_ibm_runtime")

pytestmark = pytest.mark.loopback

README = Path(__file__).resolve().parents[2] / "README.md"
MARKER = "<!-- README snippet: tests/mock/test_readme_ibm_client.py runs it -->"


def snippet() -> str:
    """The python block right after the marker."""
    text = README.read_text(encoding="utf-8")
    after = text.split(MARKER, 1)[1]
    match = re.match(r"\s*```python\n(.*?)\n```", after, re.DOTALL)
    assert match, "the marker must be followed by a ```python block"
    return match.group(1)


def test_the_readme_snippet_runs_and_both_decoders_agree(tmp_path: Path) -> None:
    script = tmp_path / "snippet.py"
    script.write_text(snippet(), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "(16, 4)"
