"""The message box: Enter sends, Shift+Enter starts a new line; while an input method composes
(pinyin under the cursor), Enter is the input method's and never sends."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout


class Composer(QPlainTextEdit):
    """Signals:
    send_requested(): Enter was pressed (without Shift) — the text is still in the box.
    escape_pressed(): Esc, e.g. to stop editing an earlier message.
    """

    send_requested = Signal()
    escape_pressed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAccessibleName(self.tr("Message"))
        self.setPlaceholderText(self.tr("Write a message — Enter sends, Shift+Enter adds a line"))
        self.setTabChangesFocus(True)
        self._composing = False

    def is_composing(self) -> bool:
        """Whether an input method is composing text (a preedit string is shown)."""
        return self._composing

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Most input methods keep Enter to themselves while they compose; some platforms pass
        # it on as a key press, so remember whether a composition is open.
        self._composing = bool(event.preeditString())
        super().inputMethodEvent(event)

    def focusOutEvent(self, event) -> None:
        # Losing focus ends a composition: the input method commits or drops it.
        self._composing = False
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            mods = event.modifiers()
            if self._composing:
                # Enter confirms the composition: ask the input method to commit what it shows,
                # and never send or add a line.
                QGuiApplication.inputMethod().commit()
                event.accept()
                return
            if mods & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.send_requested.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
        super().keyPressEvent(event)

    def sizeHint(self):
        hint = super().sizeHint()
        hint.setHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        return hint


def composer_row(composer: Composer, send: QPushButton, stop: QPushButton) -> QHBoxLayout:
    """The message box with Send and Stop stacked beside it (the chat's and the compare page's)."""
    buttons = QVBoxLayout()
    buttons.addWidget(send)
    buttons.addWidget(stop)
    buttons.addStretch(1)
    row = QHBoxLayout()
    row.addWidget(composer, 1)
    row.addLayout(buttons)
    return row
