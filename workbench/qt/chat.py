"""The chat page's logic: the open conversation, the reply in flight, which backend answers.

:class:`ChatController` is to the chat page what :class:`~workbench.qt.compare.CompareController`
is to compare: the page's widgets ask it to send, regenerate, edit, stop or switch versions, and
draw what its signals and its :class:`MessageListModel` say. It picks the backend of each reply —
the local model of its :class:`ModelController`, or a cloud backend from the
:class:`CloudSession`, kept while provider, model and key stay the same — and reports failures as
the :class:`~workbench.core.backend.Error` they are, kind included. Reading a conversation runs
as a job; a reply streams through a :class:`ReplyRunner`.

A message sent while the local model is still loading waits in the conversation (shown, not yet
saved) and is sent once the load finishes; a load that fails hands its text back.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from workbench.core.backend import Backend, Error, Stats
from workbench.core.chat import drops_oldest, keep_dropping_oldest, start_reply
from workbench.core.chat import history as chat_history
from workbench.core.options import SamplingParams
from workbench.core.store import Store, StoreError
from workbench.qt.cloud import CloudBackends, CloudSession
from workbench.qt.jobs import Job, JobRunner
from workbench.qt.message_model import (
    LEFT_OUT,
    MessageItem,
    MessageListModel,
    items_for_thread,
)
from workbench.qt.workers import ModelController, ReplyRunner

log = logging.getLogger(__name__)

#: A new conversation is titled with the start of its first message.
TITLE_CHARS = 60

#: Reply error kinds after which the local model is gone: the next reply must ask for a load.
MODEL_GONE = ("process_died", "not_loaded")

#: The view id of a message waiting for the model to load (saved ones have positive ids).
WAITING_ID = -1


def left_out_rows(items: list[MessageItem]) -> set[int]:
    """The rows of ``items`` that the latest reply with figures left out of its prompt.

    A reply's ``dropped_messages`` counts the oldest messages of the history it was sent (system
    messages and failed, empty replies are not in that count), from the first on.
    """
    for row in range(len(items) - 1, -1, -1):
        item = items[row]
        if item.role != "assistant" or not (item.stats or {}).keys() - {LEFT_OUT}:
            continue  # no figures of its own (failed, streaming): the reply before decides
        dropped = item.stats.get("dropped_messages") or 0
        rows: set[int] = set()
        for before in range(row):
            if len(rows) >= dropped:
                break
            earlier = items[before]
            if earlier.role == "system" or (earlier.role == "assistant" and not earlier.content):
                continue  # never sent, so never counted
            rows.add(before)
        return rows
    return set()


def mark_left_out(items: list[MessageItem]) -> list[int]:
    """Mark in ``items``' stats the messages the latest reply left out (and unmark the rest);
    returns the rows whose mark changed."""
    rows = left_out_rows(items)
    changed = []
    for row, item in enumerate(items):
        marked = bool(item.stats and item.stats.get(LEFT_OUT))
        if marked != (row in rows):
            stats = {k: v for k, v in (item.stats or {}).items() if k != LEFT_OUT}
            if row in rows:
                stats[LEFT_OUT] = True
            item.stats = stats
            changed.append(row)
    return changed


@dataclass(frozen=True)
class ReplySettings:
    """What the next reply is asked with, as chosen on the chat page's panels."""

    provider_id: str | None = None  # None: the local model
    cloud_model: str = ""
    system_prompt: str = ""
    sampling: SamplingParams = field(default_factory=SamplingParams)


@dataclass(frozen=True)
class _Waiting:
    """A message sent while the local model loads."""

    text: str
    settings: ReplySettings


