"""CI guard: the spec is valid, names one API version, and breaks nothing without a bump.

Compares the spec at a git ref (the base) with the working copy. Fails (exit 1) when
- the working-copy spec is not valid OpenAPI,
- `info.version` is not a `YYYY-MM-DD` date, or the `IBM-API-Version` header's default
  disagrees with it (the version lives in one place; the header restates it),
- the version went backwards, or
- the spec changed in a way that breaks clients while neither `info.version` (a new API
  version from IBM) nor `info.x-spec-revision` (a correction of the curated spec within the
  same API version) changed.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.exceptions import OpenAPISpecValidatorError
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tools.api_diff.changes import DiffResult
from tools.api_diff.spec_diff import (
    REPO_ROOT,
    REVISION_KEY,
    SPEC_PATH,
    diff_specs,
    load_spec,
    spec_version,
)

VERSION_HEADER = "IBM-API-Version"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEFAULT_BASES = ("origin/main", "HEAD~1")


@dataclass
class GuardResult:
    """What the guard found; `ok` when `problems` is empty."""

    base: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    diff: DiffResult | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def default_base(repo: Path = REPO_ROOT) -> str:
    """`origin/main` when it differs from HEAD (a branch or unpushed work), else `HEAD~1`
    (a fresh clone of main: check the last commit), else `HEAD` (a single commit)."""
    head = _commit("HEAD", repo)
    for ref in DEFAULT_BASES:
        commit = _commit(ref, repo)
        if commit is not None and commit != head:
            return ref
    return "HEAD"


def _commit(ref: str, repo: Path) -> str | None:
    proc = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def version_problems(spec: dict[str, Any]) -> list[str]:
    """`info.version` must be a date, and the version header's default must repeat it."""
    version = spec_version(spec)
    if version is None or not DATE.match(version):
        return [f"info.version must be the API version date (YYYY-MM-DD), not {version!r}."]
    problems = []
    for name, param in spec.get("components", {}).get("parameters", {}).items():
        if not isinstance(param, dict) or param.get("name") != VERSION_HEADER:
            continue
        default = param.get("schema", {}).get("default")
        if default is not None and str(default) != version:
            problems.append(
                f"components.parameters.{name} ({VERSION_HEADER}) defaults to {default!r} but "
                f"info.version is {version!r}; set both to the new API version date."
            )
    return problems


def validity_problems(spec: dict[str, Any]) -> list[str]:
    try:
        validate(spec)
    except OpenAPIValidationError as exc:
        return [f"the spec is not valid OpenAPI: {exc.message}"]
    except OpenAPISpecValidatorError as exc:
        return [f"the spec is not valid OpenAPI: {exc}"]
    return []


def unbumped_breaking(diff: DiffResult, base: str) -> str | None:
    """Why a spec diff may not land (or enter the changelog): it breaks old clients while
    neither version field moved. None when it may."""
    if not diff.breaking or diff.version_changed:
        return None
    listed = "\n".join(f"  - [{c.group}] {c.message}" for c in diff.breaking)
    return (
        f"{len(diff.breaking)} breaking change(s) to the spec since {base}, but its "
        f"version is still {diff.new_version}:\n{listed}\n"
        "A change that breaks clients must be visible as a new version:\n"
        f"  - IBM shipped a new API version: set info.version and the {VERSION_HEADER} "
        "default to its date, and remove info.x-spec-revision;\n"
        "  - the curated spec was wrong for this API version: add 1 to "
        f"info.{REVISION_KEY} (start at 1);\n"
        "then run `make generate` and `make changelog`."
    )


def check(
    *, base: str | None = None, spec_path: Path = SPEC_PATH, repo: Path = REPO_ROOT
) -> GuardResult:
    """Run every guard on the working-copy spec against the spec at `base`."""
    base = base or default_base(repo)
    result = GuardResult(base=base)
    new = load_spec(str(repo / spec_path), repo=repo)
    result.problems += validity_problems(new)
    result.problems += version_problems(new)
    try:
        old = load_spec(f"git:{base}:{spec_path.as_posix()}", repo=repo)
    except RuntimeError as exc:
        result.notes.append(f"no spec to compare at {base} ({exc}); only the spec was checked.")
        return result
    diff = diff_specs(old, new, old_label=f"git:{base}", new_label=spec_path.as_posix())
    result.diff = diff
    old_version, new_version = spec_version(old) or "", spec_version(new) or ""
    if DATE.match(old_version) and DATE.match(new_version) and new_version < old_version:
        result.problems.append(
            f"info.version went backwards: {old_version} at {base}, {new_version} now."
        )
    problem = unbumped_breaking(diff, base)
    if problem is not None:
        result.problems.append(problem)
    return result


def render(result: GuardResult) -> str:
    lines = []
    if result.diff is not None:
        d = result.diff
        lines.append(
            f"api-guard: spec {d.old_version} at {result.base} → {d.new_version} in the working "
            f"copy: {len(d.breaking)} breaking, {len(d.changes) - len(d.breaking)} non-breaking."
        )
    lines += [f"api-guard: note: {n}" for n in result.notes]
    if result.ok:
        lines.append("api-guard: OK")
    else:
        lines += [f"api-guard: FAIL: {p}" for p in result.problems]
    return "\n".join(lines)
