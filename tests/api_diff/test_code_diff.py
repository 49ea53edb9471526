"""The code diff reports what a regenerated client changes for the code that uses it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.api_diff.conftest import commit
from tools.api_diff.code_diff import CodeDiffError, diff_packages, diff_sources

Client = Callable[[str], Path]
OPERATION_FUNCTIONS = ("asyncio", "asyncio_detailed", "sync", "sync_detailed")

# new fixture -> every change expected against `base`, as (group, kind, location, breaking)
CASES: dict[str, set[tuple[str, str, str, bool]]] = {
    "removed_field": {("Fields", "field-removed", "models.JobResponse.backend", True)},
    "added_optional_field": {("Fields", "field-added", "models.JobResponse.usage_seconds", False)},
    "new_required_request_field": {("Fields", "field-added", "models.JobCreate.instance", True)},
    "changed_type": {("Fields", "field-type-changed", "models.JobResponse.created", True)},
    "narrowed_enum": {("Enum members", "enum-member-removed", "models.JobStatus.CANCELLED", True)},
    "widened_enum": {("Enum members", "enum-member-added", "models.JobStatus.PAUSED", False)},
    "new_required_param": {
        ("Parameters", "parameter-added-required", "api.jobs.list_jobs(instance)", True)
    },
    "new_optional_param": {("Parameters", "parameter-added", "api.jobs.list_jobs(backend)", False)},
    "changed_default": {("Parameters", "parameter-default-changed", "limit: 10 → 20", False)},
    "renamed_model": {
        ("Models", "model-renamed", "models.JobList", True),
        ("Return types", "return-type-changed", "api.jobs.list_jobs", True),
    },
    "new_operation": {
        ("Modules", "module-added", "api.default", False),
        ("Functions", "function-added", "api.default.get_job_metrics", False),
        ("Models", "model-added", "models.GetJobMetricsResponse200", False),
    },
    "removed_operation": {("Functions", "function-removed", "api.jobs.delete_job", True)},
}


@pytest.mark.slow
@pytest.mark.parametrize(("new", "expected"), CASES.items(), ids=list(CASES))
def test_generated_client_change_is_classified(
    client: Client, new: str, expected: set[tuple[str, str, str, bool]]
) -> None:
    """Regenerating from each fixture spec yields exactly the expected API changes."""
    result = diff_packages(client("base"), client(new))
    got = {(c.group, c.kind, c.location, c.breaking) for c in result.changes}
    assert got == expected


@pytest.mark.slow
def test_operation_variants_fold_into_one_row_under_its_operation(client: Client) -> None:
    """sync/sync_detailed/asyncio/asyncio_detailed changes are one row, under `list_jobs`."""
    result = diff_packages(client("base"), client("new_required_param"))
    (change,) = result.changes
    assert change.used_in == ("list_jobs",)
    assert change.action == "update calls of `api.jobs.list_jobs(instance)`"


@pytest.mark.slow
def test_removed_operation_names_the_functions_it_had(client: Client) -> None:
    """A removed operation is one row naming the functions it had (no body: no `sync`)."""
    result = diff_packages(client("base"), client("removed_operation"))
    (change,) = result.changes
    assert change.used_in == ("delete_job",)
    assert change.message.endswith("(in asyncio_detailed, sync_detailed).")


@pytest.mark.slow
def test_a_model_change_lists_the_operations_that_reach_it(client: Client) -> None:
    """`JobResponse` is reached from the three operations that answer one (via JobList too)."""
    result = diff_packages(client("base"), client("removed_field"))
    (change,) = result.changes
    assert change.used_in == ("create_job", "get_job", "list_jobs")
    assert change.action == "stop reading or setting `models.JobResponse.backend`"


@pytest.mark.slow
def test_identical_clients_have_no_changes(client: Client) -> None:
    """The same spec generated twice has no API changes."""
    assert diff_packages(client("base"), client("base")).changes == []


def test_git_source_compares_a_committed_package(repo: Path) -> None:
    """`git:REF:PATH` extracts the committed package; a removed function is breaking."""
    commit(
        repo,
        {"pkg/__init__.py": "", "pkg/api.py": "def keep() -> int: ...\ndef go() -> int: ...\n"},
    )
    (repo / "pkg" / "api.py").write_text("def keep() -> int: ...\n")
    result = diff_sources("git:HEAD:pkg", str(repo / "pkg"), repo=repo)
    assert [(c.kind, c.location, c.breaking) for c in result.changes] == [
        ("function-removed", "api.go", True)
    ]


def test_folder_without_a_package_is_a_clear_error(tmp_path: Path) -> None:
    """A folder holding no package is refused with a message naming it."""
    with pytest.raises(CodeDiffError, match="expected one Python package"):
        diff_packages(tmp_path, tmp_path)


def test_a_removed_model_and_its_inline_parts_are_one_row(tmp_path: Path) -> None:
    """openapi-python-client names an inline part after its parent: they go as one."""
    for version, models in (("old", ["Input", "InputParams", "Other"]), ("new", ["Other"])):
        package = tmp_path / version / "pkg"
        (package / "models").mkdir(parents=True)
        (package / "api").mkdir()
        for init in (package, package / "models", package / "api"):
            (init / "__init__.py").write_text("")
        for name in models:
            (package / "models" / f"{name.lower()}.py").write_text(f"class {name}:\n    x: int\n")
    result = diff_packages(tmp_path / "old" / "pkg", tmp_path / "new" / "pkg")
    (change,) = result.changes
    assert change.location == "models.Input"
    assert change.message == "Model models.Input removed, with its 1 nested class(es) InputParams."
