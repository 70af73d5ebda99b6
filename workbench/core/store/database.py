"""The conversation database: one SQLite connection, its lock, and every query on it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.core import migrations, paths
from workbench.core.i18n import translate
from workbench.core.store import writers
from workbench.core.store.connection import open_database
from workbench.core.store.errors import StoreError, closed_message, plain_error
from workbench.core.store.records import (
    CONVERSATION_COLUMNS,
    MESSAGE_COLUMNS,
    ROLES,
    STATES,
    UNSET,
    Conversation,
    Message,
    Unset,
    conversation_from_row,
    dump_json,
    message_from_row,
)
from workbench.core.store.search import search_conditions

# The conversation's current leaf, ignored unless it is one of the conversation's own messages
# (a stale pointer then reads as "empty thread" rather than showing another chat's messages).
# One parameter: the conversation id.
_LEAF = (
    "(SELECT m.id FROM conversations AS c JOIN messages AS m"
    " ON m.id = c.current_leaf_id AND m.conversation_id = c.id WHERE c.id = ?)"
)

# Ids of the messages from the conversation's current leaf up to its root. UNION, not UNION ALL,
# so a parent_id cycle (which the store never makes) ends the walk instead of looping forever.
# Parameters: the conversation id, twice.
_THREAD_IDS = f"""
    WITH RECURSIVE thread_ids(id) AS (
        SELECT {_LEAF}
        UNION
        SELECT m.parent_id FROM messages AS m JOIN thread_ids ON m.id = thread_ids.id
        WHERE m.parent_id IS NOT NULL AND m.conversation_id = ?
    )
