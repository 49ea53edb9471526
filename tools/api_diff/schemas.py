"""Compare two schemas where they are used: resolved, merged, and judged for their side.

A schema is compared at each place an operation uses it (a parameter, a request body, a
response), so the side is known however deep it sits behind `$ref`, `allOf`, `oneOf` or
`anyOf`, and a schema used on both sides is judged for both. Before comparing, a node is
resolved: `$ref` chains are followed; a `description`, `title`, `example` or `x-` note beside
a `$ref` is documentation and dropped, other siblings are merged in like an `allOf`; `allOf`
members are merged into one schema; `nullable` and `{type: null}` variants become the `null`
type. A union (`oneOf`/`anyOf`) whose variants match by name is compared variant by variant;
otherwise it is judged as a whole: every value the writer may send must fit some schema of the
reader (so a union folded into one object that accepts both variants is safe to send).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped, unused-ignore]

from tools.api_diff import rules
from tools.api_diff.rules import Presence, Side, Values, Verdicts, verdicts

# Keys that only document. Beside a `$ref` they are dropped; elsewhere they are not compared.
DOC_KEYS = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "$comment"}
)
UNIONS = ("oneOf", "anyOf")
UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
MAX_DEPTH = 64
FORMATS = Draft202012Validator.FORMAT_CHECKER


@dataclass(frozen=True)
class Finding:
    """One difference at one place, with both wire verdicts and what a client should do."""

    kind: str
    location: str
    message: str
    verdicts: Verdicts
    fix: str = ""


@dataclass(frozen=True)
class Where:
    """Where a node sits, in the names users see: `JobResponse.tags[]`."""

    owner: str
    path: str = ""

    @property
    def label(self) -> str:
        return f"{self.owner}{self.path}"

    def down(self, suffix: str) -> Where:
        return replace(self, path=self.path + suffix)


def is_doc_key(key: object) -> bool:
    return isinstance(key, str) and (key in DOC_KEYS or key.startswith("x-"))


def lookup(spec: Mapping[str, Any], ref: str) -> Any:
    """The node a local `#/...` reference points to (None if it points nowhere)."""
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def deref(spec: Mapping[str, Any], node: Any) -> tuple[Any, str | None]:
    """Follow a `$ref` chain (with a loop guard); return the target and its component name."""
    name = None
    for _ in range(MAX_DEPTH):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        name = ref.rsplit("/", 1)[-1]
        node = lookup(spec, ref)
    return node, name


def _types(schema: Mapping[str, Any]) -> frozenset[str] | None:
    raw = schema.get("type")
    found = {raw} if isinstance(raw, str) else set(raw) if isinstance(raw, list) else None
    if found is not None and schema.get("nullable") is True:
        found.add("null")
    return None if found is None else frozenset(found)


def _merge(parts: list[Mapping[str, Any]]) -> dict[str, Any]:
    """`allOf` as one schema: properties and required lists joined, types intersected."""
    out: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if key == "properties" and isinstance(value, Mapping):
                props = out.setdefault("properties", {})
                for name, sub in value.items():
                    props[name] = {"allOf": [props[name], sub]} if name in props else sub
            elif key == "required" and isinstance(value, list):
                out["required"] = sorted({*out.get("required", []), *value})
            elif key == "type" and "type" in out:
                both = (_types({"type": out["type"]}) or frozenset()) & (
                    _types({"type": value}) or frozenset()
                )
                out["type"] = sorted(both)
            else:
                out.setdefault(key, value)
    return out


@dataclass(frozen=True)
class Resolved:
    """A schema node made comparable, with the component it came from."""

    schema: Mapping[str, Any]
    name: str | None  # the component schema it is (None inline)
    variants: tuple[Any, ...] = ()  # the raw nodes of a union, null variants removed
    union: str = ""  # `oneOf` or `anyOf`, when there are variants


def resolve(spec: Mapping[str, Any], node: Any, depth: int = 0) -> Resolved:
    """Follow refs, drop documentation beside them, merge `allOf`, and pull out the union."""
    target, name = deref(spec, node)
    schema: Mapping[str, Any] = target if isinstance(target, Mapping) else {}
    if isinstance(node, Mapping) and "$ref" in node:
        extra = {k: v for k, v in node.items() if k != "$ref" and not is_doc_key(k)}
        if extra:
            schema = _merge([schema, extra])
    if isinstance(schema.get("allOf"), list) and depth < MAX_DEPTH:
        parts = [resolve(spec, part, depth + 1).schema for part in schema["allOf"]]
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        schema = _merge([rest, *parts])
    for key in UNIONS:
        raw = schema.get(key)
        if not isinstance(raw, list):
            continue
        rest = {k: v for k, v in schema.items() if k != key}
        real = [v for v in raw if _types(deref(spec, v)[0] or {}) != frozenset({"null"})]
        nullable = len(real) < len(raw)
        if len(real) == 1 and depth < MAX_DEPTH:
            inner = resolve(spec, real[0], depth + 1)
            merged = _merge([rest, inner.schema])
            if nullable and "type" in merged:
                merged["type"] = sorted((_types(merged) or frozenset()) | {"null"})
            return Resolved(merged, name or inner.name, inner.variants, inner.union)
        if nullable:
            rest = {**rest, "nullable": True}
        return Resolved(rest, name, tuple(real), key)
    return Resolved(schema, name)


def _values(schema: Mapping[str, Any], side: Side) -> Values:
    if "const" in schema:
        allowed: frozenset[str] | None = frozenset({json.dumps(schema["const"])})
    elif isinstance(schema.get("enum"), list):
        allowed = frozenset(json.dumps(v) for v in schema["enum"])
    else:
        allowed = None
    # The generated client reads an open enum as "known value or string"; only responses
    # have the client as their reader.
    open_enum = schema.get("x-open-enum") is True and side is Side.RESPONSE
    return Values(allowed, open_enum)


def _show(value: object, limit: int = 60) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, frozenset):
        text = " | ".join(sorted(value)) or "(none)"
    else:
        text = json.dumps(value) if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SchemaComparison:
    """Compares schemas of an old and a new spec; remembers pairs of named schemas."""

    def __init__(self, old_spec: Mapping[str, Any], new_spec: Mapping[str, Any]) -> None:
        self.old_spec = old_spec
        self.new_spec = new_spec
        self._memo: dict[tuple[str, str, Side], list[Finding]] = {}

    def compare(self, old: Any, new: Any, side: Side, where: Where) -> list[Finding]:
        """Every difference between two schema nodes used on `side`."""
        return self._compare(old, new, side, where, 0)

    def _compare(self, old: Any, new: Any, side: Side, where: Where, depth: int) -> list[Finding]:
        a, b = resolve(self.old_spec, old), resolve(self.new_spec, new)
        if a.name is not None and b.name is not None:
            key = (a.name, b.name, side)
            if key in self._memo:
                return self._memo[key]
            self._memo[key] = []  # a recursive schema compares as equal to itself below here
            found = self._compare_resolved(a, b, side, Where(b.name), depth)
            self._memo[key] = found
            return found
        if b.name is not None or a.name is not None:
            where = Where(b.name or a.name or where.owner)
        return self._compare_resolved(a, b, side, where, depth)

    def _compare_resolved(
        self, a: Resolved, b: Resolved, side: Side, where: Where, depth: int
    ) -> list[Finding]:
        if depth > MAX_DEPTH:
            return []
        if a.variants or b.variants:
            return self._compare_unions(a, b, side, where, depth)
        return self._compare_schemas(a.schema, b.schema, side, where, depth)

    # -- unions ---------------------------------------------------------------------------

    def _compare_unions(
        self, a: Resolved, b: Resolved, side: Side, where: Where, depth: int
    ) -> list[Finding]:
        olds = list(a.variants) or [a.schema]
        news = list(b.variants) or [b.schema]
        old_names = [deref(self.old_spec, v)[1] for v in olds]
        new_names = [deref(self.new_spec, v)[1] for v in news]
        found: list[Finding] = []
        if a.variants and b.variants:
            common_a, common_b = _without_unions(a), _without_unions(b)
            found += self._compare_schemas(common_a, common_b, side, where, depth)
            pairs = _matching_variants(olds, old_names, news, new_names)
            if pairs is not None:
                for old, new in pairs:
                    found += self._compare(old, new, side, where, depth + 1)
                return found
        found.append(
            self._judge_union(olds, news, side, where, _union_change(a, b, old_names, new_names))
        )
        return found

    def _judge_union(
        self, olds: list[Any], news: list[Any], side: Side, where: Where, change: str
    ) -> Finding:
        """Every value a writer may send must fit some schema of the reader."""
        found = [[self.compare(o, n, side, Where("")) for n in news] for o in olds]
        # Rows are old variants, columns new ones; who writes depends on side and direction.
        by_writer = {
            True: found,  # the old spec writes
            False: [list(column) for column in zip(*found, strict=True)],
        }
        old_writes = side is Side.REQUEST
        misfits = {}
        for direction, writer_is_old in (("forward", old_writes), ("reverse", not old_writes)):
            for row in by_writer[writer_is_old]:
                if all(any(getattr(f.verdicts, direction) for f in cell) for cell in row):
                    misfits[direction] = next(
                        f.message for f in row[0] if getattr(f.verdicts, direction)
                    )
                    break
        forward = "forward" in misfits
        if forward:
            detail = f" Not every old client fits: {misfits['forward']}"
        elif side is Side.REQUEST:
            detail = " Every request old clients send is still accepted."
        else:
            detail = " Every answer is still one old clients can read."
        if "reverse" in misfits and side is Side.REQUEST:
            detail += " New clients may send requests the old service refuses."
        elif "reverse" in misfits:
            detail += " The old service may answer what new clients cannot read."
        return Finding(
            "variants-changed",
            where.label,
            f"{where.label or 'The schema'}: {change}.{detail}",
            Verdicts(forward, "reverse" in misfits),
            "regenerate; build and read the new schema" if forward else "",
        )

    # -- one schema against another --------------------------------------------------------

    def _compare_schemas(
        self,
        a: Mapping[str, Any],
        b: Mapping[str, Any],
        side: Side,
        where: Where,
        depth: int,
    ) -> list[Finding]:
        found: list[Finding] = []
        label = where.label
        ta, tb = _types(a), _types(b)
        if ta != tb:
            v = verdicts(rules.types_break, ta, tb, side)
            found.append(
                Finding(
                    "type-changed",
                    label,
                    f"The type of {label} changed: {_show(ta)} → {_show(tb)}.",
                    v,
                    f"regenerate; `{label}` is now {_show(tb)}",
                )
            )
            if ta is not None and tb is not None and ta - {"null"} != tb - {"null"}:
                return found  # another kind of value: its rules and insides go with the type
        found += self._compare_values(a, b, side, label)
        found += self._compare_rules(a, b, side, label)
        if a.get("default") != b.get("default") and ("default" in a or "default" in b):
            found.append(
                Finding(
                    "default-changed",
                    label,
                    f"The default of {label} changed: {_show(a.get('default'))} → "
                    f"{_show(b.get('default'))}.",
                    Verdicts(False, False),
                )
            )
        if "properties" in a or "properties" in b or "additionalProperties" in (*a, *b):
            found += self._compare_objects(a, b, side, where, depth)
        if "items" in a and "items" in b:
            found += self._compare(a["items"], b["items"], side, where.down("[]"), depth + 1)
        return found

    def _compare_values(
        self, a: Mapping[str, Any], b: Mapping[str, Any], side: Side, label: str
    ) -> list[Finding]:
        va, vb = _values(a, side), _values(b, side)
        if va.allowed == vb.allowed:
            return []
        if va.allowed is None or vb.allowed is None:
            v = verdicts(rules.values_break, va, vb, side)
            kind = "enum-added" if vb.allowed is not None else "enum-removed"
            what = "now" if vb.allowed is not None else "no longer"
            return [Finding(kind, label, f"{label} is {what} limited to a list of values.", v, "")]
        found = []
        for value in sorted(va.allowed ^ vb.allowed):
            added = value in vb.allowed
            v = verdicts(rules.value_breaks(value), va, vb, side)
            verb = "added to" if added else "removed from"
            note = ""
            if added and side is Side.RESPONSE and not v.forward and a.get("x-open-enum"):
                note = " Open enum (x-open-enum): older clients read it as a plain string."
            found.append(
                Finding(
                    "enum-value-added" if added else "enum-value-removed",
                    f"{label} = {value}",
                    f"Value {value} {verb} {label}.{note}",
                    v,
                    (f"handle {value} in `{label}`" if added else f"stop sending {value}")
                    if v.forward
                    else "",
                )
            )
        return found

    def _compare_rules(
        self, a: Mapping[str, Any], b: Mapping[str, Any], side: Side, label: str
    ) -> list[Finding]:
        found = []
        for key, rule in RULES.items():
            old, new = a.get(key), b.get(key)
            if old == new or (_trivial(key, old) and _trivial(key, new)):
                continue
            v = verdicts(_on_schemas(key, rule), a, b, side)
            found.append(
                Finding(
                    f"{key}-changed",
                    label,
                    f"`{key}` of {label} changed: {_show(old)} → {_show(new)}.",
                    v,
                    _rule_fix(label, key, side) if v.forward else "",
                )
            )
        return found

    def _compare_objects(
        self,
        a: Mapping[str, Any],
        b: Mapping[str, Any],
        side: Side,
        where: Where,
        depth: int,
    ) -> list[Finding]:
        pa, pb = _properties(a, side), _properties(b, side)
        ra, rb = set(a.get("required") or ()), set(b.get("required") or ())
        closed_a = a.get("additionalProperties") is False
        closed_b = b.get("additionalProperties") is False
        found: list[Finding] = []
        for name in sorted({*pa, *pb}):
            at = where.down(f".{name}")
            old = Presence(name in pa, name in ra, closed_a)
            new = Presence(name in pb, name in rb, closed_b)
            if old.declared and new.declared:
                found += self._compare(pa[name], pb[name], side, at, depth + 1)
            if (old.declared, old.required) == (new.declared, new.required):
                continue
            v = verdicts(rules.presence_breaks, old, new, side)
            if old.declared and new.declared:
                now = "required" if new.required else "optional"
                kind, message = f"property-became-{now}", f"{at.label} is now {now}."
            elif new.declared:
                extra = "required " if new.required else ""
                kind, message = "property-added", f"New {extra}property {at.label}."
            else:
                kind, message = "property-removed", f"Property {at.label} was removed."
            fix = ""
            if v.forward:
                fix = (
                    f"set `{name}` in every request"
                    if side is Side.REQUEST and new.required
                    else f"stop sending `{name}`"
                    if side is Side.REQUEST
                    else f"handle `{name}` being absent"
                )
            found.append(Finding(kind, at.label, message, v, fix))
        extra_a, extra_b = a.get("additionalProperties"), b.get("additionalProperties")
        if isinstance(extra_a, Mapping) and isinstance(extra_b, Mapping):
            found += self._compare(extra_a, extra_b, side, where.down("{}"), depth + 1)
        elif closed_a != closed_b:
            v = verdicts(rules.flag_breaks, closed_a, closed_b, side)
            state = "refuses" if closed_b else "accepts"
            found.append(
                Finding(
                    "additional-properties-changed",
                    where.label,
                    f"{where.label} now {state} fields it does not declare.",
                    v,
                    f"send only the fields `{where.label}` declares" if v.forward else "",
                )
            )
        return found


RULES: dict[str, Callable[[Any, Any], bool]] = {
    **{key: rules.upper_breaks for key in UPPER},
    **{key: rules.lower_breaks for key in LOWER},
    "multipleOf": rules.multiple_breaks,
    "pattern": rules.exact_breaks,
    "format": rules.exact_breaks,
    "uniqueItems": lambda p, c: rules.flag_breaks(bool(p), bool(c)),
}
NUMERIC = frozenset({*UPPER, *LOWER, "multipleOf"})
MATCH_ANYTHING = frozenset({"^.*$", ".*", "^.*", ""})


def _trivial(key: str, value: object) -> bool:
    """A rule that admits every value: no rule (`pattern: "^.*$"`, say)."""
    return value is None or (key == "pattern" and value in MATCH_ANYTHING)


def _on_schemas(key: str, rule: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """`rule` on one keyword of two schemas; a writer limited to a list of values breaks the
    reader's rule only if one of those values fails it (checked by jsonschema)."""

    def on(produced: Mapping[str, Any], consumed: Mapping[str, Any]) -> bool:
        limit = consumed.get(key)
        if _trivial(key, limit):
            return False
        allowed = _values(produced, Side.REQUEST).allowed
        if allowed is not None:
            check = Draft202012Validator({key: limit}, format_checker=FORMATS)
            return any(not check.is_valid(json.loads(value)) for value in allowed)
        mine = produced.get(key)
        if key in NUMERIC:  # OpenAPI 3.0's boolean exclusive bounds are not sizes
            return bool(rule(_number(mine), _number(limit)))
        return bool(rule(None if _trivial(key, mine) else mine, limit))

    return on


