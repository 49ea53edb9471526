"""Request validation with errors that name the offending field, as the reference page's rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._config import MAX_COST_SECONDS
from ._errors import ApiError, field_error, parameter_error
from ._spec_facts import (
    JOB_ID_PATTERN,
    LIST_LIMIT_DEFAULT,
    LIST_LIMIT_RANGE,
    LIST_OFFSET_RANGE,
    LOG_LEVELS,
    MAX_CALIBRATION_ID_LENGTH,
    MAX_PROGRAM_ID_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    RUNTIME_PATTERN,
)

JOB_ID_RE = re.compile(JOB_ID_PATTERN)
RUNTIME_RE = re.compile(RUNTIME_PATTERN)
SINGLE_LINE_RE = re.compile(r"^.*$")
DEFAULT_LIMIT = LIST_LIMIT_DEFAULT
MAX_LIMIT = LIST_LIMIT_RANGE[1]
MAX_OFFSET = LIST_OFFSET_RANGE[1]


@dataclass(frozen=True, kw_only=True)
class CreateRequest:
    """A validated ``POST /jobs`` body (unknown fields dropped)."""

    program_id: str
    backend: str | None = None
    runtime: str | None = None
    tags: tuple[str, ...] = ()
    log_level: str | None = None
    cost: int = 0
    session_id: str | None = None
    calibration_id: str | None = None
    params: Mapping[str, Any] | None = None
    private: bool = False
    remote_storage: Mapping[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class ListQuery:
    """Parsed ``GET /jobs`` query parameters."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    pending: bool | None = None
    program: str | None = None
    backend: str | None = None
    created_after: float | None = None
    created_before: float | None = None
    descending: bool = True
    tags: tuple[str, ...] = ()
    session_id: str | None = None
    exclude_params: bool = True


def check_job_id(job_id: str) -> str:
    """400 for a path id that fails the documented id pattern."""
    if not JOB_ID_RE.match(job_id):
        raise parameter_error("id", "The job id in the path must match ^[A-Za-z0-9_-]+$.")
    return job_id


def _string(
    body: Mapping[str, Any],
    name: str,
    *,
    pattern: re.Pattern[str] | None = None,
    min_length: int = 0,
    max_length: int | None = None,
    rule: str = "",
) -> str | None:
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, str):
        raise field_error(name, f"'{name}' must be a string.")
    if len(value) < min_length or (max_length is not None and len(value) > max_length):
        bound = f"at most {max_length}" if max_length is not None else "any number of"
        raise field_error(name, f"'{name}' must have at least {min_length} and {bound} characters.")
    if pattern is not None and not pattern.match(value):
        raise field_error(name, f"'{name}' {rule or 'must be a single line'}.")
    return value


def validate_tags(value: Any, name: str = "tags") -> tuple[str, ...]:
    """Tags: a list of at most 8 strings of at most 86 characters each."""
    if not isinstance(value, list):
        raise field_error(name, f"'{name}' must be an array of strings.")
    if len(value) > MAX_TAGS:
        raise field_error(name, f"'{name}' may hold at most {MAX_TAGS} tags, got {len(value)}.")
    for index, tag in enumerate(value):
        if not isinstance(tag, str):
            raise field_error(name, f"'{name}[{index}]' must be a string.")
        if len(tag) > MAX_TAG_LENGTH:
            raise field_error(
                name, f"'{name}[{index}]' is longer than {MAX_TAG_LENGTH} characters."
            )
        if not SINGLE_LINE_RE.match(tag):
            raise field_error(name, f"'{name}[{index}]' must be a single line.")
    return tuple(value)


