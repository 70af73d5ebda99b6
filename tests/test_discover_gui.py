"""The Hub in the window, end to end: search → file → download → library → chat.

Everything runs against FakeHub, a real HTTP server on 127.0.0.1 speaking the Hub's API, and the
real test model is what gets downloaded, verified, listed and loaded.
"""

from __future__ import annotations

import pytest
from ggufgen import write_tiny_gguf
from hubserver import FakeHub
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from test_app import make_window, say, short_replies

from workbench.core.settings import HUB_MIRROR, Settings, load_settings, save_settings

REPO = "workbench-tests/SmolLM2-135M-Instruct-GGUF"
FILE = "SmolLM2-135M-Instruct-Q4_1.gguf"


@pytest.fixture
def hub(tmp_path, test_model):
    server = FakeHub().start()
    tiny = tmp_path / "tiny.gguf"
    write_tiny_gguf(tiny)
    server.add_repo(
        REPO,
        {FILE: test_model, "mmproj-SmolLM2-f16.gguf": tiny.read_bytes(), "README.md": b"# hi"},
        downloads=1234,
        likes=56,
        gguf={"total": 134_515_008, "architecture": "llama", "context_length": 8192},
    )
    server.add_repo("someone/other-model-GGUF", {"other-Q8_0.gguf": tiny.read_bytes()})
    save_settings(Settings(hub_endpoint=server.url))
    yield server
    server.stop()


def _entries(page):
    return {item.data(0, Qt.ItemDataRole.UserRole).name: item for item in page._entry_items()}