def _rule_fix(label: str, key: str, side: Side) -> str:
    if side is Side.REQUEST:
        return f"send only values of `{label}` that pass the new `{key}`"
    return f"regenerate; `{label}` may break the old `{key}`"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _properties(schema: Mapping[str, Any], side: Side) -> dict[str, Any]:
    """The properties that travel on `side` (readOnly ones only in responses, and so on)."""
    props = schema.get("properties")
    if not isinstance(props, Mapping):
        return {}
    skip = "readOnly" if side is Side.REQUEST else "writeOnly"
    return {
        name: node
        for name, node in props.items()
        if not (isinstance(node, Mapping) and node.get(skip) is True)
    }


def _without_unions(r: Resolved) -> Mapping[str, Any]:
    return {k: v for k, v in r.schema.items() if k not in UNIONS and k != "nullable"}


def _matching_variants(
    olds: list[Any], old_names: list[str | None], news: list[Any], new_names: list[str | None]
) -> list[tuple[Any, Any]] | None:
    """Pairs of variants to compare one by one: named ones by name, inline ones in order.

    None when the variants do not pair up (one added, removed or renamed): the union is then
    judged as a whole.
    """
    named_new = {n: v for n, v in zip(new_names, news, strict=True) if n is not None}
    inline_old = [v for n, v in zip(old_names, olds, strict=True) if n is None]
    inline_new = [v for n, v in zip(new_names, news, strict=True) if n is None]
    named_old = [(n, v) for n, v in zip(old_names, olds, strict=True) if n is not None]
    if {n for n, _ in named_old} != named_new.keys() or len(inline_old) != len(inline_new):
        return None
    return [(v, named_new[n]) for n, v in named_old] + list(
        zip(inline_old, inline_new, strict=True)
    )


def _union_label(names: list[str | None], r: Resolved) -> str:
    if not r.variants:
        return f"one schema ({r.name})" if r.name else "one schema"
    shown = ", ".join(n or "inline schema" for n in names)
    return f"{r.union} of {len(names)} ({shown})"


def _union_change(
    a: Resolved, b: Resolved, old_names: list[str | None], new_names: list[str | None]
) -> str:
    """What happened to a union, in a few words."""
    if a.variants and b.variants and None not in old_names and None not in new_names:
        added = [str(n) for n in new_names if n not in old_names]
        gone = [str(n) for n in old_names if n not in new_names]
        parts = [
            f"{', '.join(added)} added" if added else "",
            f"{', '.join(gone)} removed" if gone else "",
        ]
        return "variants " + "; ".join(p for p in parts if p)
    return f"changed from {_union_label(old_names, a)} to {_union_label(new_names, b)}"
