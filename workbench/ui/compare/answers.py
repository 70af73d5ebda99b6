"""The Compare page's Answers tab: the panes side by side, the vote bar, the batch bar and the
box that sends one message to every model. Layout only; the page drives it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.compare.vote_bar import VoteBar
from workbench.ui.widgets.composer import Composer, composer_row
from workbench.ui.widgets.elided_label import ElidedLabel

#: the widgets the page uses by name
PARTS = (
    "title",
    "summary",
    "blind_box",
    "notice",
    "pane_splitter",
    "empty",
    "empty_new_button",
    "vote_bar",
    "tie_button",
    "bad_button",
    "reveal",
    "next_vote",
    "batch_bar",
    "batch_label",
    "batch_progress",
    "batch_cancel",
    "composer",
    "send_button",
    "stop_button",
)


class AnswersTab(QWidget):
    """The widgets of the Answers tab (see :data:`PARTS`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareAnswers")
        self.title = ElidedLabel(objectName="compareTitleLabel")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = ElidedLabel(objectName="compareSummary")
        self.blind_box = QCheckBox(self.tr("Blind"), objectName="compareBlindBox")
        self.blind_box.setToolTip(
            self.tr("Show the answers as A, B, … in a random order until you vote")
        )
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.blind_box)
        self.notice = QLabel(objectName="compareNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.pane_splitter = QSplitter(Qt.Orientation.Horizontal, objectName="comparePanes")
        self.pane_splitter.setChildrenCollapsible(False)
        self.empty = self._empty_state()

        self.vote_bar = VoteBar(self)
        self.tie_button = self.vote_bar.tie_button
        self.bad_button = self.vote_bar.bad_button
        self.reveal = QLabel(objectName="voteReveal")
        self.reveal.setWordWrap(True)
        self.reveal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_vote = QPushButton(self.tr("Next round to vote on"), objectName="nextVote")

        self.batch_bar = QWidget(objectName="batchBar")
        bb = QHBoxLayout(self.batch_bar)
        bb.setContentsMargins(0, 0, 0, 0)
        self.batch_label = QLabel(objectName="batchLabel")
        self.batch_progress = QProgressBar(objectName="batchProgress")
        self.batch_cancel = QPushButton(self.tr("Cancel"), objectName="batchCancel")
        bb.addWidget(self.batch_label)
        bb.addWidget(self.batch_progress, 1)
        bb.addWidget(self.batch_cancel)
        self.batch_bar.setVisible(False)

        self.composer = Composer(self)
        self.composer.setObjectName("compareComposer")
        self.composer.setPlaceholderText(
            self.tr("Ask every model the same thing — Enter sends, Shift+Enter adds a line")
        )
        self.send_button = QPushButton(self.tr("Send to all"), objectName="compareSend")
        self.stop_button = QPushButton(self.tr("Stop all"), objectName="compareStop")
        bottom = composer_row(self.composer, self.send_button, self.stop_button)

        av = QVBoxLayout(self)
        av.setContentsMargins(6, 6, 6, 6)
        av.addLayout(header)
        av.addWidget(self.summary)
        av.addWidget(self.notice)
        av.addWidget(self.empty, 1)
        av.addWidget(self.pane_splitter, 1)
        av.addWidget(self.vote_bar)
        reveal_row = QHBoxLayout()
        reveal_row.addWidget(self.reveal, 1)
        reveal_row.addWidget(self.next_vote)
        av.addLayout(reveal_row)
        av.addWidget(self.batch_bar)
        av.addLayout(bottom)

    def _empty_state(self) -> QWidget:
        """Before any comparison: what Compare does, and the one button that starts one."""
        empty = QWidget(objectName="compareEmpty")
        heading = QLabel(self.tr("Compare models side by side"), objectName="compareEmptyTitle")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        heading.setFont(font)
        text = QLabel(
            self.tr(
                "Ask 2 to 4 models the same question — models on this computer, cloud models, "
                "or both — and read their answers side by side. Blind mode hides the names "
                "until you vote, and your votes build a leaderboard."
            ),
            objectName="compareEmptyText",
        )
        text.setWordWrap(True)
        self.empty_new_button = QPushButton(
            self.tr("New comparison…"), objectName="compareEmptyNew"
        )
        self.empty_new_button.setDefault(True)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A column of readable width in the middle; a wrapped label laid out with an alignment
        # flag would get too little height, so the centring comes from stretches.
        column = QWidget()
        column.setMaximumWidth(560)
        inner = QVBoxLayout(column)
        inner.addWidget(heading)
        inner.addWidget(text)
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.empty_new_button)
        button_row.addStretch(1)
        inner.addLayout(button_row)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(column, 4)
        middle.addStretch(1)
        layout = QVBoxLayout(empty)
        layout.addStretch(1)
        layout.addLayout(middle)
        layout.addStretch(2)
        return empty
