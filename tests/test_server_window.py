"""Settings › Local server, driven like a user would: the chat's model answers other programs."""

from __future__ import annotations

import socket
import time

import httpx2 as httpx
import openai
import pytest
from openai_fake import FakeOpenAI
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from test_app import load, make_window

from workbench.core.names import local_name
from workbench.core.server import DEFAULT_PORT, LogEntry
from workbench.qt.server import RequestLogModel, ServerSettings

WAIT_MS = 30_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refused(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def window(qtbot):
    win = make_window(qtbot)
    yield win
    win.close()


def server_page(window, qtbot):
    dialog = window._open_settings(page="server")
    qtbot.addWidget(dialog)
    assert dialog.tabs.currentWidget() is dialog.server
    return dialog.server


def click(qtbot, widget) -> None:
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        # A check box or radio button reacts on its box and label, not its empty right side.
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def start(qtbot, page, port: int) -> None:
    page.port.setValue(port)
    assert page.start_button.text() == "Start"
    click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: page.controller.state in ("running", "stopped"), timeout=WAIT_MS)


def test_the_chat_model_answers_an_openai_client_and_the_log_shows_it(qtbot, window, test_model):
    load(qtbot, window, test_model)
    page = server_page(window, qtbot)
    assert page.status.text() == "Stopped"
    assert page.port.value() == DEFAULT_PORT
    port = free_port()
    start(qtbot, page, port)
    url = f"http://127.0.0.1:{port}/v1"
    assert page.controller.running, page.status.text()
    name = local_name(test_model)
    assert page.status.text() == f"Serving {name} at {url}"
    assert not page.port.isEnabled() and not page.network.isEnabled()  # apply at the next start
    click(qtbot, page.copy_url_button)
    assert QApplication.clipboard().text() == url

    # (A generous timeout: the machine running the tests may be busy with other work.)
    client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=300)
    served = [m.id for m in client.models.list().data]
    assert served == [test_model.name]
    answer = client.chat.completions.create(
        model=test_model.name,
        messages=[{"role": "user", "content": "Say hello."}],
        max_tokens=8,
        temperature=0,
    )
    assert answer.choices[0].message.content
    assert answer.usage.completion_tokens > 0

    log = page.controller.log
    qtbot.waitUntil(lambda: log.rowCount() == 2, timeout=WAIT_MS)
    assert page.table.model().index(1, 1).data() == "/v1/models"
    row = [page.table.model().index(0, c).data() for c in range(log.columnCount())]
    assert row[1:3] == ["/v1/chat/completions", test_model.name]
    assert row[5] == "200"
    assert row[3] == f"{answer.usage.prompt_tokens} → {answer.usage.completion_tokens}"
    assert row[4].endswith(" s") and row[6] == ""

    # The server follows the chat's model: unloaded, it says so.
    window.chat.unload_model()
    qtbot.waitUntil(lambda: "No model loaded" in page.status.text(), timeout=WAIT_MS)
    assert url in page.status.text()

    assert page.start_button.text() == "Stop"
    click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: page.status.text() == "Stopped", timeout=WAIT_MS)
    assert refused(port)
    assert page.port.isEnabled() and page.start_button.text() == "Start"
    assert log.rowCount() == 2  # the log stays for reading


def test_the_network_needs_a_key(qtbot, window, memory_keyring):
    page = server_page(window, qtbot)
    click(qtbot, page.network)
    assert page.addresses.isVisible()
    assert page.key_status.text() == "Listening on the network needs a key."
    port = free_port()
    start(qtbot, page, port)
    assert page.controller.state == "stopped"
    assert "needs an API key" in page.status.text()
    assert page.status.property("error") is True
    assert refused(port)

    click(qtbot, page.generate_key_button)
    qtbot.waitUntil(lambda: page.controller.api_key is not None, timeout=WAIT_MS)
    key = page.controller.api_key
    assert page.key_edit.text() == key
    assert memory_keyring.secrets[("Workbench", "workbench-server")] == key
    click(qtbot, page.copy_key_button)
    assert QApplication.clipboard().text() == key

    start(qtbot, page, port)
    assert page.controller.running, page.status.text()
    assert page.addresses.text().startswith("Other computers reach it at")
    assert page.copy_key_button.isEnabled() and not page.clear_key_button.isEnabled()
    base = f"http://127.0.0.1:{port}/v1/models"
    assert httpx.get(base, timeout=10).status_code == 401
    ok = httpx.get(base, headers={"Authorization": f"Bearer {key}"}, timeout=10)
    assert ok.status_code == 200
    click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: page.controller.state == "stopped", timeout=WAIT_MS)

    click(qtbot, page.clear_key_button)
    qtbot.waitUntil(lambda: page.controller.api_key is None, timeout=WAIT_MS)
    assert ("Workbench", "workbench-server") not in memory_keyring.secrets
    assert page.key_edit.text() == ""


