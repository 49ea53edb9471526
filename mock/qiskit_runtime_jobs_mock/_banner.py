"""The startup banner: everything a user must copy into a client to talk to this mock.

The credentials are printed on purpose: they are the mock's own test values (or whatever the
user configured for it), and a client cannot connect without them.
"""

from __future__ import annotations

import shlex

from ._app import IAM_TOKEN_PATH, SPEC_YAML_PATH
from ._clock import SystemClock, VirtualClock
from ._endpoint import MockEndpoint


def _listing(values: list[str], empty: str) -> str:
    """The first value (the one to send) and any others accepted."""
    if not values:
        return empty
    others = f"  (also accepted: {', '.join(values[1:])})" if len(values) > 1 else ""
    return values[0] + others


def _users(server: MockEndpoint) -> str | None:
    """Whose each credential is, when there are several users (else None: no line)."""
    config = server.state.config
    owned: dict[str, list[str]] = {}
    for token, user in config.tokens.items():
        owned.setdefault(user, []).append(f"Bearer {token}")
    for key, user in config.api_keys.items():
        owned.setdefault(user, []).append(f"key {key}")
    if len(owned) < 2:
        return None
    users = "; ".join(f"{user}: {', '.join(credentials)}" for user, credentials in owned.items())
    return f"{users} (each sees only their own jobs)"


def _limits(server: MockEndpoint) -> str:
    config = server.state.config
    rate = config.rate_limit_per_minute
    usage = config.usage_limit_seconds
    return "; ".join(
        (
            "no rate limit" if rate is None else f"{rate} job creations per minute per user",
            "no QPU usage limit" if usage is None else f"{usage:g} QPU seconds per instance",
        )
    )


def _timings(server: MockEndpoint) -> str:
    config = server.state.config
    clock = server.state.clock
    if isinstance(clock, VirtualClock):
        pace = "virtual clock: time moves only when advanced"
    elif isinstance(clock, SystemClock) and clock.speed != 1:
        pace = f"clock runs {clock.speed:g}x real time"
    else:
        pace = "real time"
    cycle = ", ".join(f"{q:g}s/{r:g}s" for q, r in config.timing_cycle)
    base = (
        f"jobs in turn: {cycle} (queued/running)"
        if cycle
        else f"Queued {config.queued_seconds:g}s, then Running {config.running_seconds:g}s"
    )
    return f"{base} ({pace}); params.mock overrides per job"


def banner(server: MockEndpoint) -> str:
    """The banner text for ``server`` (several lines, ending in a newline)."""
    config = server.state.config
    tokens, crns, keys = list(config.tokens), list(config.instances), list(config.api_keys)
    version = config.min_api_version.isoformat()
    iam = f"POST {server.root_url}{IAM_TOKEN_PATH}"
    users = _users(server)
    lines = [
        f"Qiskit Runtime Jobs mock: {server.base_url}",
        f"  Authorization:   Bearer {_listing(tokens, '<a token from the IAM endpoint>')}",
        f"  IAM API key:     {_listing(keys, '(none)')}  -> {iam}",
        *([f"  users:           {users}"] if users else []),
        f"  Service-CRN:     {_listing(crns, '(none: every request answers 403)')}",
        f"  IBM-API-Version: {version} (or any later date)",
        f"  limits:          {_limits(server)}",
        f"  job timing:      {_timings(server)}",
        f"  spec:            {server.spec_url}  {server.root_url}{SPEC_YAML_PATH}",
    ]
    if tokens and crns:
        headers = {
            "Authorization": f"Bearer {tokens[0]}",
            "Service-CRN": crns[0],
            "IBM-API-Version": version,
        }
        flags = " ".join(f"-H {shlex.quote(f'{k}: {v}')}" for k, v in headers.items())
        lines.append(f"  try:             curl {flags} {server.base_url}/jobs")
    return "\n".join(lines) + "\n"
