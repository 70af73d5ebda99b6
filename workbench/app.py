"""Building the application: ``create_app`` for tests and automation, ``main`` for users."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench import __version__
from workbench.core import i18n, paths
from workbench.core.i18n import translate
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


def main(model: str | None = None, *, spawn: Callable[..., object] = subprocess.Popen) -> int:
    """Open the window, or bring the one already open over this data folder to the front.

    A second start over the same data folder hands ``model`` to the running window and returns
    0 without a window of its own; it returns 1 with one sentence on stderr when that window
    does not answer (hung), because two windows must never share a folder.

    When the user asked for a restart (a new language), Workbench is started again with
    ``spawn`` once this one has closed and let go of the data folder.
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
        log.error("data folder %s held by process %s, which does not answer", home, pid)
        _say(
            translate(
                "App",
                "Workbench is already open with the data folder {folder} (process {pid}) but "
                "does not answer; close it, or end that process, and start again.",
            ).format(folder=home, pid=pid)
        )
        return 1
    if claim is Claim.UNWRITABLE:
        log.error("data folder %s is not writable", home)
        _say(
            translate(
                "App", "Workbench cannot write to its data folder {folder}; check its permissions."
            ).format(folder=home)
        )
        return 1
    try:
        try:
            app, window = create_app(sys.argv[:1], model=model)
        except StoreError as exc:
            log.error("the database could not be opened: %s", exc)
            _say(str(exc))
            return 1
        guard.activation_requested.connect(window.bring_to_front)
        guard.listen()
        window.show()
        code = app.exec()
    finally:
        guard.release()
    if window.restart_requested:
        start_again(spawn)
    return code


def restart_command(
    *, frozen: bool | None = None, executable: str | None = None, home: Path | None = None
) -> list[str]:
    """The command that starts Workbench again over the same data folder: the packaged app's
    executable, or this Python with ``-m workbench`` when running from source."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = executable or sys.executable
    home = home if home is not None else paths.data_dir()
    program = [executable] if frozen else [executable, "-m", "workbench"]
    return [*program, "--home", str(home)]


def restart_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment for the new one, with the language as this one was given it:
    ``WORKBENCH_LANG`` now says the language in use, which must not outrank the new choice."""
    env = dict(os.environ if environ is None else environ)
    handed_down = i18n.inherited_language()
    if handed_down:
        env[i18n.ENV_VAR] = handed_down
    else:
        env.pop(i18n.ENV_VAR, None)
    return env


def start_again(spawn: Callable[..., object] = subprocess.Popen) -> bool:
    """Start Workbench again (see :func:`restart_command`); False, with a sentence on stderr,
    when it cannot be started."""
    command = restart_command()
    log.info("starting again: %s", command)
    try:
        # A session of its own: the new window outlives this process and its terminal's Ctrl+C.
        spawn(command, env=restart_environment(), start_new_session=True)
    except OSError as exc:
        log.error("could not start again: %s", exc)
        _say(
            translate(
                "App", "Workbench could not start again ({reason}); start it yourself."
            ).format(reason=exc.strerror or exc)
        )
        return False
    return True


def _say(sentence: str) -> None:
    if sys.stderr is not None:  # a windowed app has none
        print(translate("App", "error: {message}").format(message=sentence), file=sys.stderr)
