"""When a difference breaks the wire: small pure rules on what one side sends and the other reads.

Every rule answers one question: does a reader built for `consumed` refuse or misread
something a writer built for `produced` may send? A request is written by the client and read
by the service; a response the other way round. So one rule gives both wire verdicts of a
change (`verdicts`): old clients against the new service, and new clients against the old
service, by swapping who writes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

T = TypeVar("T")


class Side(Enum):
    """Which way a value travels."""

    REQUEST = "request"  # the client writes, the service reads
    RESPONSE = "response"  # the service writes, the client reads


@dataclass(frozen=True)
class Verdicts:
    """The two wire verdicts of one change."""

    forward: bool  # breaks clients built from the old spec, calling the new service
    reverse: bool  # breaks clients built from the new spec, calling the old service


def verdicts(rule: Callable[[T, T], bool], old: T, new: T, side: Side) -> Verdicts:
    """Apply `rule(produced, consumed)` for both directions of a change on `side`."""
    if side is Side.REQUEST:
        return Verdicts(forward=rule(old, new), reverse=rule(new, old))
    return Verdicts(forward=rule(new, old), reverse=rule(old, new))


def missing_breaks(produced: bool, consumed: bool) -> bool:
    """The writer may send something (an operation, a media type, a value) the reader lacks."""
    return produced and not consumed


def status_breaks(status: str) -> Callable[[bool, bool], bool]:
    """The rule for one response status: the service may answer a success the client lacks.

    A generated client reads only the statuses it knows; an unknown error status still fails
    the call, as any error does, but an unknown success loses the answer.
    """

    def rule(produced: bool, consumed: bool) -> bool:
        return status.startswith("2") and missing_breaks(produced, consumed)

    return rule


@dataclass(frozen=True)
class Presence:
    """A field or parameter as one side declares it."""

    declared: bool
    required: bool  # the reader needs it; the writer always sends it
    closed: bool = False  # the holder refuses undeclared fields (additionalProperties: false)


def presence_breaks(produced: Presence, consumed: Presence) -> bool:
    """The reader needs what the writer may leave out, or refuses what the writer may send."""
    if consumed.required and not produced.required:
        return True
    return produced.declared and not consumed.declared and consumed.closed


def types_break(produced: frozenset[str] | None, consumed: frozenset[str] | None) -> bool:
    """The writer may send a JSON type the reader does not take (None: any type)."""
    if consumed is None:
        return False
    if produced is None:
        return True
    return any(
        t not in consumed and not (t == "integer" and "number" in consumed) for t in produced
    )


@dataclass(frozen=True)
class Values:
    """The values a schema allows: an enum (or const), or None for any."""

    allowed: frozenset[str] | None
    open: bool = False  # a reader that keeps unknown values (x-open-enum, in a client)


def value_breaks(value: str) -> Callable[[Values, Values], bool]:
    """The rule for one enum value: the writer may send it and the reader refuses it."""

    def rule(produced: Values, consumed: Values) -> bool:
        sends = produced.allowed is None or value in produced.allowed
        if consumed.allowed is None or consumed.open:
            return False
        return sends and value not in consumed.allowed

    return rule


def values_break(produced: Values, consumed: Values) -> bool:
    """The writer may send a value outside the reader's enum."""
    if consumed.allowed is None or consumed.open:
        return False
    return produced.allowed is None or not produced.allowed <= consumed.allowed


def upper_breaks(produced: float | None, consumed: float | None) -> bool:
    """A maximum (`maximum`, `maxLength`, ...): the writer may go above the reader's."""
    return consumed is not None and (produced is None or produced > consumed)


def lower_breaks(produced: float | None, consumed: float | None) -> bool:
    """A minimum (`minimum`, `minLength`, ...): the writer may go below the reader's."""
    return consumed is not None and (produced is None or produced < consumed)


def multiple_breaks(produced: float | None, consumed: float | None) -> bool:
    """`multipleOf`: the writer's steps are not steps of the reader's."""
    if consumed is None:
        return False
    if produced is None:
        return True
    ratio = produced / consumed
    return not math.isclose(ratio, round(ratio))


def exact_breaks(produced: object, consumed: object) -> bool:
    """A rule that cannot be compared by size (`pattern`, `format`): any other reader rule."""
    return consumed is not None and produced != consumed


def flag_breaks(produced: bool, consumed: bool) -> bool:
    """A restriction that is on or off (`uniqueItems`, a closed object): the reader adds it."""
    return consumed and not produced


def alternative_refused(
    alternative: frozenset[str],
) -> Callable[[Collection[frozenset[str]], Collection[frozenset[str]]], bool]:
    """The rule for one way to authenticate (a set of credentials sent together).

    The writer is the client: it may authenticate this way, and the reader (the service)
    refuses it when none of its own ways needs only credentials the client sends.
    """

    def rule(produced: Collection[frozenset[str]], consumed: Collection[frozenset[str]]) -> bool:
        return alternative in produced and not any(way <= alternative for way in consumed)

    return rule
