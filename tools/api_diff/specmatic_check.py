"""Specmatic's backward-compatibility verdict on two OpenAPI specs: a peer's to compare ours with.

Specmatic only compares specs in git (`backward-compatibility-check`: the spec files a branch
changed against a base branch), so each check builds a throwaway repository, OLD committed on
`main` as `openapi.yaml` and NEW committed over it on `next`, and runs the jar (see `command`)
from a sibling directory, where it writes its HTML report. The verdict is its summary line
(`Files checked: 1 (Passed: p, Failed: f)`), cross-checked with its exit status and its
`(INCOMPATIBLE)` line; the reasons are its "Incompatibility Report". A spec it cannot read
either fails to load (no summary) or is skipped as "No specs were changed" (exit 0): both
raise `SpecmaticFailed`, never a verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.compare_checkers.specmatic import JAR

SPEC_NAME = "openapi.yaml"
BASE_BRANCH = "main"
NEW_BRANCH = "next"
REASON_CHARS = 200
INSTALL_HINT = "run `npm ci --prefix tools/compare_checkers` (and put Java 17 and git on PATH)"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
_SUMMARY = re.compile(r"Files checked: (\d+) \(Passed: (\d+), Failed: (\d+)\)")
_NOTHING_CHANGED = "No specs were changed"
_REPORT_START = "The Incompatibility Report:"
_REPORT_END = re.compile(r"^\s*(?:-{5,}\s*$|Verdict for spec\b)")
_RULE = re.compile(r"^\s*(?:_{5,}|-{5,})\s*$")
_SCENARIO = re.compile(r'^\s*In scenario "(.*)"\s*$')
_API = re.compile(r"^\s*API: (.+?)\s*$")
_WHERE = re.compile(r"^\s*>> (\S+)")
# "(openapi.yaml:20:19)": a place in the temporary copy of whichever spec, not worth keeping
_PLACE = re.compile(r"\s*\(" + re.escape(SPEC_NAME) + r":\d+:\d+\)")


@dataclass(frozen=True)
class SpecmaticVerdict:
    """What Specmatic says of NEW as a successor of OLD."""

    compatible: bool  # Specmatic's overall verdict
    reasons: tuple[str, ...]  # each breaking reason Specmatic prints, one short line each
    output: str  # the full combined output, for debugging


class SpecmaticUnavailable(RuntimeError):
    """Java, git or the Specmatic jar is missing."""


class SpecmaticFailed(RuntimeError):
    """Specmatic ran but gave no verdict (a spec it cannot read, a timeout, odd output)."""


def available() -> bool:
    """Whether the jar is installed and java and git are on PATH."""
    return JAR.is_file() and shutil.which("java") is not None and shutil.which("git") is not None


def version() -> str:
    """The pinned Specmatic version, from its npm package."""
    package = json.loads((JAR.parent / "package.json").read_text(encoding="utf-8"))
    return str(package["version"])


def command(repo: Path) -> list[str]:
    """The Specmatic command line for the repository `check` builds."""
    return [
        "java",
        "-Dspecmatic.disable.telemetry=true",
        "-jar",
        str(JAR),
        "backward-compatibility-check",
        f"--base-branch={BASE_BRANCH}",
        f"--repo-dir={repo}",
        f"--target-path={SPEC_NAME}",
    ]


def check(old: Path, new: Path, *, timeout: float = 300) -> SpecmaticVerdict:
    """Specmatic's verdict on replacing the spec `old` with `new` (both files are read only)."""
    if not available():
        raise SpecmaticUnavailable(f"Specmatic is not available: {INSTALL_HINT}")
    old_bytes, new_bytes = old.read_bytes(), new.read_bytes()
    with tempfile.TemporaryDirectory(prefix="specmatic-check-") as tmp:
        repo, workdir = Path(tmp) / "repo", Path(tmp) / "run"
        repo.mkdir()
        workdir.mkdir()
        _build_repo(repo, old_bytes, new_bytes)
        exit_code, output = _run(command(repo), cwd=workdir, timeout=timeout)
    return parse(output, exit_code, identical=old_bytes == new_bytes)


