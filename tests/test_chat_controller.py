"""The chat controller without the window: conversations, replies, errors with their kind.

A scripted backend stands in for a model where the point is the controller's bookkeeping (the
window tests in test_app.py drive the same code with the real model).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from workbench.core.backend import (
    Backend,
    ChatMessage,
    Error,
    Event,
    Reply,
    Stats,
    TextDelta,
)
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.store import Store
from workbench.qt.chat import ChatController, ReplySettings
from workbench.qt.cloud import CloudSession
from workbench.qt.workers import ModelController, ReplyRunner

LOCAL = ReplySettings()


class ScriptedReply(Reply):
    def __init__(self, events: list[Event], gate: threading.Event | None) -> None:
        self._events = events
        self._gate = gate
        self._cancelled = threading.Event()

    def __iter__(self) -> Iterator[Event]:
        for event in self._events:
            if self._gate is not None:
                self._gate.wait(10)
            if self._cancelled.is_set():
                yield Stats(finish_reason="cancelled")
                return
            yield event

    def cancel(self) -> None:
        self._cancelled.set()


class ScriptedBackend(Backend):
    """Answers every message with the same events; ``gate`` holds each event until set."""

    source = "local"

    def __init__(self, events: list[Event], gate: threading.Event | None = None) -> None:
        self.events = events
        self.gate = gate
        self.sent: list[list[ChatMessage]] = []

    @property
    def model_name(self) -> str:
        return "scripted"

    def start_reply(self, messages: list[ChatMessage], params: SamplingParams) -> Reply:
        self.sent.append(list(messages))
        return ScriptedReply(self.events, self.gate)

    def unload(self) -> None:
        """What the model controller calls to end a local model's process."""
        self.unloaded = True


@pytest.fixture
def store():
    with Store() as s:
        yield s


@pytest.fixture
def chat(qtbot, store):
    controller = ChatController(store, CloudSession())
    yield controller
    controller.shutdown()


def answer(chat: ChatController, events: list[Event], gate=None) -> ScriptedBackend:
    backend = ScriptedBackend(events, gate)
    chat.models.backend = backend  # as if loaded
    return backend


def test_send_saves_the_message_streams_the_reply_and_names_the_chat(qtbot, chat, store):
    answer(chat, [TextDelta("Bon"), TextDelta("jour."), Stats(completion_tokens=2)])
    busy: list[bool] = []
    chat.busy_changed.connect(busy.append)
    with qtbot.waitSignal(chat.conversation_changed) as changed:
        assert chat.send("  Say hello   in French. ", LOCAL)
    qtbot.waitUntil(lambda: busy == [True, False], timeout=5_000)
    assert changed.args == [chat.conversation_id, "Say hello in French."]
    assert [i.role for i in chat.messages.items()] == ["user", "assistant"]
    reply = chat.messages.item(1)
    assert (reply.content, reply.state, reply.model) == ("Bonjour.", "complete", "scripted")
    saved = store.thread(chat.conversation_id)
    assert [m.content for m in saved] == ["Say hello   in French.", "Bonjour."]
    assert not chat.busy and chat.runner is None


def test_a_failed_reply_reports_the_error_with_its_kind(qtbot, chat):
    answer(chat, [TextDelta("Par"), Error("Too many requests; wait a minute.", "rate_limited")])
    with qtbot.waitSignal(chat.reply_failed, timeout=5_000) as failed:
        chat.send("Hello", LOCAL)
    error = failed.args[0]
    assert isinstance(error, Error) and error.kind == "rate_limited"
    last = chat.messages.item(1)
    assert (last.state, last.error, last.content) == ("error", error.message, "Par")
    assert chat.models.backend is not None  # a cloud-style failure keeps the model


def test_a_dead_model_process_is_forgotten(qtbot, chat):
    answer(chat, [Error("The model process was killed.", "process_died")])
    with qtbot.waitSignal(chat.reply_failed, timeout=5_000) as failed:
        chat.send("Hello", LOCAL)
    assert failed.args[0].kind == "process_died"
    assert chat.models.backend is None  # the next reply asks for a load


def test_without_a_model_nothing_is_saved_and_the_source_is_asked_for(qtbot, chat, store):
    with qtbot.waitSignal(chat.source_needed) as needed:
        assert not chat.send("Hello", LOCAL)
    assert "Load a model first" in needed.args[0]
    assert chat.conversation_id is None and not store.list_conversations()
    assert chat.messages.rowCount() == 0


def test_an_unknown_provider_or_missing_cloud_model_sends_nothing(qtbot, chat):
    assert not chat.send("Hello", ReplySettings(provider_id="no-such-provider", cloud_model="m"))
    provider = chat.cloud.add_provider("custom", base_url="http://127.0.0.1:9/v1")
    with qtbot.waitSignal(chat.source_needed) as needed:
        assert not chat.send("Hello", ReplySettings(provider_id=provider.id))
    assert provider.name in needed.args[0]


