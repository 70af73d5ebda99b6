"""The main window (first version): pick a GGUF file, load it, chat, see the figures.

Every slow step runs through :mod:`workbench.qt.workers`; this module only arranges widgets and
reacts to signals. Conversations are saved as they stream (core.chat.RecordingReply).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.core.chat import send_message
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.store import Store
from workbench.qt.workers import ModelController, ReplyRunner


class MainWindow(QMainWindow):
    def __init__(self, store: Store, model_path: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.controller = ModelController(self)
        self.runner: ReplyRunner | None = None
        self.conversation_id: int | None = None
        self.setWindowTitle(self.tr("Workbench"))
        self.resize(900, 680)
        self._build()
        self._connect()
        if model_path:
            self.model_picker.setText(model_path)
        self._update_buttons()

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)

        row = QHBoxLayout()
        self.model_picker = QLineEdit(objectName="modelPicker")
        self.model_picker.setPlaceholderText(self.tr("Path to a .gguf model file"))
        self.model_picker.setAccessibleName(self.tr("Model file"))
        self.browse_button = QPushButton(self.tr("Browse…"), objectName="browseButton")
        self.load_button = QPushButton(self.tr("Load"), objectName="loadButton")
        self.unload_button = QPushButton(self.tr("Unload"), objectName="unloadButton")
        self.cancel_load_button = QPushButton(self.tr("Cancel"), objectName="cancelLoadButton")
        for w in (
            self.model_picker,
            self.browse_button,
            self.load_button,
            self.unload_button,
            self.cancel_load_button,
        ):
            row.addWidget(w)
        layout.addLayout(row)

        self.progress = QProgressBar(objectName="loadProgress")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)

        self.message_view = QTextBrowser(objectName="messageView")
        self.message_view.setOpenExternalLinks(False)
        self.message_view.setAccessibleName(self.tr("Conversation"))
        layout.addWidget(self.message_view, 1)

        self.status = QLabel(objectName="statusLine")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

        bottom = QHBoxLayout()
        self.composer = QPlainTextEdit(objectName="composer")
        self.composer.setPlaceholderText(self.tr("Type a message; Ctrl+Enter sends"))
        self.composer.setAccessibleName(self.tr("Message"))
        self.composer.setMaximumHeight(110)
        self.send_button = QPushButton(self.tr("Send"), objectName="sendButton")
        self.stop_button = QPushButton(self.tr("Stop"), objectName="stopButton")
        bottom.addWidget(self.composer, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        bottom.addLayout(buttons)
        layout.addLayout(bottom)
        self.setCentralWidget(central)

    def _connect(self) -> None:
        self.browse_button.clicked.connect(self.browse)
        self.load_button.clicked.connect(self.load_model)
        self.unload_button.clicked.connect(self.controller.unload)
        self.cancel_load_button.clicked.connect(self.controller.cancel_load)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        QShortcut(QKeySequence("Ctrl+Return"), self.composer, activated=self.send)
        c = self.controller
        c.load_started.connect(self.on_load_started)
        c.load_progressed.connect(lambda f: self.progress.setValue(round(f * 100)))
        c.load_finished.connect(self.on_loaded)
        c.load_failed.connect(self.on_load_failed)
        c.unloaded.connect(self.on_unloaded)

    def _update_buttons(self) -> None:
        loading = self.controller.is_loading
        loaded = self.controller.backend is not None
        busy = self.runner is not None
        self.load_button.setEnabled(not loading and not busy)
        self.unload_button.setEnabled(loaded and not busy)
        self.cancel_load_button.setVisible(loading)
        self.send_button.setEnabled(loaded and not busy)
        self.stop_button.setEnabled(busy)

    # -- model ----------------------------------------------------------------------------------

    @Slot()
    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a model"), "", self.tr("GGUF models (*.gguf);;All files (*)")
        )
        if path:
            self.model_picker.setText(path)

    @Slot()
    def load_model(self) -> None:
        path = self.model_picker.text().strip()
        if not path:
            self.status.setText(self.tr("Choose a model file first."))
            return
        self.controller.load(path, LoadOptions())
        self._update_buttons()

    @Slot(str)
    def on_load_started(self, name: str) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText(self.tr("Loading {0}…").format(name))
        self._update_buttons()

    @Slot(object)
    def on_loaded(self, info) -> None:
        self.progress.setVisible(False)
        self.status.setText(
            self.tr("{0} is ready ({1:.1f} s, context {2} tokens).").format(
                info.model_name, info.load_s, info.n_ctx
            )
        )
        self._update_buttons()

    @Slot(str, str)
    def on_load_failed(self, message: str, kind: str) -> None:
        self.progress.setVisible(False)
        self.status.setText(message)
        self._update_buttons()

    @Slot()
    def on_unloaded(self) -> None:
        if self.controller.backend is None and not self.controller.is_loading:
            self.status.setText(self.tr("The model was unloaded."))
        self._update_buttons()

    # -- chat -----------------------------------------------------------------------------------

    @Slot()
    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        backend = self.controller.backend
        if not text or backend is None or self.runner is not None:
            return
        if self.conversation_id is None:
            title = " ".join(text.split())[:60]
            self.conversation_id = self.store.create_conversation(
                title, model=backend.model_name
            ).id
        self.composer.clear()
        self._append(self.tr("You") + ": " + text + "\n\n" + backend.model_name + ": ")
        reply = send_message(self.store, backend, self.conversation_id, text, SamplingParams())
        self.runner = ReplyRunner(reply, self)
        self.runner.text_received.connect(self.on_text)
        self.runner.reply_finished.connect(self.on_finished)
        self.runner.reply_failed.connect(self.on_failed)
        self.runner.start()
        self._update_buttons()

    @Slot()
    def stop(self) -> None:
        if self.runner is not None:
            self.runner.cancel()

    def _append(self, text: str) -> None:
        # Insert at the end only: the cost of an update does not grow with the conversation.
        cursor = self.message_view.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        bar = self.message_view.verticalScrollBar()
        bar.setValue(bar.maximum())

    @Slot(str, str)
    def on_text(self, text: str, _reasoning: str) -> None:
        if text:
            self._append(text)

    @Slot(object)
    def on_finished(self, stats) -> None:
        figures = self.tr("{0} tokens, {1} tok/s, first token after {2} s").format(
            stats.completion_tokens,
            f"{stats.tokens_per_s:.1f}" if stats.tokens_per_s else "–",
            f"{stats.ttft_s:.2f}" if stats.ttft_s is not None else "–",
        )
        if stats.finish_reason == "cancelled":
            figures = self.tr("Stopped.") + " " + figures
        self._append("\n\n")
        self.status.setText(figures)
        self._end_reply()

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self._append("\n\n")
        self.status.setText(message)
        if self.controller.backend is not None and not self.controller.backend.is_loaded:
            self.controller.backend = None  # the process died: offer Load again
        self._end_reply()

    def _end_reply(self) -> None:
        if self.runner is not None:
            self.runner.deleteLater()
        self.runner = None
        self._update_buttons()

    def closeEvent(self, event) -> None:
        if self.runner is not None:
            self.runner.cancel()
        backend = self.controller.backend
        if backend is not None:
            backend.unload()
        super().closeEvent(event)
