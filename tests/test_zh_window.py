"""The window in Simplified Chinese: every page and dialog opens, and no English sentence is left.

The language is chosen the way a user chooses it (the setting, read when the window is made);
the scan reads every visible text, tooltip, placeholder, accessible name, menu, tab, combo item
and item-view header of each page (tests/english.py says what counts as English).
"""

from __future__ import annotations

import shutil

import pytest
from english import english_left, widget_texts
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from test_app import make_window, short_replies
from test_welcome import FILE, hub  # noqa: F401 - a fixture: the tests' Hub with the test model

from workbench.core import i18n
from workbench.core.settings import Settings, save_settings


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
def test_every_page_in_chinese(qtbot, hub, test_model, workbench_home, monkeypatch):  # noqa: F811
    monkeypatch.setenv("WORKBENCH_WELCOME", "0")  # the chat first, not the welcome page
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


def test_welcome_page_in_chinese(qtbot, hub, monkeypatch):  # noqa: F811
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


def test_english_is_found_when_it_is_left(qtbot):
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
