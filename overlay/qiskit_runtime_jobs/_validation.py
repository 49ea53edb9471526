"""Checks made before anything is sent, from the spec's rules; each names the field it fails.

The job id check matters most: an id is put into the URL path, so only ids matching the
spec's pattern are accepted and something like `../x` can never change which URL is called.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ._errors import ValidationError

__all__ = [
    "LOG_LEVELS",
    "MAX_COST",
    "MAX_PAGE_SIZE",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "check_cost",
    "check_job_id",
    "check_log_level",
    "check_offset",
    "check_page_size",
    "check_runtime",
    "check_tags",
]

JOB_ID_RE = re.compile(r"[A-Za-z0-9_-]+")
RUNTIME_RE = re.compile(r".+:[^:]+")
MAX_TAGS = 8
MAX_TAG_LENGTH = 86
MAX_COST = 10800
MAX_PAGE_SIZE = 200
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def check_job_id(job_id: Any, field: str = "job_id") -> str:
    """A job id: letters, digits, `_` and `-` only (`^[A-Za-z0-9_-]+$`)."""
    if not isinstance(job_id, str) or not JOB_ID_RE.fullmatch(job_id):
        raise ValidationError(field, "must match ^[A-Za-z0-9_-]+$", job_id)
    return job_id


def check_tags(tags: Any, field: str = "tags") -> list[str]:
    """At most 8 single-line strings of at most 86 characters each."""
    if isinstance(tags, str) or not isinstance(tags, Sequence):
        raise ValidationError(field, "must be a list of strings", tags)
    if len(tags) > MAX_TAGS:
        raise ValidationError(field, f"at most {MAX_TAGS} tags, got {len(tags)}", tags)
    for index, tag in enumerate(tags):
        name = f"{field}[{index}]"
        if not isinstance(tag, str):
            raise ValidationError(name, "must be a string", tag)
        if len(tag) > MAX_TAG_LENGTH:
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
