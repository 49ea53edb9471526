"""What a driver method returns, in each of its two forms.

The async drivers (`_async/`) are written by hand and the sync ones (`_sync/`) generated from
them by unasync, which renames `AsyncX` to `SyncX`. Where a driver's type has to say "the
awaitable of a T", it says `AsyncReturns[T]`; the sync twin then says `SyncReturns[T]`, which
is T itself (`Annotated` adds only a note, and stays subscriptable at run time).
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Annotated, Any, TypeVar

T = TypeVar("T")

AsyncReturns = Coroutine[Any, Any, T]
SyncReturns = Annotated[T, "returned as is"]
