"""The sidebar and its conversation models, against the real Store (a fresh database per test)."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QWidget,
)

from workbench.core.store import Store
from workbench.qt.conversation_model import (
    ConversationFilterModel,
    ConversationListModel,
    ConversationRoles,
)
from workbench.ui.chat.sidebar import Sidebar

SEARCH_TIMEOUT_MS = 5000


@pytest.fixture
def store():
    with Store() as store:
        yield store


@pytest.fixture
def chats(store) -> dict[str, int]:
    """Three chats, oldest first: Alpha, Beta, Gamma; the searched words are only in messages."""
    alpha = store.create_conversation("Alpha")
    store.add_message(alpha.id, "user", "Tell me about the zebrafish genome")
    beta = store.create_conversation("Beta")
    store.add_message(beta.id, "user", "我们昨天讨论了量子计算的未来")
    gamma = store.create_conversation("Gamma")
    store.add_message(gamma.id, "user", "Plain words only")
    return {"Alpha": alpha.id, "Beta": beta.id, "Gamma": gamma.id}


@pytest.fixture
def sidebar(qtbot, store, chats) -> Sidebar:
    widget = Sidebar(store)
    qtbot.addWidget(widget)
    widget.resize(300, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def titles(model) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def ids(model) -> list[int]:
    return [model.index(row, 0).data(ConversationRoles.Id) for row in range(model.rowCount())]


def type_search(qtbot, sidebar: Sidebar, text: str) -> None:
    with qtbot.waitSignal(sidebar.filter_model.search_finished, timeout=SEARCH_TIMEOUT_MS):
        sidebar.search_box.setText(text)


def click_row(qtbot, view: QListView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# -- models ------------------------------------------------------------------------------------


def test_list_model_is_newest_first_and_passes_the_model_tester(qtmodeltester, store, chats):
    model = ConversationListModel(store)
    qtmodeltester.check(model)
    assert titles(model) == ["Gamma", "Beta", "Alpha"]
    index = model.index(0, 0)
    assert index.data(Qt.ItemDataRole.EditRole) == "Gamma"
    assert index.data(ConversationRoles.Id) == chats["Gamma"]
    gamma = store.get_conversation(chats["Gamma"])
    assert index.data(ConversationRoles.UpdatedAt) == gamma.updated_at
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("Gamma\n") and len(tooltip.splitlines()) == 2
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable

    # A new message in the oldest chat moves it to the top (a move, not a reset).
    store.add_message(chats["Alpha"], "user", "more")
    alpha = store.get_conversation(chats["Alpha"])
    with SignalSpy(model.rowsMoved) as moved, SignalSpy(model.modelReset) as reset:
        model.upsert(alpha.id, "Alpha renamed", alpha.updated_at)
    assert moved and not reset
    assert titles(model) == ["Alpha renamed", "Gamma", "Beta"]
    # Moving down, to the middle, and staying in place.
    model.upsert(chats["Gamma"], "Gamma", 0.5)
    assert titles(model) == ["Alpha renamed", "Beta", "Gamma"]
    model.upsert(chats["Gamma"], "Gamma", store.get_conversation(chats["Beta"]).updated_at + 1e-3)
    assert titles(model) == ["Alpha renamed", "Gamma", "Beta"]
    model.upsert(chats["Gamma"], "Gamma 2", model.index(1, 0).data(ConversationRoles.UpdatedAt))
    assert titles(model) == ["Alpha renamed", "Gamma 2", "Beta"]
    # A new chat, inserted at the top; then removals.
    model.upsert(999, "New", time.time() + 10)
    assert titles(model) == ["New", "Alpha renamed", "Gamma 2", "Beta"]
    model.remove(chats["Gamma"])
    model.remove(12345)  # unknown: nothing happens
    assert titles(model) == ["New", "Alpha renamed", "Beta"]
    assert [model.row_of(i) for i in (999, chats["Alpha"], chats["Beta"], chats["Gamma"])] == [
        0,
        1,
        2,
        -1,
    ]
    qtmodeltester.check(model)


class SignalSpy:
    """Collects a signal's emissions inside a ``with`` block."""

    def __init__(self, signal) -> None:
        self.signal = signal
        self.calls: list[tuple] = []

    def _record(self, *args) -> None:
        self.calls.append(args)

    def __enter__(self) -> list[tuple]:
        self.signal.connect(self._record)
        return self.calls

    def __exit__(self, *exc_info) -> None:
        self.signal.disconnect(self._record)


