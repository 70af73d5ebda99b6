"""Compare, blind test and leaderboard in Simplified Chinese: the core's error sentences, the
round engine's outcomes, the page, the new-comparison dialog and the leaderboard.

The CSV exports are data for other programs: their column names stay English in every language.
"""

from __future__ import annotations

import csv
import re
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from test_compare_runner import LoadingBackend, Log, ScriptedBackend, entry

from workbench.core.compare.leaderboard import (
    STANDINGS_HEADER,
    ExportError,
    standings,
    write_standings_csv,
)
from workbench.core.compare.record import open_round
from workbench.core.compare.runner import RoundRunner, run_round
from workbench.core.compare.sessions import CompareStore
from workbench.core.compare.targets import TargetError, TargetSpec, check_count, parse_target
from workbench.core.store import Store
from workbench.qt.cloud import CloudSession
from workbench.qt.compare import CompareController
from workbench.ui.chat.view import ChatView
from workbench.ui.compare.leaderboard import LeaderboardView
from workbench.ui.compare.page import ComparePage
from workbench.ui.compare.setup import NewComparisonDialog
from workbench.ui.widgets.composer import Composer

SPECS = [TargetSpec("openai", "gpt-4o"), TargetSpec("deepseek", "deepseek-chat")]
# Words that stay as they are in Chinese: names of methods, formats, file types, keys.
PROPER = {
    "Bradley",
    "Terry",
    "Elo",
    "CSV",
    "JSON",
    "Workbench",
    "GGUF",
    "gguf",
    "Token",
    "Shift",
    "Enter",
}


@pytest.fixture
def compare_store(tmp_path):
    store = Store(tmp_path / "workbench.db")
    yield CompareStore(store)
    store.close()


def english_words(text: str, allowed: set[str] = PROPER) -> list[str]:
    """Latin words of three letters or more that are not names we keep (markup left out)."""
    text = re.sub(r"<[^>]*>", "", text)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in allowed]


def widget_texts(root: QWidget, *, skip: tuple[type, ...] = ()) -> list[str]:
    """What ``root``'s labels, buttons and fields say: text, tooltip, placeholder, accessible
    name; ``skip``: widgets of these kinds and what is inside them (other pages' widgets)."""
    out = []
    others = [w for w in root.findChildren(QWidget) if isinstance(w, skip)]
    for w in [root, *root.findChildren(QWidget)]:
        if any(o is w or o.isAncestorOf(w) for o in others):
            continue
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QLineEdit | QPlainTextEdit):
            out.append(w.placeholderText())
        out += [w.toolTip(), w.accessibleName()]
    return [t for t in out if t]


# -- core ------------------------------------------------------------------------------------


def test_target_and_session_errors_are_chinese(zh, compare_store):
    with pytest.raises(TargetError) as bad_target:
        parse_target("qwen2.5")
    assert str(bad_target.value) == (
        "对比模型应写作 local:PATH 或 PROVIDER:MODEL（例如 openai:gpt-4o-mini），而不是 'qwen2.5'。"
    )
    with pytest.raises(TargetError, match=r"^对比需要 2 到 4 个模型，但给出了 1 个。$"):
        check_count(SPECS[:1])
    with pytest.raises(ValueError, match=r"^请为提示词集命名。$"):
        compare_store.save_prompt_set("  ", ["你好"])
    with pytest.raises(ValueError, match=r"^提示词集至少需要一个提示词。$"):
        compare_store.save_prompt_set("中文", ["  "])
    with pytest.raises(KeyError) as gone:
        compare_store.get_session(999)
    assert gone.value.args[0] == "对比 999 已不存在。"
    session = compare_store.create_session("测试", SPECS)
    rnd = compare_store.add_round(session.id, "你好")
    with pytest.raises(ValueError, match=r"^只有“最佳”投票需要指明胜者，而且必须指明。$"):
        compare_store.record_vote(rnd.id, "best")


