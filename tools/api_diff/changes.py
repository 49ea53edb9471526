"""The normalised result shared by the spec diff and the code diff."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

# Report sections, in the order they are printed.
SPEC_GROUPS = (
    "Operations",
    "Authentication",
    "Parameters",
    "Request bodies",
    "Responses",
    "Variants",
    "Schema properties",
    "Required properties",
    "Enum values",
    "Types",
    "Constraints",
    "Defaults",
    "Other",
)
CODE_GROUPS = (
    "Modules",
    "Models",
    "Fields",
    "Enum members",
    "Functions",
    "Parameters",
    "Return types",
    "Other",
)


@dataclass(frozen=True)
class Change:
    """One difference between two versions, classified for clients."""

    group: str
    kind: str
    location: str
    breaking: bool
    message: str
    used_in: tuple[str, ...] = ()
    # Spec changes only: `breaking` is for old clients calling the new service, this is for
    # new clients calling the old service (users who upgrade the client first).
    reverse_breaking: bool = False
    action: str = ""  # what a user does about it, when it breaks

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "kind": self.kind,
            "location": self.location,
            "breaking": self.breaking,
            "reverse_breaking": self.reverse_breaking,
            "message": self.message,
            "action": self.action,
            "used_in": list(self.used_in),
        }


@dataclass
class DiffResult:
    """Everything a report needs: labels, versions and the classified changes."""

    subject: str
    old_label: str
    new_label: str
    changes: list[Change]
    old_version: str | None = None
    new_version: str | None = None
    engine: str = ""
    notes: list[str] = field(default_factory=list)
    groups: tuple[str, ...] = SPEC_GROUPS
    wire: bool = True  # a spec result: two wire verdicts per change (else a code result)
    # Spec results: each operation (`GET /jobs`) and its generated function (`list_jobs`).
    operations: dict[str, str] = field(default_factory=dict)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def reverse_breaking(self) -> list[Change]:
        return [c for c in self.changes if c.reverse_breaking]

    @property
    def version_changed(self) -> bool:
        return self.old_version != self.new_version


def merge(changes: list[Change]) -> list[Change]:
    """Fold changes that differ only in where they are used into one, breaking if any is."""
    merged: dict[tuple[str, str, str], Change] = {}
    for change in changes:
        key = (change.group, change.kind, change.location)
        seen = merged.get(key)
        if seen is None:
            merged[key] = change
            continue
        worst = (
            change
            if (change.breaking, change.reverse_breaking)
            > (
                seen.breaking,
                seen.reverse_breaking,
            )
            else seen
        )
        merged[key] = replace(
            worst,
            breaking=seen.breaking or change.breaking,
            reverse_breaking=seen.reverse_breaking or change.reverse_breaking,
            used_in=tuple(sorted({*seen.used_in, *change.used_in})),
        )
    return list(merged.values())
