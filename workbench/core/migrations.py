"""Schema migrations for the conversation database.

The pattern follows simonw/llm: migrations are plain functions registered in order with the
``@migration`` decorator. Migration number N (1-based position in :data:`MIGRATIONS`) runs when
``PRAGMA user_version`` is below N, inside its own transaction that also sets ``user_version`` to
N, so a crash leaves the database at a clean version boundary.

Rules for editing this file: only ever append new migrations at the end. Never edit, reorder or
remove a migration that has shipped — users' databases record how many have already run. Each
migration is self-contained (no imports from the rest of the app) because the code it would call
may change later while the migration must keep doing exactly what it did.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: list[tuple[str, Migration]] = []


class SchemaTooNewError(Exception):
    """The database was migrated by a newer Workbench than this one."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"database schema version {found} is newer than the latest known {known}")
        self.found = found
        self.known = known


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration; its ``__name__`` is the migration's name."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def latest_version() -> int:
    """The schema version a fully migrated database has."""
    return len(MIGRATIONS)


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the database (0 for a new, empty one)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Run every migration the database has not seen yet.

    Args:
        conn: A connection in autocommit mode (``isolation_level=None``), so that the explicit
            transactions here are the only ones.

    Returns:
        The names of the migrations that ran, in order (empty when already up to date).

    Raises:
        SchemaTooNewError: The database comes from a newer Workbench; nothing was changed.
    """
    found = current_version(conn)
    if found > latest_version():
        raise SchemaTooNewError(found, latest_version())
    applied: list[str] = []
    for number, (name, fn) in enumerate(MIGRATIONS, start=1):
        if current_version(conn) >= number:
            continue
        # IMMEDIATE takes the write lock up front, so two Workbench processes starting at once
        # cannot both run the same migration; the version is re-read under that lock.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if current_version(conn) < number:
                fn(conn)
                # PRAGMA cannot take a bound parameter; ``number`` is an int we computed.
                conn.execute(f"PRAGMA user_version = {int(number)}")
                applied.append(name)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return applied


def fts5_trigram_available() -> bool:
    """Whether this SQLite library has FTS5 with the trigram tokenizer (SQLite >= 3.34).

    Probed on a throwaway in-memory database: the library is the same for every connection, and
    a failed probe must not leave anything behind in the real one.
    """
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    finally:
        probe.close()
    return True


def _run(conn: sqlite3.Connection, statements: tuple[str, ...]) -> None:
    # One execute() per statement: executescript() would COMMIT the migration's transaction
    # early on Python < 3.12.
    for sql in statements:
        conn.execute(sql)


@migration
def m001_initial(conn: sqlite3.Connection) -> None:
    """Conversations and their messages."""
    _run(
        conn,
        (
            """
            CREATE TABLE conversations (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                system_prompt TEXT,
                model TEXT,
                settings TEXT
            )
            """,
            "CREATE INDEX conversations_updated_at ON conversations (updated_at)",
            # The large text columns come last: a column stored after a long text lives in
            # overflow pages, and reading small columns (state, position...) would walk them.
            """
            CREATE TABLE messages (
                id INTEGER PRIMARY KEY,
                conversation_id INTEGER NOT NULL
                    REFERENCES conversations (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
                state TEXT NOT NULL DEFAULT 'complete'
                    CHECK (state IN ('complete', 'streaming', 'interrupted', 'cancelled', 'error')),
                source TEXT,
                model TEXT,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                error TEXT,
                params TEXT,
                stats TEXT,
                content TEXT NOT NULL DEFAULT '',
                reasoning TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX messages_conversation_position ON messages (conversation_id, position)",
            # Startup recovery looks for 'streaming' rows; a partial index keeps that instant
            # instead of scanning every message.
            "CREATE INDEX messages_streaming ON messages (id) WHERE state = 'streaming'",
        ),
    )


