"""Compare mode for the window: a signal adapter over the core compare engine.

:class:`CompareController` owns the open compare session, the pool of local models it keeps
loaded between rounds and the round in progress. A round is run by the same engine as the
command line (:class:`~workbench.core.compare.runner.RoundRunner`: memory groups, thread split,
loading, failure sentences) as one long job of the :class:`~workbench.qt.jobs.JobRunner`; its
events arrive here on the GUI thread, queued, and go out as signals keyed by target id. The
answer text is coalesced (:class:`_TextBuffer`): the page hears it at most 20 times a second,
however fast the models write. Each reply is saved as it streams and every target of every
round ends with a stored message (:mod:`workbench.core.compare.record`), so a restart shows
each round as it ended.

What the page shows of a session (its rounds, answers and votes for the table) is read here off
the GUI thread: :meth:`CompareController.refresh_review` and the end of every round deliver a
:class:`ReviewData` ready to display.
"""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.backend import Backend, Error
from workbench.core.chat import history
from workbench.core.compare import events as ev
from workbench.core.compare.pool import ModelPool
from workbench.core.compare.record import Question, open_round, recorded_entry
from workbench.core.compare.runner import RoundEntry, RoundRunner
from workbench.core.compare.schedule import MemoryProbe
from workbench.core.compare.sessions import (
    CompareSession,
    CompareStore,
    CompareTarget,
    Round,
    StoredVote,
)
from workbench.core.local.host import LocalBackend
from workbench.core.store import Message, Store, StoreError
from workbench.qt.cloud import CloudSession
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

FLUSH_INTERVAL_MS = 50


@dataclass
class ReviewData:
    """A session's rounds with their answers and votes, read off the GUI thread."""

    session_id: int | None = None
    rounds: list[Round] = field(default_factory=list)
    messages: dict[int, Message] = field(default_factory=dict)
    votes: dict[int, StoredVote] = field(default_factory=dict)


def read_review(compare: CompareStore, session_id: int | None) -> ReviewData:
    """Everything the review table needs of a session (runs on a worker thread)."""
    if session_id is None:
        return ReviewData()
    rounds = compare.rounds(session_id)
    ids = [m for r in rounds for m in r.answers.values() if m is not None]
    messages = {}
    for message_id in ids:
        try:
            messages[message_id] = compare.store.get_message(message_id)
        except KeyError:
            continue
    return ReviewData(session_id, rounds, messages, compare.votes_by_round(session_id))


