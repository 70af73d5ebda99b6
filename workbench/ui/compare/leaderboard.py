"""The compare-mode leaderboard: ratings from the stored votes, filtered by tag, exported as CSV
(and the sessions with the votes as JSON).

Reading the votes and fitting the ratings (with a bootstrap that refits hundreds of times) run
on a worker thread; only the finished standings come back to the GUI thread. A result that
arrives after a newer refresh was asked for is dropped. Exports run on a worker thread too, and
end in one sentence under the buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, QStandardPaths, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.compare.export_json import write_compare_json
from workbench.core.compare.leaderboard import (
    ExportError,
    Standing,
    standings,
    write_standings_csv,
    write_votes_csv,
)
from workbench.core.compare.sessions import CompareStore, StoredVote
from workbench.core.store import StoreError
from workbench.qt.jobs import JobRunner
from workbench.qt.leaderboard_model import Column, SortRole, StandingsModel

log = logging.getLogger(__name__)


class LeaderboardView(QWidget):
    """Wins, losses, ties and a rating per model, from the votes of blind comparisons.

    Signals:
        refreshed(): new standings are shown (after :meth:`refresh`).
        exported(str): a CSV file was saved; its path.
        export_failed(str): an export failed; one sentence for the user.

    Args:
        compare_store: Where the votes are.
        parent: The owning widget.
        provider_names: Gives provider id → name (read with the votes, off the GUI thread),
            so that cloud models show as "Provider · model".
    """

    refreshed = Signal()
    exported = Signal(str)
    export_failed = Signal(str)

    def __init__(
        self,
        compare_store: CompareStore,
        parent: QWidget | None = None,
        *,
        provider_names: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.compare_store = compare_store
        self.provider_names = provider_names
        self.jobs = JobRunner(self)
        self._votes: list[StoredVote] = []
        self._standings: list[Standing] = []
        self._export_folder: Path | None = None
        self._build()
        self.tag_box.currentIndexChanged.connect(self.refresh)
        self.export_votes_button.clicked.connect(self.export_votes)
        self.export_ratings_button.clicked.connect(self.export_ratings)
        self.export_json_button.clicked.connect(self.export_json)
        self.refresh()

    def _build(self) -> None:
        self.tag_box = QComboBox(objectName="leaderboardTag")
        self.tag_box.setAccessibleName(self.tr("Show votes with this tag"))
        self.tag_box.addItem(self.tr("All tags"), None)
        self.tag_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        tag_label = QLabel(self.tr("&Tag:"))
        tag_label.setBuddy(self.tag_box)
        self.summary = QLabel(objectName="leaderboardSummary")
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(tag_label)
        top.addWidget(self.tag_box)
        top.addWidget(self.summary, 1)

        self.model = StandingsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView(objectName="leaderboardTable")
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Leaderboard"))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.Rating, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.Model, QHeaderView.ResizeMode.Stretch)
        for column in list(Column)[1:]:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.explanation = QLabel(
            self.tr(
                "The rating is a Bradley–Terry fit on the Elo scale: a model 100 points above "
                "another is expected to win about 64 % of the time. The interval comes from "
                "refitting on votes resampled at random; a wide one means more votes are needed."
            ),
            objectName="leaderboardExplanation",
        )
        self.explanation.setWordWrap(True)

        self.export_votes_button = QPushButton(self.tr("Export votes…"), objectName="exportVotes")
        self.export_votes_button.setToolTip(self.tr("Save the votes shown as a CSV file"))
        self.export_ratings_button = QPushButton(
            self.tr("Export ratings…"), objectName="exportRatings"
        )
        self.export_ratings_button.setToolTip(self.tr("Save the ratings shown as a CSV file"))
        self.export_json_button = QPushButton(self.tr("Export JSON…"), objectName="exportJson")
        self.export_json_button.setToolTip(
            self.tr("Save every comparison (rounds, answers) and the votes shown as a JSON file")
        )
        self.status = QLabel(objectName="leaderboardStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_votes_button)
        buttons.addWidget(self.export_ratings_button)
        buttons.addWidget(self.export_json_button)
        buttons.addWidget(self.status, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.explanation)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- refresh -----------------------------------------------------------------------------

    def current_tag(self) -> str | None:
        """The tag the standings are filtered by, or None for every vote."""
        tag = self.tag_box.currentData()
        return tag if isinstance(tag, str) else None

    @Slot()
    def refresh(self) -> None:
        """Re-read the votes and recompute the standings on a worker thread."""
        tag = self.current_tag()
        store = self.compare_store
        provider_names = self.provider_names

        def work() -> tuple[list[str], list[StoredVote], list[Standing], dict[str, str]]:
            votes = store.votes(tag)
            names = dict(provider_names()) if provider_names is not None else {}
            return store.all_tags(), votes, standings(votes), names

        # Latest wins: a refresh asked for meanwhile drops this one's result.
        self.jobs.run(
            work,
            lambda result: self._on_computed(tag, *result),
            self._on_failed,
            slot="standings",
        )

    def _on_computed(
        self,
        tag: str | None,
        tags: list[str],
        votes: list[StoredVote],
        rows: list[Standing],
        providers: dict[str, str],
    ) -> None:
        self._set_tags(tags)
        self._votes = votes
        self._standings = rows
        self.model.set_standings(rows, providers)
        self._show_summary(tag)
        self._update_buttons()
        self.refreshed.emit()

    def _on_failed(self, exc: Exception) -> None:
        if isinstance(exc, StoreError):
            self.status.setText(str(exc))
        else:
            log.error("computing the leaderboard failed", exc_info=exc)
            self.status.setText(
                self.tr("The ratings could not be computed; the log file has the details.")
            )

    def _set_tags(self, tags: list[str]) -> None:
        """Offer these tags, keeping the one selected (even if no vote carries it any more)."""
        current = self.current_tag()
        wanted = list(tags)
        if current is not None and all(t.casefold() != current.casefold() for t in wanted):
            wanted.append(current)
            wanted.sort(key=str.casefold)
        shown = [self.tag_box.itemData(i) for i in range(1, self.tag_box.count())]
        if shown == wanted:
            return
        blocked = self.tag_box.blockSignals(True)
        try:
            while self.tag_box.count() > 1:
                self.tag_box.removeItem(1)
            for tag in wanted:
                self.tag_box.addItem(tag, tag)
            index = self.tag_box.findData(current) if current is not None else 0
            self.tag_box.setCurrentIndex(max(index, 0))
        finally:
            self.tag_box.blockSignals(blocked)

    def _show_summary(self, tag: str | None) -> None:
        if not self._votes:
            if tag is None:
                text = self.tr(
                    "No votes yet. Vote in a blind comparison and the ratings appear here."
                )
            else:
                text = self.tr("No votes carry the tag “{tag}” yet.").format(tag=tag)
            self.summary.setText(text)
            return
        n, models = len(self._votes), self.locale().toString(len(self._standings))
        if n == 1:
            text = self.tr("1 vote between {models} models").format(models=models)
        else:
            text = self.tr("{votes} votes between {models} models").format(
                votes=self.locale().toString(n), models=models
            )
        self.summary.setText(text)

    def _update_buttons(self) -> None:
        self.export_votes_button.setEnabled(bool(self._votes))
        self.export_ratings_button.setEnabled(bool(self._standings))

    # -- export ------------------------------------------------------------------------------

    def standings(self) -> list[Standing]:
        """The standings shown."""
        return list(self._standings)

    def votes(self) -> list[StoredVote]:
        """The votes the standings shown were computed from."""
        return list(self._votes)

    @Slot()
    def export_votes(self) -> None:
        """Ask where to save the votes shown, then write them as CSV on a worker thread."""
        path = self._ask_path(self.tr("Export votes"), "votes.csv")
        if path is not None:
            votes = list(self._votes)
            self._export(lambda: write_votes_csv(votes, path), path)

    @Slot()
    def export_ratings(self) -> None:
        """Ask where to save the ratings shown, then write them as CSV on a worker thread."""
        path = self._ask_path(self.tr("Export ratings"), "ratings.csv")
        if path is not None:
            rows = list(self._standings)
            self._export(lambda: write_standings_csv(rows, path), path)

    @Slot()
    def export_json(self) -> None:
        """Ask where to save the sessions and the votes shown, then write JSON on a worker."""
        path = self._ask_path(
            self.tr("Export comparisons"), "comparisons.json", self.tr("JSON files (*.json)")
        )
        if path is not None:
            votes, compare = list(self._votes), self.compare_store
            self._export(lambda: write_compare_json(compare, path, votes), path)

    def _ask_path(
        self, caption: str, default_name: str, filter_text: str | None = None
    ) -> Path | None:
        folder = self._export_folder or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        chosen, _filter = QFileDialog.getSaveFileName(
            self, caption, str(folder / default_name), filter_text or self.tr("CSV files (*.csv)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(Path(default_name).suffix)
        self._export_folder = path.parent
        return path

    def _export(self, write: Callable[[], None], path: Path) -> None:
        self.status.setText(self.tr("Saving {name}…").format(name=path.name))
        self.jobs.run(
            write,
            lambda _result: self._on_exported(path),
            self._on_export_failed,
        )

    def _on_exported(self, path: Path) -> None:
        self.status.setText(self.tr("Saved {path}.").format(path=path))
        self.exported.emit(str(path))

    def _on_export_failed(self, exc: Exception) -> None:
        if isinstance(exc, ExportError):
            log.warning("export failed: %s", exc)
            message = str(exc)  # the core sentence, already in the user's language
        else:
            log.error("export failed", exc_info=exc)
            message = self.tr("The file could not be saved; the log file has the details.")
        self.status.setText(message)
        self.export_failed.emit(message)
