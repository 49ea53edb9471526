"""Compare two OpenAPI specs for clients: what breaks on the wire, in each direction.

Why our own differ. oasdiff, the reference checker, ships only as a Go binary (on neither
PyPI, npm nor Debian here); optic 1.0.9 crashes at start-up with today's dependencies;
Atlassian's openapi-diff rejects OpenAPI 3.1; api-smart-diff, used before, judged a schema
by where it is declared rather than where it is used (a response behind `$ref` was judged as
a request), read a `description` beside a `$ref` as a schema change, and did not know
security schemes. So the comparison is done here, by use site: `operations` walks each
operation (authentication, parameters, request body, responses), `schemas` compares the
schemas it uses on their side, and `rules` holds the verdicts as small pure functions. This
module loads the specs and turns the findings into report rows, one per change, listing the
operations that see it; `breaking` is for old clients calling the new service,
`reverse_breaking` for new clients calling the old one. What breaks code that uses the
generated client is `code_diff`'s job: it reads the generated code itself.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tools.api_diff.changes import Change, DiffResult, merge
from tools.api_diff.operations import SpecComparison, operations
from tools.api_diff.schemas import Finding, is_doc_key

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = Path("openapi/qiskit-runtime-jobs.yaml")
REVISION_KEY = "x-spec-revision"
ENGINE = "use-site comparison (tools/api_diff)"


class SpecDiffError(RuntimeError):
    """The specs could not be loaded or compared."""


# ---------------------------------------------------------------------------------------------
# Loading


def load_spec(source: str, *, repo: Path = REPO_ROOT) -> dict[str, Any]:
    """Load a spec from a file path, or from git with `git:REF` or `git:REF:PATH`."""
    if source.startswith("git:"):
        ref, _, path = source[len("git:") :].partition(":")
        text = _git_show(ref or "HEAD", path or SPEC_PATH.as_posix(), repo=repo)
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecDiffError(f"cannot read spec {source}: {exc}") from exc
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or "openapi" not in data:
        raise SpecDiffError(f"{source} is not an OpenAPI document")
    # As JSON sees it: `200:` keys become "200", dates become strings.
    normalised: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return normalised


def _git_show(ref: str, path: str, *, repo: Path) -> str:
    proc = subprocess.run(
        ["git", "show", f"{ref}:{path}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SpecDiffError(f"cannot read {path} at git ref {ref!r}: {proc.stderr.strip()}")
    return proc.stdout


def spec_version(spec: dict[str, Any]) -> str | None:
    """The API version date, `info.version`."""
    info = spec.get("info")
    version = info.get("version") if isinstance(info, dict) else None
    return None if version is None else str(version)


def version_label(spec: dict[str, Any]) -> str | None:
    """`info.version`, plus `+rN` when `info.x-spec-revision` is set.

    The date is IBM's API version and only IBM moves it. `x-spec-revision` counts corrections
    of the curated spec within one API version, so a breaking correction can be made visible
    (and pass the guard) without inventing an API version.
    """
    version = spec_version(spec)
    info = spec.get("info")
    revision = info.get(REVISION_KEY) if isinstance(info, dict) else None
    if version is None or revision is None:
        return version
    return f"{version}+r{revision}"


# ---------------------------------------------------------------------------------------------
# Findings to report rows

_GROUPS = (
    ("operation-", "Operations"),
    ("authentication-", "Authentication"),
    ("security-scheme-", "Authentication"),
    ("parameter-", "Parameters"),
    ("request-body-", "Request bodies"),
    ("response-code-", "Responses"),
    ("variants-", "Variants"),
    ("property-became-", "Required properties"),
    ("property-", "Schema properties"),
    ("enum-", "Enum values"),
    ("type-", "Types"),
    ("format-", "Types"),
    ("default-", "Defaults"),
)


def group_of(finding: Finding) -> str:
    """The report section of a finding."""
    if finding.kind == "media-type-changed":
        return "Request bodies" if "request body" in finding.location else "Responses"
    for prefix, group in _GROUPS:
        if finding.kind.startswith(prefix):
            return group
    return "Constraints"


def _change(finding: Finding, used_in: tuple[str, ...]) -> Change:
    return Change(
        group_of(finding),
        finding.kind,
        finding.location,
        finding.verdicts.forward,
        finding.message,
        used_in,
        reverse_breaking=finding.verdicts.reverse,
        action=finding.fix,
    )


def documentation_differences(old: Any, new: Any, *, in_properties: bool = False) -> int:
    """How many descriptions, titles, examples and `x-` notes differ (not compared otherwise)."""
    if isinstance(old, dict) and isinstance(new, dict):
        count = 0
        for key in old.keys() | new.keys():
            if not in_properties and is_doc_key(key) and key != "x-open-enum":
                count += old.get(key) != new.get(key)
            elif key in old and key in new:
                count += documentation_differences(
                    old[key], new[key], in_properties=key == "properties" and not in_properties
                )
        return count
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return sum(documentation_differences(a, b) for a, b in zip(old, new, strict=True))
    return 0


# ---------------------------------------------------------------------------------------------
# Entry point


def diff_specs(
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> DiffResult:
    """Compare two loaded specs and classify every change for clients."""
    walk = SpecComparison(before, after)
    changes = [_change(s.finding, (s.operation,)) for s in walk.sightings()]
    changes += [_change(f, ()) for f in walk.renamed_schemes()]
    notes = []
    docs_only = documentation_differences(before, after)
    if docs_only:
        notes.append(
            f"{docs_only} documentation-only difference(s) (descriptions, titles, examples, "
            "`x-` notes) not listed."
        )
    named = {op.label: op.name for spec in (before, after) for op in operations(spec).values()}
    return DiffResult(
        subject="OpenAPI spec",
        old_label=old_label,
        new_label=new_label,
        changes=merge(changes),
        old_version=version_label(before),
        new_version=version_label(after),
        engine=ENGINE,
        notes=notes,
        operations=named,
    )


def diff_sources(old: str, new: str, *, repo: Path = REPO_ROOT) -> DiffResult:
    """Compare two spec sources (paths or `git:REF[:PATH]`)."""
    return diff_specs(
        load_spec(old, repo=repo), load_spec(new, repo=repo), old_label=old, new_label=new
    )