def _object(body: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    if name not in body:
        return None
    value = body[name]
    if not isinstance(value, dict):
        raise field_error(name, f"'{name}' must be a JSON object.")
    return value


REGION_RE = re.compile(r"^[a-zA-Z-]+$")
REGION_TYPES = ("regional", "cross-region", "single-site")


def _storage_option(value: Any, name: str) -> None:
    """One IBM Cloud Object Storage location (the spec's ``IBMCloudCOSStorage``)."""
    if not isinstance(value, dict):
        raise field_error(name, f"'{name}' must be a JSON object.")
    if value.get("type", "ibmcloud_cos") != "ibmcloud_cos":
        raise field_error(f"{name}.type", f"'{name}.type' must be 'ibmcloud_cos'.")
    for key in ("object_name", "bucket_crn", "region", "region_type"):
        if key not in value:
            raise field_error(f"{name}.{key}", f"'{name}.{key}' is required.", code="missing_field")
        if not isinstance(value[key], str):
            raise field_error(f"{name}.{key}", f"'{name}.{key}' must be a string.")
    if not REGION_RE.match(value["region"]):
        raise field_error(f"{name}.region", f"'{name}.region' must match ^[a-zA-Z-]+$.")
    if value["region_type"] not in REGION_TYPES:
        raise field_error(
            f"{name}.region_type", f"'{name}.region_type' must be one of {', '.join(REGION_TYPES)}."
        )


def _remote_storage(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The default location plus the required ``job_params``/``results`` (and optional ``logs``)."""
    storage = _object(body, "remote_storage")
    if storage is None:
        return None
    _storage_option(storage, "remote_storage")
    for key in ("job_params", "results"):
        if key not in storage:
            name = f"remote_storage.{key}"
            raise field_error(name, f"'{name}' is required.", code="missing_field")
    for key in ("job_params", "results", "logs"):
        if key in storage:
            _storage_option(storage[key], f"remote_storage.{key}")
    return storage


def _cost(body: Mapping[str, Any]) -> int:
    if "cost" not in body:
        return 0
    value = body["cost"]
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or (isinstance(value, float) and not value.is_integer()):
        raise field_error("cost", "'cost' must be an integer number of seconds.")
    if value < 0:
        raise field_error("cost", "'cost' must be >= 0.")
    # The page: a value above the maximum is capped, not rejected.
    return min(int(value), MAX_COST_SECONDS)


def validate_create(body: Any) -> CreateRequest:
    """Validate a ``POST /jobs`` body; unknown fields are ignored as the service does."""
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_body", "The request body must be a JSON object.")
    if "program_id" not in body:
        raise field_error("program_id", "'program_id' is required.", code="missing_field")
    program_id = _string(
        body, "program_id", pattern=SINGLE_LINE_RE, min_length=1, max_length=MAX_PROGRAM_ID_LENGTH
    )
    assert program_id is not None
    log_level = _string(body, "log_level")
    if log_level is not None and log_level not in LOG_LEVELS:
        raise field_error("log_level", f"'log_level' must be one of {', '.join(LOG_LEVELS)}.")
    private = body.get("private", False)
    if not isinstance(private, bool):
        raise field_error("private", "'private' must be a boolean.")
    return CreateRequest(
        program_id=program_id,
        backend=_string(body, "backend", pattern=SINGLE_LINE_RE),
        runtime=_string(body, "runtime", pattern=RUNTIME_RE, rule="must have the form name:tag"),
        tags=validate_tags(body["tags"]) if "tags" in body else (),
        log_level=log_level,
        cost=_cost(body),
        session_id=_string(body, "session_id"),
        calibration_id=_string(
            body,
            "calibration_id",
            pattern=SINGLE_LINE_RE,
            min_length=1,
            max_length=MAX_CALIBRATION_ID_LENGTH,
        ),
        params=_object(body, "params"),
        private=private,
        remote_storage=_remote_storage(body),
    )


def parse_bool(name: str, raw: str | None, default: bool | None) -> bool | None:
    """``true``/``false`` in any case; anything else is a 400 naming the parameter."""
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise parameter_error(name, f"'{name}' must be 'true' or 'false', got {raw!r}.")


def _bounded_int(name: str, raw: str | None, default: int, low: int, high: int) -> int:
    """Non-integers are a 400; integers out of range fall back to the default, as documented.

    An integral decimal such as ``3600.0`` is an integer (JSON Schema's rule, which the spec
    follows), so it is accepted.
    """
    if raw is None:
        return default
    text = raw.strip()
    try:
        value = int(text)
    except ValueError:
        number = _integral_decimal(text)
        if number is None:
            raise parameter_error(name, f"'{name}' must be an integer, got {raw!r}.") from None
        value = number
    return value if low <= value <= high else default


INTEGRAL_DECIMAL_RE = re.compile(r"^[+-]?\d+\.0*$")


def _integral_decimal(text: str) -> int | None:
    """``3600.0`` -> 3600; anything else (``1.5``, ``1e3``, ``nan``) -> None."""
    return int(text.split(".", 1)[0]) if INTEGRAL_DECIMAL_RE.match(text) else None


RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _timestamp(name: str, raw: str | None) -> float | None:
    """An RFC 3339 date-time with a time zone (IBM's client sends ``...+00:00``)."""
    if raw is None:
        return None
    text = raw.strip()
    try:
        if not RFC3339_RE.match(text):
            raise ValueError(text)
        text = re.sub(r"(\.\d{6})\d+", r"\1", text.upper().replace("Z", "+00:00"))
        return dt.datetime.fromisoformat(text).timestamp()
    except ValueError:
        raise parameter_error(
            name, f"'{name}' must be an RFC 3339 date-time such as 2026-03-15T12:00:00Z."
        ) from None


def parse_list_query(query: Mapping[str, str], tags: list[str]) -> ListQuery:
    """Parse ``GET /jobs`` parameters; unknown parameters are ignored."""
    sort = query.get("sort")
    if sort is not None and sort not in ("ASC", "DESC"):
        raise parameter_error("sort", f"'sort' must be 'ASC' or 'DESC', got {sort!r}.")
    pending = parse_bool("pending", query.get("pending"), None)
    exclude = parse_bool("exclude_params", query.get("exclude_params"), True)
    return ListQuery(
        limit=_bounded_int("limit", query.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT),
        offset=_bounded_int("offset", query.get("offset"), 0, 0, MAX_OFFSET),
        pending=pending,
        program=query.get("program"),
        backend=query.get("backend"),
        created_after=_timestamp("created_after", query.get("created_after")),
        created_before=_timestamp("created_before", query.get("created_before")),
        descending=sort != "ASC",
        tags=tuple(tags),
        session_id=query.get("session_id"),
        exclude_params=bool(exclude),
    )
