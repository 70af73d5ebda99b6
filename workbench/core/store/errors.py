"""Errors of the conversation database, each one plain sentence for the user."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.core.i18n import translate


def newer_version_message() -> str:
    """The sentence for a database that a newer Workbench has migrated."""
    return translate(
        "core.store",
        "This conversation database was created by a newer version of Workbench; update "
        "Workbench to open it.",
    )


def closed_message() -> str:
    return translate(
        "core.store", "The conversation database was already closed; restart Workbench."
    )


class StoreError(Exception):
    """The conversation database could not be used; ``str()`` is one plain sentence for the user."""


def plain_error(exc: sqlite3.Error, path: Path) -> StoreError:
    """Turn a sqlite3 exception into one sentence saying what happened and what to do."""
    name = getattr(exc, "sqlite_errorname", "") or ""  # Python >= 3.11 only
    text = f"{name} {exc}".lower()
    if any(s in text for s in ("notadb", "not a database", "corrupt", "malformed")):
        message = translate(
            "core.store",
            "The conversation database {path} is damaged or is not a Workbench database; move "
            "it aside and restart Workbench to start a new one.",
        )
    elif any(s in text for s in ("busy", "locked")):
        message = translate(
            "core.store",
            "The conversation database is busy in another program; close other Workbench "
            "windows and try again.",
        )
    elif any(s in text for s in ("cantopen", "unable to open")):
        message = translate(
            "core.store",
            "Workbench could not open its conversation database {path}; check that the folder "
            "exists and that you may write to it.",
        )
    elif any(s in text for s in ("full", "readonly", "read-only")):
        message = translate(
            "core.store",
            "Workbench could not save to its conversation database {path} because the disk is "
            "full or read-only; free some space or fix the permissions and try again.",
        )
    elif "closed" in text:
        message = closed_message()
    else:
        message = translate(
            "core.store",
            "Workbench could not read or save conversations in {path} ({error}); restart "
            "Workbench and try again.",
        )
    return StoreError(message.format(path=path, error=exc))
