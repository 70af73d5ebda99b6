"""A keyboard focus everyone can see: a clear ring around the focused button, row or box.

The platform styles draw focus faintly (a dotted line, or a one-pixel tint that disappears on
some screens), so someone moving through the window with Tab loses their place. A proxy over the
platform's own style draws the focus frame as a two-pixel ring in the highlight colour and
leaves everything else as the platform draws it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QWidget,
)

#: The ring's width in pixels.
RING = 2

# Controls whose frame shows the ring when they have the keyboard focus (item views draw it
# on their current row through the focus-frame primitive).
_RINGED = (QAbstractButton, QLineEdit, QAbstractSpinBox, QComboBox)


class FocusStyle(QProxyStyle):
    """The platform's style with a visible focus ring."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:  # Qt override
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            _ring(option, painter)
            return
        super().drawPrimitive(element, option, painter, widget)
        if (
            element
            in (
                QStyle.PrimitiveElement.PE_PanelButtonCommand,
                QStyle.PrimitiveElement.PE_PanelButtonTool,
                QStyle.PrimitiveElement.PE_FrameLineEdit,
            )
            and option.state & QStyle.StateFlag.State_HasFocus
            and isinstance(widget, _RINGED)
        ):
            _ring(option, painter)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # Qt override
        super().drawComplexControl(control, option, painter, widget)
        if (
            control in (QStyle.ComplexControl.CC_SpinBox, QStyle.ComplexControl.CC_ComboBox)
            and option.state & QStyle.StateFlag.State_HasFocus
        ):
            _ring(option, painter)


def _ring(option: QStyleOption, painter: QPainter) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(option.palette.color(QPalette.ColorRole.Highlight), RING)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = RING / 2
    painter.drawRoundedRect(QRectF(option.rect).adjusted(half, half, -half, -half), 3, 3)
    painter.restore()


def install_focus_style() -> None:
    """Use :class:`FocusStyle` over the application's current style (once)."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and not isinstance(app.style(), FocusStyle):
        app.setStyle(FocusStyle(app.style().name()))
