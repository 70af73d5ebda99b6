"""Conversations as Workbench JSON: every version of every message, with a format version.

The document::

    {"format": "workbench-conversations", "version": 1, "conversations": [
        {"id", "title", "created_at", "updated_at", "system_prompt", "model", "settings",
         "imported", "current_leaf", "messages": [
            {"id", "parent", "role", "content", "reasoning", "source", "model", "params",
             "stats", "state", "error", "created_at", "updated_at"}, ...]}, ...]}

Times are Unix seconds (exact floats); ``messages`` lists the whole tree, each message after the
one it follows (``parent``), versions of a message being the messages with the same parent and
role; ``current_leaf`` is the message that ends the thread shown. ``imported`` is the import
mark (where the chat came from) or null. The file is the same for the same conversations:
nothing in it depends on when it was written.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from workbench.core.store import Store
from workbench.core.store.imports import IMPORT_MARK, import_mark

FORMAT = "workbench-conversations"
VERSION = 1

MESSAGE_FIELDS = (
    "id",
    "parent",
    "role",
    "content",
    "reasoning",
    "source",
    "model",
    "params",
    "stats",
    "state",
    "error",
    "created_at",
    "updated_at",
)


def conversation_dict(store: Store, conversation_id: int) -> dict[str, Any]:
    """One conversation with its whole tree, as the document holds it.

    Raises:
        KeyError: There is no such conversation.
        StoreError: The database could not be read.
    """
    conversation = store.get_conversation(conversation_id)
    messages = store.messages(conversation_id)
    thread = store.thread(conversation_id)
    settings = {k: v for k, v in conversation.settings.items() if k != IMPORT_MARK}
    return {
        "id": conversation.id,
        "title": conversation.title,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
        "system_prompt": conversation.system_prompt,
        "model": conversation.model,
        "settings": settings,
        "imported": import_mark(conversation.settings),
        "current_leaf": thread[-1].id if thread else None,
        "messages": [
            {
                "id": m.id,
                "parent": m.parent_id,
                "role": m.role,
                "content": m.content,
                "reasoning": m.reasoning,
                "source": m.source,
                "model": m.model,
                "params": m.params,
                "stats": m.stats,
                "state": m.state,
                "error": m.error,
                "created_at": m.created_at,
                "updated_at": m.updated_at,
            }
            for m in messages
        ],
    }


def document(conversations: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole document around some conversation dicts."""
    return {"format": FORMAT, "version": VERSION, "conversations": conversations}


def dumps(doc: dict[str, Any]) -> str:
    """The document as text: indented, Chinese kept readable, ending with a newline."""
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def fingerprint(conversation: dict[str, Any]) -> str:
    """A hash of what a conversation says, the same wherever it is stored: ids become their
    order, the import mark is left out."""
    order = {m["id"]: str(i) for i, m in enumerate(conversation.get("messages", []))}
    messages = [
        {**m, "id": order[m["id"]], "parent": order.get(m["parent"])}
        for m in conversation.get("messages", [])
    ]
    plain = {
        **{k: v for k, v in conversation.items() if k not in ("id", "imported")},
        "current_leaf": order.get(conversation.get("current_leaf")),
        "messages": messages,
    }
    text = json.dumps(plain, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
