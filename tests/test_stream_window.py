"""The window under a fast stream: coalesced updates, scrolling without relayouts, exact text.

A paced test backend stands in for a fast model (a GPU sends five to twenty times more text per
second than the test model here); the window, its controller, runner, model and view are real.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication
from screen import on_screen, settle
from test_markdown import REPLY, signature

from workbench.app import create_app
from workbench.core.backend import Backend, Error, Event, Reply, Stats, TextDelta
from workbench.core.options import SamplingParams
from workbench.qt import workers
from workbench.qt.message_model import MessageItem, MessageRoles, figures_parts
from workbench.qt.workers import ReplyRunner
from workbench.ui.chat import view as view_module
from workbench.ui.render.markdown import MarkdownRenderer, SafeDocument


def pieces_of(text: str, count: int, seed: int = 1) -> list[str]:
    """``text`` repeated and cut into ``count`` small pieces (1 to 8 characters, like tokens)."""
    rng = random.Random(seed)
    sizes = [rng.randint(1, 8) for _ in range(count)]
    source = text * (sum(sizes) // len(text) + 1)
    pieces, at = [], 0
    for size in sizes:
        pieces.append(source[at : at + size])
        at += size
    return pieces


class PacedReply(Reply):
    def __init__(self, pieces: list[str], per_second: float) -> None:
        self._pieces = pieces
        self._per_second = per_second
        self._cancelled = threading.Event()

    def __iter__(self) -> Iterator[Event]:
        start = time.perf_counter()
        for i, piece in enumerate(self._pieces):
            delay = start + i / self._per_second - time.perf_counter()
            if delay > 0.001 and self._cancelled.wait(delay):
                yield Stats(finish_reason="cancelled")
                return
            yield TextDelta(piece)
        yield Stats(completion_tokens=len(self._pieces))

    def cancel(self) -> None:
        self._cancelled.set()


class PacedBackend(Backend):
    """Answers with ``pieces`` at ``per_second`` pieces a second (on a fixed clock)."""

    source = "local"

    def __init__(self, pieces: list[str], per_second: float = 2000.0) -> None:
        self.pieces = pieces
        self.per_second = per_second

    @property
    def model_name(self) -> str:
        return "paced"

    def start_reply(self, messages, params: SamplingParams) -> Reply:
        return PacedReply(self.pieces, self.per_second)

    def unload(self) -> None:
        """What the model controller calls to end a local model's process."""


@pytest.fixture
def window(qtbot):
    _app, win = create_app([])
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def send(qtbot, win, backend: Backend, text: str = "Tell me everything.") -> None:
    win.chat_controller.models.backend = backend  # as if loaded
    win.chat.composer.setPlainText(text)
    win.chat.send()
    assert win.chat_controller.runner is not None


def last_row(win) -> QModelIndex:
    model = win.chat_controller.messages
    return model.index(model.rowCount() - 1, 0)


def test_a_fast_stream_arrives_whole_in_far_fewer_updates_than_pieces(qtbot, window):
    pieces = pieces_of(REPLY, 2000)
    changes: list[int] = []
    window.chat_controller.messages.dataChanged.connect(lambda *_: changes.append(1))
    send(qtbot, window, PacedBackend(pieces, per_second=2000))
    qtbot.waitUntil(lambda: window.chat_controller.runner is None, timeout=30_000)

    expected = "".join(pieces)
    reply = last_row(window).data(MessageRoles.Item)
    assert (reply.content, reply.state) == (expected, "complete")
    saved = window.store.thread(window.chat_controller.conversation_id)[-1]
    assert (saved.content, saved.state) == (expected, "complete")
    # Text is coalesced by time (a flush every FLUSH_INTERVAL_MS), not passed on per piece.
    assert len(changes) < len(pieces) / 10


def test_the_runner_turns_a_burst_into_one_batch(qtbot):
    class Burst(Reply):
        def __iter__(self) -> Iterator[Event]:
            yield from (TextDelta(p) for p in pieces)
            yield Stats(completion_tokens=len(pieces))

        def cancel(self) -> None:
            pass

    pieces = pieces_of(REPLY, 5000, seed=2)
    runner = ReplyRunner(Burst())
    batches: list[str] = []
    runner.text_received.connect(lambda text, _reasoning: batches.append(text))
    with qtbot.waitSignal(runner.reply_finished, timeout=10_000):
        runner.start()
    assert "".join(batches) == "".join(pieces)
    assert 1 <= len(batches) <= 5  # 5,000 pieces at once: one batch, a few under load


