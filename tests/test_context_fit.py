"""A conversation longer than the model's context: the sentence, the one-click way out (leave
out the oldest messages), what the window says was left out, and the command line's twin.

A scripted backend stands in for the model on the window's side; the last tests run the real
test model with a small context, through the controller and the command line.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from workbench.core.backend import (
    Backend,
    ChatMessage,
    Error,
    Event,
    FailedReply,
    Reply,
    Stats,
    TextDelta,
)
from workbench.core.chat import drops_oldest
from workbench.core.options import SamplingParams
from workbench.core.store import Store
from workbench.qt.chat import ChatController, ReplySettings, left_out_rows
from workbench.qt.cloud import CloudSession
from workbench.qt.message_model import LEFT_OUT, MessageItem, figures_text
from workbench.ui.chat.page import ChatPage

LOCAL = ReplySettings()
TOO_LONG = (
    "This conversation is 9,000 tokens, longer than the model's context of 4,096 tokens; leave "
    "out its oldest messages, start a new chat, or load the model with a longer context."
)


class Answer(Reply):
    def __init__(self, events: list[Event]) -> None:
        self._events = events

    def __iter__(self) -> Iterator[Event]:
        yield from self._events

    def cancel(self) -> None:
        pass


class TooLongBackend(Backend):
    """Fails with context_overflow unless asked to leave out the oldest messages; then answers,
    saying it left out two. Records what each reply was asked with."""

    source = "local"
    can_drop_oldest = True

    def __init__(self) -> None:
        self.calls: list[tuple[list[ChatMessage], bool]] = []
        self.lock = threading.Lock()

    @property
    def model_name(self) -> str:
        return "too-long"

    def start_reply(
        self, messages: list[ChatMessage], params: SamplingParams, *, drop_oldest: bool = False
    ) -> Reply:
        with self.lock:
            self.calls.append((list(messages), drop_oldest))
        if not drop_oldest:
            return FailedReply(Error(TOO_LONG, "context_overflow"))
        return Answer([TextDelta("Fits now."), Stats(completion_tokens=3, dropped_messages=2)])

    def unload(self) -> None:
        pass


class CannotDropBackend(TooLongBackend):
    """A source that cannot leave messages out (a cloud service): it takes no drop_oldest."""

    can_drop_oldest = False

    def start_reply(self, messages: list[ChatMessage], params: SamplingParams) -> Reply:  # type: ignore[override]
        self.calls.append((list(messages), False))
        return FailedReply(Error(TOO_LONG, "context_overflow"))


@pytest.fixture
def store():
    with Store() as s:
        yield s


@pytest.fixture
def page(qtbot, store):
    controller = ChatController(store, CloudSession())
    page = ChatPage(controller)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    yield page
    controller.shutdown()


def long_chat(store: Store) -> int:
    """A saved chat of two questions and their answers."""
    conversation = store.create_conversation("Long chat")
    for role, text in [
        ("user", "First question"),
        ("assistant", "First answer"),
        ("user", "Second question"),
        ("assistant", "Second answer"),
    ]:
        store.add_message(conversation.id, role, text)
    return conversation.id


def open_chat(qtbot, page: ChatPage, conversation_id: int) -> None:
    with qtbot.waitSignal(page.controller.thread_loaded, timeout=5_000):
        page.controller.open_conversation(conversation_id)


def send(qtbot, page: ChatPage, text: str) -> None:
    c = page.controller
    page.composer.setPlainText(text)
    with qtbot.waitSignal(c.busy_changed, timeout=5_000, check_params_cb=lambda b: not b):
        qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)


def test_the_sentence_then_one_click_leaves_out_the_oldest_messages_for_good(qtbot, page, store):
    c = page.controller
    backend = TooLongBackend()
    c.models.backend = backend  # as if loaded
    long_id = long_chat(store)
    open_chat(qtbot, page, long_id)

    with qtbot.waitSignal(c.reply_failed, timeout=5_000) as failed:
        send(qtbot, page, "Third question")
    assert failed.args[0].kind == "context_overflow"
    assert page.banner.isVisible() and page.banner.text() == TOO_LONG
    assert page.fit_button.isVisible()
    assert page.fit_button.text() == "Leave out the oldest messages"
    assert backend.calls[-1][1] is False
    failed_reply = c.messages.item(c.messages.rowCount() - 1)
    assert failed_reply.state == "error"

    # One click: the failed reply is answered again, as a new version beside it.
    with qtbot.waitSignal(c.busy_changed, timeout=5_000, check_params_cb=lambda b: not b):
        qtbot.mouseClick(page.fit_button, Qt.MouseButton.LeftButton)
    assert not page.fit_button.isVisible()
    messages, dropped = backend.calls[-1]
    assert dropped is True
    assert [m["content"] for m in messages][-1] == "Third question"
    items = c.messages.items()
    assert [i.content for i in items] == [
        "First question",
        "First answer",
        "Second question",
        "Second answer",
        "Third question",
        "Fits now.",
    ]
    reply = items[-1]
    assert (reply.state, reply.version, reply.versions) == ("complete", 2, 2)
    assert "left out the 2 oldest messages" in figures_text(reply.stats)
    # The two messages the reply did not see say so on their own figures line.
    assert [bool(i.stats.get(LEFT_OUT)) for i in items] == [True, True] + [False] * 4
    assert figures_text(items[0].stats) == "left out of the latest reply"
    assert figures_text(items[2].stats) == ""

    # From now on every reply of this chat leaves out what does not fit.
    send(qtbot, page, "Fourth question")
    assert backend.calls[-1][1] is True
    assert c.messages.item(c.messages.rowCount() - 1).content == "Fits now."
    assert drops_oldest(store.get_conversation(long_id))
    assert c.drops_oldest(long_id)

    # Another chat does not inherit the choice: the sentence and the button again.
    other_id = long_chat(store)
    open_chat(qtbot, page, other_id)
    with qtbot.waitSignal(c.reply_failed, timeout=5_000):
        send(qtbot, page, "Third question")
    assert backend.calls[-1][1] is False
    assert page.fit_button.isVisible()
    assert not drops_oldest(store.get_conversation(other_id))

    # Switching chats takes the offer away with the chat it belonged to.
    open_chat(qtbot, page, long_id)
    assert not page.fit_button.isVisible() and not c.can_leave_out_oldest


def test_the_choice_and_what_was_left_out_survive_reopening(qtbot, page, store):
    c = page.controller
    backend = TooLongBackend()
    c.models.backend = backend
    long_id = long_chat(store)
    open_chat(qtbot, page, long_id)
    with qtbot.waitSignal(c.reply_failed, timeout=5_000):
        send(qtbot, page, "Third question")
    with qtbot.waitSignal(c.busy_changed, timeout=5_000, check_params_cb=lambda b: not b):
        qtbot.mouseClick(page.fit_button, Qt.MouseButton.LeftButton)

    # A new controller on the same database, as after a restart of the app.
    again = ChatController(store, CloudSession())
    try:
        again.models.backend = backend
        with qtbot.waitSignal(again.thread_loaded, timeout=5_000):
            again.open_conversation(long_id)
        items = again.messages.items()
        assert "left out the 2 oldest messages" in figures_text(items[-1].stats)
        assert [bool(i.stats.get(LEFT_OUT)) for i in items] == [True, True] + [False] * 4
        assert again.drops_oldest(long_id)
        with qtbot.waitSignal(again.busy_changed, timeout=5_000, check_params_cb=lambda b: not b):
            assert again.send("Fourth question", LOCAL)
        assert backend.calls[-1][1] is True
    finally:
        again.shutdown()


def test_a_source_that_cannot_leave_messages_out_gets_the_sentence_alone(qtbot, page, store):
    c = page.controller
    backend = CannotDropBackend()
    c.models.backend = backend
    open_chat(qtbot, page, long_chat(store))
    with qtbot.waitSignal(c.reply_failed, timeout=5_000):
        send(qtbot, page, "Third question")
    assert page.banner.isVisible() and page.banner.text() == TOO_LONG
    assert not page.fit_button.isVisible()
    assert not c.can_leave_out_oldest
    assert not c.leave_out_oldest(LOCAL)


def test_another_notice_or_a_new_chat_takes_the_button_away(qtbot, page, store):
    c = page.controller
    c.models.backend = TooLongBackend()
    open_chat(qtbot, page, long_chat(store))
    with qtbot.waitSignal(c.reply_failed, timeout=5_000):
        send(qtbot, page, "Third question")
    assert page.fit_button.isVisible()
    page.show_notice("Something else.")
    assert not page.fit_button.isVisible()
    page.new_chat()
    assert not c.can_leave_out_oldest
    assert not c.leave_out_oldest(LOCAL)


def item(row: int, role: str, content: str = "x", **stats) -> MessageItem:
    return MessageItem(id=row + 1, role=role, content=content, stats=dict(stats))


def test_left_out_rows_count_what_was_sent_from_the_oldest_on():
    items = [
        item(0, "system", "Be brief."),
        item(1, "user"),
        item(2, "assistant", ""),  # a failed reply: never sent, so never counted
        item(3, "user"),
        item(4, "assistant"),
        item(5, "user"),
        item(6, "assistant", dropped_messages=2),
        item(7, "user"),
        item(8, "assistant", ""),  # streaming or failed: the reply before it decides
    ]
    assert left_out_rows(items) == {1, 3}
    items[8].stats[LEFT_OUT] = True  # a mark is no figures: the reply before still decides
    assert left_out_rows(items) == {1, 3}
    items[6].stats["dropped_messages"] = 0
    assert left_out_rows(items) == set()
    assert left_out_rows([item(0, "user")]) == set()


def test_figures_say_how_many_oldest_messages_were_left_out():
    assert figures_text({"completion_tokens": 5, "dropped_messages": 0}) == "5 tokens"
    assert figures_text({"completion_tokens": 5, "dropped_messages": 1}) == (
        "5 tokens · left out the oldest message"
    )
    assert figures_text({"dropped_messages": 4}) == "left out the 4 oldest messages"


# -- the real model ----------------------------------------------------------------------------

# One thread: on a busy two-core machine, two llama.cpp threads waiting on each other can run a
# hundred times slower than one (the point here is what is said and left out, not speed).
THREADS = 1


def long_history(store: Store, turns: int = 8) -> int:
    """A saved chat far longer than 256 tokens."""
    conversation = store.create_conversation("Real long chat")
    for i in range(turns):
        store.add_message(
            conversation.id,
            "user",
            f"Question {i}: tell me about the history of the number {i} in many words, please.",
        )
        store.add_message(
            conversation.id,
            "assistant",
            f"The number {i} has a long history. " * 6,
        )
    return conversation.id


def test_real_model_the_controller_says_it_does_not_fit_then_answers_without_the_oldest(
    qtbot, page, store, test_model
):
    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions

    backend = LocalBackend(test_model, LoadOptions(context_length=256, threads=THREADS, seed=1))
    backend.load()
    c = page.controller
    c.models.backend = backend
    settings = ReplySettings(sampling=SamplingParams(max_tokens=16, temperature=0.0))
    long_id = long_history(store)
    open_chat(qtbot, page, long_id)
    try:
        with qtbot.waitSignal(c.reply_failed, timeout=120_000) as failed:
            assert c.send("And the number 9?", settings)
        assert failed.args[0].kind == "context_overflow"
        assert "context" in failed.args[0].message
        assert page.fit_button.isVisible()

        with qtbot.waitSignal(c.busy_changed, timeout=120_000, check_params_cb=lambda b: not b):
            assert c.leave_out_oldest(settings)
        reply = c.messages.item(c.messages.rowCount() - 1)
        assert reply.state == "complete" and reply.content.strip()
        dropped = reply.stats["dropped_messages"]
        assert dropped > 0
        assert "oldest message" in figures_text(reply.stats)
        marked = [r for r, i in enumerate(c.messages.items()) if i.stats.get(LEFT_OUT)]
        assert marked == list(range(dropped))
    finally:
        backend.unload()


def test_real_model_the_command_line_names_the_flag_then_answers_with_it(store, test_model):
    from test_cli import run_cli

    long_id = long_history(store)
    base = ["chat", "--model", str(test_model), "--ctx", "256", "--threads", str(THREADS)]
    base += ["--max-tokens", "16"]
    base += ["--temperature", "0", "--continue", str(long_id), "--prompt", "And the number 9?"]

    result = run_cli(*base)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and "context" in lines[0]
    assert "--drop-oldest" in result.stderr
    assert "Traceback" not in result.stderr

    result = run_cli(*base, "--drop-oldest", "--stats")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    figures = json.loads(result.stderr.strip().splitlines()[-1])
    assert figures["dropped_messages"] > 0
    assert f"left out the {figures['dropped_messages']} oldest messages" in result.stderr
    assert drops_oldest(store.get_conversation(long_id))

    # The chat remembers: the next --continue leaves out what does not fit without the flag.
    result = run_cli(*base[:-1], "And the number 10?", "--stats")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stderr.strip().splitlines()[-1])["dropped_messages"] > 0
    replies = [m for m in store.thread(long_id) if m.role == "assistant"]
    assert replies[-1].stats["dropped_messages"] > 0