class ChatController(QObject):
    """Conversation state, the reply in flight and the backend that answers, for the chat page.

    Signals:
        conversation_changed(object, str): another conversation is on screen: its id (None for
            a new chat not saved yet) and its title.
        conversation_touched(int, str, float): a conversation's title or last update changed:
            id, title, updated_at (the sidebar moves it to its place).
        thread_loaded(int): the messages of a conversation are on screen (its id).
        busy_changed(bool): a reply started (True) or ended (False).
        reply_failed(object): the reply in flight failed: its :class:`Error`. After a
            "context_overflow" of a backend that can leave out the oldest messages,
            :attr:`can_leave_out_oldest` is True until the next reply or chat.
        source_needed(str): a reply needs a model or a source chosen first (one sentence).
        notice_posted(str): something else the user should read (one sentence).
        edit_started(object): a message (:class:`MessageItem`) is being edited.
        edit_ended(): the edit was sent or dropped.
        waiting_dropped(str): the message waiting for the model was not sent (the load failed
            or was cancelled, or Stop was pressed): its text, to give back to the user.

    Args:
        store: Where conversations live.
        cloud: Providers and their keys.
        models: The local model; a new :class:`ModelController` if not given.
        parent: The owning QObject.
    """

    conversation_changed = Signal(object, str)
    conversation_touched = Signal(int, str, float)
    thread_loaded = Signal(int)
    busy_changed = Signal(bool)
    reply_failed = Signal(object)
    source_needed = Signal(str)
    notice_posted = Signal(str)
    edit_started = Signal(object)
    edit_ended = Signal()
    waiting_dropped = Signal(str)

    def __init__(
        self,
        store: Store,
        cloud: CloudSession,
        models: ModelController | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.cloud = cloud
        self.models = models if models is not None else ModelController(self)
        self.messages = MessageListModel(self)
        self.conversation_id: int | None = None
        self.runner: ReplyRunner | None = None
        self.streaming_row = -1
        self.editing: MessageItem | None = None
        self._reply_backend: Backend | None = None
        self._cloud_backends = CloudBackends(cloud, self)
        self._jobs = JobRunner(self)
        self._thread_job: Job | None = None
        # Conversations whose replies leave out their oldest messages when they do not fit.
        self._dropping_oldest: set[int] = set()
        # The reply that failed because its conversation no longer fits, when leaving out the
        # oldest messages can help (the backend can, and this conversation does not yet).
        self._overflowed: int | None = None
        self._waiting: _Waiting | None = None
        self.models.load_finished.connect(self._on_model_loaded)
        self.models.load_failed.connect(self._on_model_load_failed)

    @property
    def busy(self) -> bool:
        """Whether a reply is in flight (or a message waits for the model to load)."""
        return self.runner is not None or self._waiting is not None

    @property
    def waiting(self) -> bool:
        """Whether a message waits for the local model to finish loading."""
        return self._waiting is not None

    @property
    def can_leave_out_oldest(self) -> bool:
        """Whether :meth:`leave_out_oldest` can answer the reply that just did not fit."""
        return self._overflowed is not None and not self.busy

    def drops_oldest(self, conversation_id: int | None) -> bool:
        """Whether replies in this conversation leave out its oldest messages when needed."""
        return conversation_id in self._dropping_oldest

    # -- conversations ----------------------------------------------------------------------------

    def new_chat(self) -> bool:
        """Show an empty, unsaved chat; False (with a notice) while a reply runs."""
        if self.busy:
            self.notice_posted.emit(self.tr("Stop the reply before starting a new chat."))
            return False
        self.conversation_id = None
        self._overflowed = None
        self._drop_thread_read()
        self.messages.clear()
        self.cancel_edit()
        self.conversation_changed.emit(None, self.tr("New chat"))
        return True

    def open_conversation(self, conversation_id: int) -> bool:
        """Show a saved conversation (its messages arrive with thread_loaded).

        Returns False, with a notice, while a reply runs: the chat on screen stays.
        """
        if conversation_id == self.conversation_id and self.messages.rowCount():
            return True
        if self.busy:
            self.notice_posted.emit(self.tr("Stop the reply before switching chats."))
            return False
        self.cancel_edit()
        try:
            conversation = self.store.get_conversation(conversation_id)
        except (KeyError, StoreError):
            return self.new_chat()
        title = conversation.title
        if drops_oldest(conversation):
            self._dropping_oldest.add(conversation_id)
        self.conversation_id = conversation_id
        self._overflowed = None
        self.conversation_changed.emit(conversation_id, title)
        self.reload_thread()
        return True

    def reload_thread(self) -> None:
        """Read the visible thread as a job; the messages change when it arrives."""
        if self.conversation_id is None:
            return
        conversation_id, store = self.conversation_id, self.store

        def work() -> list[MessageItem]:
            try:
                thread = store.thread(conversation_id)
                items = items_for_thread(thread, store.thread_versions(conversation_id))
                mark_left_out(items)
                return items
            except (KeyError, StoreError) as exc:
                log.warning("could not read conversation %s: %s", conversation_id, exc)
                return []

        def done(items: list[MessageItem]) -> None:
            self._thread_job = None
            self.messages.set_items(items)
            self.thread_loaded.emit(conversation_id)

        # Latest wins: a read started before the user moved on is dropped.
        self._thread_job = self._jobs.run(work, done, slot="thread")

    def _drop_thread_read(self) -> None:
        if self._thread_job is not None:
            self._thread_job.cancel()
            self._thread_job = None

    def _touch(self) -> None:
        if self.conversation_id is None:
            return
        try:
            c = self.store.get_conversation(self.conversation_id)
        except (KeyError, StoreError):
            return
        self.conversation_touched.emit(c.id, c.title, c.updated_at)

    # -- which backend answers --------------------------------------------------------------------

    def _backend_for(self, settings: ReplySettings) -> Backend | None:
        """The backend the next reply comes from, or None after saying what is missing."""
        if settings.provider_id is None:
            backend = self.models.backend
            if backend is None:
                self.source_needed.emit(
                    self.tr(
                        "Load a model first: choose one in the panel on the right and press Load."
                    )
                )
            return backend
        source, model = settings.provider_id, settings.cloud_model
        provider = self.cloud.provider(source)
        if provider is None:
            return None
        if not model:
            self.source_needed.emit(
                self.tr("Choose a model for {name} on the right.").format(name=provider.name)
            )
            return None
        # One backend (one connection pool) is reused while provider, model and key stay.
        backend, error = self._cloud_backends.backend("chat", source, model)
        if error is not None:
            self.notice_posted.emit(error.message)
        return backend

    # -- sending ----------------------------------------------------------------------------------

    def send(self, text: str, settings: ReplySettings) -> bool:
        """Save ``text`` as the user's message (a new version if editing) and start the reply.

        Returns True when the message was saved, or waits in the conversation because the
        local model is still loading (it is sent when the load finishes); False when nothing was
        sent (empty text, a reply running, no backend, the store failed — the last two with a
        signal saying why).
        """
        text = text.strip()
        if not text or self.busy:
            return False
        if settings.provider_id is None and self.models.backend is None and self.models.is_loading:
            self._wait_for_model(text, settings)
            return True
        backend = self._backend_for(settings)
        if backend is None:
            return False
        try:
            if self.conversation_id is None:
                title = " ".join(text.split())[:TITLE_CHARS]
                conversation = self.store.create_conversation(title, model=backend.model_name)
                self.conversation_id = conversation.id
                self.conversation_changed.emit(conversation.id, conversation.title)
            self.store.update_conversation(
                self.conversation_id,
                system_prompt=settings.system_prompt or None,
                model=backend.model_name,
            )
            if self.editing is not None:
                # Edit and resend: the new text becomes a new version beside the old message.
                row = self.messages.row_of(self.editing.id)
                message = self.store.add_message(
                    self.conversation_id, "user", text, parent_id=self.editing.parent_id
                )
                self.messages.truncate(max(0, row))
                self.cancel_edit()
            else:
                message = self.store.add_message(self.conversation_id, "user", text)
        except StoreError as exc:
            self.notice_posted.emit(str(exc))
            return False
        row = self.messages.append_item(
            MessageItem(id=message.id, role="user", content=text, parent_id=message.parent_id)
        )
        self._refresh_versions(row)
        self._start_reply(backend, settings, parent_id=message.id)
        self._touch()
        return True

    def _wait_for_model(self, text: str, settings: ReplySettings) -> None:
        self._waiting = _Waiting(text, settings)
        self.messages.append_item(
            MessageItem(id=WAITING_ID, role="user", content=text, state="waiting")
        )
        self.busy_changed.emit(True)
        self.notice_posted.emit(
            self.tr("Loading {name}…; your message is sent when it is ready.").format(
                name=self.models.loading_name
            )
        )

    def _take_waiting(self) -> _Waiting | None:
        """The waiting message, now out of the view (None if there is none)."""
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            row = self.messages.row_of(WAITING_ID)
            if row >= 0:
                self.messages.truncate(row)
        return waiting

    def _on_model_loaded(self, _info: object) -> None:
        waiting = self._take_waiting()
        if waiting is None:
            return
        if not self.send(waiting.text, waiting.settings):
            self.waiting_dropped.emit(waiting.text)
        if not self.busy:
            self.busy_changed.emit(False)

    def _on_model_load_failed(self, _error: Error) -> None:
        waiting = self._take_waiting()
        if waiting is not None:
            self.busy_changed.emit(False)
            self.waiting_dropped.emit(waiting.text)

    def regenerate(self, row: int, settings: ReplySettings) -> None:
        """Answer the message before ``row`` again: a new version beside the reply in ``row``."""
        if self.busy or not 0 <= row < self.messages.rowCount():
            return
        item = self.messages.item(row)
        backend = self._backend_for(settings)
        if backend is None:
            return
        parent_row = self.messages.row_of(item.parent_id) if item.parent_id is not None else -1
        if parent_row < 0:
            return
        self.messages.truncate(parent_row + 1)
        self._start_reply(backend, settings, parent_id=item.parent_id)

    def leave_out_oldest(self, settings: ReplySettings) -> bool:
        """Answer again the reply that did not fit, leaving out the conversation's oldest
        messages; every later reply in this conversation does the same.

        Returns False when there is no such reply (or another reply runs).
        """
        if not self.can_leave_out_oldest or self.conversation_id is None:
            return False
        row = self.messages.row_of(self._overflowed)
        if row < 0:
            self._overflowed = None
            return False
        self._dropping_oldest.add(self.conversation_id)
        try:
            keep_dropping_oldest(self.store, self.conversation_id)
        except (KeyError, StoreError) as exc:
            # Still kept for as long as the app runs.
            log.warning("could not save the choice in chat %s: %s", self.conversation_id, exc)
        self.regenerate(row, settings)
        return self.busy

    def _start_reply(self, backend: Backend, settings: ReplySettings, parent_id: int) -> None:
        assert self.conversation_id is not None
        self._overflowed = None
        # The thread on screen is the conversation to send (versions not shown are left out).
        history = chat_history(self.messages.items(), settings.system_prompt.strip())
        try:
            reply = start_reply(
                self.store,
                backend,
                self.conversation_id,
                history,
                settings.sampling,
                parent_id=parent_id,
                drop_oldest=self.conversation_id in self._dropping_oldest,
            )
        except StoreError as exc:
            self.notice_posted.emit(str(exc))
            return
        item = MessageItem(
            id=reply.message_id,
            role="assistant",
            model=backend.model_name,
            state="streaming",
            parent_id=parent_id,
        )
        self.streaming_row = self.messages.append_item(item)
        self._reply_backend = backend
        self.runner = ReplyRunner(reply, self)
        self.runner.text_received.connect(self._on_text)
        self.runner.reply_finished.connect(self._on_reply_finished)
        self.runner.reply_failed.connect(self._on_reply_failed)
        self.runner.start()
        self.busy_changed.emit(True)

    def stop(self) -> None:
        """Stop the reply in flight (what it said so far is kept), or drop the message waiting
        for the model (its text comes back with waiting_dropped; the load goes on)."""
        if self.runner is not None:
            self.runner.cancel()
        elif self._waiting is not None:
            waiting = self._take_waiting()
            self.busy_changed.emit(False)
            self.waiting_dropped.emit(waiting.text)

    def _on_text(self, text: str, reasoning: str) -> None:
        if self.streaming_row >= 0:
            self.messages.append_text(self.streaming_row, text, reasoning)

    def _on_reply_finished(self, stats: Stats) -> None:
        state = "cancelled" if stats.finish_reason == "cancelled" else "complete"
        empty = state == "complete" and self._answered_nothing()
        self._end_reply(state=state, stats=stats.to_dict())
        if empty:
            self.notice_posted.emit(
                self.tr(
                    "The model answered with nothing. Its prompt format may not fit: try "
                    "another format in the model panel."
                )
            )

    def _answered_nothing(self) -> bool:
        """Whether the local reply streaming now has no text (nor reasoning) but spaces."""
        row, backend = self.streaming_row, self._reply_backend
        if backend is None or backend.source != "local" or not 0 <= row < self.messages.rowCount():
            return False
        item = self.messages.item(row)
        return not item.content.strip() and not item.reasoning.strip()

    def _on_reply_failed(self, error: Error) -> None:
        backend = self._reply_backend
        row = self.streaming_row
        failed = self.messages.item(row).id if 0 <= row < self.messages.rowCount() else None
        self._end_reply(state="error", error=error.message)
        if (
            error.kind == "context_overflow"
            and backend is not None
            and backend.can_drop_oldest
            and self.conversation_id not in self._dropping_oldest
        ):
            self._overflowed = failed
        if error.kind in MODEL_GONE:
            # The model process is gone; the partial reply is saved. The next reply asks for
            # a load again.
            self.models.forget(backend)
        self.reply_failed.emit(error)

    def _end_reply(self, **changes: Any) -> None:
        row = self.streaming_row
        if 0 <= row < self.messages.rowCount():
            item = self.messages.item(row)
            # the saved stats include what the recorder added (e.g. "Thought for N s")
            with contextlib.suppress(KeyError, StoreError):
                changes["stats"] = self.store.get_message(item.id).stats or changes.get("stats")
            self.messages.update_item(row, **{k: v for k, v in changes.items() if v is not None})
            self._refresh_versions(row)
            # Once per reply, a pass over the thread: which messages this reply saw.
            self._show_left_out()
        if self.runner is not None:
            self.runner.deleteLater()
        self.runner = None
        self._reply_backend = None
        self.streaming_row = -1
        self.busy_changed.emit(False)
        self._touch()

    def _show_left_out(self) -> None:
        """Mark the messages the latest reply left out (and unmark those it saw again)."""
        for row in mark_left_out(self.messages.items()):
            self.messages.update_item(row)

    def _refresh_versions(self, row: int) -> None:
        """Update the ‹n/m› of one row after a new version was added beside it."""
        item = self.messages.item(row)
        try:
            ids = tuple(m.id for m in self.store.siblings(item.id))
        except (KeyError, StoreError):
            return
        if item.id in ids:
            self.messages.update_item(row, versions=len(ids), version=ids.index(item.id) + 1)

    # -- message actions --------------------------------------------------------------------------

    def start_edit(self, row: int) -> None:
        """Edit the message in ``row``: the next send makes a new version of it."""
        if self.busy or not 0 <= row < self.messages.rowCount():
            return
        self.editing = self.messages.item(row)
        self.edit_started.emit(self.editing)

    def cancel_edit(self) -> None:
        """Drop the edit in progress, if any."""
        if self.editing is not None:
            self.editing = None
            self.edit_ended.emit()

    def toggle_reasoning(self, row: int) -> None:
        if 0 <= row < self.messages.rowCount():
            item = self.messages.item(row)
            self.messages.update_item(row, reasoning_open=not item.reasoning_open)

    def delete_message(self, row: int) -> None:
        """Delete the message in ``row`` (and what follows it in the thread)."""
        if self.busy or not 0 <= row < self.messages.rowCount():
            return
        try:
            self.store.delete_message(self.messages.item(row).id)
        except StoreError as exc:
            self.notice_posted.emit(str(exc))
            return
        self.reload_thread()

    def switch_version(self, row: int, step: int) -> None:
        """Show the previous (``step`` -1) or next (+1) version of the message in ``row``."""
        if self.busy or not 0 <= row < self.messages.rowCount():
            return
        item = self.messages.item(row)
        try:
            ids = [m.id for m in self.store.siblings(item.id)]
            i = ids.index(item.id) + step
            if 0 <= i < len(ids):
                self.store.switch_to(ids[i])
        except (KeyError, ValueError, StoreError) as exc:
            self.notice_posted.emit(str(exc))
            return
        self.reload_thread()

    # -- closing ----------------------------------------------------------------------------------

    def shutdown(self) -> None:
        """The window closes: stop the reply, end the model process, close the cloud pool."""
        if self.runner is not None:
            self.runner.cancel()
        self._waiting = None
        self.models.shutdown()
        self._cloud_backends.close_all_except()
