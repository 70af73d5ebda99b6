"""One column of the compare view: a target's thread, its figures, Stop and Regenerate.

In a blind round the pane is titled only with its letter, shows no figures, and every name that
could identify its model is masked in the text, the reasoning and any error
(:mod:`workbench.core.compare.blind`); while a blind answer streams, the word being written is
held back until it is complete, so a name never flashes up half-masked.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.compare.blind import redact
from workbench.core.store import Message
from workbench.qt.message_model import MessageItem, MessageListModel, figures_text
from workbench.ui.chat.view import ChatView
from workbench.ui.widgets.elided_label import ElidedLabel

_WORD_END = re.compile(r"[\s.,;:!?，。；：！？、)\]}\"'`]")


class ComparePane(QFrame):
    """Signals:
    stop_requested(int): target id.
    regenerate_requested(int): target id.
    prices_requested(): the user asked to set a price (Settings › Prices).
    """

    stop_requested = Signal(int)
    regenerate_requested = Signal(int)
    prices_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparePane")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.target_id = 0
        self.local = False
        self._mask: re.Pattern[str] | None = None  # set while the pane is blind
        self._raw: dict[int, list[str]] = {}  # message id → [text, reasoning] as streamed
        self._streaming_row = -1

        self.title = ElidedLabel(objectName="paneTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.status = QLabel(objectName="paneStatus")
        self.figures = ElidedLabel(objectName="paneFigures")
        # A cloud reply whose model has no price in the table: say so, and where to set it.
        self.price_hint = QLabel(objectName="panePriceHint")
        self.price_hint.setTextFormat(Qt.TextFormat.RichText)
        self.price_hint.setWordWrap(True)
        self.price_hint.setText(
            self.tr("price unknown — <a href='prices'>set it in Settings › Prices</a>")
        )
        self.price_hint.setVisible(False)
        self.price_hint.linkActivated.connect(lambda _link: self.prices_requested.emit())
        self.stop_button = QPushButton(self.tr("Stop"), objectName="paneStop")
        self.regenerate_button = QPushButton(self.tr("Regenerate"), objectName="paneRegenerate")
        self.stop_button.clicked.connect(lambda: self.stop_requested.emit(self.target_id))
        self.regenerate_button.clicked.connect(
            lambda: self.regenerate_requested.emit(self.target_id)
        )
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.status)
        top.addWidget(self.regenerate_button)
        top.addWidget(self.stop_button)

        self.messages = MessageListModel(self)
        self.view = ChatView(self)
        self.view.setModel(self.messages)
        # Only what makes sense for one side of a comparison; Edit/Delete act on a chat.
        self.view.allowed_actions = {"copy", "toggle-reasoning"}
        self.view.action_triggered.connect(self._on_action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.figures)
        layout.addWidget(self.price_hint)
        layout.addWidget(self.view, 1)
        self.set_running(False)

    def _on_action(self, action: str, row: int) -> None:
        if not 0 <= row < self.messages.rowCount():
            return
        item = self.messages.item(row)
        if action == "copy":
            # What is shown: in a blind pane, the masked text.
            QGuiApplication.clipboard().setText(item.content)
        elif action == "toggle-reasoning":
            self.messages.update_item(row, reasoning_open=not item.reasoning_open)

    # -- content ----------------------------------------------------------------------------------

    def show_thread(
        self,
        target_id: int,
        title: str,
        messages: list[Message],
        *,
        mask: re.Pattern[str] | None = None,
        tooltip: str = "",
        local: bool = False,
    ) -> None:
        """Show ``messages`` under ``title``; with ``mask`` the pane is blind. ``local``: the
        model runs on this computer (its cost is shown as $0)."""
        self.target_id = target_id
        self.local = local
        self._mask = mask
        self._raw = {m.id: [m.content, m.reasoning] for m in messages}
        self.title.setText(title)
        self.title.setToolTip(tooltip)
        self.setAccessibleName(self.tr("Answer {name}").format(name=title))
        self.messages.set_items([self._item(m) for m in messages])
        self._streaming_row = -1
        last = messages[-1] if messages else None
        shown = last is not None and last.role == "assistant" and mask is None
        # Figures would give a blind pane away (a cost means a cloud model, speeds differ).
        self.set_figures(last.stats if shown else None)
        self.status.setText("")

    def _item(self, m: Message) -> MessageItem:
        blind = self._mask is not None
        return MessageItem(
            id=m.id,
            role=m.role,
            content=self._shown(m.content, streaming=m.state == "streaming"),
            reasoning=self._shown(m.reasoning, streaming=m.state == "streaming"),
            model=self.title.text() if blind else m.model,
            stats={} if blind else m.stats,
            state=m.state,
            # Why an answer failed says what kind of model it was ("the model process
            # stopped", "rate limit"): a blind pane says only that it failed.
            error=(
                self.tr("This answer failed; why is shown after the vote.") if blind else m.error
            )
            if m.state == "error"
            else None,
            parent_id=None,  # no Regenerate link inside the view: the pane has its own button
        )

    def _shown(self, text: str, *, streaming: bool) -> str:
        if self._mask is None or not text:
            return text
        if streaming:
            # Hold back the word still being written until it is complete.
            ends = [m.end() for m in _WORD_END.finditer(text)]
            text = text[: ends[-1]] if ends else ""
        return redact(text, self._mask)

    def add_message(self, message: Message) -> None:
        """Append a stored message (the next question) below the thread."""
        self._raw[message.id] = [message.content, message.reasoning]
        self.messages.append_item(self._item(message))

    def start_message(self, message: Message) -> None:
        """A reply began streaming in this pane; a regenerated one replaces the answer shown."""
        items = self.messages.items()
        if len(items) >= 2 and items[-1].role == "assistant" and items[-2].id == message.parent_id:
            self.messages.truncate(len(items) - 1)
        self._raw[message.id] = ["", ""]
        self._streaming_row = self.messages.append_item(self._item(message))

    def append(self, text: str, reasoning: str) -> None:
        row = self._streaming_row
        if row < 0:
            return
        item = self.messages.item(row)
        if self._mask is None:
            self.messages.append_text(row, text, reasoning)
            return
        raw = self._raw.setdefault(item.id, ["", ""])
        raw[0] += text
        raw[1] += reasoning
        self.messages.update_item(
            row,
            content=self._shown(raw[0], streaming=True),
            reasoning=self._shown(raw[1], streaming=True),
        )

    def end_message(self, message: Message) -> None:
        """The reply ended: show it as stored (final state, error, figures)."""
        row = self.messages.row_of(message.id)
        self._raw[message.id] = [message.content, message.reasoning]
        item = self._item(message)
        if row < 0:
            self.messages.append_item(item)
        else:
            self.messages.update_item(
                row,
                content=item.content,
                reasoning=item.reasoning,
                stats=item.stats,
                state=item.state,
                error=item.error,
            )
        self._streaming_row = -1
        self.set_figures(None if self._mask is not None else message.stats)

    def set_figures(self, stats: dict | None) -> None:
        if stats and self.local and stats.get("cost") is None:
            stats = {**stats, "cost": 0.0}  # nothing to pay on this computer: "$0"
        self.figures.setText(figures_text(stats) if stats else "")
        # Only a reply that used tokens has a cost to miss; a blind pane gets no stats at all.
        unknown = bool(stats) and stats.get("completion_tokens") and stats.get("cost") is None
        self.price_hint.setVisible(bool(unknown))

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def set_running(self, running: bool, *, can_regenerate: bool = False) -> None:
        self.stop_button.setEnabled(running)
        self.regenerate_button.setEnabled(not running and can_regenerate)
        self.view.busy = running

    def visible_text(self) -> str:
        """Everything the pane shows, for checks that nothing gives a target away."""
        parts = [self.title.text(), self.title.toolTip(), self.status.text(), self.figures.text()]
        if self.price_hint.isVisibleTo(self):
            parts.append(self.price_hint.text())
        for item in self.messages.items():
            parts += [item.content, item.reasoning, item.error or "", item.model or ""]
            parts.append(figures_text(item.stats))
        return "\n".join(parts)
