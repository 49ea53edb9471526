"""Generate `generated/` from `openapi/` with openapi-python-client, and check it is current.

The spec is the source of truth and stays faithful to the reference page. A few page
features don't map onto the generator, so the spec is adapted *in memory* before
generation (never on disk) by the small, pure transforms below. Each is documented in
`generated/README.md`, which this module writes too, so the output is fully reproducible:

- ``drop_titles``: the page reuses titles (two ``TREXResultMetadataModel``s, ...) and the
  generator names classes after titles, so titles are dropped and classes take the
  stable component names instead.
- ``widen_open_enums``: a response enum marked ``x-open-enum: true`` becomes "known
  enum or plain string", so a value the service adds later decodes instead of crashing.
- ``break_recursion``: the generator can't build a union that refers to itself
  (``PassthroughData``), so the self-references become "any JSON value".
- ``plain_header_formats``: the generator refuses `format: date` on a header
  (``IBM-API-Version``); headers are typed as the strings they are on the wire.
- ``drop_tuple_closers``: the generator cannot read `items: false` and reads `items: {not: {}}`
  (the spelling the spec uses for it) as "any value", which would widen a tuple's item
  type; beside `prefixItems` such an `items` is dropped (`maxItems` bounds the tuple).

The generator's own templates are used, except those overridden in `openapi/templates/`
(`--custom-template-path`; each says what it changes, and `generated/README.md` lists them).

Usage: ``python -m tools.codegen generate`` or ``python -m tools.codegen check``.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import filecmp
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "qiskit-runtime-jobs.yaml"
CONFIG = ROOT / "openapi" / "codegen.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
GENERATED = ROOT / "generated"
FACTS = ROOT / "overlay" / "qiskit_runtime_jobs" / "_spec_facts.py"
PACKAGE = "qiskit_runtime_jobs_generated"
SCHEMA_REF = "#/components/schemas/"
NOTHING: dict[str, Any] = {"not": {}}  # the schema no value matches (JSON Schema's `false`)

Json = Any


def _walk(node: Json) -> Iterator[dict[str, Json]]:
    """Every mapping in the document, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _schema_objects(node: Json) -> Iterator[dict[str, Json]]:
    """Every schema object (not `properties` maps, whose keys are field names)."""
    if isinstance(node, dict):
        yield node
        for key, value in node.items():
            if key in ("properties", "patternProperties", "$defs") and isinstance(value, dict):
                for sub in value.values():
                    yield from _schema_objects(sub)
            else:
                yield from _schema_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_objects(value)


def drop_titles(spec: Json) -> Json:
    """Remove `title` from every schema so class names come from component keys."""
    out = copy.deepcopy(spec)
    for schema in _schema_objects(out["components"]["schemas"]):
        schema.pop("title", None)
    for schema in _schema_objects(out["paths"]):
        schema.pop("title", None)
    return out


def widen_open_enums(spec: Json) -> Json:
    """Replace each `$ref` to an `x-open-enum` schema by `anyOf: [that enum, string]`."""
    out = copy.deepcopy(spec)
    schemas = out["components"]["schemas"]
    open_refs = {SCHEMA_REF + name for name, s in schemas.items() if s.get("x-open-enum")}
    targets = [node for node in _walk(out) if node.get("$ref") in open_refs]
    for node in targets:
        ref = node.pop("$ref")
        node["anyOf"] = [{"$ref": ref}, {"type": "string"}]
    return out


def break_recursion(spec: Json) -> Json:
    """Replace a schema's references to itself by `{}` (any JSON value)."""
    out = copy.deepcopy(spec)
    for name, schema in out["components"]["schemas"].items():
        own_ref = SCHEMA_REF + name
        for node in _walk(schema):
            for key, value in list(node.items()):
                if isinstance(value, dict) and value.get("$ref") == own_ref:
                    node[key] = {}
    return out


def plain_header_formats(spec: Json) -> Json:
    """Drop `format` from header parameter schemas: headers are sent as plain strings."""
    out = copy.deepcopy(spec)
    for param in out["components"].get("parameters", {}).values():
        if param.get("in") == "header":
            param["schema"].pop("format", None)
    return out


