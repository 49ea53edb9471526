"""Who is calling: bearer tokens, Service-CRN, IBM-API-Version, and the IAM key exchange."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import threading
from dataclasses import dataclass

from ._config import MockConfig
from ._errors import ApiError, TargetType

_VERSION_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Caller:
    """An authenticated request's user and instance."""

    user_id: str
    crn: str


@dataclass(frozen=True)
class IssuedToken:
    """A token minted by the IAM endpoint."""

    access_token: str
    refresh_token: str
    expires_in: int
    expiration: int


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenIssuer:
    """Mints short-lived JWT bearer tokens for API keys, like IBM Cloud IAM.

    IBM's SDK decodes the JWT (without checking the signature) to read ``iat``/``exp`` and plan
    its refresh, so the token must be a real JWT.
    """

    def __init__(self, lifetime_seconds: float) -> None:
        self._lifetime = lifetime_seconds
        self._secret = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._access: dict[str, tuple[str, float]] = {}
        self._refresh: dict[str, str] = {}

    def issue(self, user_id: str, now: float) -> IssuedToken:
        """Mint an access token (and refresh token) for ``user_id``."""
        iat = int(now)
        exp = int(now + self._lifetime)
        header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "mock"}).encode())
        claims = {"iam_id": user_id, "sub": user_id, "iat": iat, "exp": exp, "iss": "mock-iam"}
        claims["jti"] = secrets.token_hex(8)
        payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = f"{header}.{payload}".encode()
        signature = _b64url(hmac.new(self._secret, signing_input, hashlib.sha256).digest())
        access = f"{header}.{payload}.{signature}"
        refresh = secrets.token_urlsafe(24)
        with self._lock:
            self._access[access] = (user_id, now + self._lifetime)
            self._refresh[refresh] = user_id
        return IssuedToken(access, refresh, int(self._lifetime), exp)

    @property
    def issued(self) -> int:
        """How many access tokens were minted (lets tests see a client's refresh)."""
        with self._lock:
            return len(self._access)

    def user_for_refresh(self, refresh_token: str) -> str | None:
        """Return the user a refresh token belongs to (refresh tokens do not expire here)."""
        with self._lock:
            return self._refresh.get(refresh_token)

    def lookup(self, access_token: str, now: float) -> str | None:
        """Return the user of a minted token; raise 401 ``token_expired`` once it has expired."""
        with self._lock:
            entry = self._access.get(access_token)
        if entry is None:
            return None
        user_id, expires_at = entry
        if now >= expires_at:
            raise ApiError(
                401,
                "token_expired",
                "The bearer token in the Authorization header has expired; request a new one.",
                target=("header", "Authorization"),
            )
        return user_id


def authenticate(
    config: MockConfig,
    issuer: TokenIssuer,
    authorization: str | None,
    service_crn: str | None,
    now: float,
) -> Caller:
    """Check the bearer token (401) and the Service-CRN (403)."""
    if not authorization:
        raise ApiError(
            401,
            "missing_token",
            "The Authorization header is missing; send 'Authorization: Bearer <token>'.",
            target=("header", "Authorization"),
        )
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(
            401,
            "invalid_token",
            "The Authorization header must have the form 'Bearer <token>'.",
            target=("header", "Authorization"),
        )
    user_id = config.tokens.get(token) or issuer.lookup(token, now)
    if user_id is None:
        raise ApiError(
            401,
            "invalid_token",
            "The bearer token in the Authorization header is not valid.",
            target=("header", "Authorization"),
        )
    if not service_crn:
        raise ApiError(
            403,
            "missing_service_crn",
            "The Service-CRN header is missing; send the CRN of your service instance.",
            target=("header", "Service-CRN"),
        )
    if service_crn not in config.instances:
        raise ApiError(
            403,
            "instance_not_found",
            "The Service-CRN header names no instance this token can use.",
            target=("header", "Service-CRN"),
        )
    allowed = config.instances[service_crn]
    if allowed is not None and user_id not in allowed:
        raise ApiError(
            403,
            "instance_forbidden",
            "The user of this token has no access to the instance in the Service-CRN header.",
            target=("header", "Service-CRN"),
        )
    return Caller(user_id, service_crn)


def check_api_version(config: MockConfig, value: str | None) -> None:
    """Accept any well-formed ``YYYY-MM-DD`` date not older than ``config.min_api_version``."""
    target: tuple[TargetType, str] = ("header", "IBM-API-Version")
    if value is None or not value.strip():
        raise ApiError(
            400,
            "missing_api_version",
            "The IBM-API-Version header is required, e.g. "
            f"'IBM-API-Version: {config.min_api_version.isoformat()}'.",
            target=target,
        )
    value = value.strip()
    try:
        if not _VERSION_RE.match(value):
            raise ValueError(value)
        version = dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(
            400,
            "invalid_api_version",
            f"The IBM-API-Version header {value!r} is not a date of the form YYYY-MM-DD.",
            target=target,
        ) from None
    if version < config.min_api_version:
        raise ApiError(
            400,
            "unsupported_api_version",
            f"IBM-API-Version {value} is not supported; the oldest supported version is "
            f"{config.min_api_version.isoformat()}.",
            target=target,
        )
