"""No dead ends: Send loads the chosen model, a message sent while it loads waits and is then
answered, a failed load gives the text back, Use in chat loads, a finished download offers to
chat with it, and the last model is loaded again at start (unless that load crashed the app).

Driven like a user would, in the real window with the real test model.
"""

from __future__ import annotations

import os
import shutil
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from test_app import make_window, short_replies

from workbench.core.settings import load_settings, save_settings
from workbench.core.state import LOADING_KEY, app_state
from workbench.core.store import Store
from workbench.qt.chat import WAITING_ID


@pytest.fixture
def window(qtbot):
    win = make_window(qtbot)
    yield win
    win.close()


@pytest.fixture
def broken_model(tmp_path):
    path = tmp_path / "broken.gguf"
    path.write_bytes(b"GGUF\x03\x00\x00\x00" + os.urandom(64))
    return path


def type_and_send(qtbot, win, text: str) -> None:
    win.chat.composer.setFocus()
    qtbot.keyClicks(win.chat.composer, text)
    qtbot.keyClick(win.chat.composer, Qt.Key.Key_Return)


def answered(win) -> bool:
    items = win.chat_controller.messages.items()
    return (
        win.chat_controller.runner is None
        and len(items) == 2
        and items[1].role == "assistant"
        and items[1].state == "complete"
    )


def test_send_with_no_model_loaded_loads_it_and_answers(qtbot, window, test_model):
    window.chat.use_model(str(test_model), load=False)
    short_replies(window, max_tokens=8)
    models = window.chat_controller.models
    assert models.backend is None and not models.is_loading
    type_and_send(qtbot, window, "Say hi.")
    # The message waits in the conversation, the box is empty and a sentence says why.
    assert models.is_loading
    assert window.chat.composer.toPlainText() == ""
    (waiting,) = window.chat_controller.messages.items()
    assert waiting.id == WAITING_ID and waiting.state == "waiting" and waiting.content == "Say hi."
    assert "your message is sent when it is ready" in window.chat.banner.text()
    assert f"Loading {test_model.stem}…" in window.chat.banner.text()
    assert not window.chat.send_button.isEnabled() and window.chat.stop_button.isEnabled()
    qtbot.waitUntil(lambda: answered(window), timeout=90_000)
    user, reply = window.chat_controller.messages.items()
    assert user.id > 0 and user.content == "Say hi." and reply.content.strip()
    with Store() as store:
        (conversation,) = store.list_conversations()
        assert store.thread(conversation.id)[0].content == "Say hi."


def test_send_while_loading_waits_then_answers(qtbot, window, test_model):
    window.chat.use_model(str(test_model))  # Use in chat: chooses and loads
    short_replies(window, max_tokens=8)
    models = window.chat_controller.models
    assert models.is_loading
    type_and_send(qtbot, window, "Count to three.")
    assert window.chat.composer.toPlainText() == ""
    assert [i.state for i in window.chat_controller.messages.items()] == ["waiting"]
    assert "Loading" in window.chat.banner.text()
    qtbot.waitUntil(lambda: answered(window), timeout=90_000)
    assert window.chat_controller.messages.item(0).content == "Count to three."
    assert not window.chat.banner.isVisible()  # the waiting sentence went with the wait


def test_failed_load_gives_the_message_back_and_says_why(qtbot, window, broken_model):
    window.chat.use_model(str(broken_model), load=False)
    type_and_send(qtbot, window, "Hello there")
    controller = window.chat_controller
    qtbot.waitUntil(lambda: not controller.models.is_loading, timeout=30_000)
    assert window.chat.composer.toPlainText() == "Hello there"
    assert controller.messages.rowCount() == 0 and not controller.busy
    banner = window.chat.banner.text()
    assert "broken.gguf" in banner and "back in the message box" in banner
    assert "Traceback" not in banner
    assert window.chat.send_button.isEnabled()
    with Store() as store:
        assert store.list_conversations() == []  # nothing half-sent was saved


def test_stop_drops_the_waiting_message(qtbot, window, test_model):
    window.chat.use_model(str(test_model))
    type_and_send(qtbot, window, "Never mind")
    assert window.chat_controller.waiting
    qtbot.mouseClick(window.chat.stop_button, Qt.MouseButton.LeftButton)
    assert window.chat.composer.toPlainText() == "Never mind"
    assert window.chat_controller.messages.rowCount() == 0
    assert "back in the message box" in window.chat.banner.text()
    # The load goes on, and nothing is sent when it ends.
    qtbot.waitUntil(lambda: window.chat_controller.models.backend is not None, timeout=60_000)
    assert window.chat_controller.messages.rowCount() == 0
    assert window.chat_controller.runner is None


