"""The window with a model file that has no chat template: the panel names the format it uses,
the model answers, a reply with no text says what to try, and a pasted template is checked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from workbench.app import create_app
from workbench.core.options import SamplingParams

EMPTY = "The model answered with nothing."


@pytest.fixture
def window(qtbot, no_template_model):
    _app, win = create_app([], model=str(no_template_model))
    qtbot.addWidget(win)
    win.resize(1366, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.chat_controller.shutdown()
    win.close()


def ask(qtbot, win, text: str) -> str:
    """Send ``text`` with the Send button; the reply's text once it has ended."""
    page, controller = win.chat, win.chat_controller
    page.composer.setPlainText(text)
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.runner is not None, timeout=10_000)
    qtbot.waitUntil(lambda: controller.runner is None, timeout=120_000)
    item = controller.messages.item(controller.messages.rowCount() - 1)
    assert item.role == "assistant" and item.state == "complete", item.error
    return item.content


def set_sampling(panel, params: SamplingParams) -> None:
    """Both sampling forms: the one in view and the expert one under Advanced (stop strings)."""
    panel.sampling_form.set_values(params)
    panel.expert_sampling_form.set_values(params)


def test_without_a_template_the_panel_names_the_format_and_the_model_answers(qtbot, window):
    panel, page = window.chat.panel, window.chat
    status = panel.prompt_format.status
    qtbot.waitUntil(lambda: "ChatML" in status.text(), timeout=30_000)
    assert status.text().startswith("When loaded: ChatML format, chosen from the model's vocab")
    assert panel.prompt_format.picker.currentData() == "auto"

    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.chat_controller.models.backend is not None, timeout=120_000)
    qtbot.waitUntil(lambda: status.text().startswith("In use:"), timeout=10_000)
    assert "ChatML format, chosen from the model's vocabulary" in status.text()
    assert status.isVisible()

    set_sampling(panel, SamplingParams(temperature=0.0, max_tokens=24))
    answer = ask(qtbot, window, "What is the capital of France?")
    assert answer.strip()
    assert not (page.banner.isVisible() and EMPTY in page.banner.text())

    # A stop string that matches the answer's first character at once: a reply with no text.
    set_sampling(panel, SamplingParams(temperature=0.0, max_tokens=24, stop=[answer.strip()[0]]))
    assert ask(qtbot, window, "What is the capital of France?").strip() == ""
    assert page.banner.isVisible()
    assert page.banner.text() == (
        "The model answered with nothing. Its prompt format may not fit: try another format "
        "in the model panel."
    )


def test_a_chosen_format_is_previewed_and_a_broken_template_stops_the_load(qtbot, window):
    panel = window.chat.panel
    pf = panel.prompt_format
    qtbot.waitUntil(lambda: "ChatML" in pf.status.text(), timeout=30_000)
    assert not pf.template_edit.isVisible()

    pf.picker.setCurrentIndex(pf.picker.findData("gemma"))
    assert pf.status.text() == "When loaded: Gemma format, as chosen."
    assert panel.load_options().chat_format == "gemma"

    pf.picker.setCurrentIndex(pf.picker.findData("custom"))
    assert pf.template_edit.isVisible()
    qtbot.keyClicks(pf.template_edit, "{% for m in messages %}{{ m.content }")
    assert panel.model_error.isVisible()
    assert "The chat template has an error on line 1" in panel.model_error.text()
    requested = []
    panel.load_requested.connect(lambda *args: requested.append(args))
    qtbot.mouseClick(panel.load_button, Qt.MouseButton.LeftButton)
    assert requested == []
    assert "error on line 1" in panel.model_error.text()

    pf.template_edit.setPlainText("{% for m in messages %}{{ m.content }}{% endfor %}")
    assert not panel.model_error.isVisible()
    assert pf.status.text() == "When loaded: your own template."
    state = panel.state()
    assert state["load"]["chat_format"] == "custom"
    assert state["load"]["chat_template"].startswith("{% for m in messages %}")
