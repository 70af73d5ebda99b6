"""Compare mode's engine room: runs one prompt on 2–4 targets at once, without blocking the GUI.

:class:`CompareController` owns the open compare session, the models it keeps loaded and the
round in progress. Each pane's reply is saved as it streams (``core.chat.start_reply``) and read
on a worker thread by a :class:`~workbench.qt.workers.ReplyRunner`, whose coalesced batches
arrive here and go out as signals keyed by target id; the page never sees a backend.

Local targets are packed into groups that fit in memory together
(:func:`~workbench.core.compare.schedule.plan_groups`); the groups answer one after the other,
each group's models at once, while cloud targets answer straight away. A group already loaded
goes first, so consecutive rounds don't reload what is in memory.

Every pane of every round ends with a stored message: a load failure, a missing key or a pane
stopped before it started is saved as a failed or stopped reply, so a restart shows each round
as it ended.
"""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from workbench.core.backend import Backend, ChatMessage, Stats
from workbench.core.chat import history, start_reply
from workbench.core.compare.schedule import (
    MemoryProbe,
    need_of,
    plan_groups,
    split_threads,
)
from workbench.core.compare.sessions import CompareSession, CompareStore, CompareTarget, Round
from workbench.core.local.host import LocalBackend, ModelLoadError
from workbench.core.options import LoadOptions
from workbench.core.store import Store, StoreError
from workbench.qt.cloud import CloudSession
from workbench.qt.jobs import JobRunner
from workbench.qt.workers import ReplyRunner

log = logging.getLogger(__name__)


@dataclass
class _Pane:
    """One target's part of the round in progress."""

    target: CompareTarget
    messages: list[ChatMessage]
    parent_id: int
    state: str = "waiting"  # waiting, loading, streaming, complete, cancelled, error
    message_id: int | None = None
    runner: ReplyRunner | None = None

    @property
    def done(self) -> bool:
        return self.state in ("complete", "cancelled", "error")


@dataclass
class _Run:
    """The round in progress: its panes and the local groups still to answer."""

    round: Round
    panes: dict[int, _Pane]
    groups: list[list[int]] = field(default_factory=list)
    group: list[int] = field(default_factory=list)  # the local group answering now
    planned: bool = False


