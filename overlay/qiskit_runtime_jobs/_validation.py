"""Checks made before anything is sent, from the spec's rules; each names the field it fails.

The limits are the spec's own (`_spec_facts`, written by `make generate`).

The job id check matters most: an id is put into the URL path, so only ids matching the
spec's pattern are accepted and something like `../x` can never change which URL is called.
Everything else that goes out must be sendable: text encodable as UTF-8 (no lone
surrogates), URL values short enough for a request line, JSON bodies encodable exactly as
httpx encodes them (no NaN, no sets, no bytes). So no input makes the HTTP layer fail with
an error outside the package's own, or after a request has half been built.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from ._errors import ValidationError
from ._spec_facts import LOG_LEVELS, MAX_COST, MAX_PAGE_SIZE, MAX_TAG_LENGTH, MAX_TAGS

JOB_ID_RE = re.compile(r"[A-Za-z0-9_-]+")
RUNTIME_RE = re.compile(r".+:[^:]+")
MAX_JOB_ID_LENGTH = 128
"""Service ids have 20 characters; the bound keeps every id a valid file name in `cache_dir`."""
MAX_URL_VALUE = 8192
"""The longest query value sent, once URL-encoded (servers refuse longer request lines)."""


def check_job_id(job_id: Any, field: str = "job_id") -> str:
    """A job id: 1 to 128 letters, digits, `_` and `-` (the spec's `^[A-Za-z0-9_-]+$`)."""
    if not isinstance(job_id, str) or not JOB_ID_RE.fullmatch(job_id):
        raise ValidationError(field, "must match ^[A-Za-z0-9_-]+$", job_id)
    if len(job_id) > MAX_JOB_ID_LENGTH:
        raise ValidationError(field, f"at most {MAX_JOB_ID_LENGTH} characters", job_id)
    return job_id


def check_text(value: Any, field: str) -> str:
    """A string that can be sent: encodable as UTF-8 (no lone surrogates)."""
    if not isinstance(value, str):
        raise ValidationError(field, "must be a string", value)
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValidationError(field, "must be encodable as UTF-8", value) from None
    return value


def check_url_text(value: Any, field: str) -> str:
    """A query value: sendable text of at most 8,192 characters once URL-encoded."""
    text = check_text(value, field)
    if len(quote(text, safe="")) > MAX_URL_VALUE:
        raise ValidationError(
            field, f"too long to send: at most {MAX_URL_VALUE} characters URL-encoded", value
        )
    return text


def check_bool(value: Any, field: str) -> bool:
    """True or False (not a truthy stand-in)."""
    if not isinstance(value, bool):
        raise ValidationError(field, "must be True or False", value)
    return value


def check_json_object(value: Any, field: str) -> dict[str, Any]:
    """A mapping that encodes to JSON exactly as the request body will (no NaN, sets, bytes)."""
    if not isinstance(value, Mapping):
        raise ValidationError(field, "must be a mapping (a JSON object)", value)
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError) as exc:  # as httpx encodes JSON bodies
        raise ValidationError(field, f"must be encodable as JSON: {exc}", value) from None
    return dict(value)


def check_tags(tags: Any, field: str = "tags") -> list[str]:
    """At most 8 single-line strings of at most 86 characters each."""
    if isinstance(tags, str) or not isinstance(tags, Sequence):
        raise ValidationError(field, "must be a list of strings", tags)
    if len(tags) > MAX_TAGS:
        raise ValidationError(field, f"at most {MAX_TAGS} tags, got {len(tags)}", tags)
    for index, tag in enumerate(tags):
        name = f"{field}[{index}]"
        if len(check_text(tag, name)) > MAX_TAG_LENGTH:
            raise ValidationError(name, f"at most {MAX_TAG_LENGTH} characters", tag)
        if "\n" in tag or "\r" in tag:
            raise ValidationError(name, "must be a single line", tag)
    return list(tags)


def check_cost(cost: Any) -> int:
    """Seconds, 0..10800. Above the maximum is rejected here (the service would silently cap)."""
    if isinstance(cost, bool) or not isinstance(cost, int):
        raise ValidationError("cost", "must be an integer number of seconds", cost)
    if not 0 <= cost <= MAX_COST:
        raise ValidationError("cost", f"must be between 0 and {MAX_COST} seconds", cost)
    return cost


def check_log_level(level: Any) -> str:
    """One of critical, error, warning, info, debug."""
    if level not in LOG_LEVELS:
        raise ValidationError("log_level", f"must be one of {', '.join(LOG_LEVELS)}", level)
    return str(level)


def check_runtime(runtime: Any) -> str:
    """An image `name:tag`."""
    if not isinstance(runtime, str) or not RUNTIME_RE.fullmatch(runtime):
        raise ValidationError("runtime", "must have the form name:tag", runtime)
    return runtime


def check_page_size(limit: Any) -> int:
    """A page of 1..200 jobs (the service would silently replace other values by 200)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError("limit", f"must be an integer from 1 to {MAX_PAGE_SIZE}", limit)
    return limit


def check_offset(offset: Any) -> int:
    """A non-negative offset (the service would silently replace a negative one by 0)."""
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset < 2**31:
        raise ValidationError("offset", "must be an integer from 0 to 2147483647", offset)
    return offset
