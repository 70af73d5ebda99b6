"""What a widget shows on screen, for tests that compare partial repaints with a full one."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget


def on_screen(window: QWidget, viewport: QWidget) -> QImage:
    """What the window's backing store holds for ``viewport`` (``grab()`` would paint afresh
    and prove nothing)."""
    origin = viewport.mapTo(window, QPoint(0, 0))
    return (
        window.screen()
        .grabWindow(window.winId(), origin.x(), origin.y(), viewport.width(), viewport.height())
        .toImage()
    )


def settle(qtbot) -> None:
    """Let every pending update (relayout timers, paint requests) reach the backing store."""
    for _ in range(5):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    qtbot.wait(5)
