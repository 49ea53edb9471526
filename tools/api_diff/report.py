"""Render a `DiffResult` as grouped markdown or as JSON."""

from __future__ import annotations

import json
from typing import Any

from tools.api_diff.changes import Change, DiffResult

MAX_USED_IN = 4


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _used_in(change: Change) -> str:
    shown = list(change.used_in[:MAX_USED_IN])
    more = len(change.used_in) - len(shown)
    return ", ".join(shown) + (f" (+{more} more)" if more > 0 else "")


def _mark(breaking: bool) -> str:
    return "**breaks**" if breaking else "ok"


def _verdicts(change: Change, wire: bool) -> str:
    if wire:
        return f"{_mark(change.breaking)} | {_mark(change.reverse_breaking)}"
    return "**yes**" if change.breaking else "no"


def ordered(result: DiffResult) -> list[tuple[str, list[Change]]]:
    """Changes by group, in report order; breaking first within a group."""
    names = list(result.groups) + sorted({c.group for c in result.changes} - set(result.groups))
    out = []
    for name in names:
        members = [c for c in result.changes if c.group == name]
        if members:
            members.sort(key=lambda c: (not c.breaking, c.location, c.kind))
            out.append((name, members))
    return out


def summary(result: DiffResult) -> str:
    """`2 breaking, 5 non-breaking` (or `no changes`); breaking is for old clients."""
    if not result.changes:
        return "no changes"
    breaking = len(result.breaking)
    text = f"{breaking} breaking, {len(result.changes) - breaking} non-breaking"
    if result.wire and result.reverse_breaking:
        text += f" ({len(result.reverse_breaking)} break new clients calling the old service)"
    return text


def title(result: DiffResult) -> str:
    if result.old_version or result.new_version:
        if result.version_changed:
            return f"{result.subject}: {result.old_version} → {result.new_version}"
        return f"{result.subject}: {result.new_version} (version unchanged)"
    return result.subject


def render_markdown(result: DiffResult, *, level: int = 2) -> str:
    """A markdown section: summary line, then one table per group.

    A spec result has two verdict columns: old clients calling the new service, and new
    clients calling the old one.
    """
    h = "#" * level
    lines = [
        f"{h} {title(result)}",
        "",
        f"Compared `{result.old_label}` → `{result.new_label}`"
        + (f" with {result.engine}." if result.engine else "."),
        "",
        f"**{summary(result)}**.",
    ]
    if result.notes:
        lines += ["", *result.notes]
    if result.wire:
        header = "| Old clients | New clients | Where | Change | Used in |"
        rule = "| --- | --- | --- | --- | --- |"
    else:
        header, rule = "| Breaking | Where | Change | Used in |", "| --- | --- | --- | --- |"
    for group, changes in ordered(result):
        lines += ["", f"{h}# {group}", "", header, rule]
        lines += [
            f"| {_verdicts(c, result.wire)} | `{_cell(c.location)}` | "
            f"{_cell(c.message)} | {_cell(_used_in(c))} |"
            for c in changes
        ]
    return "\n".join(lines) + "\n"


def to_json(result: DiffResult) -> dict[str, Any]:
    return {
        "subject": result.subject,
        "old": result.old_label,
        "new": result.new_label,
        "old_version": result.old_version,
        "new_version": result.new_version,
        "engine": result.engine,
        "breaking": len(result.breaking),
        "non_breaking": len(result.changes) - len(result.breaking),
        **({"reverse_breaking": len(result.reverse_breaking)} if result.wire else {}),
        "notes": result.notes,
        "changes": [c.to_json() for _, group in ordered(result) for c in group],
    }


def render_json(result: DiffResult) -> str:
    return json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"
