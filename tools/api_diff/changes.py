"""The normalised result shared by the spec diff and the code diff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Report sections, in the order they are printed.
SPEC_GROUPS = (
    "Operations",
    "Parameters",
    "Request bodies",
    "Response codes",
    "Schemas",
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

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "kind": self.kind,
            "location": self.location,
            "breaking": self.breaking,
            "message": self.message,
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

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

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
        worst = change if change.breaking and not seen.breaking else seen
        merged[key] = Change(
            group=seen.group,
            kind=seen.kind,
            location=seen.location,
            breaking=worst.breaking,
            message=worst.message,
            used_in=tuple(sorted({*seen.used_in, *change.used_in})),
        )
    return list(merged.values())
