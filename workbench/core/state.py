"""Small JSON files of app state (window geometry, panel sizes, the last chat, panel settings).

Written atomically under the file's lock (:func:`workbench.core.atomic.update_json`) so a crash
mid-write never leaves half a file and a command-line run writing the same file never loses its
change; a damaged file is set aside as ``.bad`` and the app starts with defaults instead of
failing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.core import paths
from workbench.core.atomic import file_lock, read_json, update_json, write_json

log = logging.getLogger(__name__)


class JsonFile:
    """A dict persisted as one JSON file that several processes may write."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Any]:
        """The saved dict; ``{}`` when there is none (a damaged file is set aside)."""
        return read_json(self.path)

    def update(self, change: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """Apply ``change`` to the file as it is now, under its lock; returns what was written.

        ``change`` gets the current dict and returns the whole new one. This is how a store
        saves its change: keys and entries that another process wrote meanwhile stay.

        Raises:
            OSError: The file could not be written or its lock was not free in time.
        """
        return update_json(self.path, change)

    def save(self, data: dict[str, Any]) -> None:
        """Replace the whole file with ``data`` (under its lock, so no update is half-undone).

        Prefer :meth:`update` for files that others write too.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with file_lock(self.path):
            write_json(self.path, data)


def app_state() -> JsonFile:
    """The window's state: geometry, splitter sizes, panel settings, last conversation."""
    return JsonFile(paths.data_dir() / "state.json")


#: The key, in the app state, of the model file being loaded: written before a load and removed
#: after it, so a start that finds it knows the previous run ended during that load.
LOADING_KEY = "loading_model"


def mark_loading(path: str) -> None:
    """Note in the app state that ``path`` is being loaded (a failed write is only logged)."""
    try:
        app_state().update(lambda saved: {**saved, LOADING_KEY: path})
    except OSError as exc:
        log.warning("could not note the model being loaded: %s", exc)


def clear_loading(path: str | None = None) -> None:
    """Remove the marker of :func:`mark_loading` (only if it names ``path``, when given)."""

    def change(saved: dict[str, Any]) -> dict[str, Any]:
        if LOADING_KEY in saved and (path is None or saved[LOADING_KEY] == path):
            saved = {k: v for k, v in saved.items() if k != LOADING_KEY}
        return saved

    try:
        app_state().update(change)
    except OSError as exc:
        log.warning("could not clear the note of the model being loaded: %s", exc)


def crashed_loading(state: dict[str, Any]) -> str | None:
    """The model file the previous run was loading when it ended, from its saved app state."""
    path = state.get(LOADING_KEY)
    return path if isinstance(path, str) and path else None
