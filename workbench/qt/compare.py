"""Compare mode for the window: a signal adapter over the core compare engine.

:class:`CompareController` owns the open compare session, the pool of local models it keeps
loaded between rounds and the round in progress. A round is run by the same engine as the
command line (:class:`~workbench.core.compare.runner.RoundRunner`: memory groups, thread split,
loading, failure sentences) as one long job of the :class:`~workbench.qt.jobs.JobRunner`; its
events arrive here on the GUI thread, queued, and go out as signals keyed by target id. The
answer text is coalesced (:class:`~workbench.qt.compare_round.TextBuffer`): the page hears it at
most 20 times a second, however fast the models write. Each reply is saved as it streams and
every target of every round ends with a stored message (:mod:`workbench.core.compare.record`),
so a restart shows each round as it ended.

The database is never touched on the GUI thread. What the page shows of a session (its targets,
rounds, answers, votes and threads) is read by a job into a
:class:`~workbench.core.compare.view.SessionView` (:attr:`CompareController.view`), when the
session opens and again at the end of every round; the page draws from it. The writes a user
action asks for (a new session, a vote, a round's question) run as jobs too, on one queue
(:data:`STORE_QUEUE`), so that a read asked for after a write sees it.
"""

from __future__ import annotations

import logging
import random
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.backend import Backend, Error
from workbench.core.compare import events as ev
from workbench.core.compare.pool import ModelPool
from workbench.core.compare.record import (
    Question,
    open_round,
    question_again,
    recorded_entry,
)
from workbench.core.compare.runner import RoundEntry, RoundRunner, not_started
from workbench.core.compare.schedule import MemoryProbe
from workbench.core.compare.sessions import (
    CompareSession,
    CompareStore,
    CompareTarget,
    Round,
    StoredVote,
)
from workbench.core.compare.targets import TargetSpec
from workbench.core.compare.view import SessionView, most_recent, read_view
from workbench.core.local.host import LocalBackend
from workbench.core.store import Message, Store, StoreError
from workbench.qt.cloud import CloudBackends, CloudSession
from workbench.qt.compare_round import (
    RunningRound,
    asked_of,
    message_id_of,
)
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

FLUSH_INTERVAL_MS = 50
#: the job queue of the compare page's reads and writes: one at a time, in the order asked
STORE_QUEUE = "compare-store"
# What a failed read or write of a user action says itself (one sentence for the page).
_TOLD = (KeyError, ValueError, StoreError)


