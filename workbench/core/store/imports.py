"""Adding whole conversations read from a file (an import) in one transaction.

An import brings complete conversation trees with their own times, models and figures, which
:meth:`Store.add_message` cannot (it stamps everything "now" and grows one chain). Here every
conversation of a file is written inside one transaction: either the whole file is imported or,
if anything fails, nothing of it is.

Each imported conversation carries a mark in its settings, ``settings["imported"]`` = ``{"source":
..., "key": ..., "at": ...}``: where it came from and a key that identifies it (the source's own
id, or a hash of its content). A conversation whose key is already marked on a live chat is
skipped, so importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.core.store.database import Store
from workbench.core.store.records import ROLES, STATES, dump_json

# The key under which a conversation's settings hold its import mark.
IMPORT_MARK = "imported"


@dataclass
class MessageDraft:
    """One message to import; ``ref`` and ``parent`` are the file's own ids (any strings)."""

    ref: str
    parent: str | None
    role: str
    content: str
    reasoning: str = ""
    source: str | None = None
    model: str | None = None
    params: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    state: str = "complete"
    error: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0


@dataclass
class ConversationDraft:
    """One conversation to import: its fields, its messages (parents before children) and the
    message that ends the thread shown (``current``, a ``ref``).

    ``source`` and ``key`` make the import mark; ``duplicate_of`` optionally names other
    conversations that would make this one a duplicate (see :func:`add_conversations`).
    """

    title: str
    created_at: float
    updated_at: float
    source: str
    key: str
    messages: list[MessageDraft] = field(default_factory=list)
    current: str | None = None
    system_prompt: str | None = None
    model: str | None = None
    settings: dict = field(default_factory=dict)


@dataclass
class ImportOutcome:
    """What happened to the conversations of one file: the ids added and the titles skipped."""

    added: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def add_conversations(
    store: Store,
    drafts: list[ConversationDraft],
    *,
    same_content: Callable[[int, ConversationDraft], bool] | None = None,
) -> ImportOutcome:
    """Add ``drafts`` as new chats in one transaction, skipping those already here.

    A draft is a duplicate when a live chat carries an import mark with its ``key``, or when
    ``same_content`` says a live chat of the same title and creation time holds the same
    conversation (a Workbench export brought back into the database it came from).

    Raises:
        ValueError: A draft is inconsistent (unknown role or state, a parent that comes later or
            does not exist); nothing was added.
        StoreError: The database failed; nothing was added.
    """
    outcome = ImportOutcome()
    with store.transaction() as conn:
        now = store.now()
        for draft in drafts:
            if _is_duplicate(conn, draft, same_content):
                outcome.skipped.append(draft.title)
                continue
            outcome.added.append(_insert(conn, draft, now))
    return outcome


def _is_duplicate(
    conn: sqlite3.Connection,
    draft: ConversationDraft,
    same_content: Callable[[int, ConversationDraft], bool] | None,
) -> bool:
    live = "deleted_at IS NULL AND kind = 'chat'"
    if conn.execute(
        f"SELECT 1 FROM conversations WHERE {live}"
        f" AND json_extract(settings, '$.{IMPORT_MARK}.key') = ? LIMIT 1",
        (draft.key,),
    ).fetchone():
        return True
    if same_content is None:
        return False
    candidates = conn.execute(
        f"SELECT id FROM conversations WHERE {live} AND title = ? AND created_at = ?",
        (draft.title, draft.created_at),
    ).fetchall()
    return any(same_content(row[0], draft) for row in candidates)


def _insert(conn: sqlite3.Connection, draft: ConversationDraft, now: float) -> int:
    settings = dict(draft.settings)
    settings[IMPORT_MARK] = {"source": draft.source, "key": draft.key, "at": now}
    conversation_id = conn.execute(
        "INSERT INTO conversations (title, created_at, updated_at, system_prompt, model,"
        " settings, kind) VALUES (?, ?, ?, ?, ?, ?, 'chat')",
        (
            draft.title,
            draft.created_at,
            draft.updated_at,
            draft.system_prompt,
            draft.model,
            dump_json(settings),
        ),
    ).lastrowid
    ids: dict[str, int] = {}
    for position, message in enumerate(draft.messages):
        if message.role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {message.role!r}")
        if message.state not in STATES:
            raise ValueError(f"state must be one of {STATES}, not {message.state!r}")
        if message.ref in ids:
            raise ValueError(f"message {message.ref!r} appears twice")
        parent = None
        if message.parent is not None:
            if message.parent not in ids:
                raise ValueError(f"message {message.ref!r} follows an unknown message")
            parent = ids[message.parent]
        ids[message.ref] = conn.execute(
            "INSERT INTO messages (conversation_id, position, role, state, source, model,"
            " created_at, updated_at, error, params, stats, content, reasoning, parent_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                conversation_id,
                position,
                message.role,
                message.state,
                message.source,
                message.model,
                message.created_at,
                message.updated_at,
                message.error,
                dump_json(message.params),
                dump_json(message.stats),
                message.content,
                message.reasoning,
                parent,
            ),
        ).lastrowid
    if draft.current is not None and draft.current not in ids:
        raise ValueError(f"the current message {draft.current!r} is not in the conversation")
    leaf = ids[draft.current] if draft.current is not None else None
    conn.execute(
        "UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (leaf, conversation_id)
    )
    return conversation_id


def import_mark(settings: dict) -> dict | None:
    """A conversation's import mark (``source``, ``key``, ``at``), or None if it was not
    imported."""
    mark = settings.get(IMPORT_MARK) if isinstance(settings, dict) else None
    return mark if isinstance(mark, dict) else None