def parse(output: str, exit_code: int, *, identical: bool = False) -> SpecmaticVerdict:
    """The verdict in Specmatic's combined output and exit status; `SpecmaticFailed` if none."""
    text = _ANSI.sub("", output)
    summary = _SUMMARY.search(text)
    if summary is None:
        raise SpecmaticFailed(f"Specmatic gave no verdict (exit {exit_code}): {_tail(text)}")
    checked, passed, failed = (int(n) for n in summary.groups())
    if checked == 0:
        if identical and exit_code == 0:
            return SpecmaticVerdict(True, (), output)
        raise SpecmaticFailed(
            "Specmatic checked no spec (it skips one it cannot read as OpenAPI): " + _tail(text)
        )
    compatible = failed == 0 and passed == checked
    says_incompatible = "(INCOMPATIBLE)" in text
    if compatible != (exit_code == 0) or compatible == says_incompatible:
        raise SpecmaticFailed(
            f"Specmatic's verdict is unclear (exit {exit_code}, {checked} checked, "
            f"{passed} passed, {failed} failed): {_tail(text)}"
        )
    return SpecmaticVerdict(compatible, () if compatible else reasons(text), output)


def reasons(text: str) -> tuple[str, ...]:
    """One line per message of Specmatic's incompatibility reports: `API: where: message`."""
    found: list[str] = []
    api = where = ""
    message: list[str] = []

    def flush() -> None:
        if message:
            parts = [api, where, _PLACE.sub("", " ".join(message))]
            found.append(_shorten(": ".join(p for p in parts if p)))
            message.clear()

    in_report = False
    for line in _ANSI.sub("", text).splitlines():
        if _REPORT_START in line:
            in_report, api, where = True, "", ""
            continue
        if not in_report:
            continue
        if _REPORT_END.match(line):
            flush()
            in_report = False
        elif _RULE.match(line) or not line.strip():
            flush()
        elif scenario := _SCENARIO.match(line):
            flush()
            api, where = scenario.group(1), ""
        elif api_line := _API.match(line):
            flush()
            api, where = api_line.group(1), ""
        elif where_line := _WHERE.match(line):
            flush()
            where = where_line.group(1)
        else:
            message.append(line.strip())
    flush()
    return tuple(dict.fromkeys(found))


def _build_repo(repo: Path, old: bytes, new: bytes) -> None:
    """OLD committed on `main`, NEW committed over it on `next` (checked out)."""
    _git(repo, "init", "--quiet", f"--initial-branch={BASE_BRANCH}")
    for key, value in (
        ("user.email", "specmatic-check@example.invalid"),
        ("user.name", "specmatic-check"),
        ("commit.gpgsign", "false"),
        ("core.autocrlf", "false"),
    ):
        _git(repo, "config", key, value)
    spec = repo / SPEC_NAME
    spec.write_bytes(old)
    _git(repo, "add", SPEC_NAME)
    _git(repo, "commit", "--quiet", "--no-verify", "-m", "old spec")
    _git(repo, "checkout", "--quiet", "-b", NEW_BRANCH)
    spec.write_bytes(new)
    _git(repo, "add", SPEC_NAME)
    _git(repo, "commit", "--quiet", "--no-verify", "--allow-empty", "-m", "new spec")


def _git(repo: Path, *args: str) -> None:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SpecmaticFailed(f"git {' '.join(args)} failed: {done.stderr.strip()}")


def _run(cmd: Sequence[str], *, cwd: Path, timeout: float) -> tuple[int, str]:
    """Exit status and combined output; the whole process group is ended at the timeout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPECMATIC_")}
    env["SPECMATIC_DISABLE_TELEMETRY"] = "true"
    with subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    ) as process:
        try:
            raw, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise SpecmaticFailed(f"Specmatic did not finish in {timeout:g} s") from None
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, raw.decode("utf-8", errors="replace")


def _shorten(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= REASON_CHARS else line[: REASON_CHARS - 1].rstrip() + "…"


def _tail(text: str, lines: int = 3) -> str:
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return _shorten(" | ".join(kept[-lines:])) if kept else "no output"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.api_diff.specmatic_check",
        description="Specmatic's backward-compatibility verdict on NEW replacing OLD, as JSON.",
    )
    parser.add_argument("old", type=Path, metavar="OLD", help="the old OpenAPI spec file")
    parser.add_argument("new", type=Path, metavar="NEW", help="the new OpenAPI spec file")
    parser.add_argument("--timeout", type=float, default=300, help="seconds (default 300)")
    args = parser.parse_args(argv)
    try:
        verdict = check(args.old, args.new, timeout=args.timeout)
    except SpecmaticUnavailable as error:
        print(error, file=sys.stderr)
        return 2
    except (SpecmaticFailed, OSError) as error:
        print(" ".join(str(error).split()), file=sys.stderr)
        return 1
    print(
        json.dumps({"compatible": verdict.compatible, "reasons": list(verdict.reasons)}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
