"""What the conversation database holds, as Python values: conversations, messages, rows."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

ROLES = ("system", "user", "assistant")
STATES = ("complete", "streaming", "interrupted", "cancelled", "error")

CONVERSATION_COLUMNS = (
    "id, title, created_at, updated_at, system_prompt, model, settings, deleted_at"
)
MESSAGE_COLUMNS = (
    "id, conversation_id, role, content, reasoning, source, model, params, stats, state, error, "
    "created_at, updated_at, position, parent_id"
)


@dataclass
class Conversation:
    """One chat: its title, system prompt and the settings it was last run with."""

    id: int
    title: str
    created_at: float
    updated_at: float
    system_prompt: str | None
    model: str | None
    settings: dict
    # When it was moved to the trash (None: not deleted); last, with a default, so that code
    # building a Conversation positionally keeps working.
    deleted_at: float | None = None


@dataclass
class Message:
    """One message of a conversation, with the source, model and sampling used to produce it."""

    id: int
    conversation_id: int
    role: str
    content: str
    reasoning: str
    source: str | None
    model: str | None
    params: dict
    stats: dict
    state: str
    error: str | None
    created_at: float
    updated_at: float
    position: int
    # The message this one follows (None for a first message); last, as for deleted_at.
    parent_id: int | None = None


class Unset(enum.Enum):
    """The type of :data:`UNSET`, for signatures."""

    UNSET = enum.auto()


# "Argument not given", as distinct from None, which clears a column.
UNSET = Unset.UNSET


def dump_json(value: Any) -> str | None:
    """A value as compact JSON for a column (Chinese kept readable); None stays NULL."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_json(text: str | None) -> dict:
    """A JSON column as a dict; empty for NULL, bad JSON or anything but an object."""
    if not text:
        return {}
    # One unreadable value should not make a whole conversation list fail to load.
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def conversation_from_row(row: tuple) -> Conversation:
    return Conversation(*row[:6], settings=load_json(row[6]), deleted_at=row[7])


def message_from_row(row: tuple) -> Message:
    return Message(
        id=row[0],
        conversation_id=row[1],
        role=row[2],
        content=row[3],
        reasoning=row[4],
        source=row[5],
        model=row[6],
        params=load_json(row[7]),
        stats=load_json(row[8]),
        state=row[9],
        error=row[10],
        created_at=row[11],
        updated_at=row[12],
        position=row[13],
        parent_id=row[14],
    )
