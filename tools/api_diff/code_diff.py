"""Compare the public API of two generated client packages with griffe.

griffe reads both source trees statically (nothing is imported) and its
`find_breaking_changes` reports removals and signature breakages. It leaves additions and
annotation changes out, so this module adds those from the same griffe models, then names each
change for a client author: models, fields, enum members, functions and their parameters.
The four functions openapi-python-client writes per operation (`sync`, `sync_detailed`,
`asyncio`, `asyncio_detailed`) are folded into one row per operation module, and a removed
model is one row with the classes generated for its inline parts (`SamplerV2InputParams`
beside `SamplerV2Input`). Each row names the operations whose code reaches it, read from the
generated modules' imports, and says what to change in code that used it.
"""

from __future__ import annotations

import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import griffe

from tools.api_diff.changes import CODE_GROUPS, Change, DiffResult, merge
from tools.api_diff.spec_diff import REPO_ROOT

GENERATED_PACKAGE = Path("generated/qiskit_runtime_jobs_generated")


class CodeDiffError(RuntimeError):
    """A package could not be found or loaded."""


# ---------------------------------------------------------------------------------------------
# Loading


def _package_location(directory: Path) -> tuple[str, Path]:
    """(package name, search path) for a package dir or a dir holding exactly one package."""
    if (directory / "__init__.py").is_file():
        return directory.name, directory.parent
    packages = sorted(p for p in directory.iterdir() if (p / "__init__.py").is_file())
    if len(packages) != 1:
        raise CodeDiffError(f"expected one Python package in {directory}, found {len(packages)}")
    return packages[0].name, directory


def load_package(directory: Path) -> griffe.Module:
    """Load a package's API statically."""
    name, search_path = _package_location(directory)
    loaded = griffe.load(
        name,
        search_paths=[search_path],
        allow_inspection=False,
        resolve_aliases=False,
    )
    if not isinstance(loaded, griffe.Module):
        raise CodeDiffError(f"{directory} did not load as a module")
    return loaded