class _TextBuffer:
    """Answer text by target, appended on worker threads, drained on the GUI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._text: dict[int, list[str]] = {}
        self._reasoning: dict[int, list[str]] = {}

    def add(self, target_id: int, text: str, reasoning: str) -> None:
        with self._lock:
            if text:
                self._text.setdefault(target_id, []).append(text)
            if reasoning:
                self._reasoning.setdefault(target_id, []).append(reasoning)

    def take(self, target_id: int) -> tuple[str, str]:
        with self._lock:
            text = "".join(self._text.pop(target_id, ()))
            reasoning = "".join(self._reasoning.pop(target_id, ()))
        return text, reasoning


@dataclass
class _Run:
    """The round in progress."""

    round: Round
    questions: dict[int, Question]  # target id → its question
    runner: RoundRunner
    ids: list[int]  # entry index → target id
    started: set[int] = field(default_factory=set)
    ended: set[int] = field(default_factory=set)
    buffer: _TextBuffer = field(default_factory=_TextBuffer)


class CompareController(QObject):
    """Runs compare rounds and prompt-set batches for one session at a time.

    Signals:
        session_opened(object): the :class:`CompareSession` now open (None: none).
        session_updated(object): the open session's title, tags or blind setting changed.
        round_started(object): a :class:`Round` began (also a regenerated pane's).
        pane_status(int, str): target id, a short status ("Loading the model…").
        pane_started(int, int): target id, id of the assistant message now streaming.
        pane_text(int, str, str): target id, new answer text, new reasoning text.
        pane_ended(int, int): target id, id of the finished message (see :meth:`message`).
        round_finished(object): every pane of the round ended (:attr:`review` is up to date).
        review_changed(object): new :class:`ReviewData` for the open session.
        noticed(str): one sentence for the page (scheduling, a failure to start).
        batch_progressed(int, int): prompts done, prompts in the batch.
        batch_finished(bool): the batch ended; true when it was cancelled.
        models_changed(): local models were loaded or unloaded.
    """

    session_opened = Signal(object)
    session_updated = Signal(object)
    round_started = Signal(object)
    pane_status = Signal(int, str)
    pane_started = Signal(int, int)
    pane_text = Signal(int, str, str)
    pane_ended = Signal(int, int)
    round_finished = Signal(object)
    review_changed = Signal(object)
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
        self.session: CompareSession | None = None
        self.targets: list[CompareTarget] = []
        self.review = ReviewData()
        self._run: _Run | None = None
        self._messages: dict[int, Message] = {}  # the latest state of the panes' messages
        self._cloud: dict[int, tuple[Backend, tuple]] = {}
        self._batch: list[str] | None = None
        self._batch_total = 0
        self._batch_cancelled = False
        self._event_arrived.connect(self._on_event)
        self._pool_changed.connect(self.models_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(FLUSH_INTERVAL_MS)
        self._timer.timeout.connect(self._flush)

    # -- sessions ---------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A round (or a batch) is running."""
        return self._run is not None or self._batch is not None

    def open_session(self, session_id: int | None) -> None:
        """Show another session (stops what runs, unloads models the new one doesn't use)."""
        if self.session is not None and session_id == self.session.id:
            return
        self.stop_all(cancel_batch=True)
        self._finish_run_now()
        if session_id is None:
            self.session, self.targets = None, []
        else:
            try:
                self.session = self.compare.get_session(session_id)
                self.targets = self.compare.targets(session_id)
            except (KeyError, StoreError) as exc:
                log.warning("compare session %s could not be opened: %s", session_id, exc)
                self.session, self.targets = None, []
        self._drop_backends(keep={t.id for t in self.targets})
        self.review = ReviewData(self.session.id if self.session else None)
        self.session_opened.emit(self.session)

    def reload_session(self) -> None:
        """Re-read the open session (after its title, tags or blind setting changed)."""
        if self.session is not None:
            try:
                self.session = self.compare.get_session(self.session.id)
            except KeyError:
                self.session = None
            self.session_updated.emit(self.session)

    def set_blind(self, blind: bool) -> None:
        if self.session is None or self.session.blind == blind:
            return
        self.compare.update_session(self.session.id, blind=blind)
        self.session.blind = blind

    def refresh_review(self) -> None:
        """Read the open session's rounds, answers and votes off the GUI thread; the result
        comes as :attr:`review_changed`."""
        session_id = self.session.id if self.session else None
        compare = self.compare
        self.jobs.run(
            lambda: read_review(compare, session_id),
            self._set_review,
            lambda exc: self.noticed.emit(str(exc)),
            slot="review",
        )

    def _set_review(self, data: ReviewData) -> None:
        if data.session_id != (self.session.id if self.session else None):
            return  # another session was opened meanwhile
        self.review = data
        self.review_changed.emit(data)

    def message(self, message_id: int) -> Message | None:
        """A pane message as the engine last reported it (read off the GUI thread)."""
        return self._messages.get(message_id)

    # -- rounds -----------------------------------------------------------------------------------

    def send(self, prompt: str) -> Round | None:
        """Send ``prompt`` to every target; returns the new round (None if one is running).

        In a blind session, and in a batch, every round is a new question (the targets don't
        see earlier rounds), so an answer can't give a target away by referring back.
        """
        if self.session is None or self._run is not None or not prompt.strip():
            return None
        fresh = self.session.blind or self._batch is not None
        try:
            rnd, questions = open_round(
                self.compare,
                self.session.id,
                prompt,
                self.targets,
                fresh=fresh,
                blind=self.session.blind,
                rng=self._rng,
            )
        except (StoreError, KeyError) as exc:
            self.noticed.emit(str(exc))
            return None
        self._start(rnd, questions)
        return rnd

    def regenerate(self, target_id: int) -> None:
        """Ask one target again for the last round's answer (a new version beside the old)."""
        if self.session is None or self._run is not None:
            return
        target = next((t for t in self.targets if t.id == target_id), None)
        try:
            rounds = self.compare.rounds(self.session.id)
            if not rounds or target is None:
                return
            rnd = rounds[-1]
            answer = rnd.answers.get(target_id)
            if answer is None:
                return
            parent = self.store.get_message(answer).parent_id
            if parent is None:
                return
            path = self._path_to(parent)
        except (KeyError, StoreError) as exc:
            self.noticed.emit(str(exc))
            return
        question = Question(target, history(path, target.spec.system_prompt), parent)
        self._start(rnd, [question])

    def _path_to(self, message_id: int) -> list:
        """The messages from the thread's first one down to ``message_id``."""
        out = []
        current: int | None = message_id
        while current is not None and len(out) < 10_000:
            m = self.store.get_message(current)
            out.append(m)
            current = m.parent_id
        return out[::-1]

    def _entry(self, rnd: Round, question: Question) -> RoundEntry:
        target = question.target
        spec = target.spec
        backend: Backend | None = None
        error: Error | None = None
        if spec.is_local:
            backend = LocalBackend(spec.model, spec.load_options())
        else:
            backend, error = self._cloud_backend(target)
        return recorded_entry(self.compare, rnd.id, question, backend, key=target.id, error=error)

    def _cloud_backend(self, target: CompareTarget) -> tuple[Backend | None, Error | None]:
        """The target's cloud backend (kept while its provider's address and key stay the
        same), or why it cannot answer."""
        spec = target.spec
        provider = self.cloud.provider(spec.provider)
        if provider is None:
            return None, Error(
                self.tr(
                    "The provider {0} is no longer set up; add it again in Settings › Providers."
                ).format(spec.provider),
                "not_found",
            )
        if self.cloud.needs_key(spec.provider) and self.cloud.key_source(spec.provider) is None:
            return None, Error(
                self.tr("There is no key for {0} yet: add it in Settings › Providers.").format(
                    provider.name
                ),
                "auth",
            )
        key = (provider.base_url, self.cloud.key_version(spec.provider))
        cached = self._cloud.get(target.id)
        if cached is None or cached[1] != key:
            if cached is not None:
                cached[0].close()
            cached = (self.cloud.backend(spec.provider, spec.model), key)
            self._cloud[target.id] = cached
        return cached[0], None

    def _start(self, rnd: Round, questions: list[Question]) -> None:
        entries = [self._entry(rnd, q) for q in questions]
        runner = RoundRunner(entries, memory=self._memory, pool=self.pool)
        run = _Run(
            rnd,
            {q.target.id: q for q in questions},
            runner,
            [q.target.id for q in questions],
        )
        self._run = run
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
            message_id = _message_id(event)
            if message_id is not None:
                try:
                    message = store.get_message(message_id)
                except (KeyError, StoreError):
                    message = None
            self._event_arrived.emit(run, event, message)

        def work():
            runner.run(on_event=on_event)
            try:
                return compare.get_round(rnd.id), read_review(compare, rnd.session_id)
            except (KeyError, StoreError):
                return rnd, None

        self.jobs.run(
            work,
            lambda result: self._on_round_done(run, *result),
            lambda exc: self._on_round_done(run, rnd, None),
            thread=True,
        )

    def _on_event(self, run: _Run, event: ev.RoundEvent, message: Message | None) -> None:
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

    def _flush_target(self, run: _Run, target_id: int) -> None:
        text, reasoning = run.buffer.take(target_id)
        if text or reasoning:
            self.pane_text.emit(target_id, text, reasoning)

    def _on_round_done(self, run: _Run, rnd: Round, review: ReviewData | None) -> None:
        if self._run is not run:
            return
        self._run = None
        self._timer.stop()
        if review is not None and self.session is not None and review.session_id == rnd.session_id:
            self.review = review
        self.round_finished.emit(rnd)
        if review is not None:
            self.review_changed.emit(self.review)
        self._continue_batch()

    def pane_running(self, target_id: int) -> bool:
        """Whether this target's part of the running round has not ended yet."""
        run = self._run
        return run is not None and target_id in run.questions and target_id not in run.ended

    def question_of(self, round_id: int, target_id: int) -> int | None:
        """The user message a target of the running round answers (None if not running)."""
        run = self._run
        if run is None or run.round.id != round_id or target_id not in run.questions:
            return None
        return run.questions[target_id].parent_id

    # -- stopping ---------------------------------------------------------------------------------

    def stop(self, target_id: int) -> None:
        """Stop one pane: its reply keeps what was written; a pane still waiting won't start."""
        run = self._run
        if run is None or target_id not in run.questions or target_id in run.ended:
            return
        run.runner.stop(run.ids.index(target_id))

    def stop_all(self, *, cancel_batch: bool = True) -> None:
        """Stop every pane (and, by default, the rest of a batch)."""
        if cancel_batch and self._batch is not None:
            self._batch_cancelled = True
            self._batch.clear()
        if self._run is not None:
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
        if self.send(prompt) is None:
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
        for target_id in list(self._cloud):
            if target_id not in (keep or set()):
                self._cloud.pop(target_id)[0].close()

    def shutdown(self) -> None:
        """Stop everything and end every model process (the window is closing)."""
        self.stop_all(cancel_batch=True)
        self._batch = None
        self.pool.close()
        for backend, _key in self._cloud.values():
            backend.close()
        self._cloud.clear()


def _message_id(event: ev.RoundEvent) -> int | None:
    if isinstance(event, ev.Started):
        return event.message_id
    result = getattr(event, "result", None)
    return result.message_id if result is not None else None
