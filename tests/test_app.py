"""The main window, driven like a user would, with the real test model."""

from __future__ import annotations

import os
import signal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from screen import on_screen, settle

from workbench.app import create_app
from workbench.core.store import Store

NAMES = (
    "conversationList",
    "newChatButton",
    "conversationSearch",
    "messageView",
    "composer",
    "sendButton",
    "stopButton",
    "modelPicker",
    "loadButton",
    "unloadButton",
    "systemPrompt",
    "gpuLayers",
    "contextLength",
    "temperature",
    "maxTokens",
)


def make_window(qtbot, **kwargs):
    _app, win = create_app([], **kwargs)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot):
    win = make_window(qtbot)
    yield win
    win.close()


def load(qtbot, win, path) -> None:
    win.chat.panel.set_model_path(str(path))
    qtbot.mouseClick(win.findChild(QWidget, "loadButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            win.chat_controller.models.backend is not None
            or win.chat.panel.findChild(QWidget, "modelError").isVisible()
        ),
        timeout=60_000,
    )


def say(qtbot, win, text: str, *, wait: bool = True) -> None:
    win.chat.composer.setFocus()
    qtbot.keyClicks(win.chat.composer, text)
    qtbot.keyClick(win.chat.composer, Qt.Key.Key_Return)
    if wait:
        qtbot.waitUntil(lambda: win.chat_controller.runner is None, timeout=60_000)


def short_replies(win, max_tokens: int = 24, seed: int | None = 1) -> None:
    state = win.chat.panel.state()
    state["sampling"] = dict(state["sampling"], max_tokens=max_tokens, seed=seed)
    win.chat.panel.set_state(state)


def test_widgets_have_stable_names_and_accessible_names(window):
    for name in NAMES:
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name


def test_model_from_command_line_is_selected(qtbot, test_model):
    win = make_window(qtbot, model=str(test_model))
    assert win.chat.panel.model_path() == str(test_model)


def test_send_streams_and_saves(qtbot, window, test_model):
    load(qtbot, window, test_model)
    short_replies(window)
    say(qtbot, window, "Say hello in French.", wait=False)
    assert window.chat.stop_button.isEnabled() and not window.chat.send_button.isEnabled()
    qtbot.waitUntil(lambda: window.chat_controller.runner is None, timeout=60_000)
    assert window.chat.composer.toPlainText() == ""
    assert [i.role for i in window.chat_controller.messages.items()] == ["user", "assistant"]
    reply = window.chat_controller.messages.item(1)
    assert reply.content.strip() and reply.state == "complete"
    assert reply.stats["completion_tokens"] > 0 and reply.stats["tokens_per_s"] > 0
    with Store() as store:
        (conversation,) = store.list_conversations()
        saved = store.thread(conversation.id)
    assert conversation.title == "Say hello in French."
    assert [m.content for m in saved] == ["Say hello in French.", reply.content]
    assert window.chat.sidebar.current_id() == conversation.id


def test_shift_enter_is_a_newline(qtbot, window):
    qtbot.keyClicks(window.chat.composer, "line one")
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.chat.composer, "line two")
    assert window.chat.composer.toPlainText() == "line one\nline two"
    # Enter with no model chosen at all: the text stays and the window says what to do.
    qtbot.keyClick(window.chat.composer, Qt.Key.Key_Return)
    assert window.chat.composer.toPlainText() == "line one\nline two"
    assert "Choose a model first" in window.chat.banner.text()


def test_stop_keeps_partial_reply(qtbot, window, test_model):
    load(qtbot, window, test_model)
    short_replies(window, max_tokens=2000)
    say(qtbot, window, "Write a very long story about a robot.", wait=False)
    qtbot.waitUntil(
        lambda: len(window.chat_controller.messages.item(1).content) > 100, timeout=30_000
    )
    qtbot.mouseClick(window.chat.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.chat_controller.runner is None, timeout=10_000)
    reply = window.chat_controller.messages.item(1)
    assert reply.state == "cancelled"
    with Store() as store:
        saved = store.get_message(reply.id)
    assert (
        saved.state == "cancelled" and saved.content == reply.content and len(saved.content) > 100
    )
    assert window.chat.send_button.isEnabled() and window.chat_controller.models.backend is not None


