"""Write one CHANGELOG.md entry per API version, newest first.

Each entry sits between an `<!-- api-version: DATE -->` marker and the next marker, so running
the workflow again for the same version replaces its entry instead of adding a second one.
Text above the first marker (the file's heading) is kept as it is.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from tools.api_diff.changes import DiffResult
from tools.api_diff.report import ordered, summary

MARKER = "<!-- api-version: {version} -->"
MARKER_RE = re.compile(r"^<!-- api-version: (?P<version>[^ ]+) -->$", re.MULTILINE)
HEADING = (
    "# Changelog\n\n"
    "API version bumps of the Qiskit Runtime Jobs spec and what they change for clients,\n"
    "newest first. Each entry is written by `make changelog` (`python -m tools.api_diff\n"
    "changelog`); re-running it for the same version replaces that entry.\n"
)


def _section(result: DiffResult) -> list[str]:
    lines = [f"**{result.subject}** ({summary(result)}):", ""]
    for breaking, label in ((True, "Breaking"), (False, "Non-breaking")):
        picked = [c for _, group in ordered(result) for c in group if c.breaking is breaking]
        if picked:
            lines += [f"{label}:", ""]
            lines += [f"- [{c.group}] {c.message}" for c in picked]
            lines.append("")
    if not result.changes:
        lines += ["- No changes.", ""]
    return lines


def entry(spec: DiffResult, code: DiffResult | None, *, on: date) -> str:
    """The markdown entry for one version bump."""
    version = spec.new_version or "unversioned"
    title = f"## API {version}"
    if spec.old_version and spec.version_changed:
        title += f" (from {spec.old_version})"
    lines = [MARKER.format(version=version), title, "", f"Regenerated on {on.isoformat()}.", ""]
    lines += _section(spec)
    if code is not None:
        lines += _section(code)
    return "\n".join(lines).rstrip() + "\n"


def update(path: Path, text: str) -> str:
    """Put `text` (an `entry`) first in the changelog at `path`, replacing its version's entry."""
    current = path.read_text(encoding="utf-8") if path.exists() else HEADING
    match = MARKER_RE.search(text)
    if match is None:
        raise ValueError("a changelog entry starts with its api-version marker")
    version = match["version"]
    markers = list(MARKER_RE.finditer(current))
    head = current[: markers[0].start()] if markers else current
    entries = []
    for i, m in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(current)
        if m["version"] != version:
            entries.append(current[m.start() : end].rstrip() + "\n")
    body = "\n".join([text.rstrip() + "\n", *entries])
    updated = head.rstrip() + "\n\n" + body
    path.write_text(updated, encoding="utf-8")
    return updated