def test_search_download_library_and_chat(qtbot, hub, test_model, workbench_home):
    win = make_window(qtbot)
    try:
        page = win.discover
        win.pages.setCurrentWidget(page)
        assert hub.url.split("://")[1] in page.endpoint_label.text()

        qtbot.keyClicks(page.query, "smollm2")
        qtbot.keyClick(page.query, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.results.count() == 1, timeout=10_000)
        assert REPO in page.results.item(0).text()

        qtbot.waitUntil(lambda: page.details is not None and FILE in _entries(page), timeout=10_000)
        assert "llama" in page.repo_facts.text() and "apache-2.0" in page.repo_facts.text()
        entries = _entries(page)
        assert "vision projector" in entries["mmproj-SmolLM2-f16.gguf"].text(0)
        assert "README.md" not in entries
        # The fit badge comes from the header read over range requests, not from the download.
        model_item = entries[FILE]
        qtbot.waitUntil(lambda: model_item.text(2) not in ("", "checking…"), timeout=15_000)
        assert model_item.text(2) in (
            "CPU only",
            "Full GPU offload",
        ) or "Partial" in model_item.text(2)
        assert "GB" in model_item.toolTip(2) or "MB" in model_item.toolTip(2)
        assert hub.body_bytes_sent(f"{REPO}/{FILE}") < 10 * 2**20

        page.files.setCurrentItem(model_item)
        assert page.download_button.isEnabled()
        qtbot.mouseClick(page.download_button, Qt.MouseButton.LeftButton)

        library = win.library
        qtbot.waitUntil(lambda: any(e.path.name == FILE for e in library.entries), timeout=60_000)
        entry = next(e for e in library.entries if e.path.name == FILE)
        assert entry.source == "downloaded" and entry.repo_id == REPO
        assert entry.path.read_bytes() == test_model.read_bytes()
        assert not list(entry.path.parent.glob("*.part"))
        qtbot.waitUntil(lambda: [j.state for j in win.downloads.jobs()] == ["done"], timeout=5_000)

        # Use it in chat: the model panel's picker lists the library's files.
        row = library.entries.index(entry)
        library.table.selectRow(row)
        qtbot.mouseClick(library.use_button, Qt.MouseButton.LeftButton)
        assert win.pages.currentWidget() is win.chat
        assert win.chat.panel.model_path() == str(entry.path)
        qtbot.mouseClick(win.findChild(QWidget, "loadButton"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: win.chat_controller.models.backend is not None, timeout=60_000)
        short_replies(win, max_tokens=8)
        say(qtbot, win, "Hello")
        assert win.chat_controller.messages.rowCount() == 2
        assert win.chat_controller.messages.items()[-1].content.strip()
    finally:
        win.close()


def test_endpoint_change_applies_without_restart(qtbot, hub, tmp_path):
    other = FakeHub().start()
    try:
        tiny = tmp_path / "t.gguf"
        write_tiny_gguf(tiny)
        other.add_repo("mirror-only/smollm2-GGUF", {"m-Q4_0.gguf": tiny.read_bytes()})
        win = make_window(qtbot)
        page = win.discover
        qtbot.keyClicks(page.query, "smollm2")
        qtbot.keyClick(page.query, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.results.count() == 1, timeout=10_000)
        assert REPO in page.results.item(0).text()

        win.session.set_endpoint(other.url)
        qtbot.waitUntil(
            lambda: page.results.count() == 1 and "mirror-only" in page.results.item(0).text(),
            timeout=10_000,
        )
        assert other.url.split("://")[1] in page.endpoint_label.text()
        assert load_settings().hub_endpoint == other.url
        win.close()
    finally:
        other.stop()


def test_settings_dialog_sets_mirror_and_token(qtbot, hub, memory_keyring, workbench_home):
    from workbench.ui.settings.dialog import SettingsDialog

    win = make_window(qtbot)
    dialog = SettingsDialog(win.session, win)
    qtbot.addWidget(dialog)
    dialog.mirror.setChecked(True)
    dialog.token_edit.setText("hf_dialogtoken123")
    dialog.save_token_button.click()
    qtbot.waitUntil(lambda: win.session.has_token(), timeout=5_000)
    assert memory_keyring.secrets[("Workbench", "huggingface-token")] == "hf_dialogtoken123"
    assert dialog.token_edit.text() == ""  # the field never keeps the secret on screen
    dialog.accept()
    assert win.session.endpoint() == HUB_MIRROR
    assert load_settings().hub_endpoint == HUB_MIRROR
    # A bad custom address is refused with a sentence and the dialog stays open.
    dialog2 = SettingsDialog(win.session, win)
    qtbot.addWidget(dialog2)
    dialog2.custom.setChecked(True)
    dialog2.custom_url.setText("hf-mirror.com")
    dialog2.accept()
    assert not dialog2.endpoint_error.isHidden() and "https://" in dialog2.endpoint_error.text()
    assert win.session.endpoint() == HUB_MIRROR
    win.close()
    for path in workbench_home.rglob("*"):
        if path.is_file():
            assert b"hf_dialogtoken123" not in path.read_bytes(), path


def test_gated_repo_download_failure_is_one_sentence(qtbot, hub, tmp_path):
    tiny = tmp_path / "g.gguf"
    write_tiny_gguf(tiny)
    hub.add_repo("gated-org/Gated-GGUF", {"g-Q4_0.gguf": tiny.read_bytes()}, gated="manual")
    win = make_window(qtbot)
    page = win.discover
    page.open_repo("gated-org/Gated-GGUF")
    qtbot.waitUntil(lambda: "g-Q4_0.gguf" in _entries(page), timeout=10_000)
    page.files.setCurrentItem(_entries(page)["g-Q4_0.gguf"])
    page.download_selected()
    qtbot.waitUntil(
        lambda: win.downloads.jobs() and win.downloads.jobs()[0].state == "failed",
        timeout=20_000,
    )
    error = win.downloads.jobs()[0].error
    assert "gated" in error.lower() or "access" in error.lower()
    assert "Traceback" not in error and "\n" not in error
    assert win.chat.banner.isVisible() and win.chat.banner.text() == error
    win.close()


def test_import_by_drop_refuses_non_gguf(qtbot, tmp_path, monkeypatch):
    win = make_window(qtbot)
    page = win.library
    bad = tmp_path / "page.gguf"
    bad.write_text("<!DOCTYPE html><html>Not found</html>")
    good = tmp_path / "good.gguf"
    write_tiny_gguf(good)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    page.import_files([bad, good], copy=True)
    qtbot.waitUntil(lambda: any(e.name.startswith("good") for e in page.entries), timeout=10_000)
    assert "web page" in page.status.text().lower() or "html" in page.status.text().lower()
    assert not any(e.name.startswith("page") for e in page.entries)
    win.close()


def test_settings_dialog_without_a_keychain_says_so(qtbot, hub):
    import keyring
    import keyring.backends.fail

    from workbench.ui.settings.dialog import SettingsDialog

    keyring.set_keyring(keyring.backends.fail.Keyring())
    win = make_window(qtbot)
    dialog = SettingsDialog(win.session, win)
    qtbot.addWidget(dialog)
    assert "No system keychain" in dialog.token_status.text()
    assert "HF_TOKEN" in dialog.token_status.text()
    assert not dialog.save_token_button.isEnabled()
    win.close()


def test_download_queue_survives_a_restart(qtbot, hub, test_model):
    hub.throttle_bps = 8 * 2**20  # about 12 s for the test model: the window closes mid-way
    win = make_window(qtbot)
    details = win.session.client().repo_details(REPO)
    entry = next(e for e in details.entries if e.name == FILE)
    win.downloads.download(REPO, entry, details.sha)
    qtbot.waitUntil(
        lambda: win.downloads.jobs() and win.downloads.jobs()[0].done_bytes > 8 * 2**20,
        timeout=20_000,
    )
    win.close()  # pauses the transfer; the .part file stays
    parts = list(win.session.models_dir().rglob("*.part"))
    assert len(parts) == 1 and parts[0].stat().st_size > 8 * 2**20
    kept = parts[0].stat().st_size

    hub.throttle_bps = None
    hub.reset_log()
    win2 = make_window(qtbot)
    try:
        qtbot.waitUntil(
            lambda: [j.state for j in win2.downloads.jobs()] == ["done"], timeout=60_000
        )
        path = win2.downloads.jobs()[0].dest_paths[0]
        assert path.read_bytes() == test_model.read_bytes()
        # Only what was missing crossed the network after the restart.
        assert hub.body_bytes_sent(f"{REPO}/{FILE}") == test_model.stat().st_size - kept
    finally:
        win2.close()


def test_unsafe_repo_name_is_refused_before_anything_is_written(qtbot, hub):
    from workbench.core.hub.models import HubFile, ModelEntry

    win = make_window(qtbot)
    entry = ModelEntry("x.gguf", (HubFile("x.gguf", 10, None),), 10, "Q4_0", "model")
    with pytest.raises(ValueError):
        win.downloads.download("../../escape", entry, None)
    assert win.downloads.jobs() == []
    assert not any(win.session.models_dir().parent.rglob("x.gguf"))
    win.close()