def test_regenerate_keeps_both_versions(qtbot, window, test_model):
    load(qtbot, window, test_model)
    short_replies(window, seed=None)
    say(qtbot, window, "Name a fruit.")
    first = window.chat_controller.messages.item(1)
    window.chat.view.action_triggered.emit("regenerate", 1)
    qtbot.waitUntil(lambda: window.chat_controller.runner is None, timeout=60_000)
    second = window.chat_controller.messages.item(1)
    assert window.chat_controller.messages.rowCount() == 2
    assert second.id != first.id and (second.version, second.versions) == (2, 2)
    # ‹ goes back to the first version, › forward again.
    with qtbot.waitSignal(window.chat_controller.thread_loaded):
        window.chat.view.action_triggered.emit("previous", 1)
    assert window.chat_controller.messages.item(1).id == first.id
    assert (
        window.chat_controller.messages.item(1).version,
        window.chat_controller.messages.item(1).versions,
    ) == (1, 2)
    with qtbot.waitSignal(window.chat_controller.thread_loaded):
        window.chat.view.action_triggered.emit("next", 1)
    assert window.chat_controller.messages.item(1).id == second.id


def test_edit_and_resend_makes_a_new_branch(qtbot, window, test_model):
    load(qtbot, window, test_model)
    short_replies(window)
    say(qtbot, window, "What is two plus two?")
    old_user, old_reply = (
        window.chat_controller.messages.item(0),
        window.chat_controller.messages.item(1),
    )
    window.chat.view.action_triggered.emit("edit", 0)
    assert window.chat.composer.toPlainText() == "What is two plus two?"
    assert window.chat.edit_banner.isVisible()
    window.chat.composer.clear()
    say(qtbot, window, "What is three plus three?")
    user, reply = window.chat_controller.messages.item(0), window.chat_controller.messages.item(1)
    assert window.chat_controller.messages.rowCount() == 2
    assert user.content == "What is three plus three?" and user.id != old_user.id
    assert (user.version, user.versions) == (2, 2)
    assert reply.id != old_reply.id
    with qtbot.waitSignal(window.chat_controller.thread_loaded):
        window.chat.view.action_triggered.emit("previous", 0)
    assert [i.id for i in window.chat_controller.messages.items()] == [old_user.id, old_reply.id]


def test_delete_with_undo_and_search(qtbot, window, test_model):
    load(qtbot, window, test_model)
    short_replies(window, max_tokens=8)
    say(qtbot, window, "Tell me about the zeppelin Hindenburg.")
    window.chat.new_chat()
    say(qtbot, window, "Hello there.")
    sidebar = window.chat.sidebar
    conv_list = sidebar.findChild(QWidget, "conversationList")
    assert conv_list.model().rowCount() == 2

    search = sidebar.findChild(QWidget, "conversationSearch")
    qtbot.keyClicks(search, "Hindenburg")
    qtbot.waitUntil(lambda: conv_list.model().rowCount() == 1, timeout=5_000)
    search.clear()
    qtbot.waitUntil(lambda: conv_list.model().rowCount() == 2, timeout=5_000)

    current = window.chat_controller.conversation_id
    sidebar.select(current)
    conv_list.setFocus()
    qtbot.keyClick(conv_list, Qt.Key.Key_Delete)
    assert conv_list.model().rowCount() == 1
    assert window.chat_controller.conversation_id is None  # the deleted chat left the screen
    undo = sidebar.findChild(QWidget, "undoButton")
    assert undo.isVisible()
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert conv_list.model().rowCount() == 2
    with Store() as store:
        assert store.get_conversation(current).deleted_at is None


def test_restart_restores_everything(qtbot, test_model, workbench_home):
    win = make_window(qtbot)
    load(qtbot, win, test_model)
    short_replies(win, max_tokens=12)
    state = win.chat.panel.state()
    state["system_prompt"] = "You are terse."
    state["sampling"]["temperature"] = 0.33
    state["load"]["context_length"] = 2048
    win.chat.panel.set_state(state)
    say(qtbot, win, "Give me a colour.")
    conversation = win.chat_controller.conversation_id
    win.resize(760, 560)
    win.chat.splitter.setSizes([200, 300, 240])
    sizes = win.chat.splitter.sizes()
    win.close()

    again = make_window(qtbot)
    qtbot.waitUntil(lambda: again.chat_controller.messages.rowCount() == 2, timeout=5_000)
    assert again.chat_controller.conversation_id == conversation
    assert again.chat.sidebar.current_id() == conversation
    assert again.chat.panel.model_path() == str(test_model)
    assert again.chat.panel.system_prompt() == "You are terse."
    assert again.chat.panel.sampling().temperature == 0.33
    assert again.chat.panel.load_options().context_length == 2048
    assert again.size().width() == 760 and again.size().height() == 560
    assert again.chat.splitter.sizes() == sizes
    again.close()


