"""Spec drift: what a server's response contains that the spec does not describe.

The contract suite is strict: a response that breaks the spec fails. Drift is the softer
signal next to it: an undocumented status code, response header or body field, or a value
outside a response enum. Most of these still validate (the spec's objects do not forbid
extra keys), so without this module a live service that grew a field would go unnoticed
until the reference page catches up. The kit calls `SpecIndex.find_drift` on every response
and lists the results as a warning.

Dependency-light on purpose (stdlib + jsonschema): it runs inside schemathesis hooks but
knows nothing about schemathesis or HTTP clients.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice, product
from typing import Any, Literal, TypeAlias
from urllib.parse import quote

# jsonschema ships no type information (types-jsonschema is not a project dependency).
from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped, unused-ignore]
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

__all__ = ["IGNORED_HEADERS", "IGNORED_HEADER_PREFIXES", "Drift", "DriftKind", "SpecIndex"]

DriftKind = Literal["status", "header", "field", "enum"]

# Response headers that are never drift: transport, framing or platform policy, added by
# servers, proxies and CDNs whatever the API does. Lower-case name -> why it is ignored.
IGNORED_HEADERS: Mapping[str, str] = {
    "content-type": "described by the response's `content` map, not by `headers`",
    "content-length": "HTTP framing",
    "transfer-encoding": "HTTP framing",
    "connection": "hop-by-hop connection management",
    "keep-alive": "hop-by-hop connection management",
    "date": "added by every HTTP server (RFC 9110)",
    "server": "server software banner, set by the web server",
    "vary": "cache negotiation, set by the framework/CDN",
    "etag": "cache validator, set by the framework/CDN",
    "cache-control": "cache policy, set by the gateway",
    "strict-transport-security": "HSTS, platform security policy",
    "x-content-type-options": "nosniff, platform security policy",
}
# Header name prefixes that are never drift: CORS, answered by the gateway for any API.
IGNORED_HEADER_PREFIXES: tuple[str, ...] = ("access-control-",)

# The spec is registered under this URI so that validators can `$ref` any node of it.
_SPEC_URI = "urn:qiskit-runtime-jobs:spec"
# A body nested deeper than this is not walked further (PassthroughData is recursive), nor
# validated to choose a `oneOf`/`anyOf` branch: jsonschema recurses several Python frames per
# level, so a deeper body could exhaust the interpreter's recursion limit.
_MAX_DEPTH = 64
# oneOf/anyOf ambiguity multiplies readings of a position; keep at most this many.
_MAX_ALTERNATIVES = 32
# excused_by_open_enum: rounds of "replace open-enum values, validate again".
_MAX_ROUNDS = 8
# Stands in for a schema this module cannot resolve (a non-local `$ref`): anything goes.
_UNDESCRIBED: Mapping[str, Any] = {"additionalProperties": True}
_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})

_Node: TypeAlias = tuple[str, Mapping[str, Any]]  # (JSON pointer into the spec, schema)
_Reading: TypeAlias = tuple[_Node, ...]  # schemas that all apply to one position
_Finding: TypeAlias = tuple[DriftKind, str, str, bool]  # (kind, where, value, open_enum)


@dataclass(frozen=True, order=True)
class Drift:
    """One thing a response contains that the spec does not describe."""

    operation: str  # "METHOD /template", e.g. "GET /jobs/{id}"
    kind: DriftKind
    # "status" (kind=status); the lower-case header name (header); a JSON pointer into the
    # body with array indices replaced by "*" (field: the object holding the key; enum: the
    # value itself).
    where: str
    value: str  # the status code, header name, field name or enum value, as text
    # kind=enum only: every enum the value breaks is marked `x-open-enum: true` (the
    # service may add values later). Not part of the brief's four fields; describe() needs it.
    open_enum: bool = False

    def describe(self) -> str:
        """One human line, e.g. "GET /jobs/{id}: undocumented field 'queue_position' at /"."""
        if self.kind == "status":
            return f"{self.operation}: undocumented status {self.value}"
        if self.kind == "header":
            return f"{self.operation}: undocumented header '{self.value}'"
        if self.kind == "field":
            return f"{self.operation}: undocumented field '{self.value}' at {self.where}"
        openness = "open enum" if self.open_enum else "closed enum"
        return f"{self.operation}: unknown enum value '{self.value}' at {self.where} ({openness})"


@dataclass(frozen=True)
class _Response:
    """What the spec says about one (operation, status): resolved once, then cached."""

    documented: bool
    headers: frozenset[str]
    schema: _Node | None  # the application/json schema, if any


_UNKNOWN = _Response(documented=False, headers=frozenset(), schema=None)


class SpecIndex:
    """Built once from the loaded spec dict (the YAML parsed); resolves $ref, caches per
    operation."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self._spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
        self._responses: dict[tuple[str, str, int], _Response] = {}
        self._validators: dict[str, Any] = {}
        # Expansions of schema nodes whose reading does not depend on the instance.
        self._static: dict[str, list[_Reading]] = {}

    # ------------------------------------------------------------------ public API

    def find_drift(
        self,
        method: str,
        path_template: str,
        status: int,
        headers: Mapping[str, str],
        body: Any | None,
    ) -> list[Drift]:
        """Everything in this response that the spec does not describe (sorted, deduplicated).

        Odd input gives [] (an unknown operation, a status that is not a number, a body no
        schema describes), and what cannot be judged is not guessed: below a `$ref` outside
        the spec anything goes, and a body nested deeper than `_MAX_DEPTH` keeps every
        `oneOf`/`anyOf` branch. Anything else that goes wrong here is a bug of the kit and
        raises: it must not read as "no drift" (the command reports it as the kit's failure).
        """
        code = _status_code(status)
        if code is None:
            return []
        return self._find_drift(method, path_template, code, headers, body)

    def excused_by_open_enum(self, method: str, path_template: str, status: int, body: Any) -> bool:
        """True iff the body is invalid only because of new values of `x-open-enum` enums.

        False where that cannot be told (odd input, a `$ref` outside the spec, a body nested
        deeper than `_MAX_DEPTH`): the schema failure stands. A bug raises, as above.
        """
        code = _status_code(status)
        if code is None or _deeper_than(body, _MAX_DEPTH):
            return False
        try:
            return self._excused_by_open_enum(method, path_template, code, body)
        except Unresolvable:  # the schema refers outside the spec: what it allows is unknown
            return False

    def schema_errors(self, pointer: str, instance: Any, limit: int = 3) -> list[str]:
        """Why `instance` breaks the spec schema at `pointer` (a JSON pointer, e.g.
        "/components/schemas/JobResults"); [] if it is valid. At most `limit`, each shortened.

        For checks finer than schemathesis' (which validates a body against the response's
        schema as a whole), e.g. pinning a body to one branch of a `oneOf`.
        """
        errors = islice(self._validator(pointer).iter_errors(instance), limit)
        return [_short(f"{e.message} at /{'/'.join(map(str, e.absolute_path))}") for e in errors]

    # ------------------------------------------------------------------ operations

    def _find_drift(
        self,
        method: str,
        path_template: str,
        status: int,
        headers: Mapping[str, str],
        body: Any | None,
    ) -> list[Drift]:
        operation = self._operation(method, path_template)
        if operation is None:
            return []
        name = f"{method.upper()} {path_template}"
        response = self._response(method, path_template, status)
        if not response.documented:
            return [Drift(name, "status", "status", str(status))]
        found: set[Drift] = set()
        for header in headers or {}:
            lower = str(header).lower()
            if lower in response.headers or _ignored_header(lower):
                continue
            found.add(Drift(name, "header", lower, lower))
        if response.schema is not None and body is not None:
            readings = self._expand(response.schema, body)
            for kind, where, value, open_enum in self._walk(readings, body, "", 0):
                found.add(Drift(name, kind, where, value, open_enum))
        return sorted(found)

    def _excused_by_open_enum(
        self, method: str, path_template: str, status: int, body: Any
    ) -> bool:
        response = self._response(method, path_template, status)
        if response.schema is None:
            return False
        validator = self._validator(response.schema[0])
        if validator.is_valid(body):
            return False
        # The body sits in a holder so that a body that is itself an enum value is replaceable.
        holder = [copy.deepcopy(body)]
        for _ in range(_MAX_ROUNDS):
            fixes = {
                path: known
                for error in validator.iter_errors(holder[0])
                for path, known in _open_enum_fixes(error)
            }
            changed = False
            for path, known in fixes.items():
                changed = _replace(holder, (0, *path), known) or changed
            if not changed:
                return False
            if validator.is_valid(holder[0]):
                return True
        return False

    def _operation(self, method: str, path_template: str) -> Mapping[str, Any] | None:
        paths = self._spec.get("paths")
        if not isinstance(paths, Mapping) or not isinstance(method, str):
            return None
        item = self._deref(("/paths/" + _escape(path_template), paths.get(path_template)))
        if item is None or method.lower() not in _METHODS:
            return None
        operation = item[1].get(method.lower())
        return operation if isinstance(operation, Mapping) else None

    def _response(self, method: str, path_template: str, status: int) -> _Response:
        key = (str(method).upper(), str(path_template), int(status))
        cached = self._responses.get(key)
        if cached is None:
            cached = self._resolve_response(method, path_template, int(status))
            self._responses[key] = cached
        return cached

    def _resolve_response(self, method: str, path_template: str, status: int) -> _Response:
        operation = self._operation(method, path_template)
        if operation is None:
            return _UNKNOWN
        responses = operation.get("responses")
        if not isinstance(responses, Mapping):
            return _UNKNOWN
        by_code = {str(code).upper(): code for code in responses}
        chosen = next(
            (by_code[c] for c in (str(status), f"{status // 100}XX", "DEFAULT") if c in by_code),
            None,
        )
        if chosen is None:
            return _UNKNOWN
        base = f"/paths/{_escape(path_template)}/{method.lower()}/responses/{_escape(str(chosen))}"
        node = self._deref((base, responses[chosen]))
        if node is None:
            return _Response(documented=True, headers=frozenset(), schema=None)
        pointer, spec = node
        documented = spec.get("headers")
        names = (
            frozenset(str(h).lower() for h in documented)
            if isinstance(documented, Mapping)
            else frozenset()
        )
        return _Response(documented=True, headers=names, schema=_json_schema(pointer, spec))

    # ------------------------------------------------------------------ schema nodes

    def _deref(self, node: tuple[str, Any]) -> _Node | None:
        """Follow a chain of plain `$ref`s (responses, path items); None if not an object."""
        pointer, value = node
        for _ in range(_MAX_DEPTH):
            if not isinstance(value, Mapping):
                return None
            ref = value.get("$ref")
            if not isinstance(ref, str):
                return pointer, value
            target = self._lookup(ref)
            if target is None:
                return None
            pointer, value = target
        return None

    def _lookup(self, ref: str) -> _Node | None:
        """A local `#/...` reference; anything else is unknown (treated as undescribed)."""
        if not ref.startswith("#"):
            return None
        pointer = ref[1:]
        value: Any = self._spec
        for raw in pointer.split("/")[1:] if pointer else []:
            segment = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(value, Mapping) and segment in value:
                value = value[segment]
            elif isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
                value = value[int(segment)]
            else:
                return None
        return (pointer, value) if isinstance(value, Mapping) else None

    def _validator(self, pointer: str) -> Any:
        """A cached 2020-12 validator (formats asserted) for the spec node at `pointer`."""
        validator = self._validators.get(pointer)
        if validator is None:
            uri = f"{_SPEC_URI}#{quote(pointer, safe='/~')}"
            validator = Draft202012Validator(
                {"$ref": uri},
                registry=self._registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            self._validators[pointer] = validator
        return validator

    def _expand(self, node: _Node, instance: Any) -> list[_Reading]:
        """The readings of a schema for this instance: `$ref`/`allOf` merged, `oneOf`/`anyOf`
        narrowed to the branch(es) the instance matches. Each reading lists the schemas whose
        own keywords (properties, items, enum, ...) all apply."""
        static = self._static.get(node[0])
        if static is not None:
            return static
        chose = [False]
        # The depth cap inside is on `$ref`/`allOf` chains, not on the body: start at 0 so
        # that what is cached does not depend on where in the body it was first expanded.
        readings = self._expand_node(node, instance, 0, frozenset(), chose)
        if not chose[0]:
            self._static[node[0]] = readings
        return readings

    def _expand_node(
        self,
        node: _Node,
        instance: Any,
        depth: int,
        seen: frozenset[str],
        chose: list[bool],
    ) -> list[_Reading]:
        pointer, schema = node
        if pointer in seen or depth > _MAX_DEPTH:
            return [()]
        seen = seen | {pointer}
        readings: list[_Reading] = [(node,)]
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self._lookup(ref)
            # An unresolvable reference is an unknown schema: nothing is drift below it.
            if target is None:
                return [(node, (f"{pointer}/$ref", _UNDESCRIBED))]
            readings = _combine(
                readings, self._expand_node(target, instance, depth + 1, seen, chose)
            )
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            for i, sub in enumerate(all_of):
                if isinstance(sub, Mapping):
                    sub_node = (f"{pointer}/allOf/{i}", sub)
                    readings = _combine(
                        readings, self._expand_node(sub_node, instance, depth + 1, seen, chose)
                    )
        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if not isinstance(branches, list) or not branches:
                continue
            chose[0] = True
            alternatives: list[_Reading] = []
            for branch in self._choose(node, keyword, instance):
                alternatives.extend(self._expand_node(branch, instance, depth + 1, seen, chose))
            readings = _combine(readings, alternatives or [()])
        return readings

    def _choose(self, node: _Node, keyword: str, instance: Any) -> list[_Node]:
        """The branches of `node[keyword]` that describe `instance`."""
        pointer, schema = node
        branches = [
            (f"{pointer}/{keyword}/{i}", b)
            for i, b in enumerate(schema[keyword])
            if isinstance(b, Mapping)
        ]
        by_discriminator = self._discriminated(schema, branches, instance)
        if by_discriminator is not None:
            return [by_discriminator]
        if not branches or _deeper_than(instance, _MAX_DEPTH):
            return branches  # too deep to validate (see _MAX_DEPTH): none is ruled out
        try:
            valid = [b for b in branches if self._validator(b[0]).is_valid(instance)]
            if valid:
                return valid
            counts = [sum(1 for _ in self._validator(b[0]).iter_errors(instance)) for b in branches]
        except Unresolvable:  # a branch refers outside the spec: none is ruled out
            return branches
        return [branches[counts.index(min(counts))]]

    def _discriminated(
        self, schema: Mapping[str, Any], branches: list[_Node], instance: Any
    ) -> _Node | None:
        """The branch an OpenAPI discriminator names, if it names one."""
        discriminator = schema.get("discriminator")
        if not isinstance(discriminator, Mapping) or not isinstance(instance, Mapping):
            return None
        value = instance.get(discriminator.get("propertyName"))
        if not isinstance(value, str):
            return None
        mapping = discriminator.get("mapping")
        target = mapping.get(value) if isinstance(mapping, Mapping) else None
        if isinstance(target, str):
            if not target.startswith("#"):  # a bare schema name
                target = f"#/components/schemas/{target}"
        else:  # implicit mapping: the value is the name of a component schema
            target = f"#/components/schemas/{value}"
        for branch in branches:
            if branch[1].get("$ref") == target:
                return branch
        return self._lookup(target) if isinstance(mapping, Mapping) and value in mapping else None

    # ------------------------------------------------------------------ the walk

    def _walk(
        self, readings: list[_Reading], instance: Any, where: str, depth: int
    ) -> set[_Finding]:
        """Drift at and below one position: what every reading of the schema leaves undescribed."""
        if depth > _MAX_DEPTH:
            return set()
        result: set[_Finding] | None = None
        for reading in readings:
            found = self._walk_reading(reading, instance, where, depth)
            result = found if result is None else result & found
            if not result:
                break
        return result or set()

    def _walk_reading(
        self, reading: _Reading, instance: Any, where: str, depth: int
    ) -> set[_Finding]:
        found: set[_Finding] = set()
        schemas = [s for _, s in reading]
        if isinstance(instance, Mapping):
            closed = any(isinstance(s.get("properties"), Mapping) for s in schemas) and not any(
                _opens_object(s) for s in schemas
            )
            for key, value in instance.items():
                key = str(key)
                children = list(_property_schemas(reading, key))
                if closed and not any(_declares(s, key) for s in schemas):
                    found.add(("field", where or "/", key, False))
                if children:
                    found |= self._walk_children(children, value, f"{where}/{_escape(key)}", depth)
        elif isinstance(instance, list):
            for index, item in enumerate(instance):
                children = list(_item_schemas(reading, index))
                if children:
                    found |= self._walk_children(children, item, f"{where}/*", depth)
        elif isinstance(instance, str | int | float) and not isinstance(instance, bool):
            failed = [
                s
                for s in schemas
                if isinstance(s.get("enum"), list) and not _in_enum(instance, s["enum"])
            ]
            if failed:
                text = instance if isinstance(instance, str) else json.dumps(instance)
                is_open = all(s.get("x-open-enum") is True for s in failed)
                found.add(("enum", where or "/", text, is_open))
        return found

    def _walk_children(
        self, children: list[_Node], instance: Any, where: str, depth: int
    ) -> set[_Finding]:
        readings: list[_Reading] = [()]
        for child in children:
            readings = _combine(readings, self._expand(child, instance))
        return self._walk(readings, instance, where, depth + 1)


# ---------------------------------------------------------------------- helpers


def _short(text: str, limit: int = 200) -> str:
    """A validation message cut to one readable line (jsonschema quotes whole instances)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _status_code(status: Any) -> int | None:
    """A response's status as a number (None: not one, e.g. "abc")."""
    if isinstance(status, bool):
        return None
    try:
        return int(status)
    except (TypeError, ValueError):
        return None


def _deeper_than(instance: Any, limit: int) -> bool:
    """Whether JSON arrays and objects nest more than `limit` deep in `instance` (found
    without recursion: the instance may be too deep to recurse into)."""
    stack: list[tuple[Any, int]] = [(instance, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _ignored_header(name: str) -> bool:
    return name in IGNORED_HEADERS or name.startswith(IGNORED_HEADER_PREFIXES)


def _escape(segment: str) -> str:
    """One JSON pointer segment (RFC 6901)."""
    return segment.replace("~", "~0").replace("/", "~1")


def _json_schema(pointer: str, response: Mapping[str, Any]) -> _Node | None:
    """The response's JSON body schema (application/json or a +json media type)."""
    content = response.get("content")
    if not isinstance(content, Mapping):
        return None
    for media_type, media in content.items():
        base = str(media_type).split(";", 1)[0].strip().lower()
        if base != "application/json" and not base.endswith("+json"):
            continue
        if isinstance(media, Mapping) and isinstance(media.get("schema"), Mapping):
            return f"{pointer}/content/{_escape(str(media_type))}/schema", media["schema"]
    return None


def _combine(left: list[_Reading], right: list[_Reading]) -> list[_Reading]:
    """Every reading of `left` together with every reading of `right` (capped)."""
    combined = [a + b for a, b in product(left, right)]
    return combined[:_MAX_ALTERNATIVES]


def _opens_object(schema: Mapping[str, Any]) -> bool:
    """The schema explicitly allows keys beyond its `properties`."""
    if schema.get("patternProperties"):
        return True
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        value = schema.get(keyword)
        if value is True or isinstance(value, Mapping):
            return True
    return False


def _declares(schema: Mapping[str, Any], key: str) -> bool:
    properties = schema.get("properties")
    return isinstance(properties, Mapping) and key in properties


def _pattern_matches(pattern: Any, key: str) -> bool:
    try:
        return isinstance(pattern, str) and re.search(pattern, key) is not None
    except re.error:
        return False


def _property_schemas(reading: _Reading, key: str) -> Iterator[_Node]:
    """The schemas that apply to `instance[key]` under one reading (JSON Schema rules)."""
    for pointer, schema in reading:
        matched = False
        properties = schema.get("properties")
        if isinstance(properties, Mapping) and key in properties:
            matched = True
            if isinstance(properties[key], Mapping):
                yield f"{pointer}/properties/{_escape(key)}", properties[key]
        patterns = schema.get("patternProperties")
        if isinstance(patterns, Mapping):
            for pattern, sub in patterns.items():
                if _pattern_matches(pattern, key):
                    matched = True
                    if isinstance(sub, Mapping):
                        yield f"{pointer}/patternProperties/{_escape(str(pattern))}", sub
        additional = schema.get("additionalProperties")
        if not matched and isinstance(additional, Mapping):
            yield f"{pointer}/additionalProperties", additional


def _item_schemas(reading: _Reading, index: int) -> Iterator[_Node]:
    """The schemas that apply to `instance[index]` under one reading."""
    for pointer, schema in reading:
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):  # pre-2020-12 tuple form
            prefix, items = items, schema.get("additionalItems")
            prefix_keyword = "items"
        else:
            prefix_keyword = "prefixItems"
        if isinstance(prefix, list) and index < len(prefix):
            if isinstance(prefix[index], Mapping):
                yield f"{pointer}/{prefix_keyword}/{index}", prefix[index]
        elif isinstance(items, Mapping):
            keyword = "items" if prefix_keyword == "prefixItems" else "additionalItems"
            yield f"{pointer}/{keyword}", items


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def _in_enum(value: Any, enum: Iterable[Any]) -> bool:
    """JSON equality: 1 == 1.0, but True is not 1."""
    kind = _json_type(value)
    return any(_json_type(member) == kind and member == value for member in enum)


def _open_enum_fixes(error: ValidationError) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, known value) for each error (context included) that is a new open-enum value."""
    if error.validator == "enum" and isinstance(error.schema, Mapping):
        schema = error.schema
        enum = schema.get("enum")
        value = error.instance
        if (
            schema.get("x-open-enum") is True
            and isinstance(enum, list)
            and isinstance(value, str | int | float)
            and not isinstance(value, bool)
        ):
            same_type = [m for m in enum if _json_type(m) == _json_type(value)]
            if same_type:
                yield tuple(error.absolute_path), same_type[0]
    for sub in error.context or ():
        yield from _open_enum_fixes(sub)


def _replace(instance: Any, path: tuple[Any, ...], known: Any) -> bool:
    """Set `instance[path] = known`; False if the path is gone or already holds it."""
    parent = instance
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return False
    last = path[-1]
    try:
        if parent[last] == known and _json_type(parent[last]) == _json_type(known):
            return False
        parent[last] = known
    except (KeyError, IndexError, TypeError):
        return False
    return True