def test_use_in_chat_loads_once_and_another_file_says_who_answers(
    qtbot, window, test_model, tmp_path
):
    models = window.chat_controller.models
    window.pages.setCurrentWidget(window.library)
    window.use_model(str(test_model))
    assert window.pages.currentWidget() is window.chat
    assert models.is_loading
    qtbot.waitUntil(lambda: models.backend is not None, timeout=60_000)
    # The same file with the same options: nothing to do.
    with qtbot.assertNotEmitted(models.load_started):
        window.use_model(str(test_model))
    assert models.backend is not None

    other = tmp_path / "Other-Model.gguf"
    shutil.copyfile(test_model, other)
    window.chat.panel.set_model_path(str(other))
    banner, button = window.chat.banner, window.chat.notice_button
    assert banner.isVisible()
    # Files are named as everywhere else: without ".gguf".
    assert f"{test_model.stem} is answering; Load to switch to Other-Model." in banner.text()
    assert button.isVisible() and button.text() == "Load"
    # Choosing the loaded file again: the notice goes.
    window.chat.panel.set_model_path(str(test_model))
    assert not banner.isVisible() and not button.isVisible()
    window.chat.panel.set_model_path(str(other))
    with qtbot.waitSignal(models.load_started):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: models.backend is not None, timeout=60_000)
    assert str(models.backend.path) == str(other)
    assert not banner.isVisible()


def test_finished_download_offers_chat_with_it(qtbot, window, broken_model):
    job = SimpleNamespace(
        name="Broken model",
        dest_paths=(broken_model.with_name("README.md"), broken_model),
    )
    window.pages.setCurrentWidget(window.discover)
    window._on_download_finished(job)
    button = window.chat.notice_button
    assert "Broken model is downloaded" in window.chat.banner.text()
    assert not button.isHidden() and button.text() == "Chat with it"
    models = window.chat_controller.models
    with qtbot.waitSignal(models.load_started):
        button.click()
    assert window.pages.currentWidget() is window.chat
    assert window.chat.panel.model_path() == str(broken_model)
    assert window.chat.notice_button.isHidden()


# -- the last model at start ---------------------------------------------------------------------


def test_last_model_is_loaded_again_at_start(qtbot, test_model):
    first = make_window(qtbot)
    first.chat.use_model(str(test_model))
    qtbot.waitUntil(lambda: first.chat_controller.models.backend is not None, timeout=60_000)
    assert LOADING_KEY not in app_state().load()  # the marker goes once the load is done
    first.close()
    assert app_state().load()["loaded_model"] == str(test_model)

    again = make_window(qtbot)
    try:
        models = again.chat_controller.models
        assert models.is_loading or models.backend is not None
        qtbot.waitUntil(lambda: models.backend is not None, timeout=60_000)
        assert str(models.backend.path) == str(test_model)
        assert again.chat.panel.model_path() == str(test_model)
    finally:
        again.close()


def test_last_model_not_loaded_when_the_setting_is_off(qtbot, test_model):
    app_state().save({"loaded_model": str(test_model)})
    settings = load_settings()
    settings.load_last_model = False
    save_settings(settings)
    win = make_window(qtbot)
    try:
        models = win.chat_controller.models
        assert not models.is_loading and models.backend is None
        assert not win.chat.banner.isVisible()
    finally:
        win.close()


def test_a_load_that_crashed_the_last_run_is_not_repeated(qtbot, test_model):
    # What a run that ended during a load leaves behind: the marker written before the load.
    app_state().save(
        {"loaded_model": str(test_model), LOADING_KEY: str(test_model)},
    )
    win = make_window(qtbot)
    try:
        models = win.chat_controller.models
        assert not models.is_loading and models.backend is None
        text = win.chat.banner.text()
        assert "closed while loading" in text and test_model.name in text
        assert "Load" in text
        assert LOADING_KEY not in app_state().load()  # said once; the next start loads again
    finally:
        win.close()


def test_load_at_start_setting_in_the_settings_dialog(qtbot, window):
    from workbench.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert dialog.load_last_model.isChecked()  # on by default
    dialog.load_last_model.setChecked(False)
    dialog.accept()
    assert load_settings().load_last_model is False
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    assert not dialog.load_last_model.isChecked()
    dialog.load_last_model.setChecked(True)
    dialog.accept()
    assert load_settings().load_last_model is True
