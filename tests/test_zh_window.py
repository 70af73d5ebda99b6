"""The window in Simplified Chinese: every page and dialog opens, and no English sentence is left.

The language is chosen the way a user chooses it (the setting, read when the window is made);
the scan reads every visible text, tooltip, placeholder, accessible name, menu, tab, combo item
and item-view header of each page (tests/english.py says what counts as English).
"""

from __future__ import annotations

import json
import shutil

import pytest
from english import english_left, widget_texts
from hubserver import FakeHub
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from test_app import make_window, short_replies

from workbench.core import i18n
from workbench.core.settings import Settings, save_settings
from workbench.qt.i18n import apply_language

REPO = "workbench-tests/SmolLM2-135M-Instruct-GGUF"
FILE = "SmolLM2-135M-Instruct-Q4_1.gguf"


@pytest.fixture
def chinese(workbench_home):
    yield
    apply_language("en")


@pytest.fixture
def hub(test_model, tmp_path, monkeypatch):
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
            "languages": ["en", "zh"],
            "licence": "apache-2.0",
            "quantizations": ["Q4_1"],
            "approx_bytes": 98_000_000,
        }
        catalogue.write_text(json.dumps({"models": [entry]}))
        monkeypatch.setenv("WORKBENCH_CATALOGUE", str(catalogue))
        yield server


def scan(widget: QWidget, qtbot) -> list[str]:
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(20)
    return english_left(widget_texts(widget))


def menu_texts(window) -> list[tuple[str, str]]:
    texts = []
    for top in window.menuBar().actions():
        texts.append(("menu", top.text()))
        for action in top.menu().actions():
            if not action.isSeparator():
                texts.append((f"menu.{top.text()}", action.text()))
    return texts


@pytest.mark.model
def test_every_page_in_chinese(qtbot, chinese, hub, test_model, workbench_home, monkeypatch):
    models = workbench_home / "models"
    models.mkdir()
    shutil.copy(test_model, models / FILE)
    save_settings(Settings(hub_endpoint=hub.url, language="zh_CN"))
    win = make_window(qtbot)
    assert i18n.current_language() == "zh_CN"
    left: list[str] = []

    # Chat, with the model loaded and one reply written.
    win.chat.use_model(str(models / FILE))
    qtbot.waitUntil(lambda: win.chat_controller.models.backend is not None, timeout=60_000)
    short_replies(win, max_tokens=8)
    win.chat.composer.setPlainText("你好")
    win.chat.send_button.click()
    qtbot.waitUntil(lambda: not win.chat_controller.busy, timeout=60_000)
    win.chat.panel.advanced_toggle.setChecked(True)
    left += [f"chat › {line}" for line in scan(win, qtbot)]
    left += [f"menus › {line}" for line in english_left(menu_texts(win))]

    for name in ("compare", "discover", "library"):
        win.pages.setCurrentWidget(getattr(win, name))
        if name == "discover":
            qtbot.waitUntil(lambda: win.discover.results.model().rowCount() > 0, timeout=30_000)
        left += [f"{name} › {line}" for line in scan(win, qtbot)]

    # The dialogs, each opened as the window opens it, scanned, then closed.
    from workbench.ui.settings.dialog import SettingsDialog

    dialog = SettingsDialog(win.session, win, win.cloud)
    dialog.show()
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        left += [f"settings {index} › {line}" for line in scan(dialog, qtbot)]
    dialog.close()

    seen: list[str] = []

    def scan_modal() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(50, scan_modal)
            return
        seen.append(type(modal).__name__)
        left.extend(f"{type(modal).__name__} › {line}" for line in scan(modal, qtbot))
        modal.reject() if isinstance(modal, QDialog) else modal.close()

    QTimer.singleShot(50, scan_modal)
    win.pages.setCurrentWidget(win.compare)
    win.compare.new_comparison()
    about = win.show_about()
    left += [f"about › {line}" for line in scan(about, qtbot)]
    about.close()
    assert seen == ["NewComparisonDialog"]
    assert not left, f"{len(left)} English texts left:\n" + "\n".join(left)
    win.close()


def test_welcome_page_in_chinese(qtbot, chinese, hub, monkeypatch):
    monkeypatch.delenv("WORKBENCH_WELCOME")
    monkeypatch.setenv("WORKBENCH_HUB_CANDIDATES", f"{hub.url},{hub.url}")
    save_settings(Settings(language="zh_CN"))
    win = make_window(qtbot)
    assert win.welcome.showing()
    left = scan(win, qtbot)
    page = win.welcome.page
    page.local_button.click()
    qtbot.waitUntil(lambda: page.go_button.isEnabled(), timeout=30_000)
    left += scan(win, qtbot)
    assert not left, "\n".join(left)
    win.close()


def test_english_is_found_when_it_is_left(qtbot, chinese):
    """The scan can fail: an English sentence in a Chinese window is reported."""
    save_settings(Settings(language="zh_CN"))
    win = make_window(qtbot)
    win.chat.composer.setPlaceholderText("Type a message")
    assert any("Type a message" in line for line in scan(win, qtbot))
    box = QMessageBox(QMessageBox.Icon.Information, "提示", "模型已加载。", parent=win)
    box.show()
    assert scan(box, qtbot) == []
    box.close()
    win.close()
