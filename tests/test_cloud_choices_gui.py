"""Cloud keys without a keychain, the model a provider's picker starts on, and the Compare
page's empty state and unknown prices, in the window (pytest-qt, offscreen)."""

from __future__ import annotations

import re

import keyring
import pytest
from memkeyring import NoKeyring
from openai_fake import ALWAYS_FAILS, FakeOpenAI
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHeaderView
from test_app import make_window

from workbench.core.cloud.providers import ProviderStore
from workbench.core.compare.targets import TargetSpec
from workbench.core.store import Message
from workbench.qt.cloud import CloudSession
from workbench.qt.hub import HubSession
from workbench.ui.compare.pane import ComparePane
from workbench.ui.compare.setup import NewComparisonDialog
from workbench.ui.settings.dialog import SettingsDialog

KEY = "sk-test-NOKEYCHAIN-0123456789"


@pytest.fixture
def fake():
    server = FakeOpenAI()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def no_keychain():
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


def settings(qtbot, cloud: CloudSession, page: str, provider_id: str | None = None):
    dialog = SettingsDialog(HubSession(), None, cloud, page=page, provider_id=provider_id)
    qtbot.addWidget(dialog)
    return dialog


@pytest.mark.usefixtures("no_keychain")
def test_without_a_keychain_the_key_box_works_and_names_the_providers_own_variable(
    qtbot, workbench_home, monkeypatch
):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    provider = ProviderStore().add("custom", name="Lab box", base_url="http://127.0.0.1:9/v1")
    cloud = CloudSession()
    dialog = settings(qtbot, cloud, "providers", provider.id)
    page = dialog.providers
    dialog.show()
    qtbot.waitUntil(lambda: cloud.key_loaded(provider.id))
    # Plain words, this provider's own variable (never OPENAI_API_KEY for a custom one) …
    note = page.keychain_note.text()
    assert page.keychain_note.isVisible() and "no system keychain" in note
    assert "WORKBENCH_LAB_BOX_API_KEY" in note and "OPENAI_API_KEY" not in note
    # … the key box usable without ticking anything, and the file offered as a choice.
    assert page.key_edit.isEnabled() and page.save_key_button.isEnabled()
    assert page.file_store.isVisible() and not page.file_store.isChecked()
    assert "readable only by you" in page.file_store.text()
    assert page.error.text() == ""

    page.key_edit.setText(KEY)
    page.save_key_button.click()
    # The page says where the key went once the key job has reported (key_changed).
    qtbot.waitUntil(lambda: "until you close Workbench" in page.key_status.text())
    assert cloud.key_source(provider.id) == "session"
    assert page.key_edit.text() == ""
    assert cloud.backend(provider.id, "m")._api_key == KEY
    assert not any(KEY.encode() in p.read_bytes() for p in workbench_home.rglob("*") if p.is_file())

    # Choosing the file keeps the key across restarts (private file in the data folder).
    page.file_store.click()
    qtbot.waitUntil(lambda: "key file" in page.key_status.text())
    assert cloud.key_source(provider.id) == "file"
    assert CloudSession().keys.get(provider.id) == KEY


@pytest.mark.usefixtures("no_keychain")
def test_a_preset_names_its_own_variable_without_a_keychain(qtbot, monkeypatch):
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    provider = ProviderStore().add("deepseek")
    cloud = CloudSession()
    dialog = settings(qtbot, cloud, "providers", provider.id)
    dialog.show()
    # The keychain is found missing by the key read, a job: the note follows its answer.
    note = dialog.providers.keychain_note
    qtbot.waitUntil(lambda: "DEEPSEEK_API_KEY" in note.text(), timeout=10_000)


def test_the_chat_picker_starts_on_a_model_that_can_chat_not_the_first_name(qtbot, fake):
    provider = ProviderStore().add("custom", name="Desk server", base_url=fake.base_url)
    win = make_window(qtbot)
    try:
        panel = win.chat.source_panel
        panel.set_source(provider.id)
        # (The listing waits for the key read: slow on a loaded machine.)
        qtbot.waitUntil(lambda: panel.model_box.findText("fake-chat") >= 0, timeout=30_000)
        assert panel.model_box.itemText(0) == ALWAYS_FAILS  # listed first …
        assert panel.cloud_model() == "fake-chat"  # … and not chosen
        # The model used last wins over everything else, also after a restart.
        panel.model_box.setCurrentIndex(panel.model_box.findText("fake-reasoner"))
        panel.commit_model()
    finally:
        win.close()
    assert ProviderStore().get(provider.id).starting_model() == "fake-reasoner"


def test_an_openai_picker_starts_on_the_presets_default(qtbot, fake):
    store = ProviderStore()
    provider = store.add("openai", base_url=fake.base_url)
    provider.models = sorted(["babbage-002", "gpt-4o", "gpt-4o-mini", "dall-e-3"])
    store.update(provider)
    win = make_window(qtbot)
    try:
        panel = win.chat.source_panel
        panel.set_source(provider.id)
        assert panel.cloud_model() == "gpt-4o-mini"
    finally:
        win.close()


