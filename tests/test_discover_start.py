"""Discover before a search: the catalogue's suggestions, files already in the library, and Hub
errors shown in the page with Retry."""

from __future__ import annotations

import json

import pytest
from hubserver import FakeHub
from PySide6.QtCore import Qt
from test_app import make_window

from workbench.core.settings import Settings, save_settings

REPO = "workbench-tests/SmolLM2-135M-Instruct-GGUF"
FILE = "SmolLM2-135M-Instruct-Q4_1.gguf"


@pytest.fixture
def hub(test_model, tmp_path, monkeypatch):
    with FakeHub() as server:
        server.add_repo(REPO, {FILE: test_model}, downloads=10)
        catalogue = tmp_path / "catalogue.json"
        models = [
            {"repo": REPO, "name": "SmolLM2 135M", "quantization": "Q4_1", "approx_bytes": 9e7},
            {"repo": "gone/Model-GGUF", "name": "Gone", "quantization": "Q4_1", "approx_bytes": 1},
            {
                "repo": "pub/Big-GGUF",
                "name": "Big one",
                "quantization": "Q4_K_M",
                "approx_bytes": 5e9,
            },
        ]
        catalogue.write_text(json.dumps({"models": models}))
        monkeypatch.setenv("WORKBENCH_CATALOGUE", str(catalogue))
        save_settings(Settings(hub_endpoint=server.url))
        yield server


def _texts(page) -> list[str]:
    return [page.results.item(i).text() for i in range(page.results.count())]


def test_an_empty_search_shows_suggestions_for_this_computer(qtbot, hub):
    win = make_window(qtbot)
    try:
        page = win.discover
        win.pages.setCurrentWidget(page)
        qtbot.waitUntil(
            lambda: page.results.count() >= 1 and "Suggested" in page.results_title.text(),
            timeout=20_000,
        )
        texts = _texts(page)
        assert texts[0].startswith("Recommended: SmolLM2 135M") and REPO in texts[0]
        assert not any("Gone" in t for t in texts)  # a repository that has gone is skipped
        assert not page.error_box.isVisible()
    finally:
        win.close()


def test_a_file_in_the_library_offers_chat_instead_of_download(
    qtbot, hub, test_model, workbench_home
):
    folder = workbench_home / "models" / REPO
    folder.mkdir(parents=True)
    (folder / FILE).symlink_to(test_model)
    win = make_window(qtbot)
    try:
        page = win.discover
        win.pages.setCurrentWidget(page)
        page.open_repo(REPO)
        qtbot.waitUntil(
            lambda: page.details is not None and bool(page._entry_items()), timeout=20_000
        )
        (item,) = page._entry_items()
        assert item.text(1).startswith("In library")
        page.files.setCurrentItem(item)
        assert page.download_button.text() == "In library · Chat with it"
        qtbot.mouseClick(page.download_button, Qt.MouseButton.LeftButton)
        assert win.pages.currentWidget() is win.chat
        assert win.chat.panel.model_path() == str(folder / FILE)
        assert not win.downloads.jobs()
        assert hub.body_bytes_sent(f"{REPO}/{FILE}") < 10 * 2**20  # headers only, no download
    finally:
        win.close()


def test_hub_errors_are_shown_in_the_page_with_retry(qtbot, hub):
    save_settings(Settings(hub_endpoint="http://127.0.0.1:9"))  # nothing listens there
    win = make_window(qtbot)
    try:
        page = win.discover
        win.pages.setCurrentWidget(page)
        qtbot.waitUntil(lambda: page.error_box.isVisible(), timeout=20_000)
        assert "127.0.0.1:9" in page.error_text.text() and page.retry_button.isVisible()

        qtbot.keyClicks(page.query, "smollm2")
        qtbot.keyClick(page.query, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: page.error_box.isVisible(), timeout=20_000)
        assert page.error_text.text().startswith("Could not connect to 127.0.0.1:9")

        win.session.settings.hub_endpoint = hub.url  # the connection is back
        qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.results.count() == 1, timeout=20_000)
        assert REPO in page.results.item(0).text() and not page.error_box.isVisible()
    finally:
        win.close()


def test_settings_this_computer_and_the_token_for_mirrors(qtbot, hub):
    from workbench.core.settings import load_settings
    from workbench.ui.settings.dialog import SettingsDialog

    win = make_window(qtbot)
    try:
        dialog = SettingsDialog(win.session, win, win.cloud, page="computer")
        assert dialog.tabs.currentWidget() is dialog.computer
        qtbot.waitUntil(lambda: dialog.computer.machine is not None, timeout=20_000)
        assert "memory" in dialog.computer.summary.text()
        assert not dialog.token_to_mirror.isChecked()
        dialog.token_to_mirror.setChecked(True)
        dialog.accept()
        assert load_settings().hub_token_to_mirror is True
        assert win.session.client().token is None  # no token saved: nothing to send anyway
    finally:
        win.close()
