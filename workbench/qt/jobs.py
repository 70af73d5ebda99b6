"""The one way to run work off the GUI thread: jobs.

A job is a plain function run on a worker thread; its result (or exception) comes back on the
GUI thread to the callbacks given when it started. It is Vorta's job shape without the class
ceremony: *prepare* is whatever the caller does on the GUI thread before :meth:`JobRunner.run`,
*run* is the function, *cancel* is :meth:`Job.cancel`, and the *result signal* is the ``done``
or ``failed`` callback. Three habits live here so that no caller invents its own:

- **Queues.** Work on a resource that must not be used concurrently (the keychain, one model
  process) names a ``queue``: jobs on one queue run one at a time, in the order started. Other
  short jobs share a pool; long ones (a model load, a streaming reply) ask for ``thread=True``
  and get a thread of their own, so they never hold up a quick one.
- **Latest wins.** A job started with a ``slot`` supersedes the runner's earlier job in that
  slot: the earlier one is cancelled and its result dropped. This replaces the "is this result
  still current" counters that callers used to keep.
- **Ownership.** Workers never touch a widget. They report through one long-lived relay; each
  runner is a child of the object that uses it, so when that object goes away a late result is
  dropped instead of reaching a half-destroyed widget.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_ids = itertools.count(1)


class _Relay(QObject):
    finished = Signal(int, object, object)  # job id, result, exception


_relay: _Relay | None = None
_pool: ThreadPoolExecutor | None = None
_queues: dict[str, ThreadPoolExecutor] = {}
_queues_lock = threading.Lock()


def _relay_and_pool() -> tuple[_Relay, ThreadPoolExecutor]:
    global _relay, _pool
    if _relay is None:
        _relay = _Relay()
        # Short jobs wait on the network or the disk, not the CPU: a few threads keep a slow
        # request from holding up a quick one.
        _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="job")
    assert _pool is not None
    return _relay, _pool


def _queue(name: str) -> ThreadPoolExecutor:
    with _queues_lock:
        executor = _queues.get(name)
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"queue-{name}")
            _queues[name] = executor
        return executor


class Job:
    """A started job: its id, whether it was cancelled, and how to cancel it."""

    def __init__(self, job_id: int, cancel: Callable[[], None] | None) -> None:
        self.id = job_id
        self._cancel = cancel
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Drop the job's result and ask its work to stop (if it was given a way to)."""
        if self._cancelled.is_set():
            return
        self._cancelled.set()
        if self._cancel is not None:
            try:
                self._cancel()
            except Exception:  # cancelling must never raise into the GUI
                log.exception("cancelling job %d failed", self.id)


class JobRunner(QObject):
    """Runs ``fn()`` off the GUI thread and calls ``done(result)`` or ``failed(exc)`` on it.

    Unhandled exceptions in ``fn`` are logged and passed to ``failed``. A cancelled or
    superseded job calls neither.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: dict[int, tuple[Job, Callable[[Any], None], Callable[[Exception], None]]] = {}
        self._slots: dict[str, Job] = {}
        relay, _pool = _relay_and_pool()
        relay.finished.connect(self._on_finished)

    def run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        *,
        queue: str | None = None,
        slot: str | None = None,
        thread: bool = False,
        cancel: Callable[[], None] | None = None,
    ) -> Job:
        """Start ``fn`` and return its :class:`Job`.

        Args:
            queue: run one at a time with the other jobs of this queue name (any runner's).
            slot: supersede (cancel) this runner's earlier job in the same slot.
            thread: a long job: run on a thread of its own.
            cancel: called by :meth:`Job.cancel`, from the GUI thread, to stop the work.
        """
        if thread and queue is not None:
            # A queue's jobs run on the queue's thread; a job of its own thread would not wait.
            raise ValueError("a job runs either on a queue or on a thread of its own")
        relay, pool = _relay_and_pool()
        job = Job(next(_ids), cancel)
        if slot is not None:
            previous = self._slots.get(slot)
            if previous is not None:
                previous.cancel()
            self._slots[slot] = job
        self._jobs[job.id] = (job, done or _ignore, failed or self._log_failure)

        def work() -> None:
            if job.cancelled:
                relay.finished.emit(job.id, None, None)
                return
            try:
                result, error = fn(), None
            except Exception as exc:  # reported on the GUI thread, never lost
                result, error = None, exc
            relay.finished.emit(job.id, result, error)

        if thread:
            threading.Thread(target=work, daemon=True, name=f"job-{job.id}").start()
        elif queue is not None:
            _queue(queue).submit(work)
        else:
            pool.submit(work)
        return job

    def pending(self) -> int:
        """Jobs started by this runner whose result has not been delivered (or dropped) yet."""
        return len(self._jobs)

    def cancel_all(self) -> None:
        for job, _done, _failed in list(self._jobs.values()):
            job.cancel()

    def _on_finished(self, job_id: int, result: object, error: object) -> None:
        entry = self._jobs.pop(job_id, None)
        if entry is None:
            return  # another runner's job
        job, done, failed = entry
        for name, current in list(self._slots.items()):
            if current is job:
                del self._slots[name]
        if not shiboken6.isValid(self):
            # The object that owned this runner is gone (its C++ side deleted while the Python
            # wrapper lives on): its callbacks would touch deleted widgets.
            self._jobs.clear()
            with contextlib.suppress(RuntimeError, TypeError):
                _relay_and_pool()[0].finished.disconnect(self._on_finished)
            return
        if job.cancelled:
            return
        if isinstance(error, Exception):
            failed(error)
        else:
            done(result)

    @staticmethod
    def _log_failure(exc: Exception) -> None:
        log.error("background job failed", exc_info=exc)


def _ignore(_result: Any) -> None:
    pass
