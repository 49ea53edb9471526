"""The bundled server's transport sends a response head together with its body.

uvicorn writes the two separately; two sends cost two system calls and two TCP segments per
answer. The transport holds a small write until the next one, a close, or the end of the
event-loop turn, so nothing waits longer than that.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import pytest

from qiskit_runtime_jobs_mock._protocol import _OneSend

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


class _Recorder(asyncio.Transport):
    """A transport that records what reaches the socket, one entry per send."""

    def __init__(self) -> None:
        super().__init__()
        self.sends: list[bytes | tuple[bytes, ...]] = []
        self.closed = False

    def write(self, data: Any) -> None:
        self.sends.append(bytes(data))

    def writelines(self, list_of_data: Iterable[Any]) -> None:
        self.sends.append(tuple(bytes(d) for d in list_of_data))

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def sent() -> _Recorder:
    return _Recorder()


@pytest.mark.asyncio
async def test_head_and_body_leave_in_one_send(sent: _Recorder) -> None:
    transport = _OneSend(sent, asyncio.get_running_loop())
    transport.write(HEAD)
    assert sent.sends == []
    transport.write(b"{}")
    await asyncio.sleep(0)
    assert sent.sends == [HEAD + b"{}"]


@pytest.mark.asyncio
async def test_a_lone_write_leaves_at_the_end_of_the_turn(sent: _Recorder) -> None:
    """A head with no body after it (HEAD, 204, 100 Continue) is not held back."""
    transport = _OneSend(sent, asyncio.get_running_loop())
    transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    await asyncio.sleep(0)
    assert sent.sends == [b"HTTP/1.1 100 Continue\r\n\r\n"]


@pytest.mark.asyncio
async def test_close_sends_what_is_held_first(sent: _Recorder) -> None:
    transport = _OneSend(sent, asyncio.get_running_loop())
    transport.write(HEAD)
    transport.close()
    assert sent.sends == [HEAD]
    assert sent.closed


@pytest.mark.asyncio
async def test_a_large_body_is_not_copied_onto_its_head(sent: _Recorder) -> None:
    transport = _OneSend(sent, asyncio.get_running_loop())
    body = b"x" * (1024 * 1024)
    transport.write(HEAD)
    transport.write(body)
    transport.write(body)
    assert sent.sends == [(HEAD, body), body]
