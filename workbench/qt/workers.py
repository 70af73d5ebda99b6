"""Qt adapters for the engine: loading and replies run as jobs, only signals cross.

The GUI thread owns every widget and model; these objects live in the GUI thread, do the slow
work through :class:`~workbench.qt.jobs.JobRunner`, and report through signals. Streaming text is
coalesced: the job appends to a buffer and a GUI-thread timer drains it at most 20 times a
second, so a fast model cannot flood the event loop; less often when an update costs more (the
window's work stays a small share of the time, and of the CPU the model needs).
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.backend import Error, ReasoningDelta, Reply, Stats, TextDelta
from workbench.core.local.host import LoadInfo, LocalBackend, ModelLoadError
from workbench.core.names import local_name
from workbench.core.options import LoadOptions
from workbench.core.state import clear_loading, mark_loading
from workbench.qt.jobs import JobRunner

FLUSH_INTERVAL_MS = 50  # the shortest time between two batches of text
MAX_FLUSH_INTERVAL_MS = 250  # the longest, however costly an update is
GUI_SHARE = 0.1  # the share of the time that updating the window may take

clock = time.perf_counter  # (tests give the runner a clock of their own)

log = logging.getLogger(__name__)

_controller_numbers = itertools.count(1)


class ModelController(QObject):
    """Loads and unloads one local model without blocking the GUI.

    The model process is a resource: every load and unload of one controller runs on the
    controller's own job queue, in the order asked, so a new model never starts loading while
    the previous one is still being shut down (both would hold memory at once).

    Signals:
        load_started(str): the file name.
        load_progressed(float): 0.0 … 1.0.
        load_finished(object): the :class:`LoadInfo`.
        load_failed(object): an :class:`~workbench.core.backend.Error` (``message`` for the
            user; ``kind`` is "cancelled" when the user cancelled).
        unloaded(): the model process has ended.
    """

    load_started = Signal(str)
    load_progressed = Signal(float)
    load_finished = Signal(object)
    load_failed = Signal(object)
    unloaded = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend: LocalBackend | None = None
        self._loading: LocalBackend | None = None
        self._queue = f"model-{next(_controller_numbers)}"
        self._jobs = JobRunner(self)

    @property
    def is_loading(self) -> bool:
        return self._loading is not None

    @property
    def loading_name(self) -> str | None:
        """The name of the model being loaded, or None."""
        return local_name(self._loading.model_name) if self._loading is not None else None

    @property
    def loading_path(self) -> str | None:
        """The file of the model being loaded, or None."""
        return str(self._loading.path) if self._loading is not None else None

    def is_loaded_with(self, path: str, options: LoadOptions) -> bool:
        """Whether ``path`` is the model loaded (or loading) now, with these options."""
        backend = self._loading or self.backend
        return (
            backend is not None
            and _same_file(backend.path, path)
            and backend.options.to_dict() == options.to_dict()
        )

    def load(self, path: str, options: LoadOptions) -> None:
        """Load ``path`` in place of whatever is loaded or loading (that one is dropped).

        While the load runs, the app state holds a marker naming the file, so that a start
        after a crash during this load knows not to load it again by itself.
        """
        self.unload()
        backend = LocalBackend(path, options)
        self._loading = backend
        self.load_started.emit(backend.model_name)

        def work() -> LoadInfo:
            mark_loading(str(backend.path))
            try:
                return backend.load(self.load_progressed.emit)
            finally:
                clear_loading(str(backend.path))

        def drop() -> None:
            # Superseded by a newer load: stop this one, and end its process once the load
            # returns (the queue runs this unload after it, whatever the load's outcome).
            backend.cancel_load()
            self._jobs.run(backend.unload, queue=self._queue)

        self._jobs.run(
            work,
            lambda info: self._on_loaded(backend, info),
            lambda exc: self._on_load_error(backend, exc),
            queue=self._queue,
            slot="load",
            cancel=drop,
        )

    def _on_loaded(self, backend: LocalBackend, info: LoadInfo) -> None:
        self._loading = None
        self.backend = backend
        self.load_finished.emit(info)

    def _on_load_error(self, backend: LocalBackend, exc: Exception) -> None:
        self._loading = None
        if isinstance(exc, ModelLoadError):
            error = Error(str(exc), exc.kind)
        else:  # a bug must cost a message, not a window stuck "loading"
            log.error("loading %s failed unexpectedly", backend.path, exc_info=exc)
            message = self.tr("Loading failed unexpectedly: {error} (details are in the log file).")
            error = Error(message.format(error=exc), "load_failed")
        self.load_failed.emit(error)

    def cancel_load(self) -> None:
        """Stop the load in progress; load_failed follows with the kind "cancelled"."""
        if self._loading is not None:
            self._loading.cancel_load()

    def unload(self) -> None:
        """End the model process (off the GUI thread: it can take a moment); unloaded follows."""
        backend, self.backend = self.backend, None
        if backend is not None:
            self._jobs.run(backend.unload, lambda _none: self.unloaded.emit(), queue=self._queue)

    def forget(self, backend: object) -> None:
        """The model process of ``backend`` died: drop it, so the next reply asks for a load."""
        if backend is not None and backend is self.backend:
            self.unload()

    def shutdown(self) -> None:
        """The window closes: stop a load in progress and end the model process now."""
        loading, self._loading = self._loading, None
        if loading is not None:
            loading.cancel_load()  # its job ends the process once the load returns
        backend, self.backend = self.backend, None
        if backend is not None:
            backend.unload()


def _same_file(a: os.PathLike | str, b: os.PathLike | str) -> bool:
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


class ReplyRunner(QObject):
    """Iterates one :class:`Reply` as a job and reports it in coalesced batches.

    Signals:
        text_received(str, str): new answer text, new reasoning text (either may be empty).
        reply_finished(object): the final :class:`Stats`.
        reply_failed(object): the :class:`~workbench.core.backend.Error` (``message`` is one
            sentence for the user, ``kind`` says what failed).
    """

    text_received = Signal(str, str)
    reply_finished = Signal(object)
    reply_failed = Signal(object)

    def __init__(self, reply: Reply, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reply = reply
        self._lock = threading.Lock()
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_INTERVAL_MS)
        self._timer.timeout.connect(self._flush)
        self._cost = 0.0  # seconds of GUI work per batch, smoothed
        self._jobs = JobRunner(self)

    @property
    def interval_ms(self) -> int:
        """The time between two batches of text now."""
        return self._timer.interval()

    def start(self) -> None:
        self._timer.start()
        # A thread of its own: a reply streams for as long as the model talks.
        self._jobs.run(self._run, self._on_ended, thread=True)

    def cancel(self) -> None:
        """Ask the reply to stop; reply_finished follows with the finish reason "cancelled"."""
        self.reply.cancel()

    def _run(self) -> Stats | Error | None:
        final: Stats | Error | None = None
        try:
            for event in self.reply:
                if isinstance(event, TextDelta):
                    with self._lock:
                        self._text.append(event.text)
                elif isinstance(event, ReasoningDelta):
                    with self._lock:
                        self._reasoning.append(event.text)
                elif isinstance(event, (Stats, Error)):
                    final = event
        except Exception as exc:  # a bug must end this reply, not the app
            log.exception("a reply stopped because of an internal error")
            # (QCoreApplication.translate is thread-safe: this runs on the reply's thread.)
            message = self.tr("The reply stopped because of an internal error: {error}")
            final = Error(message.format(error=exc))
        return final

    def _flush(self) -> None:
        with self._lock:
            text, reasoning = "".join(self._text), "".join(self._reasoning)
            self._text.clear()
            self._reasoning.clear()
        if text or reasoning:
            started = clock()
            self.text_received.emit(text, reasoning)
            # What the batch cost: the slots, and what they left to the event loop (relayout,
            # repaint), which runs before a zero timer does.
            QTimer.singleShot(0, self, lambda: self._measured(clock() - started))

    def _measured(self, cost: float) -> None:
        """Spaces batches so that updating the window takes at most GUI_SHARE of the time."""
        self._cost = cost if self._cost == 0.0 else 0.7 * self._cost + 0.3 * cost
        wanted = round(self._cost / GUI_SHARE * 1000)
        self._timer.setInterval(max(FLUSH_INTERVAL_MS, min(MAX_FLUSH_INTERVAL_MS, wanted)))

    def _on_ended(self, final: Stats | Error | None) -> None:
        self._timer.stop()
        self._flush()
        if isinstance(final, Stats):
            self.reply_finished.emit(final)
        elif isinstance(final, Error):
            self.reply_failed.emit(final)
        else:
            self.reply_failed.emit(Error(self.tr("The reply ended without a result.")))
