"""The top of a version-bump report: what breaks, per operation, and what to do about it.

Two verdicts, stated apart. "What breaks your code" comes from the generated client (the
code report): what code written for the old client must change after `make generate`.
"What breaks on the wire" comes from the spec: what fails between a client and a service of
different versions, both ways. Each change is one line in the names a user sees, under the
operations it touches (a change seen by every operation is listed once, under "Every
operation"); the changelog entry is this summary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tools.api_diff.changes import Change, DiffResult
from tools.api_diff.report import title

EVERY_OPERATION = "Every operation"
NOT_AN_OPERATION = "Not tied to one operation"


def _heading(names: tuple[str, ...], every: frozenset[str], labels: dict[str, str]) -> str:
    if not names:
        return NOT_AN_OPERATION
    if every and set(names) >= every:
        return EVERY_OPERATION
    return ", ".join(f"`{n}` ({labels[n]})" if n in labels else f"`{n}`" for n in names)


def _line(change: Change, *, act: bool) -> str:
    text = change.message.rstrip(".")
    return f"- {text}" + (f" → {change.action}." if act and change.action else ".")


def _grouped(
    changes: Iterable[Change],
    operations_of: Callable[[Change], tuple[str, ...]],
    every: frozenset[str],
    labels: dict[str, str],
    *,
    act: bool = True,
) -> list[str]:
    """Lines under one heading per set of operations; the widest sets first."""
    groups: dict[tuple[str, ...], list[Change]] = {}
    for change in changes:
        groups.setdefault(operations_of(change), []).append(change)
    lines: list[str] = []
    for names in sorted(groups, key=lambda n: (-len(n), n)):
        lines += ["", f"**{_heading(names, every, labels)}**"]
        ordered = sorted(groups[names], key=lambda c: (c.group, c.location))
        lines += [_line(c, act=act) for c in ordered]
    return lines


def render(spec: DiffResult, code: DiffResult | None, *, level: int = 2) -> str:
    """The summary as markdown: a title, then the code and wire sections."""
    h = "#" * level
    labels = {name: label for label, name in spec.operations.items()}  # list_jobs → GET /jobs
    every = frozenset(spec.operations.values())

    def spec_ops(change: Change) -> tuple[str, ...]:
        return tuple(sorted({spec.operations.get(u, u) for u in change.used_in}))

    def code_ops(change: Change) -> tuple[str, ...]:
        return change.used_in

    lines = [f"{h} {title(spec).replace(spec.subject, 'API', 1)}", ""]
    counts = [
        f"{len(code.breaking)} change(s) break code written for the old client"
        if code is not None
        else "",
        f"{len(spec.breaking)} break old clients calling the new service",
        f"{len(spec.reverse_breaking)} break new clients calling the old service",
    ]
    safe = sum(1 for c in spec.changes if not (c.breaking or c.reverse_breaking))
    lines.append(
        "; ".join(c for c in counts if c)
        + f"; {safe} other spec change(s) break nothing. The full report (`make api-diff`) "
        "lists every change."
    )
    if code is not None:
        lines += ["", f"{h}# What breaks your code (after `make generate`)"]
        lines += _grouped(code.breaking, code_ops, every, labels) or ["", "Nothing."]
    lines += ["", f"{h}# What breaks on the wire"]
    lines.append(
        "**Old clients → new service** (clients built from the old spec keep running while "
        "the service moves):"
    )
    lines += _grouped(spec.breaking, spec_ops, every, labels) or ["", "Nothing."]
    lines += [
        "",
        "**New clients → old service** (if you regenerate before the service moves; each of "
        "these fails until it does, so upgrade the service first or keep the old client):",
    ]
    reverse = _grouped(spec.reverse_breaking, spec_ops, every, labels, act=False)
    lines += reverse or ["", "Nothing."]
    return "\n".join(lines) + "\n"