"""


class Store:
    """The conversation database.

    Args:
        path: The database file; ``None`` means the default one in the app data folder. Its
            folder is created if needed.

    Raises:
        StoreError: The file cannot be opened, is not a Workbench database, or was created by a
            newer Workbench.
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self._path = Path(path) if path is not None else paths.database_path()
        self._lock = threading.RLock()
        self._last_stamp = 0.0
        # Whether the FTS5 search tables exist (SQLite builds without FTS5 search with LIKE).
        conn, self._fts = open_database(self._path)
        self._conn: sqlite3.Connection | None = conn

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    def close(self) -> None:
        """Close the database; safe to call more than once."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            # Cheap, and keeps query plans good for databases that live for years.
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA optimize")
            conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- plumbing ----------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._conn is None:
                raise StoreError(closed_message())
            try:
                yield self._conn
            except sqlite3.Error as exc:
                raise plain_error(exc, self._path) from exc

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; rolled back if the body raises."""
        with self._read() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                # Also after a failed COMMIT, which can leave the transaction open and would
                # make every later BEGIN fail.
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise

    # Other core modules that keep their tables in this database (compare mode) use these, so
    # that everything shares one connection, one lock and one error translation.

    def reading(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """The connection, locked, for reads; sqlite errors become :class:`StoreError`."""
        return self._read()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``), rolled back if the body raises."""
        return self._write()

    def now(self) -> float:
        """A timestamp that always increases for this store (call inside a transaction)."""
        with self._lock:
            return self._now()

    def _now(self) -> float:
        # Windows clocks tick every ~16 ms; stamps from one Store always increase so that
        # "most recently updated" follows the order of the edits. Called under the lock.
        now = max(time.time(), self._last_stamp + 1e-6)
        self._last_stamp = now
        return now

    # -- conversations -----------------------------------------------------------------------

    def schema_version(self) -> int:
        """The database's schema version (``PRAGMA user_version``)."""
        with self._read() as conn:
            return migrations.current_version(conn)

    def create_conversation(
        self,
        title: str | None = None,
        *,
        system_prompt: str | None = None,
        model: str | None = None,
        settings: dict | None = None,
        kind: str = "chat",
    ) -> Conversation:
        """Create and return an empty conversation.

        ``kind`` "compare" makes a compare target's thread: stored like a chat, but kept out of
        the chat list, the summaries and search. The title defaults to "New chat", translated.
        """
        if title is None:
            title = translate("core.store", "New chat")
        with self._write() as conn:
            now = self._now()
            cursor = conn.execute(
                "INSERT INTO conversations (title, created_at, updated_at, system_prompt, model,"
                " settings, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, now, now, system_prompt, model, dump_json(settings), kind),
            )
            conversation_id = cursor.lastrowid
        return Conversation(
            id=conversation_id,
            title=title,
            created_at=now,
            updated_at=now,
            system_prompt=system_prompt,
            model=model,
            settings=dict(settings or {}),
        )

    def get_conversation(self, conversation_id: int) -> Conversation:
        """The conversation with this id, also when it is in the trash (see ``deleted_at``).

        Raises:
            KeyError: There is no such conversation.
        """
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE id = ?",
                (conversation_id,),
            ).fetchone()
        if row is None:
            raise KeyError(f"no conversation with id {conversation_id}")
        return conversation_from_row(row)

    def list_conversations(self, *, limit: int | None = None) -> list[Conversation]:
        """All conversations not deleted, most recently updated first (at most ``limit``)."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations"
                " WHERE deleted_at IS NULL AND kind = 'chat'"
                " ORDER BY updated_at DESC, id DESC LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        return [conversation_from_row(row) for row in rows]

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        """Change a conversation's title.

        Raises:
            KeyError: There is no such conversation.
        """
        self.update_conversation(conversation_id, title=title)

    def update_conversation(
        self,
        conversation_id: int,
        *,
        title: str | Unset = UNSET,
        system_prompt: str | Unset | None = UNSET,
        model: str | Unset | None = UNSET,
        settings: dict | Unset | None = UNSET,
    ) -> None:
        """Change only the given fields of a conversation (``None`` clears a field).

        Raises:
            KeyError: There is no such conversation.
        """
        changes: dict[str, Any] = {}
        if title is not UNSET:
            changes["title"] = title
        if system_prompt is not UNSET:
            changes["system_prompt"] = system_prompt
        if model is not UNSET:
            changes["model"] = model
        if settings is not UNSET:
            changes["settings"] = dump_json(settings)
        if not changes:
            self.get_conversation(conversation_id)  # still report a wrong id
            return
        with self._write() as conn:
            changes["updated_at"] = self._now()
            # Column names come from the fixed set above, never from the caller.
            assignments = ", ".join(f"{column} = ?" for column in changes)
            cursor = conn.execute(
                f"UPDATE conversations SET {assignments} WHERE id = ?",
                (*changes.values(), conversation_id),
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no conversation with id {conversation_id}")

    def conversation_summaries(self) -> list[tuple[int, str, float]]:
        """``(id, title, updated_at)`` of every conversation not deleted, newest updated first.

        One query over a covering index, for a sidebar of many thousands of chats.
        """
        with self._read() as conn:
            return conn.execute(
                "SELECT id, title, updated_at FROM conversations"
                " WHERE deleted_at IS NULL AND kind = 'chat' ORDER BY updated_at DESC, id DESC"
            ).fetchall()

    def message_count(self, conversation_id: int) -> int:
        """How many messages a conversation stores, all branches included (0 if unknown)."""
        with self._read() as conn:
            return conn.execute(
                "SELECT COUNT(*) FROM messages WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()[0]

    def delete_conversation(self, conversation_id: int) -> None:
        """Move a conversation to the trash: it leaves the list, search and summaries.

        Its messages are kept until :meth:`purge_deleted`, so :meth:`restore_conversation` can
        undo this. Nothing happens if it is already deleted (its deletion time is kept) or gone.
        """
        with self._write() as conn:
            conn.execute(
                "UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                (self._now(), conversation_id),
            )

    def restore_conversation(self, conversation_id: int) -> None:
        """Take a conversation out of the trash (undo :meth:`delete_conversation`).

        Its place in the list is where it was: deleting and restoring do not count as updates.

        Raises:
            KeyError: There is no such conversation (never created, or already purged).
        """
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE conversations SET deleted_at = NULL WHERE id = ?", (conversation_id,)
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no conversation with id {conversation_id}")

    def purge_deleted(self, older_than_s: float = 0.0) -> int:
        """Really delete, with their messages, conversations deleted ``older_than_s`` ago or more.

        Returns:
            How many conversations were removed.
        """
        with self._write() as conn:
            # _now(), not time.time(): deletion stamps may run slightly ahead of the clock (see
            # _now), and purge_deleted(0) must still remove something deleted just before.
            cutoff = self._now() - older_than_s
            cursor = conn.execute(
                "DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
                (cutoff,),
            )
            return cursor.rowcount

    # -- messages ----------------------------------------------------------------------------

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str = "",
        *,
        reasoning: str = "",
        source: str | None = None,
        model: str | None = None,
        params: dict | None = None,
        stats: dict | None = None,
        state: str = "complete",
        error: str | None = None,
        parent_id: int | Unset | None = UNSET,
    ) -> Message:
        """Add a message, make it the current leaf and mark the conversation updated.

        Args:
            parent_id: The message this one follows. Not given: the current leaf, so the
                message continues the thread on screen. ``None``: a new first message (an edited
                first prompt). Another id makes a new version of that message's reply or
                follow-up (a regenerated reply, an edited prompt).

        Raises:
            KeyError: There is no such conversation, or no message ``parent_id``.
            ValueError: ``role`` or ``state`` is not one of :data:`ROLES` / :data:`STATES`, or
                ``parent_id`` belongs to another conversation.
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        if state not in STATES:
            raise ValueError(f"state must be one of {STATES}, not {state!r}")
        with self._write() as conn:
            now = self._now()
            self._check_conversation(conn, conversation_id)
            # Read inside the write transaction, so concurrent appends form one chain.
            parent = self._parent(conn, conversation_id, parent_id)
            position = self._next_position(conn, conversation_id)
            cursor = conn.execute(
                "INSERT INTO messages (conversation_id, position, role, state, source, model,"
                " created_at, updated_at, error, params, stats, content, reasoning, parent_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    position,
                    role,
                    state,
                    source,
                    model,
                    now,
                    now,
                    error,
                    dump_json(params),
                    dump_json(stats),
                    content,
                    reasoning,
                    parent,
                ),
            )
            message_id = cursor.lastrowid
            conn.execute(
                "UPDATE conversations SET updated_at = ?, current_leaf_id = ? WHERE id = ?",
                (now, message_id, conversation_id),
            )
        return Message(
            id=message_id,
            conversation_id=conversation_id,
            role=role,
            content=content,
            reasoning=reasoning,
            source=source,
            model=model,
            params=dict(params or {}),
            stats=dict(stats or {}),
            state=state,
            error=error,
            created_at=now,
            updated_at=now,
            position=position,
            parent_id=parent,
        )

    def add_messages_bulk(self, conversation_id: int, rows: list[tuple[str, str]]) -> None:
        """Append ``(role, content)`` messages as a chain below the current leaf, in one go.

        For building long conversations fast (imports, tests, benchmarks): one transaction, the
        last message becomes the current leaf.

        Raises:
            KeyError: There is no such conversation.
            ValueError: A role is not one of :data:`ROLES`.
        """
        for role, _content in rows:
            if role not in ROLES:
                raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        with self._write() as conn:
            now = self._now()
            self._check_conversation(conn, conversation_id)
            if not rows:
                return
            parent = self._parent(conn, conversation_id, UNSET)
            position = self._next_position(conn, conversation_id)
            # One execute per row (not executemany): each row needs the previous row's id.
            for role, content in rows:
                parent = conn.execute(
                    "INSERT INTO messages (conversation_id, position, role, created_at,"
                    " updated_at, content, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (conversation_id, position, role, now, now, content, parent),
                ).lastrowid
                position += 1
            conn.execute(
                "UPDATE conversations SET updated_at = ?, current_leaf_id = ? WHERE id = ?",
                (now, parent, conversation_id),
            )

    @staticmethod
    def _check_conversation(conn: sqlite3.Connection, conversation_id: int) -> None:
        if conn.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone():
            return
        raise KeyError(f"no conversation with id {conversation_id}")

    @staticmethod
    def _next_position(conn: sqlite3.Connection, conversation_id: int) -> int:
        # Called inside the write transaction, so concurrent appends never share a position.
        return conn.execute(
            "SELECT COALESCE(MAX(position) + 1, 0) FROM messages WHERE conversation_id = ?",
            (conversation_id,),
        ).fetchone()[0]

    @staticmethod
    def _parent(
        conn: sqlite3.Connection, conversation_id: int, parent_id: int | Unset | None
    ) -> int | None:
        """The parent a new message gets: the current leaf when not given, else checked."""
        if parent_id is UNSET:
            return conn.execute(f"SELECT {_LEAF}", (conversation_id,)).fetchone()[0]
        if parent_id is None:
            return None
        row = conn.execute(
            "SELECT conversation_id FROM messages WHERE id = ?", (parent_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no message with id {parent_id}")
        if row[0] != conversation_id:
            raise ValueError(
                f"message {parent_id} belongs to conversation {row[0]}, not {conversation_id}"
            )
        return parent_id

    def update_message(
        self,
        message_id: int,
        *,
        content: str | Unset = UNSET,
        reasoning: str | Unset = UNSET,
        stats: dict | Unset | None = UNSET,
        state: str | Unset = UNSET,
        error: str | Unset | None = UNSET,
    ) -> None:
        """Change only the given fields of a message; marks it and its conversation updated.

        Raises:
            KeyError: There is no such message (for example its conversation was deleted).
            ValueError: ``state`` is not one of :data:`STATES`.
        """
        changes: dict[str, Any] = {}
        if content is not UNSET:
            changes["content"] = content
        if reasoning is not UNSET:
            changes["reasoning"] = reasoning
        if stats is not UNSET:
            changes["stats"] = dump_json(stats)
        if state is not UNSET:
            if state not in STATES:
                raise ValueError(f"state must be one of {STATES}, not {state!r}")
            changes["state"] = state
        if error is not UNSET:
            changes["error"] = error
        if not changes:
            self.get_message(message_id)  # still report a wrong id
            return
        with self._write() as conn:
            now = self._now()
            changes["updated_at"] = now
            row = conn.execute(
                "SELECT conversation_id FROM messages WHERE id = ?", (message_id,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no message with id {message_id}")
            assignments = ", ".join(f"{column} = ?" for column in changes)
            conn.execute(
                f"UPDATE messages SET {assignments} WHERE id = ?", (*changes.values(), message_id)
            )
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, row[0]))

    def delete_message(self, message_id: int) -> None:
        """Delete one message, keeping the rest of the tree; nothing happens if it is gone.

        Its children move up to its parent, so what followed it stays reachable. If it was the
        current leaf, its parent becomes the current leaf: the thread on screen is what it was,
        minus that message, rather than jumping to another version. (Deleting the current leaf
        when it is a first message leaves an empty thread; the next message added starts a new
        one.) If it was further up the thread, the current leaf stays and the thread just loses
        that message.
        """
        with self._write() as conn:
            row = conn.execute(
                "SELECT conversation_id, parent_id FROM messages WHERE id = ?", (message_id,)
            ).fetchone()
            if row is None:
                return
            conversation_id, parent = row
            conn.execute(
                "UPDATE messages SET parent_id = ? WHERE parent_id = ?", (parent, message_id)
            )
            conn.execute(
                "UPDATE conversations SET current_leaf_id = ? WHERE id = ? AND current_leaf_id = ?",
                (parent, conversation_id, message_id),
            )
            conn.execute("DELETE FROM messages WHERE id = ?", (message_id,))

    def thread(self, conversation_id: int) -> list[Message]:
        """The messages shown: from the first one down to the current leaf (empty if none)."""
        with self._read() as conn:
            # Ordered by position: a message is always stored after its parent, so along one
            # path positions increase (siblings may skip positions, which does not matter here).
            rows = conn.execute(
                f"{_THREAD_IDS} SELECT {MESSAGE_COLUMNS} FROM messages"
                " WHERE id IN thread_ids ORDER BY position, id",
                (conversation_id, conversation_id),
            ).fetchall()
        return [message_from_row(row) for row in rows]

    def siblings(self, message_id: int) -> list[Message]:
        """The versions of a message, oldest first, itself included.

        Versions are the messages with the same parent and role in the same conversation: the
        regenerated replies to one prompt, or the edits of one prompt.

        Raises:
            KeyError: There is no such message.
        """
        with self._read() as conn:
            # A join led by the one message, so the versions are found through the
            # (parent_id, conversation_id) index; an EXISTS filter would scan every message.
            columns = ", ".join(f"s.{c.strip()}" for c in MESSAGE_COLUMNS.split(","))
            rows = conn.execute(
                f"SELECT {columns} FROM messages AS m JOIN messages AS s"
                " ON s.parent_id IS m.parent_id AND s.conversation_id = m.conversation_id"
                " AND s.role = m.role WHERE m.id = ? ORDER BY s.id",
                (message_id,),
            ).fetchall()
        if not rows:
            raise KeyError(f"no message with id {message_id}")
        return [message_from_row(row) for row in rows]

    def thread_versions(self, conversation_id: int) -> dict[int, tuple[int, int]]:
        """For the thread's messages that have other versions: id -> (1-based index, count).

        What a chat view needs to draw ‹2/3› on every message in one query, instead of calling
        :meth:`siblings` for each message.
        """
        versions = (
            "SELECT COUNT(*) FROM messages AS s WHERE s.parent_id IS m.parent_id"
            " AND s.conversation_id = m.conversation_id AND s.role = m.role"
        )
        with self._read() as conn:
            rows = conn.execute(
                f"{_THREAD_IDS} SELECT id, index_, count_ FROM ("
                f" SELECT m.id AS id, ({versions} AND s.id <= m.id) AS index_,"
                f" ({versions}) AS count_ FROM messages AS m WHERE m.id IN thread_ids"
                ") WHERE count_ > 1",
                (conversation_id, conversation_id),
            ).fetchall()
        return {message_id: (index, count) for message_id, index, count in rows}

    def switch_to(self, message_id: int) -> None:
        """Make the thread go through this message, down to the newest leaf below it.

        The newest leaf is the one with the largest id (the message itself if nothing follows
        it). Switching is not an edit: the conversation's ``updated_at`` stays.

        Raises:
            KeyError: There is no such message.
        """
        with self._write() as conn:
            row = conn.execute(
                "SELECT conversation_id FROM messages WHERE id = ?", (message_id,)
            ).fetchone()
            if row is None:
                raise KeyError(f"no message with id {message_id}")
            # UNION, not UNION ALL: a parent_id cycle must end the walk, not loop forever.
            leaf = conn.execute(
                """
                WITH RECURSIVE subtree(id) AS (
                    SELECT ?
                    UNION
                    SELECT m.id FROM messages AS m JOIN subtree ON m.parent_id = subtree.id
                )
                SELECT MAX(id) FROM subtree
                WHERE NOT EXISTS (SELECT 1 FROM messages AS c WHERE c.parent_id = subtree.id)
                """,
                (message_id,),
            ).fetchone()[0]
            conn.execute(
                "UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                (message_id if leaf is None else leaf, row[0]),
            )

    def messages(self, conversation_id: int) -> list[Message]:
        """All of a conversation's messages, every branch, in the order they were added.

        See :meth:`thread` for the messages on screen.
        """
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?"
                " ORDER BY position, id",
                (conversation_id,),
            ).fetchall()
        return [message_from_row(row) for row in rows]

    def get_message(self, message_id: int) -> Message:
        """The message with this id.

        Raises:
            KeyError: There is no such message.
        """
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
            ).fetchone()
        if row is None:
            raise KeyError(f"no message with id {message_id}")
        return message_from_row(row)

    # -- search and recovery -----------------------------------------------------------------

    def search(self, query: str, *, limit: int = 50) -> list[Conversation]:
        """Conversations whose title or messages contain every term of ``query``, newest first.

        ``query`` is what the user typed: terms are separated by spaces, ``"a phrase"`` is one
        term, and each term matches as a case-insensitive substring in any script (so Chinese
        works without word breaks). Nothing in it is treated as search syntax. A blank query
        matches every conversation. Text of replies still streaming is found once they finish
        (or, for 1–2 character terms, right away).
        """
        conditions, args = search_conditions(query, fts=self._fts)
        # Deleted conversations stay indexed (a restore needs no re-indexing) but are not found.
        where = " AND ".join(["deleted_at IS NULL", "kind = 'chat'", *conditions])
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE {where}"
                " ORDER BY updated_at DESC, id DESC LIMIT ?",
                (*args, limit),
            ).fetchall()
        return [conversation_from_row(row) for row in rows]

    def recover_interrupted(self) -> int:
        """Mark replies left 'streaming' by a crash as 'interrupted'; returns how many.

        Call at startup, before any :class:`ReplyRecorder` of this process is running: a live
        reply is also in state 'streaming'. While another process records replies into the
        same database (a ``workbench chat`` beside the window), nothing is marked: its replies
        are live, and a crash's leftovers are marked at a later start.
        """
        if writers.others_alive(self._path):
            return 0
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE messages SET state = 'interrupted', updated_at = ?"
                " WHERE state = 'streaming'",
                (self._now(),),
            )
            return cursor.rowcount
