"""The window's menu bar: File, Edit, View, Model and Help, their shortcuts and what they do."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from test_app import make_window

from workbench import __version__
from workbench.core import paths
from workbench.ui.focus import FocusStyle
from workbench.ui.settings.dialog import SettingsDialog


@pytest.fixture
def window(qtbot):
    win = make_window(qtbot)
    yield win
    win.close()


def keys(action) -> list[str]:
    return [k.toString() for k in action.shortcuts()]


def test_menus_and_their_shortcuts(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Model", "&Help"]
    actions = window.actions_by_name
    assert "Ctrl+N" in keys(actions["newChatAction"])
    assert "Ctrl+O" in keys(actions["openModelAction"])
    assert keys(actions["settingsAction"])  # the platform's, or Ctrl+, where it has none
    assert keys(actions["quitAction"])
    assert "Ctrl+F" in keys(actions["findAction"])
    for number, name in enumerate(("Chat", "Compare", "Discover", "Library"), start=1):
        assert keys(actions[f"show{name}Action"]) == [f"Ctrl+{number}"]
    assert keys(actions["togglePanelAction"]) == ["Ctrl+Shift+M"]
    for name in ("loadModelAction", "unloadModelAction", "stopReplyAction"):
        assert name in actions
    for name in ("aboutAction", "logsFolderAction"):
        assert name in actions
    # Edit's keys belong to the focused box: shown in the menu, never a second shortcut.
    copy = actions["copyAction"]
    assert not copy.shortcuts()
    assert QKeySequence(QKeySequence.StandardKey.Copy).toString() in copy.text()


def test_no_shortcut_is_taken_twice(window):
    seen: dict[str, str] = {}
    for action in window.findChildren(type(window.actions_by_name["newChatAction"])):
        for key in keys(action):
            if action.shortcutContext().name == "WindowShortcut":
                assert key not in seen, (key, seen.get(key), action.objectName())
                seen[key] = action.objectName()


def test_view_actions_switch_pages_and_the_panel(qtbot, window):
    actions = window.actions_by_name
    actions["showCompareAction"].trigger()
    assert window.pages.currentWidget() is window.compare
    actions["showLibraryAction"].trigger()
    assert window.pages.currentWidget() is window.library
    actions["showChatAction"].trigger()
    assert window.pages.currentWidget() is window.chat
    assert window.chat.right_pane.isVisible()
    actions["togglePanelAction"].trigger()
    assert not window.chat.right_pane.isVisible() and not window.chat.panel_button.isChecked()
    window.chat.panel_button.click()
    assert window.chat.right_pane.isVisible() and actions["togglePanelAction"].isChecked()


def test_file_actions(qtbot, window, tmp_path, monkeypatch):
    actions = window.actions_by_name
    window.pages.setCurrentWidget(window.discover)
    actions["newChatAction"].trigger()
    assert window.pages.currentWidget() is window.chat
    assert window.chat_controller.conversation_id is None

    model = tmp_path / "picked.gguf"
    model.write_bytes(b"not a model")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(model), ""))
    )
    with qtbot.waitSignal(window.chat_controller.models.load_started):
        actions["openModelAction"].trigger()
    assert window.chat.panel.model_path() == str(model)

    actions["settingsAction"].trigger()
    dialogs = [d for d in window.findChildren(SettingsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].reject()

    actions["quitAction"].trigger()
    assert not window.isVisible()


def test_find_goes_to_the_chat_search(qtbot, window):
    window.activateWindow()
    window.pages.setCurrentWidget(window.library)
    window.actions_by_name["findAction"].trigger()
    assert window.pages.currentWidget() is window.chat
    search = window.chat.sidebar.findChild(QWidget, "conversationSearch")
    qtbot.waitUntil(search.hasFocus, timeout=5_000)


def test_edit_actions_act_on_the_focused_box(qtbot, window):
    window.activateWindow()
    composer = window.chat.composer
    composer.setFocus()
    qtbot.waitUntil(composer.hasFocus, timeout=5_000)
    qtbot.keyClicks(composer, "copy me")
    actions = window.actions_by_name
    actions["selectAllAction"].trigger()
    actions["copyAction"].trigger()
    assert QApplication.clipboard().text() == "copy me"
    composer.clear()
    actions["pasteAction"].trigger()
    assert composer.toPlainText() == "copy me"
    window._update_edit_menu()
    assert actions["copyAction"].isEnabled()


def test_model_menu_follows_the_model(qtbot, window, tmp_path):
    actions = window.actions_by_name
    window._update_model_menu()
    assert not actions["loadModelAction"].isEnabled()  # nothing chosen yet
    assert not actions["unloadModelAction"].isEnabled()
    assert not actions["stopReplyAction"].isEnabled()
    model = tmp_path / "m.gguf"
    model.write_bytes(b"not a model")
    window.chat.use_model(str(model), load=False)
    window._update_model_menu()
    assert actions["loadModelAction"].isEnabled()
    with qtbot.waitSignal(window.chat_controller.models.load_failed, timeout=30_000):
        actions["loadModelAction"].trigger()
    assert "m.gguf" in window.chat.panel.model_error.text()


def test_help_actions(qtbot, window, monkeypatch):
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(opened.append))
    window.actions_by_name["logsFolderAction"].trigger()
    assert opened == [QUrl.fromLocalFile(str(paths.logs_dir()))]

    window.actions_by_name["aboutAction"].trigger()
    (box,) = [b for b in window.findChildren(QMessageBox) if b.objectName() == "aboutBox"]
    assert box.isVisible() and __version__ in box.text()
    box.close()


def test_keyboard_focus_is_drawn_by_the_focus_style(window):
    assert isinstance(QApplication.style(), FocusStyle)
