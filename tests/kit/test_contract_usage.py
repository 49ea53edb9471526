"""Bad usage of `qiskit-runtime-jobs contract` is one clear line and exit 2, before any request;
a target that answers garbage gets a verdict; no traceback reaches the user.

The command runs in-process (`cli.main`): the mistakes are caught before any server or
fuzzer starts, so none is needed, except for the garbage target, served on loopback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qiskit_runtime_jobs_kit.contract import cli, runner
from qiskit_runtime_jobs_mock import DEFAULT_CRN, DEFAULT_TOKEN, MockConfig, MockServer, serve

CREDENTIALS = {"QISKIT_RUNTIME_TOKEN": DEFAULT_TOKEN, "QISKIT_RUNTIME_CRN": DEFAULT_CRN}
URL = "http://127.0.0.1:9/api/v1"  # nothing listens: any request would fail loudly


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("QISKIT_RUNTIME_API_KEY", "QISKIT_RUNTIME_IAM_URL", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def no_run(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fails the test if the command gets as far as running the suite."""
    started: list[Any] = []

    def refuse(*args: Any) -> None:
        started.append(args)
        raise AssertionError("the run started")

    monkeypatch.setattr(cli, "run", refuse)
    return started


def usage_error(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """The command's one-line complaint (exit 2, nothing on stdout, no traceback)."""
    status = cli.main(args)
    out, err = capsys.readouterr()
    assert status == 2, (out, err)
    assert out == ""
    assert "Traceback" not in err
    first, see = err.rstrip("\n").split("\n")
    assert see == "(see qiskit-runtime-jobs contract --help)"
    assert first.startswith("qiskit-runtime-jobs contract: ")
    return first.removeprefix("qiskit-runtime-jobs contract: ")


def _file(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("make_args", "says"),
    [
        (lambda t: ["--job-body", str(t / "missing.json")], "no such file"),
        (lambda t: ["--job-body", str(t)], "is a folder, not a JSON file"),
        (lambda t: ["--job-body", _file(t, "x.json", b"{not json")], "is not JSON"),
        (lambda t: ["--job-body", _file(t, "x.bin", b"\xff\xfe\x00\x81")], "not UTF-8"),
        (lambda t: ["--job-body", _file(t, "x.json", b"[1, 2]")], "must hold a JSON object"),
        (
            lambda t: ["--job-body", _file(t, "x.json", b'{"program_id": 5}')],
            "not a valid create request: ",
        ),
        (lambda t: ["--creates-per-minute", "0"], "--creates-per-minute must be at least 1"),
        (lambda t: ["--max-jobs", "-1"], "--max-jobs must be at least 0"),
        (lambda t: ["--job-timeout", "0"], "--job-timeout must be greater than 0"),
        (lambda t: ["--job-timeout", "nan"], "--job-timeout must be a finite number"),
        (lambda t: ["--job-timeout", "inf"], "--job-timeout must be a finite number"),
        (lambda t: ["--workers", "0"], "--workers must be at least 1"),
        (lambda t: ["--max-examples", "0"], "--max-examples must be at least 1"),
        (lambda t: ["--phases", "examples,fuzz"], "--phases: unknown fuzz"),
        (lambda t: ["--operation-id", "nope"], "--operation-id: unknown nope"),
        (lambda t: ["--report-dir", _file(t, "file", b"")], "is a file, not a folder"),
        (lambda t: ["--url", ""], "--url must be an http(s) URL"),
        (lambda t: ["--url", "127.0.0.1:8080/api/v1"], "--url must be an http(s) URL"),
        (lambda t: ["--url", "ftp://x/api/v1"], "--url must be an http(s) URL"),
        (lambda t: ["--url", URL, "--live"], "not allowed with argument"),
        (lambda t: ["--frobnicate"], "unrecognized arguments: --frobnicate"),
        (lambda t: ["--max-jobs", "three"], "invalid int value"),
    ],
)
def test_a_mistake_is_one_line_and_exit_2(
    make_args: Any,
    says: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    no_run: list[Any],
) -> None:
    args = [*make_args(tmp_path), "--state-dir", str(tmp_path / "state")]
    if "--report-dir" not in args:
        args += ["--report-dir", str(tmp_path / "reports")]
    message = usage_error(args, capsys)
    assert says in message
    assert no_run == []


def test_the_job_body_error_names_the_field_and_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_run: list[Any]
) -> None:
    body = _file(tmp_path, "x.json", json.dumps({"program_id": 5}).encode())
    message = usage_error(["--job-body", body, "--report-dir", str(tmp_path)], capsys)
    assert "program_id" in message
    assert "string" in message


@pytest.mark.parametrize("missing", ["QISKIT_RUNTIME_CRN", "QISKIT_RUNTIME_TOKEN"])
def test_missing_credentials_are_bad_usage(
    missing: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_run: list[Any],
) -> None:
    monkeypatch.delenv(missing)
    args = ["--url", URL, "--report-dir", str(tmp_path), "--state-dir", str(tmp_path)]
    message = usage_error(args, capsys)
    assert "QISKIT_RUNTIME_CRN" in message
    assert "QISKIT_RUNTIME_TOKEN" in message
    assert DEFAULT_TOKEN not in message


def test_a_failure_of_the_kit_itself_is_one_line_unless_debugging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: Any) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(cli, "run", broken)
    args = ["--url", URL, "--report-dir", str(tmp_path), "--state-dir", str(tmp_path)]
    assert cli.main(args) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "the kit failed: KeyError: 'boom'" in err
    with pytest.raises(KeyError):
        cli.main([*args, "--debug"])


class AnswersHTML:
    """ASGI middleware: every request answered 200 with an HTML page."""

    def __call__(self, app: Any) -> Any:
        async def html(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            headers = [(b"content-type", b"text/html; charset=utf-8")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": b"<html><body>hi</body></html>"})

        return html


@pytest.fixture
def garbage() -> Iterator[MockServer]:
    with serve(MockConfig(), wrap=AnswersHTML()) as server:
        yield server


@pytest.mark.loopback
def test_a_target_answering_html_gets_a_verdict_not_a_traceback(
    garbage: MockServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report_dir = tmp_path / "reports"
    args = [
        "--url",
        garbage.base_url,
        "--allow-create",
        "--report-dir",
        str(report_dir),
        "--state-dir",
        str(tmp_path / "state"),
        "--quiet",
    ]
    assert cli.main(args) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "not answering as the Jobs API" in out
    assert "text/html" in out
    assert "\nRESULT: FAIL\n" in out
    assert json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))["ok"] is False


def test_the_step_summary_gets_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On GitHub Actions the report also goes to the job summary ($GITHUB_STEP_SUMMARY)."""
    step_summary = tmp_path / "step-summary.md"
    step_summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    seen: list[runner.RunOptions] = []

    def fake_run(target: runner.Target, options: runner.RunOptions) -> Any:
        from qiskit_runtime_jobs_kit.contract.summary import Summary

        seen.append(options)
        return Summary(target=target.url, checks=[], operations=[], preflight="refused")

    monkeypatch.setattr(cli, "run", fake_run)
    args = ["--url", URL, "--report-dir", str(tmp_path), "--state-dir", str(tmp_path)]
    assert cli.main(args) == 1
    capsys.readouterr()
    text = step_summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n# Contract run: FAIL")
    assert seen[0].state_dir == tmp_path
