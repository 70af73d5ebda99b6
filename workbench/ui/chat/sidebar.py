"""The sidebar: the list of chats, a search box, "New chat", and delete with undo.

The sidebar owns the conversation models (:mod:`workbench.qt.conversation_model`) and talks to
the store only for single-row writes (rename, delete, restore, purge); searching runs on a
worker thread inside :class:`ConversationFilterModel`. Nothing here opens a dialog.
"""

from __future__ import annotations

import sys
from datetime import datetime

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from workbench.core.store import Store, StoreError
from workbench.core.store.imports import import_mark
from workbench.qt.conversation_model import (
    ConversationFilterModel,
    ConversationListModel,
    ConversationRoles,
)

# Long titles are cut in the undo bar so it never widens the sidebar.
_UNDO_TITLE_CHARS = 40
_SELECT = QItemSelectionModel.SelectionFlag.ClearAndSelect


class Sidebar(QWidget):
    """The left panel: chats newest first, search, new chat, rename and delete with undo.

    Signals:
        conversation_selected(int): the user moved to another chat (click, keys, undo).
        new_chat_requested(): the user asked for a new chat.
        conversation_deleted(int): the user deleted a chat; its row is gone. The main window
            stops showing it if it was. The undo bar may still bring it back, and then
            conversation_restored(int) follows.
        conversation_restored(int): an undo brought a deleted chat back; it is then selected
            (conversation_selected follows).
        export_requested(int): the user asked to export a chat (its context menu).

    Args:
        store: Where conversations live.
        parent: The parent widget.
    """

    #: How long the undo bar stays, in seconds (tests shorten it).
    UNDO_SECONDS: float = 10.0

    conversation_selected = Signal(int)
    new_chat_requested = Signal()
    conversation_deleted = Signal(int)
    conversation_restored = Signal(int)
    export_requested = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._current_id: int | None = None
        # (id, title, updated_at) of the chat the undo bar can bring back.
        self._pending: tuple[int, str, float] | None = None
        # >0 while the proxy is removing/reshuffling rows: the view then moves its current
        # index on its own, which must not count as the user choosing a chat.
        self._model_changing = 0
        self._syncing = False
        self.model = ConversationListModel(store, self)
        self.filter_model = ConversationFilterModel(store, self)
        self.filter_model.setSourceModel(self.model)
        self._build()
        self._connect()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.new_chat_button = QPushButton(self.tr("New chat"), objectName="newChatButton")
        self.new_chat_button.setAccessibleName(self.tr("New chat"))
        layout.addWidget(self.new_chat_button)

        self.search_box = QLineEdit(objectName="conversationSearch")
        self.search_box.setPlaceholderText(self.tr("Search chats"))
        self.search_box.setAccessibleName(self.tr("Search chats"))
        self.search_box.setClearButtonEnabled(True)
        # The clear button is a tool button made from this action; give it words too.
        clear_action = self.search_box.findChild(QAction, "_q_qlineeditclearaction")
        if clear_action is not None:
            clear_action.setText(self.tr("Clear search"))
            clear_action.setToolTip(self.tr("Clear search"))
        layout.addWidget(self.search_box)

        self.no_matches_label = QLabel(self.tr("No chats match"), objectName="noMatchesLabel")
        self.no_matches_label.setAccessibleName(self.tr("No chats match"))
        self.no_matches_label.setVisible(False)
        layout.addWidget(self.no_matches_label)

        self.list_view = QListView(objectName="conversationList")
        self.list_view.setAccessibleName(self.tr("Chats"))
        # Every row is one line of text: letting the view skip measuring each of 10k rows
        # keeps scrolling and resizing instant.
        self.list_view.setUniformItemSizes(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Long titles are elided to the panel's width rather than scrolled sideways.
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        layout.addWidget(self.list_view, 1)

        # One line for what went wrong (disk full...); no dialogs from the sidebar.
        self.notice_label = QLabel(objectName="sidebarNotice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setVisible(False)
        layout.addWidget(self.notice_label)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice_label.hide)

        self.undo_bar = QFrame(objectName="undoBar")
        self.undo_bar.setAccessibleName(self.tr("Deleted chat"))
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(6, 2, 2, 2)
        self.undo_label = QLabel(objectName="undoLabel")
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"), objectName="undoButton")
        self.undo_button.setAccessibleName(self.tr("Undo delete"))
        bar.addWidget(self.undo_label, 1)
        bar.addWidget(self.undo_button)
        self.undo_bar.setVisible(False)
        layout.addWidget(self.undo_bar)

        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setTimerType(Qt.TimerType.PreciseTimer)

        # Actions of the list: F2 (EditKeyPressed) and double-click rename through the view;
        # Delete is an action so it also works from the keyboard without a context menu.
        self.delete_action = QAction(self.tr("Delete"), self.list_view)
        keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Delete))
        if sys.platform == "darwin":  # Mac keyboards label Backspace "delete"
            keys.append(QKeySequence(Qt.Key.Key_Backspace))
        self.delete_action.setShortcuts(keys)
        # Only while the list itself has focus: never while an inline editor is open.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.list_view.addAction(self.delete_action)

    def _connect(self) -> None:
        proxy = self.filter_model
        # Connected before the view's own connections (made by setModel), so the flag is up
        # before the view moves its current index away from a removed row.
        for begin in (
            proxy.rowsAboutToBeRemoved,
            proxy.modelAboutToBeReset,
            proxy.layoutAboutToBeChanged,
            proxy.rowsAboutToBeMoved,
        ):
            begin.connect(self._begin_model_change)
        for end in (proxy.rowsRemoved, proxy.modelReset, proxy.layoutChanged, proxy.rowsMoved):
            end.connect(self._end_model_change)
        proxy.rowsInserted.connect(self._sync_current)
        self.list_view.setModel(proxy)
        # Selection, not the current index: the view makes the first row current (unselected)
        # when it first gets focus, which is no choice of the user's.
        self.list_view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.list_view.customContextMenuRequested.connect(self._show_context_menu)
        self.list_view.viewport().installEventFilter(self)

        self.new_chat_button.clicked.connect(self.new_chat_requested)
        self.search_box.textChanged.connect(self._on_search_text_changed)
        proxy.search_finished.connect(self._on_search_finished)
        proxy.search_failed.connect(self._on_search_failed)
        self.model.rename_failed.connect(self._on_rename_failed)
        self.delete_action.triggered.connect(self._delete_current)
        self.undo_button.clicked.connect(self.undo_delete)
        self._undo_timer.timeout.connect(self.finish_pending_delete)

    # -- public API --------------------------------------------------------------------------

    def select(self, conversation_id: int) -> None:
        """Select a chat and scroll to it, clearing the search if it hides it.

        Does not emit conversation_selected: the caller already knows which chat it shows.
        """
        self._select(conversation_id, notify=False)

    def current_id(self) -> int | None:
        """The selected chat's id, or None."""
        return self._current_id

    def conversation_changed(self, conversation_id: int, title: str, updated_at: float) -> None:
        """Show a chat's new title or last-update time (after a message is saved, a title set).

        A new chat is added; a changed one moves to its newest-first place.
        """
        if self._pending is not None and self._pending[0] == conversation_id:
            # A reply still saving into a chat waiting in the undo bar: keep it out of the
            # list, but let an undo bring back the latest title.
            self._pending = (conversation_id, title, updated_at)
            return
        self.model.upsert(conversation_id, title, updated_at)

    def reload(self) -> None:
        """Reload the whole list from the store."""
        self.model.reload()
        self.filter_model.refresh()

    def rename(self, conversation_id: int) -> None:
        """Open the inline title editor on a chat."""
        index = self._proxy_index(conversation_id)
        if index.isValid():
            self.list_view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
            self.list_view.edit(index)

    def delete(self, conversation_id: int) -> None:
        """Delete a chat with undo: it leaves the list and the undo bar appears.

        A chat already waiting in the undo bar is deleted for good first.
        """
        summary = self.model.summary(conversation_id)
        if summary is None:
            return
        self.finish_pending_delete()
        try:
            self._store.delete_conversation(conversation_id)
        except StoreError as exc:
            self._show_notice(str(exc))
            return
        self._pending = summary
        if self._current_id == conversation_id:
            self._current_id = None
        self.conversation_deleted.emit(conversation_id)
        self.model.remove(conversation_id)
        title = summary[1]
        if len(title) > _UNDO_TITLE_CHARS:
            title = title[: _UNDO_TITLE_CHARS - 1] + "…"
        self.undo_label.setText(self.tr("Deleted “{title}”.").format(title=title))
        self.undo_bar.setVisible(True)
        self._undo_timer.start(round(self.UNDO_SECONDS * 1000))

    @Slot()
    def undo_delete(self) -> None:
        """Bring back the chat in the undo bar, in its place, and select it."""
        pending, self._pending = self._pending, None
        self._hide_undo_bar()
        if pending is None:
            return
        conversation_id = pending[0]
        try:
            self._store.restore_conversation(conversation_id)
            # The store's values, not the remembered ones: they are what a reload would show.
            conversation = self._store.get_conversation(conversation_id)
        except (KeyError, StoreError) as exc:
            message = (
                self.tr("This chat can no longer be restored.")
                if isinstance(exc, KeyError)
                else str(exc)
            )
            self._show_notice(message)
            return
        self.model.upsert(conversation_id, conversation.title, conversation.updated_at)
        self.conversation_restored.emit(conversation_id)
        self._select(conversation_id, notify=True)

    @Slot()
    def finish_pending_delete(self) -> None:
        """End the undo window now: the chat in the undo bar is deleted for good.

        Called when the bar times out or another chat is deleted; the main window may call it
        on close (startup purges leftovers anyway).
        """
        pending, self._pending = self._pending, None
        self._hide_undo_bar()
        if pending is None:
            return
        try:
            # Everything in the trash, not only this chat: the store purges by age, and the
            # undo window may end early (another delete). Only one chat at a time is in the
            # trash here, as this bar is the only way in.
            self._store.purge_deleted(older_than_s=0.0)
        except StoreError as exc:
            # Still in the trash (out of sight): the next startup purges it.
            self._show_notice(str(exc))

    # -- internals ---------------------------------------------------------------------------

    def _load_one(self, conversation_id: int) -> bool:
        """Add a chat the list does not have yet (just created); False if it is not live."""
        try:
            conversation = self._store.get_conversation(conversation_id)
        except (KeyError, StoreError):
            return False
        if conversation.deleted_at is not None:
            return False
        self.model.upsert(conversation_id, conversation.title, conversation.updated_at)
        return True

    def _proxy_index(self, conversation_id: int) -> QModelIndex:
        row = self.model.row_of(conversation_id)
        if row < 0:
            return QModelIndex()
        return self.filter_model.mapFromSource(self.model.index(row, 0))

    def _select(self, conversation_id: int, *, notify: bool) -> None:
        if self.model.row_of(conversation_id) < 0 and not self._load_one(conversation_id):
            return
        index = self._proxy_index(conversation_id)
        if not index.isValid():
            self.search_box.clear()  # applies "no filter" at once
            index = self._proxy_index(conversation_id)
        if not notify:
            self._current_id = conversation_id
        self.list_view.selectionModel().setCurrentIndex(index, _SELECT)
        self.list_view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def chats(self) -> list[tuple[int, str]]:
        """``(id, title)`` of every chat listed, newest first (from memory: no database read)."""
        return [
            self.model.summary(self.model.id_at(row))[:2] for row in range(self.model.rowCount())
        ]

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if self._model_changing or self._syncing:
            return
        indexes = self.list_view.selectionModel().selectedIndexes()
        if not indexes:
            # Ctrl+click deselected the shown chat: the list keeps showing which one it is.
            self._sync_current()
            return
        conversation_id = indexes[0].data(ConversationRoles.Id)
        if conversation_id is None or conversation_id == self._current_id:
            return
        self._current_id = conversation_id
        self.conversation_selected.emit(conversation_id)

    def _begin_model_change(self, *args: object) -> None:
        self._model_changing += 1

    def _end_model_change(self, *args: object) -> None:
        self._model_changing = max(0, self._model_changing - 1)
        if not self._model_changing:
            self._sync_current()

    def _sync_current(self, *args: object) -> None:
        """Point the view's current row back at the shown chat after the rows changed."""
        if self._model_changing:
            return
        index = QModelIndex() if self._current_id is None else self._proxy_index(self._current_id)
        selection = self.list_view.selectionModel()
        if selection.currentIndex() == index and (
            not index.isValid() or selection.isSelected(index)
        ):
            return
        self._syncing = True
        try:
            if index.isValid():
                selection.setCurrentIndex(index, _SELECT)
            else:
                # The shown chat is filtered out or gone: highlight nothing rather than a
                # neighbour the user never chose.
                selection.clear()
        finally:
            self._syncing = False

    @Slot()
    def _delete_current(self) -> None:
        index = self.list_view.currentIndex()
        if index.isValid():
            self.delete(index.data(ConversationRoles.Id))

    @Slot(QPoint)
    def _show_context_menu(self, pos: QPoint) -> None:
        index = self.list_view.indexAt(pos)
        if not index.isValid():
            return
        conversation_id: int = index.data(ConversationRoles.Id)
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setAccessibleName(self.tr("Chat actions"))
        menu.setObjectName("conversationMenu")
        rename = menu.addAction(self.tr("Rename"))
        rename.setObjectName("renameAction")
        rename.triggered.connect(lambda: self.rename(conversation_id))
        export = menu.addAction(self.tr("Export…"))
        export.setObjectName("exportAction")
        export.triggered.connect(lambda: self.export_requested.emit(conversation_id))
        delete = menu.addAction(self.tr("Delete"))
        delete.setObjectName("deleteAction")
        delete.triggered.connect(lambda: self.delete(conversation_id))
        menu.popup(self.list_view.viewport().mapToGlobal(pos))

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.ToolTip and watched is self.list_view.viewport():
            index = self.list_view.indexAt(event.pos())
            text = self.tooltip(index.data(ConversationRoles.Id)) if index.isValid() else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.list_view)
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    def tooltip(self, conversation_id: int) -> str:
        """A chat's full title, and where it came from if it was imported."""
        try:
            conversation = self._store.get_conversation(conversation_id)
        except (KeyError, StoreError):
            return ""
        mark = import_mark(conversation.settings)
        if mark is None:
            return conversation.title
        when = mark.get("at")
        day = datetime.fromtimestamp(when).strftime("%Y-%m-%d") if isinstance(when, float) else ""
        if mark.get("source") == "chatgpt":
            origin = self.tr("Imported from ChatGPT on {date}").format(date=day)
        else:
            origin = self.tr("Imported from a Workbench export on {date}").format(date=day)
        return f"{conversation.title}\n{origin}"

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        if not text.strip():
            self.no_matches_label.setVisible(False)
        self.filter_model.set_query(text)

    @Slot(int)
    def _on_search_finished(self, count: int) -> None:
        self.no_matches_label.setVisible(count == 0 and bool(self.filter_model.query))

    @Slot(str)
    def _on_search_failed(self, message: str) -> None:
        self._show_notice(message)

    @Slot(int, str)
    def _on_rename_failed(self, conversation_id: int, message: str) -> None:
        self._show_notice(message)

    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.setVisible(True)
        self._notice_timer.start(round(self.UNDO_SECONDS * 1000))

    def _hide_undo_bar(self) -> None:
        self._undo_timer.stop()
        self.undo_bar.setVisible(False)
