"""Fixtures of the cross-client and cross-process tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .service import Service, running_service


@pytest.fixture
def service() -> Iterator[Service]:
    """The mock on a free loopback port, for this test only (see `service.py`)."""
    with running_service() as running:
        yield running
