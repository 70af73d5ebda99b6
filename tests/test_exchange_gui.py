"""The window's import and export: drop a file, File › Export chats…, the chat list's Export…,
the leaderboard's JSON export."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMenu, QPushButton
from test_app import make_window
from test_exchange import bad_files, build_tree, write_chatgpt
from test_leaderboard_gui import open_view, play

from workbench.core.compare.sessions import CompareStore
from workbench.core.compare.targets import TargetSpec
from workbench.qt.conversation_model import ConversationRoles
from workbench.ui.chat.exchange import ExportDialog


@pytest.fixture
def window(qtbot):
    win = make_window(qtbot)
    yield win
    win.close()


def drop(window, *paths) -> bool:
    """Drag files over the window and drop them; whether the window took the drag."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, event)
    return True


def notice(window) -> str:
    return window.chat.findChild(QLabel, "chatBanner").text()


def sidebar_titles(window) -> list[str]:
    model = window.chat.sidebar.filter_model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_dropping_a_chatgpt_export_imports_it(qtbot, window, tmp_path):
    path = write_chatgpt(tmp_path, as_zip=True)
    assert drop(window, path)
    qtbot.waitUntil(lambda: notice(window) == "Imported 2 chats.", timeout=10_000)
    assert sorted(sidebar_titles(window)) == ["Haiku", "Python 排序"]
    # The chat list says where an imported chat came from.
    first = window.chat.sidebar.filter_model.index(0, 0).data(ConversationRoles.Id)
    assert "Imported from ChatGPT on " in window.chat.sidebar.tooltip(first)
    # Dropped again: nothing new.
    assert drop(window, path)
    qtbot.waitUntil(
        lambda: notice(window) == "Those 2 chats were imported before, so they were skipped.",
        timeout=10_000,
    )
    assert len(window.store.list_conversations()) == 2


def test_dropping_a_bad_file_says_what_is_wrong(qtbot, window, tmp_path):
    assert drop(window, bad_files(tmp_path)["foreign.json"])
    qtbot.waitUntil(lambda: "foreign.json is neither" in notice(window), timeout=10_000)
    assert window.store.list_conversations() == []
    # Other files are not taken as imports.
    other = tmp_path / "model.gguf"
    other.write_bytes(b"GGUF")
    assert not drop(window, other)


def test_export_all_from_the_file_menu(qtbot, window, tmp_path):
    build_tree(window.store)
    build_tree(window.store)
    window.chat.sidebar.reload()
    window.actions_by_name["exportChatsAction"].trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.all_button.setChecked(True)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("json"))
    dialog.folder_edit.setText(str(tmp_path / "exported"))
    dialog.accept()
    qtbot.waitUntil(lambda: notice(window).startswith("Exported 2 chats to "), timeout=10_000)
    names = sorted(p.name for p in (tmp_path / "exported").iterdir())
    assert names == ["排序：代码_问题_ (2).json", "排序：代码_问题_.json"]
    doc = json.loads((tmp_path / "exported" / names[1]).read_text("utf-8"))
    assert doc["format"] == "workbench-conversations"


def test_export_the_chats_ticked_in_the_dialog(qtbot, window, tmp_path):
    build_tree(window.store)
    other = window.store.create_conversation("Haiku")
    window.store.add_message(other.id, "user", "A haiku, please.")
    window.chat.sidebar.reload()
    window.actions_by_name["exportChatsAction"].trigger()
    dialog = window.findChild(ExportDialog)
    assert [dialog.chat_list.item(i).text() for i in range(dialog.chat_list.count())] == [
        "Haiku",
        "排序：代码/问题?",
    ]
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.some_button.setChecked(True)
    assert dialog.chat_list.isEnabled() and not ok.isEnabled()  # nothing ticked yet
    dialog.chat_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert ok.isEnabled() and dialog.chosen() == [other.id]
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("md"))
    dialog.folder_edit.setText(str(tmp_path / "chosen"))
    dialog.accept()
    qtbot.waitUntil(lambda: notice(window).startswith("Saved "), timeout=10_000)
    assert [p.name for p in (tmp_path / "chosen").iterdir()] == ["Haiku.md"]


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_export_one_chat_from_the_chat_list(qtbot, window, tmp_path, monkeypatch):
    chat_id = build_tree(window.store)
    window.chat.sidebar.reload()
    view = window.chat.sidebar.list_view
    view.customContextMenuRequested.emit(view.visualRect(view.model().index(0, 0)).center())
    menu = window.chat.sidebar.findChild(QMenu, "conversationMenu")
    [export] = [a for a in menu.actions() if a.objectName() == "exportAction"]
    export.trigger()
    menu.close()
    dialog = window.findChild(ExportDialog)
    assert not dialog.all_button.isVisible()  # just this chat
    assert not dialog.everything()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(tmp_path / "chosen"))
    qtbot.mouseClick(dialog.findChild(QPushButton, "exportBrowse"), Qt.MouseButton.LeftButton)
    assert dialog.folder() == tmp_path / "chosen"
    dialog.accept()
    target = tmp_path / "chosen" / "排序：代码_问题_.md"
    qtbot.waitUntil(lambda: notice(window) == f"Saved {target}.", timeout=10_000)
    assert target.read_text("utf-8").startswith("# 排序：代码/问题?\n")
    assert window.store.get_conversation(chat_id).title == "排序：代码/问题?"


def test_import_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    path = write_chatgpt(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: ([str(path)], ""))
    window.actions_by_name["importChatsAction"].trigger()
    qtbot.waitUntil(lambda: notice(window) == "Imported 2 chats.", timeout=10_000)


def test_leaderboard_exports_comparisons_as_json(qtbot, tmp_path, monkeypatch, store_for_compare):
    cs = store_for_compare
    play(cs, [TargetSpec("openai", "alpha"), TargetSpec("openai", "beta")], ["代码"], [0, 1])
    view = open_view(qtbot, cs)
    target = tmp_path / "comparisons"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    with qtbot.waitSignal(view.exported) as blocker:
        qtbot.mouseClick(view.findChild(QPushButton, "exportJson"), Qt.MouseButton.LeftButton)
    assert blocker.args == [str(target) + ".json"]
    doc = json.loads((tmp_path / "comparisons.json").read_text("utf-8"))
    assert doc["format"] == "workbench-compare"
    assert len(doc["sessions"]) == 1 and len(doc["sessions"][0]["rounds"]) == 2
    assert [v["outcome"] for v in doc["votes"]] == ["best", "best"]


@pytest.fixture
def store_for_compare():
    from workbench.core.store import Store

    with Store() as store:
        yield CompareStore(store)
