"""Compare two specs operation by operation: what a client sends and what it reads back.

Each operation of either spec is matched by method and path (path parameter names aside:
`/jobs/{id}` and `/jobs/{job_id}` are the same URL). For a matched pair the ways to
authenticate, the parameters, the request body and every response are compared, each on its
side; the schemas inside them go to `SchemaComparison`. Every finding carries both wire
verdicts (see `rules`); `spec_diff` turns them into report rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tools.api_diff import rules
from tools.api_diff.rules import Presence, Side, Verdicts, verdicts
from tools.api_diff.schemas import Finding, SchemaComparison, Where, deref

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{[^}]*\}")
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
NO_CREDENTIALS = "no credentials"


@dataclass(frozen=True)
class Operation:
    """One operation of one spec."""

    label: str  # `GET /jobs/{id}`
    name: str  # the function openapi-python-client generates for it: `get_job`
    node: Mapping[str, Any]
    item: Mapping[str, Any]  # its path item (shared parameters)
    path: str


@dataclass(frozen=True)
class Sighting:
    """A finding at one operation."""

    finding: Finding
    operation: str  # the operation's label


def operations(spec: Mapping[str, Any]) -> dict[str, Operation]:
    """Every operation, keyed by method and path with parameter names blanked."""
    found = {}
    for path, raw_item in (spec.get("paths") or {}).items():
        item, _ = deref(spec, raw_item)
        if not isinstance(item, Mapping):
            continue
        for method in HTTP_METHODS:
            node = item.get(method)
            if isinstance(node, Mapping):
                label = f"{method.upper()} {path}"
                op_id = node.get("operationId")
                name = function_name(op_id) if isinstance(op_id, str) else label
                found[f"{method} {_TEMPLATE.sub('{}', path)}"] = Operation(
                    label, name, node, item, path
                )
    return found


def function_name(operation_id: str) -> str:
    """The module and function name openapi-python-client gives an operation: snake case."""
    return "_".join(word.lower() for word in _WORD.findall(operation_id))


class SpecComparison:
    """Walks the operations of an old and a new spec."""

    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        self.old, self.new = old, new
        self.schemas = SchemaComparison(old, new)

    def sightings(self) -> Iterator[Sighting]:
        """Every finding, at each operation where it is seen."""
        old_ops, new_ops = operations(self.old), operations(self.new)
        for key in sorted(old_ops.keys() | new_ops.keys()):
            before, after = old_ops.get(key), new_ops.get(key)
            if before is None or after is None:
                yield self._presence(before, after)
                continue
            for finding in self._operation(before, after):
                yield Sighting(finding, after.label)

    def renamed_schemes(self) -> list[Finding]:
        """Security schemes that only changed their name: nothing changes on the wire."""
        old, new = _schemes(self.old), _schemes(self.new)
        found = []
        for name, way in sorted(old.items()):
            twins = [n for n, w in new.items() if w == way and n not in old]
            if name not in new and twins:
                found.append(
                    Finding(
                        "security-scheme-renamed",
                        f"security scheme {name}",
                        f"Security scheme {name} was renamed to {twins[0]}; clients send the "
                        f"same credentials ({way}).",
                        Verdicts(False, False),
                    )
                )
        return found

    # -- operations -----------------------------------------------------------------------

    def _presence(self, before: Operation | None, after: Operation | None) -> Sighting:
        op = after or before
        assert op is not None  # one of the two exists: the key came from a spec
        v = verdicts(rules.missing_breaks, before is not None, after is not None, Side.REQUEST)
        if after is None:
            finding = Finding(
                "operation-removed",
                op.label,
                f"Operation {op.label} was removed.",
                v,
                "stop calling it",
            )
        else:
            finding = Finding("operation-added", op.label, f"New operation {op.label}.", v)
        return Sighting(finding, op.label)

    def _operation(self, before: Operation, after: Operation) -> Iterator[Finding]:
        yield from self._security(before, after)
        yield from self._parameters(before, after)
        yield from self._request_body(before, after)
        yield from self._responses(before, after)

    def _security(self, before: Operation, after: Operation) -> Iterator[Finding]:
        old, new = _ways(self.old, before.node), _ways(self.new, after.node)
        for way in sorted(old ^ new, key=sorted):
            v = verdicts(rules.alternative_refused(way), old, new, Side.REQUEST)
            shown = " + ".join(sorted(way)) or NO_CREDENTIALS
            if way in old:
                accepted = "; ".join(" + ".join(sorted(w)) or NO_CREDENTIALS for w in sorted(new))
                yield Finding(
                    "authentication-removed",
                    f"authentication: {shown}",
                    f"Authenticating with {shown} is no longer accepted.",
                    v,
                    f"authenticate with {accepted or NO_CREDENTIALS}",
                )
            else:
                yield Finding(
                    "authentication-added",
                    f"authentication: {shown}",
                    f"New way to authenticate: {shown}.",
                    v,
                )

    def _parameters(self, before: Operation, after: Operation) -> Iterator[Finding]:
        old, new = _parameters(self.old, before), _parameters(self.new, after)
        for key in sorted(old.keys() | new.keys()):
            (a, a_shared), (b, b_shared) = old.get(key, ({}, None)), new.get(key, ({}, None))
            param = b or a
            label = f"{param.get('in')} parameter {param.get('name')}"
            shared = a_shared is not None and a_shared == b_shared
            where = Where(label if shared else f"{after.label} {label}")
            pa, pb = _param_presence(self.old, a), _param_presence(self.new, b)
            if a and b:
                yield from self.schemas.compare(
                    a.get("schema"), b.get("schema"), Side.REQUEST, where
                )
            if (pa.declared, pa.required) == (pb.declared, pb.required):
                continue
            v = verdicts(rules.presence_breaks, pa, pb, Side.REQUEST)
            fix = f"send `{param.get('name')}`" if v.forward else ""
            if a and b:
                now = "required" if pb.required else "optional"
                yield Finding(
                    f"parameter-became-{now}", where.label, f"{label} is now {now}.", v, fix
                )
            elif b:
                what = "required" if pb.required else "optional"
                yield Finding(
                    "parameter-added", f"{after.label} {label}", f"New {what} {label}.", v, fix
                )
            else:
                yield Finding(
                    "parameter-removed",
                    f"{after.label} {label}",
                    f"{label} was removed; the service ignores it if sent.",
                    v,
                )

    def _request_body(self, before: Operation, after: Operation) -> Iterator[Finding]:
        a, _ = deref(self.old, before.node.get("requestBody"))
        b, _ = deref(self.new, after.node.get("requestBody"))
        a, b = a if isinstance(a, Mapping) else {}, b if isinstance(b, Mapping) else {}
        label = f"{after.label} request body"
        pa = Presence(bool(a), bool(a.get("required")))
        pb = Presence(bool(b), bool(b.get("required")))
        if (pa.declared, pa.required) != (pb.declared, pb.required):
            v = verdicts(rules.presence_breaks, pa, pb, Side.REQUEST)
            state = "required" if pb.required else "optional" if pb.declared else "gone"
            yield Finding(
                "request-body-changed",
                label,
                f"The request body is now {state}.",
                v,
                "send a request body" if v.forward else "",
            )
        yield from self._content(a, b, Side.REQUEST, label)

    def _responses(self, before: Operation, after: Operation) -> Iterator[Finding]:
        old = {str(k): v for k, v in (before.node.get("responses") or {}).items()}
        new = {str(k): v for k, v in (after.node.get("responses") or {}).items()}
        for code in sorted(old.keys() | new.keys()):
            label = f"{after.label} → {code}"
            if code not in old or code not in new:
                v = verdicts(rules.status_breaks(code), code in old, code in new, Side.RESPONSE)
                added = code in new
                yield Finding(
                    "response-code-added" if added else "response-code-removed",
                    label,
                    f"Response {code} {'added' if added else 'removed'}.",
                    v,
                    f"handle status {code}" if v.forward else "",
                )
                continue
            a, _ = deref(self.old, old[code])
            b, _ = deref(self.new, new[code])
            a, b = a if isinstance(a, Mapping) else {}, b if isinstance(b, Mapping) else {}
            yield from self._content(a, b, Side.RESPONSE, label)

    def _content(
        self, a: Mapping[str, Any], b: Mapping[str, Any], side: Side, label: str
    ) -> Iterator[Finding]:
        """Media types, then the schema of each media type both sides have."""
        ca, cb = a.get("content") or {}, b.get("content") or {}
        ta, tb = frozenset(ca), frozenset(cb)
        if ta != tb:
            rule = _response_media_breaks if side is Side.RESPONSE else _request_media_breaks
            v = verdicts(rule, ta, tb, side)
            before, after = _media(ta), _media(tb)
            fix = ""
            if v.forward:
                fix = f"send {after}" if side is Side.REQUEST else f"regenerate; read {after}"
            yield Finding(
                "media-type-changed",
                f"{label} media type",
                f"The {'request' if side is Side.REQUEST else 'response'} body is now {after} "
                f"(was {before}).",
                v,
                fix,
            )
        for media in sorted(ta & tb):
            schema_a, schema_b = ca[media].get("schema"), cb[media].get("schema")
            if schema_a is not None and schema_b is not None:
                where = Where(f"{label} body" + (f" ({media})" if len(ta & tb) > 1 else ""))
                yield from self.schemas.compare(schema_a, schema_b, side, where)


def _media(types: frozenset[str]) -> str:
    return ", ".join(f"`{t}`" for t in sorted(types)) or "no body"


def _accepts(readers: frozenset[str], media: str) -> bool:
    kind = media.split(";")[0].strip().split("/")[0]
    return media in readers or "*/*" in readers or f"{kind}/*" in readers


def _request_media_breaks(produced: frozenset[str], consumed: frozenset[str]) -> bool:
    """The client may send a media type the service does not read (a body it takes)."""
    return bool(consumed) and any(not _accepts(consumed, t) for t in produced)


def _response_media_breaks(produced: frozenset[str], consumed: frozenset[str]) -> bool:
    """The client expected a body it no longer gets, or gets one it cannot read."""
    if not consumed:
        return False
    return not produced or any(not _accepts(consumed, t) for t in produced)


def _param_presence(spec: Mapping[str, Any], param: Mapping[str, Any]) -> Presence:
    """A parameter with a default is not needed from the client: the service assumes it."""
    schema, _ = deref(spec, param.get("schema"))
    has_default = isinstance(schema, Mapping) and "default" in schema
    return Presence(bool(param), bool(param.get("required")) and not has_default)


def _parameters(
    spec: Mapping[str, Any], op: Operation
) -> dict[tuple[str, str], tuple[Mapping[str, Any], str | None]]:
    """Parameters by where they travel: path ones by position, headers case-insensitively."""
    positions = {name: i for i, name in enumerate(re.findall(r"\{([^}]*)\}", op.path))}
    found: dict[tuple[str, str], tuple[Mapping[str, Any], str | None]] = {}
    for raw in [*(op.item.get("parameters") or []), *(op.node.get("parameters") or [])]:
        param, shared = deref(spec, raw)
        if not isinstance(param, Mapping):
            continue
        where, name = str(param.get("in")), str(param.get("name"))
        if where == "path":
            name = str(positions.get(name, name))
        elif where == "header":
            name = name.lower()
        found[(where, name)] = (param, shared)
    return found


def _schemes(spec: Mapping[str, Any]) -> dict[str, str]:
    """Each security scheme, by name, as what a client sends."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    found = {}
    for name, raw in schemes.items():
        scheme, _ = deref(spec, raw)
        if isinstance(scheme, Mapping):
            found[name] = _credential(scheme)
    return found


def _credential(scheme: Mapping[str, Any]) -> str:
    kind = scheme.get("type")
    if kind == "apiKey":
        return f"API key in {scheme.get('in')} `{scheme.get('name')}`"
    if kind == "http":
        return f"HTTP {str(scheme.get('scheme', '')).lower()} credentials"
    if kind == "oauth2":
        flows = scheme.get("flows") or {}
        return "OAuth2 token (" + ", ".join(sorted(flows)) + ")"
    if kind == "openIdConnect":
        return f"OpenID Connect token ({scheme.get('openIdConnectUrl')})"
    return str(kind)


def _ways(spec: Mapping[str, Any], op: Mapping[str, Any]) -> frozenset[frozenset[str]]:
    """The ways a client may authenticate: each a set of credentials sent together."""
    requirements = op.get("security", spec.get("security"))
    if not isinstance(requirements, list) or not requirements:
        return frozenset({frozenset()})
    schemes = _schemes(spec)
    return frozenset(
        frozenset(schemes.get(name, f"scheme {name}") for name in requirement)
        for requirement in requirements
        if isinstance(requirement, Mapping)
    )
