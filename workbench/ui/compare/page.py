"""The Compare page: one prompt, 2–4 models side by side — or blind — with votes and ratings.

Left, the comparisons made so far (newest first). Right, four tabs:

- **Answers**: a pane per model, all streaming at once, each with its figures, Stop and
  Regenerate; one message box sends to all; *Stop all*. In a blind comparison the panes are
  "A", "B", … in a new random order each round and show only that round, the vote bar appears
  when every pane has finished, and the vote reveals who was who.
- **Table**: every round as a row, prompt × model, for reviewing a prompt-set run; a blind run
  shows letters until each row is voted on (double-click a row to vote on it).
- **Prompt sets**: saved lists of prompts, run in one batch with progress and Cancel.
- **Leaderboard**: ratings from every vote.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.compare.blind import letters, shuffled
from workbench.core.compare.sessions import CompareSession, PromptSet, Round, StoredVote
from workbench.qt.cloud import CloudSession
from workbench.qt.compare import CompareController
from workbench.qt.compare_models import SessionRoles
from workbench.ui.compare.answers import PARTS as ANSWER_PARTS
from workbench.ui.compare.answers import AnswersTab
from workbench.ui.compare.labels import TargetLabels
from workbench.ui.compare.leaderboard import LeaderboardView
from workbench.ui.compare.pane import ComparePane
from workbench.ui.compare.prompt_sets import PromptSetsView
from workbench.ui.compare.review import ReviewTab, shown_text
from workbench.ui.compare.sessions import SessionSidebar
from workbench.ui.compare.setup import NewComparisonDialog

log = logging.getLogger(__name__)


class ComparePage(QWidget):
    """Signals:
    vote_recorded(object): the :class:`StoredVote` just stored.
    prices_requested(): the user asked to set a price (open Settings › Prices).
    """

    vote_recorded = Signal(object)
    prices_requested = Signal()

    def __init__(
        self,
        controller: CompareController,
        cloud: CloudSession,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("comparePage")
        self.controller = controller
        self.compare = controller.compare
        self.cloud = cloud
        self.library: list[str] = []
        self.panes: list[ComparePane] = []
        self.shown_round: Round | None = None  # the round the panes show, when blind
        self._revealed = False
        self._last_round_id: int | None = None
        self.labels = TargetLabels(controller, cloud, self)
        self._build()
        self._connect()
        self._update_controls()
        controller.list_sessions()

    # -- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        left = self.sidebar = SessionSidebar(self)
        self.sessions = left.sessions
        self.session_list = left.session_list
        self.new_button = left.new_button
        self.delete_button = left.delete_button

        answers = AnswersTab(self)
        for name in ANSWER_PARTS:
            setattr(self, name, getattr(answers, name))

        # Table tab
        table_page = ReviewTab(self)
        self.review = table_page.review
        self.table = table_page.table

        self.prompt_sets = PromptSetsView(self.compare, self)
        self.leaderboard = LeaderboardView(
            self.compare,
            self,
            provider_names=lambda: {p.id: p.name for p in self.cloud.providers()},
        )

        self.tabs = QTabWidget(objectName="compareTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(answers, self.tr("Answers"))
        self.tabs.addTab(table_page, self.tr("Table"))
        self.tabs.addTab(self.prompt_sets, self.tr("Prompt sets"))
        self.tabs.addTab(self.leaderboard, self.tr("Leaderboard"))

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="compareSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([240, 1040])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _connect(self) -> None:
        c = self.controller
        c.sessions_listed.connect(self._on_sessions_listed)
        c.session_opened.connect(self._on_session_opened)
        c.session_updated.connect(self._on_session_updated)
        c.round_started.connect(self._on_round_started)
        c.pane_status.connect(self._on_pane_status)
        c.pane_started.connect(self._on_pane_started)
        c.pane_text.connect(self._on_pane_text)
        c.pane_ended.connect(self._on_pane_ended)
        c.round_finished.connect(self._on_round_finished)
        c.noticed.connect(self.show_notice)
        c.view_changed.connect(lambda _view: self.refresh_table())
        c.vote_recorded.connect(self._on_vote_recorded)
        c.batch_progressed.connect(self._on_batch_progressed)
        c.batch_finished.connect(self._on_batch_finished)
        self.session_list.selectionModel().currentChanged.connect(self._on_session_selected)
        self.new_button.clicked.connect(self.new_comparison)
        self.empty_new_button.clicked.connect(self.new_comparison)
        self.delete_button.clicked.connect(self.delete_comparison)
        self.blind_box.toggled.connect(self._on_blind_toggled)
        self.composer.send_requested.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(lambda: self.controller.stop_all())
        self.vote_bar.voted.connect(
            lambda outcome, i: self.vote(outcome, i if outcome == "best" else None)
        )
        self.next_vote.clicked.connect(self.vote_next)
        self.batch_cancel.clicked.connect(self.controller.cancel_batch)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.prompt_sets.run_requested.connect(self.run_prompt_set)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.cloud.providers_changed.connect(self.labels.forget)

    # -- sessions ----------------------------------------------------------------------------------

    def set_library(self, paths: list[str]) -> None:
        self.library = list(paths)

    def _on_sessions_listed(self, sessions: list[CompareSession]) -> None:
        self.sidebar.show_sessions(sessions, self.controller.session_id)

    def restore(self, session_id: int | None) -> None:
        """Open ``session_id`` (the one open at the last quit), or the most recent one; it is
        shown when its data has arrived."""
        self.controller.restore(session_id)

    def open_session(self, session_id: int | None) -> None:
        self.controller.open_session(session_id)

    def _on_session_selected(self, current, _previous) -> None:
        if current.isValid():
            self.controller.open_session(current.data(SessionRoles.Id))

    def new_comparison(self, *, prompt_set: PromptSet | None = None) -> bool:
        """Ask for the models of a new comparison; False if the dialog was cancelled."""
        previous = [t.spec for t in self.controller.targets]
        dialog = NewComparisonDialog(
            self.cloud,
            self.library,
            self,
            title=prompt_set.name if prompt_set else "",
            tags=prompt_set.tags if prompt_set else None,
            blind=True if prompt_set else self.blind,
            previous=previous,
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            specs, title = dialog.specs(), dialog.title_edit.text().strip()
            blind, tags = dialog.blind.isChecked(), dialog.tags()
        finally:
            # Gone at once: its model names must not linger among the page's widgets (blind).
            dialog.setParent(None)
            dialog.deleteLater()
        self.create_session(specs, title=title, blind=blind, tags=tags, prompt_set=prompt_set)
        return True

    def create_session(
        self,
        specs,
        *,
        title: str = "",
        blind: bool = False,
        tags: list[str] | None = None,
        prompt_set: PromptSet | None = None,
    ) -> None:
        """Make a comparison of ``specs`` and open it (a prompt set's runs once it is open)."""
        self.controller.create_session(
            title or self.tr("New comparison"),
            specs,
            blind=blind,
            tags=tags or [],
            prompt_set_id=prompt_set.id if prompt_set else None,
            batch=prompt_set.prompts if prompt_set else None,
        )
        self.tabs.setCurrentIndex(0)
        self.composer.setFocus()

    def delete_comparison(self) -> None:
        session = self.controller.session
        if session is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete comparison"),
            self.tr(
                "Delete the comparison “{title}” and its answers? Votes already cast stay in the "
                "leaderboard."
            ).format(title=session.title),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.delete_session()

    def run_prompt_set(self, prompt_set: PromptSet) -> None:
        """Choose the models, then run every prompt of the set on them."""
        if self.controller.busy:
            self.show_notice(self.tr("Wait for the answers being written, or press Stop all."))
            return
        self.new_comparison(prompt_set=prompt_set)

    # -- names -------------------------------------------------------------------------------------

    def target_name(self, target_id: int) -> str:
        return self.labels.names().get(target_id, "?")

    # -- showing a session ----------------------------------------------------------------------

    @property
    def blind(self) -> bool:
        s = self.controller.session
        return bool(s and s.blind)

    def _on_session_opened(self, session: CompareSession | None) -> None:
        self.labels.forget()
        self.hide_notice()
        self._revealed = False
        targets = self.controller.targets
        for pane in self.panes:
            pane.setParent(None)  # out of the splitter now, not at the next event loop pass
            pane.deleteLater()
        self.panes = []
        for _ in targets:
            pane = ComparePane(self)
            pane.stop_requested.connect(self.controller.stop)
            pane.regenerate_requested.connect(self.controller.regenerate)
            pane.prices_requested.connect(self.prices_requested)
            self.pane_splitter.addWidget(pane)
            self.panes.append(pane)
        self.title.setText(session.title if session else "")
        blocker = self.blind_box.blockSignals(True)
        self.blind_box.setChecked(bool(session and session.blind))
        self.blind_box.blockSignals(blocker)
        self.vote_bar.set_count(len(targets))
        self.sidebar.select(self.controller.session_id)
        rounds = self.controller.view.rounds
        self._last_round_id = rounds[-1].id if rounds else None
        if self.blind:
            self.shown_round = rounds[-1] if rounds else None
        else:
            self.shown_round = None
        self._show_panes()
        self.refresh_table()
        self._update_controls()

    def _on_session_updated(self, session: CompareSession | None) -> None:
        self.title.setText(session.title if session else "")

    def _order(self) -> list[int]:
        """Target ids in pane order."""
        ids = [t.id for t in self.controller.targets]
        rnd = self.shown_round
        if rnd is not None and rnd.blind and sorted(rnd.blind_order) == sorted(ids):
            return list(rnd.blind_order)
        return ids

    def _hidden(self) -> bool:
        """Whether the panes must not give the targets away right now."""
        rnd = self.shown_round
        if rnd is None:
            return self.blind
        return rnd.blind and not self._revealed and self._vote_of(rnd) is None

    def _vote_of(self, rnd: Round) -> StoredVote | None:
        return self.controller.view.votes.get(rnd.id)

    def _show_panes(self) -> None:
        """Fill every pane from the controller's data: whole threads, or the shown round when
        blind."""
        session = self.controller.session
        if session is None:
            self.summary.setText("")
            return
        order = self._order()
        hidden = self._hidden()
        mask = self.labels.mask() if hidden else None
        tags = f" · {', '.join(session.tags)}" if session.tags else ""
        if hidden:
            self.summary.setText(self.tr("%n models, hidden until you vote", "", len(order)) + tags)
        else:
            self.summary.setText(" · ".join(self.labels.names()[i] for i in order) + tags)
        names = letters(len(order))
        by_id = {t.id: t for t in self.controller.targets}
        for i, (pane, target_id) in enumerate(zip(self.panes, order, strict=False)):
            target = by_id[target_id]
            if self.shown_round is not None and (self.shown_round.blind or self.blind):
                messages = self.controller.round_messages(self.shown_round, target_id)
            elif self.blind:
                messages = []
            else:
                messages = self.controller.view.threads.get(target_id, [])
            if hidden:
                title, tip = names[i], ""
            elif self.shown_round is not None and self.shown_round.blind:
                title = f"{names[i]} · {self.target_name(target_id)}"
                tip = self.labels.tooltip(target_id)
            else:
                title, tip = self.target_name(target_id), self.labels.tooltip(target_id)
            pane.show_thread(
                target_id,
                title,
                messages,
                mask=mask,
                tooltip=tip,
                local=self.labels.free(target.id),
            )
            running = self.controller.pane_running(target_id)
            pane.set_running(running, can_regenerate=self._can_regenerate(target_id))

    def _can_regenerate(self, target_id: int) -> bool:
        if self.controller.busy or self.controller.session is None:
            return False
        rnd = self.shown_round
        if rnd is not None and rnd.id != self._last_round_id:
            return False  # only the latest round can be asked again
        return self._last_round_id is not None

    def pane_for(self, target_id: int) -> ComparePane | None:
        return next((p for p in self.panes if p.target_id == target_id), None)

    # -- rounds ------------------------------------------------------------------------------------

    @Slot()
    def send(self) -> None:
        text = self.composer.toPlainText().strip()
        if not text:
            return
        if self.controller.session is None:
            self.show_notice(self.tr("Press “New comparison” first to choose the models."))
            return
        if self.controller.busy:
            self.show_notice(self.tr("Wait for the answers being written, or press Stop all."))
            return
        title = " ".join(text.split())[:60] if self._is_untitled() else None
        if self.controller.send(text, title=title):
            self.composer.clear()
            self.hide_notice()

    def _is_untitled(self) -> bool:
        s = self.controller.session
        untitled = s is not None and s.title == self.tr("New comparison")
        return untitled and self._last_round_id is None

    def _on_round_started(self, rnd: Round) -> None:
        new_round = rnd.id != self._last_round_id
        self._last_round_id = rnd.id
        if new_round:
            self._revealed = False
            self.shown_round = rnd if (rnd.blind or self.blind) else None
            self.reveal.setText("")
            # Side by side, each pane's thread goes on: only the new question is added.
            if self.shown_round is not None or not self._append_questions(rnd):
                self._show_panes()
        self._update_controls()

    def _append_questions(self, rnd: Round) -> bool:
        """Add the round's question under each pane's thread, without re-rendering the thread
        (the cost of a round must not grow with the conversation). False if a pane can't."""
        questions = {}
        for pane in self.panes:
            question = self.controller.question_of(rnd.id, pane.target_id)
            if question is None:
                return False
            questions[pane] = question
        for pane, message in questions.items():
            pane.add_message(message)
            pane.set_figures(None)
        return True

    def _on_pane_status(self, target_id: int, text: str) -> None:
        pane = self.pane_for(target_id)
        if pane is not None:
            # A blind pane must not say it is loading a local model.
            pane.set_status(self.tr("Waiting…") if self._hidden() else text)

    def _on_pane_started(self, target_id: int, message_id: int) -> None:
        pane = self.pane_for(target_id)
        if pane is None:
            return
        message = self.controller.message(message_id)
        if message is None:
            return
        if self.shown_round is not None:
            self.shown_round.answers[target_id] = message_id
        pane.start_message(message)
        pane.set_status(self.tr("Writing…"))
        pane.set_running(True)
        self._update_controls()

    def _on_pane_text(self, target_id: int, text: str, reasoning: str) -> None:
        pane = self.pane_for(target_id)
        if pane is not None:
            pane.append(text, reasoning)

    def _on_pane_ended(self, target_id: int, message_id: int) -> None:
        pane = self.pane_for(target_id)
        message = self.controller.message(message_id) if message_id else None
        if pane is None or message is None:
            return
        if self.shown_round is not None:
            self.shown_round.answers[target_id] = message_id
        pane.end_message(message)
        pane.set_status(
            {"error": self.tr("Failed"), "cancelled": self.tr("Stopped")}.get(
                message.state, self.tr("Done")
            )
        )
        pane.set_running(False)

    def _on_round_finished(self, rnd: Round) -> None:
        if self.shown_round is not None and self.shown_round.id == rnd.id:
            self.shown_round = rnd
        for pane in self.panes:
            pane.set_running(False, can_regenerate=self._can_regenerate(pane.target_id))
        self.refresh_table()
        self._update_controls()

    # -- voting ------------------------------------------------------------------------------------

    def can_vote(self) -> bool:
        rnd = self.shown_round
        if rnd is None or self.controller.busy or self.controller.voting or not rnd.blind:
            return False
        if self._vote_of(rnd) is not None or self._revealed:
            return False
        return len(rnd.answers) == len(self.controller.targets)

    def vote(self, outcome: str, letter_index: int | None = None) -> bool:
        """Judge the shown round: ``best`` (with the pane's index), ``tie`` or ``all_bad``.

        The vote is stored by a job; :attr:`vote_recorded` says when it is. False if this
        vote can't be cast now.
        """
        rnd = self.shown_round
        if rnd is None or not self.can_vote():
            return False
        winner = None
        if outcome == "best":
            order = self._order()
            if letter_index is None or not 0 <= letter_index < len(order):
                return False
            winner = order[letter_index]
        self.controller.vote(rnd.id, outcome, winner)
        self._update_controls()
        return True

    def _on_vote_recorded(self, vote: StoredVote) -> None:
        rnd = self.shown_round
        if rnd is not None and rnd.id == vote.round_id:
            self._revealed = True
            self._show_panes()
            self.reveal.setText(self._reveal_text(vote))
        self.refresh_table()
        if self.tabs.currentWidget() is self.leaderboard:  # else refreshed when shown
            self.leaderboard.refresh()
        self._update_controls()
        self.vote_recorded.emit(vote)

    def _reveal_text(self, vote: StoredVote) -> str:
        order = self._order()
        by_id = {t.id: t.identity for t in self.controller.targets}
        return self.vote_bar.reveal_text(
            vote, [self.target_name(t) for t in order], [by_id.get(t, "") for t in order]
        )

    def show_round_for_vote(self, rnd: Round) -> None:
        """Show ``rnd`` blind in the panes (giving it a random order if it has none)."""
        if self.controller.busy:
            return
        if not rnd.blind or not rnd.blind_order:
            order = shuffled([t.id for t in self.controller.targets])
            rnd = self.controller.set_blind_order(rnd, order)
        self.shown_round = rnd
        vote = self._vote_of(rnd)
        self._revealed = vote is not None
        self.reveal.setText(self._reveal_text(vote) if vote is not None else "")
        self.tabs.setCurrentIndex(0)
        self._show_panes()
        self._update_controls()

    def vote_next(self) -> None:
        shown = self.shown_round.id if self.shown_round else None
        pending = [r for r in self.controller.view.unvoted_rounds() if r.id != shown]
        if pending:
            self.show_round_for_vote(pending[0])

    def _on_table_activated(self, index) -> None:
        rnd = self.review.round_at(index.row())
        if rnd is not None:
            self.show_round_for_vote(rnd)

    # -- batches -----------------------------------------------------------------------------------

    def _on_batch_progressed(self, done: int, total: int) -> None:
        self.batch_bar.setVisible(True)
        self.batch_progress.setRange(0, total)
        self.batch_progress.setValue(done)
        current = self.locale().toString(min(done + 1, total))
        self.batch_label.setText(
            self.tr("Prompt {current} of {total}").format(
                current=current, total=self.locale().toString(total)
            )
        )
        self._update_controls()

    def _on_batch_finished(self, cancelled: bool) -> None:
        self.batch_bar.setVisible(False)
        done = self.batch_progress.value()
        if cancelled:
            self.show_notice(
                self.tr("The prompt set was cancelled after 1 prompt; its answers are kept.")
                if done == 1
                else self.tr(
                    "The prompt set was cancelled after %n prompts; the answers so far are kept.",
                    "",
                    done,
                )
            )
        elif self.blind:
            self.show_notice(
                self.tr(
                    "The prompt set is done. Vote on each round blind here, or double-click a "
                    "row in the Table tab."
                )
            )
            self.refresh_table()
            self.shown_round = None
            self.vote_next()  # from the first round not voted on
            return
        else:
            self.show_notice(self.tr("The prompt set is done; the Table tab shows every answer."))
        self.refresh_table()
        self._update_controls()

    # -- table -------------------------------------------------------------------------------------

    def refresh_table(self) -> None:
        """Show the controller's data of the session (read off the GUI thread)."""
        data = self.controller.view
        session = data.session
        if session is None:
            self.review.set_data([], [], {}, {}, {}, blind=False)
            return
        self.review.set_data(
            self.controller.targets,
            data.rounds,
            data.messages,
            data.votes,
            self.labels.names(),
            blind=session.blind,
            mask=self.labels.mask(),
        )

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.leaderboard:
            self.leaderboard.refresh()

    # -- controls ----------------------------------------------------------------------------------

    def _on_blind_toggled(self, blind: bool) -> None:
        if self.controller.busy or self.controller.opening:
            blocker = self.blind_box.blockSignals(True)
            self.blind_box.setChecked(not blind)
            self.blind_box.blockSignals(blocker)
            return
        self.controller.set_blind(blind)
        self.shown_round = None
        self._revealed = False
        self._show_panes()
        self._update_controls()

    def _update_controls(self) -> None:
        has = self.controller.session is not None
        busy = self.controller.busy
        # Before a comparison exists there is nothing to send, stop or vote on: the empty state
        # explains the page and leads to New comparison instead.
        self.empty.setVisible(not has)
        for widget in (
            self.pane_splitter,
            self.composer,
            self.send_button,
            self.stop_button,
            self.blind_box,
        ):
            widget.setVisible(has)
        self.send_button.setEnabled(has and not busy)
        self.stop_button.setEnabled(busy)
        self.blind_box.setEnabled(has and not busy)
        self.delete_button.setEnabled(has and not busy)
        self.new_button.setEnabled(not busy)
        voting = self.can_vote()
        self.vote_bar.setVisible(has and self.blind and voting)
        self.vote_bar.set_enabled(voting)
        self.next_vote.setVisible(
            has
            and not busy
            and not voting
            and bool(self.controller.view.unvoted_rounds())
            and self._any_blind()
        )

    def _any_blind(self) -> bool:
        s = self.controller.session
        return bool(s and (s.blind or s.prompt_set_id is not None))

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(True)

    def hide_notice(self) -> None:
        self.notice.setVisible(False)

    def visible_text(self) -> str:
        """Everything this page shows as text (labels, buttons, tooltips, panes, table)."""
        return shown_text(self, self.panes, self.review)