def test_set_data_renames_in_the_store(store, chats):
    model = ConversationListModel(store)
    index = model.index(model.row_of(chats["Beta"]), 0)
    with SignalSpy(model.dataChanged) as changed:
        assert model.setData(index, "  Quantum  ", Qt.ItemDataRole.EditRole)
    assert changed
    assert index.data() == "Quantum"
    assert store.get_conversation(chats["Beta"]).title == "Quantum"
    # Empty titles are refused and change nothing.
    assert not model.setData(index, "   ", Qt.ItemDataRole.EditRole)
    assert store.get_conversation(chats["Beta"]).title == "Quantum"
    # A chat deleted elsewhere cannot be renamed; the model says so instead of raising.
    store.delete_conversation(chats["Beta"])
    store.purge_deleted()
    with SignalSpy(model.rename_failed) as failed:
        assert not model.setData(index, "Ghost", Qt.ItemDataRole.EditRole)
    assert failed and failed[0][0] == chats["Beta"]


def test_filter_model_passes_the_model_tester(qtbot, qtmodeltester, store, chats):
    model = ConversationListModel(store)
    proxy = ConversationFilterModel(store)
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    with qtbot.waitSignal(proxy.search_finished, timeout=SEARCH_TIMEOUT_MS) as finished:
        proxy.set_query("zebrafish")
    assert finished.args == [1]
    assert titles(proxy) == ["Alpha"]
    # Source changes while filtering: a non-matching new chat stays hidden, a removal of the
    # match empties the view.
    model.upsert(999, "New", time.time() + 10)
    assert titles(proxy) == ["Alpha"]
    model.remove(chats["Alpha"])
    assert proxy.rowCount() == 0
    with qtbot.waitSignal(proxy.search_finished, timeout=SEARCH_TIMEOUT_MS) as finished:
        proxy.set_query("")
    assert finished.args == [3]
    assert titles(proxy) == ["New", "Gamma", "Beta"]
    qtmodeltester.check(proxy)


def test_ten_thousand_conversations_load_fast(qtbot, store, record_property):
    now = time.time()
    with store._write() as conn:
        conn.executemany(
            "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
            ((f"Chat {i}", now - 100_000 + i, now - 100_000 + i) for i in range(10_000)),
        )
    start = time.perf_counter()
    model = ConversationListModel(store)
    load_s = time.perf_counter() - start
    record_property("load_10k_s", load_s)
    print(f"\n10,000 conversations loaded into the model in {load_s * 1000:.1f} ms")

    assert model.rowCount() == 10_000
    assert model.index(0, 0).data() == "Chat 9999"
    assert model.index(9999, 0).data() == "Chat 0"
    oldest = model.index(9999, 0).data(ConversationRoles.Id)
    assert model.row_of(oldest) == 9999
    model.upsert(oldest, "Chat 0, again", now + 1)
    assert model.row_of(oldest) == 0
    assert model.index(0, 0).data() == "Chat 0, again"
    # The id → row map stayed in step with every shifted row.
    assert all(model.row_of(model.id_at(row)) == row for row in range(model.rowCount()))

    # The sidebar over them: uniform item sizes, and a filter over 10k rows.
    start = time.perf_counter()
    widget = Sidebar(store)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    show_s = time.perf_counter() - start
    record_property("sidebar_10k_s", show_s)
    print(f"Sidebar with 10,000 conversations shown in {show_s * 1000:.1f} ms")
    assert widget.list_view.uniformItemSizes()
    widget.select(oldest)
    assert widget.current_id() == oldest
    type_search(qtbot, widget, '"Chat 99"')
    # "Chat 99", "Chat 990".."Chat 999", "Chat 9900".."Chat 9999": 1 + 10 + 100.
    assert widget.filter_model.rowCount() == 111


