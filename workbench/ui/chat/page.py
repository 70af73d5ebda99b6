"""The Chat page: conversations on the left, the chat in the middle, the model on the right.

The page arranges the sidebar, the chat view, the composer and the source and model panels, and
wires them to a :class:`~workbench.qt.chat.ChatController`, which holds the conversation, the
reply in flight and the backend that answers. Nothing here talks to the engine directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.backend import Error
from workbench.core.cloud.params import EXTRA_SAMPLING_FIELDS
from workbench.core.names import local_name
from workbench.core.store import Store, StoreError
from workbench.qt.chat import MODEL_GONE, ChatController, ReplySettings
from workbench.qt.cloud import CloudSession
from workbench.qt.message_model import MessageItem
from workbench.ui.chat.model_file import same_path
from workbench.ui.chat.model_panel import ModelPanel
from workbench.ui.chat.sidebar import Sidebar
from workbench.ui.chat.source_panel import LOCAL, SourcePanel
from workbench.ui.chat.view import ChatView
from workbench.ui.widgets.composer import Composer, composer_row

log = logging.getLogger(__name__)

#: How long a transient notice stays, in milliseconds.
TRANSIENT_NOTICE_MS = 2500


class ChatPage(QWidget):
    """The chat page: a splitter of sidebar, chat pane and the right-hand panels.

    ``panel_action`` shows or hides the model panel (Ctrl+Shift+M); the window's View menu
    carries it too.

    Signals:
        state_changed(): something worth remembering across restarts changed (the panels'
            settings, the chat on screen, the panel shown or hidden, the model loaded).

    Args:
        controller: The chat's logic and state.
        parent: The parent widget.
    """

    state_changed = Signal()

    def __init__(self, controller: ChatController, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="chatPage")
        self.controller = controller
        self.cloud: CloudSession = controller.cloud
        self.store: Store = controller.store
        self._laid_out = False
        self._restored_sizes: list[int] | None = None
        self._notice_action: Callable[[], object] | None = None
        self._gave_back = False  # a waiting message was just handed back to the composer
        self._build()
        self._connect()
        self._update_controls()

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.sidebar = Sidebar(self.store, self)
        self.view = ChatView(self)
        self.view.setModel(self.controller.messages)

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
        # One action holds the shortcut, for the button and the window's menu alike.
        self.panel_action = QAction(self.tr("Model panel"), self, objectName="togglePanelAction")
        self.panel_action.setCheckable(True)
        self.panel_action.setChecked(True)
        self.panel_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.addAction(self.panel_action)
        top = QHBoxLayout()
        top.addWidget(self.chat_title, 1)
        top.addWidget(self.panel_button)

        self.banner = QLabel(objectName="chatBanner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setAccessibleName(self.tr("Notice"))
        # The one-click way out of a conversation that no longer fits the model's context.
        self.fit_button = QPushButton(
            self.tr("Leave out the oldest messages"), objectName="fitButton"
        )
        self.fit_button.setVisible(False)
        self.fit_button.setToolTip(
            self.tr(
                "Answer again without the oldest messages of this chat; later replies in this "
                "chat leave them out too."
            )
        )
        # The action a notice offers (Load, Chat with it): one click away from the sentence.
        self.notice_button = QPushButton(objectName="noticeActionButton")
        self.notice_button.setVisible(False)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.banner, 1)
        notice_row.addWidget(self.fit_button, 0, Qt.AlignmentFlag.AlignTop)
        notice_row.addWidget(self.notice_button, 0, Qt.AlignmentFlag.AlignTop)
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
        layout.addLayout(notice_row)
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
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.splitter)

    def _connect(self) -> None:
        c = self.controller
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.new_chat_requested.connect(self.new_chat)
        self.sidebar.conversation_deleted.connect(self._on_conversation_deleted)
        self.composer.send_requested.connect(self.send)
        self.composer.escape_pressed.connect(self.cancel_edit)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(c.stop)
        self.fit_button.clicked.connect(self.leave_out_oldest)
        self.view.action_triggered.connect(self.on_message_action)
        self.view.notice_shown.connect(self.show_notice)
        self.panel_button.toggled.connect(self._toggle_panel)
        self.panel_button.toggled.connect(self.panel_action.setChecked)
        self.panel_action.toggled.connect(self.panel_button.setChecked)
        self.notice_button.clicked.connect(self._on_notice_action)

        c.conversation_changed.connect(self._on_conversation_changed)
        c.conversation_touched.connect(self.sidebar.conversation_changed)
        c.busy_changed.connect(self._on_busy_changed)
        c.reply_failed.connect(self._on_reply_failed)
        c.source_needed.connect(self._on_source_needed)
        c.notice_posted.connect(self.show_notice)
        c.edit_started.connect(self._on_edit_started)
        c.edit_ended.connect(self._on_edit_ended)
        c.waiting_dropped.connect(self._on_waiting_dropped)

        self.source_panel.source_changed.connect(self._on_source_changed)
        self.source_panel.model_changed.connect(self.state_changed)

        models = c.models
        self.panel.load_requested.connect(models.load)
        self.panel.unload_requested.connect(models.unload)
        self.panel.cancel_load_requested.connect(models.cancel_load)
        self.panel.settings_changed.connect(self.state_changed)
        self.panel.model_chosen.connect(self._show_who_answers)
        models.load_started.connect(self._on_load_started)
        models.load_progressed.connect(self.panel.show_progress)
        models.load_finished.connect(self._on_loaded)
        models.load_failed.connect(self._on_load_failed)
        models.unloaded.connect(self._on_unloaded)

    # -- what the user does -----------------------------------------------------------------------

    def reply_settings(self) -> ReplySettings:
        """The source, model, system prompt and sampling of the panels, for the next reply."""
        source = self.source_panel.source()
        if source != LOCAL:
            self.source_panel.commit_model()
        return ReplySettings(
            provider_id=None if source == LOCAL else source,
            cloud_model=self.source_panel.cloud_model() if source != LOCAL else "",
            system_prompt=self.panel.system_prompt(),
            sampling=self.panel.sampling(),
        )

    @Slot()
    def send(self) -> None:
        """Send the composer's text; with no local model loaded, load the chosen one first (the
        message waits in the conversation until it is ready)."""
        text = self.composer.toPlainText()
        if not text.strip() or self.controller.busy:
            return
        settings = self.reply_settings()
        models = self.controller.models
        if settings.provider_id is None and models.backend is None and not models.is_loading:
            if self.panel.model_path() is None:
                self._on_source_needed(
                    self.tr(
                        "Choose a model first: pick one in the panel on the right, or find one "
                        "in Discover."
                    )
                )
                return
            self.panel.request_load()
            if not models.is_loading:  # the panel says what is wrong with its options
                self._on_source_needed(
                    self.tr("The model cannot be loaded with these options; see the panel.")
                )
                return
        if self.controller.send(text, settings):
            self.composer.clear()

    def regenerate(self, row: int) -> None:
        """Answer again the message before ``row``; both versions are kept."""
        self.controller.regenerate(row, self.reply_settings())

    @Slot()
    def leave_out_oldest(self) -> None:
        """Answer again the reply that did not fit, without the chat's oldest messages."""
        self.fit_button.setVisible(False)
        self.controller.leave_out_oldest(self.reply_settings())

    @Slot()
    def new_chat(self) -> None:
        if self.controller.new_chat():
            self.composer.setFocus()

    @Slot(int)
    def open_conversation(self, conversation_id: int) -> None:
        c = self.controller
        if not c.open_conversation(conversation_id) and c.conversation_id is not None:
            self.sidebar.select(c.conversation_id)  # the list shows the chat still on screen

    def _on_conversation_deleted(self, conversation_id: int) -> None:
        if conversation_id == self.controller.conversation_id:
            self.new_chat()

    @Slot()
    def cancel_edit(self) -> None:
        self.controller.cancel_edit()
        self.edit_banner.setVisible(False)

    def focus_search(self) -> None:
        self.sidebar.findChild(QWidget, "conversationSearch").setFocus()

    @Slot(str, int)
    def on_message_action(self, action: str, row: int) -> None:
        c = self.controller
        if not 0 <= row < c.messages.rowCount():
            return
        if action == "copy":
            QGuiApplication.clipboard().setText(c.messages.item(row).content)
            self.show_notice(self.tr("Message copied."), transient=True)
        elif action == "toggle-reasoning":
            c.toggle_reasoning(row)
        elif c.busy:
            self.show_notice(self.tr("Wait for the reply to finish, or press Stop."))
        elif action == "edit":
            c.start_edit(row)
        elif action == "regenerate":
            self.regenerate(row)
        elif action == "delete":
            c.delete_message(row)
        elif action in ("previous", "next"):
            c.switch_version(row, -1 if action == "previous" else 1)

    def use_model(self, path: str, *, load: bool = True) -> None:
        """Chat with a local model file: choose it in the model panel, show the panel and (with
        ``load``) load it, unless that file is already loaded with the same options. While a
        reply runs the file is only chosen: the notice says which model answers until then."""
        self.source_panel.set_source(LOCAL)
        self.panel.set_model_path(path)
        self.panel_button.setChecked(True)
        models = self.controller.models
        if not load or self.controller.busy:
            return
        if models.is_loaded_with(path, self.panel.load_options()):
            return
        self.panel.request_load()

    def load_chosen_model(self) -> None:
        """Load the model chosen in the panel (the Load button)."""
        self.panel.request_load()

    def unload_model(self) -> None:
        """Unload the local model (the Unload button)."""
        if self.panel.unload_button.isEnabled():
            self.panel.unload_requested.emit()

    def loaded_model_path(self) -> str | None:
        """The local model file loaded or loading now, or None."""
        models = self.controller.models
        path = getattr(models.backend, "path", None)  # only a model file's backend has one
        return str(path) if path is not None else models.loading_path

    def set_library(self, paths: list[str]) -> None:
        """The models of the library, offered in the model picker."""
        self.panel.set_library(paths)

    def fit_settings(self) -> tuple[int, str, str]:
        """Context length and KV cache type of the model panel, for the library's fit badges."""
        try:
            options = self.panel.load_options()
        except (TypeError, ValueError):
            return 4096, "f16", "f16"
        kv = options.kv_cache_type or "f16"
        return options.context_length or 4096, kv, kv

    # -- what the controller says -----------------------------------------------------------------

    def _on_conversation_changed(self, conversation_id: int | None, title: str) -> None:
        self.chat_title.setText(title)
        if self.fit_button.isVisible():
            self.hide_notice()  # the reply it offered to retry belongs to the chat left behind
        if conversation_id is not None:
            self.sidebar.select(conversation_id)
        self.state_changed.emit()

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self.hide_notice()
        self._update_controls()

    def _on_reply_failed(self, error: Error) -> None:
        if error.kind in MODEL_GONE and self.controller.models.backend is None:
            # The model process is gone: offer to load again.
            self.panel.show_error(error.message)
        self.show_notice(error.message)
        # The sentence alone for a backend that cannot leave messages out, or a chat that does
        # already; otherwise the way out, one click away.
        self.fit_button.setVisible(self.controller.can_leave_out_oldest)

    def _on_source_needed(self, message: str) -> None:
        self.show_notice(message)
        self.panel_button.setChecked(True)

    def _gave_back_sentence(self) -> str:
        return self.tr("Your message was not sent; it is back in the message box.")

    def _on_waiting_dropped(self, text: str) -> None:
        current = self.composer.toPlainText()
        self.composer.setPlainText(text if not current.strip() else f"{text}\n{current}")
        self._gave_back = True
        self.show_notice(self._gave_back_sentence())

    def _on_edit_started(self, item: MessageItem) -> None:
        self.composer.setPlainText(item.content)
        self.composer.setFocus()
        self.edit_banner.setText(
            self.tr("Editing a message: Enter sends it as a new version, Esc cancels.")
        )
        self.edit_banner.setVisible(True)

    def _on_edit_ended(self) -> None:
        self.composer.clear()
        self.edit_banner.setVisible(False)

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
        self.state_changed.emit()

    def _on_load_started(self, name: str) -> None:
        self.panel.show_loading(name)
        if self._notice_action is not None:
            self.hide_notice()  # "X is answering; Load to switch": the switch is under way

    def _on_loaded(self, info: Any) -> None:
        self.panel.show_loaded(info)
        if not self.controller.busy:  # a reply that waited for this load hid it already
            self.hide_notice()
        self._show_who_answers()
        self.state_changed.emit()

    def _on_load_failed(self, error: Error) -> None:
        gave_back, self._gave_back = self._gave_back, False
        self.panel.show_unloaded()
        if error.kind != "cancelled":
            self.panel.show_error(error.message)
            message = error.message
            if gave_back:
                message += " " + self._gave_back_sentence()
            self.show_notice(message)

    def _on_unloaded(self) -> None:
        models = self.controller.models
        if models.backend is None and not models.is_loading:
            self.panel.show_unloaded()
            if self._notice_action is not None:
                self.hide_notice()  # nothing answers now: no switch to offer
        self.state_changed.emit()

    def _show_who_answers(self, *_args: object) -> None:
        """While another file is chosen than the one loaded, say which one answers, with Load
        one click away; the notice goes when they agree again."""
        models = self.controller.models
        loaded, chosen = models.backend, self.panel.model_path()
        switching = loaded is not None and chosen and not models.is_loading
        if switching and not same_path(str(loaded.path), chosen):
            self.show_notice(
                self.tr("{loaded} is answering; Load to switch to {chosen}.").format(
                    loaded=local_name(loaded.path), chosen=local_name(chosen)
                ),
                action=self.tr("Load"),
                on_action=self.load_chosen_model,
            )
            return
        if self._notice_action is not None and self.banner.isVisible():
            self.hide_notice()

    def _toggle_panel(self, shown: bool) -> None:
        self.right_pane.setVisible(shown)
        self.state_changed.emit()

    # -- notices ----------------------------------------------------------------------------------

    def show_notice(
        self,
        text: str,
        *,
        transient: bool = False,
        action: str | None = None,
        on_action: Callable[[], object] | None = None,
    ) -> None:
        """One sentence under the chat; ``action`` names a button beside it that calls
        ``on_action`` (and closes the notice)."""
        self.fit_button.setVisible(False)  # it belongs to the notice this one replaces
        self._notice_action = on_action if action else None
        self.notice_button.setText(action or "")
        self.notice_button.setAccessibleName(action or "")
        self.notice_button.setVisible(bool(action and on_action))
        self.banner.setText(text)
        self.banner.setVisible(True)
        if transient:
            # With the page as context, the timer is dropped if the page goes first.
            QTimer.singleShot(
                TRANSIENT_NOTICE_MS,
                self,
                lambda t=text: self.banner.text() == t and self.hide_notice(),
            )

    def hide_notice(self) -> None:
        self.banner.setVisible(False)
        self.fit_button.setVisible(False)
        self.notice_button.setVisible(False)
        self._notice_action = None

    def _on_notice_action(self) -> None:
        action = self._notice_action
        self.hide_notice()
        if action is not None:
            action()

    def _update_controls(self) -> None:
        busy = self.controller.busy
        self.view.busy = busy
        self.send_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        self.view.viewport().update()

    # -- state across restarts --------------------------------------------------------------------

    def showEvent(self, event) -> None:  # Qt override
        self._laid_out = True
        super().showEvent(event)

    def state(self) -> dict[str, Any]:
        """The page's part of the window state (the window adds geometry and tab)."""
        # A page never shown (the window opened on another tab) has no real sizes yet: keep
        # the ones restored rather than saving Qt's placeholders.
        sizes = self.splitter.sizes() if self._laid_out else self._restored_sizes
        return {
            "splitter": sizes,
            "panel": self.panel.state(),
            "panel_visible": self.panel_button.isChecked(),
            "source": self.source_panel.state(),
            "conversation": self.controller.conversation_id,
            # What the next start loads again (when the setting says so).
            "loaded_model": self.loaded_model_path(),
        }

    def restore_state(self, state: dict[str, Any], model_path: str | None = None) -> None:
        """Put back what :meth:`state` saved and open the chat that was on screen (or a new
        one); ``model_path`` (from the command line) is chosen in the model panel."""
        try:
            sizes = state.get("splitter")
            if (
                isinstance(sizes, list)
                and len(sizes) == 3
                and all(isinstance(x, int) and x > 0 for x in sizes)
            ):
                self.splitter.setSizes(sizes)
                self._restored_sizes = sizes
            self.panel.set_state(state.get("panel") or {})
            shown = state.get("panel_visible", True) is not False
            self.panel_button.setChecked(shown)
            self.right_pane.setVisible(shown)
            self.source_panel.set_state(state.get("source") or {})
        except (ValueError, TypeError) as exc:
            log.warning("chat page state not restored: %s", exc)
        if model_path:
            self.panel.set_model_path(model_path)
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
