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

Beside `generated/` it writes the facts the hand-written packages take from the spec, each
into the package's own `_spec_facts.py` (`facts_modules`: the overlay's, the mock's, the
kit's, each with only what that package needs), so a fact the spec states has one home and
the mock and the kit need neither the overlay nor the generated client for it. `check`
fails when any of them is stale or hand-edited.

It also writes the overlay's sync drivers (`overlay/qiskit_runtime_jobs/_sync/`) from the
hand-written async ones (`_async/`), as httpcore does: unasync drops `async`/`await` and
renames the async names to their sync twins (`SYNC_NAMES`; any other `AsyncX` becomes
`SyncX`). Each twin is marked generated; `check` fails when one is stale or edited.

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
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import unasync  # type: ignore[import-untyped]
import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "qiskit-runtime-jobs.yaml"
CONFIG = ROOT / "openapi" / "codegen.yaml"
TEMPLATES = ROOT / "openapi" / "templates"
GENERATED = ROOT / "generated"
FACTS = ROOT / "overlay" / "qiskit_runtime_jobs" / "_spec_facts.py"
MOCK_FACTS = ROOT / "mock" / "qiskit_runtime_jobs_mock" / "_spec_facts.py"
KIT_FACTS = ROOT / "kit" / "qiskit_runtime_jobs_kit" / "_spec_facts.py"
ASYNC_DRIVERS = ROOT / "overlay" / "qiskit_runtime_jobs" / "_async"
SYNC_DRIVERS = ROOT / "overlay" / "qiskit_runtime_jobs" / "_sync"
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

This folder holds only the generator's output. The facts the hand-written packages need from
the spec are written by `tools/codegen.py` into each package's own `_spec_facts.py`, and
checked with this folder: the overlay's (`overlay/qiskit_runtime_jobs/`: the API version,
the region -> server table, the result models), the mock's (`mock/qiskit_runtime_jobs_mock/`:
which job statuses are terminal) and the kit's (`kit/qiskit_runtime_jobs_kit/`: which job
statuses are terminal, the `limit` and `offset` ranges of `list_jobs`).

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

{request_limits}
MAX_PAGE_SIZE = {max_page!r}
"""`list_jobs` `limit`: the largest page (also the clients' default)."""

MAX_COST = {max_cost!r}
"""`CreateJobRequest.cost`: the most seconds a job may cost (its first `anyOf` branch)."""

