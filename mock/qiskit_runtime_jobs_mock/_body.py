"""Reading request bodies: bounded in size and time, and parsed as strict JSON.

Strict means what every JSON client can read back. ``NaN``/``Infinity`` literals and numbers
beyond float range (``1e400``) are 400s instead of being stored and later echoed as
``Infinity``; nesting is capped well below the recursion limit, so a body that parses can
always be serialized again inside a job or a job list. A lone surrogate (``"\\ud800"``: legal
JSON, but no Unicode text, and refused by strict parsers such as schemathesis') becomes U+FFFD,
as Go's ``encoding/json`` decodes it, so no answer, log or error message ever carries one.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

import anyio
from starlette.requests import Request

from ._config import MockConfig
from ._errors import ApiError

MAX_JSON_DEPTH = 256
# Left by json.loads only where unpaired: a valid pair becomes one code point.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON escape of a surrogate (\uD800 to \uDFFF), paired or not.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_JSON_TYPES = ("application/json",)


async def read_body(request: Request, config: MockConfig) -> bytearray:
    """Read the body: 413 once it is known to exceed the limit, 408 when it arrives too slowly.

    The 408 closes the connection (``Connection: close``): the rest of the body is not read.
    The body grows chunk by chunk as it arrives (no final copy of the whole, which for tens of
    megabytes would hold up the event loop while fresh memory is faulted in).
    """
    limit = config.max_body_bytes
    too_large = ApiError(
        413, "payload_too_large", f"The request body is larger than the limit of {limit} bytes."
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    try:
        with anyio.fail_after(config.body_timeout_seconds):
            async for chunk in request.stream():
                if len(body) + len(chunk) > limit:
                    raise too_large
                body += chunk
    except TimeoutError:
        raise ApiError(
            408,
            "request_timeout",
            f"The request body did not arrive within {config.body_timeout_seconds:g} seconds.",
            headers={"Connection": "close"},
        ) from None
    return body


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _clean(text: str) -> str:
    return text if text.isascii() else _LONE_SURROGATE.sub("\ufffd", text)


def _maybe_surrogate_or_deep(raw: bytes | bytearray) -> bool:
    """Whether parsing ``raw`` could give a lone surrogate or nesting over the limit.

    False only for what surely gives neither, so :func:`_normalize` can skip its walk over
    every value: ASCII text without NUL (so UTF-8, the only encoding whose surrogates would be
    escapes), with no escape of a surrogate, and fewer brackets in all than the depth limit.
    """
    return (
        not raw.isascii()
        or b"\x00" in raw
        or _SURROGATE_ESCAPE.search(raw) is not None
        or raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH
    )


def _normalize(document: Any) -> Any:
    """Replace lone surrogates and refuse deep nesting, in one iterative walk (no recursion)."""
    if isinstance(document, str):
        return _clean(document)
    if not isinstance(document, dict | list):
        return document
    stack = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ApiError(
                400,
                "invalid_json",
                f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.",
            )
        if isinstance(node, dict):
            items = [(_clean(k), _clean(v) if isinstance(v, str) else v) for k, v in node.items()]
            node.clear()
            node.update(items)
            children: Any = node.values()
        else:
            node[:] = [_clean(v) if isinstance(v, str) else v for v in node]
            children = node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return document


def check_json_type(request: Request) -> None:
    """400 for a Content-Type that is not JSON (none at all is taken as JSON)."""
    content_type = request.headers.get("content-type")
    if content_type is not None:
        media = content_type.split(";", 1)[0].strip().lower()
        if media not in _JSON_TYPES and not media.endswith("+json"):
            raise ApiError(
                400,
                "unsupported_content_type",
                f"Content-Type {media!r} is not supported; send 'application/json'.",
                target=("header", "Content-Type"),
            )


def parse_json(raw: bytes | bytearray) -> Any:
    """Parse a JSON body strictly (see the module docstring); empty or malformed: 400s.

    CPU-bound and holding the GIL: big bodies are parsed in a worker process (``_intake.py``).
    """
    if not raw or raw.isspace():  # (no strip(): it would copy a bytearray)
        raise ApiError(400, "invalid_body", "The request body is empty; send a JSON object.")
    try:
        document = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, "invalid_json", f"The request body is not valid JSON: {exc}.") from None
    return _normalize(document) if _maybe_surrogate_or_deep(raw) else document