class CompareController(QObject):
    """Runs compare rounds and prompt-set batches for one session at a time.

    Signals:
        sessions_listed(list): every :class:`CompareSession`, most recently used first (after
            anything that may have changed the list).
        session_opened(object): the :class:`CompareSession` now open (None: none); its data is
            in :attr:`view`.
        session_updated(object): the open session's title changed.
        view_changed(object): :attr:`view` was read again (a round ended).
        vote_recorded(object): the :class:`StoredVote` just stored.
        round_started(object): a :class:`Round` began (also a regenerated pane's).
        pane_status(int, str): target id, a short status ("Loading the model…").
        pane_started(int, int): target id, id of the assistant message now streaming.
        pane_text(int, str, str): target id, new answer text, new reasoning text.
        pane_ended(int, int): target id, id of the finished message (see :meth:`message`).
        round_finished(object): every pane of the round ended (:attr:`view` is up to date).
        noticed(str): one sentence for the page (scheduling, a failure to start).
        batch_progressed(int, int): prompts done, prompts in the batch.
        batch_finished(bool): the batch ended; true when it was cancelled.
        models_changed(): local models were loaded or unloaded.
    """

    sessions_listed = Signal(list)
    session_opened = Signal(object)
    session_updated = Signal(object)
    view_changed = Signal(object)
    vote_recorded = Signal(object)
    round_started = Signal(object)
    pane_status = Signal(int, str)
    pane_started = Signal(int, int)
    pane_text = Signal(int, str, str)
    pane_ended = Signal(int, int)
    round_finished = Signal(object)
    noticed = Signal(str)
    batch_progressed = Signal(int, int)
    batch_finished = Signal(bool)
    models_changed = Signal()
    # From the engine's threads to the GUI thread (queued): run, event, message or None.
    _event_arrived = Signal(object, object, object)
    _pool_changed = Signal()

    def __init__(
        self,
        store: Store,
        cloud: CloudSession,
        *,
        memory: MemoryProbe | None = None,
        rng: random.Random | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.compare = CompareStore(store)
        self.cloud = cloud
        self._memory = memory
        self._rng = rng
        self.jobs = JobRunner(self)
        self.pool = ModelPool(on_change=self._pool_changed.emit)
        self.view = SessionView()
        self._wanted: int | None = None  # the session open, or the one on its way
        self._creating = 0  # new sessions being stored
        self._voting = False
        self._run: RunningRound | None = None
        self._messages: dict[int, Message] = {}  # the latest state of the panes' messages
        self._cloud = CloudBackends(cloud, self)
        self._batch: list[str] | None = None
        self._batch_total = 0
        self._batch_cancelled = False
        self._event_arrived.connect(self._on_event)
        self._pool_changed.connect(self.models_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_INTERVAL_MS)
        self._timer.timeout.connect(self._flush)

    # -- state ------------------------------------------------------------------------------------

    @property
    def session(self) -> CompareSession | None:
        """The session open (its data has arrived)."""
        return self.view.session

    @property
    def targets(self) -> list[CompareTarget]:
        return self.view.targets

    @property
    def session_id(self) -> int | None:
        """The session open, or the one being opened."""
        return self._wanted

    @property
    def opening(self) -> bool:
        """Another session was asked for and its data has not arrived yet."""
        return self._creating > 0 or self._wanted != self.view.session_id

    @property
    def busy(self) -> bool:
        """A round (or a batch) is running."""
        return self._run is not None or self._batch is not None

    @property
    def voting(self) -> bool:
        """A vote is being stored."""
        return self._voting

    def message(self, message_id: int) -> Message | None:
        """A pane message as last read or reported by the engine (never read here)."""
        return self.view.messages.get(message_id) or self._messages.get(message_id)

    def round_messages(self, rnd: Round, target_id: int) -> list[Message]:
        """What a pane shows of ``rnd`` for one target: its question, then its answer."""
        answer = self.message(rnd.answers.get(target_id) or -1)
        if answer is None:
            # Not started yet (waiting for its turn): show the question already.
            question = self.question_of(rnd.id, target_id)
            return [question] if question is not None else []
        question = self.message(answer.parent_id) if answer.parent_id is not None else None
        return [question, answer] if question is not None else [answer]

    # -- sessions ---------------------------------------------------------------------------------

    def list_sessions(self) -> None:
        """Read the list of sessions; it comes as :attr:`sessions_listed`."""
        compare = self.compare
        self.jobs.run(
            compare.list_sessions,
            self.sessions_listed.emit,
            self._tell,
            queue=STORE_QUEUE,
            slot="sessions",
        )

    def open_session(self, session_id: int | None, *, batch: list[str] | None = None) -> None:
        """Show another session (stops what runs, unloads models the new one doesn't use).

        ``batch``: prompts to run in it once it is open.
        """
        if session_id is not None and session_id == self._wanted and not batch:
            return
        compare = self.compare
        self._load(lambda: read_view(compare, session_id), session_id, batch)

    def restore(self, session_id: int | None) -> None:
        """Open ``session_id`` (the one open at the last quit) if it still exists, else the
        most recently used one."""
        compare = self.compare
        self._load(lambda: read_view(compare, most_recent(compare, session_id)), session_id)
        self.list_sessions()

    def create_session(
        self,
        title: str,
        specs: list[TargetSpec],
        *,
        blind: bool = False,
        tags: list[str] | None = None,
        prompt_set_id: int | None = None,
        batch: list[str] | None = None,
    ) -> None:
        """Store a new comparison of ``specs`` and open it (then run ``batch`` in it)."""
        self.stop_all(cancel_batch=True)
        self._finish_run_now()
        compare = self.compare
        self._creating += 1

        def created(session: CompareSession) -> None:
            self._creating -= 1
            self.open_session(session.id, batch=batch)
            self.list_sessions()

        def failed(exc: Exception) -> None:
            self._creating -= 1
            self._tell(exc)

        self.jobs.run(
            lambda: compare.create_session(
                title, specs, blind=blind, tags=tags or [], prompt_set_id=prompt_set_id
            ),
            created,
            failed,
            queue=STORE_QUEUE,
        )

    def delete_session(self) -> None:
        """Delete the open session, then open the most recently used one left."""
        session = self.session
        if session is None:
            return
        compare = self.compare
        # Not in the "session" slot: opening another session must not skip the delete.
        self.jobs.run(
            lambda: compare.delete_session(session.id), None, self._tell, queue=STORE_QUEUE
        )
        self._wanted = None
        self.restore(None)

    def _load(self, read, session_id: int | None, batch: list[str] | None = None) -> None:
        self.stop_all(cancel_batch=True)
        self._finish_run_now()
        self._wanted = session_id
        self.jobs.run(
            read,
            lambda view: self._on_loaded(view, batch),
            self._on_load_failed,
            queue=STORE_QUEUE,
            slot="session",
        )

    def _on_loaded(self, view: SessionView, batch: list[str] | None) -> None:
        self._wanted = view.session_id
        self.view = view
        self._messages.clear()
        self._drop_backends(keep={t.id for t in view.targets})
        self.session_opened.emit(view.session)
        if batch and view.session is not None:
            self.run_batch(batch)

    def _on_load_failed(self, exc: Exception) -> None:
        log.warning("a compare session could not be opened: %s", exc)
        self._on_loaded(SessionView(), None)

    def set_blind(self, blind: bool) -> None:
        """Show the open session blind, or side by side (stored by a job)."""
        session = self.session
        if session is None or session.blind == blind:
            return
        session.blind = blind
        compare = self.compare
        self.jobs.run(
            lambda: compare.update_session(session.id, blind=blind),
            None,
            self._tell,
            queue=STORE_QUEUE,
        )
        self.list_sessions()

    def set_blind_order(self, rnd: Round, order: list[int]) -> Round:
        """Show ``rnd`` blind in this order from now on; returns it so (stored by a job)."""
        shown = replace(rnd, blind=True, blind_order=list(order), answers=dict(rnd.answers))
        self.view.with_round(shown)
        compare = self.compare
        self.jobs.run(
            lambda: compare.set_blind_order(rnd.id, list(order)),
            None,
            self._tell,
            queue=STORE_QUEUE,
        )
        return shown

    def vote(self, round_id: int, outcome: str, winner_target_id: int | None = None) -> None:
        """Store the judgement of a round; it comes back as :attr:`vote_recorded`."""
        compare = self.compare
        self._voting = True

        def failed(exc: Exception) -> None:
            self._voting = False
            self._tell(exc)

        self.jobs.run(
            lambda: compare.record_vote(round_id, outcome, winner_target_id),
            self._on_voted,
            failed,
            queue=STORE_QUEUE,
        )
        self.list_sessions()

    def _on_voted(self, vote: StoredVote) -> None:
        self._voting = False
        if any(r.id == vote.round_id for r in self.view.rounds):
            self.view.votes[vote.round_id] = vote  # type: ignore[index]
        self.vote_recorded.emit(vote)

    def _tell(self, exc: Exception) -> None:
        if isinstance(exc, _TOLD):
            self.noticed.emit(str(exc).strip("'\""))
        else:
            log.error("a compare job failed", exc_info=exc)
            self.noticed.emit(self.tr("Something went wrong; the log file has the details."))

    # -- rounds -----------------------------------------------------------------------------------

    def send(self, prompt: str, *, title: str | None = None) -> bool:
        """Send ``prompt`` to every target as a new round; False if it can't start now.

        ``title``: rename the session first (its first prompt names it). In a blind session,
        and in a batch, every round is a new question (the targets don't see earlier rounds),
        so an answer can't give a target away by referring back. The round's question is
        stored by a job; the round starts when it is (:attr:`round_started`).
        """
        session = self.session
        if session is None or self.opening or self._run is not None or not prompt.strip():
            return False
        fresh = session.blind or self._batch is not None
        targets, compare, rng = list(self.targets), self.compare, self._rng

        def work():
            renamed = None
            if title:
                try:
                    compare.update_session(session.id, title=title)
                    renamed = compare.get_session(session.id)
                except (KeyError, StoreError) as exc:
                    log.warning("the comparison could not be renamed: %s", exc)
            rnd, questions = open_round(
                compare, session.id, prompt, targets, fresh=fresh, blind=session.blind, rng=rng
            )
            return renamed, rnd, questions, asked_of(compare, questions)

        self._prepare(work)
        return True

    def regenerate(self, target_id: int) -> None:
        """Ask one target again for the last round's answer (a new version beside the old)."""
        session = self.session
        target = next((t for t in self.targets if t.id == target_id), None)
        if session is None or target is None or self.opening or self._run is not None:
            return
        compare = self.compare

        def work():
            again = question_again(compare, session.id, target)
            if again is None:
                return None
            rnd, question = again
            return None, rnd, [question], asked_of(compare, [question])

        self._prepare(work)

    def _prepare(self, work) -> None:
        """Store the round's questions (``work``, a job), then start it."""
        run = self._run = RunningRound()
        self.jobs.run(
            work,
            lambda prepared: self._on_prepared(run, prepared),
            lambda exc: self._on_prepared(run, None, exc),
            queue=STORE_QUEUE,
        )

    def _on_prepared(self, run: RunningRound, prepared, exc: Exception | None = None) -> None:
        current = self._run is run
        if prepared is None:
            if current:
                self._run = None
                if exc is not None:
                    self._tell(exc)
                self._stop_batch()
            return
        renamed, rnd, questions, asked = prepared
        if renamed is not None and current and self.session is not None:
            self.session.title = renamed.title
            self.session_updated.emit(self.session)
        self.list_sessions()  # the round made the session the most recently used
        self._start(run, rnd, questions, asked, current=current)

    def _entry(self, rnd: Round, question: Question, *, live: bool = True) -> RoundEntry:
        target = question.target
        spec = target.spec
        backend: Backend | None = None
        error: Error | None = None
        if not live:
            error = Error(not_started())  # cancelled before it began: recorded, never loaded
        elif spec.is_local:
            backend = LocalBackend(spec.model, spec.load_options())
        else:
            backend, error = self._cloud.backend(target.id, spec.provider, spec.model)
        return recorded_entry(self.compare, rnd.id, question, backend, key=target.id, error=error)

    def _start(
        self,
        run: RunningRound,
        rnd: Round,
        questions: list[Question],
        asked: dict[int, Message],
        *,
        current: bool,
    ) -> None:
        # A round whose session was left (or Stop all pressed) before its questions were
        # stored still runs, cancelled: every target ends with a stored message.
        live = current and not run.cancelled
        entries = [self._entry(rnd, q, live=live) for q in questions]
        runner = RoundRunner(entries, memory=self._memory, pool=self.pool if live else None)
        run.round, run.runner = rnd, runner
        run.questions = {q.target.id: q for q in questions}
        run.asked = asked
        run.ids = [q.target.id for q in questions]
        if not live:
            runner.cancel()
        if current:
            self._messages.update({m.id: m for m in asked.values()})
            self.round_started.emit(rnd)
            for q, e in zip(questions, entries, strict=True):
                if q.target.spec.is_local and e.error is None:
                    self.pane_status.emit(q.target.id, self.tr("Checking memory…"))
            self._timer.start()
        compare, store = self.compare, self.store

        def on_event(event: ev.RoundEvent) -> None:  # on the engine's threads
            if isinstance(event, ev.Text | ev.Reasoning):
                text = event.text if isinstance(event, ev.Text) else ""
                reasoning = event.text if isinstance(event, ev.Reasoning) else ""
                run.buffer.add(run.ids[event.index], text, reasoning)
                return
            message = None
            message_id = message_id_of(event)
            if message_id is not None:
                try:
                    message = store.get_message(message_id)
                except (KeyError, StoreError):
                    message = None
            self._event_arrived.emit(run, event, message)

        def work():
            runner.run(on_event=on_event)
            try:
                return compare.get_round(rnd.id), read_view(compare, rnd.session_id)
            except (KeyError, StoreError):
                return rnd, None

        self.jobs.run(
            work,
            lambda result: self._on_round_done(run, *result),
            lambda exc: self._on_round_done(run, rnd, None),
            thread=True,
        )

    def _on_event(self, run: RunningRound, event: ev.RoundEvent, message: Message | None) -> None:
        if self._run is not run:
            return
        if isinstance(event, ev.Planned):
            if event.sequential:
                self.noticed.emit(
                    self.tr(
                        "These local models don't fit in memory together, so they answer one "
                        "after the other."
                    )
                )
            return
        target_id = run.ids[event.index]
        if message is not None:
            self._messages[message.id] = message
        if isinstance(event, ev.Loading):
            self.pane_status.emit(target_id, self.tr("Loading the model…"))
        elif isinstance(event, ev.Started):
            run.started.add(target_id)
            self.pane_started.emit(target_id, event.message_id or 0)
        elif isinstance(event, ev.Finished | ev.Failed | ev.Stopped):
            self._flush_target(run, target_id)
            run.ended.add(target_id)
            result = event.result
            self.pane_ended.emit(target_id, (result.message_id if result else None) or 0)

    def _flush(self) -> None:
        run = self._run
        if run is None:
            self._timer.stop()
            return
        for target_id in list(run.started - run.ended):
            self._flush_target(run, target_id)

    def _flush_target(self, run: RunningRound, target_id: int) -> None:
        text, reasoning = run.buffer.take(target_id)
        if text or reasoning:
            self.pane_text.emit(target_id, text, reasoning)

    def _on_round_done(self, run: RunningRound, rnd: Round, view: SessionView | None) -> None:
        if self._run is not run:
            return
        self._run = None
        self._timer.stop()
        if view is not None and view.session_id == self.view.session_id and not self.opening:
            # The session and its targets stay the objects the page holds.
            self.view = replace(view, session=self.view.session, targets=self.view.targets)
        self.round_finished.emit(rnd)
        if view is not None:
            self.view_changed.emit(self.view)
        self.list_sessions()
        self._continue_batch()

    def pane_running(self, target_id: int) -> bool:
        """Whether this target's part of the running round has not ended yet."""
        run = self._run
        return run is not None and target_id in run.questions and target_id not in run.ended

    def question_of(self, round_id: int, target_id: int) -> Message | None:
        """The question a target of the running round answers (None if not running)."""
        run = self._run
        if run is None or run.round is None or run.round.id != round_id:
            return None
        return run.asked.get(target_id)

    # -- stopping ---------------------------------------------------------------------------------

    def stop(self, target_id: int) -> None:
        """Stop one pane: its reply keeps what was written; a pane still waiting won't start."""
        run = self._run
        if run is None or run.runner is None or target_id not in run.questions:
            return
        if target_id not in run.ended:
            run.runner.stop(run.ids.index(target_id))

    def stop_all(self, *, cancel_batch: bool = True) -> None:
        """Stop every pane (and, by default, the rest of a batch)."""
        if cancel_batch and self._batch is not None:
            self._batch_cancelled = True
            self._batch.clear()
        if self._run is not None:
            self._run.cancelled = True
            if self._run.runner is not None:
                self._run.runner.cancel()

    def _finish_run_now(self) -> None:
        """Forget the running round (it was cancelled; its replies save themselves)."""
        self._run = None
        self._timer.stop()
        if self._batch is not None:
            self._batch = None
            self.batch_finished.emit(True)

    # -- batches ----------------------------------------------------------------------------------

    def run_batch(self, prompts: list[str]) -> None:
        """Send each prompt as a round of its own, one after the other, in the open session."""
        prompts = [p for p in prompts if p.strip()]
        if self.session is None or self.busy or not prompts:
            return
        self._batch = list(prompts)
        self._batch_total = len(prompts)
        self._batch_cancelled = False
        self.batch_progressed.emit(0, self._batch_total)
        self._continue_batch(first=True)

    def cancel_batch(self) -> None:
        self.stop_all(cancel_batch=True)

    def _continue_batch(self, *, first: bool = False) -> None:
        if self._batch is None:
            return
        done = self._batch_total - len(self._batch)
        if not first:
            self.batch_progressed.emit(done, self._batch_total)
        if not self._batch:
            cancelled = self._batch_cancelled
            self._batch = None
            self.batch_finished.emit(cancelled)
            return
        prompt = self._batch.pop(0)
        if not self.send(prompt):
            self._stop_batch()

    def _stop_batch(self) -> None:
        if self._batch is not None:
            self._batch = None
            self.batch_finished.emit(True)

    @property
    def batch_running(self) -> bool:
        return self._batch is not None

    # -- models -----------------------------------------------------------------------------------

    def loaded_targets(self) -> list[int]:
        return [k for k in self.pool.loaded_keys() if isinstance(k, int)]

    def _drop_backends(self, keep: set[int] | None = None) -> None:
        gone = self.pool.take_all_except(keep or set())
        if gone:
            # Ending a process can take a moment; never on the GUI thread.
            self.jobs.run(lambda: [b.unload() for b in gone], queue="compare-unload")
        self._cloud.close_all_except(keep or set())

    def shutdown(self) -> None:
        """Stop everything and end every model process (the window is closing)."""
        self.stop_all(cancel_batch=True)
        self._batch = None
        self.pool.close()
        self._cloud.close_all_except()