JobResult: TypeAlias = {union} | str | dict[str, Any]
"""What `results()` returns: a result model (tried in the spec's order), the legacy string,
or the JSON object as it came for a shape no model matches (a newer result version)."""
'''


def spec_facts(spec: Json) -> str:
    """The overlay's `_spec_facts.py` text: API version, region -> server URL, result models,
    and the limits its checks enforce before sending (tags, page size, cost, log levels)."""
    servers = {s["x-region"]: s["url"] for s in spec["servers"]}
    models = result_models(spec)
    schemas = spec["components"]["schemas"]
    return SPEC_FACTS.format(
        request_limits=_request_limits(spec),
        max_page=query_range(spec, "list_jobs", "limit")[1],
        max_cost=schemas["CreateJobRequest"]["properties"]["cost"]["anyOf"][0]["maximum"],
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


class SpecFactError(ValueError):
    """The spec does not state a fact a hand-written package needs, or states it wrongly."""


def job_statuses(spec: Json) -> tuple[list[str], list[str]]:
    """`JobStatus`' terminal and pending values, each in the enum's order.

    Terminal is what the schema's `x-terminal-values` lists (the page's "terminal state");
    every other value of the enum is pending.
    """
    schema = spec["components"]["schemas"]["JobStatus"]
    values = list(schema["enum"])
    terminal = schema.get("x-terminal-values")
    if not isinstance(terminal, list) or not terminal:
        raise SpecFactError("JobStatus has no `x-terminal-values` list")
    if len(set(terminal)) != len(terminal) or not set(terminal) <= set(values):
        raise SpecFactError(
            f"JobStatus `x-terminal-values` {terminal!r} are not distinct values of {values!r}"
        )
    pending = [value for value in values if value not in terminal]
    if not pending:
        raise SpecFactError("JobStatus `x-terminal-values` leaves no pending status")
    return [value for value in values if value in terminal], pending


def _local(spec: Json, node: Json) -> Json:
    """`node`, or what its local `$ref` points at (a parameter may live in `components`)."""
    if not isinstance(node, dict) or "$ref" not in node:
        return node
    ref = node["$ref"]
    if not ref.startswith("#/"):
        raise SpecFactError(f"not a local reference: {ref}")
    target = spec
    for segment in ref[2:].split("/"):
        target = target[segment.replace("~1", "/").replace("~0", "~")]
    return _local(spec, target)


def query_range(spec: Json, operation_id: str, name: str) -> tuple[int, int, int]:
    """A query parameter's viable range and its default: (minimum, maximum, default).

    For a parameter marked `x-out-of-range` the viable range is its first `anyOf` branch
    (the spec's convention: the second admits any integer, replaced by the default).
    """
    params = [
        param
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and operation.get("operationId") == operation_id
        for param in (_local(spec, p) for p in operation.get("parameters", []))
        if param.get("in") == "query" and param.get("name") == name
    ]
    if len(params) != 1:
        raise SpecFactError(f"{operation_id} has {len(params)} query parameters named {name!r}")
    schema = params[0]["schema"]
    viable = schema["anyOf"][0] if "x-out-of-range" in schema else schema
    low, high, default = viable["minimum"], viable["maximum"], schema["default"]
    if not low <= default <= high:
        raise SpecFactError(f"{operation_id} `{name}`: default {default} outside {low}..{high}")
    return low, high, default


def _frozenset(values: list[str]) -> str:
    """A frozenset literal that keeps the given order (a set's repr does not)."""
    return "frozenset({" + ", ".join(json.dumps(value) for value in values) + "})"


STATUS_FACTS = '''\
TERMINAL_STATUSES: frozenset[str] = {terminal}
"""`JobStatus.x-terminal-values`: the statuses a job never leaves (the page's "terminal
state": only such a job can be deleted, and it answers a cancel with 409)."""

PENDING_STATUSES: frozenset[str] = {pending}
"""The other `JobStatus` values: the job is still queued or running."""
'''

MOCK_SPEC_FACTS = '''\
"""Facts from the spec that the hand-written mock needs at run time.

Written by tools/codegen.py from {spec}; do not edit.
"""

{statuses}
{request_limits}
{create_rules}
{listing}'''

REQUEST_LIMITS = '''\
MAX_TAGS = {max_tags!r}
MAX_TAG_LENGTH = {max_tag_length!r}
"""`Tags`: at most this many tags, each at most this many characters."""

LOG_LEVELS = {log_levels!r}
"""`LogLevel`: the log levels a job may ask for, least verbose first."""
'''

CREATE_RULES = '''\
JOB_ID_PATTERN = {job_id!r}
"""`JobId`: what a job id is made of."""

RUNTIME_PATTERN = {runtime!r}
"""`CreateJobRequest.runtime`: `name:tag`."""

MAX_PROGRAM_ID_LENGTH = {program_id!r}
MAX_CALIBRATION_ID_LENGTH = {calibration_id!r}
"""`CreateJobRequest.program_id` and `.calibration_id`: their longest values."""
'''

LIST_FACTS = '''\
LIST_LIMIT_RANGE: tuple[int, int] = {limit_range!r}
"""`list_jobs` `limit`: its viable range (minimum, maximum); the maximum is the largest page."""

LIST_LIMIT_DEFAULT = {limit_default!r}
"""`list_jobs` `limit` default, which the service also uses for a limit outside the range."""

LIST_OFFSET_RANGE: tuple[int, int] = {offset_range!r}
"""`list_jobs` `offset`: its viable range (minimum, maximum)."""

LIST_OFFSET_DEFAULT = {offset_default!r}
"""`list_jobs` `offset` default, which the service also uses for an offset outside the range."""
'''

KIT_SPEC_FACTS = '''\
"""Facts from the spec that the hand-written contract kit needs at run time.

Written by tools/codegen.py from {spec}; do not edit.
"""