def test_a_failed_export_is_one_chinese_sentence_and_csv_columns_stay_english(
    zh, compare_store, tmp_path
):
    session = compare_store.create_session("盲测", SPECS, blind=True, tags=["中文"])
    targets = compare_store.targets(session.id)
    rnd = compare_store.add_round(session.id, "写一首诗", blind=True)
    compare_store.record_vote(rnd.id, "best", targets[0].id)
    rows = standings(compare_store.votes())

    target = tmp_path / "gone" / "ratings.csv"
    with pytest.raises(ExportError) as failed:
        write_standings_csv(rows, target)
    message = str(failed.value)
    assert message.startswith(f"Workbench 无法保存 {target}（")
    assert message.endswith("），请选择其他文件夹后重试。")
    assert not target.exists()

    written = tmp_path / "ratings.csv"
    write_standings_csv(rows, written)
    with open(written, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert tuple(header) == STANDINGS_HEADER  # data for other programs: English keys


def test_round_outcomes_are_chinese(zh):
    log = Log()

    class Broken(ScriptedBackend):
        def start_reply(self, messages, params):
            raise RuntimeError("boom")

    broken_load = LoadingBackend("local", log, load_error=RuntimeError("disk gone"))
    results = run_round(
        [
            entry(Broken("broken", log)),
            entry(broken_load, local=True),
            entry(ScriptedBackend("fine", log)),
        ]
    )
    assert results[0].error == "此模型意外出错（boom），详情请查看日志文件。"
    assert results[1].error == "无法加载模型（disk gone），详情请查看日志文件。"
    assert results[2].ok

    cancel = threading.Event()
    cancel.set()  # cancelled before anything began
    runner = RoundRunner([entry(ScriptedBackend("late", log))], cancel_event=cancel)
    [late] = runner.run()
    assert late.stopped and late.error == "这一轮在此模型开始回复前被取消。"


# -- window ----------------------------------------------------------------------------------


@pytest.fixture
def page(qtbot, zh_qt, tmp_path):
    store = Store(tmp_path / "page.db")
    cloud = CloudSession()
    controller = CompareController(store, cloud)
    page = ComparePage(controller, cloud)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    qtbot.waitExposed(page)
    yield page
    controller.shutdown()
    qtbot.waitUntil(lambda: controller.jobs.pending() == 0)
    store.close()


def answered_round(page: ComparePage, prompt: str) -> None:
    """A blind round every target answered, stored as the engine would."""
    compare = page.controller.compare
    session_id = page.controller.session.id
    targets = compare.targets(session_id)
    rnd, questions = open_round(compare, session_id, prompt, targets, fresh=True, blind=True)
    for q in questions:
        answer = compare.store.add_message(
            q.target.conversation_id, "assistant", f"{prompt}：回答", parent_id=q.parent_id
        )
        compare.set_answer(rnd.id, q.target.id, answer.id)


def test_compare_page_blind_vote_and_table_in_chinese(qtbot, page):
    c = page.controller
    qtbot.waitUntil(lambda: c.jobs.pending() == 0)
    # Before any comparison: the empty state.
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "回复",
        "表格",
        "提示词集",
        "排行榜",
    ]
    assert page.empty_new_button.text() == "新对比…"
    assert english_words("\n".join(widget_texts(page.sidebar))) == []

    page.create_session(SPECS, title="盲测一", blind=True, tags=["中文"])
    qtbot.waitUntil(lambda: c.session is not None and not c.opening)
    answered_round(page, "你好")
    c.open_session(None)
    qtbot.waitUntil(lambda: c.session is None and not c.opening)
    session_id = page.sessions.session_at(0).id
    c.open_session(session_id)
    qtbot.waitUntil(lambda: c.session is not None and not c.opening)

    assert page.sessions.data(page.sessions.index(0, 0)) == "盲测一（盲测）"
    assert page.summary.text() == "2 个模型，投票后揭晓 · 中文"
    assert page.vote_bar.vote_question.text() == "哪个回复更好？"
    assert [b.text() for b in page.vote_bar.vote_buttons] == ["A 更好", "B 更好"]
    assert (page.tie_button.text(), page.bad_button.text()) == ("平局", "都不好")
    header = [page.review.headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
    assert header == ["提示词", "回复 1", "回复 2", "投票"]
    cell = page.review.data(page.review.index(0, 1))
    assert cell.startswith(("A：", "B："))
    assert page.review.data(page.review.index(0, 3)) == "未投票"
    # The panes' chat views and the message box are the chat page's widgets, checked there.
    shown = widget_texts(page, skip=(ChatView, Composer))
    shown += [pane.visible_text() for pane in page.panes]
    shown += [
        str(page.review.data(page.review.index(0, col), role) or "")
        for col in range(page.review.columnCount())
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    ]
    assert english_words("\n".join(shown)) == [], shown

    with qtbot.waitSignal(page.vote_recorded, timeout=10_000):
        qtbot.mouseClick(page.vote_bar.vote_buttons[0], Qt.MouseButton.LeftButton)
    reveal = page.reveal.text()
    assert reveal.startswith("你选择了 A。A 是 ") and "；B 是 " in reveal and reveal.endswith("。")
    assert page.review.data(page.review.index(0, 3)).startswith("最佳：")


def test_new_comparison_dialog_in_chinese(qtbot, zh_qt):
    dialog = NewComparisonDialog(CloudSession(), [])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "新对比"
    assert dialog.add_button.text() == "添加模型"
    row = dialog.rows[0]
    assert row.source.itemText(0) == "本机"
    assert (row.more.text(), row.remove.text()) == ("更多…", "移除")
    texts = [t for t in widget_texts(dialog) if t not in ("OK", "Cancel")]
    assert english_words("\n".join(texts)) == [], texts
    dialog.accept()  # the rows are empty
    assert dialog.error.text() == "请在每一行选择模型，或删除空行。"


def test_leaderboard_in_chinese(qtbot, zh_qt, compare_store, tmp_path, monkeypatch):
    session = compare_store.create_session("s", SPECS, blind=True, tags=["编程"])
    targets = compare_store.targets(session.id)
    for n in range(3):
        rnd = compare_store.add_round(session.id, f"问题 {n}", blind=True)
        compare_store.record_vote(rnd.id, "best", targets[0].id)
    view = LeaderboardView(compare_store)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.jobs.pending() == 0)

    model = view.proxy
    headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headers == ["模型", "评分", "95% 区间", "胜", "负", "平", "对局"]
    assert view.summary.text() == "2 个模型之间的 3 次投票"
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip == "参与了 3 次投票"
    assert english_words("\n".join(widget_texts(view))) == []

    target = tmp_path / "gone" / "votes.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    with qtbot.waitSignal(view.export_failed):
        qtbot.mouseClick(view.findChild(QPushButton, "exportVotes"), Qt.MouseButton.LeftButton)
    assert view.status.text().startswith(f"Workbench 无法保存 {target}（")
