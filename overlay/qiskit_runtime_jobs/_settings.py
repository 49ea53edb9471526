"""Constructor arguments and environment variables -> one resolved, immutable `Settings`.

Each option is declared once, in `ClientOptions`: its type, what it is for, and the
environment variable it falls back to (`Env`); the clients take those keywords and
`resolve_settings` reads that declaration. Its default lives in `_constants`.

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
from typing import Annotated, Final, TypedDict, TypeVar, Unpack, get_type_hints

import httpx

from . import _constants as c
from ._clock import Clock
from ._errors import ConfigurationError
from ._locks import LOCKS_SUBDIR, default_lock_dir
from ._regions import Region, resolve_base_url
from ._spec_facts import API_VERSION
from ._version import __version__

_N = TypeVar("_N", int, float)


@dataclass(frozen=True)
class Env:
    """The environment variable an option falls back to when it is not passed."""

    name: str


class ClientOptions(TypedDict, total=False):
    """The constructor arguments both clients take (each falls back to its variable)."""

    token: Annotated[str, Env("QISKIT_RUNTIME_TOKEN")]
    """A bearer token used as given."""
    api_key: Annotated[str, Env("QISKIT_RUNTIME_API_KEY")]
    """An IBM Cloud API key, exchanged at IAM."""
    crn: Annotated[str, Env("QISKIT_RUNTIME_CRN")]
    """The service instance's CRN; its location picks the region."""
    region: Annotated[Region, Env("QISKIT_RUNTIME_REGION")]
    """Override the CRN's region; exclusive with `base_url`."""
    base_url: Annotated[str, Env("QISKIT_RUNTIME_BASE_URL")]
    """Override the host, e.g. the mock's."""
    iam_url: Annotated[str, Env("QISKIT_RUNTIME_IAM_URL")]
    """The IAM token endpoint."""
    api_version: Annotated[str, Env("QISKIT_RUNTIME_API_VERSION")]
    """The IBM-API-Version header; default: the spec's."""
    timeout: Annotated[float | httpx.Timeout, Env("QISKIT_RUNTIME_TIMEOUT")]
    """Seconds per request, or an httpx.Timeout; default 30 (10 to connect)."""
    max_retries: Annotated[int, Env("QISKIT_RUNTIME_MAX_RETRIES")]
    """Retries after the first attempt; default 3."""
    create_rate_limit: int | None
    """Creates per minute allowed client-side; None disables the limiter. Default 5."""
    clock: Clock
    """The time source for sleeps (tests pass a VirtualClock)."""
    cache_dir: Annotated[str | Path, Env("QISKIT_RUNTIME_CACHE_DIR")]
    """Also keep private results on disk here; default: memory only."""


ENV: Final[dict[str, str]] = {
    option: meta.name
    for option, hint in get_type_hints(ClientOptions, include_extras=True).items()
    for meta in getattr(hint, "__metadata__", ())
    if isinstance(meta, Env)
}
"""Each option's environment variable, read from `ClientOptions`."""

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
        value = _from_env(env, ENV["timeout"], float, "seconds, e.g. 30")
    if value is None:
        return c.DEFAULT_TIMEOUT
    if value <= 0:
        raise ConfigurationError("timeout: must be > 0 seconds (timeouts cannot be disabled)")
    return httpx.Timeout(value, connect=min(value, c.DEFAULT_TIMEOUT.connect or value))


def _max_retries(value: int | None, env: Mapping[str, str]) -> int:
    if value is None:
        value = _from_env(env, ENV["max_retries"], int, "an integer, e.g. 3")
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
    *, environ: Mapping[str, str] | None = None, **options: Unpack[ClientOptions]
) -> Settings:
    """Resolve arguments over environment variables; raise `ConfigurationError` if unusable.

    `clock` is the client's, not a setting: it is taken and ignored here."""
    env = os.environ if environ is None else environ
    token, api_key = options.get("token"), options.get("api_key")
    if token is not None and api_key is not None:
        raise ConfigurationError("pass either token or api_key, not both")
    if token is None and api_key is None:
        token, api_key = env.get(ENV["token"]) or None, env.get(ENV["api_key"]) or None
        if token is not None and api_key is not None:
            raise ConfigurationError(f"set either {ENV['token']} or {ENV['api_key']}, not both")
    if not token and not api_key:
        raise ConfigurationError(
            f"no credentials: pass token= or api_key=, or set {ENV['token']} or {ENV['api_key']}"
        )
    crn = _pick(options.get("crn"), env, ENV["crn"])
    if not crn:
        raise ConfigurationError(f"no service CRN: pass crn= or set {ENV['crn']}")
    for name, value in (("crn", crn), ("token", token)):
        if value is not None and not (value.isascii() and value.isprintable()):
            raise ConfigurationError(f"{name}: must be printable ASCII (it is sent as a header)")
    region: str | None = options.get("region")
    base_url = options.get("base_url")
    if region is None and base_url is None:
        region, base_url = _pick(None, env, ENV["region"]), _pick(None, env, ENV["base_url"])
    url, resolved_region = resolve_base_url(crn=crn, region=region, base_url=base_url)
    _check_url(url)
    create_rate_limit = options.get("create_rate_limit", c.CREATE_RATE_LIMIT)
    if create_rate_limit is not None and create_rate_limit < 1:
        raise ConfigurationError("create_rate_limit: must be >= 1, or None to disable")
    cache_dir = options.get("cache_dir")
    cache = Path(cache_dir) if cache_dir else _path(env.get(ENV["cache_dir"]))
    return Settings(
        base_url=url,
        crn=crn,
        region=resolved_region,
        token=token,
        api_key=api_key,
        iam_url=_pick(options.get("iam_url"), env, ENV["iam_url"]) or c.DEFAULT_IAM_URL,
        api_version=_api_version(_pick(options.get("api_version"), env, ENV["api_version"])),
        timeout=_timeout(options.get("timeout"), env),
        max_retries=_max_retries(options.get("max_retries"), env),
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