def test_a_long_streamed_reply_renders_as_its_complete_text_does(qtbot, window, monkeypatch):
    """No drift from incremental rendering: the streamed document equals one rendered whole."""
    restarts: list[str] = []
    original = MarkdownRenderer.set_text

    def counting_set_text(self, text: str) -> None:
        restarts.append(text)
        original(self, text)

    monkeypatch.setattr(MarkdownRenderer, "set_text", counting_set_text)
    pieces = pieces_of(REPLY, 3000, seed=3)
    send(qtbot, window, PacedBackend(pieces, per_second=3000))
    qtbot.waitUntil(lambda: window.chat_controller.runner is None, timeout=30_000)

    item = last_row(window).data(MessageRoles.Item)
    streamed = window.chat.view.delegate.rendered(item).body
    assert restarts == []  # built by appends all along, never rendered again from scratch
    whole = SafeDocument()
    original(MarkdownRenderer(whole), item.content)
    assert streamed.toPlainText() == whole.toPlainText()
    assert signature(streamed) == signature(whole)


def test_following_a_long_stream_scrolls_without_a_layout_per_update(qtbot, window):
    view = window.chat.view
    bar = view.verticalScrollBar()
    # Layouts asked for once the reply scrolls: each one lays out the whole list and repaints
    # the whole viewport.
    layouts: list[int] = []
    view.delegate.sizeHintChanged.connect(lambda *_: bar.maximum() > 0 and layouts.append(1))
    changes: list[int] = []
    window.chat_controller.messages.dataChanged.connect(lambda *_: changes.append(1))
    pieces = pieces_of("A line of streamed text, long enough to wrap once or twice.\n\n", 2000)
    send(qtbot, window, PacedBackend(pieces, per_second=500))
    at_bottom: list[bool] = []
    while window.chat_controller.runner is not None:
        qtbot.wait(20)
        # Check the view as it is painted: a layout asked for runs before the next paint.
        QApplication.sendPostedEvents()
        view.executeDelayedItemsLayout()
        at_bottom.append(bar.value() == bar.maximum())
        if bar.maximum() > 0:
            # The scroll range ends at the reply's last line, not below it.
            index = last_row(window)
            item = index.data(MessageRoles.Item)
            if item.streaming:
                height = view.delegate.streaming_height(item)
                bottom = view.visualRect(index).top() + height
                assert bottom - view.viewport().height() == bar.maximum() - bar.value()
    assert bar.maximum() > 5 * view.viewport().height()  # it did scroll, a long way
    assert all(at_bottom)
    # About a layout per screenful the reply grows (its row has room for that much), not per
    # update. A batch can outgrow the room (the runner sends bigger batches when the window is
    # slow), which costs one more layout for that screenful: hence twice the screenfuls.
    screens = bar.maximum() / view.viewport().height()
    assert len(layouts) <= 2 * screens + 3 and len(layouts) < len(changes)
    # Once complete, the reply's row is exactly as tall as the message: no room left below.
    qtbot.wait(50)
    index = last_row(window)
    rect = view.visualRect(index)
    assert view.contentsSize().height() - (rect.top() + view.verticalOffset()) == rect.height()
    assert bar.value() == bar.maximum()
    assert rect.bottom() + 1 == view.viewport().height()


LONG_PARAGRAPH = " ".join(
    f"Sentence {i} of a paragraph that never ends, as small models write them." for i in range(90)
)


@pytest.mark.parametrize("text", ["markdown", "one long paragraph"])
def test_partial_repaints_while_following_match_a_full_repaint(qtbot, window, text):
    """Scrolling moves the pixels on screen and paints only what changed: the screen must
    still equal a full repaint, through paragraphs, lists, code blocks and a table, and
    through one paragraph of many lines that only grows (repainted from its old last line)."""
    messages = window.chat_controller.messages
    messages.append_item(MessageItem(id=30_001, role="user", content="hi"))
    row = messages.append_item(MessageItem(id=30_002, role="assistant", state="streaming"))
    view = window.chat.view
    viewport = view.viewport()

    if text == "markdown":
        pieces, per_update = pieces_of(REPLY * 2, 160, seed=4), 4
    else:
        pieces, per_update = pieces_of(LONG_PARAGRAPH, 1200, seed=4), 20
    batches = ["".join(pieces[i : i + per_update]) for i in range(0, len(pieces), per_update)]
    mismatches, scrolled = [], 0
    for i, batch in enumerate(batches):
        before = view.verticalScrollBar().value()
        messages.append_text(row, batch)
        settle(qtbot)
        scrolled += view.verticalScrollBar().value() != before
        streamed = on_screen(window, viewport)
        viewport.repaint()
        if on_screen(window, viewport) != streamed:
            mismatches.append(i)
    assert scrolled > 5  # the scrolling path was taken
    assert mismatches == []


