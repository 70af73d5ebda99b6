"""A one-line label that cuts long text with "…" instead of widening its window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Shows as much of its text as fits, ending in "…"; the tooltip holds the whole text
    unless one is set explicitly. ``text()`` returns the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self._full = ""
        self._own_tooltip = False
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.setText(text)

    def text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        if not self._own_tooltip:
            super().setToolTip(text)
        self._elide()

    def setToolTip(self, tip: str) -> None:
        self._own_tooltip = bool(tip)
        super().setToolTip(tip or self._full)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setWidth(min(hint.width(), self.fontMetrics().horizontalAdvance(self._full) + 4))
        return hint
