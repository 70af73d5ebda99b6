"""The first window, driven like a user would: load the real model, chat, stop, bad files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.app import create_app
from workbench.core.store import Store


@pytest.fixture
def window(qtbot):
    _app, win = create_app([])
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_widgets_have_stable_names(window):
    for name in (
        "modelPicker",
        "loadButton",
        "unloadButton",
        "messageView",
        "composer",
        "sendButton",
        "stopButton",
    ):
        assert window.findChild(object, name) is not None, name
    assert not window.send_button.isEnabled()  # nothing loaded yet


def test_model_from_command_line_is_selected(qtbot, test_model):
    _app, win = create_app([], model=str(test_model))
    qtbot.addWidget(win)
    assert win.model_picker.text() == str(test_model)


def load(qtbot, window, path):
    window.model_picker.setText(str(path))
    qtbot.mouseClick(window.load_button, Qt.MouseButton.LeftButton)


def test_load_chat_and_save(qtbot, window, test_model, workbench_home):
    load(qtbot, window, test_model)
    qtbot.waitUntil(window.send_button.isEnabled, timeout=60_000)
    assert "is ready" in window.status.text()
    qtbot.keyClicks(window.composer, "Say hello in French.")
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    assert window.stop_button.isEnabled()
    qtbot.waitUntil(lambda: window.runner is None, timeout=60_000)
    assert "tok/s" in window.status.text()
    shown = window.message_view.toPlainText()
    assert shown.startswith("You: Say hello in French.")
    with Store() as store:
        (conversation,) = store.list_conversations()
        _user, reply = store.messages(conversation.id)
    assert reply.content.strip() and reply.content.strip() in shown
    assert reply.state == "complete" and reply.stats["completion_tokens"] > 0


def test_stop_keeps_partial_reply(qtbot, window, test_model):
    load(qtbot, window, test_model)
    qtbot.waitUntil(window.send_button.isEnabled, timeout=60_000)
    qtbot.keyClicks(window.composer, "Write a very long story about a robot.")
    qtbot.mouseClick(window.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.message_view.toPlainText()) > 120, timeout=30_000)
    qtbot.mouseClick(window.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.runner is None, timeout=10_000)
    assert window.status.text().startswith("Stopped.")
    assert window.send_button.isEnabled()  # the model is still loaded


def test_bad_file_gives_a_sentence_and_the_window_lives(qtbot, window, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"<html>Not found</html>")
    load(qtbot, window, bad)
    qtbot.waitUntil(
        lambda: window.load_button.isEnabled() and "broken.gguf" in window.status.text(),
        timeout=10_000,
    )
    assert "GGUF" in window.status.text() or "web page" in window.status.text()
    assert not window.send_button.isEnabled()
