"""What a contract run covers (`runner.plan_run`), the fuzzer's command and config, and how the
reports are written (`summary.write_atomically`). Pure: no server, no fuzzer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qiskit_runtime_jobs_kit.contract import runner
from qiskit_runtime_jobs_kit.contract.context import Credentials
from qiskit_runtime_jobs_kit.contract.runner import Plan, RunOptions, Target, plan_run
from qiskit_runtime_jobs_kit.contract.summary import write_atomically
from qiskit_runtime_jobs_kit.spec import spec_operations

EVERY = spec_operations()
GETS = {op: name for op, name in EVERY.items() if name.startswith("GET ")}
CHANGING = {op: name for op, name in EVERY.items() if not name.startswith("GET ")}

SECRET = "s3cr3t-token"
KEYS = Credentials(crn="crn:v1:test", token=SECRET)
EMBEDDED = Target(name="embedded mock", url="http://127.0.0.1:1/api/v1", credentials=KEYS)
URL_READ_ONLY = Target("url", "http://x/api/v1", KEYS, kind="url", allow_create=False)
URL_CREATING = Target("url", "http://x/api/v1", KEYS, kind="url", allow_create=True)
LIVE_READ_ONLY = Target("live", "https://x/api/v1", KEYS, kind="live", allow_create=False)


def notes_about(plan: Plan, words: str) -> list[str]:
    return [note for note in plan.notes if words in note]


def test_the_spec_has_the_nine_operations_the_plans_assume() -> None:
    assert len(EVERY) == 9
    reads = {"list_jobs", "get_job", "get_job_logs", "get_job_metrics", "get_job_results"}
    assert set(GETS) == reads
    assert set(CHANGING) == {"create_job", "delete_job", "cancel_job", "replace_job_tags"}


def test_embedded_fuzzes_everything() -> None:
    plan = plan_run(EMBEDDED, RunOptions())
    assert plan.operations == EVERY
    assert plan.skipped == {}
    assert plan.phases == runner.PHASES
    assert "stateful" in plan.phases
    assert plan.negative_creates_only is False
    assert plan.lifecycle is True
    assert plan.notes == []


def test_url_read_only_fuzzes_only_reads() -> None:
    plan = plan_run(URL_READ_ONLY, RunOptions())
    assert plan.operations == GETS
    assert set(plan.skipped) == set(CHANGING.values())
    for reason in plan.skipped.values():
        assert "--allow-create" in reason
    assert plan.notes[0].startswith("READ-ONLY RUN")
    assert "4 of 9" in plan.notes[0]
    assert "--max-jobs" not in plan.notes[0]  # a budget note is for --live
    assert plan.lifecycle is False
    assert plan.negative_creates_only is False
    # Its links start at create_job, which is not tested.
    assert "stateful" not in plan.phases
    assert notes_about(plan, "create_job")


def test_live_read_only_mentions_the_job_budget() -> None:
    plan = plan_run(LIVE_READ_ONLY, RunOptions())
    assert plan.operations == GETS
    assert plan.notes[0].startswith("READ-ONLY RUN")
    assert "--max-jobs" in plan.notes[0]


def test_url_with_allow_create() -> None:
    options = RunOptions()
    plan = plan_run(URL_CREATING, options)
    assert plan.operations == EVERY
    assert plan.skipped == {}
    assert plan.negative_creates_only is True
    assert notes_about(plan, "invalid input only")
    assert "stateful" not in plan.phases
    assert [p for p in runner.PHASES if p != "stateful"] == plan.phases
    assert notes_about(plan, "stateful phase skipped")
    assert plan.lifecycle is True
    assert not notes_about(plan, "READ-ONLY")
    assert "stateful" in options.phases  # the plan worked on a copy


def test_url_with_allow_create_and_no_lifecycle() -> None:
    plan = plan_run(URL_CREATING, RunOptions(lifecycle=False))
    assert plan.lifecycle is False
    assert notes_about(plan, "lifecycle phase skipped (--no-lifecycle)")


def test_create_only_fuzzes_create_with_invalid_input_on_real_services() -> None:
    text = runner.target_config(plan_run(URL_CREATING, RunOptions()), KEYS.crn)
    assert 'include-operation-id = "create_job"' in text
    assert 'generation.mode = "negative"' in text
    embedded = runner.target_config(plan_run(EMBEDDED, RunOptions()), KEYS.crn)
    assert 'generation.mode = "negative"' not in embedded


@pytest.mark.parametrize("crn", ["crn:v1:bluemix:public:x:us-east:a/b:c::", 'odd "quoted" \\ crn'])
def test_the_run_config_pins_the_instance_without_the_environment(crn: str) -> None:
    """The fuzzer gets the CRN in its config, not from an environment variable."""
    import tomllib

    text = runner.target_config(plan_run(EMBEDDED, RunOptions()), crn)
    assert "${" not in text
    assert tomllib.loads(text)["headers"] == {"Service-CRN": crn}


@pytest.mark.parametrize("target", [EMBEDDED, URL_CREATING, URL_READ_ONLY])
def test_one_selected_operation(target: Target) -> None:
    plan = plan_run(target, RunOptions(operation_ids=["get_job"]))
    assert plan.operations == {"get_job": "GET /jobs/{id}"}
    assert set(plan.skipped) == set(EVERY.values()) - {"GET /jobs/{id}"}
    for reason in plan.skipped.values():
        assert reason == "not selected (--operation-id)"
    assert "stateful" not in plan.phases
    (note,) = notes_about(plan, "stateful phase skipped")
    assert "create_job" in note
    assert plan.lifecycle is False
    assert plan.negative_creates_only is False


def test_a_selected_changing_operation_on_a_read_only_target_is_skipped_for_that() -> None:
    plan = plan_run(URL_READ_ONLY, RunOptions(operation_ids=["get_job", "delete_job"]))
    assert plan.operations == {"get_job": "GET /jobs/{id}"}
    assert "--allow-create" in plan.skipped["DELETE /jobs/{id}"]
    assert plan.skipped["GET /jobs"] == "not selected (--operation-id)"


@pytest.mark.parametrize("target", [EMBEDDED, URL_READ_ONLY, URL_CREATING])
def test_no_phases_skips_fuzzing(target: Target) -> None:
    plan = plan_run(target, RunOptions(phases=[]))
    assert plan.phases == []
    assert notes_about(plan, "fuzzing skipped")


def test_schemathesis_command_follows_the_plan(tmp_path: Path) -> None:
    options = RunOptions(max_examples=3, workers=2)
    plan = plan_run(URL_READ_ONLY, options)
    spec = tmp_path / "openapi.yaml"
    cmd = runner.schemathesis_command(
        URL_READ_ONLY, options, plan, tmp_path / "c.toml", tmp_path, spec=spec
    )
    assert cmd[cmd.index("run") + 1] == str(spec)
    assert cmd[cmd.index("--url") + 1] == URL_READ_ONLY.url
    assert cmd[cmd.index("--phases") + 1] == ",".join(plan.phases)
    assert cmd[cmd.index("--max-examples") + 1] == "3"
    included = [cmd[i + 1] for i, arg in enumerate(cmd) if arg == "--include-operation-id"]
    assert included == list(GETS)
    assert str(tmp_path / "schemathesis.junit.xml") in cmd
    assert SECRET not in " ".join(cmd)


def test_a_target_repr_hides_its_credentials() -> None:
    assert SECRET not in repr(URL_READ_ONLY)
    assert SECRET not in repr(KEYS)
    assert URL_READ_ONLY.url in repr(URL_READ_ONLY)


# ---------------------------------------------------------------- writing reports


def test_write_atomically_creates_a_file(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    write_atomically(path, "RESULT: PASS\n")
    assert path.read_text(encoding="utf-8") == "RESULT: PASS\n"
    assert sorted(os.listdir(tmp_path)) == ["summary.md"]


def test_write_atomically_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_text("old verdict\nRESULT: PASS\n", encoding="utf-8")
    with open(path, encoding="utf-8") as reader:
        write_atomically(path, "RESULT: FAIL\n")
        # A reader that opened the old file still sees it whole: the new one was renamed in,
        # not written over it.
        assert reader.read() == "old verdict\nRESULT: PASS\n"
    assert path.read_text(encoding="utf-8") == "RESULT: FAIL\n"
    assert sorted(os.listdir(tmp_path)) == ["summary.md"]  # no temp file left behind
