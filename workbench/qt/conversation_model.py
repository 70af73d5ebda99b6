"""Item models for the conversation list: every live conversation, and a search filter over it.

:class:`ConversationListModel` holds one ``(id, title, updated_at)`` tuple per conversation,
newest first, loaded with :meth:`Store.conversation_summaries` (one indexed query, no per-row
objects), so 10,000 conversations load in milliseconds. Single-row changes (a new message, a new
title, a delete) are applied in place with insert/move/remove notifications, never a reset, so
the view keeps its selection and scroll position.

:class:`ConversationFilterModel` narrows the list to the conversations a search matches, in
titles and message text. The search runs as a job; only its result (a set of ids) crosses
back, and it is applied on the GUI thread.
"""

from __future__ import annotations

from bisect import bisect_left
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from workbench.core.store import Store, StoreError
from workbench.qt.jobs import Job, JobRunner

# One row: (conversation id, title, updated_at in seconds since the epoch).
Row = tuple[int, str, float]
AnyIndex = QModelIndex | QPersistentModelIndex


class ConversationRoles(IntEnum):
    """Custom data roles of :class:`ConversationListModel`."""

    Id = Qt.ItemDataRole.UserRole + 1
    UpdatedAt = Qt.ItemDataRole.UserRole + 2


def _order(row: Row) -> tuple[float, int]:
    # Newest first, ties broken by the larger id, like the store's queries; bisect wants an
    # ascending key, hence the negations.
    return (-row[2], -row[0])


