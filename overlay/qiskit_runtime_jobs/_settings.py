"""Constructor arguments and environment variables -> one resolved, immutable `Settings`.

Precedence: an explicit argument wins over the environment. Credentials and routing are
each taken as a group: passing `token=` or `api_key=` ignores both credential variables,
passing `region=` or `base_url=` ignores both routing variables.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx

from . import _constants as c
from ._errors import ConfigurationError
from ._locks import LOCKS_SUBDIR, default_lock_dir
from ._regions import Region, resolve_base_url
from ._spec_facts import API_VERSION
from ._version import __version__

_N = TypeVar("_N", int, float)

_VERSION_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
USER_AGENT = (
    f"qiskit-runtime-jobs/{__version__} "
    f"python/{platform.python_version()} httpx/{httpx.__version__}"
)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything a client needs, resolved and checked. Its repr never shows a secret."""

    base_url: str
    crn: str
    region: Region | None
    token: str | None = field(repr=False)
    api_key: str | None = field(repr=False)
    iam_url: str
    api_version: str
    timeout: httpx.Timeout
    max_retries: int
    create_rate_limit: int | None
    cache_dir: Path | None = None
    lock_dir: Path
    """Where keyed creates lock their key: `<cache_dir>/locks`, else a per-user directory."""
    user_agent: str = USER_AGENT

    @property
    def auth_kind(self) -> str:
        """`"api_key"` (IAM exchange) or `"token"` (a bearer token used as given)."""
        return "api_key" if self.api_key is not None else "token"

    @property
    def operation_headers(self) -> dict[str, str]:
        """The two header arguments every generated operation takes."""
        return {"service_crn": self.crn, "ibm_api_version": self.api_version}


def _pick(explicit: str | None, env: Mapping[str, str], name: str) -> str | None:
    if explicit is not None:
        return explicit
    value = env.get(name, "").strip()
    return value or None


def _from_env(env: Mapping[str, str], name: str, convert: type[_N], example: str) -> _N | None:
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        return convert(text)
    except ValueError:
        raise ConfigurationError(f"{name}: expected {example}") from None


def _timeout(value: float | httpx.Timeout | None, env: Mapping[str, str]) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        value = _from_env(env, c.ENV_TIMEOUT, float, "seconds, e.g. 30")
    if value is None:
        return c.DEFAULT_TIMEOUT
    if value <= 0:
        raise ConfigurationError("timeout: must be > 0 seconds (timeouts cannot be disabled)")
    return httpx.Timeout(value, connect=min(value, c.DEFAULT_TIMEOUT.connect or value))


def _max_retries(value: int | None, env: Mapping[str, str]) -> int:
    if value is None:
        value = _from_env(env, c.ENV_MAX_RETRIES, int, "an integer, e.g. 3")
    if value is None:
        return c.DEFAULT_MAX_RETRIES
    if value < 0:
        raise ConfigurationError("max_retries: must be >= 0")
    return value


def _api_version(value: str | None) -> str:
    version = value or API_VERSION
    try:
        if not _VERSION_RE.fullmatch(version):
            raise ValueError(version)
        date = dt.date.fromisoformat(version)
    except ValueError:
        raise ConfigurationError(
            f"api_version: expected a date YYYY-MM-DD, got {version!r}"
        ) from None
    if date < dt.date.fromisoformat(API_VERSION):
        raise ConfigurationError(f"api_version: {version} is older than {API_VERSION}")
    return version


def resolve_settings(
    *,
    token: str | None = None,
    api_key: str | None = None,
    crn: str | None = None,
    region: str | None = None,
    base_url: str | None = None,
    iam_url: str | None = None,
    api_version: str | None = None,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int | None = None,
    create_rate_limit: int | None = c.CREATE_RATE_LIMIT,
    cache_dir: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve arguments over environment variables; raise `ConfigurationError` if unusable."""
    env = os.environ if environ is None else environ
    if token is not None and api_key is not None:
        raise ConfigurationError("pass either token or api_key, not both")
    if token is None and api_key is None:
        token, api_key = env.get(c.ENV_TOKEN) or None, env.get(c.ENV_API_KEY) or None
        if token is not None and api_key is not None:
            raise ConfigurationError(f"set either {c.ENV_TOKEN} or {c.ENV_API_KEY}, not both")
    if not token and not api_key:
        raise ConfigurationError(
            f"no credentials: pass token= or api_key=, or set {c.ENV_TOKEN} or {c.ENV_API_KEY}"
        )
    crn = _pick(crn, env, c.ENV_CRN)
    if not crn:
        raise ConfigurationError(f"no service CRN: pass crn= or set {c.ENV_CRN}")
    for name, value in (("crn", crn), ("token", token)):
        if value is not None and not (value.isascii() and value.isprintable()):
            raise ConfigurationError(f"{name}: must be printable ASCII (it is sent as a header)")
    if region is None and base_url is None:
        region, base_url = _pick(None, env, c.ENV_REGION), _pick(None, env, c.ENV_BASE_URL)
    url, resolved_region = resolve_base_url(crn=crn, region=region, base_url=base_url)
    _check_url(url)
    if create_rate_limit is not None and create_rate_limit < 1:
        raise ConfigurationError("create_rate_limit: must be >= 1, or None to disable")
    cache = Path(cache_dir) if cache_dir else _path(env.get(c.ENV_CACHE_DIR))
    return Settings(
        base_url=url,
        crn=crn,
        region=resolved_region,
        token=token,
        api_key=api_key,
        iam_url=_pick(iam_url, env, c.ENV_IAM_URL) or c.DEFAULT_IAM_URL,
        api_version=_api_version(_pick(api_version, env, c.ENV_API_VERSION)),
        timeout=_timeout(timeout, env),
        max_retries=_max_retries(max_retries, env),
        create_rate_limit=create_rate_limit,
        cache_dir=cache,
        lock_dir=cache / LOCKS_SUBDIR if cache else default_lock_dir(env),
    )


def _check_url(url: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"base_url: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError("base_url: expected an http:// or https:// URL with a host")


def _path(value: str | None) -> Path | None:
    return Path(value) if value and value.strip() else None
