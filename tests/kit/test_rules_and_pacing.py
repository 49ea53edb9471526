"""The pure decisions of the contract kit, as tables: the page's state rules (`contract.rules`)
and the pacing of waits (`contract.pacing`), on a fake clock. The behaviours are in
test_behaviours.py."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from qiskit_runtime_jobs_kit.contract import pacing, rules
from qiskit_runtime_jobs_kit.contract.pacing import Progress

# (status, private) of the job when the request left, and its rule column.
STATES = {
    "Queued": ("Queued", False, "pending"),
    "Running": ("Running", False, "pending"),
    "Completed": ("Completed", False, "completed"),
    "Completed+private": ("Completed", True, "completed-private"),
    "Failed": ("Failed", False, "ended"),
    "Cancelled": ("Cancelled", False, "ended"),
}

# operation -> state -> the documented answer, and the other state's answer (a failure).
# A Running job answered with a terminal state's status is left out here: see the race table.
DOCUMENTED = [
    ("delete_job", "Queued", 400, 204),
    ("delete_job", "Running", 400, None),
    ("delete_job", "Completed", 204, 400),
    ("delete_job", "Completed+private", 204, 400),
    ("delete_job", "Failed", 204, 400),
    ("delete_job", "Cancelled", 204, 400),
    ("cancel_job", "Queued", 204, 409),
    ("cancel_job", "Running", 204, None),
    ("cancel_job", "Completed", 409, 204),
    ("cancel_job", "Completed+private", 409, 204),
    ("cancel_job", "Failed", 409, 204),
    ("cancel_job", "Cancelled", 409, 204),
    ("get_job_results", "Queued", 204, 200),
    ("get_job_results", "Running", 204, None),
    ("get_job_results", "Completed", 200, 204),
    ("get_job_results", "Completed+private", 200, None),
    ("get_job_results", "Completed+private", 204, None),  # the read-once second read
    # Only a Completed job has a "final result".
    ("get_job_results", "Failed", 204, 200),
    ("get_job_results", "Cancelled", 204, 200),
]


@pytest.mark.parametrize(("operation", "state", "documented", "wrong"), DOCUMENTED)
def test_judge_the_documented_answer_and_the_other_states(
    operation: str, state: str, documented: int, wrong: int | None
) -> None:
    status, private, column = STATES[state]
    passed = rules.judge(operation, status, documented, private=private)
    assert passed.ok is True, passed.message
    assert passed.state == column
    if wrong is not None:
        failed = rules.judge(operation, status, wrong, private=private)
        assert failed.ok is False
        assert failed.state == column
        assert f"answered {wrong}" in failed.message
        assert repr(status) in failed.message
        assert str(documented) in failed.message  # it names what the page documents


@pytest.mark.parametrize("operation", ["delete_job", "cancel_job", "get_job_results"])
@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("answered", [404, 401, 403, 500])
def test_answers_outside_the_rule_are_not_judged(operation: str, state: str, answered: int) -> None:
    status, private, column = STATES[state]
    verdict = rules.judge(operation, status, answered, private=private)
    assert verdict.ok is None
    assert verdict.state == column


@pytest.mark.parametrize(
    ("operation", "before", "answered"),
    [
        ("get_job", "Queued", 200),  # no rule for the operation
        ("delete_job", None, 204),  # never probed
        ("delete_job", "Mystery", 204),  # a status the rules do not know
    ],
)
def test_no_rule_no_verdict(operation: str, before: str | None, answered: int) -> None:
    assert rules.judge(operation, before, answered).ok is None


@pytest.mark.parametrize(
    ("operation", "before", "answered", "after", "ok", "state"),
    [
        # The job moved between the probe and the request: the later state's answer passes.
        ("delete_job", "Queued", 204, "Completed", True, "completed"),
        ("delete_job", "Running", 204, "Cancelled", True, "ended"),
        ("cancel_job", "Queued", 409, "Completed", True, "completed"),
        ("cancel_job", "Running", 409, "Failed", True, "ended"),
        ("get_job_results", "Running", 200, "Completed", True, "completed"),
        # ...but not an answer that fits neither state.
        ("delete_job", "Queued", 204, "Running", False, "pending"),
        ("cancel_job", "Queued", 409, "Queued", False, "pending"),
        ("cancel_job", "Running", 409, "Running", False, "pending"),
        ("get_job_results", "Running", 200, "Running", False, "pending"),
        ("cancel_job", "Completed", 204, "Completed", False, "completed"),
    ],
)
def test_judge_a_job_that_moved(
    operation: str, before: str, answered: int, after: str, ok: bool, state: str
) -> None:
    verdict = rules.judge(operation, before, answered, after=after)
    assert verdict.ok is ok, verdict.message
    assert verdict.state == state
    if ok:
        assert after in verdict.message


def test_a_successful_delete_of_a_running_job_is_inconclusive() -> None:
    # The delete removed the job, so nothing tells whether it ended first.
    verdict = rules.judge("delete_job", "Running", 204)
    assert verdict.ok is None
    assert verdict.state == "pending"
    assert "may have just ended" in verdict.message
    # A queued job cannot have run and ended in between: that 204 is a failure.
    assert rules.judge("delete_job", "Queued", 204).ok is False


def test_a_running_job_whose_answer_fits_a_terminal_state_is_looked_at_again() -> None:
    """The hooks' verdict for a request that leaves the job in place (cancel, results).

    `judge` calls a Running job's terminal-state answer inconclusive when it has no later
    state; for cancel and results the job still exists, so the hooks can (and must) look
    again: a job that is still Running was answered 409/200 wrongly.
    """
    from qiskit_runtime_jobs_kit.contract.context import Credentials, RunContext
    from qiskit_runtime_jobs_kit.contract.session import Look, Session

    class StillRunning(Session):
        def look(self, job_id: str) -> Look:
            return Look(200, "Running")

    session = StillRunning(RunContext(url="http://x", credentials=Credentials("c", token="t")))
    for operation, answered in (("cancel_job", 409), ("get_job_results", 200)):
        case = SimpleNamespace()
        session.verdicts.remember(case, Look(200, "Running"), operation, "job-1")
        verdict = session.verdicts.verdict(case, answered)
        assert verdict is not None
        assert verdict.ok is False, (operation, answered, verdict.message)


# ---------------------------------------------------------------- pacing


@pytest.mark.parametrize(
    ("recent", "now", "per_minute", "delay"),
    [
        ([], 100.0, 5, 0.0),
        ([10.0, 20.0, 30.0, 40.0], 50.0, 5, 0.0),  # fewer than N in the window
        ([-100.0, -70.0, 10.0, 20.0, 30.0, 40.0], 50.0, 5, 0.0),  # old ones left the window
        ([0.0, 10.0, 20.0, 30.0, 40.0], 60.0, 5, 0.0),  # exactly one window ago: outside
        ([0.0, 10.0, 20.0, 30.0, 40.0], 50.0, 5, 10.0),  # the oldest leaves at 60
        ([40.0, 0.0, 30.0, 10.0, 20.0], 50.0, 5, 10.0),  # order does not matter
        ([0.0, 10.0, 20.0, 30.0, 40.0, 50.0], 55.0, 5, 15.0),  # over: wait for the second
        ([30.0], 40.0, 1, 50.0),
        ([0.0, 0.0, 0.0], 1.0, 3, 59.0),
    ],
)
def test_pacing_delay(recent: list[float], now: float, per_minute: int, delay: float) -> None:
    assert pacing.pacing_delay(recent, now, per_minute) == pytest.approx(delay)


def test_pacing_delay_keeps_every_window_within_the_limit() -> None:
    # Creating whenever the delay says so never puts more than N creates in any window.
    sent: list[float] = []
    now = 0.0
    for _ in range(23):
        now += pacing.pacing_delay(sent, now, 5)
        sent.append(now)
        now += 0.5  # the create itself takes a moment
    for start in sent:
        assert sum(1 for t in sent if start <= t < start + 60.0) <= 5


class FakeTime:
    """A clock that moves only when slept on, and a log of what was said when."""

    def __init__(self) -> None:
        self.t = 0.0
        self.said: list[tuple[float, str]] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.t += seconds

    def write(self, text: str) -> None:
        self.said.append((self.t, text))

    def progress(self, every: float = 10.0) -> Progress:
        return Progress(write=self.write, every=every, now=self.now, sleep=self.sleep)

    def max_gap(self, start: float) -> float:
        """The longest silence from `start` to now."""
        times = [start, *(t for t, _ in self.said), self.t]
        return max(b - a for a, b in itertools.pairwise(times))


@pytest.mark.parametrize(("seconds", "every"), [(40.0, 10.0), (25.5, 10.0), (7.0, 10.0), (9, 2)])
def test_progress_wait_is_never_silent_for_long(seconds: float, every: float) -> None:
    fake = FakeTime()
    fake.progress(every).wait(seconds, "the create rate limit")
    assert fake.t == pytest.approx(seconds)  # waited the whole time, no more
    assert fake.said, "said nothing"
    assert fake.said[0][0] == 0.0  # says so before the first sleep
    assert fake.max_gap(0.0) <= every
    for _, text in fake.said:
        assert text.startswith("[contract] waiting ")
        assert "the create rate limit" in text
        assert text.endswith("\n")
    assert f"waiting {seconds:.0f}s" in fake.said[0][1]


def test_progress_wait_of_nothing_says_nothing() -> None:
    fake = FakeTime()
    fake.progress().wait(0.0, "nothing")
    fake.progress().wait(-3.0, "nothing")
    assert fake.said == []
    assert fake.t == 0.0


def test_progress_until_times_out_with_none() -> None:
    fake = FakeTime()
    calls: list[float] = []

    def check() -> str | None:
        calls.append(fake.t)
        return None

    found = fake.progress().until(check, lambda: "job j to end", timeout=30.0, poll=1.0)
    assert found is None
    assert fake.t == pytest.approx(30.0)  # gave up at the timeout, not later
    assert calls[0] == 0.0  # checked at once
    assert len(calls) >= 30  # polled every second
    assert fake.max_gap(0.0) <= 10.0
    assert all("job j to end" in text for _, text in fake.said)
    assert "of at most 30s" in fake.said[0][1]


def test_progress_until_returns_the_value_once_the_check_succeeds() -> None:
    fake = FakeTime()

    def check() -> str | None:
        return "Completed" if fake.t >= 12.0 else None

    found = fake.progress().until(check, lambda: "job j to end", timeout=300.0, poll=1.0)
    assert found == "Completed"
    assert 12.0 <= fake.t < 13.0  # noticed at the first poll after it happened
    assert fake.max_gap(0.0) <= 10.0


def test_progress_until_returns_a_falsy_value_and_does_not_wait() -> None:
    fake = FakeTime()
    assert fake.progress().until(lambda: 0, lambda: "x", timeout=10.0, poll=1.0) == 0
    assert fake.t == 0.0
    assert fake.said == []


def test_progress_until_with_a_long_poll_stops_at_the_timeout() -> None:
    fake = FakeTime()
    found = fake.progress().until(lambda: None, lambda: "x", timeout=25.0, poll=60.0)
    assert found is None
    assert fake.t == pytest.approx(25.0)


def test_a_stopping_run_ends_every_wait_at_once() -> None:
    """After a stop signal nothing waits out a rate limit or a queue: cleanup comes first."""
    fake = FakeTime()
    progress = fake.progress()
    progress.stop.set()
    progress.wait(60.0, "the create rate limit")
    polled: list[float] = []
    found = progress.until(lambda: polled.append(fake.t), lambda: "job j", 300.0, 1.0)
    assert found is None
    assert polled == [0.0]  # looked once, then gave up
    assert fake.t == 0.0


def test_the_real_sleep_wakes_up_when_the_run_stops() -> None:
    import threading
    import time

    progress = Progress(write=lambda _: None)
    threading.Timer(0.1, progress.stop.set).start()
    started = time.monotonic()
    progress.wait(30.0, "a long queue")
    assert time.monotonic() - started < 5.0
