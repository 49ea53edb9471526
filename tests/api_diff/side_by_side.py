"""Our verdict and Specmatic's on each real-world bump case, side by side (`make api-diff-compare`).

Specmatic's `backward-compatibility-check` answers one question, the one our `breaking` column
answers: do clients built from the old spec still work against the new service? Each case of
`bump_cases` is written out, judged by both, and tabulated with the rows behind our verdict and
Specmatic's reasons. Specmatic already finds the unchanged spec incompatible with itself (it
cannot read the `RemoteStorage` discriminator), so, as in the checker comparison, only reasons
its baseline run (the spec against itself) did not give count. Where the two disagree,
docs/api-diff-comparison.md says why.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.api_diff.bump_cases import CASES, Case
from tools.api_diff import specmatic_check
from tools.api_diff.spec_diff import diff_specs

REASONS_SHOWN = 3


def _touch_description(spec: dict[str, Any]) -> None:
    spec["info"]["description"] += "\n"


# Not byte-identical (Specmatic skips a file that did not change), equal in every other way.
UNCHANGED = Case("unchanged", "Only info.description changed.", old=_touch_description)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _verdict(breaks: bool) -> str:
    return "**breaking**" if breaks else "compatible"


def row(case: Case, folder: Path, baseline: frozenset[str]) -> tuple[str, bool]:
    """One table row, and whether the two verdicts agree."""
    old, new = case.specs()
    ours = diff_specs(old, new)
    old_path, new_path = case.write(folder / case.name)
    found = [r for r in specmatic_check.check(old_path, new_path).reasons if r not in baseline]
    forward = bool(ours.breaking)
    why = "; ".join(c.message for c in ours.breaking) or "—"
    reasons = found[:REASONS_SHOWN]
    if len(found) > REASONS_SHOWN:
        reasons.append(f"(+{len(found) - REASONS_SHOWN} more)")
    agree = forward == bool(found)
    cells = [
        f"`{case.name}`",
        case.what,
        _verdict(forward),
        _verdict(bool(ours.reverse_breaking)),
        why,
        _verdict(bool(found)),
        "; ".join(reasons) or "—",
        "yes" if agree else "**no**",
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |", agree


def table() -> str:
    lines = [
        "| case | change | ours: old clients → new service | ours: new clients → old "
        "service | our breaking rows | Specmatic | Specmatic's reasons | agree |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    agreed = 0
    with tempfile.TemporaryDirectory(prefix="api-diff-compare-") as tmp:
        old, new = UNCHANGED.write(Path(tmp) / UNCHANGED.name)
        baseline = frozenset(specmatic_check.check(old, new).reasons)
        for case in CASES:
            line, agree = row(case, Path(tmp), baseline)
            lines.append(line)
            agreed += agree
    version = specmatic_check.version()
    lines += [
        "",
        f"Agreement on {agreed} of {len(CASES)} cases (Specmatic {version}; "
        f"{len(baseline)} reasons of its baseline run, the unchanged spec against itself, "
        "left out).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.api_diff.side_by_side")
    parser.add_argument("--out", type=Path, help="replace the generated table in this file")
    args = parser.parse_args(argv)
    text = table()
    if args.out is None:
        print(text, end="")
        return 0
    begin, end = "<!-- side-by-side: begin -->", "<!-- side-by-side: end -->"
    current = args.out.read_text(encoding="utf-8")
    head, _, rest = current.partition(begin)
    _, _, tail = rest.partition(end)
    args.out.write_text(f"{head}{begin}\n{text}{end}{tail}", encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
