"""What every way of running the mock offers a client: where it answers, what to send, and a
transport that reaches it (the app's state behind it for tests that steer the mock)."""

from __future__ import annotations

import abc

import httpx
from starlette.applications import Starlette

from ._app import API_PREFIX, SPEC_JSON_PATH, MockState


class MockEndpoint(abc.ABC):
    """A mock a client can reach: :class:`MockServer` (loopback HTTP) or
    :class:`InProcessMock` (no socket).

    ``base_url``, ``headers`` and ``transport()`` (``async_transport()``) are what an httpx
    client needs; ``state`` (store, clock, faults, config) and ``app`` are for steering it.
    """

    def __init__(self, app: Starlette) -> None:
        self.app = app

    @property
    @abc.abstractmethod
    def root_url(self) -> str:
        """``scheme://host[:port]``, no path (IAM answers at ``/identity/token`` under it)."""

    @abc.abstractmethod
    def transport(self) -> httpx.BaseTransport:
        """A transport for ``httpx.Client`` that reaches this mock at ``root_url``."""

    @abc.abstractmethod
    def async_transport(self) -> httpx.AsyncBaseTransport:
        """A transport for ``httpx.AsyncClient`` that reaches this mock at ``root_url``."""

    @property
    def base_url(self) -> str:
        """``root_url`` + ``/api/v1``: the base URL for Jobs clients."""
        return self.root_url + API_PREFIX

    @property
    def spec_url(self) -> str:
        """Where the mock serves the spec it implements (JSON; ``.yaml`` for the file)."""
        return self.root_url + SPEC_JSON_PATH

    @property
    def headers(self) -> dict[str, str]:
        """Headers that authenticate with the first configured token and instance."""
        config = self.state.config
        return {
            "Authorization": f"Bearer {next(iter(config.tokens))}",
            "Service-CRN": next(iter(config.instances)),
            "IBM-API-Version": config.min_api_version.isoformat(),
        }

    @property
    def state(self) -> MockState:
        """The store, clock, faults and config of this mock."""
        state: MockState = self.app.state.mock
        return state
