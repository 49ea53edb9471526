"""The variants to compare: a registry `MODULE:NAME` of wrong behaviours.

A registry is a `dict[str, Behaviour]` as `tests.contract.wrong_behaviour:BEHAVIOURS`: each
value has `.wrap()` (a fresh ASGI middleware factory per mock, so its state starts empty) and
`.breaks` (one line: the rule it breaks, in the page's words).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from starlette.types import ASGIApp

from tools.compare_checkers.model import ROOT

DEFAULT_REGISTRY = "tests.contract.wrong_behaviour:BEHAVIOURS"

Wrap = Callable[[ASGIApp], ASGIApp]


@dataclass(frozen=True)
class Variant:
    """One mock to run the checkers against; `make` is None for the correct mock."""

    name: str
    breaks: str
    make: Callable[[], Wrap] | None


BASELINE = Variant("baseline", "nothing: the correct mock", None)


class RegistryError(Exception):
    """The registry cannot be loaded or does not have the known shape (a usage error)."""


def load(spec: str) -> tuple[str, list[Variant]]:
    """The registry's source file (relative to the repo where it is inside) and its variants."""
    module_name, sep, attribute = spec.partition(":")
    if not sep or not module_name or not attribute:
        raise RegistryError(f"--variants wants MODULE:NAME, got {spec!r}")
    if str(ROOT) not in sys.path:  # tests.* is importable from the repo root only
        sys.path.insert(0, str(ROOT))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise RegistryError(f"cannot import {module_name}: {exc}") from exc
    registry = getattr(module, attribute, None)
    if not isinstance(registry, dict) or not registry:
        raise RegistryError(f"{spec} is not a non-empty dict of variants")
    return _source(module), [_adapt(str(name), value, spec) for name, value in registry.items()]


def select(variants: list[Variant], only: Iterable[str]) -> list[Variant]:
    """The variants named in `only` (all when it is empty), in registry order."""
    wanted = set(only)
    unknown = wanted - {v.name for v in variants}
    if unknown:
        known = ", ".join(v.name for v in variants)
        raise RegistryError(f"unknown variant(s) {', '.join(sorted(unknown))}; known: {known}")
    return [v for v in variants if not wanted or v.name in wanted]


def _adapt(name: str, value: Any, spec: str) -> Variant:
    wrap, breaks = getattr(value, "wrap", None), getattr(value, "breaks", None)
    if not callable(wrap) or not isinstance(breaks, str):
        raise RegistryError(f"{spec}[{name!r}] has no .wrap() and .breaks")
    return Variant(name, breaks.strip(), wrap)


def _source(module: ModuleType) -> str:
    path = Path(module.__file__ or module.__name__).resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
