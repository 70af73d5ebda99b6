"""Cloud chat in the window: add a provider, enter a key, pick a model, chat, and switch the
same conversation to the local model and back. Real servers on 127.0.0.1 only: the tests' own
OpenAI-compatible server (it checks the key) and llama-cpp-python's server with the test model.
"""

from __future__ import annotations

import pytest
from llamaserver import llama_server  # noqa: F401 - fixture
from openai_fake import FakeOpenAI
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from test_app import make_window, say, short_replies

from workbench.ui.chat.source_panel import LOCAL
from workbench.ui.settings.dialog import SettingsDialog

KEY = "sk-test-GUIKEY-0123456789abcdef"


@pytest.fixture
def fake():
    server = FakeOpenAI()
    server.key = KEY
    server.start()
    yield server
    server.stop()


def add_custom_provider(qtbot, win, base_url: str, key: str | None):
    """Settings › Providers: add "Custom", set its base URL, save a key."""
    dialog = SettingsDialog(win.session, win, win.cloud, page="providers")
    qtbot.addWidget(dialog)
    page = dialog.providers
    page.add("custom")
    provider_id = page.current_id()
    assert provider_id is not None
    page.url_edit.setText(base_url)
    page._apply_url()
    if key is not None:
        page.key_edit.setText(key)
        page.save_key_button.click()
        qtbot.waitUntil(lambda: win.cloud.key_source(provider_id) == "keychain", timeout=5_000)
        assert page.key_edit.text() == ""  # the key never stays on screen
    dialog.accept()
    return provider_id


def choose(qtbot, win, provider_id: str, model: str | None = None):
    panel = win.chat.source_panel
    panel.picker.setCurrentIndex(panel.picker.findData(provider_id))
    panel._on_picked(panel.picker.currentIndex())
    assert panel.source() == provider_id
    assert not win.chat.panel.findChild(QWidget, "loadGroup").isVisibleTo(win.chat.panel)
    if model is not None:
        qtbot.waitUntil(lambda: panel.model_box.findText(model) >= 0, timeout=10_000)
        panel.model_box.setCurrentIndex(panel.model_box.findText(model))
        assert panel.cloud_model() == model


