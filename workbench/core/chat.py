"""Conversation-level glue: stream a backend's reply while saving it to the store.

``RecordingReply`` wraps any :class:`Reply` so that what streams is also written to the database
as it grows (through :class:`~workbench.core.store.ReplyRecorder`): if the app or the model
process dies mid-reply, the text so far is already on disk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Protocol

from workbench.core.backend import (
    Backend,
    ChatMessage,
    Error,
    Event,
    ReasoningDelta,
    Reply,
    Stats,
    TextDelta,
)
from workbench.core.options import SamplingParams
from workbench.core.store import Conversation, ReplyRecorder, Store

#: The key, in a conversation's settings, that says its replies leave out the oldest messages
#: when the conversation no longer fits the model's context (chosen once, kept for good).
DROP_OLDEST = "drop_oldest"


def drops_oldest(conversation: Conversation) -> bool:
    """Whether ``conversation``'s replies leave out its oldest messages when it does not fit."""
    return bool((conversation.settings or {}).get(DROP_OLDEST))


def keep_dropping_oldest(store: Store, conversation_id: int) -> None:
    """Remember in the conversation's settings that its replies leave out the oldest messages
    (the other settings kept).

    Raises:
        KeyError: There is no such conversation.
        StoreError: The database could not be written.
    """
    settings = dict(store.get_conversation(conversation_id).settings or {})
    if not settings.get(DROP_OLDEST):
        settings[DROP_OLDEST] = True
        store.update_conversation(conversation_id, settings=settings)


class RecordingReply(Reply):
    """A reply whose events are also saved as an assistant message."""

    def __init__(self, reply: Reply, recorder: ReplyRecorder) -> None:
        self._reply = reply
        self.recorder = recorder

    @property
    def message_id(self) -> int:
        return self.recorder.message_id

    def cancel(self) -> None:
        self._reply.cancel()

    def __iter__(self) -> Iterator[Event]:
        rec = self.recorder
        done = False
        # "Thought for N s": from the first reasoning to the first answer text.
        thinking_started: float | None = None
        reasoning_s: float | None = None
        try:
            for event in self._reply:
                if isinstance(event, TextDelta):
                    if thinking_started is not None and reasoning_s is None:
                        reasoning_s = time.monotonic() - thinking_started
                    rec.add_text(event.text)
                elif isinstance(event, ReasoningDelta):
                    if thinking_started is None:
                        thinking_started = time.monotonic()
                    rec.add_reasoning(event.text)
                elif isinstance(event, Stats):
                    state = "cancelled" if event.finish_reason == "cancelled" else "complete"
                    if thinking_started is not None and reasoning_s is None:
                        reasoning_s = time.monotonic() - thinking_started
                    stats = event.to_dict()
                    if reasoning_s is not None:
                        stats["reasoning_s"] = round(reasoning_s, 2)
                    rec.finish(stats=stats, state=state)
                    done = True
                elif isinstance(event, Error):
                    rec.finish(state="error", error=event.message)
                    done = True
                yield event
        finally:
            if not done:  # the consumer gave up (Ctrl-C, window closed): keep what we have
                rec.finish(state="interrupted")


class _HasRoleAndContent(Protocol):
    role: str
    content: str


def history(
    messages: Sequence[_HasRoleAndContent], system_prompt: str | None = None
) -> list[ChatMessage]:
    """The chat messages to send for a thread: stored messages or the window's items
    (failed, empty replies left out)."""
    out: list[ChatMessage] = []
    if system_prompt:
        out.append({"role": "system", "content": system_prompt})
    for m in messages:
        if m.role == "assistant" and not m.content:
            continue
        out.append({"role": m.role, "content": m.content})  # type: ignore[typeddict-item]
    return out


def start_reply(
    store: Store,
    backend: Backend,
    conversation_id: int,
    messages: list[ChatMessage],
    params: SamplingParams,
    *,
    parent_id: int | None = None,
    drop_oldest: bool = False,
) -> RecordingReply:
    """Start ``backend``'s answer to ``messages``, saved as it streams.

    ``parent_id`` is the message the reply answers (a regenerated reply is a new version beside
    the old one); by default the reply continues the conversation's current thread.
    ``drop_oldest`` lets a backend that can (``can_drop_oldest``) leave out the oldest messages
    of a conversation longer than its context; other backends get the conversation whole.
    """
    extra = {} if parent_id is None else {"parent_id": parent_id}
    recorder = ReplyRecorder(
        store,
        conversation_id,
        source=backend.source,
        model=backend.model_name,
        params=params.to_dict(),
        **extra,
    )
    return RecordingReply(open_reply(backend, messages, params, drop_oldest=drop_oldest), recorder)


def open_reply(
    backend: Backend, messages: list[ChatMessage], params: SamplingParams, *, drop_oldest: bool
) -> Reply:
    """``backend.start_reply``, asking to leave out the oldest turns only of a backend that
    can (the others' ``start_reply`` takes no such argument)."""
    if drop_oldest and backend.can_drop_oldest:
        return backend.start_reply(messages, params, drop_oldest=True)  # type: ignore[call-arg]
    return backend.start_reply(messages, params)


def send_message(
    store: Store,
    backend: Backend,
    conversation_id: int,
    text: str,
    params: SamplingParams,
    *,
    drop_oldest: bool = False,
) -> RecordingReply:
    """Save the user's message and start the backend's recorded reply to the conversation."""
    conversation = store.get_conversation(conversation_id)
    store.add_message(conversation_id, "user", text)
    messages = history(store.thread(conversation_id), conversation.system_prompt)
    return start_reply(store, backend, conversation_id, messages, params, drop_oldest=drop_oldest)
