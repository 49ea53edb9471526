"""Region routing: a service CRN's location picks the documented host (a closed table).

A CRN reads `crn:v1:bluemix:public:quantum-computing:<location>:a/<account>:<instance>::`.
The table comes from the spec's `servers` (`x-region`), via `_spec_facts` (`make generate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, cast

from ._errors import ConfigurationError
from ._spec_facts import SERVERS

Region = Literal["us-east", "eu-de"]
"""The regions the spec documents a host for (a test pins this to the spec's table)."""

REGION_BASE_URLS: Mapping[str, str] = MappingProxyType(dict(SERVERS))

_CRN_FIELDS = 10
_LOCATION = 5


def region_from_crn(crn: str) -> str:
    """The location field of a service CRN (e.g. `us-east`)."""
    parts = crn.split(":")
    if len(parts) != _CRN_FIELDS or parts[0] != "crn" or not parts[_LOCATION]:
        raise ConfigurationError(
            "crn: expected a service CRN such as "
            "'crn:v1:bluemix:public:quantum-computing:us-east:a/<account>:<instance>::'"
        )
    return parts[_LOCATION]


def _known() -> str:
    return ", ".join(REGION_BASE_URLS)


def resolve_base_url(
    *, crn: str, region: str | None, base_url: str | None
) -> tuple[str, Region | None]:
    """Return `(base_url, region)`: explicit `base_url`, else `region`, else the CRN's location.

    `region` and `base_url` are mutually exclusive; an unknown region lists the known ones.
    """
    if region is not None and base_url is not None:
        raise ConfigurationError("pass either region or base_url, not both")
    location = region_from_crn(crn)
    if base_url is not None:
        return base_url.rstrip("/"), None
    chosen = region if region is not None else location
    url = REGION_BASE_URLS.get(chosen)
    if url is None:
        source = "region" if region is not None else "the CRN's location"
        raise ConfigurationError(
            f"{source} {chosen!r} has no known host; known regions: {_known()} (or pass base_url=)"
        )
    return url, cast(Region, chosen)  # a key of the table: one of the `Region` values