class CompareController(QObject):
    """Runs compare rounds and prompt-set batches for one session at a time.

    Signals:
        session_opened(object): the :class:`CompareSession` now open (None: none).
        session_updated(object): the open session's title, tags or blind setting changed.
        round_started(object): a :class:`Round` began (also a regenerated pane's).
        pane_status(int, str): target id, a short status ("Loading the model…").
        pane_started(int, int): target id, id of the assistant message now streaming.
        pane_text(int, str, str): target id, new answer text, new reasoning text.
        pane_ended(int, int): target id, id of the finished message (read it from the store).
        round_finished(object): every pane of the round ended.
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
    noticed = Signal(str)
    batch_progressed = Signal(int, int)
    batch_finished = Signal(bool)
    models_changed = Signal()
    _loaded = Signal(object, int, object, str)  # run, target id, backend or None, error

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
        self.session: CompareSession | None = None
        self.targets: list[CompareTarget] = []
        self._run: _Run | None = None
        self._local: dict[int, tuple[LocalBackend, dict]] = {}  # target id → (backend, options)
        self._cloud: dict[int, tuple[Backend, tuple]] = {}
        self._batch: list[str] | None = None
        self._batch_total = 0
        self._batch_cancelled = False
        self._loaded.connect(self._on_loaded)

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
            rnd = self.compare.add_round(
                self.session.id, prompt, blind=self.session.blind, rng=self._rng
            )
            panes: dict[int, _Pane] = {}
            for t in self.targets:
                extra = {"parent_id": None} if fresh else {}
                user = self.store.add_message(t.conversation_id, "user", prompt, **extra)
                thread = self.store.thread(t.conversation_id)
                panes[t.id] = _Pane(t, history(thread, t.spec.system_prompt), user.id)
        except (StoreError, KeyError) as exc:
            self.noticed.emit(str(exc))
            return None
        self._start(rnd, panes)
        return rnd

    def regenerate(self, target_id: int) -> None:
        """Ask one target again for the last round's answer (a new version beside the old)."""
        if self.session is None or self._run is not None:
            return
        rounds = self.compare.rounds(self.session.id)
        target = next((t for t in self.targets if t.id == target_id), None)
        if not rounds or target is None:
            return
        rnd = rounds[-1]
        answer = rnd.answers.get(target_id)
        try:
            if answer is None:
                return
            parent = self.store.get_message(answer).parent_id
            if parent is None:
                return
            path = self._path_to(parent)
        except (KeyError, StoreError) as exc:
            self.noticed.emit(str(exc))
            return
        pane = _Pane(target, history(path, target.spec.system_prompt), parent)
        self._start(rnd, {target_id: pane})

    def _path_to(self, message_id: int) -> list:
        """The messages from the thread's first one down to ``message_id``."""
        out = []
        current: int | None = message_id
        while current is not None and len(out) < 10_000:
            m = self.store.get_message(current)
            out.append(m)
            current = m.parent_id
        return out[::-1]

    def _start(self, rnd: Round, panes: dict[int, _Pane]) -> None:
        run = _Run(rnd, panes)
        self._run = run
        self.round_started.emit(rnd)
        for pane in panes.values():
            if not pane.target.spec.is_local:
                self._start_cloud(run, pane)
        local = [p for p in panes.values() if p.target.spec.is_local]
        if not local:
            self._check_round_end(run)
            return
        for p in local:
            self.pane_status.emit(p.target.id, self.tr("Checking memory…"))
        ids = [p.target.id for p in local]
        specs = [(p.target.id, p.target.spec.model, p.target.spec.load_options()) for p in local]
        probe = self._memory

        def plan() -> list[list[int]]:
            from workbench.core.sysmem import detect_memory

            needs = [need_of(path, load) for _, path, load in specs]
            memory = probe() if probe is not None else detect_memory()
            return [[ids[i] for i in group] for group in plan_groups(needs, memory)]

        def planned(groups: list[list[int]]) -> None:
            if self._run is not run:
                return
            # A group whose models are all loaded answers first: no reload between rounds.
            groups.sort(key=lambda g: not all(t in self._local for t in g))
            run.groups, run.planned = groups, True
            if len(groups) > 1:
                self.noticed.emit(
                    self.tr(
                        "These local models don't fit in memory together, so they answer one "
                        "after the other."
                    )
                )
            self._next_group(run)

        def failed(exc: Exception) -> None:
            log.warning("planning the local targets failed: %s", exc)
            planned([[i] for i in ids])

        self.jobs.run(plan, planned, failed)

    def _next_group(self, run: _Run) -> None:
        """Start the next local group, after unloading models it doesn't include."""
        while run.groups:
            group = [t for t in run.groups.pop(0) if not run.panes[t].done]
            if not group:
                continue
            run.group = group
            together = len(group)
            for other in list(self._local):
                if other not in group:
                    self._unload(other)
            for target_id in group:
                pane = run.panes[target_id]
                options = pane.target.spec.load_options()
                if together > 1 and not options.threads:
                    # Models answering at once share the cores instead of fighting over them.
                    options.threads = split_threads(together)
                loaded = self._local.get(target_id)
                if loaded is not None and loaded[1] == options.to_dict() and loaded[0].is_loaded:
                    self._start_pane(run, pane, loaded[0])
                    continue
                if loaded is not None:
                    self._unload(target_id)
                self._load(run, pane, options)
            return
        run.group = []
        self._check_round_end(run)

    def _load(self, run: _Run, pane: _Pane, options: LoadOptions) -> None:
        pane.state = "loading"
        self.pane_status.emit(pane.target.id, self.tr("Loading the model…"))
        backend = LocalBackend(pane.target.spec.model, options)

        def work() -> None:
            try:
                backend.load()
            except ModelLoadError as exc:
                self._loaded.emit(run, pane.target.id, None, str(exc))
            except Exception as exc:  # a bug costs this pane, not the window
                log.exception("loading %s failed", backend.path)
                self._loaded.emit(run, pane.target.id, None, f"Loading failed unexpectedly: {exc}")
            else:
                self._loaded.emit(run, pane.target.id, backend, "")

        threading.Thread(target=work, daemon=True, name="compare-load").start()

    def _on_loaded(
        self, run: _Run, target_id: int, backend: LocalBackend | None, error: str
    ) -> None:
        pane = run.panes.get(target_id)
        if backend is not None and (self._run is not run or pane is None or pane.done):
            threading.Thread(target=backend.unload, daemon=True).start()  # nobody wants it now
            return
        if pane is None or pane.done:
            return
        if backend is None:
            self._fail_pane(run, pane, error)
            return
        self._local[target_id] = (backend, backend.options.to_dict())
        self.models_changed.emit()
        self._start_pane(run, pane, backend)

    def _start_cloud(self, run: _Run, pane: _Pane) -> None:
        spec = pane.target.spec
        provider = self.cloud.provider(spec.provider)
        if provider is None:
            self._fail_pane(
                run,
                pane,
                self.tr(
                    "The provider {0} is no longer set up; add it again in Settings › Providers."
                ).format(spec.provider),
            )
            return
        if self.cloud.needs_key(spec.provider) and self.cloud.key_source(spec.provider) is None:
            self._fail_pane(
                run,
                pane,
                self.tr("There is no key for {0} yet: add it in Settings › Providers.").format(
                    provider.name
                ),
            )
            return
        key = (provider.base_url, self.cloud.key_version(spec.provider))
        cached = self._cloud.get(pane.target.id)
        if cached is None or cached[1] != key:
            if cached is not None:
                cached[0].close()
            cached = (self.cloud.backend(spec.provider, spec.model), key)
            self._cloud[pane.target.id] = cached
        self._start_pane(run, pane, cached[0])

    def _start_pane(self, run: _Run, pane: _Pane, backend: Backend) -> None:
        try:
            reply = start_reply(
                self.store,
                backend,
                pane.target.conversation_id,
                pane.messages,
                pane.target.spec.sampling(),
                parent_id=pane.parent_id,
            )
            self.compare.set_answer(run.round.id, pane.target.id, reply.message_id)
        except (StoreError, KeyError) as exc:
            self._fail_pane(run, pane, str(exc), record=False)
            return
        pane.state = "streaming"
        pane.message_id = reply.message_id
        runner = ReplyRunner(reply, self)
        pane.runner = runner
        target_id = pane.target.id
        runner.text_received.connect(
            lambda text, reasoning: self.pane_text.emit(target_id, text, reasoning)
        )
        runner.reply_finished.connect(lambda stats: self._on_pane_end(run, target_id, stats))
        runner.reply_failed.connect(lambda _message: self._on_pane_end(run, target_id, None))
        self.pane_started.emit(target_id, reply.message_id)
        runner.start()

    def _fail_pane(self, run: _Run, pane: _Pane, message: str, *, record: bool = True) -> None:
        """End a pane that could not start, saving the failure as its answer."""
        self._end_unstarted(run, pane, "error", message if record else None, record=record)

    def _end_unstarted(
        self, run: _Run, pane: _Pane, state: str, error: str | None, *, record: bool = True
    ) -> None:
        """End a pane that never streamed; its outcome is saved as its answer."""
        pane.state = state
        if record:
            try:
                m = self.store.add_message(
                    pane.target.conversation_id,
                    "assistant",
                    source=pane.target.spec.provider,
                    model=pane.target.spec.short_name,
                    state=state,
                    error=error,
                    parent_id=pane.parent_id,
                )
                pane.message_id = m.id
                self.compare.set_answer(run.round.id, pane.target.id, m.id)
            except (StoreError, KeyError) as exc:
                log.warning("a compare answer that never started could not be saved: %s", exc)
        self.pane_ended.emit(pane.target.id, pane.message_id or 0)
        self._after_pane(run, pane.target.id)

    def _on_pane_end(self, run: _Run, target_id: int, stats: Stats | None) -> None:
        pane = run.panes[target_id]
        if pane.runner is not None:
            pane.runner.deleteLater()
            pane.runner = None
        if stats is None:
            pane.state = "error"
        else:
            pane.state = "cancelled" if stats.finish_reason == "cancelled" else "complete"
        self.pane_ended.emit(target_id, pane.message_id or 0)
        self._after_pane(run, target_id)

    def _after_pane(self, run: _Run, target_id: int) -> None:
        if self._run is not run:
            return
        if target_id in run.group and all(run.panes[t].done for t in run.group):
            self._next_group(run)
            return
        self._check_round_end(run)

    def _check_round_end(self, run: _Run) -> None:
        if self._run is not run or not all(p.done for p in run.panes.values()):
            return
        if not run.planned and any(p.target.spec.is_local for p in run.panes.values()):
            return  # the memory plan is still being made; it ends the round when it arrives
        self._run = None
        try:
            rnd = self.compare.get_round(run.round.id)
        except (KeyError, StoreError):
            rnd = run.round
        self.round_finished.emit(rnd)
        self._continue_batch()

    def pane_running(self, target_id: int) -> bool:
        """Whether this target's part of the running round has not ended yet."""
        run = self._run
        return run is not None and target_id in run.panes and not run.panes[target_id].done

    def question_of(self, round_id: int, target_id: int) -> int | None:
        """The user message a target of the running round answers (None if not running)."""
        run = self._run
        if run is None or run.round.id != round_id or target_id not in run.panes:
            return None
        return run.panes[target_id].parent_id

    # -- stopping ---------------------------------------------------------------------------------

    def stop(self, target_id: int) -> None:
        """Stop one pane: its reply keeps what was written; a pane still waiting won't start."""
        run = self._run
        if run is None or target_id not in run.panes:
            return
        pane = run.panes[target_id]
        if pane.runner is not None:
            pane.runner.cancel()
        elif not pane.done:
            self._stop_unstarted(run, pane)

    def stop_all(self, *, cancel_batch: bool = True) -> None:
        """Stop every pane (and, by default, the rest of a batch)."""
        if cancel_batch and self._batch is not None:
            self._batch_cancelled = True
            self._batch.clear()
        run = self._run
        if run is None:
            return
        for pane in list(run.panes.values()):
            if pane.runner is not None:
                pane.runner.cancel()
            elif not pane.done:
                self._stop_unstarted(run, pane)

    def _stop_unstarted(self, run: _Run, pane: _Pane) -> None:
        self._end_unstarted(run, pane, "cancelled", None)

    def _finish_run_now(self) -> None:
        """Forget the running round (its replies were cancelled and save themselves)."""
        self._run = None
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
        return list(self._local)

    def _unload(self, target_id: int) -> None:
        entry = self._local.pop(target_id, None)
        if entry is not None:
            # Ending a process can take a moment; never on the GUI thread.
            threading.Thread(target=entry[0].unload, daemon=True, name="compare-unload").start()
            self.models_changed.emit()

    def _drop_backends(self, keep: set[int] | None = None) -> None:
        keep = keep or set()
        for target_id in list(self._local):
            if target_id not in keep:
                self._unload(target_id)
        for target_id in list(self._cloud):
            if target_id not in keep:
                self._cloud.pop(target_id)[0].close()

    def shutdown(self) -> None:
        """Stop everything and end every model process (the window is closing)."""
        self.stop_all(cancel_batch=True)
        self._batch = None
        for backend, _options in self._local.values():
            backend.unload()
        self._local.clear()
        for backend, _key in self._cloud.values():
            backend.close()
        self._cloud.clear()
