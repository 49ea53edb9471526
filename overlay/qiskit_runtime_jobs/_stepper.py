"""Drive a sans-IO generator: the one piece that lets a loop be written once for sync and async.

The generator yields a request (what it needs done), is sent the answer or thrown the error,
and returns its value. A sync driver and an async driver each run the same generator with a
few lines of their own: `_wait` (fetch / sleep / cancel) and `_result_cache` (fetch / join).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar

__all__ = ["Stepper", "adrive", "drive"]

R = TypeVar("R")
V = TypeVar("V")


class Stepper(Generic[R, V]):
    """Where a generator is: its pending `request`, or (once `finished`) its `value`."""

    def __init__(self, steps: Generator[R, Any, V]) -> None:
        self._steps = steps
        self.finished = False
        self.request: R
        self.value: V
        self._advance(lambda: next(steps))

    def feed(self, answer: Any) -> None:
        """Send the answer to the pending request."""
        self._advance(lambda: self._steps.send(answer))

    def fail(self, error: BaseException) -> None:
        """Raise `error` where the generator waits (it may handle it, or it propagates)."""
        self._advance(lambda: self._steps.throw(error))

    def _advance(self, step: Callable[[], R]) -> None:
        try:
            self.request = step()
        except StopIteration as done:
            self.finished, self.value = True, done.value


def drive(
    steps: Generator[R, Any, V],
    perform: Callable[[R], Any],
    *,
    catch: type[BaseException] = BaseException,
) -> V:
    """Run `steps` to the end, performing each request with `perform`.

    An error of type `catch` is thrown into the generator (which may handle it); any other
    error propagates from here unchanged.
    """
    run = Stepper(steps)
    while not run.finished:
        try:
            answer = perform(run.request)
        except catch as error:
            run.fail(error)
        else:
            run.feed(answer)
    return run.value


async def adrive(
    steps: Generator[R, Any, V],
    perform: Callable[[R], Awaitable[Any]],
    *,
    catch: type[BaseException] = BaseException,
) -> V:
    """`drive`, awaiting each request."""
    run = Stepper(steps)
    while not run.finished:
        try:
            answer = await perform(run.request)
        except catch as error:
            run.fail(error)
        else:
            run.feed(answer)
    return run.value
