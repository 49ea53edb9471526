"""The wire rules, as tables: (what the writer may send, what the reader takes) -> breaks?"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tools.api_diff import rules
from tools.api_diff.rules import Presence, Side, Values, Verdicts, verdicts

ANY = None
S = frozenset({"string"})
N = frozenset({"number"})
INT = frozenset({"integer"})
SN = frozenset({"string", "null"})

TABLES: list[tuple[str, Callable[[Any, Any], bool], Any, Any, bool]] = [
    ("same type", rules.types_break, S, S, False),
    ("integer read as number", rules.types_break, INT, N, False),
    ("number read as integer", rules.types_break, N, INT, True),
    ("null the reader does not take", rules.types_break, SN, S, True),
    ("any type to a typed reader", rules.types_break, ANY, S, True),
    ("anything to an untyped reader", rules.types_break, S, ANY, False),
    (
        "value within the enum",
        rules.values_break,
        Values(frozenset({'"a"'})),
        Values(frozenset({'"a"', '"b"'})),
        False,
    ),
    (
        "value outside the enum",
        rules.values_break,
        Values(frozenset({'"c"'})),
        Values(frozenset({'"a"'})),
        True,
    ),
    (
        "value outside an open enum",
        rules.values_break,
        Values(frozenset({'"c"'})),
        Values(frozenset({'"a"'}), open=True),
        False,
    ),
    ("free value to an enum", rules.values_break, Values(None), Values(frozenset({'"a"'})), True),
    (
        "required field the writer omits",
        rules.presence_breaks,
        Presence(True, False),
        Presence(True, True),
        True,
    ),
    (
        "field the reader does not need",
        rules.presence_breaks,
        Presence(True, True),
        Presence(True, False),
        False,
    ),
    (
        "unknown field, open reader",
        rules.presence_breaks,
        Presence(True, False),
        Presence(False, False),
        False,
    ),
    (
        "unknown field, closed reader",
        rules.presence_breaks,
        Presence(True, False),
        Presence(False, False, closed=True),
        True,
    ),
    ("maximum kept", rules.upper_breaks, 8, 16, False),
    ("maximum exceeded", rules.upper_breaks, 16, 8, True),
    ("unbounded to a maximum", rules.upper_breaks, None, 8, True),
    ("minimum kept", rules.lower_breaks, 2, 1, False),
    ("below the minimum", rules.lower_breaks, 0, 1, True),
    ("steps of the reader's step", rules.multiple_breaks, 0.5, 0.25, False),
    ("other steps", rules.multiple_breaks, 0.3, 0.25, True),
    ("another pattern", rules.exact_breaks, "^a$", "^b$", True),
    ("no pattern to read", rules.exact_breaks, "^a$", None, False),
    ("unique items added", rules.flag_breaks, False, True, True),
    ("unique items dropped", rules.flag_breaks, True, False, False),
    ("operation gone", rules.missing_breaks, True, False, True),
    ("operation new", rules.missing_breaks, False, True, False),
    ("new success status", rules.status_breaks("201"), True, False, True),
    ("new error status", rules.status_breaks("429"), True, False, False),
]


@pytest.mark.parametrize(
    ("rule", "produced", "consumed", "breaks"),
    [pytest.param(r, p, c, b, id=name) for name, r, p, c, b in TABLES],
)
def test_rule(rule: Callable[[Any, Any], bool], produced: Any, consumed: Any, breaks: bool) -> None:
    assert rule(produced, consumed) is breaks


def test_a_way_to_authenticate_is_refused_only_if_no_accepted_way_fits_it() -> None:
    """A client sends one set of credentials; the service needs a subset of it."""
    bearer, key = frozenset({"bearer"}), frozenset({"key"})
    both = frozenset({"bearer", "crn"})
    assert rules.alternative_refused(key)({key, bearer}, {bearer})
    assert not rules.alternative_refused(both)({both}, {bearer})
    assert not rules.alternative_refused(bearer)({key}, {bearer})  # the client never sends it


@pytest.mark.parametrize(
    ("side", "expected"),
    [(Side.REQUEST, Verdicts(forward=True, reverse=False)), (Side.RESPONSE, Verdicts(False, True))],
)
def test_the_side_decides_who_writes(side: Side, expected: Verdicts) -> None:
    """A field that became required breaks old writers of requests and new readers of responses."""
    old, new = Presence(True, False), Presence(True, True)
    assert verdicts(rules.presence_breaks, old, new, side) == expected
