"""The conversation view: a QListView whose delegate paints each message from a QTextDocument.

Why not one widget per message, or one big document: opening a 2,000-message chat must take well
under a second and a streaming update must cost the same at token 2,000 as at token 20. So rows
not yet seen get an *estimated* height, rows on screen get a real document, and a streaming
reply's document is extended with only the new text (see :mod:`workbench.ui.chat.delegate`);
while it streams, the view scrolls and repaints only the lines that changed.

Actions on a message (copy, edit and resend, regenerate, delete, previous/next version, show
reasoning) are drawn as links in its footer and are also in the context menu, so the keyboard
reaches all of them.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QListView, QMenu

from workbench.qt.jobs import JobRunner
from workbench.qt.message_model import MessageItem, MessageRoles
from workbench.ui.chat.delegate import MessageDelegate
from workbench.ui.render.code import warm_up

# Syntax highlighting is loaded this long after the first view opens: after start-up, before
# the first code block of a reply would have to wait for it.
WARM_UP_DELAY_MS = 1500

_warm_up_started = False


class ChatView(QListView):
    """The message list. Follows new text unless the user has scrolled up.

    Signals:
        action_triggered(str, int): a message action (copy, edit, regenerate, delete, previous,
            next, toggle-reasoning) on a row.
        notice_shown(str): a short confirmation to show (e.g. "Code copied.").
    """

    action_triggered = Signal(str, int)
    notice_shown = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # The streaming reply's id → the height of the message itself after the last update.
        self._shown_height: dict[int, int] = {}
        self._natural_maximum = 0  # the scroll range's end, room below the reply included
        self.setObjectName("messageView")
        self.setAccessibleName(self.tr("Conversation"))
        self.busy = False  # a reply is being generated: no edit/regenerate meanwhile
        # The message actions offered (None: all); a compare pane offers fewer than a chat.
        self.allowed_actions: set[str] | None = None
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.setWordWrap(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.delegate = MessageDelegate(self)
        self.delegate.action_triggered.connect(self.action_triggered)
        self.setItemDelegate(self.delegate)
        self._follow = True
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._range_changed)
        copy = QAction(self.tr("Copy message"), self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(lambda: self._trigger_current("copy"))
        self.addAction(copy)
        self._jobs = JobRunner(self)
        QTimer.singleShot(WARM_UP_DELAY_MS, self, self._warm_up)

    def _warm_up(self) -> None:
        global _warm_up_started
        if not _warm_up_started:  # once per process, whichever view comes first
            _warm_up_started = True
            self._jobs.run(warm_up)

    def setModel(self, model) -> None:
        super().setModel(model)
        model.modelReset.connect(self._reset)
        model.rowsInserted.connect(
            lambda *_: self._follow and QTimer.singleShot(0, self.scrollToBottom)
        )

    def dataChanged(self, top_left, bottom_right, roles=()) -> None:
        if top_left == bottom_right and top_left.isValid():
            item = top_left.data(MessageRoles.Item)
            if item is not None and item.streaming:
                self._streamed(top_left, item)
                return
            if item is not None and self._shown_height.pop(item.id, None) is not None:
                # The reply ended: its row loses the room it had to grow.
                self.delegate.sizeHintChanged.emit(top_left)
        super().dataChanged(top_left, bottom_right, roles)

    def _streamed(self, index: QModelIndex, item: MessageItem) -> None:
        """A streaming reply changed: scroll and repaint only what it takes, when it can."""
        height = self.delegate.streaming_height(item)
        previous = self._shown_height.get(item.id, height)
        self._shown_height = {item.id: height}
        rect = self.visualRect(index)  # (this runs a layout still pending first)
        if index.row() != self.model().rowCount() - 1:
            laid_out = previous  # not the last row (no room): it was laid out as it was
        else:
            laid_out = self._laid_out_height(index, rect)
        if laid_out != self.delegate.row_height(index, height):
            # Outgrew its room (or grew a line, without room): a new layout, which repaints the
            # viewport anyway.
            self.delegate.sizeHintChanged.emit(index)
            return
        # Within its row: the scroll range follows the text (when following, the view scrolls,
        # which moves the pixels already on screen and paints only the lines uncovered) ...
        self._limit_scroll_range()
        # ... and only the lines that changed are painted, not the whole screenful of the reply.
        rect = self.visualRect(index)
        dirty = self.delegate.dirty_rect(item, rect, max(previous, height))
        if dirty is None:
            self.viewport().update(rect)
        elif not dirty.isEmpty():
            self.viewport().update(dirty)

    def _laid_out_height(self, index: QModelIndex, rect: QRect) -> int:
        """The height the view's last layout gave the last row.

        ``rect`` is the row's visualRect, whose height is the delegate's size hint of now, not
        the layout's: the layout's is what is left of the contents below the row's top.
        """
        return self.contentsSize().height() - (rect.top() + self.verticalOffset())

    def _limit_scroll_range(self) -> None:
        """Ends the scroll range at the streaming reply's last line, not at its row's end."""
        bar = self.verticalScrollBar()
        maximum = self._natural_maximum
        model = self.model()
        count = model.rowCount() if model is not None else 0
        index = model.index(count - 1, 0) if count else QModelIndex()
        item = index.data(MessageRoles.Item) if index.isValid() else None
        if item is not None and item.streaming:
            height = self._shown_height.get(item.id)
            if height is None:
                height = self._shown_height[item.id] = self.delegate.streaming_height(item)
            room = self._laid_out_height(index, self.visualRect(index)) - height
            maximum = max(0, maximum - max(0, room))
        if bar.maximum() != maximum:
            bar.setMaximum(maximum)

    def updateGeometries(self) -> None:
        super().updateGeometries()  # after each layout, and on its own after a resize
        self._natural_maximum = self.verticalScrollBar().maximum()
        model = self.model()
        count = model.rowCount() if model is not None else 0
        if count:
            item = model.index(count - 1, 0).data(MessageRoles.Item)
            if item is not None and item.streaming:
                # At the width of now (a resize may have re-wrapped the text).
                self._shown_height = {item.id: self.delegate.streaming_height(item)}
        self._limit_scroll_range()

    def _reset(self) -> None:
        self.delegate.forget()
        self._shown_height.clear()
        self._follow = True
        QTimer.singleShot(0, self.scrollToBottom)

    def _scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = value >= bar.maximum() - 4

    def _range_changed(self, _min: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)

    @property
    def following(self) -> bool:
        return self._follow

    def _trigger_current(self, name: str) -> None:
        index = self.currentIndex()
        if index.isValid():
            self.action_triggered.emit(name, index.row())

    def _context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos) if pos is not None else self.currentIndex()
        if not index.isValid():
            return
        item: MessageItem = index.data(MessageRoles.Item)
        menu = QMenu(self)
        for name, label in self.delegate._footer_parts(item):
            if name == "versions":
                continue
            text = {"previous": self.tr("Previous version"), "next": self.tr("Next version")}.get(
                name, label
            )
            menu.addAction(text, lambda n=name: self.action_triggered.emit(n, index.row()))
        if item.reasoning:
            menu.addAction(
                self.tr("Show or hide reasoning"),
                lambda: self.action_triggered.emit("toggle-reasoning", index.row()),
            )
        menu.exec(self.viewport().mapToGlobal(pos))

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Menu or (
            event.key() == Qt.Key.Key_F10 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            rect = self.visualRect(self.currentIndex())
            self._context_menu(rect.center())
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._follow:
            QTimer.singleShot(0, self.scrollToBottom)