# -- search ------------------------------------------------------------------------------------


def test_search_finds_words_only_in_messages_including_chinese(qtbot, sidebar, chats):
    proxy = sidebar.filter_model
    assert titles(proxy) == ["Gamma", "Beta", "Alpha"]
    qtbot.keyClicks(sidebar.search_box, "zebra")
    qtbot.waitUntil(lambda: titles(proxy) == ["Alpha"], timeout=SEARCH_TIMEOUT_MS)
    assert not sidebar.no_matches_label.isVisibleTo(sidebar)

    type_search(qtbot, sidebar, "量子计算")  # trigram index
    assert ids(proxy) == [chats["Beta"]]
    type_search(qtbot, sidebar, "量子")  # two characters: the LIKE path
    assert ids(proxy) == [chats["Beta"]]
    type_search(qtbot, sidebar, "gamma")  # titles match too, case-insensitively
    assert ids(proxy) == [chats["Gamma"]]

    type_search(qtbot, sidebar, "nothing-like-this")
    assert proxy.rowCount() == 0
    assert sidebar.no_matches_label.isVisibleTo(sidebar)
    assert sidebar.no_matches_label.text() == "No chats match"

    # Clearing applies at once, without a search.
    sidebar.search_box.clear()
    assert titles(proxy) == ["Gamma", "Beta", "Alpha"]
    assert not sidebar.no_matches_label.isVisibleTo(sidebar)


def test_typing_is_debounced_into_one_search(qtbot, store, chats):
    proxy = ConversationFilterModel(store)
    proxy.setSourceModel(ConversationListModel(store, proxy))
    with SignalSpy(proxy.search_started) as started:
        with qtbot.waitSignal(proxy.search_finished, timeout=SEARCH_TIMEOUT_MS):
            for text in ("z", "ze", "zeb", "zebr", "zebra"):
                proxy.set_query(text)
        qtbot.wait(proxy.DEBOUNCE_MS + 50)
    assert len(started) == 1
    assert titles(proxy) == ["Alpha"]


def test_stale_search_results_are_dropped(qtbot, store, chats, monkeypatch):
    proxy = ConversationFilterModel(store)
    proxy.setSourceModel(ConversationListModel(store, proxy))
    real_search = store.search
    release_old = threading.Event()
    old_running = threading.Event()
    found: dict[str, frozenset[int]] = {}

    def search(query: str, *, limit: int = 50):
        if query == "zebrafish":
            old_running.set()
            assert release_old.wait(10)
        result = list(real_search(query, limit=limit))
        found[query] = frozenset(c.id for c in result)
        return result

    monkeypatch.setattr(store, "search", search)

    with qtbot.waitSignal(proxy.search_started, timeout=SEARCH_TIMEOUT_MS):
        proxy.set_query("zebrafish")  # blocks in the worker until released
    # The job may start a moment after the signal; a job superseded before it started never
    # searches at all. This test is about a result that arrives late, so let it start.
    assert old_running.wait(10)
    with qtbot.waitSignal(proxy.search_finished, timeout=SEARCH_TIMEOUT_MS):
        proxy.set_query("量子")
    assert ids(proxy) == [chats["Beta"]]

    # The older query's result arrives last and must not replace the newer one.
    with SignalSpy(proxy.search_finished) as finished:
        release_old.set()
        # is_searching stays true until the late result has come back (and been dropped).
        qtbot.waitUntil(lambda: not proxy.is_searching, timeout=SEARCH_TIMEOUT_MS)
    assert found["zebrafish"] == frozenset({chats["Alpha"]})
    assert not finished
    assert ids(proxy) == [chats["Beta"]]
    assert not proxy.is_searching