def test_provider_key_model_chat_and_switch_to_local_and_back(
    qtbot, fake, test_model, workbench_home, memory_keyring
):
    win = make_window(qtbot)
    try:
        provider_id = add_custom_provider(qtbot, win, fake.base_url, KEY)
        assert memory_keyring.secrets[("Workbench", f"api-key:{provider_id}")] == KEY

        choose(qtbot, win, provider_id, "fake-chat")
        panel = win.chat.source_panel
        assert "keychain" in panel.key_label.text()
        panel.test_button.click()
        qtbot.waitUntil(lambda: "Connected" in panel.status.text(), timeout=10_000)

        fake.script(text="Bonjour from the cloud.", reasoning="Let me think.")
        say(qtbot, win, "Hello cloud")
        items = win.chat_controller.messages.items()
        assert items[-1].content == "Bonjour from the cloud."
        assert items[-1].reasoning == "Let me think."
        assert items[-1].model == "fake-chat"
        assert items[-1].stats.get("completion_tokens")
        sent = [r for r in fake.requests if r["path"].endswith("/chat/completions")][-1]
        assert sent["headers"]["authorization"] == f"Bearer {KEY}"

        # Same conversation, now the local model: it sees the cloud turn in its history.
        conversation = win.chat_controller.conversation_id
        win.chat.source_panel.set_source(LOCAL)
        assert win.chat.panel.findChild(QWidget, "loadGroup").isVisibleTo(win.chat.panel)
        win.chat.panel.set_model_path(str(test_model))
        qtbot.mouseClick(win.findChild(QWidget, "loadButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.chat_controller.models.backend is not None, timeout=60_000)
        short_replies(win, max_tokens=8)
        say(qtbot, win, "And you, local model?")
        assert win.chat_controller.conversation_id == conversation
        assert win.chat_controller.messages.items()[-1].model != "fake-chat"
        assert win.chat_controller.messages.items()[-1].content.strip()

        # And back to the cloud, still the same conversation, with all four turns sent.
        choose(qtbot, win, provider_id)
        fake.script(text="Back again.")
        say(qtbot, win, "Cloud again")
        assert win.chat_controller.messages.items()[-1].content == "Back again."
        body = [r for r in fake.requests if r["path"].endswith("/chat/completions")][-1]["json"]
        roles = [m["role"] for m in body["messages"] if m["role"] != "system"]
        assert roles == ["user", "assistant", "user", "assistant", "user"]
        assert win.store.get_conversation(conversation) is not None
    finally:
        win.close()
    # The key is nowhere on disk: not in settings, providers, the database or the log.
    for path in workbench_home.rglob("*"):
        if path.is_file():
            assert b"GUIKEY" not in path.read_bytes(), path


def test_wrong_key_error_keeps_the_message_and_offers_retry(qtbot, fake):
    win = make_window(qtbot)
    try:
        provider_id = add_custom_provider(qtbot, win, fake.base_url, "sk-wrong-key-000000000")
        choose(qtbot, win, provider_id)
        # The model list needs a valid key too: the model is typed by hand, as users can.
        qtbot.waitUntil(lambda: "401" in win.chat.source_panel.status.text(), timeout=10_000)
        assert "sk-wrong" not in win.chat.source_panel.status.text()
        win.chat.source_panel.model_box.setEditText("fake-chat")
        say(qtbot, win, "Will this work?")
        items = win.chat_controller.messages.items()
        assert items[-2].content == "Will this work?"  # the user's message is kept
        assert items[-1].state == "error"
        assert "401" in items[-1].error or "key" in items[-1].error.lower()
        assert "sk-wrong" not in items[-1].error and "sk-wrong" not in win.chat.banner.text()
        # Retry (regenerate) after fixing the key works on the same message.
        version = win.cloud.key_version(provider_id)
        win.cloud.save_key(provider_id, KEY)
        qtbot.waitUntil(lambda: win.cloud.key_version(provider_id) > version, timeout=5_000)
        fake.script(text="Now it works.")
        win.chat.regenerate(len(win.chat_controller.messages.items()) - 1)
        qtbot.waitUntil(lambda: win.chat_controller.runner is None, timeout=20_000)
        assert win.chat_controller.messages.items()[-1].content == "Now it works."
    finally:
        win.close()


def test_stop_closes_a_cloud_stream(qtbot, fake):
    win = make_window(qtbot)
    try:
        provider_id = add_custom_provider(qtbot, win, fake.base_url, KEY)
        choose(qtbot, win, provider_id, "fake-chat")
        fake.script(text="word " * 400, chunk_chars=5, delay=0.02)
        say(qtbot, win, "Talk a lot", wait=False)
        qtbot.waitUntil(
            lambda: (
                len(win.chat_controller.messages.items()) == 2
                and bool(win.chat_controller.messages.items()[-1].content)
            ),
            timeout=10_000,
        )
        qtbot.mouseClick(win.chat.stop_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.chat_controller.runner is None, timeout=3_000)
        last = win.chat_controller.messages.items()[-1]
        assert last.state == "cancelled"
        assert 0 < len(last.content) < len("word " * 400)
    finally:
        win.close()


def test_models_listed_from_llama_server_and_chat(qtbot, llama_server):  # noqa: F811
    win = make_window(qtbot)
    try:
        provider_id = add_custom_provider(qtbot, win, llama_server, None)
        choose(qtbot, win, provider_id, "smollm2")
        short_replies(win, max_tokens=8)
        say(qtbot, win, "Hi")
        last = win.chat_controller.messages.items()[-1]
        assert last.state == "complete" and last.content.strip()
        assert last.model == "smollm2"
    finally:
        win.close()


def test_source_choice_survives_a_restart(qtbot, fake):
    win = make_window(qtbot)
    provider_id = add_custom_provider(qtbot, win, fake.base_url, KEY)
    choose(qtbot, win, provider_id, "fake-chat")
    win.close()
    win2 = make_window(qtbot)
    try:
        assert win2.chat.source_panel.source() == provider_id
        assert win2.chat.source_panel.cloud_model() == "fake-chat"
        assert not win2.chat.panel.findChild(QWidget, "loadGroup").isVisibleTo(win2.chat.panel)
    finally:
        win2.close()


def test_settings_a_provider_ignores_are_greyed_out(qtbot, fake):
    win = make_window(qtbot)
    try:
        provider_id = add_custom_provider(qtbot, win, fake.base_url, KEY)
        choose(qtbot, win, provider_id)
        controls = win.chat.panel.sampling_controls
        assert not controls["top_k"].isEnabled() and not controls["min_p"].isEnabled()
        assert "not sent" in controls["top_k"].toolTip()
        assert controls["temperature"].isEnabled()
        win.chat.source_panel.set_source(LOCAL)
        assert controls["top_k"].isEnabled()
    finally:
        win.close()


def test_a_typed_model_is_remembered_once_not_per_keystroke(qtbot, fake):
    win = make_window(qtbot)
    try:
        provider_id = add_custom_provider(qtbot, win, fake.base_url, KEY)
        choose(qtbot, win, provider_id, "fake-chat")
        box = win.chat.source_panel.model_box
        box.lineEdit().clear()
        qtbot.keyClicks(box.lineEdit(), "my-own-model")
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
        provider = win.cloud.provider(provider_id)
        assert provider.model == "my-own-model"
        assert provider.manual_models == ["my-own-model"]
    finally:
        win.close()


def test_models_listed_at_start_up_use_the_saved_key(qtbot, fake, memory_keyring, monkeypatch):
    import time

    from workbench.core.cloud.providers import ProviderStore

    win = make_window(qtbot)
    provider_id = add_custom_provider(qtbot, win, fake.base_url, KEY)
    choose(qtbot, win, provider_id, "fake-chat")
    win.close()
    # Without a saved list, the next start asks the provider at once, while its key is read.
    store = ProviderStore()
    provider = store.get(provider_id)
    provider.models = []
    store.update(provider)
    # A keychain that takes its time to answer, as a locked or first-used one does.
    read = memory_keyring.get_password
    monkeypatch.setattr(memory_keyring, "get_password", lambda *a: time.sleep(0.5) or read(*a))
    win2 = make_window(qtbot)
    try:
        panel = win2.chat.source_panel
        assert panel.source() == provider_id
        qtbot.waitUntil(lambda: "models available" in panel.status.text(), timeout=10_000)
        assert panel.model_box.findText("fake-chat") >= 0
        listed = [r for r in fake.requests if r["path"].endswith("/models")]
        assert listed and all(r["headers"].get("authorization") == f"Bearer {KEY}" for r in listed)
    finally:
        win2.close()


def test_key_operations_are_ordered_and_a_listing_waits_for_them(qtbot, workbench_home):
    import threading

    from workbench.core.cloud.providers import ProviderStore
    from workbench.qt.cloud import CloudSession

    class Keys:
        """The first read is slow (as the first keychain call is) and finds no key."""

        def __init__(self) -> None:
            self.key: str | None = None
            self.calls: list[str] = []
            self.release = threading.Event()

        def get(self, provider_id, *, env_key=None):
            self.calls.append("get")
            if self.calls.count("get") == 1:
                self.release.wait(10)
            return self.key

        def source(self, provider_id, *, env_key=None):
            return "keychain" if self.key else None

        def set(self, provider_id, key, *, env_key=None, session_fallback=False):
            self.calls.append("set")
            self.key = key
            return "keychain"

    store = ProviderStore()
    provider = store.add("custom", base_url="http://127.0.0.1:9/v1")
    keys = Keys()
    session = CloudSession(store=store, keys=keys)  # starts the first, slow read
    qtbot.waitUntil(lambda: keys.calls == ["get"], timeout=5_000)
    session.save_key(provider.id, KEY)
    # What listing the models does: ask for a backend from a job.
    used: list[str | None] = []
    session.jobs.run(lambda: session.backend(provider.id, "m")._api_key, used.append)
    qtbot.wait(300)
    assert keys.calls == ["get"]  # the save waits for the read before it …
    assert used == [] and not session.key_loaded(provider.id)  # … and the listing for both
    keys.release.set()
    qtbot.waitUntil(lambda: bool(used), timeout=5_000)
    assert used == [KEY]
    assert keys.calls == ["get", "set", "get"]
    assert session.key_source(provider.id) == "keychain"
    assert session.backend(provider.id, "m")._api_key == KEY