def test_highlighting_is_loaded_off_the_gui_thread(qtbot, monkeypatch):
    threads: list[threading.Thread] = []
    monkeypatch.setattr(view_module, "warm_up", lambda: threads.append(threading.current_thread()))
    monkeypatch.setattr(view_module, "WARM_UP_DELAY_MS", 0)
    monkeypatch.setattr(view_module, "_warm_up_started", False)
    view = view_module.ChatView()
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: bool(threads), timeout=5_000)
    assert threads[0] is not threading.main_thread()
    second = view_module.ChatView()  # once per process, not once per view
    qtbot.addWidget(second)
    qtbot.wait(50)
    assert len(threads) == 1


def test_a_failed_stream_keeps_its_text_and_loses_its_room(qtbot, window):
    class Failing(PacedBackend):
        def start_reply(self, messages, params):
            inner = PacedReply(self.pieces, self.per_second)

            class Broken(Reply):
                def __iter__(self) -> Iterator[Event]:
                    yield from (e for e in inner if isinstance(e, TextDelta))
                    yield Error("The connection ended in the middle of a reply.", "stream_cut")

                def cancel(self) -> None:
                    inner.cancel()

            return Broken()

    pieces = pieces_of("Some text that fills the screen line after line.\n\n", 1500)
    with qtbot.waitSignal(window.chat_controller.reply_failed, timeout=30_000):
        send(qtbot, window, Failing(pieces, per_second=3000))
    qtbot.wait(50)
    view = window.chat.view
    index = last_row(window)
    item = index.data(MessageRoles.Item)
    assert (item.content, item.state) == ("".join(pieces), "error")
    rect = view.visualRect(index)
    assert view.contentsSize().height() - (rect.top() + view.verticalOffset()) == rect.height()
    assert view.verticalScrollBar().value() == view.verticalScrollBar().maximum()
    assert index.data(Qt.ItemDataRole.DisplayRole) == item.content


@pytest.mark.parametrize("window_width", [1024, 700, 1600])
def test_the_figures_line_is_never_cut(qtbot, window, window_width):
    """At any window width each figure shows whole: beside the actions when the line has room,
    else wrapped between figures on lines of their own, inside the message."""
    stats = {
        "completion_tokens": 1234,
        "tokens_per_s": 98.7,
        "ttft_s": 0.12,
        "cost": 0.0012,
        "dropped_messages": 4,
    }
    messages = window.chat_controller.messages
    messages.append_item(MessageItem(id=40_001, role="user", content="hi"))
    row = messages.append_item(
        MessageItem(id=40_002, role="assistant", content="Hello.", parent_id=40_001, stats=stats)
    )
    window.resize(window_width, 700)
    settle(qtbot)
    view = window.chat.view
    index = messages.index(row, 0)
    item = index.data(MessageRoles.Item)

    def laid_out():
        rect = view.visualRect(index)
        r = view.delegate.rendered(item)
        return rect, view.delegate.layout(item, r, rect.top(), view.viewport().width())

    # The row is laid out with the lines the figures take (once the view's layout has run).
    qtbot.waitUntil(lambda: laid_out()[1].height == laid_out()[0].height(), timeout=5_000)
    rect, lay = laid_out()
    fm = QFontMetrics(view.font())
    parts = figures_parts(stats)

    # Every figure in order, each number whole (a figure wider than the message wraps between
    # its words).
    def words(text: str) -> list[str]:
        return [word for word in text.split() if word != "·"]

    assert words(" ".join(text for _area, text in lay.figures)) == words(" ".join(parts))
    for _area, text in lay.figures[1:]:
        assert not text.startswith("·")
    for area, text in lay.figures:
        assert fm.horizontalAdvance(text) <= area.width()
        assert area.left() >= lay.footer.left() and area.right() <= lay.footer.right()
        assert area.bottom() < rect.top() + lay.height
    one_line = fm.horizontalAdvance(" · ".join(parts)) + lay.actions[-1][1].right() + 16
    if one_line <= lay.footer.right():
        assert [area.top() for area, _ in lay.figures] == [lay.footer.top()]
    else:
        assert len(lay.figures) >= 2 and lay.figures[0][0].top() > lay.footer.top()


@pytest.mark.parametrize(("cost", "interval"), [(0.001, 50), (0.015, 150), (0.04, 250)])
def test_the_runner_spaces_batches_out_when_updates_cost_more(qtbot, monkeypatch, cost, interval):
    """Updating the window takes at most a tenth of the time: batches come every 50 ms while an
    update is cheap, further apart as it costs more, and never more than 250 ms apart."""
    now = [0.0]
    monkeypatch.setattr(workers, "clock", lambda: now[0])  # an update costs what we say
    pieces = pieces_of(REPLY, 300, seed=5)
    runner = ReplyRunner(PacedReply(pieces, per_second=600))
    batches: list[str] = []

    def update(text: str, _reasoning: str) -> None:
        batches.append(text)
        now[0] += cost

    runner.text_received.connect(update)
    with qtbot.waitSignal(runner.reply_finished, timeout=20_000):
        runner.start()
    assert "".join(batches) == "".join(pieces)
    assert runner.interval_ms == interval