def test_search_result_arriving_after_the_query_was_cleared_is_dropped(
    qtbot, store, chats, monkeypatch
):
    proxy = ConversationFilterModel(store)
    proxy.setSourceModel(ConversationListModel(store, proxy))
    real_search = store.search
    release = threading.Event()

    def search(query: str, *, limit: int = 50):
        assert release.wait(10)
        return real_search(query, limit=limit)

    monkeypatch.setattr(store, "search", search)
    with qtbot.waitSignal(proxy.search_started, timeout=SEARCH_TIMEOUT_MS):
        proxy.set_query("zebrafish")
    proxy.set_query("")
    assert proxy.rowCount() == 3
    release.set()
    # is_searching stays true until the late result has come back (and been dropped).
    qtbot.waitUntil(lambda: not proxy.is_searching, timeout=SEARCH_TIMEOUT_MS)
    assert proxy.rowCount() == 3 and not proxy.is_filtering


# -- selection ---------------------------------------------------------------------------------


def test_selection_emits_conversation_selected_once_per_change(qtbot, sidebar, chats):
    view = sidebar.list_view
    with SignalSpy(sidebar.conversation_selected) as selected:
        click_row(qtbot, view, 1)
        click_row(qtbot, view, 1)  # the same row again: no change
    assert selected == [(chats["Beta"],)]
    assert sidebar.current_id() == chats["Beta"]

    view.setFocus()
    with SignalSpy(sidebar.conversation_selected) as selected:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert selected == [(chats["Alpha"],)]

    # A search that hides the current chat does not pick another one for the user.
    with SignalSpy(sidebar.conversation_selected) as selected:
        type_search(qtbot, sidebar, "量子")
        sidebar.search_box.clear()
    assert selected == []
    assert sidebar.current_id() == chats["Alpha"]
    assert view.currentIndex().data(ConversationRoles.Id) == chats["Alpha"]


def test_tabbing_into_the_list_opens_no_chat(qtbot, sidebar, chats):
    view = sidebar.list_view
    sidebar.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is sidebar)
    with SignalSpy(sidebar.conversation_selected) as selected:
        view.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(view.hasFocus)
    # Qt makes the first row current (not selected) on first focus; that is no choice.
    assert selected == []
    assert sidebar.current_id() is None
    with SignalSpy(sidebar.conversation_selected) as selected:
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert len(selected) == 1
    assert selected[0][0] == sidebar.current_id() == view.currentIndex().data(ConversationRoles.Id)


def test_ctrl_click_cannot_unselect_the_shown_chat(qtbot, sidebar, chats):
    view = sidebar.list_view
    click_row(qtbot, view, 0)
    rect = view.visualRect(view.model().index(0, 0))
    with SignalSpy(sidebar.conversation_selected) as selected:
        qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            rect.center(),
        )
    assert selected == []
    assert view.selectionModel().isSelected(view.model().index(0, 0))


def test_select_scrolls_and_clears_a_hiding_search(qtbot, sidebar, store, chats):
    type_search(qtbot, sidebar, "zebrafish")
    with SignalSpy(sidebar.conversation_selected) as selected:
        sidebar.select(chats["Gamma"])
    assert selected == []  # the caller already shows it
    assert sidebar.search_box.text() == ""
    assert sidebar.current_id() == chats["Gamma"]
    assert sidebar.list_view.currentIndex().data() == "Gamma"
    assert sidebar.list_view.selectionModel().isSelected(sidebar.list_view.currentIndex())

    # A chat created after the list loaded is fetched and listed.
    new = store.create_conversation("Brand new")
    sidebar.select(new.id)
    assert sidebar.current_id() == new.id
    assert titles(sidebar.filter_model)[0] == "Brand new"


