"""The summary: code and wire apart, per operation, one line per change with what to do."""

from __future__ import annotations

from tools.api_diff import summary
from tools.api_diff.changes import CODE_GROUPS, Change, DiffResult

OPERATIONS = {"GET /jobs": "list_jobs", "GET /jobs/{id}": "get_job"}


def spec(*changes: Change) -> DiffResult:
    return DiffResult(
        "OpenAPI spec", "a", "b", list(changes), "2026-03-15", "2027-01-15", operations=OPERATIONS
    )


def code(*changes: Change) -> DiffResult:
    return DiffResult("Generated client", "a", "b", list(changes), groups=CODE_GROUPS, wire=False)


AUTH = Change(
    "Authentication",
    "authentication-removed",
    "authentication: API key",
    True,
    "Authenticating with API key is no longer accepted.",
    ("GET /jobs", "GET /jobs/{id}"),
    action="authenticate with HTTP bearer credentials",
)
STATUS = Change(
    "Enum values",
    "enum-value-added",
    "JobStatus = x",
    False,
    "Value x added to JobStatus.",
    ("GET /jobs",),
    reverse_breaking=True,
)
FIELD = Change(
    "Fields",
    "field-removed",
    "models.Job.backend",
    True,
    "Field models.Job.backend removed.",
    ("get_job",),
    action="stop reading or setting `models.Job.backend`",
)


def test_a_change_every_operation_sees_is_one_line_under_every_operation() -> None:
    text = summary.render(spec(AUTH), code())
    assert (
        "**Every operation**\n- Authenticating with API key is no longer accepted → "
        "authenticate with HTTP bearer credentials." in text
    )
    assert text.count("Authenticating with API key") == 1


def test_code_changes_are_grouped_under_the_function_and_its_url() -> None:
    text = summary.render(spec(), code(FIELD))
    code_part = text[text.index("What breaks your code") : text.index("What breaks on the wire")]
    assert "**`get_job` (GET /jobs/{id})**\n- Field models.Job.backend removed → stop" in code_part


def test_reverse_breaks_are_listed_apart_without_the_old_clients_fix() -> None:
    text = summary.render(spec(STATUS), None)
    old_clients, new_clients = text.split("**New clients → old service**")
    assert "Value x added" not in old_clients
    assert "**`list_jobs` (GET /jobs)**\n- Value x added to JobStatus." in new_clients
    assert "What breaks your code" not in text  # no code report given


def test_nothing_breaking_says_nothing() -> None:
    text = summary.render(spec(), code())
    assert text.count("Nothing.") == 3
    assert text.startswith("## API: 2026-03-15 → 2027-01-15\n")