class ConversationListModel(QAbstractListModel):
    """All live conversations, newest first.

    Signals:
        rename_failed(int, str): a rename could not be saved: conversation id, one sentence for
            the user.

    Args:
        store: Where conversations live.
        parent: The owning QObject.
    """

    rename_failed = Signal(int, str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[Row] = []
        self._row_of: dict[int, int] = {}
        self.reload()

    # -- public API --------------------------------------------------------------------------

    def reload(self) -> None:
        """Reload every row from the store."""
        rows = list(self._store.conversation_summaries())
        # Already in this order from the store; sorting a sorted list is linear, and bisecting
        # in upsert() must never meet a row out of place.
        rows.sort(key=_order)
        self.beginResetModel()
        self._rows = rows
        self._row_of = {row[0]: i for i, row in enumerate(rows)}
        self.endResetModel()

    def upsert(self, conversation_id: int, title: str, updated_at: float) -> None:
        """Add a conversation or update one, moving it to its newest-first place."""
        new: Row = (conversation_id, title, updated_at)
        old_row = self._row_of.get(conversation_id)
        position = bisect_left(self._rows, _order(new), key=_order)
        if old_row is None:
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.insert(position, new)
            self._reindex(position, len(self._rows) - 1)
            self.endInsertRows()
            return
        # bisect ran over the list that still holds the old row; where it goes once that row
        # is taken out is one less if the old row was before it.
        target = position - 1 if old_row < position else position
        if target != old_row:
            # Qt numbers the destination in the list before the move.
            destination = target if target < old_row else target + 1
            self.beginMoveRows(QModelIndex(), old_row, old_row, QModelIndex(), destination)
            del self._rows[old_row]
            self._rows.insert(target, new)
            self._reindex(min(old_row, target), max(old_row, target))
            self.endMoveRows()
        else:
            self._rows[target] = new
        index = self.index(target, 0)
        self.dataChanged.emit(index, index)

    def remove(self, conversation_id: int) -> None:
        """Remove a conversation's row; nothing happens if it is not listed."""
        row = self._row_of.get(conversation_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._row_of[conversation_id]
        self._reindex(row, len(self._rows) - 1)
        self.endRemoveRows()

    def row_of(self, conversation_id: int) -> int:
        """The row of a conversation, or -1 if it is not listed."""
        return self._row_of.get(conversation_id, -1)

    def id_at(self, row: int) -> int:
        """The conversation id in ``row`` (no bounds check beyond Python's)."""
        return self._rows[row][0]

    def summary(self, conversation_id: int) -> Row | None:
        """``(id, title, updated_at)`` of a listed conversation, or None."""
        row = self._row_of.get(conversation_id)
        return None if row is None else self._rows[row]

    # -- Qt overrides ------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        conversation_id, title, updated_at = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            updated = self.tr("Last updated {time}").format(time=_local_time(updated_at))
            return title + "\n" + updated
        if role == ConversationRoles.Id:
            return conversation_id
        if role == ConversationRoles.UpdatedAt:
            return updated_at
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        title = str(value or "").strip()
        if not title:
            return False
        conversation_id, old_title, updated_at = self._rows[index.row()]
        if title == old_title:
            return True
        try:
            self._store.rename_conversation(conversation_id, title)
        except KeyError:
            self.rename_failed.emit(
                conversation_id, self.tr("This chat no longer exists; it was not renamed.")
            )
            return False
        except StoreError as exc:
            self.rename_failed.emit(conversation_id, str(exc))
            return False
        # The store also bumps updated_at; the row keeps its place (and its time) so it does not
        # jump away from under the user's eyes; the next reload() or upsert() sorts it.
        self._rows[index.row()] = (conversation_id, title, updated_at)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def roleNames(self) -> dict[int, QByteArray]:
        names = super().roleNames()
        names[ConversationRoles.Id] = QByteArray(b"conversationId")
        names[ConversationRoles.UpdatedAt] = QByteArray(b"updatedAt")
        return names

    # -- internals ---------------------------------------------------------------------------

    def _reindex(self, first: int, last: int) -> None:
        rows, row_of = self._rows, self._row_of
        for i in range(first, last + 1):
            row_of[rows[i][0]] = i


def _local_time(timestamp: float) -> str:
    moment = QDateTime.fromMSecsSinceEpoch(round(timestamp * 1000))  # local time
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


class ConversationFilterModel(QSortFilterProxyModel):
    """Shows only the conversations whose title or messages match a search.

    Keeps the source order (no sorting). :meth:`set_query` is debounced; the search itself runs
    on a worker thread and the result is applied on the GUI thread. A result that arrives after
    a newer query was set is dropped.

    Signals:
        search_started(): a search began running (after the debounce).
        search_finished(int): a query's result was applied: the number of rows shown. Also
            emitted when the query is cleared (then every row is shown).
        search_failed(str): the search could not run; one sentence for the user. The previous
            filter stays.

    Args:
        store: Where to search.
        parent: The owning QObject.
    """

    DEBOUNCE_MS = 200
    SEARCH_LIMIT = 1000

    search_started = Signal()
    search_finished = Signal(int)
    search_failed = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._matches: frozenset[int] | None = None
        self._query = ""
        self._jobs = JobRunner(self)
        # The search of the current query, if one runs: a newer query drops its result.
        self._search: Job | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self._start_search)

    @property
    def query(self) -> str:
        """The query last set (stripped); empty when not filtering."""
        return self._query

    @property
    def is_filtering(self) -> bool:
        """Whether a search result is currently narrowing the rows."""
        return self._matches is not None

    @property
    def is_searching(self) -> bool:
        """Whether a query is waiting for its debounce or its result."""
        return self._debounce.isActive() or self._jobs.pending() > 0

    def set_query(self, text: str) -> None:
        """Filter by ``text`` after a short pause in typing; an empty text shows every row."""
        query = text.strip()
        if query == self._query:
            return
        self._query = query
        self._drop_search()
        if not query:
            # Showing everything needs no search: apply at once.
            self._debounce.stop()
            self._apply(None)
            return
        self._debounce.start()

    def refresh(self) -> None:
        """Run the current query again (conversations changed); no-op when not filtering."""
        if self._query:
            self._drop_search()
            self._debounce.start()

    # -- Qt overrides ------------------------------------------------------------------------

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._matches is None:
            return True
        source = self.sourceModel()
        if isinstance(source, ConversationListModel):
            # Called once per row on every filter change; skipping index()/data() keeps 10k
            # rows well under a frame.
            return source.id_at(source_row) in self._matches
        return source.index(source_row, 0, source_parent).data(ConversationRoles.Id) in (
            self._matches
        )

    # -- internals ---------------------------------------------------------------------------

    def _drop_search(self) -> None:
        if self._search is not None:
            self._search.cancel()
            self._search = None

    def _start_search(self) -> None:
        query, store, limit = self._query, self._store, self.SEARCH_LIMIT
        self.search_started.emit()
        self._search = self._jobs.run(
            # Job thread: touches only the store (thread-safe).
            lambda: frozenset(c.id for c in store.search(query, limit=limit)),
            self._on_search_done,
            self._on_search_failed,
            slot="search",
        )

    def _on_search_done(self, matches: frozenset[int]) -> None:
        self._search = None
        self._apply(matches)

    def _on_search_failed(self, exc: Exception) -> None:
        # The previous filter stays.
        self._search = None
        if isinstance(exc, StoreError):
            self.search_failed.emit(str(exc))
        else:  # a bug must end this search with a message, not leave it running forever
            message = self.tr("The search failed because of an internal error: {error}")
            self.search_failed.emit(message.format(error=exc))

    def _apply(self, matches: frozenset[int] | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10; invalidateFilter is deprecated
            self.beginFilterChange()
            self._matches = matches
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._matches = matches
            self.invalidateFilter()
        self.search_finished.emit(self.rowCount())
