"""Opening the conversation database: its folder, the SQLite settings, the schema migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.core import migrations
from workbench.core.i18n import translate
from workbench.core.store.errors import StoreError, newer_version_message, plain_error


def open_database(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A connection to ``path`` with the latest schema, and whether the FTS5 search tables exist.

    The folder is created if needed. The connection is in autocommit mode (transactions are
    explicit) and may be used from any thread under the caller's lock.

    Raises:
        StoreError: The file cannot be opened, is not a Workbench database, or was created by a
            newer Workbench.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            translate(
                "core.store",
                "Workbench could not create the folder {folder} for its conversation database "
                "({error}); check the permissions and try again.",
            ).format(folder=path.parent, error=exc.strerror)
        ) from exc
    try:
        # Autocommit mode: transactions are explicit (see Store._write), not guessed by sqlite3.
        conn = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise plain_error(exc, path) from exc
    try:
        return conn, _prepare(conn, path)
    except BaseException:
        conn.close()
        raise


def _prepare(conn: sqlite3.Connection, path: Path) -> bool:
    """Check the version, set WAL, migrate; whether the FTS5 search tables exist."""
    try:
        # Check the version before anything writes to the file: a newer app's database is
        # left exactly as it was. Reading the header also detects a file that isn't SQLite.
        version = migrations.current_version(conn)
        if version > migrations.latest_version():
            raise StoreError(newer_version_message())
        conn.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL only risks the last commits on power loss, never corruption.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrations.migrate(conn)
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages_fts'"
        ).fetchone()
    except sqlite3.Error as exc:
        raise plain_error(exc, path) from exc
    except migrations.SchemaTooNewError as exc:  # another process migrated meanwhile
        raise StoreError(newer_version_message()) from exc
    return found is not None
