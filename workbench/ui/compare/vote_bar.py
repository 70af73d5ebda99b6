"""The bar under blind answers: "A is better", "Tie", "Both bad"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from workbench.core.compare.blind import letters
from workbench.core.compare.sessions import StoredVote


class VoteBar(QWidget):
    """One button per pane letter, Tie and All bad.

    Signals:
        voted(str, int): the outcome (``best``, ``tie``, ``all_bad``) and, for ``best``, the
            pane's index (else -1).
    """

    voted = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("voteBar")
        vb = QHBoxLayout(self)
        vb.setContentsMargins(0, 0, 0, 0)
        self.vote_question = QLabel(self.tr("Which answer is better?"), objectName="voteQuestion")
        vb.addWidget(self.vote_question)
        self.vote_buttons: list[QPushButton] = []
        self.vote_layout = vb
        self.tie_button = QPushButton(self.tr("Tie"), objectName="voteTie")
        self.bad_button = QPushButton(self.tr("Both bad"), objectName="voteBad")
        vb.addStretch(1)
        vb.addWidget(self.tie_button)
        vb.addWidget(self.bad_button)
        self.tie_button.clicked.connect(lambda: self.voted.emit("tie", -1))
        self.bad_button.clicked.connect(lambda: self.voted.emit("all_bad", -1))

    def set_count(self, count: int) -> None:
        """One "is better/best" button per pane."""
        for b in self.vote_buttons:
            self.vote_layout.removeWidget(b)
            b.setParent(None)  # gone now, not at the next pass of the event loop
            b.deleteLater()
        self.vote_buttons = []
        for i, letter in enumerate(letters(count)):
            text = (
                self.tr("{letter} is better").format(letter=letter)
                if count == 2
                else self.tr("{letter} is best").format(letter=letter)
            )
            b = QPushButton(text, objectName=f"vote{letter}")
            b.clicked.connect(lambda _=False, i=i: self.voted.emit("best", i))
            self.vote_layout.insertWidget(1 + i, b)
            self.vote_buttons.append(b)
        self.bad_button.setText(self.tr("Both bad") if count == 2 else self.tr("All bad"))
        self.vote_question.setText(
            self.tr("Which answer is better?") if count == 2 else self.tr("Which answer is best?")
        )

    def set_enabled(self, enabled: bool) -> None:
        for b in (*self.vote_buttons, self.tie_button, self.bad_button):
            b.setEnabled(enabled)

    def reveal_text(self, vote: StoredVote, names: list[str], identities: list[str]) -> str:
        """What the vote said and who was who; ``names`` and ``identities`` in pane order."""
        marks = letters(len(names))
        # A list as long as the panes: its items and separator are translated, then the sentence.
        who = self.tr("; ").join(
            self.tr("{letter} was {name}").format(letter=marks[i], name=n)
            for i, n in enumerate(names)
        )
        if vote.outcome == "best":
            winner = next(
                (marks[i] for i, ident in enumerate(identities) if ident == vote.winner), "?"
            )
            verdict = self.tr("You chose {letter}.").format(letter=winner)
        elif vote.outcome == "tie":
            verdict = self.tr("You called it a tie.")
        else:
            verdict = self.tr("You found them all bad.")
        return self.tr("{verdict} {who}.").format(verdict=verdict, who=who)
