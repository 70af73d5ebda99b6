"""Item models for compare mode: the list of sessions and the prompt × target review table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from workbench.core.compare.blind import letters, redact
from workbench.core.compare.sessions import CompareSession, CompareTarget, Round, StoredVote
from workbench.core.store import Message
from workbench.qt.message_model import figures_text

AnyIndex = QModelIndex | QPersistentModelIndex


class SessionRoles(IntEnum):
    Id = Qt.ItemDataRole.UserRole + 1


class SessionListModel(QAbstractListModel):
    """Compare sessions, most recently used first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sessions: list[CompareSession] = []

    def set_sessions(self, sessions: list[CompareSession]) -> None:
        self.beginResetModel()
        self._sessions = list(sessions)
        self.endResetModel()

    def row_of(self, session_id: int) -> int:
        return next((i for i, s in enumerate(self._sessions) if s.id == session_id), -1)

    def session_at(self, row: int) -> CompareSession | None:
        return self._sessions[row] if 0 <= row < len(self._sessions) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._sessions)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sessions):
            return None
        s = self._sessions[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            batch = s.prompt_set_id is not None
            if s.blind and batch:
                return self.tr("{title} (blind, prompt set)").format(title=s.title)
            if s.blind:
                return self.tr("{title} (blind)").format(title=s.title)
            if batch:
                return self.tr("{title} (prompt set)").format(title=s.title)
            return s.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return ", ".join(s.tags) or None
        if role == SessionRoles.Id:
            return s.id
        return None


@dataclass
class ReviewCell:
    """One answer in the review table."""

    message: Message | None
    label: str  # the column's target name, or its letter while the round is unvoted and blind


class ReviewTableModel(QAbstractTableModel):
    """Rounds × targets: the prompt, then each target's answer with its figures.

    In a blind session a round not yet voted on shows its answers under letters, in that round's
    random order, and no figures; after the vote the row shows who wrote what.
    """

    PREVIEW = 160

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._targets: list[CompareTarget] = []
        self._rounds: list[Round] = []
        self._cells: list[list[ReviewCell]] = []
        self._votes: dict[int, StoredVote] = {}
        self._names: dict[int, str] = {}
        self._mask: re.Pattern[str] | None = None
        self.blind = False

    def set_data(
        self,
        targets: list[CompareTarget],
        rounds: list[Round],
        messages: dict[int, Message],
        votes: dict[int, StoredVote],
        names: dict[int, str],
        *,
        blind: bool,
        mask: re.Pattern[str] | None = None,
    ) -> None:
        """``mask`` hides identifying names in the answers of rounds not yet voted on."""
        self.beginResetModel()
        self._targets, self._rounds, self._votes, self._names = targets, rounds, votes, names
        self.blind = blind
        self._mask = mask
        self._cells = []
        for rnd in rounds:
            hidden = self.is_hidden(rnd)
            order = rnd.blind_order if hidden and rnd.blind_order else [t.id for t in targets]
            row = []
            for i, target_id in enumerate(order):
                message_id = rnd.answers.get(target_id)
                label = letters(len(order))[i] if hidden else names.get(target_id, "?")
                row.append(ReviewCell(messages.get(message_id or -1), label))
            self._cells.append(row)
        self.endResetModel()

    def is_hidden(self, rnd: Round) -> bool:
        return (self.blind or rnd.blind) and rnd.id not in self._votes

    def round_at(self, row: int) -> Round | None:
        return self._rounds[row] if 0 <= row < len(self._rounds) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rounds)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._targets) + 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return super().headerData(section, orientation, role)
        if section == 0:
            return self.tr("Prompt")
        if section == len(self._targets) + 1:
            return self.tr("Vote")
        if self.blind:
            return self.tr("Answer {number}").format(number=section)
        target = self._targets[section - 1] if section - 1 < len(self._targets) else None
        return self._names.get(target.id, "") if target else ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rounds):
            return None
        rnd = self._rounds[index.row()]
        col = index.column()
        if col == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return rnd.prompt if role == Qt.ItemDataRole.ToolTipRole else _preview(rnd.prompt)
            return None
        if col == len(self._targets) + 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._vote_text(rnd)
            return None
        cells = self._cells[index.row()]
        if col - 1 >= len(cells):
            return None
        cell = cells[col - 1]
        hidden = self.is_hidden(rnd)
        m = cell.message
        if role == Qt.ItemDataRole.DisplayRole:
            if m is None:
                return self.tr("(no answer)")
            text = m.content
            if hidden and self._mask is not None:
                text = redact(text, self._mask)  # before cutting, so no name is cut in half
            text = _preview(text) if text else ""
            if m.state == "error":
                text = self.tr("Failed") if hidden else (m.error or self.tr("Failed"))
            elif m.state == "cancelled" and not m.content:
                text = self.tr("Stopped")
            elif m.state == "streaming":
                text = text or self.tr("Writing…")
            if self.blind or hidden:
                return self.tr("{label}: {answer}").format(label=cell.label, answer=text)
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            if m is None or hidden:
                return None
            return figures_text(m.stats) or None
        return None

    def _vote_text(self, rnd: Round) -> str:
        vote = self._votes.get(rnd.id)
        if vote is None:
            return self.tr("not voted")
        if vote.outcome == "tie":
            return self.tr("tie")
        if vote.outcome == "all_bad":
            return self.tr("all bad")
        # The winner by its name on screen, as the columns show it, not its stored identity.
        winner = next(
            (self._names.get(t.id) for t in self._targets if t.identity == vote.winner), None
        )
        return self.tr("best: {model}").format(model=winner or vote.winner or "?")


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= ReviewTableModel.PREVIEW else flat[: ReviewTableModel.PREVIEW] + "…"