{statuses}
{listing}'''


def _status_facts(spec: Json) -> str:
    terminal, pending = job_statuses(spec)
    return STATUS_FACTS.format(terminal=_frozenset(terminal), pending=_frozenset(pending))


def _request_limits(spec: Json) -> str:
    schemas = spec["components"]["schemas"]
    tags = schemas["Tags"]
    return REQUEST_LIMITS.format(
        max_tags=tags["maxItems"],
        max_tag_length=tags["items"]["maxLength"],
        log_levels=tuple(schemas["LogLevel"]["enum"]),
    )


def _create_rules(spec: Json) -> str:
    schemas = spec["components"]["schemas"]
    create = schemas["CreateJobRequest"]["properties"]
    return CREATE_RULES.format(
        job_id=schemas["JobId"]["pattern"],
        runtime=create["runtime"]["pattern"],
        program_id=create["program_id"]["maxLength"],
        calibration_id=create["calibration_id"]["maxLength"],
    )


def _listing(spec: Json) -> str:
    limit_low, limit_high, limit_default = query_range(spec, "list_jobs", "limit")
    offset_low, offset_high, offset_default = query_range(spec, "list_jobs", "offset")
    return LIST_FACTS.format(
        limit_range=(limit_low, limit_high),
        limit_default=limit_default,
        offset_range=(offset_low, offset_high),
        offset_default=offset_default,
    )


def mock_facts(spec: Json) -> str:
    """The mock's `_spec_facts.py` text: the job statuses, the request limits and patterns it
    checks, `list_jobs`' limit and offset."""
    return MOCK_SPEC_FACTS.format(
        spec=SPEC.relative_to(ROOT).as_posix(),
        statuses=_status_facts(spec),
        request_limits=_request_limits(spec),
        create_rules=_create_rules(spec),
        listing=_listing(spec),
    )


def kit_facts(spec: Json) -> str:
    """The kit's `_spec_facts.py` text: the job statuses, `list_jobs`' limit and offset."""
    return KIT_SPEC_FACTS.format(
        spec=SPEC.relative_to(ROOT).as_posix(),
        statuses=_status_facts(spec),
        listing=_listing(spec),
    )


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


def write_facts(path: Path, render: Callable[[Json], str] = spec_facts) -> None:
    """Write one `_spec_facts.py` (ruff-formatted, as the hand-written code is)."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    path.write_text(render(spec), encoding="utf-8")
    ruff = [str(Path(sys.executable).parent / "ruff"), "format", "--isolated", "--no-cache"]
    subprocess.run([*ruff, "--quiet", str(path)], check=True)


def facts_modules() -> dict[Path, Callable[[Json], str]]:
    """Each facts module `make generate` writes beside `generated/`, and what renders it."""
    return {FACTS: spec_facts, MOCK_FACTS: mock_facts, KIT_FACTS: kit_facts}


def write_all_facts(root: Path = ROOT) -> list[Path]:
    """Write every facts module at its place under `root` (ROOT: in place); the paths."""
    written = []
    for path, render in facts_modules().items():
        target = root / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_facts(target, render)
        written.append(target)
    return written


def diff_facts(fresh_root: Path, committed_root: Path = ROOT) -> list[str]:
    """How the committed facts modules differ from those freshly written under `fresh_root`
    (a stale, hand-edited or missing module); empty when they are current."""
    lines: list[str] = []
    for path in facts_modules():
        relative = path.relative_to(ROOT)
        have = committed_root / relative
        if not have.is_file():
            lines.append(f"missing: {relative.as_posix()}")
        lines += _diff_file(fresh_root / relative, have, relative.as_posix())
    return lines


# The async name -> its sync twin, where unasync's own rule (`AsyncX` -> `SyncX`) is not it.
SYNC_NAMES = {
    "AsyncClient": "Client",  # ours, and httpx's
    "AsyncRawResponses": "RawResponses",
    "AsyncRetryTransport": "RetryTransport",
    "AsyncBaseTransport": "BaseTransport",
    "AsyncHTTPTransport": "HTTPTransport",
    "asyncio_detailed": "sync_detailed",
    "set_async_httpx_client": "set_httpx_client",
    "async_transport": "transport",
    "handle_async_request": "handle_request",
    "async_file_lock": "file_lock",
    "aclose": "close",
    "aclosing": "closing",
    "aiter_raw": "iter_raw",
    "asleep": "sleep",
    "aacquire": "acquire",
    "areading": "reading",
    "run_off_loop": "run_here",
    "async_auth_flow": "sync_auth_flow",
    "atoken": "token",
    "asyncio": "threading",  # asyncio.Lock -> threading.Lock
}
SYNC_HEADER = "# Generated from `_async/{name}` by `make generate` (unasync): do not edit.\n"
SYNC_INIT = '''"""The sync drivers, generated from `_async/` by `make generate`: do not edit."""
'''


def write_sync_drivers(into: Path = SYNC_DRIVERS) -> list[Path]:
    """Write the sync twin of each async driver into `into` (default: in place)."""
    into.mkdir(parents=True, exist_ok=True)
    sources = sorted(p for p in ASYNC_DRIVERS.glob("*.py") if p.name != "__init__.py")
    rule = unasync.Rule(
        fromdir=f"{ASYNC_DRIVERS}{os.sep}",
        todir=f"{into}{os.sep}",
        additional_replacements=SYNC_NAMES,
    )
    unasync.unasync_files([str(p) for p in sources], [rule])
    written = [into / "__init__.py"]
    written[0].write_text(SYNC_INIT, encoding="utf-8")
    for source in sources:
        target = into / source.name
        text = target.read_text(encoding="utf-8")
        target.write_text(SYNC_HEADER.format(name=source.name) + text, encoding="utf-8")
        written.append(target)
    ruff = str(Path(sys.executable).parent / "ruff")
    config = ["--quiet", "--no-cache", "--config", str(ROOT / "pyproject.toml")]
    files = list(map(str, written))
    # Renamed imports sort differently; then the layout the async sources have.
    subprocess.run([ruff, "check", "--fix", "--select", "I", *config, *files], check=True)
    subprocess.run([ruff, "format", *config, *files], check=True)
    return written


def diff_sync_drivers(fresh: Path, committed_root: Path = ROOT) -> list[str]:
    """How the committed sync drivers differ from those freshly written to `fresh`."""
    label = SYNC_DRIVERS.relative_to(ROOT).as_posix()
    committed = committed_root / label
    want, have = _tree(fresh), _tree(committed) if committed.is_dir() else {}
    lines = [f"missing: {label}/{rel}" for rel in sorted(want.keys() - have.keys())]
    lines += [
        f"not generated (hand-added?): {label}/{rel}" for rel in sorted(have.keys() - want.keys())
    ]
    for rel in sorted(want.keys() & have.keys()):
        lines += _diff_file(want[rel], have[rel], f"{label}/{rel}")
    return lines


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


def check(committed_root: Path = ROOT) -> int:
    """Exit status 1 with a diff if `generated/` or a facts module is stale or hand-edited
    (the facts modules as committed under `committed_root`: the repository)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "generated"
        generate(fresh)
        facts = Path(tmp) / "facts"
        write_all_facts(facts)
        drivers = Path(tmp) / "sync"
        write_sync_drivers(drivers)
        lines = diff_trees(fresh, GENERATED) + diff_facts(facts, committed_root)
        lines += diff_sync_drivers(drivers, committed_root)
    if lines:
        print("generated code differs from a fresh `make generate`:", file=sys.stderr)
        print("\n".join(lines), file=sys.stderr)
        print("Run `make generate` and commit the result.", file=sys.stderr)
        return 1
    print("generated/, the facts modules and the sync drivers are current.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__)
    parser.add_argument("command", choices=["generate", "check"])
    args = parser.parse_args(argv)
    if args.command == "generate":
        generate(GENERATED)
        facts = [path.relative_to(ROOT).as_posix() for path in write_all_facts()]
        write_sync_drivers()
        print(
            f"wrote {GENERATED.relative_to(ROOT)}/, {', '.join(facts)} and "
            f"{SYNC_DRIVERS.relative_to(ROOT)}/"
        )
        return 0
    return check()


if __name__ == "__main__":
    raise SystemExit(main())
