"""The one job mechanism: results on the GUI thread, queues in order, latest wins, cancel."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread

from workbench.qt.jobs import JobRunner


def test_result_and_failure_arrive_on_the_gui_thread(qtbot):
    runner = JobRunner()
    got: list[tuple[str, object, bool]] = []
    gui = QThread.currentThread()

    def note(kind):
        return lambda value: got.append((kind, value, QThread.currentThread() is gui))

    runner.run(lambda: 41 + 1, note("done"))
    runner.run(lambda: 1 / 0, note("done"), note("failed"))
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5_000)
    assert ("done", 42, True) in got
    failed = [g for g in got if g[0] == "failed"]
    assert len(failed) == 1 and isinstance(failed[0][1], ZeroDivisionError) and failed[0][2]


def test_a_queue_runs_its_jobs_one_at_a_time_in_order(qtbot):
    runner = JobRunner()
    order: list[int] = []
    running = threading.Semaphore(1)

    def work(i):
        def fn():
            assert running.acquire(blocking=False), "two jobs of one queue ran at once"
            try:
                threading.Event().wait(0.01)
                order.append(i)
            finally:
                running.release()

        return fn

    for i in range(8):
        runner.run(work(i), queue="test-order")
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5_000)
    assert order == list(range(8))


def test_a_newer_job_in_a_slot_drops_the_older_result(qtbot):
    runner = JobRunner()
    release = threading.Event()
    got: list[str] = []
    runner.run(lambda: release.wait(5) and "old", got.append, slot="s")
    runner.run(lambda: "new", got.append, slot="s")
    qtbot.waitUntil(lambda: got == ["new"], timeout=5_000)
    release.set()
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5_000)
    assert got == ["new"]


def test_cancel_calls_the_work_s_cancel_and_drops_the_result(qtbot):
    runner = JobRunner()
    stop = threading.Event()
    got: list[object] = []
    job = runner.run(lambda: stop.wait(5), got.append, got.append, thread=True, cancel=stop.set)
    job.cancel()
    assert job.cancelled and stop.is_set()
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=5_000)
    assert got == []


def test_a_result_for_a_deleted_owner_is_dropped(qtbot):
    owner = QObject()
    runner = JobRunner(owner)
    release = threading.Event()
    got: list[object] = []
    runner.run(lambda: release.wait(5), got.append, queue="owner-test")
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(runner), timeout=5_000)
    release.set()
    other = JobRunner()
    done: list[object] = []
    # Same queue: this result is emitted, and so delivered, after the deleted owner's.
    other.run(lambda: None, done.append, queue="owner-test")
    qtbot.waitUntil(lambda: done == [None], timeout=5_000)
    assert got == []


def test_a_job_is_on_a_queue_or_on_its_own_thread_not_both():
    with pytest.raises(ValueError):
        JobRunner().run(lambda: None, queue="q", thread=True)


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
