"""The language choice in Settings › General: the entries, the restart note, Restart now, and
the command that starts Workbench again over the same data folder."""

from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMenuBar
from test_app import make_window

from workbench import app as app_module
from workbench.core import i18n
from workbench.core.settings import load_settings, save_settings
from workbench.qt import i18n as qt_i18n
from workbench.qt.single_instance import LOCK_FILE_NAME
from workbench.ui.settings.dialog import SettingsDialog


@pytest.fixture
def english():
    """Whatever a test switches to, the next one starts in English again."""
    qt_i18n.apply_language("en")
    yield
    qt_i18n.apply_language("en")


def open_dialog(qtbot, win) -> SettingsDialog:
    dialog = SettingsDialog(win.session, win, win.cloud)
    qtbot.addWidget(dialog)
    return dialog


def test_restart_command_from_source_and_frozen(tmp_path):
    home = tmp_path / "data"
    assert app_module.restart_command(frozen=False, executable="/py", home=home) == [
        "/py",
        "-m",
        "workbench",
        "--home",
        str(home),
    ]
    assert app_module.restart_command(frozen=True, executable="/app/Workbench", home=home) == [
        "/app/Workbench",
        "--home",
        str(home),
    ]


def test_restart_command_defaults_to_this_python_and_data_folder(workbench_home, monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert app_module.restart_command() == [
        sys.executable,
        "-m",
        "workbench",
        "--home",
        str(workbench_home),
    ]


def test_restart_environment_keeps_only_the_language_this_process_was_given(monkeypatch):
    # set_language wrote the language in use; the new process must decide afresh.
    environ = {"PATH": "/bin", i18n.ENV_VAR: "zh_CN", "WORKBENCH_HOME": "/data"}
    monkeypatch.setattr(i18n, "inherited_language", lambda: None)
    env = app_module.restart_environment(environ)
    assert i18n.ENV_VAR not in env
    assert env["PATH"] == "/bin" and env["WORKBENCH_HOME"] == "/data"
    monkeypatch.setattr(i18n, "inherited_language", lambda: "en")
    assert app_module.restart_environment(environ)[i18n.ENV_VAR] == "en"


def test_start_again_spawns_the_command(workbench_home):
    calls = []
    assert app_module.start_again(lambda cmd, **kw: calls.append((cmd, kw)))
    ((command, options),) = calls
    assert command == app_module.restart_command()
    assert options["env"] == app_module.restart_environment()


def test_start_again_that_fails_says_so(capsys):
    def refuse(_command, **_options):
        raise FileNotFoundError(2, "No such file or directory")

    assert not app_module.start_again(refuse)
    err = capsys.readouterr().err
    assert "could not start again" in err and "No such file or directory" in err


def test_combo_offers_the_system_then_every_catalogue_by_its_own_name(qtbot, english):
    win = make_window(qtbot)
    dialog = open_dialog(qtbot, win)
    combo = dialog.language.combo
    codes = i18n.available_languages()
    assert combo.count() == 1 + len(codes)
    assert combo.itemData(0) is None
    assert combo.itemText(0).startswith("Follow the system (")
    for row, code in enumerate(codes, start=1):
        assert combo.itemData(row) == code
        assert combo.itemText(row) == i18n.language_name(code)
    assert "English" in [combo.itemText(i) for i in range(combo.count())]
    assert dialog.language.choice() is None  # nothing chosen yet: follow the system


def test_choosing_another_language_says_it_applies_after_a_restart(qtbot, english):
    win = make_window(qtbot)
    dialog = open_dialog(qtbot, win)
    box = dialog.language
    assert not box.note.isVisibleTo(dialog) and not box.restart_button.isVisibleTo(dialog)
    box.combo.setCurrentIndex(box.combo.findData("zh_CN"))
    lines = box.note.text().splitlines()
    # The new language first, then the window's own.
    assert lines == [
        "重新启动 Workbench 后将使用新的语言。",
        "Workbench shows the new language after a restart.",
    ]
    assert box.note.isVisibleTo(dialog) and box.restart_button.isVisibleTo(dialog)
    assert box.needs_restart()
    box.combo.setCurrentIndex(box.combo.findData("en"))
    assert not box.note.isVisibleTo(dialog) and not box.needs_restart()


def test_ok_saves_the_choice_and_follow_the_system_saves_none(qtbot, english):
    win = make_window(qtbot)
    dialog = open_dialog(qtbot, win)
    dialog.language.combo.setCurrentIndex(dialog.language.combo.findData("zh_CN"))
    dialog.accept()
    assert load_settings().language == "zh_CN"
    dialog = open_dialog(qtbot, win)
    assert dialog.language.choice() == "zh_CN"
    dialog.language.combo.setCurrentIndex(0)
    dialog.accept()
    assert load_settings().language is None
    assert not win.restart_requested  # OK alone never restarts


def test_restart_now_saves_closes_and_asks_for_the_restart(qtbot, english):
    win = make_window(qtbot)
    dialog = win._open_settings()
    qtbot.addWidget(dialog)
    dialog.language.combo.setCurrentIndex(dialog.language.combo.findData("zh_CN"))
    with qtbot.waitSignal(dialog.restart_requested, timeout=5_000):
        dialog.language.restart_button.click()
    assert load_settings().language == "zh_CN"
    assert win.restart_requested
    assert not win.isVisible() and not dialog.isVisible()


def test_restart_now_with_an_unusable_setting_keeps_the_dialog(qtbot, english):
    win = make_window(qtbot)
    dialog = win._open_settings()
    qtbot.addWidget(dialog)
    dialog.custom.setChecked(True)
    dialog.custom_url.setText("not an address")
    dialog.language.combo.setCurrentIndex(dialog.language.combo.findData("zh_CN"))
    dialog.language.restart_button.click()
    assert dialog.isVisible() and dialog.endpoint_error.isVisibleTo(dialog)
    assert not win.restart_requested and win.isVisible()


def test_main_starts_again_after_releasing_the_data_folder(qtbot, workbench_home, monkeypatch):
    """app.main: the window asks for a restart, the event loop ends, the single-instance lock
    is released, and only then is the new process started."""
    seen = []

    class Window:
        restart_requested = False

        def bring_to_front(self, _model=""):
            pass

        def show(self):
            pass

    window = Window()

    def exec_():
        window.restart_requested = True
        return 0

    monkeypatch.setattr(
        app_module, "create_app", lambda *_a, **_k: (types.SimpleNamespace(exec=exec_), window)
    )

    def spawn(command, **options):
        lock = QLockFile(str(workbench_home / LOCK_FILE_NAME))
        seen.append((command, lock.tryLock(0)))
        lock.unlock()

    assert app_module.main(spawn=spawn) == 0
    assert seen == [(app_module.restart_command(), True)]


def test_choosing_chinese_then_restarting_shows_the_window_in_chinese(qtbot, english):
    win = make_window(qtbot)
    dialog = win._open_settings()
    qtbot.addWidget(dialog)
    dialog.language.combo.setCurrentIndex(dialog.language.combo.findData("zh_CN"))
    dialog.language.restart_button.click()
    assert win.restart_requested
    # What create_app does in the new process, before any widget.
    settings = load_settings()
    assert qt_i18n.apply_language(qt_i18n.chosen_language(settings.language)) == "zh_CN"
    again = make_window(qtbot)
    try:
        menus = [a.text() for a in again.findChild(QMenuBar, "menuBar").actions()]
        assert menus == ["文件(&F)", "编辑(&E)", "视图(&V)", "模型(&M)", "帮助(&H)"]
        tabs = [again.pages.tabText(i) for i in range(again.pages.count())]
        assert tabs == ["对话", "对比", "发现", "模型库"]
        assert again.settings_button.text() == "设置"
        chinese = open_dialog(qtbot, again)
        assert chinese.language.choice() == "zh_CN"
        assert not chinese.language.note.isVisibleTo(chinese)  # nothing left to restart for
    finally:
        again.close()
        settings.language = None
        save_settings(settings)
