"""Run slow calls (network, disk, keychain) on worker threads; get the result on the GUI thread.

Workers never touch a widget. They report through one long-lived relay object; each
:class:`TaskRunner` listens to it and calls back only for its own tasks. A runner is a child of
the widget that uses it, so when the widget goes away its connection goes too, and a late result
is simply dropped instead of reaching a half-destroyed object.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

_ids = itertools.count(1)


class _Relay(QObject):
    finished = Signal(int, object, object)  # task id, result, exception


_relay: _Relay | None = None
_pool: ThreadPoolExecutor | None = None


def _shared() -> tuple[_Relay, ThreadPoolExecutor]:
    global _relay, _pool
    if _relay is None:
        _relay = _Relay()
        # Hub calls wait on the network, not the CPU: a few threads keep a slow request from
        # holding up a quick one.
        _pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="task")
    assert _pool is not None
    return _relay, _pool


class TaskRunner(QObject):
    """Runs ``fn()`` on a worker thread and calls ``done(result)`` or ``failed(exc)`` on the GUI
    thread. Unhandled exceptions in ``fn`` are logged and passed to ``failed``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None]]] = {}
        relay, _pool = _shared()
        relay.finished.connect(self._on_finished)

    def run(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None] | None = None,
    ) -> int:
        """Start ``fn`` and return the task's id."""
        relay, pool = _shared()
        task_id = next(_ids)
        self._callbacks[task_id] = (done, failed or self._log_failure)

        def work() -> None:
            try:
                result, error = fn(), None
            except Exception as exc:  # reported on the GUI thread, never lost
                result, error = None, exc
            relay.finished.emit(task_id, result, error)

        pool.submit(work)
        return task_id

    def pending(self) -> int:
        return len(self._callbacks)

    def _on_finished(self, task_id: int, result: object, error: object) -> None:
        callbacks = self._callbacks.pop(task_id, None)
        if callbacks is None:
            return  # another runner's task
        if not shiboken6.isValid(self):
            # The widget that owned this runner is gone (its C++ side deleted while the Python
            # wrapper lives on): its callbacks would touch deleted widgets.
            self._callbacks.clear()
            with contextlib.suppress(RuntimeError, TypeError):
                _shared()[0].finished.disconnect(self._on_finished)
            return
        done, failed = callbacks
        if isinstance(error, Exception):
            failed(error)
        else:
            done(result)

    @staticmethod
    def _log_failure(exc: Exception) -> None:
        log.error("background task failed", exc_info=exc)
