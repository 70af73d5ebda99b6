"""Qt adapters for the engine: loading and replies run on worker threads, only signals cross.

The GUI thread owns every widget and model; these objects live in the GUI thread, do the slow
work on plain Python threads, and report through signals (queued across threads by Qt).
Streaming text is coalesced: the worker thread appends to a buffer and a GUI-thread timer
drains it at most 20 times a second, so a fast model cannot flood the event loop.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.backend import Error, ReasoningDelta, Reply, Stats, TextDelta
from workbench.core.local.host import LoadInfo, LocalBackend, ModelLoadError
from workbench.core.options import LoadOptions

FLUSH_INTERVAL_MS = 50

log = logging.getLogger(__name__)


class ModelController(QObject):
    """Loads and unloads one local model without blocking the GUI.

    Signals:
        load_started(str): the file name.
        load_progressed(float): 0.0 … 1.0.
        load_finished(object): the :class:`LoadInfo`.
        load_failed(str, str): message, kind ("cancelled" when the user cancelled).
        unloaded(): the model process has ended.
    """

    load_started = Signal(str)
    load_progressed = Signal(float)
    load_finished = Signal(object)
    load_failed = Signal(str, str)
    unloaded = Signal()
    # From the worker thread to the GUI thread: state changes happen there, in order with the
    # public signals, so a widget never sees "not loading" before it hears why.
    _load_succeeded = Signal(object, object)
    _load_errored = Signal(object, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend: LocalBackend | None = None
        self._loading: LocalBackend | None = None
        self._load_succeeded.connect(self._on_load_succeeded)
        self._load_errored.connect(self._on_load_errored)

    @property
    def is_loading(self) -> bool:
        return self._loading is not None

    def load(self, path: str, options: LoadOptions) -> None:
        self.cancel_load()
        self.unload()
        backend = LocalBackend(path, options)
        self._loading = backend
        self.load_started.emit(backend.model_name)
        threading.Thread(target=self._load, args=(backend,), daemon=True, name="model-load").start()

    def _load(self, backend: LocalBackend) -> None:
        try:
            info: LoadInfo = backend.load(self.load_progressed.emit)
        except ModelLoadError as exc:
            self._load_errored.emit(backend, str(exc), exc.kind)
        except Exception as exc:  # a bug must cost a message, not a window stuck "loading"
            log.exception("loading %s failed unexpectedly", backend.path)
            message = self.tr("Loading failed unexpectedly: {0} (details are in the log file).")
            self._load_errored.emit(backend, message.format(exc), "load_failed")
        else:
            self._load_succeeded.emit(backend, info)

    def _on_load_succeeded(self, backend: LocalBackend, info: LoadInfo) -> None:
        if backend is not self._loading:  # superseded by a newer load: drop it
            threading.Thread(target=backend.unload, daemon=True).start()
            return
        self._loading = None
        self.backend = backend
        self.load_finished.emit(info)

    def _on_load_errored(self, backend: LocalBackend, message: str, kind: str) -> None:
        if backend is not self._loading:
            return
        self._loading = None
        self.load_failed.emit(message, kind)

    def cancel_load(self) -> None:
        if self._loading is not None:
            self._loading.cancel_load()

    def unload(self) -> None:
        backend, self.backend = self.backend, None
        if backend is not None:
            # Ending a process can take a moment; never on the GUI thread.
            threading.Thread(target=self._unload, args=(backend,), daemon=True).start()

    def _unload(self, backend: LocalBackend) -> None:
        backend.unload()
        self.unloaded.emit()


class ReplyRunner(QObject):
    """Iterates one :class:`Reply` on a worker thread and reports it in coalesced batches.

    Signals:
        text_received(str, str): new answer text, new reasoning text (either may be empty).
        reply_finished(object): the final :class:`Stats`.
        reply_failed(str): one sentence for the user.
    """

    text_received = Signal(str, str)
    reply_finished = Signal(object)
    reply_failed = Signal(str)
    _ended = Signal(object)

    def __init__(self, reply: Reply, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reply = reply
        self._lock = threading.Lock()
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_INTERVAL_MS)
        self._timer.timeout.connect(self._flush)
        self._ended.connect(self._on_ended)

    def start(self) -> None:
        self._timer.start()
        threading.Thread(target=self._run, daemon=True, name="reply").start()

    def cancel(self) -> None:
        self.reply.cancel()

    def _run(self) -> None:
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
            final = Error(f"The reply stopped because of an internal error: {exc}")
        self._ended.emit(final)

    def _flush(self) -> None:
        with self._lock:
            text, reasoning = "".join(self._text), "".join(self._reasoning)
            self._text.clear()
            self._reasoning.clear()
        if text or reasoning:
            self.text_received.emit(text, reasoning)

    def _on_ended(self, final: Stats | Error | None) -> None:
        self._timer.stop()
        self._flush()
        if isinstance(final, Stats):
            self.reply_finished.emit(final)
        elif isinstance(final, Error):
            self.reply_failed.emit(final.message)
        else:
            self.reply_failed.emit("The reply ended without a result.")
