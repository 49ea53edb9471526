"""Command line: `python -m tools.api_diff {spec,code,report,guard,changelog} ...`.

A source is a path, or `git:REF[:PATH]` for a file or folder as committed at REF (PATH
defaults to the spec for `spec`, and to the generated package for `code`).

    python -m tools.api_diff spec git:HEAD openapi/qiskit-runtime-jobs.yaml
    python -m tools.api_diff code git:HEAD generated/qiskit_runtime_jobs_generated
    python -m tools.api_diff report --base HEAD --out-dir reports/api-diff
    python -m tools.api_diff guard --base origin/main
    python -m tools.api_diff changelog --base HEAD
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from tools.api_diff import changelog, code_diff, guard, report, spec_diff, summary
from tools.api_diff.changes import DiffResult

EXIT_BREAKING = 1
EXIT_ERROR = 2


def _emit(result: DiffResult, fmt: str, output: Path | None) -> None:
    text = report.render_json(result) if fmt == "json" else report.render_markdown(result)
    if output is None:
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")


def _both(args: argparse.Namespace) -> tuple[DiffResult, DiffResult]:
    base = args.base
    spec = spec_diff.diff_sources(f"git:{base}:{args.spec.as_posix()}", str(args.spec))
    code = code_diff.diff_sources(f"git:{base}:{args.generated.as_posix()}", str(args.generated))
    return spec, code


def _cmd_spec(args: argparse.Namespace) -> int:
    result = spec_diff.diff_sources(args.old, args.new)
    _emit(result, args.format, args.output)
    return EXIT_BREAKING if args.fail_on_breaking and result.breaking else 0


def _cmd_code(args: argparse.Namespace) -> int:
    result = code_diff.diff_sources(args.old, args.new)
    _emit(result, args.format, args.output)
    return EXIT_BREAKING if args.fail_on_breaking and result.breaking else 0


def _cmd_report(args: argparse.Namespace) -> int:
    spec, code = _both(args)
    top = summary.render(spec, code)
    if args.out_dir is not None:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        (args.out_dir / "summary.md").write_text(top, encoding="utf-8")
        for name, result in (("spec", spec), ("code", code)):
            _emit(result, "markdown", args.out_dir / f"{name}-report.md")
            _emit(result, "json", args.out_dir / f"{name}-report.json")
    full = report.render_markdown(spec, level=3) + "\n" + report.render_markdown(code, level=3)
    sys.stdout.write(top + "\n## Full report\n\n" + full)
    return 0


def _cmd_guard(args: argparse.Namespace) -> int:
    result = guard.check(base=args.base, spec_path=args.spec)
    print(guard.render(result), file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else EXIT_BREAKING


def _cmd_changelog(args: argparse.Namespace) -> int:
    spec, code = _both(args)
    refused = guard.unbumped_breaking(spec, args.base)
    if refused is not None:
        print(f"api-diff: no changelog entry written: {refused}", file=sys.stderr)
        return EXIT_BREAKING
    on = date.fromisoformat(args.date) if args.date else date.today()
    text = changelog.entry(spec, code, on=on)
    changelog.update(args.file, text)
    sys.stdout.write(text)
    print(f"api-diff: wrote the {spec.new_version} entry to {args.file}", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tools.api_diff",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("markdown", "json"), default="markdown")
        p.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
        p.add_argument("--fail-on-breaking", action="store_true", help="exit 1 if anything breaks")

    def workflow_options(p: argparse.ArgumentParser, base_default: str | None) -> None:
        p.add_argument("--base", default=base_default, help="git ref of the old version")
        p.add_argument("--spec", type=Path, default=spec_diff.SPEC_PATH)
        p.add_argument("--generated", type=Path, default=code_diff.GENERATED_PACKAGE)

    p = sub.add_parser("spec", help="compare two OpenAPI specs")
    p.add_argument("old", help="spec file or git:REF[:PATH]")
    p.add_argument("new", help="spec file or git:REF[:PATH]")
    output_options(p)
    p.set_defaults(run=_cmd_spec)

    p = sub.add_parser("code", help="compare the public API of two generated packages")
    p.add_argument("old", help="package folder or git:REF[:PATH]")
    p.add_argument("new", help="package folder or git:REF[:PATH]")
    output_options(p)
    p.set_defaults(run=_cmd_code)

    p = sub.add_parser("report", help="spec + generated-code reports: base ref vs working copy")
    workflow_options(p, "HEAD")
    p.add_argument("--out-dir", type=Path, help="also write {spec,code}-report.{md,json} here")
    p.set_defaults(run=_cmd_report)

    p = sub.add_parser("guard", help="fail on a breaking spec change without a version bump")
    p.add_argument(
        "--base", default=None, help="git ref (default: origin/main if not HEAD, else HEAD~1)"
    )
    p.add_argument("--spec", type=Path, default=spec_diff.SPEC_PATH)
    p.set_defaults(run=_cmd_guard)

    p = sub.add_parser("changelog", help="prepend this version's entry to CHANGELOG.md")
    workflow_options(p, "HEAD")
    p.add_argument("--file", type=Path, default=Path("CHANGELOG.md"))
    p.add_argument("--date", help="entry date, YYYY-MM-DD (default: today)")
    p.set_defaults(run=_cmd_changelog)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except (spec_diff.SpecDiffError, code_diff.CodeDiffError) as exc:
        print(f"api-diff: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return code


if __name__ == "__main__":
    raise SystemExit(main())
