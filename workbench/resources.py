"""Access to bundled resources (icons, translations) through importlib.resources."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(name: str) -> Path:
    """A resource file by its path below ``resources/`` (installed as ``workbench/_resources``)."""
    packaged = resources.files("workbench") / "_resources" / name
    if packaged.is_file():
        return Path(str(packaged))
    # Running from a source checkout (editable install): the top-level resources/ folder.
    return Path(__file__).resolve().parent.parent / "resources" / name