def test_new_comparison_starts_cloud_rows_on_a_working_model_and_names_files(
    qtbot, fake, test_model
):
    store = ProviderStore()
    provider = store.add("custom", name="Desk server", base_url=fake.base_url)
    provider.models = sorted(fake.models)
    store.update(provider)
    cloud = CloudSession()
    dialog = NewComparisonDialog(cloud, [str(test_model)])
    qtbot.addWidget(dialog)
    local, remote = dialog.rows
    assert local.model.currentText() == test_model.name.removesuffix(".gguf")
    assert local.spec().model == str(test_model)
    remote.source.setCurrentIndex(remote.source.findData(provider.id))
    assert remote.model.currentText() == "fake-chat"
    assert remote.spec() == TargetSpec(provider.id, "fake-chat", params=remote.spec().params)


def test_compare_starts_with_an_empty_state_that_leads_to_new_comparison(qtbot, monkeypatch):
    win = make_window(qtbot)
    try:
        page = win.compare
        win.pages.setCurrentWidget(page)
        qtbot.waitUntil(lambda: not page.controller.opening)
        assert page.controller.session is None
        assert page.empty.isVisible() and page.empty_new_button.isVisible()
        # Nothing to send, stop or vote on yet.
        for widget in (page.send_button, page.stop_button, page.composer, page.vote_bar):
            assert not widget.isVisible()
        asked = []
        monkeypatch.setattr(
            NewComparisonDialog, "exec", lambda self: asked.append(self) or QDialog.Rejected
        )
        qtbot.mouseClick(page.empty_new_button, Qt.MouseButton.LeftButton)
        assert len(asked) == 1
        # Once a comparison exists the empty state makes way for the panes and the composer.
        page.create_session([TargetSpec("custom", "a"), TargetSpec("custom", "b")])
        qtbot.waitUntil(lambda: page.controller.session is not None, timeout=10_000)
        assert not page.empty.isVisible()
        assert page.send_button.isVisible() and page.composer.isVisible()
    finally:
        win.close()


def answer(stats: dict) -> list[Message]:
    def message(id_: int, role: str, text: str, stats: dict) -> Message:
        return Message(
            id_, 1, role, text, "", "custom", "m", {}, stats, "complete", None, 0.0, 0.0, id_
        )

    return [message(1, "user", "Hi", {}), message(2, "assistant", "Hello", stats)]


def test_a_cloud_pane_with_an_unknown_price_says_so_and_leads_to_prices(qtbot):
    pane = ComparePane()
    qtbot.addWidget(pane)
    pane.show()
    pane.show_thread(1, "Desk server · fake-chat", answer({"completion_tokens": 5, "cost": None}))
    assert pane.price_hint.isVisible()
    assert "price unknown — " in pane.price_hint.text()
    assert "Settings › Prices" in pane.price_hint.text()
    with qtbot.waitSignal(pane.prices_requested):
        pane.price_hint.linkActivated.emit("prices")
    # A known price, a model on this computer, and a blind pane: no hint.
    pane.show_thread(1, "OpenAI · gpt", answer({"completion_tokens": 5, "cost": 0.001}))
    assert not pane.price_hint.isVisible()
    pane.show_thread(2, "SmolLM2", answer({"completion_tokens": 5}), local=True)
    assert not pane.price_hint.isVisible() and pane.figures.text().endswith("$0")
    pane.show_thread(1, "A", answer({"completion_tokens": 5}), mask=re.compile("x"))
    assert not pane.price_hint.isVisible()


def test_the_pane_link_opens_settings_on_prices(qtbot, monkeypatch):
    win = make_window(qtbot)
    opened = []
    monkeypatch.setattr(SettingsDialog, "open", lambda self: opened.append(self))
    try:
        win.compare.prices_requested.emit()
        assert len(opened) == 1
        assert opened[0].tabs.currentWidget() is opened[0].prices
    finally:
        win.close()


@pytest.mark.parametrize("width", [1024, 1366])
def test_prices_headers_are_not_clipped(qtbot, width):
    cloud = CloudSession()
    dialog = settings(qtbot, cloud, "prices")
    dialog.resize(min(dialog.width(), width - 40), 600)
    dialog.show()
    qtbot.waitExposed(dialog)
    header = dialog.prices.table.horizontalHeader()
    metrics = header.fontMetrics()
    model = dialog.prices.table.model()
    for column in range(header.count()):
        text = model.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= metrics.horizontalAdvance(text), text
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.ResizeToContents
    assert sum(header.sectionSize(c) for c in range(3)) <= dialog.prices.table.viewport().width()


def test_library_names_files_without_gguf(qtbot, test_model, workbench_home):
    import shutil

    from workbench.core import paths

    folder = paths.models_dir() / "owner" / "repo"
    folder.mkdir(parents=True)
    shutil.copy(test_model, folder / test_model.name)
    win = make_window(qtbot)
    try:
        table = win.library.table
        qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=20_000)
        assert table.item(0, 0).text() == test_model.name.removesuffix(".gguf")
        shown = win.chat.panel.model_picker
        qtbot.waitUntil(lambda: shown.count() == 1, timeout=20_000)
        assert shown.itemText(0) == table.item(0, 0).text()  # the same name on both pages
    finally:
        win.close()
