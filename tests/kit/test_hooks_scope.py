"""The kit's hooks are global to schemathesis, but act only on our spec's cases.

A pytest session that uses `load_schema()` and also tests another API must keep that API's
requests as they are: no IBM token, no run tag, no budget, no checks of ours.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from qiskit_runtime_jobs_kit.contract import hooks
from qiskit_runtime_jobs_kit.contract.context import Credentials, RunContext
from qiskit_runtime_jobs_kit.contract.session import Session
from qiskit_runtime_jobs_kit.spec import load_spec

OTHER_API: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Someone else's API", "version": "1"},
    "paths": {
        "/jobs": {
            "post": {
                "operationId": "create_job",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "responses": {"200": {"description": "OK"}},
            }
        }
    },
}


def test_cases_of_another_api_are_not_ours() -> None:
    theirs = schemathesis.openapi.from_dict(OTHER_API)
    mine = schemathesis.openapi.from_dict(load_spec())
    assert not hooks.ours(theirs.find_operation_by_id("create_job"))
    assert hooks.ours(mine.find_operation_by_id("create_job"))


def test_the_hooks_leave_another_apis_cases_alone() -> None:
    """Even with a budget spent and no session bound, another API's create goes as it is."""
    theirs = schemathesis.openapi.from_dict(OTHER_API)
    case = theirs.find_operation_by_id("create_job").Case(
        body={"tags": []}, media_type="application/json"
    )
    previous = hooks.bind(None)
    try:
        assert hooks.filter_case(None, case) is True
        hooks.before_call(None, case, {})
        assert case.body == {"tags": []}  # no run tag
        context = RunContext(url="", credentials=Credentials(crn="c", token="t"), max_jobs=0)
        hooks.bind(Session(context))
        assert hooks.filter_case(None, case) is True  # a spent budget is our runs' business
        hooks.before_call(None, case, {})
        assert case.body == {"tags": []}
    finally:
        hooks.bind(previous)
