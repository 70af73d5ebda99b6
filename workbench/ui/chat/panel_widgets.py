"""Small pieces the model panel's parts share: wrapping labels, error colours, a wheel guard."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLabel, QSizePolicy, QWidget

from workbench.ui.render.code import palette_is_dark


def wrapping_label(object_name: str, accessible_name: str) -> QLabel:
    """A selectable label that wraps to the panel's width."""
    label = QLabel(objectName=object_name)
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def color_as_error(label: QLabel, palette: QPalette) -> None:
    """Colour ``label``'s text as an error against ``palette`` (call again when it changes)."""
    palette = QPalette(palette)
    # A lighter red on dark themes keeps the contrast readable.
    dark = palette_is_dark(palette)
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#ff8a80" if dark else "#b3261e"))
    label.setPalette(palette)


class WheelGuard(QObject):
    """Lets the mouse wheel scroll the panel instead of changing a control under the pointer.

    A control takes the wheel only once it has focus (clicked or tabbed to); otherwise the wheel
    event goes to ``target`` (the panel's scroll bar), so scrolling past a spin box never
    changes a setting by accident.
    """

    def __init__(self, target: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target = target

    def guard(self, widget: QWidget) -> None:
        """Guard ``widget`` if it is a control that takes the wheel (spin box, combo box)."""
        if isinstance(widget, (QAbstractSpinBox, QComboBox)) or widget.inherits("QSlider"):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            QCoreApplication.sendEvent(self._target, event)
            return True
        return False
