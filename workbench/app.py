"""Building the application: ``create_app`` for tests and automation, ``main`` for users."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.core import paths
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
    # Before any widget exists: widgets take their text when they are made.
    from workbench.core.settings import load_settings
    from workbench.qt.i18n import apply_language, chosen_language

    apply_language(chosen_language(load_settings().language))
    store = Store()
    recovered = store.recover_interrupted()
    if recovered:
        log.info("%d replies were interrupted last time; kept as they were", recovered)
    # Chats deleted last session were past their undo window when the app closed.
    store.purge_deleted()
    window = MainWindow(store, model_path=model)
    return app, window


def main(model: str | None = None) -> int:
    """Open the window, or bring the one already open over this data folder to the front.

    A second start over the same data folder hands ``model`` to the running window and returns
    0 without a window of its own; it returns 1 with one sentence on stderr when that window
    does not answer (hung), because two windows must never share a folder.
    """
    from workbench.qt.single_instance import Claim, SingleInstance

    home = paths.data_dir()
    guard = SingleInstance(home)
    # The second start's cwd is not the window's: a relative path must mean what the user meant.
    claim = guard.claim(os.path.abspath(model) if model else None)
    if claim is Claim.HANDED_OVER:
        return 0
    if claim is Claim.NO_ANSWER:
        pid = guard.owner_pid()
        _say(
            f"Workbench is already open with the data folder {home} (process {pid}) but does "
            "not answer; close it, or end that process, and start again."
        )
        return 1
    if claim is Claim.UNWRITABLE:
        _say(f"Workbench cannot write to its data folder {home}; check its permissions.")
        return 1
    try:
        try:
            app, window = create_app(sys.argv[:1], model=model)
        except StoreError as exc:
            _say(str(exc))
            return 1
        guard.activation_requested.connect(window.bring_to_front)
        guard.listen()
        window.show()
        return app.exec()
    finally:
        guard.release()


def _say(sentence: str) -> None:
    log.error("%s", sentence)
    if sys.stderr is not None:  # a windowed app has none
        print(f"error: {sentence}", file=sys.stderr)