@contextmanager
def checkout(source: str, *, repo: Path = REPO_ROOT) -> Iterator[Path]:
    """A directory for `source`: a path, or `git:REF[:PATH]` extracted to a temporary dir."""
    if not source.startswith("git:"):
        yield Path(source)
        return
    ref, _, path = source[len("git:") :].partition(":")
    path = path or GENERATED_PACKAGE.as_posix()
    proc = subprocess.run(
        ["git", "archive", "--format=tar", ref or "HEAD", path],
        cwd=repo,
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        message = proc.stderr.decode(errors="replace").strip()
        raise CodeDiffError(f"cannot read {path} at git ref {ref!r}: {message}")
    with tempfile.TemporaryDirectory(prefix="api-diff-") as tmp:
        with tarfile.open(fileobj=BytesIO(proc.stdout)) as archive:
            archive.extractall(tmp, filter="data")
        yield Path(tmp) / path


# ---------------------------------------------------------------------------------------------
# Naming

OPERATION_FUNCTIONS = frozenset({"sync", "sync_detailed", "asyncio", "asyncio_detailed"})


def _public_objects(module: griffe.Module) -> dict[str, griffe.Object]:
    """Every public object defined in the package (aliases skipped), by path below the package."""
    found: dict[str, griffe.Object] = {}

    def visit(obj: griffe.Object) -> None:
        for name, member in obj.members.items():
            if member.is_alias or name.startswith("_") or _is_type_variable(member):
                continue
            assert isinstance(member, griffe.Object)
            found[_rel(member)] = member
            if member.is_module or member.is_class:
                visit(member)

    visit(module)
    return found


def _is_type_variable(obj: griffe.Object | griffe.Alias) -> bool:
    """`T = TypeVar("T", bound="Job")`, written in every model module: not API."""
    return isinstance(obj, griffe.Attribute) and str(obj.value).startswith("TypeVar(")


def _module_members(module: griffe.Object | griffe.Alias) -> list[griffe.Object]:
    """The public classes and functions a module defines (what users import from it)."""
    return [
        m
        for name, m in module.members.items()
        if isinstance(m, (griffe.Class, griffe.Function)) and not name.startswith("_")
    ]


def _rel(obj: griffe.Object | griffe.Alias) -> str:
    """Path below the package; `models.job.Job` is shown as users import it: `models.Job`."""
    parts = obj.path.split(".")[1:] or [obj.path]
    if parts[0] == "models" and len(parts) >= 3:
        del parts[1]
    return ".".join(parts)


def _is_enum(obj: griffe.Object | griffe.Alias | None) -> bool:
    return isinstance(obj, griffe.Class) and any("Enum" in str(b) for b in obj.bases)


def _where(obj: griffe.Object | griffe.Alias) -> tuple[str, tuple[str, ...]]:
    """Location of an object, folding the per-operation function variants into their module."""
    parent = obj.parent
    if obj.is_function and obj.name in OPERATION_FUNCTIONS and parent is not None:
        return _rel(parent), (obj.name,)
    return _rel(obj), ()


def _group(obj: griffe.Object | griffe.Alias) -> tuple[str, str]:
    """(report group, noun) for an object."""
    parent = obj.parent
    if obj.is_module:
        return "Modules", "module"
    if obj.is_class:
        return "Models", "enum" if _is_enum(obj) else "model"
    if obj.is_function:
        return "Functions", "method" if isinstance(parent, griffe.Class) else "function"
    if isinstance(parent, griffe.Class):
        return ("Enum members", "enum member") if _is_enum(parent) else ("Fields", "field")
    return "Other", "attribute"


def _object_change(obj: griffe.Object | griffe.Alias, verb: str, breaking: bool) -> Change:
    group, noun = _group(obj)
    where, used_in = _where(obj)
    suffix = ""
    if verb == "added" and breaking:
        suffix = f"; it is required, so code that builds {_rel(obj.parent or obj)} must pass it"
    return Change(
        group,
        f"{noun.replace(' ', '-')}-{verb}",
        where,
        breaking,
        f"{noun.capitalize()} {where} {verb}{suffix}.",
        used_in,
    )


# ---------------------------------------------------------------------------------------------
# Comparing


def _breakages(old: griffe.Module, new: griffe.Module) -> list[Change]:
    """Removals and signature breakages, as griffe finds them."""
    out: list[Change] = []
    for breakage in griffe.find_breaking_changes(old, new):
        obj = breakage.obj
        if isinstance(breakage, griffe.ObjectRemovedBreakage):
            if obj.is_alias:
                continue  # re-exports: the defining module reports the removal
            # For a removed module, name what it defined (the model, the operation).
            members = _module_members(obj) if obj.is_module else []
            out.extend(_object_change(m, "removed", True) for m in members or [obj])
            continue
        where, used_in = _where(obj)
        if isinstance(breakage, griffe.ObjectChangedKindBreakage):
            out.append(
                Change(
                    "Other",
                    "kind-changed",
                    where,
                    True,
                    f"{where} changed kind: {breakage.old_value.value} → "
                    f"{breakage.new_value.value}.",
                    used_in,
                )
            )
            continue
        if isinstance(breakage, griffe.ReturnChangedTypeBreakage):
            out.append(_return_change(where, used_in, breakage.old_value, breakage.new_value))
            continue
        param = breakage.old_value if breakage.old_value is not None else breakage.new_value
        name = getattr(param, "name", "?")
        if isinstance(breakage, griffe.ParameterChangedDefaultBreakage):
            # One row per (parameter, old, new): a shared header's new default is one change.
            change = f"{name}: {breakage.old_value.default} → {breakage.new_value.default}"
            out.append(
                Change(
                    "Parameters",
                    "parameter-default-changed",
                    change,
                    False,  # same policy as the spec diff: calls still work, behaviour differs
                    f"Default of `{name}` changed: {breakage.old_value.default} → "
                    f"{breakage.new_value.default}; calls that omit it now send the new value.",
                    (where,),
                )
            )
            continue
        kind = breakage.kind.name.lower().replace("_", "-")
        out.append(
            Change(
                "Parameters",
                kind,
                f"{where}({name})",
                True,
                f"`{name}` in {where}: {breakage.kind.value.lower()}.",
                used_in,
            )
        )
    return out


def _additions_and_annotations(old: griffe.Module, new: griffe.Module) -> list[Change]:
    """What griffe's breakage finder leaves out: additions and changed annotations."""
    old_objs, new_objs = _public_objects(old), _public_objects(new)
    out: list[Change] = []
    for path, obj in new_objs.items():
        parent = obj.parent
        if path in old_objs:
            continue
        if (
            parent is not None
            and parent is not new
            and _rel(parent) not in old_objs
            and not (parent.is_module and obj in _module_members(parent))
        ):
            continue  # report the new model or operation, not each of its fields
        if obj.is_module and _module_members(obj):
            continue  # its classes and functions are reported instead
        required_field = (
            isinstance(obj, griffe.Attribute)
            and isinstance(parent, griffe.Class)
            and not _is_enum(parent)
            and obj.value is None
        )
        out.append(_object_change(obj, "added", required_field))
    for path, old_obj in old_objs.items():
        new_obj = new_objs.get(path)
        if new_obj is None or old_obj.kind is not new_obj.kind:
            continue
        if isinstance(old_obj, griffe.Attribute) and isinstance(new_obj, griffe.Attribute):
            out.extend(_annotation_change(old_obj, new_obj))
        elif isinstance(old_obj, griffe.Function) and isinstance(new_obj, griffe.Function):
            out.extend(_signature_changes(old_obj, new_obj))
    return out


def _annotation_change(old: griffe.Attribute, new: griffe.Attribute) -> list[Change]:
    before, after = str(old.annotation), str(new.annotation)
    if before == after:
        return []
    group, noun = _group(new)
    where, used_in = _where(new)
    return [
        Change(
            group,
            f"{noun.replace(' ', '-')}-type-changed",
            where,
            True,
            f"Type of {where} changed: {_short(before)} → {_short(after)}.",
            used_in,
        )
    ]


def _signature_changes(old: griffe.Function, new: griffe.Function) -> list[Change]:
    where, used_in = _where(new)
    out: list[Change] = []
    old_params = {p.name: p for p in old.parameters}
    for param in new.parameters:
        previous = old_params.get(param.name)
        if previous is None:
            if not param.required:  # a new required parameter is a griffe breakage
                out.append(
                    Change(
                        "Parameters",
                        "parameter-added",
                        f"{where}({param.name})",
                        False,
                        f"New optional parameter `{param.name}` in {where}.",
                        used_in,
                    )
                )
        elif str(previous.annotation) != str(param.annotation):
            out.append(
                Change(
                    "Parameters",
                    "parameter-type-changed",
                    f"{where}({param.name})",
                    True,
                    f"Type of `{param.name}` in {where} changed: {_short(previous.annotation)} → "
                    f"{_short(param.annotation)}.",
                    used_in,
                )
            )
    if old.returns is not None and new.returns is not None and str(old.returns) != str(new.returns):
        out.append(_return_change(where, used_in, old.returns, new.returns))
    return out


def _short(annotation: object, limit: int = 3) -> str:
    """A long union annotation, cut to its first members: `A | B | C | … (+5)`."""
    text = str(annotation)
    members = text.split(" | ")
    if len(members) <= limit + 1:
        return text
    return " | ".join(members[:limit]) + f" | … (+{len(members) - limit})"


def _return_change(where: str, used_in: tuple[str, ...], old: object, new: object) -> Change:
    message = f"{where} return type changed: {_short(old)} → {_short(new)}."
    return Change("Return types", "return-type-changed", where, True, message, used_in)


def _renames(changes: list[Change], old: griffe.Module, new: griffe.Module) -> list[Change]:
    """Pair a removed model with an added one that has the same fields: report a rename."""
    old_objs, new_objs = _public_objects(old), _public_objects(new)

    def fields(obj: griffe.Object | None) -> frozenset[str]:
        if not isinstance(obj, griffe.Class):
            return frozenset()
        return frozenset(n for n, m in obj.members.items() if m.is_attribute)

    removed = [c for c in changes if c.kind in ("model-removed", "enum-removed")]
    added = [c for c in changes if c.kind in ("model-added", "enum-added")]
    out = list(changes)
    for gone in removed:
        gone_fields = fields(old_objs.get(gone.location))
        for new_one in added:
            if gone_fields and gone_fields == fields(new_objs.get(new_one.location)):
                out.remove(gone)
                out.remove(new_one)
                out.append(
                    Change(
                        "Models",
                        "model-renamed",
                        gone.location,
                        True,
                        f"{gone.location} was renamed to {new_one.location} (same fields).",
                    )
                )
                added.remove(new_one)
                break
    return out


_MODEL_IMPORT = re.compile(r"from \.+models\.\w+ import (\w+)")
_CLASS = re.compile(r"^class (\w+)", re.MULTILINE)


def operations_using(directory: Path) -> dict[str, frozenset[str]]:
    """Each model class, and the operations whose generated code reaches it."""
    name, search_path = _package_location(directory)
    package = search_path / name
    refers: dict[str, set[str]] = {}
    for module in sorted((package / "models").glob("*.py")):
        text = module.read_text(encoding="utf-8")
        for cls in _CLASS.findall(text):
            refers.setdefault(cls, set()).update(_MODEL_IMPORT.findall(text))
    reached: dict[str, set[str]] = {}
    for module in sorted((package / "api").rglob("*.py")):
        if module.name == "__init__.py":
            continue
        todo = _MODEL_IMPORT.findall(module.read_text(encoding="utf-8"))
        seen: set[str] = set()
        while todo:
            cls = todo.pop()
            if cls not in seen:
                seen.add(cls)
                todo.extend(refers.get(cls, ()))
        for cls in seen:
            reached.setdefault(cls, set()).add(module.stem)
    return {cls: frozenset(ops) for cls, ops in reached.items()}


def _operations(change: Change, reach: dict[str, frozenset[str]]) -> tuple[str, ...]:
    """The operations a change is seen from: its own module, or those reaching its model."""
    found: set[str] = set()
    for text in (change.location, *change.used_in):
        head = text.split("(")[0]
        if head.startswith("api."):
            found.add(head.rsplit(".", 1)[-1])
        elif head.startswith("models."):
            found |= reach.get(head.split(".")[1], frozenset())
    return tuple(sorted(found))


def _with_operations(change: Change, reach: dict[str, frozenset[str]]) -> Change:
    """`used_in` becomes the operations; the function variants it held go in the message."""
    variants = [v for v in change.used_in if v in OPERATION_FUNCTIONS]
    message = change.message
    if variants and set(variants) != OPERATION_FUNCTIONS:
        message = f"{message.rstrip('.')} (in {', '.join(sorted(variants))})."
    return replace(change, message=message, used_in=_operations(change, reach))


def _fold_nested(changes: list[Change]) -> list[Change]:
    """A removed model and the removed classes of its inline parts are one row."""
    removed = sorted(
        (c for c in changes if c.kind in ("model-removed", "enum-removed")),
        key=lambda c: len(c.location),
    )
    parts: dict[str, list[Change]] = {}
    for change in removed:
        owner = next(
            (p for p in parts if change.location.startswith(p) and change.location != p), None
        )
        if owner is None:
            parts[change.location] = []
        else:
            parts[owner].append(change)
    folded = {id(c) for nested in parts.values() for c in nested}
    out = []
    for change in changes:
        if id(change) in folded:
            continue
        nested = parts.get(change.location) if change.kind.endswith("-removed") else None
        if nested:
            names = ", ".join(c.location.split(".", 1)[1] for c in nested)
            uses = {*change.used_in, *(u for c in nested for u in c.used_in)}
            change = replace(
                change,
                message=f"{change.message.rstrip('.')}, with its {len(nested)} nested "
                f"class(es) {names}.",
                used_in=tuple(sorted(uses)),
            )
        out.append(change)
    return out


_ACTIONS = {
    "model-removed": "replace `{name}`: the regenerated package has no such class",
    "enum-removed": "replace `{name}`: the regenerated package has no such enum",
    "model-renamed": "rename `{name}` where you use it",
    "field-removed": "stop reading or setting `{name}`",
    "field-added": "pass it where you build `{parent}`",
    "field-type-changed": "update code that reads or sets `{name}`",
    "enum-member-removed": "stop using `{name}`",
    "function-removed": "stop calling `{name}`",
    "module-removed": "stop importing `{name}`",
    "return-type-changed": "update code that reads what `{name}` returns",
    "parameter-type-changed": "update the argument you pass: `{name}`",
}


def _action(change: Change) -> str:
    """What code written for the old client does about a breaking change."""
    if not change.breaking:
        return ""
    template = _ACTIONS.get(change.kind, "update calls of `{name}`")
    return template.format(name=change.location, parent=change.location.rsplit(".", 1)[0])


def diff_packages(
    old_dir: Path, new_dir: Path, *, old_label: str = "old", new_label: str = "new"
) -> DiffResult:
    """Compare the public API of two package trees."""
    old, new = load_package(old_dir), load_package(new_dir)
    changes = _breakages(old, new) + _additions_and_annotations(old, new)
    reach = {**operations_using(old_dir), **operations_using(new_dir)}
    changes = [_with_operations(c, reach) for c in merge(_renames(changes, old, new))]
    changes = [replace(c, action=_action(c)) for c in _fold_nested(changes)]
    return DiffResult(
        subject="Generated client (public API)",
        old_label=old_label,
        new_label=new_label,
        changes=changes,
        engine=f"griffe {_griffe_version()}",
        groups=CODE_GROUPS,
        wire=False,
    )


def diff_sources(old: str, new: str, *, repo: Path = REPO_ROOT) -> DiffResult:
    """Compare two package sources (paths or `git:REF[:PATH]`)."""
    with checkout(old, repo=repo) as old_dir, checkout(new, repo=repo) as new_dir:
        return diff_packages(old_dir, new_dir, old_label=old, new_label=new)


def _griffe_version() -> str:
    from importlib.metadata import version

    return version("griffe")
