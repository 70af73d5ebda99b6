"""The first run: from an empty data folder to a streamed answer in three user actions."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler

import pytest
from hubserver import FakeHub, _QuietServer
from PySide6.QtCore import Qt
from test_app import make_window, short_replies

from workbench.core.settings import load_settings
from workbench.core.state import app_state
from workbench.qt.firstrun import needs_welcome

REPO = "workbench-tests/SmolLM2-135M-Instruct-GGUF"
FILE = "SmolLM2-135M-Instruct-Q4_1.gguf"


def test_the_welcome_rule(monkeypatch):
    monkeypatch.delenv("WORKBENCH_WELCOME")
    assert needs_welcome(None, 0, 0)
    assert needs_welcome(0, 0, 0)
    assert not needs_welcome(1, 0, 0)  # a model exists
    assert not needs_welcome(0, 1, 0)  # a cloud provider is set up
    assert not needs_welcome(0, 0, 3)  # chats from before
    assert not needs_welcome(0, 0, 0, done=True)  # skipped or finished once
    monkeypatch.setenv("WORKBENCH_WELCOME", "0")
    assert not needs_welcome(None, 0, 0)


class _Failing(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def failing_hub():
    server = _QuietServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def hub(test_model, tmp_path, monkeypatch):
    """The tests' Hub serving the real test model, and a catalogue whose pick it is."""
    with FakeHub() as server:
        server.add_repo(REPO, {FILE: test_model, "README.md": b"# hi"}, downloads=10)
        catalogue = tmp_path / "catalogue.json"
        entry = {
            "id": "smollm2-135m",
            "repo": REPO,
            "name": "SmolLM2 135M Instruct",
            "family": "SmolLM",
            "params_b": 0.135,
            "tier": "tiny",
            "languages": ["en"],
            "licence": "apache-2.0",
            "quantizations": ["Q4_K_M", "Q4_1"],
            "approx_bytes": 98_000_000,
        }
        catalogue.write_text(json.dumps({"models": [entry]}))
        monkeypatch.setenv("WORKBENCH_CATALOGUE", str(catalogue))
        monkeypatch.delenv("WORKBENCH_WELCOME")
        yield server


class Actions:
    """The user's clicks and key presses, counted."""

    def __init__(self, qtbot) -> None:
        self.qtbot, self.count = qtbot, 0

    def click(self, widget) -> None:
        assert widget.isVisible() and widget.isEnabled(), widget.objectName()
        self.count += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def walk_first_run(qtbot, official: str, mirror: str, monkeypatch) -> tuple[object, Actions]:
    monkeypatch.setenv("WORKBENCH_HUB_CANDIDATES", f"{official},{mirror}")
    win = make_window(qtbot)
    act = Actions(qtbot)
    page = win.welcome.page
    assert win.welcome.showing() and not win.welcome.tabs.isVisible()

    act.click(page.local_button)  # 1: Run a model on this computer
    qtbot.waitUntil(lambda: page.go_button.isEnabled(), timeout=30_000)
    assert "memory" in page.machine_label.text()
    assert (
        page.chosen_pick().file.name == FILE
        and "SmolLM2 135M" in page.pick_group.buttons()[0].text()
    )

    act.click(page.go_button)  # 2: Download and chat
    qtbot.waitUntil(lambda: not win.welcome.showing(), timeout=120_000)
    assert win.pages.currentWidget() is win.chat
    assert win.chat.panel.model_path().endswith(FILE)
    suggestion = win.chat.composer.toPlainText()
    assert suggestion.strip()

    short_replies(win, max_tokens=16)  # the test's own speed-up, not a user action
    act.click(win.chat.send_button)  # 3: Send the suggested message (queued while it loads)

    def answered() -> bool:
        items = win.chat_controller.messages.items()
        return len(items) == 2 and items[1].state == "complete" and not win.chat_controller.busy

    qtbot.waitUntil(answered, timeout=120_000)
    items = win.chat_controller.messages.items()
    assert [i.role for i in items] == ["user", "assistant"]
    assert items[0].content == suggestion
    assert items[1].content.strip() and items[1].state == "complete"
    assert items[1].stats["completion_tokens"] > 0
    assert app_state().load().get("welcome_done") is True
    return win, act


def test_first_run_in_three_actions(qtbot, hub, monkeypatch):
    with FakeHub() as mirror:
        win, act = walk_first_run(qtbot, hub.url, mirror.url, monkeypatch)
        try:
            assert act.count <= 3
            assert load_settings().hub_endpoint == hub.url
            assert hub.url.split("://")[1] in win.welcome.page.hub_label.text()
        finally:
            win.close()
    # Never again: the next start opens on the chat.
    again = make_window(qtbot)
    try:
        assert not again.welcome.showing()
    finally:
        again.close()


def test_first_run_through_the_mirror_when_the_official_hub_fails(
    qtbot, hub, failing_hub, monkeypatch
):
    win, act = walk_first_run(qtbot, failing_hub, hub.url, monkeypatch)
    try:
        assert act.count <= 3
        assert load_settings().hub_endpoint == hub.url
        assert any(r.file == f"{REPO}/{FILE}" for r in hub.requests)
    finally:
        win.close()


def test_skip_leaves_the_welcome_page_for_good(qtbot, monkeypatch):
    monkeypatch.delenv("WORKBENCH_WELCOME")
    win = make_window(qtbot)
    assert win.welcome.showing()
    qtbot.mouseClick(win.welcome.page.skip_button, Qt.MouseButton.LeftButton)
    assert not win.welcome.showing() and win.chat.isVisible()
    win.close()
    again = make_window(qtbot)
    assert not again.welcome.showing()
    again.close()


def test_an_unreachable_hub_is_said_on_the_page_with_retry(qtbot, failing_hub, monkeypatch):
    monkeypatch.delenv("WORKBENCH_WELCOME")
    monkeypatch.setenv("WORKBENCH_HUB_CANDIDATES", f"{failing_hub},http://127.0.0.1:9")
    win = make_window(qtbot)
    page = win.welcome.page
    qtbot.mouseClick(page.local_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.retry_button.isVisible(), timeout=30_000)
    assert page.status.text().startswith("Neither 127.0.0.1")
    assert not page.go_button.isEnabled()
    assert load_settings().hub_endpoint is None  # nothing that failed is saved
    win.close()
