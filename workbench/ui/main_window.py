"""The main window: three pages — Chat, Discover (the Hub) and Library (models and downloads).

The Chat page has conversations on the left, the chat in the middle and the model on the right.
This module arranges the feature widgets and wires them to the engine through
:mod:`workbench.qt.workers` and :mod:`workbench.qt.hub`; it holds no engine logic of its own.
Every slow step — loading a model, generating, opening a long chat, talking to the Hub,
downloading, scanning the library — runs off the GUI thread.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import threading

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.chat import history as chat_history
from workbench.core.chat import start_reply
from workbench.core.cloud.backend import CloudBackend
from workbench.core.cloud.params import EXTRA_SAMPLING_FIELDS
from workbench.core.local.host import LocalBackend
from workbench.core.state import app_state
from workbench.core.store import Store, StoreError
from workbench.qt.cloud import CloudSession
from workbench.qt.compare import CompareController
from workbench.qt.hub import DownloadsController, HubSession
from workbench.qt.message_model import MessageItem, MessageListModel, items_for_thread
from workbench.qt.workers import ModelController, ReplyRunner
from workbench.ui.chat.model_panel import ModelPanel
from workbench.ui.chat.sidebar import Sidebar
from workbench.ui.chat.source_panel import LOCAL, SourcePanel
from workbench.ui.chat.view import ChatView
from workbench.ui.compare.page import ComparePage
from workbench.ui.hub.discover import DiscoverPage
from workbench.ui.hub.library import LibraryPage
from workbench.ui.settings.dialog import SettingsDialog
from workbench.ui.widgets.composer import Composer, composer_row

log = logging.getLogger(__name__)

TITLE_CHARS = 60


class MainWindow(QMainWindow):
    """Signals:
    thread_loaded(int): the messages of a conversation are on screen (its id).
    """

    thread_loaded = Signal(int)
    _thread_ready = Signal(
        int, int, object
    )  # load generation, conversation id, items (worker → GUI)

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
        self._cloud_backend: CloudBackend | None = None
        self._cloud_backend_key: tuple | None = None
        self._reply_backend = None
        self.downloads = DownloadsController(self.session, self)
        self.controller = ModelController(self)
        self.runner: ReplyRunner | None = None
        self.streaming_row = -1
        self.conversation_id: int | None = None
        self.editing: MessageItem | None = None
        self._load_generation = 0
        self._state_file = app_state()
        self.setWindowTitle(self.tr("Workbench"))
        self._save_timer = QTimer(self, singleShot=True, interval=500)
        self._save_timer.timeout.connect(self.save_state)
        self._build()
        self._connect()
        self.restore_state(model_path)
        self._update_controls()

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.sidebar = Sidebar(self.store, self)
        self.messages = MessageListModel(self)
        self.view = ChatView(self)
        self.view.setModel(self.messages)

        self.chat_title = QLabel(objectName="chatTitle")
        self.chat_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.chat_title.font()
        font.setBold(True)
        self.chat_title.setFont(font)
        self.panel_button = QToolButton(objectName="togglePanelButton")
        self.panel_button.setText(self.tr("Model"))
        self.panel_button.setCheckable(True)
        self.panel_button.setChecked(True)
        self.panel_button.setAccessibleName(self.tr("Show or hide the model panel"))
        self.panel_button.setToolTip(self.tr("Show or hide the model panel (Ctrl+Shift+M)"))
        self.panel_button.setShortcut(QKeySequence("Ctrl+Shift+M"))
        top = QHBoxLayout()
        top.addWidget(self.chat_title, 1)
        top.addWidget(self.panel_button)

        self.banner = QLabel(objectName="chatBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setAccessibleName(self.tr("Notice"))
        self.edit_banner = QLabel(objectName="editBanner")
        self.edit_banner.setVisible(False)

        self.composer = Composer(self)
        self.send_button = QPushButton(self.tr("Send"), objectName="sendButton")
        self.send_button.setAccessibleName(self.tr("Send message"))
        self.stop_button = QPushButton(self.tr("Stop"), objectName="stopButton")
        self.stop_button.setAccessibleName(self.tr("Stop the reply"))
        bottom = composer_row(self.composer, self.send_button, self.stop_button)

        chat = QWidget(objectName="chatPane")
        layout = QVBoxLayout(chat)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.edit_banner)
        layout.addLayout(bottom)

        self.panel = ModelPanel(self)
        self.source_panel = SourcePanel(self.cloud, self)
        self.right_pane = QWidget(objectName="rightPane")
        right = QVBoxLayout(self.right_pane)
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self.source_panel)
        right.addWidget(self.panel, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(chat)
        self.splitter.addWidget(self.right_pane)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([260, 680, 340])

        self.discover = DiscoverPage(self.session, self.downloads, self)
        self.library = LibraryPage(self.session, self.downloads, self._fit_settings, self)
        self.pages = QTabWidget(objectName="pages")
        self.pages.setDocumentMode(True)
        self.compare_controller = CompareController(self.store, self.cloud, parent=self)
        self.compare = ComparePage(self.compare_controller, self.cloud, self)
        self.pages.addTab(self.splitter, self.tr("Chat"))
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
        new_chat.triggered.connect(self.new_chat)
        self.addAction(new_chat)
        focus_search = QAction(self.tr("Search chats"), self)
        focus_search.setShortcut(QKeySequence.StandardKey.Find)
        focus_search.triggered.connect(
            lambda: self.sidebar.findChild(QWidget, "conversationSearch").setFocus()
        )
        self.addAction(focus_search)

    def _connect(self) -> None:
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.conversation_deleted.connect(self._on_conversation_deleted)
        self.composer.send_requested.connect(self.send)
        self.composer.escape_pressed.connect(self.cancel_edit)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        self.view.action_triggered.connect(self.on_message_action)
        self.view.notice_shown.connect(self.show_notice)
        self.panel_button.toggled.connect(self._toggle_panel)
        self._thread_ready.connect(self._on_thread_ready)

        self.settings_button.clicked.connect(self.open_settings)
        self.discover.settings_requested.connect(self.open_settings)
        self.discover.show_downloads_requested.connect(
            lambda: self.pages.setCurrentWidget(self.library)
        )
        self.library.use_requested.connect(self.use_model)
        self.library.library_changed.connect(self._on_library_changed)
        self.downloads.jobs_changed.connect(self._update_library_tab)
        self.downloads.download_finished.connect(self._on_download_finished)
        self.downloads.download_failed.connect(self._on_download_failed)

        self.source_panel.source_changed.connect(self._on_source_changed)
        self.source_panel.model_changed.connect(self._save_timer.start)
        self.source_panel.manage_requested.connect(self.open_provider_settings)

        self.panel.load_requested.connect(self.controller.load)
        self.panel.unload_requested.connect(self.controller.unload)
        self.panel.cancel_load_requested.connect(self.controller.cancel_load)
        self.panel.settings_changed.connect(self._save_timer.start)
        c = self.controller
        c.load_started.connect(self._on_load_started)
        c.load_progressed.connect(self.panel.show_progress)
        c.load_finished.connect(self._on_loaded)
        c.load_failed.connect(self._on_load_failed)
        c.unloaded.connect(self._on_unloaded)

    # -- Hub, library and downloads ---------------------------------------------------------------

    def _fit_settings(self) -> tuple[int, str, str]:
        """Context length and KV cache type of the model panel, for the library's fit badges."""
        try:
            options = self.panel.load_options()
        except (TypeError, ValueError):
            return 4096, "f16", "f16"
        kv = options.kv_cache_type or "f16"
        return options.context_length or 4096, kv, kv

    @Slot()
    def open_settings(self) -> None:
        SettingsDialog(self.session, self, self.cloud).open()

    @Slot(str)
    def open_provider_settings(self, provider_id: str = "") -> None:
        dialog = SettingsDialog(
            self.session, self, self.cloud, page="providers", provider_id=provider_id or None
        )
        dialog.open()

    # -- where replies come from ------------------------------------------------------------------

    def _on_source_changed(self, source: str) -> None:
        self.panel.set_local_mode(source == LOCAL)
        provider = self.cloud.provider(source) if source != LOCAL else None
        if provider is not None and not provider.preset_info().extra_sampling:
            self.panel.set_unsent_sampling(
                set(EXTRA_SAMPLING_FIELDS),
                self.tr("{name} does not take this setting; it is not sent.").format(
                    name=provider.name
                ),
            )
        else:
            self.panel.set_unsent_sampling(set())
        self._save_timer.start()

    def _backend_for_reply(self):
        """The backend the next reply comes from, or None after saying what is missing."""
        source = self.source_panel.source()
        if source == LOCAL:
            backend = self.controller.backend
            if backend is None:
                self.show_notice(
                    self.tr(
                        "Load a model first: choose one in the panel on the right and press Load."
                    )
                )
                self.panel_button.setChecked(True)
            return backend
        provider = self.cloud.provider(source)
        model = self.source_panel.cloud_model()
        if provider is None:
            return None
        self.source_panel.commit_model()
        if not model:
            self.show_notice(
                self.tr("Choose a model for {name} on the right.").format(name=provider.name)
            )
            self.panel_button.setChecked(True)
            return None
        if self.cloud.needs_key(source) and self.cloud.key_source(source) is None:
            self.show_notice(
                self.tr("There is no key for {name} yet: add it in Settings › Providers.").format(
                    name=provider.name
                )
            )
            return None
        # One backend (one connection pool) is reused while provider, model and key stay.
        key = (source, model, provider.base_url, self.cloud.key_version(source))
        if self._cloud_backend is None or self._cloud_backend_key != key:
            if self._cloud_backend is not None:
                self._cloud_backend.close()
            self._cloud_backend = self.cloud.backend(source, model)
            self._cloud_backend_key = key
        return self._cloud_backend

    @Slot(str)
    def use_model(self, path: str) -> None:
        """Choose a library model in the model panel and go to the chat."""
        self.panel.set_model_path(path)
        self.pages.setCurrentWidget(self.splitter)
        self.panel_button.setChecked(True)

    def _on_library_changed(self, entries: list) -> None:
        paths = [str(e.path) for e in entries if e.error is None]
        self.panel.set_library(paths)
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

    def _toggle_panel(self, shown: bool) -> None:
        self.right_pane.setVisible(shown)
        self._save_timer.start()

    # -- state across restarts --------------------------------------------------------------------

    def restore_state(self, model_path: str | None) -> None:
        state = self._state_file.load()
        try:
            geometry = state.get("geometry")
            if geometry:
                self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
            sizes = state.get("splitter")
            if (
                isinstance(sizes, list)
                and len(sizes) == 3
                and all(isinstance(x, int) for x in sizes)
            ):
                self.splitter.setSizes(sizes)
            self.panel.set_state(state.get("panel") or {})
            shown = state.get("panel_visible", True) is not False
            self.panel_button.setChecked(shown)
            self.right_pane.setVisible(shown)
            self.source_panel.set_state(state.get("source") or {})
        except (ValueError, TypeError) as exc:
            log.warning("window state not restored: %s", exc)
        if model_path:
            self.panel.set_model_path(model_path)
        compare_session = state.get("compare_session")
        self.compare.restore(compare_session if isinstance(compare_session, int) else None)
        if state.get("page") == "compare":  # the other pages always open on Chat
            self.pages.setCurrentWidget(self.compare)
        last = state.get("conversation")
        if isinstance(last, int):
            try:
                self.store.get_conversation(last)
            except (KeyError, StoreError):
                last = None
        if isinstance(last, int):
            self.sidebar.select(last)
            self.open_conversation(last)
        else:
            self.new_chat()

    @Slot()
    def save_state(self) -> None:
        state = {
            "geometry": base64.b64encode(bytes(self.saveGeometry())).decode("ascii"),
            "splitter": self.splitter.sizes(),
            "panel": self.panel.state(),
            "panel_visible": self.panel_button.isChecked(),
            "source": self.source_panel.state(),
            "conversation": self.conversation_id,
            "compare_session": (
                self.compare_controller.session.id if self.compare_controller.session else None
            ),
            "page": "compare" if self.pages.currentWidget() is self.compare else "chat",
        }
        try:
            self._state_file.save(state)
        except OSError as exc:
            log.warning("could not save the window state: %s", exc)

    # -- conversations ----------------------------------------------------------------------------

    @Slot()
    def new_chat(self) -> None:
        if self.runner is not None:
            self.show_notice(self.tr("Stop the reply before starting a new chat."))
            return
        self.conversation_id = None
        self._load_generation += 1
        self.messages.clear()
        self.cancel_edit()
        self.chat_title.setText(self.tr("New chat"))
        self.composer.setFocus()
        self._save_timer.start()

    @Slot(int)
    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id == self.conversation_id and self.messages.rowCount():
            return
        if self.runner is not None:
            self.show_notice(self.tr("Stop the reply before switching chats."))
            if self.conversation_id is not None:
                self.sidebar.select(self.conversation_id)
            return
        self.cancel_edit()
        self.conversation_id = conversation_id
        try:
            self.chat_title.setText(self.store.get_conversation(conversation_id).title)
        except (KeyError, StoreError):
            self.new_chat()
            return
        self.reload_thread()
        self._save_timer.start()

    def reload_thread(self) -> None:
        """Read the visible thread on a worker thread; the GUI shows it when it arrives."""
        if self.conversation_id is None:
            return
        self._load_generation += 1
        generation, conversation_id = self._load_generation, self.conversation_id

        def work() -> None:
            try:
                thread = self.store.thread(conversation_id)
                items = items_for_thread(thread, self.store.thread_versions(conversation_id))
            except (KeyError, StoreError) as exc:
                log.warning("could not read conversation %s: %s", conversation_id, exc)
                items = []
            self._thread_ready.emit(generation, conversation_id, items)

        threading.Thread(target=work, daemon=True, name="open-chat").start()

    def _on_thread_ready(
        self, generation: int, conversation_id: int, items: list[MessageItem]
    ) -> None:
        if generation != self._load_generation:
            return  # the user has moved on
        self.messages.set_items(items)
        self.thread_loaded.emit(conversation_id)

    def _on_conversation_deleted(self, conversation_id: int) -> None:
        if conversation_id == self.conversation_id:
            self.new_chat()

    def _touch_sidebar(self) -> None:
        if self.conversation_id is None:
            return
        try:
            c = self.store.get_conversation(self.conversation_id)
        except (KeyError, StoreError):
            return
        self.sidebar.conversation_changed(c.id, c.title, c.updated_at)

    # -- sending ----------------------------------------------------------------------------------

    @Slot()
    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        if not text or self.runner is not None:
            return
        backend = self._backend_for_reply()
        if backend is None:
            return
        try:
            if self.conversation_id is None:
                title = " ".join(text.split())[:TITLE_CHARS]
                conversation = self.store.create_conversation(title, model=backend.model_name)
                self.conversation_id = conversation.id
                self.chat_title.setText(conversation.title)
                self.sidebar.select(conversation.id)
            self.store.update_conversation(
                self.conversation_id,
                system_prompt=self.panel.system_prompt() or None,
                model=backend.model_name,
            )
            if self.editing is not None:
                # Edit and resend: the new text becomes a new version beside the old message.
                row = self.messages.row_of(self.editing.id)
                message = self.store.add_message(
                    self.conversation_id, "user", text, parent_id=self.editing.parent_id
                )
                self.messages.truncate(max(0, row))
                self.cancel_edit()
            else:
                message = self.store.add_message(self.conversation_id, "user", text)
        except StoreError as exc:
            self.show_notice(str(exc))
            return
        self.composer.clear()
        row = self.messages.append_item(
            MessageItem(id=message.id, role="user", content=text, parent_id=message.parent_id)
        )
        self._refresh_versions(row)
        self._start_reply(backend, parent_id=message.id)
        self._touch_sidebar()

    def _start_reply(self, backend, parent_id: int) -> None:
        # The thread on screen is the conversation to send (versions not shown are left out).
        history = chat_history(self.messages.items(), self.panel.system_prompt().strip())
        try:
            reply = start_reply(
                self.store,
                backend,
                self.conversation_id,
                history,
                self.panel.sampling(),
                parent_id=parent_id,
            )
        except StoreError as exc:
            self.show_notice(str(exc))
            return
        item = MessageItem(
            id=reply.message_id,
            role="assistant",
            model=backend.model_name,
            state="streaming",
            parent_id=parent_id,
        )
        self.streaming_row = self.messages.append_item(item)
        self._reply_backend = backend
        self.runner = ReplyRunner(reply, self)
        self.runner.text_received.connect(self._on_text)
        self.runner.reply_finished.connect(self._on_reply_finished)
        self.runner.reply_failed.connect(self._on_reply_failed)
        self.runner.start()
        self.hide_notice()
        self._update_controls()

    @Slot()
    def stop(self) -> None:
        if self.runner is not None:
            self.runner.cancel()

    @Slot(str, str)
    def _on_text(self, text: str, reasoning: str) -> None:
        if self.streaming_row >= 0:
            self.messages.append_text(self.streaming_row, text, reasoning)

    @Slot(object)
    def _on_reply_finished(self, stats) -> None:
        state = "cancelled" if stats.finish_reason == "cancelled" else "complete"
        self._end_reply(state=state, stats=stats.to_dict())

    @Slot(str)
    def _on_reply_failed(self, message: str) -> None:
        backend = self._reply_backend
        self._end_reply(state="error", error=message)
        if isinstance(backend, LocalBackend) and not backend.is_loaded:
            # The model process died: offer to load again; the partial reply is saved.
            self.controller.backend = None
            self.panel.show_unloaded()
            self.panel.show_error(message)
        self.show_notice(message)

    def _end_reply(self, **changes) -> None:
        row = self.streaming_row
        if 0 <= row < self.messages.rowCount():
            item = self.messages.item(row)
            # the saved stats include what the recorder added (e.g. "Thought for N s")
            with contextlib.suppress(KeyError, StoreError):
                changes["stats"] = self.store.get_message(item.id).stats or changes.get("stats")
            self.messages.update_item(row, **{k: v for k, v in changes.items() if v is not None})
            self._refresh_versions(row)
        if self.runner is not None:
            self.runner.deleteLater()
        self.runner = None
        self.streaming_row = -1
        self._update_controls()
        self._touch_sidebar()

    def _refresh_versions(self, row: int) -> None:
        """Update the ‹n/m› of one row after a new version was added beside it."""
        item = self.messages.item(row)
        try:
            ids = tuple(m.id for m in self.store.siblings(item.id))
        except (KeyError, StoreError):
            return
        if item.id in ids:
            self.messages.update_item(row, versions=len(ids), version=ids.index(item.id) + 1)

    # -- message actions --------------------------------------------------------------------------

    @Slot(str, int)
    def on_message_action(self, action: str, row: int) -> None:
        if not 0 <= row < self.messages.rowCount():
            return
        item = self.messages.item(row)
        if action == "copy":
            QGuiApplication.clipboard().setText(item.content)
            self.show_notice(self.tr("Message copied."), transient=True)
        elif action == "toggle-reasoning":
            self.messages.update_item(row, reasoning_open=not item.reasoning_open)
        elif self.runner is not None:
            self.show_notice(self.tr("Wait for the reply to finish, or press Stop."))
        elif action == "edit":
            self.editing = item
            self.composer.setPlainText(item.content)
            self.composer.setFocus()
            self.edit_banner.setText(
                self.tr("Editing a message: Enter sends it as a new version, Esc cancels.")
            )
            self.edit_banner.setVisible(True)
        elif action == "regenerate":
            self.regenerate(row)
        elif action == "delete":
            try:
                self.store.delete_message(item.id)
            except StoreError as exc:
                self.show_notice(str(exc))
                return
            self.reload_thread()
        elif action in ("previous", "next"):
            try:
                ids = [m.id for m in self.store.siblings(item.id)]
                i = ids.index(item.id) + (-1 if action == "previous" else 1)
                if 0 <= i < len(ids):
                    self.store.switch_to(ids[i])
            except (KeyError, ValueError, StoreError) as exc:
                self.show_notice(str(exc))
                return
            self.reload_thread()

    def regenerate(self, row: int) -> None:
        item = self.messages.item(row)
        backend = self._backend_for_reply()
        if backend is None:
            return
        parent_row = self.messages.row_of(item.parent_id) if item.parent_id is not None else -1
        if parent_row < 0:
            return
        self.messages.truncate(parent_row + 1)
        self._start_reply(backend, parent_id=item.parent_id)

    @Slot()
    def cancel_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.composer.clear()
        self.edit_banner.setVisible(False)

    # -- model ------------------------------------------------------------------------------------

    def _on_load_started(self, name: str) -> None:
        self.panel.show_loading(name)
        self._update_controls()

    def _on_loaded(self, info) -> None:
        self.panel.show_loaded(info)
        self.hide_notice()
        self._update_controls()

    def _on_load_failed(self, message: str, kind: str) -> None:
        self.panel.show_unloaded()
        if kind != "cancelled":
            self.panel.show_error(message)
            self.show_notice(message)
        self._update_controls()

    def _on_unloaded(self) -> None:
        if self.controller.backend is None and not self.controller.is_loading:
            self.panel.show_unloaded()
        self._update_controls()

    # -- bits -------------------------------------------------------------------------------------

    def _update_controls(self) -> None:
        busy = self.runner is not None
        self.view.busy = busy
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.view.viewport().update()

    def show_notice(self, text: str, *, transient: bool = False) -> None:
        self.banner.setText(text)
        self.banner.setVisible(True)
        if transient:
            # With the window as context, the timer is dropped if the window goes first.
            QTimer.singleShot(
                2500, self, lambda t=text: self.banner.text() == t and self.hide_notice()
            )

    def hide_notice(self) -> None:
        self.banner.setVisible(False)

    def closeEvent(self, event) -> None:
        self.save_state()
        # Partial files stay; the queue resumes them at the next start.
        self.downloads.shutdown()
        if self.runner is not None:
            self.runner.cancel()
        backend = self.controller.backend
        if backend is not None:
            backend.unload()
        if self._cloud_backend is not None:
            self._cloud_backend.close()
        self.compare_controller.shutdown()
        super().closeEvent(event)
