"""The messages of the conversation on screen, as a Qt list model.

Rows are the thread the user sees (root → current leaf of the conversation tree). The model
lives in the GUI thread; the text of a streaming reply is appended here in coalesced batches by
the window, and each row carries a ``revision`` so the view's delegate can tell what changed and
render only the new part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QLocale, QModelIndex, QPersistentModelIndex, Qt

from workbench.core.cloud.prices import format_cost
from workbench.core.i18n import translate
from workbench.core.store import Message


@dataclass
class MessageItem:
    """What the view needs of one message."""

    id: int
    role: str
    content: str = ""
    reasoning: str = ""
    model: str | None = None
    stats: dict = field(default_factory=dict)
    state: str = "complete"
    error: str | None = None
    parent_id: int | None = None
    version: int = 1  # 1-based index among its versions (siblings)
    versions: int = 1
    reasoning_open: bool = False
    revision: int = 0

    @property
    def streaming(self) -> bool:
        return self.state == "streaming"


def items_for_thread(
    thread: list[Message], versions: dict[int, tuple[int, int]] | None = None
) -> list[MessageItem]:
    """View items for ``thread``; ``versions`` maps message id → (1-based version, count)."""
    versions = versions or {}
    items = []
    for m in thread:
        version, count = versions.get(m.id, (1, 1))
        items.append(
            MessageItem(
                id=m.id,
                role=m.role,
                content=m.content,
                reasoning=m.reasoning,
                model=m.model,
                stats=m.stats,
                state=m.state,
                error=m.error,
                parent_id=m.parent_id,
                version=version,
                versions=count,
            )
        )
    return items


#: The key, in a view item's stats, of a message the latest reply did not see (left out so that
#: the conversation fits the context); set by the chat controller, never saved.
LEFT_OUT = "left_out"


FIGURES_SEPARATOR = " · "


def figures_text(stats: dict | None) -> str:
    """A reply's figures on one line: "42 tokens · 98.1 tok/s · first token 0.12 s · ≈ $0.0012",
    then what did not fit: "left out the 4 oldest messages"; translated, numbers as the
    window's locale writes them.

    A message the latest reply left out (``left_out`` in its view stats) says so on this line.
    """
    return FIGURES_SEPARATOR.join(figures_parts(stats))


def figures_parts(stats: dict | None) -> list[str]:
    """The figures of :func:`figures_text`, one string each (a view wraps between them)."""
    s = stats or {}
    locale = QLocale()
    bits = []
    if s.get(LEFT_OUT):
        bits.append(translate("MessageFigures", "left out of the latest reply"))
    if s.get("completion_tokens"):
        bits.append(
            translate("MessageFigures", "{count} tokens").format(
                count=locale.toString(int(s["completion_tokens"]))
            )
        )
    if s.get("tokens_per_s"):
        bits.append(
            translate("MessageFigures", "{rate} tok/s").format(
                rate=locale.toString(float(s["tokens_per_s"]), "f", 1)
            )
        )
    if s.get("ttft_s") is not None:
        bits.append(
            translate("MessageFigures", "first token {seconds} s").format(
                seconds=locale.toString(float(s["ttft_s"]), "f", 2)
            )
        )
    cost = s.get("cost")
    if isinstance(cost, (int, float)):
        bits.append(format_cost(cost))
    dropped = s.get("dropped_messages") or 0
    if dropped == 1:
        bits.append(translate("MessageFigures", "left out the oldest message"))
    elif dropped > 1:
        bits.append(
            translate("MessageFigures", "left out the {count} oldest messages").format(
                count=locale.toString(int(dropped))
            )
        )
    return bits


class MessageRoles(IntEnum):
    Item = Qt.ItemDataRole.UserRole + 1
    Revision = Qt.ItemDataRole.UserRole + 2


class MessageListModel(QAbstractListModel):
    """The visible thread. ``DisplayRole`` is the message text (for accessibility and tests)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[MessageItem] = []
        self._rows: dict[int, int] = {}

    # -- Qt API ---------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == MessageRoles.Item:
            return item
        if role == MessageRoles.Revision:
            return item.revision
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.content
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.model
        return None

    # -- changes ----------------------------------------------------------------------------------

    def set_items(self, items: list[MessageItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._reindex()
        self.endResetModel()

    def clear(self) -> None:
        self.set_items([])

    def append_item(self, item: MessageItem) -> int:
        row = len(self._items)
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.append(item)
        self._rows[item.id] = row
        self.endInsertRows()
        return row

    def truncate(self, count: int) -> None:
        """Keep only the first ``count`` rows (a new version replaces what followed)."""
        if count < len(self._items):
            self.beginRemoveRows(QModelIndex(), max(0, count), len(self._items) - 1)
            del self._items[max(0, count) :]
            self._reindex()
            self.endRemoveRows()

    def append_text(self, row: int, text: str, reasoning: str = "") -> None:
        """Streaming: add text to a row (cheap: the delegate renders only what is new)."""
        item = self._items[row]
        if text:
            item.content += text
        if reasoning:
            item.reasoning += reasoning
        self._changed(row)

    def update_item(self, row: int, **changes: Any) -> None:
        item = self._items[row]
        for key, value in changes.items():
            setattr(item, key, value)
        self._changed(row)

    def item(self, row: int) -> MessageItem:
        return self._items[row]

    def items(self) -> list[MessageItem]:
        return list(self._items)

    def row_of(self, message_id: int) -> int:
        return self._rows.get(message_id, -1)

    def _changed(self, row: int) -> None:
        self._items[row].revision += 1
        index = self.index(row, 0)
        self.dataChanged.emit(index, index, [MessageRoles.Item, MessageRoles.Revision])

    def _reindex(self) -> None:
        self._rows = {item.id: row for row, item in enumerate(self._items)}
