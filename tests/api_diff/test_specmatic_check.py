"""Specmatic's backward-compatibility verdict, on two tiny specs (runs its jar: seconds each)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.api_diff.specmatic_check import available, check

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not available(),
        reason="Specmatic is not installed (npm ci --prefix tools/compare_checkers; "
        "needs java and git on PATH)",
    ),
]

OLD = """\
openapi: 3.0.3
info:
  title: Tiny
  version: "1"
paths:
  /pets:
    get:
      summary: list
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id:
                    type: integer
                  name:
                    type: string
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_removed_required_response_property_is_incompatible(tmp_path: Path) -> None:
    new = OLD.replace("required: [id, name]", "required: [id]").replace(
        "                  name:\n                    type: string\n", ""
    )
    assert new != OLD
    verdict = check(write(tmp_path, "old.yaml", OLD), write(tmp_path, "new.yaml", new))
    assert not verdict.compatible, verdict.output
    assert verdict.reasons, verdict.output
    assert any("RESPONSE.BODY.name" in reason for reason in verdict.reasons), verdict.reasons
    assert all(len(reason) <= 200 and "\n" not in reason for reason in verdict.reasons)


def test_description_change_is_compatible(tmp_path: Path) -> None:
    new = OLD.replace("description: ok", "description: all the pets")
    assert new != OLD
    verdict = check(write(tmp_path, "old.yaml", OLD), write(tmp_path, "new.yaml", new))
    assert verdict.compatible, verdict.output
    assert verdict.reasons == ()
