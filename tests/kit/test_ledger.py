"""The ledger on disk: what a run's file says after any stop, and which runs count as gone.

A run's lock is held through a second process where liveness is the point (the OS drops a
dead process's lock); the rest is plain files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qiskit_runtime_jobs_kit.contract import ledger
from qiskit_runtime_jobs_kit.contract.ledger import Ledger, LedgerRecord


def test_a_ledger_records_jobs_in_order_once(tmp_path: Path) -> None:
    path = tmp_path / "run-a.jsonl"
    book = Ledger(path)
    book.start("a", "qrj-contract-run-a", "http://x")
    for job in ("j1", "j2", "j1", "j3"):
        book.created(job)
    book.deleted("j2")
    book.deleted("j2")
    assert book.count == 3
    assert book.left == ["j1", "j3"]
    assert book.owns("j2")
    assert not book.owns("j4")
    record = LedgerRecord.load(path)
    assert (record.run_id, record.tag) == ("a", "qrj-contract-run-a")
    assert list(record.created) == ["j1", "j2", "j3"]
    assert record.left == ["j1", "j3"]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 5  # header, 3 created, 1 deleted
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_lines_it_did_not_write_are_skipped(tmp_path: Path) -> None:
    """A ledger from another version, or edited by hand, never stops a later run."""
    path = tmp_path / "run-a.jsonl"
    path.write_text(
        '[1, 2]\n{"event": "created"}\n{"event": "run"}\n{"event": "created", "id": 7}\n'
        '{"event": "run", "run_id": "a", "tag": "t", "started": "soon"}\n'
        '{"event": "created", "id": "j1"}\n',
        encoding="utf-8",
    )
    record = LedgerRecord.load(path)
    assert (record.run_id, record.tag, record.started) == ("a", "t", 0.0)
    assert record.left == ["j1"]


def test_a_line_torn_by_a_kill_is_skipped_and_the_next_one_kept(tmp_path: Path) -> None:
    path = tmp_path / "run-a.jsonl"
    book = Ledger(path)
    book.created("j1")
    with open(path, "ab") as sink:
        sink.write(b'{"event": "created", "id": "j')  # the process died mid-write
    # A later process appends its own whole line: the torn bytes spoil only their own line.
    with open(path, "ab") as sink:
        sink.write(b"\n")
    Ledger(path).created("j2")
    assert list(LedgerRecord.load(path).created) == ["j1", "j2"]


def test_a_ledger_without_a_path_lives_in_memory(tmp_path: Path) -> None:
    book = Ledger(None)
    book.created("j1")
    book.reload()
    assert book.left == ["j1"]
    assert list(tmp_path.iterdir()) == []


def test_reload_sees_what_the_other_process_wrote(tmp_path: Path) -> None:
    path = tmp_path / "run-a.jsonl"
    runner_side, child_side = Ledger(path), Ledger(path)
    child_side.created("j1")
    assert runner_side.count == 0
    runner_side.reload()
    assert runner_side.left == ["j1"]


HOLDER = """
import sys, time
from pathlib import Path
from qiskit_runtime_jobs_kit.contract import ledger
with ledger.held(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def _holding(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "held\n"
    proc.stdout.close()
    return proc


def test_only_runs_whose_process_is_gone_are_abandoned(tmp_path: Path) -> None:
    live, dead, own = (ledger.ledger_file(tmp_path, name) for name in ("live", "dead", "own"))
    for path, job in ((live, "a"), (dead, "b"), (own, "c")):
        Ledger(path).created(job)
    holder, killed = _holding(live), _holding(dead)
    try:
        killed.kill()  # SIGKILL: the OS drops its lock
        killed.wait(timeout=30)
        with ledger.abandoned_runs(tmp_path, own) as records:
            assert [record.path for record in records] == [dead]
            assert records[0].left == ["b"]
            # While one run cleans up after it, no other run takes it too.
            with ledger.abandoned_runs(tmp_path, tmp_path / "other.jsonl") as others:
                assert dead not in [record.path for record in others]
            ledger.forget(records[0])
        assert not dead.exists()
        assert not dead.with_suffix(".lock").exists()
        assert live.exists()
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_a_run_that_left_nothing_leaves_no_file(tmp_path: Path) -> None:
    path = ledger.ledger_file(tmp_path / "target", "a")
    with ledger.held(path):
        Ledger(path).start("a", "tag", "http://x")
        path.unlink()
    assert list((tmp_path / "target").iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="O_APPEND semantics are POSIX's")
def test_appends_from_two_processes_interleave_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "run-a.jsonl"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from qiskit_runtime_jobs_kit.contract.ledger import Ledger\n"
        "book = Ledger(Path(sys.argv[1]), durable=False)\n"
        "for i in range(300): book.created(sys.argv[2] + str(i))\n"
    )
    writers = [subprocess.Popen([sys.executable, "-c", code, str(path), prefix]) for prefix in "xy"]
    for writer in writers:
        assert writer.wait(timeout=60) == 0
    lines = path.read_bytes().splitlines()
    assert len(lines) == 600
    assert {json.loads(line)["id"][0] for line in lines} == {"x", "y"}  # each line whole
    assert len(LedgerRecord.load(path).created) == 600
