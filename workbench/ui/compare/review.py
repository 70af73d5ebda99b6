"""The Compare page's Table tab: every round as a row, prompt × model, for reviewing a run."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.qt.compare_models import ReviewTableModel


class ReviewTab(QWidget):
    """The review table; a blind run shows letters until each row is voted on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.review = ReviewTableModel(self)
        self.table = QTableView(objectName="compareTable")
        self.table.setModel(self.review)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # A row is a preview: at most a few lines, however narrow its column.
        rows.setMaximumSectionSize(self.fontMetrics().lineSpacing() * 8)
        # Row heights follow the columns' widths: Chinese text wraps at any character, so a
        # height measured while the table was hidden (columns narrow) would be far too tall.
        self._fit_rows = QTimer(self, singleShot=True, interval=0)
        self._fit_rows.timeout.connect(self._resize_rows)
        self.table.horizontalHeader().sectionResized.connect(self._fit_rows.start)
        self.table_hint = QLabel(
            self.tr("Double-click a row to see its answers in full and vote on them."),
            objectName="tableHint",
        )
        tv = QVBoxLayout(self)
        tv.setContentsMargins(6, 6, 6, 6)
        tv.addWidget(self.table, 1)
        tv.addWidget(self.table_hint)

    def _resize_rows(self) -> None:
        self.table.verticalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_rows.start()


def shown_text(root: QWidget, panes, model) -> str:
    """Everything ``root`` shows as text (labels, buttons, tooltips, ``panes``, the rows of
    ``model``): what a blind comparison must not give away."""
    parts = [root.window().windowTitle()]
    for w in root.findChildren(QWidget):
        for attr in ("text", "toolTip", "accessibleName", "placeholderText", "windowTitle"):
            getter = getattr(w, attr, None)
            if callable(getter):
                try:
                    value = getter()
                except TypeError:
                    continue
                if isinstance(value, str):
                    parts.append(value)
    for pane in panes:
        parts.append(pane.visible_text())
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(r, c), role)
                if isinstance(value, str):
                    parts.append(value)
    for c in range(model.columnCount()):
        value = model.headerData(c, Qt.Orientation.Horizontal)
        if isinstance(value, str):
            parts.append(value)
    return "\n".join(parts)
