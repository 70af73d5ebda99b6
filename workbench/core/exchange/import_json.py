"""Reading Workbench JSON (see :mod:`.export_json`) back into conversations to add.

Everything the export wrote comes back as it was: titles, times, models, sampling settings,
figures, every version of every message and which thread is current. Only the ids change (the
database gives new ones) and the import mark is new. A reply saved while it was still streaming
comes back as interrupted, which is what it is once it is no longer being written.
"""

from __future__ import annotations

from typing import Any

from workbench.core.exchange.export_json import FORMAT, VERSION, fingerprint
from workbench.core.store.imports import ConversationDraft, MessageDraft
from workbench.core.store.records import ROLES, STATES

SOURCE = "workbench"


class Damaged(Exception):
    """Conversation ``number`` (1-based) of a file cannot be read; ``detail`` is for the log."""

    def __init__(self, number: int, detail: str) -> None:
        super().__init__(detail)
        self.number = number


class TooNew(Exception):
    """The file's format version is newer than this Workbench reads."""

    def __init__(self, version: object) -> None:
        super().__init__(version)
        self.version = version


def is_workbench(data: Any) -> bool:
    """Whether parsed JSON is a Workbench conversations document (of any version)."""
    return isinstance(data, dict) and data.get("format") == FORMAT


def read_workbench(data: dict[str, Any]) -> list[ConversationDraft]:
    """The conversations of a Workbench document.

    Raises:
        TooNew: The document's version is newer than :data:`VERSION`.
        Damaged: A conversation is incomplete or inconsistent.
    """
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise TooNew(version)
    conversations = data.get("conversations")
    if not isinstance(conversations, list):
        raise Damaged(1, "'conversations' is not a list")
    return [_conversation(i, item) for i, item in enumerate(conversations, start=1)]


def _conversation(number: int, item: Any) -> ConversationDraft:
    def need(ok: bool, detail: str) -> None:
        if not ok:
            raise Damaged(number, detail)

    need(isinstance(item, dict), "not an object")
    title = item.get("title")
    need(isinstance(title, str), "title")
    created = _time(item.get("created_at"))
    updated = _time(item.get("updated_at"))
    need(created is not None and updated is not None, "times")
    need(_optional_str(item.get("system_prompt")), "system_prompt")
    need(_optional_str(item.get("model")), "model")
    settings = item.get("settings") or {}
    need(isinstance(settings, dict), "settings")
    raw_messages = item.get("messages")
    need(isinstance(raw_messages, list), "messages")
    messages = []
    for m in raw_messages:
        need(isinstance(m, dict), "message")
        message = _message(m)
        need(message is not None, f"message {m.get('id')!r}")
        messages.append(message)
    refs = {m.ref for m in messages}
    need(len(refs) == len(messages), "message ids repeat")
    seen: set[str] = set()
    for m in messages:
        need(m.parent is None or m.parent in seen, f"message {m.ref} comes before its parent")
        seen.add(m.ref)
    current = item.get("current_leaf")
    current_ref = None if current is None else str(current)
    need(current_ref is None or current_ref in refs, "current_leaf")
    return ConversationDraft(
        title=title,
        created_at=created,
        updated_at=updated,
        source=SOURCE,
        key=f"{SOURCE}:{fingerprint(item)}",
        messages=messages,
        current=current_ref,
        system_prompt=item.get("system_prompt"),
        model=item.get("model"),
        settings=settings,
    )


def _message(m: dict[str, Any]) -> MessageDraft | None:
    ref, parent = m.get("id"), m.get("parent")
    role, state = m.get("role"), m.get("state", "complete")
    content, reasoning = m.get("content"), m.get("reasoning") or ""
    params, stats = m.get("params") or {}, m.get("stats") or {}
    created, updated = _time(m.get("created_at")), _time(m.get("updated_at"))
    if (
        not isinstance(ref, (int, str))
        or not isinstance(parent, (int, str, type(None)))
        or role not in ROLES
        or state not in STATES
        or not isinstance(content, str)
        or not isinstance(reasoning, str)
        or not isinstance(params, dict)
        or not isinstance(stats, dict)
        or not all(_optional_str(m.get(k)) for k in ("source", "model", "error"))
        or created is None
        or updated is None
    ):
        return None
    return MessageDraft(
        ref=str(ref),
        parent=None if parent is None else str(parent),
        role=role,
        content=content,
        reasoning=reasoning,
        source=m.get("source"),
        model=m.get("model"),
        params=params,
        stats=stats,
        # Nothing is writing it any more.
        state="interrupted" if state == "streaming" else state,
        error=m.get("error"),
        created_at=created,
        updated_at=updated,
    )


def _time(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _optional_str(value: Any) -> bool:
    return value is None or isinstance(value, str)
