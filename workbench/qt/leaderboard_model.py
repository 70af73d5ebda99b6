"""The leaderboard's table model: one row per model, with its rating, interval and record.

:data:`SortRole` gives each cell a value that sorts correctly (numbers as numbers, names
ignoring case); a view sorts through a ``QSortFilterProxyModel`` with ``setSortRole(SortRole)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from workbench.core.compare.leaderboard import Standing
from workbench.core.names import identity_name

AnyIndex = QModelIndex | QPersistentModelIndex

SortRole = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    Model = 0
    Rating = 1
    Interval = 2
    Wins = 3
    Losses = 4
    Ties = 5
    Games = 6


def _whole(value: float) -> str:
    """A rating in the window's language, without a thousands separator (ratings read "1032",
    as Elo ratings are written)."""
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    # Rounded as Python rounds (half to even), the same figure as the CSV export's.
    return locale.toString(round(value))


def _count(value: int) -> str:
    return QLocale().toString(value)


class StandingsModel(QAbstractTableModel):
    """Standings, in the order given (best rating first from :func:`standings`).

    Args:
        parent: The owning QObject.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Standing] = []
        self._providers: dict[str, str] = {}

    # -- public API --------------------------------------------------------------------------

    def set_standings(
        self, rows: list[Standing], providers: Mapping[str, str] | None = None
    ) -> None:
        """Replace every row; ``providers`` (provider id → name) names the cloud models."""
        self.beginResetModel()
        self._rows = list(rows)
        if providers is not None:
            self._providers = dict(providers)
        self.endResetModel()

    def name(self, s: Standing) -> str:
        """The model's name on screen ("Provider · model", or the file's name)."""
        return identity_name(s.identity, self._providers)

    def standings(self) -> list[Standing]:
        return list(self._rows)

    def standing(self, row: int) -> Standing:
        return self._rows[row]

    # -- Qt overrides ------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._header(Column(section))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._header_tip(Column(section))
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if not (0 <= index.row() < len(self._rows) and 0 <= index.column() < len(Column)):
            return None
        s = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, column)
        if role == SortRole:
            return self._sort_value(s, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(s, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != Column.Model:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # -- helpers -----------------------------------------------------------------------------

    def _header(self, column: Column) -> str:
        return {
            Column.Model: self.tr("Model"),
            Column.Rating: self.tr("Rating"),
            Column.Interval: self.tr("95 % interval"),
            Column.Wins: self.tr("Wins"),
            Column.Losses: self.tr("Losses"),
            Column.Ties: self.tr("Ties"),
            Column.Games: self.tr("Games"),
        }[column]

    def _interval_tip(self) -> str:
        return self.tr(
            "Where the rating lies with 95 % confidence: the ratings were refitted on votes "
            "resampled at random, and this range holds 95 % of them. A wide range means more "
            "votes are needed."
        )

    def _header_tip(self, column: Column) -> str | None:
        if column == Column.Rating:
            return self.tr(
                "Bradley–Terry rating on the Elo scale: 100 points ahead means about a 64 % "
                "chance to win."
            )
        if column == Column.Interval:
            return self._interval_tip()
        if column == Column.Ties:
            return self.tr("Ties, including answers judged all bad.")
        if column == Column.Games:
            return self.tr("Pairwise games: a best answer among four counts as three wins.")
        return None

    def _display(self, s: Standing, column: Column) -> str:
        if column == Column.Model:
            return self.name(s)
        if column == Column.Rating:
            return _whole(s.rating)
        if column == Column.Interval:
            return self.tr("{low} – {high}").format(low=_whole(s.low), high=_whole(s.high))
        return _count(
            {Column.Wins: s.wins, Column.Losses: s.losses, Column.Ties: s.ties}.get(column, s.games)
        )

    def _sort_value(self, s: Standing, column: Column) -> Any:
        if column == Column.Model:
            return self.name(s).casefold()
        if column == Column.Rating:
            return s.rating
        if column == Column.Interval:
            return s.low  # the conservative end: a model with few votes sorts lower
        return {Column.Wins: s.wins, Column.Losses: s.losses, Column.Ties: s.ties}.get(
            column, s.games
        )

    def _tip(self, s: Standing, column: Column) -> str | None:
        if column == Column.Interval:
            return self._interval_tip()
        if column == Column.Model:
            if s.judgements == 1:
                return self.tr("Judged in 1 vote")
            return self.tr("Judged in {count} votes").format(count=_count(s.judgements))
        return None
