"""The chat window in Simplified Chinese, and Chinese input methods in its text boxes.

The language is chosen for real: the core catalogue and Qt's translators (``apply_language``),
or the window's language setting before the window is made; English comes back after each test.
Input methods are driven with Qt's own ``QInputMethodEvent``: a preedit string while pinyin is
being composed, a commit string once a candidate is chosen.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFocusEvent, QInputMethodEvent
from PySide6.QtWidgets import QApplication

from workbench.core.backend import Reply, Stats
from workbench.core.settings import load_settings, save_settings
from workbench.core.store import Store
from workbench.qt.chat import ChatController, ReplySettings
from workbench.qt.cloud import CloudSession
from workbench.qt.i18n import apply_language
from workbench.qt.message_model import LEFT_OUT, MessageItem, figures_text
from workbench.qt.workers import ReplyRunner
from workbench.ui.chat.gpu_layers import loaded_sentence
from workbench.ui.chat.sidebar import Sidebar
from workbench.ui.render.markdown import MarkdownRenderer, SafeDocument
from workbench.ui.widgets.composer import Composer
from workbench.ui.widgets.options_form import stop_help

SEARCH_TIMEOUT_MS = 5000


@pytest.fixture
def store():
    with Store() as s:
        yield s


def preedit(widget, text: str) -> None:
    """An input method shows ``text`` under the cursor (composing, nothing committed)."""
    QApplication.sendEvent(widget, QInputMethodEvent(text, []))


def commit(widget, text: str) -> None:
    """An input method commits ``text`` (a candidate was chosen); the preedit ends."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


# -- input methods ------------------------------------------------------------------------------


def test_enter_while_composing_confirms_and_does_not_send(qtbot):
    composer = Composer()
    qtbot.addWidget(composer)
    composer.show()
    qtbot.waitExposed(composer)
    composer.setFocus()
    sent = []
    composer.send_requested.connect(lambda: sent.append(composer.toPlainText()))
    composer.setPlainText("问题：")
    composer.moveCursor(composer.textCursor().MoveOperation.End)

    preedit(composer, "nihao")
    assert composer.is_composing()
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.keyClick(composer, Qt.Key.Key_Enter)
    assert sent == [] and composer.toPlainText() == "问题："  # no send, no new line

    commit(composer, "你好")
    assert not composer.is_composing()
    assert composer.toPlainText() == "问题：你好"
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent == ["问题：你好"]


def test_a_composition_dropped_by_losing_focus_lets_enter_send_again(qtbot):
    composer = Composer()
    qtbot.addWidget(composer)
    sent = []
    composer.send_requested.connect(lambda: sent.append(True))
    preedit(composer, "ni")
    preedit(composer, "")  # the input method cancelled the composition
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent == [True]
    preedit(composer, "hao")
    composer.focusOutEvent(QFocusEvent(QFocusEvent.Type.FocusOut, Qt.FocusReason.OtherFocusReason))
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent == [True, True]


def test_the_chat_search_box_takes_committed_chinese_and_finds_the_chat(qtbot, store):
    store.add_message(store.create_conversation("Physics").id, "user", "量子计算的未来")
    store.add_message(store.create_conversation("Cooking").id, "user", "How to bake bread")
    sidebar = Sidebar(store)
    qtbot.addWidget(sidebar)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    box = sidebar.search_box
    box.setFocus()

    preedit(box, "liangzi")
    assert box.text() == ""  # pinyin under the cursor is not a search yet
    with qtbot.waitSignal(sidebar.filter_model.search_finished, timeout=SEARCH_TIMEOUT_MS):
        commit(box, "量子")
    assert box.text() == "量子"
    model = sidebar.filter_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Physics"]


# -- sentences in Chinese -----------------------------------------------------------------------


def test_reply_figures_are_chinese_with_locale_numbers(zh_qt):
    stats = {"completion_tokens": 1234, "tokens_per_s": 98.14, "ttft_s": 0.123}
    assert figures_text(stats) == "1,234 个 Token · 98.1 Token/秒 · 首 Token 用时 0.12 秒"
    assert figures_text({"dropped_messages": 3}) == "已省略最早的 3 条消息"
    assert figures_text({LEFT_OUT: True}) == "最新回复时已省略"


def test_where_the_layers_went_is_chinese(zh_qt):
    class Info:
        gpu_layers, gpu_tried, total_layers, gpu_retried = 24, 24, 31, False

    assert loaded_sentence(Info()) == "31 层中的 24 层在 GPU 上。"
    Info.gpu_layers = 31
    assert loaded_sentence(Info()) == "全部 31 层都在 GPU 上。"
    Info.gpu_layers = 0
    assert loaded_sentence(Info()) == "在 CPU 上运行。"


def test_rendered_replies_and_stop_words_help_are_chinese(zh_qt):
    doc = SafeDocument()
    renderer = MarkdownRenderer(doc)
    renderer.set_text("![猫](https://example.com/cat.png)\n\n```python\nprint(1)\n```\n")
    text = doc.toPlainText()
    assert "[图片：猫]" in text and "复制" in text
    assert "用逗号分隔" in stop_help()


def test_a_reply_that_breaks_inside_says_so_in_chinese(qtbot, zh_qt):
    class Broken(Reply):
        def __iter__(self):
            raise RuntimeError("boom")
            yield Stats()

        def cancel(self) -> None:
            """Nothing runs."""

    runner = ReplyRunner(Broken())
    with qtbot.waitSignal(runner.reply_failed, timeout=5_000) as failed:
        runner.start()
    assert failed.args[0].message == "回复因内部错误而中止：boom"


def test_sending_without_a_model_asks_for_one_in_chinese(qtbot, zh_qt, store):
    chat = ChatController(store, CloudSession())
    try:
        with qtbot.waitSignal(chat.source_needed) as needed:
            assert not chat.send("你好", ReplySettings())
        assert needed.args[0] == "请先加载模型：在右侧面板中选择一个模型，然后点击“加载”。"
    finally:
        chat.shutdown()


@pytest.fixture
def zh_window(qtbot):
    """The whole window, made with the language setting at Simplified Chinese."""
    from workbench.app import create_app

    settings = load_settings()
    settings.language = "zh_CN"
    save_settings(settings)
    _app, win = create_app([])
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    apply_language("en")


def test_the_chat_page_speaks_chinese(qtbot, zh_window):
    page = zh_window.chat
    assert page.composer.placeholderText() == "输入消息 —— Enter 发送，Shift+Enter 换行"
    assert page.sidebar.search_box.placeholderText() == "搜索对话"
    # A real refusal of the page: a message with no model chosen.
    page.composer.setPlainText("你好")
    page.send()
    assert page.banner.isVisible()
    assert page.banner.text() == "请先选择模型：在右侧面板中选一个，或到“发现”页面查找。"
    assert page.composer.toPlainText() == "你好"


def test_message_notices_and_actions_are_chinese(qtbot, zh_window):
    view = zh_window.chat.view
    delegate = view.delegate
    failed = MessageItem(id=1, role="assistant", state="cancelled", parent_id=None)
    assert delegate._notice(failed) == "已停止。"
    labels = [label for _name, label in delegate._footer_parts(failed)]
    assert labels == ["复制", "删除"]
    thought = MessageItem(
        id=2, role="assistant", content="好", reasoning="嗯", stats={"reasoning_s": 3.2}
    )
    assert delegate._toggle_text(thought) == "▸ 思考了 3 秒"