def drop_tuple_closers(spec: Json) -> Json:
    """Drop an `items` that admits nothing (`false`, `{not: {}}`) beside `prefixItems`."""
    out = copy.deepcopy(spec)
    for node in _schema_objects(out):
        if "prefixItems" in node and (node.get("items") is False or node.get("items") == NOTHING):
            del node["items"]
    return out


def prepare(spec: Json) -> Json:
    """The spec as the generator sees it."""
    return drop_tuple_closers(
        break_recursion(widen_open_enums(drop_titles(plain_header_formats(spec))))
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree_sha256(root: Path) -> str:
    """One hash over a folder: every file's path (relative, sorted) and contents."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(_sha256(path).encode())
    return digest.hexdigest()


def _stamp() -> dict[str, str]:
    return {
        "generator": "openapi-python-client",
        "generator_version": version("openapi-python-client"),
        "spec": SPEC.relative_to(ROOT).as_posix(),
        "spec_sha256": _sha256(SPEC),
        "config_sha256": _sha256(CONFIG),
        "templates_sha256": _tree_sha256(TEMPLATES),
        "transforms_sha256": _sha256(Path(__file__)),
    }


README = """\
# generated/ — do not edit

Everything in this folder is written by `make generate` (`tools/codegen.py`) from
`openapi/qiskit-runtime-jobs.yaml` with openapi-python-client {version}, configured by
`openapi/codegen.yaml`. CI regenerates it (`make check-generated`) and fails on any
difference, so a hand edit cannot land. Change the spec (or the config, or a custom
template) and regenerate.

`codegen-stamp.json` records the generator version and the hashes of the spec, the
config, the custom templates and the transforms that produced this output.

The hand-written, user-facing client is `overlay/qiskit_runtime_jobs`; it composes this
package and never patches it.

## How the spec is adapted for the generator (in memory, never on disk)
- Titles are dropped, so every class is named after its component in the spec (the
  reference page reuses titles across result versions).
- Enums marked `x-open-enum: true` (`JobStatus`, `JobStateStatus`, `TensorDtype`) are
  typed "known enum or str": a value added by a later API version decodes as a plain
  string instead of raising. The spec itself stays strict, so the contract suite still
  reports a new value as a mismatch.
- `PassthroughData` refers to itself; its self-references are typed "any JSON value".
- Header parameters lose `format` (the generator refuses `format: date` on
  `IBM-API-Version`); the header is a string on the wire, checked by its pattern.
- A tuple's `items: {{not: {{}}}}` (no item after the `prefixItems`) is dropped: the generator
  would read it as "any value" and widen the item type. `maxItems` bounds the tuple.

## Custom templates (`openapi/templates/`, over the generator's own)
- `model.py.jinja`: the models a model refers to are imported once, at the end of its module,
  instead of inside `to_dict`/`from_dict` on every call; `from_dict` reads the mapping it is
  given instead of copying it and popping each property, copies only unknown keys into
  `additional_properties`, and passes the values to the class by position.
- `property_templates/union_property.py.jinja`: an open enum (one enum or any string) is read
  inline, without a parser function made on every call.
- `property_templates/enum_property.py.jinja`: an enum value is looked up in the enum's value
  map before its (slow) constructor is tried.

Each changes only how fast a model is read, not what it holds (see `docs/codegen.md`).

This folder holds only the generator's output. The facts the overlay needs from the spec
(the API version and the region -> server table) are written by `tools/codegen.py` into the
overlay's own `overlay/qiskit_runtime_jobs/_spec_facts.py`, and checked with this folder.

## Warnings
Generation runs with `--fail-on-warning`; the accepted-warning list is empty.
"""


SPEC_FACTS = '''\
"""Facts from the spec that the hand-written overlay needs at run time.

Written by tools/codegen.py from {spec}; do not edit.
"""

from typing import Any, TypeAlias

from qiskit_runtime_jobs_generated.models import (
{imports}
)

API_VERSION = {version!r}
"""`info.version`: the IBM-API-Version this client was generated for."""

SERVERS: dict[str, str] = {servers!r}
"""Region (CRN location) -> base URL, in the spec's order; the first is the default."""

RESULT_MODELS = ({models},)
"""The object variants of `JobResults`, in the spec's order: a result is read as the first
that takes it."""

JobResult: TypeAlias = {union} | str | dict[str, Any]
"""What `results()` returns: a result model (tried in the spec's order), the legacy string,
or the JSON object as it came for a shape no model matches (a newer result version)."""
'''


def spec_facts(spec: Json) -> str:
    """The `_spec_facts.py` module text: API version, region -> server URL, result models."""
    servers = {s["x-region"]: s["url"] for s in spec["servers"]}
    models = result_models(spec)
    return SPEC_FACTS.format(
        spec=SPEC.relative_to(ROOT).as_posix(),
        version=spec["info"]["version"],
        servers=servers,
        imports="".join(f"    {m},\n" for m in sorted(models)),
        models=", ".join(models),
        union=" | ".join(models),
    )


def result_models(spec: Json) -> list[str]:
    """The generated classes of `JobResults`' object variants (a model is named as its schema)."""
    schemas = spec["components"]["schemas"]
    names = [v["$ref"].rpartition("/")[2] for v in schemas["JobResults"]["anyOf"]]
    return [name for name in names if schemas[name].get("type") == "object"]


def generate(into: Path) -> None:
    """Write the generated package, stamp and README under `into` (replacing them)."""
    into.mkdir(parents=True, exist_ok=True)
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    env = dict(os.environ)
    # The post-hooks run `ruff`; use the pinned one from this interpreter's environment.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "spec.json"
        prepared.write_text(json.dumps(prepare(spec), indent=1), encoding="utf-8")
        built = Path(tmp) / PACKAGE
        cmd = [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(prepared),
            "--config",
            str(CONFIG),
            "--custom-template-path",
            str(TEMPLATES),
            "--meta",
            "none",
            "--output-path",
            str(built),
            "--fail-on-warning",
        ]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout + proc.stderr)
            raise SystemExit(f"openapi-python-client failed (exit {proc.returncode})")
        (built / "py.typed").write_text("", encoding="utf-8")  # PEP 561: ship the types
        target = into / PACKAGE
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(built, target)
    (into / "codegen-stamp.json").write_text(
        json.dumps(_stamp(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    readme = README.format(version=version("openapi-python-client"))
    (into / "README.md").write_text(readme, encoding="utf-8")


def write_facts(path: Path) -> None:
    """Write the overlay's `_spec_facts.py` (ruff-formatted, as the overlay's code is)."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    path.write_text(spec_facts(spec), encoding="utf-8")
    ruff = [str(Path(sys.executable).parent / "ruff"), "format", "--isolated", "--no-cache"]
    subprocess.run([*ruff, "--quiet", str(path)], check=True)


def _tree(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """Readable differences between a fresh generation and the committed one."""
    want, have = _tree(expected), _tree(actual)
    lines: list[str] = []
    for rel in sorted(want.keys() - have.keys()):
        lines.append(f"missing from generated/: {rel}")
    for rel in sorted(have.keys() - want.keys()):
        lines.append(f"not produced by the generator (hand-added?): generated/{rel}")
    for rel in sorted(want.keys() & have.keys()):
        lines += _diff_file(want[rel], have[rel], f"generated/{rel}")
    return lines


def _diff_file(want: Path, have: Path, label: str | None = None) -> list[str]:
    """A unified diff of a fresh file against the committed one (empty when equal)."""
    label = label or have.relative_to(ROOT).as_posix()
    if have.is_file() and filecmp.cmp(want, have, shallow=False):
        return []
    current = have.read_text(encoding="utf-8").splitlines() if have.is_file() else []
    fresh = want.read_text(encoding="utf-8").splitlines()
    return list(difflib.unified_diff(fresh, current, f"fresh/{label}", label, lineterm=""))


def check() -> int:
    """Exit status 1 with a diff if `generated/` is stale or hand-edited."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "generated"
        generate(fresh)
        write_facts(Path(tmp) / FACTS.name)
        lines = diff_trees(fresh, GENERATED) + _diff_file(Path(tmp) / FACTS.name, FACTS)
    if lines:
        print("generated/ differs from a fresh `make generate`:", file=sys.stderr)
        print("\n".join(lines), file=sys.stderr)
        print("Run `make generate` and commit the result.", file=sys.stderr)
        return 1
    print("generated/ is current.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__)
    parser.add_argument("command", choices=["generate", "check"])
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(GENERATED)
        write_facts(FACTS)
        print(f"wrote {GENERATED.relative_to(ROOT)}/ and {FACTS.relative_to(ROOT)}")
        return 0
    return check()


if __name__ == "__main__":
    raise SystemExit(main())
