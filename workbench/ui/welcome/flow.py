"""The welcome page in the window: shown instead of the tabs on a first run, then never again.

:func:`install_welcome` puts the window's tabs and the welcome page in one stack and decides,
with :func:`~workbench.qt.firstrun.needs_welcome`, which one the window opens on. The page goes
away for good when the user skips it, opens a model, or a model or provider appears.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from workbench.core.state import app_state
from workbench.qt.firstrun import WELCOME_DONE_KEY, needs_welcome
from workbench.ui.welcome.page import WelcomePage

log = logging.getLogger(__name__)


class WelcomeFlow(QObject):
    """Owns the window's central stack: ``shell.tabs`` or ``page``."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.page = WelcomePage(window.session, window.downloads, window)
        self.tabs = window.takeCentralWidget()  # the tabs; taken, not deleted
        self.shell = QStackedWidget(objectName="shell")
        self.shell.addWidget(self.tabs)
        self.shell.addWidget(self.page)
        window.setCentralWidget(self.shell)
        self._connect()
        try:
            done = app_state().load().get(WELCOME_DONE_KEY) is True
        except OSError:
            done = False
        conversations = len(window.store.list_conversations(limit=1))
        chosen = 1 if window.chat.panel.model_path() else None  # --model, or the last one used
        if needs_welcome(chosen, len(window.cloud.providers()), conversations, done):
            self.shell.setCurrentWidget(self.page)
            self.page.local_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _connect(self) -> None:
        w = self.window
        self.page.skip_requested.connect(self.finish)
        self.page.cloud_requested.connect(lambda: w.open_provider_settings(""))
        self.page.settings_requested.connect(w.open_settings)
        self.page.file_chosen.connect(self.open_model)
        self.page.model_ready.connect(self.open_model)
        w.library.library_changed.connect(self._on_library)
        w.cloud.providers_changed.connect(self._on_providers)

    def showing(self) -> bool:
        return self.shell.currentWidget() is self.page

    def finish(self) -> None:
        """Leave the welcome page for good."""
        self.shell.setCurrentWidget(self.tabs)
        try:
            app_state().update(lambda saved: {**saved, WELCOME_DONE_KEY: True})
        except OSError as exc:
            log.warning("could not save the window state: %s", exc)

    def open_model(self, path: str) -> None:
        """The chat with ``path`` chosen and loading, and a first message to send."""
        w = self.window
        self.finish()
        w.use_model(path)  # chooses and loads it
        if not w.chat.composer.toPlainText().strip():
            w.chat.composer.setPlainText(
                self.tr("Hello! What can you help me with? Please answer in two sentences.")
            )
        w.chat.composer.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_library(self, entries: list) -> None:
        # A model that was there before the welcome page was used: the ordinary window.
        if self.showing() and not self.page.busy() and any(e.error is None for e in entries):
            self.finish()

    def _on_providers(self) -> None:
        if self.window.cloud.providers():
            self.finish()


def install_welcome(window: QMainWindow) -> WelcomeFlow:
    """Put the welcome page into ``window`` (after its tabs are built)."""
    return WelcomeFlow(window)