@migration
def m002_message_search(conn: sqlite3.Connection) -> None:
    """Full-text indexes over message text and conversation titles.

    Trigram tokenizer, because unicode61 does not split Chinese or Japanese into words; trigrams
    find any substring of 3+ characters in any script. The indexes are contentless (the text lives
    in the main tables) and kept in sync by triggers. Messages still streaming are left out of the
    index: their text is rewritten about once a second, and re-indexing a long reply each time
    would be wasted work; they are indexed once they reach a final state.

    Without FTS5/trigram in this SQLite build this migration creates nothing and search falls back
    to LIKE (the store checks whether ``messages_fts`` exists).
    """
    if not fts5_trigram_available():
        return
    _run(
        conn,
        (
            "CREATE VIRTUAL TABLE messages_fts USING fts5("
            " content, content = '', tokenize = 'trigram')",
            "CREATE VIRTUAL TABLE conversations_fts USING fts5("
            " title, content = '', tokenize = 'trigram')",
            # A contentless index must be told the exact old text to remove, hence 'delete'
            # commands carrying old.* values; they always match what an earlier trigger inserted.
            """
            CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
            WHEN new.state != 'streaming' BEGIN
                INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
            END
            """,
            """
            CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
            WHEN old.state != 'streaming' BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, content)
                VALUES ('delete', old.id, old.content);
            END
            """,
            """
            CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, state ON messages BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, content)
                SELECT 'delete', old.id, old.content WHERE old.state != 'streaming';
                INSERT INTO messages_fts (rowid, content)
                SELECT new.id, new.content WHERE new.state != 'streaming';
            END
            """,
            """
            CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
                INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
            END
            """,
            """
            CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
                INSERT INTO conversations_fts (conversations_fts, rowid, title)
                VALUES ('delete', old.id, old.title);
            END
            """,
            """
            CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
                INSERT INTO conversations_fts (conversations_fts, rowid, title)
                VALUES ('delete', old.id, old.title);
                INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
            END
            """,
            # Index what earlier versions already stored.
            """
            INSERT INTO messages_fts (rowid, content)
            SELECT id, content FROM messages WHERE state != 'streaming'
            """,
            "INSERT INTO conversations_fts (rowid, title) SELECT id, title FROM conversations",
        ),
    )


@migration
def m003_message_tree(conn: sqlite3.Connection) -> None:
    """Branching conversations: each message points at the one it follows.

    ``messages.parent_id`` makes the messages a tree (regenerated replies and edited prompts are
    siblings); ``conversations.current_leaf_id`` says which root-to-leaf path is shown. Existing
    conversations become single chains: each message's parent is the one before it, and the last
    message is the current leaf.
    """
    _run(
        conn,
        (
            # SQLite allows ADD COLUMN with REFERENCES only when the default is NULL, as here.
            "ALTER TABLE messages ADD COLUMN"
            " parent_id INTEGER REFERENCES messages (id) ON DELETE SET NULL",
            # No foreign key: the store keeps it valid, and a cycle of references between the
            # two tables would make deleting a conversation harder to reason about.
            "ALTER TABLE conversations ADD COLUMN current_leaf_id INTEGER",
            # A correlated lookup through (conversation_id, position) rather than a window
            # function, so this also runs on SQLite builds older than 3.25.
            """
            UPDATE messages SET parent_id = (
                SELECT p.id FROM messages AS p
                WHERE p.conversation_id = messages.conversation_id
                    AND (p.position, p.id) < (messages.position, messages.id)
                ORDER BY p.position DESC, p.id DESC LIMIT 1
            )
            """,
            """
            UPDATE conversations SET current_leaf_id = (
                SELECT m.id FROM messages AS m WHERE m.conversation_id = conversations.id
                ORDER BY m.position DESC, m.id DESC LIMIT 1
            )
            """,
            # Built after the backfill (cheaper than maintaining it row by row). parent_id comes
            # first so it also serves the ON DELETE SET NULL lookups; conversation_id next lets
            # "roots of this conversation" (parent_id IS NULL) be a direct seek.
            "CREATE INDEX messages_parent ON messages (parent_id, conversation_id)",
        ),
    )


