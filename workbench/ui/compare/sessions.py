"""The Compare page's sidebar: the comparisons made so far, newest first, with New and Delete."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QListView, QPushButton, QVBoxLayout, QWidget

from workbench.core.compare.sessions import CompareSession
from workbench.qt.compare_models import SessionListModel


class SessionSidebar(QWidget):
    """The list of comparisons; the page reacts to its selection and buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareSidebar")
        self.sessions = SessionListModel(self)
        self.session_list = QListView(objectName="compareSessions")
        self.session_list.setModel(self.sessions)
        self.session_list.setAccessibleName(self.tr("Comparisons"))
        self.session_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.new_button = QPushButton(self.tr("New comparison"), objectName="newComparison")
        self.delete_button = QPushButton(self.tr("Delete"), objectName="deleteComparison")
        lv = QVBoxLayout(self)
        lv.setContentsMargins(6, 6, 0, 6)
        lv.addWidget(self.new_button)
        lv.addWidget(self.session_list, 1)
        lv.addWidget(self.delete_button)

    def show_sessions(self, sessions: list[CompareSession], current: int | None) -> None:
        """List ``sessions`` and select ``current`` without reporting it as the user's choice."""
        selection = self.session_list.selectionModel()
        blocker = selection.blockSignals(True)
        self.sessions.set_sessions(sessions)
        selection.blockSignals(blocker)
        self.select(current)

    def select(self, session_id: int | None) -> None:
        """Select ``session_id`` (if listed) without reporting it as the user's choice."""
        selection = self.session_list.selectionModel()
        blocker = selection.blockSignals(True)
        row = self.sessions.row_of(session_id) if session_id is not None else -1
        if row >= 0:
            self.session_list.setCurrentIndex(self.sessions.index(row, 0))
        else:
            selection.clearCurrentIndex()
            selection.clearSelection()
        selection.blockSignals(blocker)
