"""Building the application: ``create_app`` for tests and automation, ``main`` for users."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.core.store import Store, StoreError
from workbench.resources import resource_path

log = logging.getLogger(__name__)


def create_app(argv: Sequence[str] | None = None, *, model: str | None = None):
    """Create (or reuse) the QApplication and the main window, without entering the event loop.

    Returns ``(app, window)``; raises :class:`StoreError` if the conversation database cannot be
    opened.
    """
    from workbench.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("Workbench")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Workbench")
    app.setWindowIcon(QIcon(str(resource_path("icons/workbench.svg"))))
    store = Store()
    recovered = store.recover_interrupted()
    if recovered:
        log.info("%d replies were interrupted last time; kept as they were", recovered)
    # Chats deleted last session were past their undo window when the app closed.
    store.purge_deleted()
    window = MainWindow(store, model_path=model)
    return app, window


def main(model: str | None = None) -> int:
    try:
        app, window = create_app(sys.argv[:1], model=model)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    window.show()
    return app.exec()