def test_conversation_changed_moves_the_chat_to_the_top(sidebar, store, chats):
    sidebar.select(chats["Alpha"])
    store.add_message(chats["Alpha"], "assistant", "reply")
    alpha = store.get_conversation(chats["Alpha"])
    sidebar.conversation_changed(alpha.id, "Zebrafish genome", alpha.updated_at)
    assert titles(sidebar.filter_model) == ["Zebrafish genome", "Gamma", "Beta"]
    assert sidebar.current_id() == chats["Alpha"]
    assert sidebar.list_view.currentIndex().row() == 0
    new = store.create_conversation("Fresh")
    sidebar.conversation_changed(new.id, new.title, new.updated_at)
    assert titles(sidebar.filter_model)[0] == "Fresh"


def test_new_chat_button_requests_a_new_chat(qtbot, sidebar):
    button = sidebar.findChild(QPushButton, "newChatButton")
    with qtbot.waitSignal(sidebar.new_chat_requested, timeout=1000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# -- rename ------------------------------------------------------------------------------------


def test_f2_renames_inline_and_persists(qtbot, sidebar, store, chats):
    view = sidebar.list_view
    click_row(qtbot, view, 1)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "Beta"
    editor.setText("  Quantum computing  ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.viewport().findChild(QLineEdit) is None)
    assert store.get_conversation(chats["Beta"]).title == "Quantum computing"
    assert view.currentIndex().data() == "Quantum computing"
    assert titles(sidebar.filter_model) == ["Gamma", "Quantum computing", "Alpha"]


def test_double_click_opens_the_editor_and_empty_titles_are_refused(qtbot, sidebar, store, chats):
    view = sidebar.list_view
    rect = view.visualRect(view.model().index(2, 0))
    # QTest sends only the double-click event; a real one starts with a press.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.setText("   ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.viewport().findChild(QLineEdit) is None)
    assert store.get_conversation(chats["Alpha"]).title == "Alpha"
    assert view.model().index(2, 0).data() == "Alpha"


# -- delete and undo ---------------------------------------------------------------------------


def test_delete_key_then_undo_restores_in_place(qtbot, sidebar, store, chats):
    view = sidebar.list_view
    click_row(qtbot, view, 1)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    with (
        SignalSpy(sidebar.conversation_deleted) as deleted,
        SignalSpy(sidebar.conversation_selected) as selected,
    ):
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert deleted == [(chats["Beta"],)]
    assert selected == []  # no other chat is opened for the user
    assert titles(sidebar.filter_model) == ["Gamma", "Alpha"]
    assert store.get_conversation(chats["Beta"]).deleted_at is not None
    assert sidebar.current_id() is None
    bar = sidebar.findChild(QWidget, "undoBar")
    assert bar.isVisibleTo(sidebar)
    assert sidebar.undo_label.text() == "Deleted “Beta”."

    with (
        SignalSpy(sidebar.conversation_restored) as restored,
        SignalSpy(sidebar.conversation_selected) as selected,
    ):
        qtbot.mouseClick(bar.findChild(QPushButton, "undoButton"), Qt.MouseButton.LeftButton)
    assert restored == [(chats["Beta"],)]
    assert selected == [(chats["Beta"],)]
    assert titles(sidebar.filter_model) == ["Gamma", "Beta", "Alpha"]
    assert view.currentIndex().data() == "Beta"
    assert sidebar.current_id() == chats["Beta"]
    assert store.get_conversation(chats["Beta"]).deleted_at is None
    assert not bar.isVisibleTo(sidebar)


def test_undo_bar_timeout_purges(qtbot, sidebar, store, chats, monkeypatch):
    monkeypatch.setattr(Sidebar, "UNDO_SECONDS", 0.2)
    sidebar.delete(chats["Gamma"])
    assert sidebar.undo_bar.isVisibleTo(sidebar)
    qtbot.waitUntil(lambda: not sidebar.undo_bar.isVisibleTo(sidebar), timeout=3000)
    with pytest.raises(KeyError):
        store.get_conversation(chats["Gamma"])
    assert titles(sidebar.filter_model) == ["Beta", "Alpha"]
    assert store.get_conversation(chats["Beta"]).deleted_at is None


def test_deleting_another_chat_finalises_the_first(sidebar, store, chats):
    sidebar.delete(chats["Gamma"])
    sidebar.delete(chats["Alpha"])
    with pytest.raises(KeyError):
        store.get_conversation(chats["Gamma"])
    assert store.get_conversation(chats["Alpha"]).deleted_at is not None
    assert sidebar.undo_label.text() == "Deleted “Alpha”."
    sidebar.undo_delete()
    assert titles(sidebar.filter_model) == ["Beta", "Alpha"]


def test_a_pending_delete_ignores_late_updates_until_undone(sidebar, store, chats):
    sidebar.delete(chats["Gamma"])
    # A reply that was still being saved into the deleted chat reports in.
    sidebar.conversation_changed(chats["Gamma"], "Gamma, titled", time.time())
    assert "Gamma, titled" not in titles(sidebar.filter_model)
    sidebar.undo_delete()
    assert "Gamma" in titles(sidebar.filter_model)


# The offscreen platform cannot raise windows or grab the keyboard for a popup menu.
@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_context_menu_renames_and_deletes(qtbot, sidebar, store, chats):
    view = sidebar.list_view
    pos = view.visualRect(view.model().index(0, 0)).center()

    def open_menu() -> QMenu:
        view.customContextMenuRequested.emit(pos)
        menu = sidebar.findChild(QMenu, "conversationMenu")
        assert menu is not None
        assert [a.text() for a in menu.actions()] == ["Rename", "Export…", "Delete"]
        return menu

    # A menu closes itself before it triggers the chosen action.
    menu = open_menu()
    rename = menu.actions()[0]
    menu.close()
    rename.trigger()
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None and editor.text() == "Gamma"
    editor.setText("Gamma renamed")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on a queued call.
    qtbot.waitUntil(lambda: view.viewport().findChild(QLineEdit) is None)
    assert store.get_conversation(chats["Gamma"]).title == "Gamma renamed"

    qtbot.waitUntil(lambda: sidebar.findChild(QMenu, "conversationMenu") is None)
    menu = open_menu()
    delete = menu.actions()[2]
    menu.close()
    delete.trigger()
    assert titles(sidebar.filter_model) == ["Beta", "Alpha"]
    assert sidebar.undo_bar.isVisibleTo(sidebar)
    # A click outside every row opens no menu.
    view.customContextMenuRequested.emit(QPoint(5, view.viewport().height() - 2))
    qtbot.waitUntil(lambda: sidebar.findChild(QMenu, "conversationMenu") is None)


# -- accessibility -----------------------------------------------------------------------------


def test_every_control_has_an_accessible_name(sidebar, chats):
    sidebar.delete(chats["Beta"])  # shows the undo bar and its button
    named = {
        "newChatButton": QPushButton,
        "conversationSearch": QLineEdit,
        "conversationList": QListView,
        "undoButton": QPushButton,
        "undoBar": QWidget,
    }
    for name, kind in named.items():
        widget = sidebar.findChild(kind, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    assert sidebar.findChild(QLineEdit, "conversationSearch").placeholderText() == "Search chats"
    assert sidebar.findChild(QPushButton, "newChatButton").text() == "New chat"
    # Every control, the search box's clear button included, has a name for screen readers.
    controls = [
        w
        for w in sidebar.findChildren(QWidget)
        if isinstance(w, (QAbstractButton, QLineEdit, QAbstractItemView))
    ]
    assert len(controls) >= 5
    for widget in controls:
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface.text(QAccessible.Text.Name), widget


def test_current_index_is_cleared_when_the_shown_chat_is_filtered_out(qtbot, sidebar, chats):
    sidebar.select(chats["Gamma"])
    type_search(qtbot, sidebar, "zebrafish")
    assert sidebar.list_view.currentIndex() == QModelIndex()
    assert not sidebar.list_view.selectionModel().hasSelection()
    assert QApplication.instance() is not None
