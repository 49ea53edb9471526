"""Write one CHANGELOG.md entry per API version, newest first, on top of the file.

An entry is the version-bump summary (`summary.render`). It sits between an
`<!-- api-version: DATE -->` marker and the next marker or section, so running the workflow
again for the same version replaces its entry instead of adding a second one. The
`changelog` command refuses an entry for a breaking change that kept its version, as the
guard does.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from tools.api_diff import summary
from tools.api_diff.changes import DiffResult

MARKER = "<!-- api-version: {version} -->"
MARKER_RE = re.compile(r"^<!-- api-version: (?P<version>[^ ]+) -->$", re.MULTILINE)
# Where the heading ends: the first section, or the marker above an API entry.
SECTION_RE = re.compile(r"^(## |<!-- api-version: )", re.MULTILINE)
HEADING = (
    "# Changelog\n\n"
    "API version bumps of the Qiskit Runtime Jobs spec and what they change for clients,\n"
    "newest first. Each entry is written by `make changelog` (`python -m tools.api_diff\n"
    "changelog`); re-running it for the same version replaces that entry.\n"
)


def entry(spec: DiffResult, code: DiffResult | None, *, on: date) -> str:
    """The markdown entry for one version bump: the report's summary, dated."""
    version = spec.new_version or "unversioned"
    title = f"## API {version}"
    if spec.old_version and spec.version_changed:
        title += f" (from {spec.old_version})"
    body = summary.render(spec, code, level=2).split("\n", 2)[2]  # its own title dropped
    lines = [MARKER.format(version=version), title, "", f"Regenerated on {on.isoformat()}: "]
    return "\n".join(lines) + body.rstrip() + "\n"


def update(path: Path, text: str) -> str:
    """Put `text` (an `entry`) first in the changelog at `path`, replacing its version's entry.

    First means right under the file's heading (its title and first paragraph), above any
    other section, hand-written ones included.
    """
    current = path.read_text(encoding="utf-8") if path.exists() else HEADING
    match = MARKER_RE.search(text)
    if match is None:
        raise ValueError("a changelog entry starts with its api-version marker")
    markers = list(MARKER_RE.finditer(current))
    for m in markers:
        if m["version"] == match["version"]:
            title_end = current.find("\n", m.end() + 1)
            after = SECTION_RE.search(current, title_end if title_end >= 0 else len(current))
            end = after.start() if after is not None else len(current)
            current = current[: m.start()].rstrip() + "\n\n" + current[end:].lstrip()
            break
    first = SECTION_RE.search(current)
    cut = first.start() if first is not None else len(current)
    head, rest = current[:cut].rstrip(), current[cut:].strip()
    updated = head + "\n\n" + text.rstrip() + "\n" + (f"\n{rest}\n" if rest else "")
    path.write_text(updated, encoding="utf-8")
    return updated
