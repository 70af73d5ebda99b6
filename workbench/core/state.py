"""Small JSON files of app state (window geometry, panel sizes, the last chat, panel settings).

Written atomically (:func:`workbench.core.atomic.write_json`) so a crash mid-write never leaves
half a file; a damaged file is set aside as ``.bad`` and the app starts with defaults instead of
failing.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from workbench.core import paths
from workbench.core.atomic import set_aside, write_json

log = logging.getLogger(__name__)


class JsonFile:
    """A dict persisted as one JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Any]:
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("%s is unreadable (%s); starting from defaults", self.path, exc)
            set_aside(self.path)
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json(self.path, data)


def app_state() -> JsonFile:
    """The window's state: geometry, splitter sizes, panel settings, last conversation."""
    return JsonFile(paths.data_dir() / "state.json")
