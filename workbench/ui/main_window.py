"""The main window: the pages Chat, Compare, Discover (the Hub) and Library, as tabs.

The window is a shell: it hosts the pages, the settings button, the shortcuts that work
everywhere, notices about downloads, and the window state across restarts (geometry, splitter
sizes, which tab). Each page does its own feature — the chat through
:class:`~workbench.qt.chat.ChatController`, compare through
:class:`~workbench.qt.compare.CompareController`, the Hub through :mod:`workbench.qt.hub`.
"""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTabWidget, QToolButton

from workbench.core.state import app_state
from workbench.core.store import Store
from workbench.qt.chat import ChatController
from workbench.qt.cloud import CloudSession
from workbench.qt.compare import CompareController
from workbench.qt.hub import DownloadsController, HubSession
from workbench.ui.chat.page import ChatPage
from workbench.ui.compare.page import ComparePage
from workbench.ui.hub.discover import DiscoverPage
from workbench.ui.hub.library import LibraryPage
from workbench.ui.settings.dialog import SettingsDialog

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The application window: the pages as tabs, the settings button and the window state.

    ``chat`` is the chat page and ``chat_controller`` its logic; ``compare`` and
    ``compare_controller`` likewise; ``discover`` and ``library`` are the Hub's pages.
    """

    def __init__(
        self,
        store: Store,
        model_path: str | None = None,
        session: HubSession | None = None,
        cloud: CloudSession | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.session = session if session is not None else HubSession(parent=self)
        self.cloud = cloud if cloud is not None else CloudSession(parent=self)
        self.downloads = DownloadsController(self.session, self)
        self.chat_controller = ChatController(store, self.cloud, parent=self)
        self.compare_controller = CompareController(self.store, self.cloud, parent=self)
        self._state_file = app_state()
        self.setWindowTitle(self.tr("Workbench"))
        self._save_timer = QTimer(self, singleShot=True, interval=500)
        self._save_timer.timeout.connect(self.save_state)
        self._build()
        self._connect()
        self.restore_state(model_path)

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.chat = ChatPage(self.chat_controller, self)
        self.compare = ComparePage(self.compare_controller, self.cloud, self)
        self.discover = DiscoverPage(self.session, self.downloads, self)
        self.library = LibraryPage(self.session, self.downloads, self.chat.fit_settings, self)
        self.pages = QTabWidget(objectName="pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.chat, self.tr("Chat"))
        self.pages.addTab(self.compare, self.tr("Compare"))
        self.pages.addTab(self.discover, self.tr("Discover"))
        self.pages.addTab(self.library, self.tr("Library"))
        self.settings_button = QToolButton(objectName="settingsButton")
        self.settings_button.setText(self.tr("Settings"))
        self.settings_button.setAccessibleName(self.tr("Open the settings"))
        self.pages.setCornerWidget(self.settings_button, Qt.Corner.TopRightCorner)
        self.setCentralWidget(self.pages)
        self.resize(1280, 800)

        new_chat = QAction(self.tr("New chat"), self)
        new_chat.setShortcut(QKeySequence.StandardKey.New)
        new_chat.triggered.connect(self.chat.new_chat)
        self.addAction(new_chat)
        focus_search = QAction(self.tr("Search chats"), self)
        focus_search.setShortcut(QKeySequence.StandardKey.Find)
        focus_search.triggered.connect(self.chat.focus_search)
        self.addAction(focus_search)

    def _connect(self) -> None:
        self.chat.state_changed.connect(self._save_timer.start)
        self.chat.source_panel.manage_requested.connect(self.open_provider_settings)
        self.settings_button.clicked.connect(self.open_settings)
        self.discover.settings_requested.connect(self.open_settings)
        self.compare.prices_requested.connect(
            lambda: SettingsDialog(self.session, self, self.cloud, page="prices").open()
        )
        self.discover.show_downloads_requested.connect(
            lambda: self.pages.setCurrentWidget(self.library)
        )
        self.library.use_requested.connect(self.use_model)
        self.library.library_changed.connect(self._on_library_changed)
        self.downloads.jobs_changed.connect(self._update_library_tab)
        self.downloads.download_finished.connect(self._on_download_finished)
        self.downloads.download_failed.connect(self._on_download_failed)

    # -- settings, library and downloads ----------------------------------------------------------

    @Slot()
    def open_settings(self) -> None:
        SettingsDialog(self.session, self, self.cloud).open()

    @Slot(str)
    def open_provider_settings(self, provider_id: str = "") -> None:
        dialog = SettingsDialog(
            self.session, self, self.cloud, page="providers", provider_id=provider_id or None
        )
        dialog.open()

    @Slot(str)
    def use_model(self, path: str) -> None:
        """Choose a library model in the model panel and go to the chat."""
        self.chat.use_model(path)
        self.pages.setCurrentWidget(self.chat)

    @Slot(str)
    def bring_to_front(self, model_path: str = "") -> None:
        """Show this window above the others (a second start asked for it), choosing
        ``model_path`` in the chat page when one was given."""
        if model_path:
            self.use_model(model_path)
        state = self.windowState() & ~Qt.WindowState.WindowMinimized
        self.setWindowState(state | Qt.WindowState.WindowActive)
        self.show()
        self.raise_()
        self.activateWindow()

    def _on_library_changed(self, entries: list) -> None:
        paths = [str(e.path) for e in entries if e.error is None]
        self.chat.set_library(paths)
        self.compare.set_library(paths)

    def _update_library_tab(self, _jobs: list) -> None:
        active = self.downloads.active_count()
        index = self.pages.indexOf(self.library)
        if active:
            self.pages.setTabText(index, self.tr("Library ({n} downloading)").format(n=active))
        else:
            self.pages.setTabText(index, self.tr("Library"))

    def _on_download_finished(self, job) -> None:
        self.show_notice(
            self.tr("{name} is downloaded, verified and in your library.").format(name=job.name),
            transient=True,
        )

    def _on_download_failed(self, job) -> None:
        self.show_notice(job.error or self.tr("A download failed."))

    def show_notice(self, text: str, *, transient: bool = False) -> None:
        """One sentence in the notice line (under the chat)."""
        self.chat.show_notice(text, transient=transient)

    # -- state across restarts --------------------------------------------------------------------

    def restore_state(self, model_path: str | None) -> None:
        state = self._state_file.load()
        try:
            geometry = state.get("geometry")
            if geometry:
                self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
        except (ValueError, TypeError) as exc:
            log.warning("window state not restored: %s", exc)
        self.chat.restore_state(state, model_path)
        compare_session = state.get("compare_session")
        self.compare.restore(compare_session if isinstance(compare_session, int) else None)
        if state.get("page") == "compare":  # the other pages always open on Chat
            self.pages.setCurrentWidget(self.compare)

    @Slot()
    def save_state(self) -> None:
        state = {
            "geometry": base64.b64encode(bytes(self.saveGeometry())).decode("ascii"),
            **self.chat.state(),
            # The session open or being opened: a window closed before its restore arrived
            # keeps the session it was restoring.
            "compare_session": self.compare_controller.session_id,
            "page": "compare" if self.pages.currentWidget() is self.compare else "chat",
        }
        try:
            self._state_file.update(lambda saved: {**saved, **state})
        except OSError as exc:
            log.warning("could not save the window state: %s", exc)

    def closeEvent(self, event) -> None:
        self.save_state()
        # Partial files stay; the queue resumes them at the next start.
        self.downloads.shutdown()
        self.chat_controller.shutdown()
        self.compare_controller.shutdown()
        super().closeEvent(event)