def test_a_port_in_use_is_one_sentence_on_the_page(qtbot, window):
    page = server_page(window, qtbot)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        start(qtbot, page, port)
        assert page.controller.state == "stopped"
        assert page.status.text() == page.controller.error
        assert str(port) in page.status.text()
        assert "Traceback" not in page.status.text()
        assert page.status.property("error") is True
        assert page.start_button.isEnabled()
    # The port free again, the same button starts it.
    start(qtbot, page, port)
    assert page.controller.running, page.status.text()


def test_settings_persist_and_the_server_starts_with_workbench(qtbot, window):
    page = server_page(window, qtbot)
    port = free_port()
    page.port.setValue(port)
    page.origins.setText("http://localhost:3000")
    page.origins.editingFinished.emit()
    click(qtbot, page.expose_cloud)
    click(qtbot, page.autostart)
    saved = ServerSettings.load()
    assert (saved.port, saved.cors_origins, saved.expose_cloud, saved.autostart, saved.network) == (
        port,
        "http://localhost:3000",
        True,
        True,
        False,
    )
    window.close()

    again = make_window(qtbot)
    try:
        controller = again.server_controller
        qtbot.waitUntil(lambda: controller.running, timeout=WAIT_MS)
        answer = httpx.get(f"http://127.0.0.1:{port}/v1/models", timeout=10)
        assert answer.status_code == 200
        page = server_page(again, qtbot)
        assert page.origins.text() == "http://localhost:3000" and page.autostart.isChecked()
        assert "No model loaded" in page.status.text()
    finally:
        again.close()
    # Closing the window stops the server.
    assert refused(port)


def test_a_damaged_settings_file_gives_the_defaults(tmp_path):
    from workbench.qt.server import server_file

    server_file().save({"port": True, "network": "yes", "cors_origins": 3, "autostart": 1})
    assert ServerSettings.load() == ServerSettings()
    server_file().save({"port": 70000})
    assert ServerSettings.load().port == DEFAULT_PORT


def entry(n: int) -> LogEntry:
    return LogEntry(
        time=time.time(),
        endpoint=f"/v1/{n}",
        model="m",
        prompt_tokens=n,
        completion_tokens=2 * n,
        duration_s=0.5,
        status=200,
        waited=n % 2 == 1,
    )


def test_the_log_model_keeps_the_newest(qtmodeltester):
    model = RequestLogModel(limit=3)
    qtmodeltester.check(model)
    for n in range(5):
        model.add(entry(n))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert [model.index(r, 1).data() for r in range(3)] == ["/v1/4", "/v1/3", "/v1/2"]
    assert model.index(0, 6).data() == "" and model.index(1, 6).data() == "yes"
    assert model.index(0, 3).data() == "4 → 8"


def test_cloud_models_are_offered_when_allowed(qtbot, window):
    with FakeOpenAI(models=["fake-model"]) as fake:
        fake.script(text="Hello through Workbench.")
        provider = window.cloud.add_provider("custom", base_url=fake.base_url)
        provider.manual_models = ["fake-model"]
        window.cloud.update_provider(provider)
        page = server_page(window, qtbot)
        click(qtbot, page.expose_cloud)
        port = free_port()
        start(qtbot, page, port)
        assert page.controller.running, page.status.text()
        url = f"http://127.0.0.1:{port}/v1"
        assert "1 cloud model" in page.status.text() and url in page.status.text()
        client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=60)
        name = f"{provider.id}/fake-model"
        assert name in [m.id for m in client.models.list().data]
        answer = client.chat.completions.create(
            model=name, messages=[{"role": "user", "content": "Hi"}]
        )
        assert answer.choices[0].message.content == "Hello through Workbench."
        log = page.controller.log
        qtbot.waitUntil(lambda: log.rowCount() == 2, timeout=WAIT_MS)
        assert log.index(0, 2).data() == name
        click(qtbot, page.start_button)
        qtbot.waitUntil(lambda: page.controller.state == "stopped", timeout=WAIT_MS)


def test_a_failed_start_with_workbench_is_a_notice_in_the_window(qtbot):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ServerSettings(port=port, autostart=True).save()
        win = make_window(qtbot)
        try:
            qtbot.waitUntil(lambda: win.chat.banner.isVisible(), timeout=WAIT_MS)
            text = win.chat.banner.text()
            assert text.startswith("The local server did not start: Port")
            assert str(port) in text and win.server_controller.state == "stopped"
        finally:
            win.close()
