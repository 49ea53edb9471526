"""The in-process mock conforms to the spec: every operation, every check, plus lifecycles."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from qiskit_runtime_jobs_kit.contract import load_schema
from qiskit_runtime_jobs_mock import MockConfig, create_app

pytestmark = pytest.mark.contract

# Fast lifecycle and no creation limit: the fuzzer creates many jobs (see the kit's runner).
APP = create_app(MockConfig(rate_limit_per_minute=None, queued_seconds=0.0, running_seconds=0.0))
schema = load_schema()
# Every request, including those checks replay (ignored auth, unsupported methods), goes
# to the in-process app, as `from_asgi` would arrange; the schema stays the curated file.
schema.app = APP


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_operation_conforms(case: Any) -> None:
    """Responses to generated requests (valid and invalid) conform to the spec."""
    case.call_and_validate(app=APP)


class MockWorkflow(schema.as_state_machine()):  # type: ignore[misc]
    """Job lifecycles through the spec's links (create -> get/tags/results/cancel/delete)."""

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"app": APP}


TestMockLifecycles = MockWorkflow.TestCase
TestMockLifecycles.settings = settings(
    max_examples=30, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck)
)