@migration
def m004_soft_delete(conn: sqlite3.Connection) -> None:
    """Deleted conversations are kept (for undo) until purged."""
    _run(
        conn,
        (
            "ALTER TABLE conversations ADD COLUMN deleted_at REAL",
            # The sidebar lists live conversations newest first; a partial index holds exactly
            # those rows in that order, with the title, so the list never touches the table.
            # deleted_at is always NULL in it, but SQLite before 3.4x only treats a partial index
            # as covering when it also holds the columns of its WHERE clause.
            "CREATE INDEX conversations_live ON conversations (updated_at, id, title, deleted_at)"
            " WHERE deleted_at IS NULL",
            "CREATE INDEX conversations_deleted ON conversations (deleted_at)"
            " WHERE deleted_at IS NOT NULL",
        ),
    )


@migration
def m005_compare(conn: sqlite3.Connection) -> None:
    """Compare mode: sessions of 2–4 targets, rounds, votes and saved prompt sets.

    Each target of a comparison keeps its own thread as an ordinary conversation (so replies are
    saved while they stream, exactly as in a chat) marked ``kind = 'compare'``, which keeps it
    out of the chat list and search. Votes copy the identities and the prompt they judged, so the
    leaderboard keeps them when a session is deleted.
    """
    _run(
        conn,
        (
            "ALTER TABLE conversations ADD COLUMN kind TEXT NOT NULL DEFAULT 'chat'",
            "DROP INDEX conversations_live",
            "CREATE INDEX conversations_live ON conversations"
            " (updated_at, id, title, deleted_at, kind) WHERE deleted_at IS NULL AND kind = 'chat'",
            """CREATE TABLE prompt_sets (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                prompts TEXT NOT NULL DEFAULT '[]',
                tags TEXT NOT NULL DEFAULT '[]',
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )""",
            """CREATE TABLE compare_sessions (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                blind INTEGER NOT NULL DEFAULT 0,
                tags TEXT NOT NULL DEFAULT '[]',
                prompt_set_id INTEGER REFERENCES prompt_sets (id) ON DELETE SET NULL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            )""",
            "CREATE INDEX compare_sessions_updated ON compare_sessions (updated_at, id)",
            """CREATE TABLE compare_targets (
                id INTEGER PRIMARY KEY,
                session_id INTEGER NOT NULL REFERENCES compare_sessions (id) ON DELETE CASCADE,
                slot INTEGER NOT NULL,
                spec TEXT NOT NULL,
                identity TEXT NOT NULL,
                conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                UNIQUE (session_id, slot)
            )""",
            "CREATE INDEX compare_targets_conversation ON compare_targets (conversation_id)",
            """CREATE TABLE compare_rounds (
                id INTEGER PRIMARY KEY,
                session_id INTEGER NOT NULL REFERENCES compare_sessions (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                prompt TEXT NOT NULL,
                blind INTEGER NOT NULL DEFAULT 0,
                blind_order TEXT NOT NULL DEFAULT '[]',
                created_at REAL NOT NULL
            )""",
            "CREATE INDEX compare_rounds_session ON compare_rounds (session_id, position)",
            """CREATE TABLE compare_answers (
                round_id INTEGER NOT NULL REFERENCES compare_rounds (id) ON DELETE CASCADE,
                target_id INTEGER NOT NULL REFERENCES compare_targets (id) ON DELETE CASCADE,
                message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
                PRIMARY KEY (round_id, target_id)
            )""",
            "CREATE INDEX compare_answers_message ON compare_answers (message_id)",
            """CREATE TABLE compare_votes (
                id INTEGER PRIMARY KEY,
                round_id INTEGER UNIQUE REFERENCES compare_rounds (id) ON DELETE SET NULL,
                outcome TEXT NOT NULL,
                winner TEXT,
                identities TEXT NOT NULL,
                tags TEXT NOT NULL DEFAULT '[]',
                prompt TEXT NOT NULL DEFAULT '',
                created_at REAL NOT NULL
            )""",
        ),
    )
