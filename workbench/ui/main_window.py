"""The main window: the pages Chat, Compare, Discover (the Hub) and Library, as tabs.

The window is a shell: it hosts the pages, the settings button, the menu bar (File, Edit, View,
Model, Help) with the shortcuts that work everywhere, notices about downloads, the window state
across restarts (geometry, splitter sizes, which tab) and loading the last model at start.
Each page does its own feature — the chat through
:class:`~workbench.qt.chat.ChatController`, compare through
:class:`~workbench.qt.compare.CompareController`, the Hub through :mod:`workbench.qt.hub`.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolButton,
)

from workbench import __version__
from workbench.core import paths
from workbench.core.state import app_state, clear_loading, crashed_loading
from workbench.core.store import Store
from workbench.qt.chat import ChatController
from workbench.qt.cloud import CloudSession
from workbench.qt.compare import CompareController
from workbench.qt.hub import DownloadsController, HubSession
from workbench.qt.server import ServerController
from workbench.ui.chat.exchange import ChatExchange
from workbench.ui.chat.page import ChatPage
from workbench.ui.compare.page import ComparePage
from workbench.ui.focus import install_focus_style
from workbench.ui.hub.discover import DiscoverPage
from workbench.ui.hub.library import LibraryPage
from workbench.ui.settings.dialog import SettingsDialog
from workbench.ui.welcome.flow import install_welcome

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
        self.server_controller = ServerController(self.chat_controller.models, self.cloud, self)
        self._state_file = app_state()
        # Set by Restart now in the settings: app.main starts Workbench again after closing.
        self.restart_requested = False
        self.setWindowTitle(self.tr("Workbench"))
        install_focus_style()
        self._save_timer = QTimer(self, singleShot=True, interval=500)
        self._save_timer.timeout.connect(self.save_state)
        self._build()
        self._connect()
        self.restore_state(model_path)
        self.welcome = install_welcome(self)  # a first run opens on the welcome page
        self.server_controller.autostart_failed.connect(self.show_notice)
        self.server_controller.start_if_wanted()

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
        # Import and export of chats; also takes export files dropped on the window.
        self.exchange = ChatExchange(
            self.store, self, self.chat.sidebar.current_id, self.chat.sidebar.chats
        )
        self._build_menus()

    # -- the menu bar -----------------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        name: str,
        text: str,
        slot: Callable[[], Any],
        keys: QKeySequence.StandardKey | str | None = None,
        fallback: str | None = None,
    ) -> QAction:
        """An action in ``menu``, kept in ``self.actions_by_name``; ``keys`` is a standard key
        (or a key sequence), ``fallback`` the keys to use where the platform has no standard."""
        action = QAction(text, self, objectName=name)
        shortcuts: list[QKeySequence] = []
        if isinstance(keys, QKeySequence.StandardKey):
            shortcuts = list(QKeySequence.keyBindings(keys))
        elif keys:
            shortcuts = [QKeySequence(keys)]
        if not shortcuts and fallback:
            shortcuts = [QKeySequence(fallback)]
        action.setShortcuts(shortcuts)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_menus(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        bar = self.menuBar()
        bar.setObjectName("menuBar")
        add = self._action

        file = bar.addMenu(self.tr("&File"))
        add(
            file, "newChatAction", self.tr("&New chat"), self.new_chat, QKeySequence.StandardKey.New
        )
        add(
            file,
            "openModelAction",
            self.tr("&Open model file…"),
            self.open_model_file,
            QKeySequence.StandardKey.Open,
        )
        file.addSeparator()
        add(file, "importChatsAction", self.tr("&Import chats…"), self.exchange.choose_import)
        add(file, "exportChatsAction", self.tr("&Export chats…"), self.exchange.choose_export)
        file.addSeparator()
        add(
            file,
            "settingsAction",
            self.tr("&Settings…"),
            self.open_settings,
            QKeySequence.StandardKey.Preferences,
            "Ctrl+,",
        )
        file.addSeparator()
        quit_action = add(
            file,
            "quitAction",
            self.tr("&Quit"),
            self.close,
            QKeySequence.StandardKey.Quit,
            "Ctrl+Q",
        )
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        edit = bar.addMenu(self.tr("&Edit"))
        # The focused text box, list or view does the work, with its own keys: a second
        # shortcut here would make those keys ambiguous. The menu shows them all the same.
        for name, text, key, method in (
            ("undoAction", self.tr("&Undo"), QKeySequence.StandardKey.Undo, "undo"),
            ("redoAction", self.tr("&Redo"), QKeySequence.StandardKey.Redo, "redo"),
            ("cutAction", self.tr("Cu&t"), QKeySequence.StandardKey.Cut, "cut"),
            ("copyAction", self.tr("&Copy"), QKeySequence.StandardKey.Copy, "copy"),
            ("pasteAction", self.tr("&Paste"), QKeySequence.StandardKey.Paste, "paste"),
            (
                "selectAllAction",
                self.tr("Select &all"),
                QKeySequence.StandardKey.SelectAll,
                "selectAll",
            ),
        ):
            shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            action = add(edit, name, f"{text}\t{shown}" if shown else text, self._to_focus(method))
            action.setData(method)
        edit.addSeparator()
        add(edit, "findAction", self.tr("&Find chats"), self.find, QKeySequence.StandardKey.Find)
        edit.aboutToShow.connect(self._update_edit_menu)

        view = bar.addMenu(self.tr("&View"))
        for number, page, text in (
            (1, self.chat, self.tr("&Chat")),
            (2, self.compare, self.tr("C&ompare")),
            (3, self.discover, self.tr("&Discover")),
            (4, self.library, self.tr("&Library")),
        ):
            name = f"show{page.__class__.__name__.removesuffix('Page')}Action"
            add(view, name, text, lambda p=page: self.pages.setCurrentWidget(p), f"Ctrl+{number}")
        view.addSeparator()
        view.addAction(self.chat.panel_action)
        self.actions_by_name["togglePanelAction"] = self.chat.panel_action

        model = bar.addMenu(self.tr("&Model"))
        add(model, "loadModelAction", self.tr("&Load"), self._load_model)
        add(model, "unloadModelAction", self.tr("&Unload"), self.chat.unload_model)
        model.addSeparator()
        add(model, "stopReplyAction", self.tr("&Stop reply"), self.chat_controller.stop)
        model.aboutToShow.connect(self._update_model_menu)

        help_menu = bar.addMenu(self.tr("&Help"))
        add(help_menu, "logsFolderAction", self.tr("Open the &logs folder"), self.open_logs_folder)
        about = add(help_menu, "aboutAction", self.tr("&About Workbench"), self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)

    def _to_focus(self, method: str) -> Callable[[], None]:
        def call() -> None:
            target = getattr(QApplication.focusWidget(), method, None)
            if callable(target):
                target()

        return call

    def _update_edit_menu(self) -> None:
        focus = QApplication.focusWidget()
        for name in ("undoAction", "redoAction", "cutAction", "copyAction", "pasteAction"):
            action = self.actions_by_name[name]
            action.setEnabled(callable(getattr(focus, action.data(), None)))
        self.actions_by_name["selectAllAction"].setEnabled(
            callable(getattr(focus, "selectAll", None))
        )

    def _update_model_menu(self) -> None:
        models = self.chat_controller.models
        panel = self.chat.panel
        self.actions_by_name["loadModelAction"].setEnabled(
            panel.model_path() is not None and not models.is_loading
        )
        self.actions_by_name["unloadModelAction"].setEnabled(panel.unload_button.isEnabled())
        self.actions_by_name["stopReplyAction"].setEnabled(self.chat_controller.busy)

    @Slot()
    def new_chat(self) -> None:
        self.pages.setCurrentWidget(self.chat)
        self.chat.new_chat()

    @Slot()
    def find(self) -> None:
        self.pages.setCurrentWidget(self.chat)
        self.chat.focus_search()

    def _load_model(self) -> None:
        self.pages.setCurrentWidget(self.chat)
        self.chat.load_chosen_model()

    @Slot()
    def open_model_file(self) -> None:
        """Choose a GGUF file anywhere and chat with it."""
        current = self.chat.panel.model_path()
        start = os.path.dirname(current) if current else str(self.session.models_dir())
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Open a model file"), start, self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.use_model(path)

    @Slot()
    def open_logs_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.logs_dir())))

    @Slot()
    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle(self.tr("About Workbench"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(self.tr("Workbench {version}").format(version=__version__))
        box.setInformativeText(
            self.tr(
                "Chat with models on this computer or through cloud services. Data folder: {folder}"
            ).format(folder=paths.data_dir())
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _connect(self) -> None:
        self.chat.state_changed.connect(self._save_timer.start)
        self.chat.source_panel.manage_requested.connect(self.open_provider_settings)
        self.settings_button.clicked.connect(self.open_settings)
        self.discover.settings_requested.connect(self.open_settings)
        self.compare.prices_requested.connect(lambda: self._open_settings(page="prices"))
        self.discover.show_downloads_requested.connect(
            lambda: self.pages.setCurrentWidget(self.library)
        )
        self.library.use_requested.connect(self.use_model)
        self.discover.use_requested.connect(self.use_model)
        self.library.library_changed.connect(self._on_library_changed)
        self.downloads.jobs_changed.connect(self._update_library_tab)
        self.downloads.download_finished.connect(self._on_download_finished)
        self.downloads.download_failed.connect(self._on_download_failed)
        self.exchange.notice.connect(lambda text, done: self.show_notice(text, transient=done))
        self.exchange.imported.connect(lambda _ids: self.chat.sidebar.reload())
        self.chat.sidebar.export_requested.connect(self.exchange.choose_export)

    # -- settings, library and downloads ----------------------------------------------------------

    def _open_settings(self, **options: Any) -> SettingsDialog:
        options.setdefault("server", self.server_controller)
        dialog = SettingsDialog(self.session, self, self.cloud, **options)
        dialog.restart_requested.connect(self.restart)
        dialog.open()
        return dialog

    @Slot()
    def open_settings(self) -> None:
        self._open_settings()

    @Slot(str)
    def open_provider_settings(self, provider_id: str = "") -> None:
        self._open_settings(page="providers", provider_id=provider_id or None)

    @Slot()
    def restart(self) -> None:
        """Close the window the usual way (chats saved, model process stopped); app.main then
        starts Workbench again once this one has let go of the data folder."""
        self.restart_requested = True
        if not self.close():
            self.restart_requested = False

    @Slot(str)
    def use_model(self, path: str) -> None:
        """Chat with a model file: choose and load it in the chat page and go there."""
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
        text = self.tr("{name} is downloaded, verified and in your library.").format(name=job.name)
        # The first shard of a split model is the file to load.
        models = sorted(str(p) for p in job.dest_paths if p.suffix.lower() == ".gguf")
        if not models:
            self.show_notice(text, transient=True)
            return
        self.show_notice(
            text, action=self.tr("Chat with it"), on_action=lambda: self.use_model(models[0])
        )

    def _on_download_failed(self, job) -> None:
        self.show_notice(job.error or self.tr("A download failed."))

    def show_notice(
        self,
        text: str,
        *,
        transient: bool = False,
        action: str | None = None,
        on_action: Callable[[], object] | None = None,
    ) -> None:
        """One sentence in the notice line (under the chat), with an optional action button."""
        self.chat.show_notice(text, transient=transient, action=action, on_action=on_action)

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
        self._load_at_start(state, model_path)

    def _load_at_start(self, state: dict[str, Any], model_path: str | None) -> None:
        """Load the model of the command line, or the one loaded when the app last closed (the
        setting allowing) — unless the last run ended while loading it."""
        crashed = crashed_loading(state)
        if crashed is not None:
            clear_loading()
            self.show_notice(
                self.tr(
                    "Workbench closed while loading {name} last time, so it is not loaded "
                    "again now; press Load to try."
                ).format(name=Path(crashed).name)
            )
            return
        if model_path:
            self.chat.use_model(model_path)
            return
        last = state.get("loaded_model")
        wanted = self.session.settings.load_last_model and isinstance(last, str) and last
        # One stat: a file deleted since is simply not loaded.
        if wanted and os.path.isfile(last):
            self.chat.use_model(last)

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
        self.server_controller.shutdown()  # before the model process it serves ends
        self.chat_controller.shutdown()
        self.compare_controller.shutdown()
        super().closeEvent(event)