def test_switching_chats_waits_for_the_reply(qtbot, chat, store):
    other = store.create_conversation("Other")
    gate = threading.Event()
    answer(chat, [TextDelta("slow"), Stats()], gate)
    chat.send("Hello", LOCAL)
    shown = chat.conversation_id
    with qtbot.waitSignal(chat.notice_posted) as notice:
        assert not chat.open_conversation(other.id)
    assert "Stop the reply" in notice.args[0]
    assert not chat.new_chat()
    assert chat.conversation_id == shown
    with qtbot.waitSignal(chat.busy_changed, timeout=5_000):
        chat.stop()
        gate.set()
    assert chat.messages.item(1).state == "cancelled"
    with qtbot.waitSignal(chat.thread_loaded) as loaded:
        assert chat.open_conversation(other.id)
    assert loaded.args == [other.id]


def test_regenerate_and_versions(qtbot, chat, store):
    answer(chat, [TextDelta("Apple."), Stats()])
    with qtbot.waitSignal(chat.busy_changed, timeout=5_000, check_params_cb=lambda b: not b):
        chat.send("Name a fruit.", LOCAL)
    first = chat.messages.item(1)
    answer(chat, [TextDelta("Pear."), Stats()])
    with qtbot.waitSignal(chat.busy_changed, timeout=5_000, check_params_cb=lambda b: not b):
        chat.regenerate(1, LOCAL)
    second = chat.messages.item(1)
    assert chat.messages.rowCount() == 2 and second.content == "Pear."
    assert (second.version, second.versions) == (2, 2)
    with qtbot.waitSignal(chat.thread_loaded):
        chat.switch_version(1, -1)
    assert chat.messages.item(1).id == first.id


def test_edit_sends_a_new_version_of_the_message(qtbot, chat):
    answer(chat, [TextDelta("4"), Stats()])
    with qtbot.waitSignal(chat.busy_changed, timeout=5_000, check_params_cb=lambda b: not b):
        chat.send("2+2?", LOCAL)
    old = chat.messages.item(0)
    with qtbot.waitSignal(chat.edit_started) as started:
        chat.start_edit(0)
    assert started.args[0].id == old.id
    with (
        qtbot.waitSignal(chat.edit_ended),
        qtbot.waitSignal(chat.busy_changed, timeout=5_000, check_params_cb=lambda b: not b),
    ):
        chat.send("3+3?", LOCAL)
    user = chat.messages.item(0)
    assert user.id != old.id and (user.version, user.versions) == (2, 2)
    assert chat.messages.rowCount() == 2 and chat.editing is None


def test_only_the_latest_thread_read_is_shown(qtbot, chat, store, monkeypatch):
    slow, fast = store.create_conversation("Slow"), store.create_conversation("Fast")
    store.add_message(slow.id, "user", "from the slow chat")
    store.add_message(fast.id, "user", "from the fast chat")
    release = threading.Event()
    real_thread = store.thread

    def thread(conversation_id: int):
        if conversation_id == slow.id:
            release.wait(10)
        return real_thread(conversation_id)

    monkeypatch.setattr(store, "thread", thread)
    with qtbot.assertNotEmitted(chat.thread_loaded, wait=0):
        chat.open_conversation(slow.id)
    with qtbot.waitSignal(chat.thread_loaded) as loaded:
        chat.open_conversation(fast.id)
    assert loaded.args == [fast.id]
    with qtbot.assertNotEmitted(chat.thread_loaded, wait=500):
        release.set()  # the older read ends last: dropped
    assert [i.content for i in chat.messages.items()] == ["from the fast chat"]


def test_reply_runner_reports_the_error_object(qtbot):
    runner = ReplyRunner(ScriptedReply([Error("No key.", "auth")], None))
    with qtbot.waitSignal(runner.reply_failed, timeout=5_000) as failed:
        runner.start()
    assert failed.args[0] == Error("No key.", "auth")


def test_model_controller_load_failure_carries_the_kind(qtbot, tmp_path):
    models = ModelController()
    bad = tmp_path / "not-a-model.gguf"
    bad.write_bytes(b"not a gguf file at all")
    with qtbot.waitSignal(models.load_failed, timeout=10_000) as failed:
        models.load(str(bad), LoadOptions())
    error = failed.args[0]
    assert error.kind == "bad_model_file" and "not-a-model.gguf" in error.message
    assert not models.is_loading and models.backend is None


def test_a_newer_load_supersedes_an_older_one(qtbot, tmp_path):
    models = ModelController()
    first, second = tmp_path / "first.gguf", tmp_path / "second.gguf"
    for path in (first, second):
        path.write_bytes(b"GGUF broken")
    failures: list[Error] = []
    models.load_failed.connect(failures.append)
    models.load(str(first), LoadOptions())
    models.load(str(second), LoadOptions())
    qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    qtbot.wait(200)
    assert len(failures) == 1 and "second.gguf" in failures[0].message