def test_model_process_killed_mid_reply(qtbot, window, test_model):
    load(qtbot, window, test_model)
    short_replies(window, max_tokens=2000)
    say(qtbot, window, "Write a very long poem about rivers.", wait=False)
    qtbot.waitUntil(
        lambda: len(window.chat_controller.messages.item(1).content) > 50, timeout=30_000
    )
    os.kill(window.chat_controller.models.backend.process_pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: window.chat_controller.runner is None, timeout=15_000)
    reply = window.chat_controller.messages.item(1)
    assert reply.state == "error" and "killed" in reply.error
    assert "killed" in window.chat.banner.text()
    with Store() as store:
        saved = store.get_message(reply.id)
    assert saved.state == "error" and saved.content and reply.content.startswith(saved.content[:50])
    # Load again from the same panel and carry on in the same chat.
    assert window.chat_controller.models.backend is None
    load(qtbot, window, test_model)
    short_replies(window, max_tokens=8)
    say(qtbot, window, "Are you back?")
    assert (
        window.chat_controller.messages.rowCount() == 4
        and window.chat_controller.messages.item(3).state == "complete"
    )


def test_corrupt_model_gives_plain_error(qtbot, window, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + os.urandom(64))
    load(qtbot, window, bad)
    error = window.chat.panel.findChild(QWidget, "modelError")
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    assert "broken.gguf" in error.text() and "Traceback" not in error.text()
    assert window.chat_controller.models.backend is None
    assert QApplication.instance() is not None  # and the window is still alive
    assert window.isVisible()


def test_view_follows_new_text_unless_scrolled_up(qtbot, window, test_model):
    from workbench.qt.message_model import MessageItem

    window.chat_controller.messages.append_item(MessageItem(id=10_001, role="user", content="hi"))
    row = window.chat_controller.messages.append_item(
        MessageItem(id=10_002, role="assistant", state="streaming")
    )
    bar = window.chat.view.verticalScrollBar()
    for _ in range(60):
        window.chat_controller.messages.append_text(row, "A line of streamed text.\n\n")
        qtbot.wait(5)
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=5_000)
    bar.setValue(0)  # the user scrolls up to read
    for _ in range(20):
        window.chat_controller.messages.append_text(row, "More text arrives.\n\n")
        qtbot.wait(5)
    assert bar.value() == 0 and not window.chat.view.following
    bar.setValue(bar.maximum())  # back at the bottom: following again
    window.chat_controller.messages.append_text(row, "And more.\n\n")
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=5_000)
    assert window.chat.view.following


def test_partial_repaints_while_streaming_match_a_full_repaint(qtbot, window):
    """Streaming repaints only the changed lines; the screen must equal a full repaint."""
    from workbench.qt.message_model import MessageItem

    window.chat_controller.messages.append_item(MessageItem(id=20_001, role="user", content="hi"))
    row = window.chat_controller.messages.append_item(
        MessageItem(id=20_002, role="assistant", state="streaming")
    )
    viewport = window.chat.view.viewport()

    words = ("Streaming **words** arrive one by one, 中文也一样, and `code` too. " * 6).split(" ")
    mismatches = 0
    for i, word in enumerate(words):
        window.chat_controller.messages.append_text(row, word + (" " if i % 9 else "\n\n"))
        settle(qtbot)
        streamed = on_screen(window, viewport)
        viewport.repaint()
        mismatches += on_screen(window, viewport) != streamed
    assert mismatches == 0


def test_panel_widths_survive_a_restart_on_another_page(qtbot):
    """A window reopened on Compare never lays out the chat page; closing it must keep the
    chat's panel widths instead of saving the placeholders of a page never shown."""
    from workbench.core.state import app_state

    win = make_window(qtbot)
    win.resize(1000, 600)
    win.chat.splitter.setSizes([200, 500, 300])
    win.pages.setCurrentWidget(win.compare)
    win.close()
    saved = app_state().load()["splitter"]
    assert saved[0] >= 150 and saved[2] >= 150

    on_compare = make_window(qtbot)
    assert on_compare.pages.currentWidget() is on_compare.compare
    on_compare.close()
    assert app_state().load()["splitter"] == saved


# The offscreen platform cannot raise a window; Qt says so, and that is all it means here.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_bring_to_front_unminimises_and_selects_the_model(qtbot, window, test_model):
    """What a second start over the same data folder asks of the running window."""
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized, timeout=5_000)
    window.pages.setCurrentWidget(window.library)
    window.bring_to_front(str(test_model))
    assert not window.isMinimized() and window.isVisible()
    assert window.chat.panel.model_path() == str(test_model)
    assert window.pages.currentWidget() is window.chat
    window.bring_to_front("")  # no --model: the choice stays
    assert window.chat.panel.model_path() == str(test_model)
