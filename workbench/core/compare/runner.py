"""The compare engine: the same messages to every target of a round, with no Qt.

The command line and the window both run rounds with :class:`RoundRunner`, so they plan, load
and fail the same way. Each :class:`RoundEntry` holds a backend, the messages to send and the
sampling parameters; a local one (``local=True``) is loaded before it answers. The local targets
are packed into groups that fit in memory together (:func:`~.schedule.plan_groups`, from their
GGUF headers and :func:`~workbench.core.sysmem.detect_memory`). Group 0 answers together with
every cloud target; each later group follows on its own: the models of the group before are
unloaded, its models load at the same time and answer together. Every target of a phase has a
thread of its own. When several local models generate at once, each gets its share of the CPU
cores (:func:`~.schedule.split_threads`) unless the user chose a thread count.

Loaded models live in a :class:`~.pool.ModelPool`: given one, the runner reuses a model loaded
with the same file and options by an earlier round (a group already loaded answers first) and
leaves the models loaded when it ends; without one, it unloads every model it loaded.

As it runs, ``on_event`` hears what happens to each target (:mod:`.events`). :meth:`stop` stops
one target (a reply keeps what it wrote; a target still waiting never starts);
:meth:`RoundRunner.cancel` (or setting the ``cancel_event`` given) stops them all, and no later
group starts. Any thread may call either; a Ctrl-C in the thread that waits in
:meth:`RoundRunner.run` cancels too and is then raised again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from workbench.core.backend import (
    Backend,
    ChatMessage,
    Error,
    ReasoningDelta,
    Reply,
    Stats,
    TextDelta,
)
from workbench.core.compare import events as ev
from workbench.core.compare.pool import ModelPool
from workbench.core.compare.schedule import LocalNeed, need_of, plan_groups, split_threads
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.sysmem import MemoryInfo

log = logging.getLogger(__name__)

#: how often the waiting thread looks at the cancel event and at targets stopped while waiting
WAIT_S = 0.05
#: how long a cancelled round waits for its threads before giving up on them
CANCEL_JOIN_S = 10.0

# English keys of the catalogue; :func:`cancelled` and :func:`not_started` give the sentences.
CANCELLED = QT_TRANSLATE_NOOP(
    "core.compare.runner", "The round was cancelled before this answer was complete."
)
NOT_STARTED = QT_TRANSLATE_NOOP(
    "core.compare.runner", "The round was cancelled before this target could answer."
)


def cancelled() -> str:
    """What a target stopped while answering says, in the current language."""
    return translate("core.compare.runner", CANCELLED)


def not_started() -> str:
    """What a target stopped before it began says, in the current language."""
    return translate("core.compare.runner", NOT_STARTED)


StartReply = Callable[[Backend, list[ChatMessage], SamplingParams], Reply]
OnEvent = Callable[[ev.RoundEvent], None]


@dataclass
class RoundEntry:
    """One target of a round.

    Attributes:
        target: The target as the user wrote it (reported back unchanged).
        backend: Who answers. A local one needs ``load()`` and ``unload()``; a ``LocalBackend``
            also gives its ``path`` and ``options`` for the memory plan and the pool.
        messages: The chat to send (system prompt, if any, first).
        params: Sampling parameters.
        local: Load the backend before answering; take part in the memory plan.
        need: What the model asks of memory; ``None``: read from the backend's GGUF header.
        start: How to start the reply (e.g. one saved as it streams); default
            ``backend.start_reply``.
        unstarted: Called with the state (``"error"`` or ``"cancelled"``) and the sentence when
            the target ends without a reply; returns the id of the message that records it.
        key: The model's key in the pool (default: the entry's index).
        error: The target cannot start (a missing key, say): it fails at once with this.
    """

    target: str
    backend: Backend
    messages: list[ChatMessage]
    params: SamplingParams
    local: bool = False
    need: LocalNeed | None = None
    start: StartReply | None = None
    unstarted: Callable[[str, str | None], int | None] | None = None
    key: Hashable | None = None
    error: Error | None = None


@dataclass
class RoundResult:
    """What one target answered.

    Attributes:
        target: The target as given.
        text: The answer (what had arrived, if it failed).
        reasoning: Its visible reasoning, if any.
        stats: The figures of a finished reply; ``None`` when it failed.
        error: One sentence when it failed or was cancelled, else ``None``.
        stopped: It was stopped (or the round cancelled), not failed.
        message_id: The message that holds its answer, when the round is saved.
    """

    target: str
    text: str = ""
    reasoning: str = ""
    stats: Stats | None = None
    error: str | None = None
    stopped: bool = False
    message_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _need_of(entry: RoundEntry) -> LocalNeed:
    if entry.need is not None:
        return entry.need
    path = getattr(entry.backend, "path", None)
    options = getattr(entry.backend, "options", None)
    if path is None:
        return LocalNeed(shape=None, n_ctx=0)
    return need_of(path, options if isinstance(options, LoadOptions) else None)


def plan_phases(
    entries: Sequence[RoundEntry],
    memory: MemoryInfo | Callable[[], MemoryInfo] | None = None,
    *,
    loaded: Sequence[Hashable] = (),
) -> list[list[int]]:
    """Indexes of ``entries`` in the order they run: phase 0 holds every cloud target and the
    first group of local ones; each later phase one more group of local targets.

    ``memory`` is what the machine has (or a function that says it); by default
    :func:`~workbench.core.sysmem.detect_memory`, asked only when two or more targets are local.
    A group whose models are all ``loaded`` (pool keys) answers first: no reload between rounds.
    """
    locals_ = [i for i, e in enumerate(entries) if e.local and e.error is None]
    cloud = [i for i, e in enumerate(entries) if i not in locals_]
    if len(locals_) <= 1:
        return [sorted(cloud + locals_)]
    if memory is None:
        from workbench.core.sysmem import detect_memory

        memory = detect_memory
    info = memory() if callable(memory) else memory
    groups = plan_groups([_need_of(entries[i]) for i in locals_], info)
    phases = [[locals_[j] for j in group] for group in groups]
    keys = set(loaded)
    phases.sort(key=lambda p: not all(_key(entries[i], i) in keys for i in p))
    phases[0] = sorted(cloud + phases[0])
    return phases


def _key(entry: RoundEntry, index: int) -> Hashable:
    return entry.key if entry.key is not None else index


class RoundRunner:
    """Runs one round; see the module docstring.

    Args:
        entries: The targets, in the order results are given back.
        memory: What the machine has, for the plan (see :func:`plan_phases`).
        cancel_event: Setting it cancels the round, like :meth:`cancel`.
        pool: Where loaded models are kept between rounds; ``None``: a pool of this round's
            own, closed when it ends.
    """

    def __init__(
        self,
        entries: Sequence[RoundEntry],
        *,
        memory: MemoryInfo | Callable[[], MemoryInfo] | None = None,
        cancel_event: threading.Event | None = None,
        pool: ModelPool | None = None,
    ) -> None:
        self.entries = list(entries)
        self._memory = memory
        self._phases: list[list[int]] | None = None
        self._own_pool = pool is None
        self.pool = pool if pool is not None else ModelPool()
        self._cancel = cancel_event if cancel_event is not None else threading.Event()
        self._lock = threading.Lock()
        self._replies: dict[int, Reply] = {}
        self._loading: dict[int, Backend] = {}
        self._stopped: set[int] = set()
        self._begun: set[int] = set()  # targets whose work has started (or ended unstarted)
        self._barrier: threading.Barrier | None = None
        self._exited: list[threading.Event] = []  # set as each thread of the phase ends
        self._results = [RoundResult(e.target) for e in self.entries]
        self._done = [False] * len(self.entries)
        self._on_event: OnEvent | None = None

    @property
    def phases(self) -> list[list[int]]:
        """The plan (worked out on first use: it reads GGUF headers and asks for memory)."""
        if self._phases is None:
            self._phases = plan_phases(self.entries, self._memory, loaded=self.pool.loaded_keys())
        return self._phases

    @property
    def sequential(self) -> bool:
        """Whether the local targets answer in more than one group (they don't fit together)."""
        return len(self.phases) > 1

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Stop every target; no later group starts. Any thread may call it."""
        self._cancel.set()
        with self._lock:
            replies = list(self._replies.values())
            loading = list(self._loading.values())
            barrier = self._barrier
        for reply in replies:
            reply.cancel()
        for backend in loading:
            _cancel_load(backend)
        if barrier is not None:
            barrier.abort()

    def stop(self, index: int) -> None:
        """Stop one target: its reply keeps what it wrote; if it is still waiting for its
        group it never starts. Any thread may call it."""
        with self._lock:
            self._stopped.add(index)
            reply = self._replies.get(index)
            loading = self._loading.get(index)
        if reply is not None:
            reply.cancel()
        if loading is not None:
            _cancel_load(loading)

    def run(self, *, on_text=None, on_result=None, on_event: OnEvent | None = None):
        """Run the round; blocks until every target is done (or the round is cancelled).

        ``on_event(event)`` hears every :mod:`.events` event; ``on_text(index, delta)`` and
        ``on_result(index, result)`` are shorthands for the text and the ends. All are called
        from worker threads. Returns the results in the order of the entries.
        """
        self._on_event = _combined(on_event, on_text, on_result)
        try:
            self._emit(ev.Planned([list(p) for p in self.phases]))
            for phase in self.phases:
                if self._cancel.is_set():
                    break
                self._run_phase(phase)
        except BaseException:  # Ctrl-C while waiting: stop everything, then let it through
            self.cancel()
            self._join_all(CANCEL_JOIN_S)
            if self._own_pool:
                self.pool.close()
            raise
        for i in range(len(self.entries)):
            if not self._done[i]:
                self._end_unstarted(i, not_started(), stopped=True)
        if self._own_pool:
            self.pool.close()
        return self._results

    # -- internals -----------------------------------------------------------------------------

    def _emit(self, event: ev.RoundEvent) -> None:
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:
                log.exception("a compare event handler failed")

    def _run_phase(self, phase: list[int]) -> None:
        local = [i for i in phase if self.entries[i].local and self.entries[i].error is None]
        if local:
            # The models of the group before leave first: they would not fit with this one.
            self.pool.unload_all_except(_key(self.entries[i], i) for i in local)
        threads_each = split_threads(len(local)) if len(local) > 1 else None
        with self._lock:
            # Local models start generating together, once all of them are loaded: a model
            # still loading would slow the others' first figures.
            self._barrier = threading.Barrier(len(local)) if len(local) > 1 else None
            self._begun.update(phase)
        exited = [threading.Event() for _ in phase]
        self._exited = exited
        for i, event in zip(phase, exited, strict=True):
            threading.Thread(
                target=self._work_then_set,
                args=(i, threads_each, event),
                name=f"compare-{i}",
                daemon=True,
            ).start()
        applied = False
        for event in exited:
            # Not Thread.join: a Ctrl-C that interrupts it can mark a running thread as ended
            # (CPython 3.11), and the answer it was saving would be cut off at exit.
            while not event.wait(WAIT_S):
                if self._cancel.is_set() and not applied:
                    applied = True
                    self.cancel()  # the event was set from outside: reach every reply
                self._end_stopped_waiting()

    def _end_stopped_waiting(self) -> None:
        """End the targets stopped while they wait for a later group: they never start."""
        with self._lock:
            waiting = [i for i in self._stopped if i not in self._begun]
            self._begun.update(waiting)
        for i in waiting:
            self._end_unstarted(i, cancelled(), stopped=True)

    def _join_all(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for event in self._exited:
            event.wait(max(0.0, deadline - time.monotonic()))

    def _work_then_set(self, i: int, threads_each: int | None, exited: threading.Event) -> None:
        try:
            self._work(i, threads_each)
        finally:
            exited.set()

    def _is_stopped(self, i: int) -> bool:
        with self._lock:
            return self._cancel.is_set() or i in self._stopped

    def _work(self, i: int, threads_each: int | None) -> None:
        entry = self.entries[i]
        result = self._results[i]
        try:
            if entry.error is not None:
                self._end_unstarted(i, entry.error.message, error=entry.error)
                return
            backend = entry.backend
            if entry.local:
                backend, failed = self._load(i, threads_each)
                if failed is not None and self._is_stopped(i):
                    self._end_unstarted(i, not_started(), stopped=True)
                    return
                if failed is not None:
                    self._end_unstarted(i, failed.message, error=failed)
                    return
            if self._is_stopped(i):
                self._end_unstarted(i, not_started(), stopped=True)
                return
            start = entry.start or (lambda b, m, p: b.start_reply(m, p))
            reply = start(backend, list(entry.messages), entry.params)
            result.message_id = getattr(reply, "message_id", None)
            with self._lock:
                self._replies[i] = reply
            self._emit(ev.Started(i, result.message_id))
            if self._is_stopped(i):
                reply.cancel()
            final = self._consume(i, reply, result)
        except Exception as exc:  # a bug or a store failure: one target fails, not the round
            log.exception("compare target %s failed", entry.target)
            sentence = translate(
                "core.compare.runner",
                "This target failed unexpectedly ({error}); details are in the log file.",
            ).format(error=exc)
            if result.message_id is None:
                self._end_unstarted(i, sentence, error=Error(sentence))
            else:
                result.error = sentence
                self._finish(i, ev.Failed(i, Error(sentence), result))
            return
        finally:
            with self._lock:
                self._replies.pop(i, None)
        self._finish(i, final)

    def _load(self, i: int, threads_each: int | None) -> tuple[Backend, Error | None]:
        """Entry ``i``'s model, loaded (or taken from the pool), or why it could not be."""
        entry = self.entries[i]
        backend = entry.backend
        key = _key(entry, i)
        error: Error | None = None
        options = getattr(backend, "options", None)
        if threads_each and isinstance(options, LoadOptions) and options.threads is None:
            backend.options = dataclasses.replace(options, threads=threads_each)  # type: ignore[attr-defined]
        with self._lock:
            self._loading[i] = backend
        try:
            pooled = self.pool.reusable(key, backend)
            if self._is_stopped(i):
                error = Error(not_started())
            elif pooled is not None:
                backend = pooled
            else:
                self.pool.discard(key)  # the same target with other options: its memory back
                self._emit(ev.Loading(i))
                backend.load()  # type: ignore[attr-defined]
                self.pool.add(key, backend)
        except Exception as exc:
            from workbench.core.local.host import ModelLoadError

            if self._is_stopped(i):
                error = Error(not_started())
            elif isinstance(exc, ModelLoadError):
                error = Error(str(exc), exc.kind)  # type: ignore[arg-type]
            else:
                log.exception("loading %s failed", entry.target)
                error = Error(
                    translate(
                        "core.compare.runner",
                        "The model could not be loaded ({error}); details are in the log file.",
                    ).format(error=exc),
                    "load_failed",
                )
        finally:
            with self._lock:
                self._loading.pop(i, None)
                barrier = self._barrier
            if barrier is not None:
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait()
        return backend, error

    def _consume(self, i: int, reply: Reply, result: RoundResult) -> ev.RoundEvent:
        text: list[str] = []
        reasoning: list[str] = []
        final: ev.RoundEvent | None = None
        try:
            for event in reply:
                if isinstance(event, TextDelta):
                    text.append(event.text)
                    self._emit(ev.Text(i, event.text))
                elif isinstance(event, ReasoningDelta):
                    reasoning.append(event.text)
                    self._emit(ev.Reasoning(i, event.text))
                elif isinstance(event, Stats):
                    if event.finish_reason == "cancelled":
                        result.error, result.stopped = cancelled(), True
                        final = ev.Stopped(i, result)
                    else:
                        result.stats = event
                        final = ev.Finished(i, result)
                elif isinstance(event, Error):
                    result.error = event.message
                    final = ev.Failed(i, event, result)
        finally:
            result.text = "".join(text)
            result.reasoning = "".join(reasoning)
        if final is None:
            if self._is_stopped(i):
                result.error, result.stopped = cancelled(), True
                return ev.Stopped(i, result)
            result.error = translate("core.compare.runner", "The reply ended too early.")
            return ev.Failed(i, Error(result.error), result)
        return final

    def _end_unstarted(
        self, i: int, sentence: str, *, error: Error | None = None, stopped: bool = False
    ) -> None:
        """End target ``i``, which never started answering; its outcome is recorded."""
        result = self._results[i]
        result.error, result.stopped = sentence, stopped
        record = self.entries[i].unstarted
        if record is not None:
            try:
                if stopped:
                    result.message_id = record("cancelled", None)
                else:
                    result.message_id = record("error", sentence)
            except Exception:
                log.exception("recording %s's outcome failed", self.entries[i].target)
        if stopped:
            self._finish(i, ev.Stopped(i, result))
        else:
            self._finish(i, ev.Failed(i, error or Error(sentence), result))

    def _finish(self, i: int, event: ev.RoundEvent) -> None:
        with self._lock:
            if self._done[i]:
                return
            self._done[i] = True
        self._emit(event)


def _cancel_load(backend: Backend) -> None:
    cancel_load = getattr(backend, "cancel_load", None)
    if cancel_load is not None:
        cancel_load()


def _combined(on_event, on_text, on_result) -> OnEvent | None:
    if on_text is None and on_result is None:
        return on_event

    def handle(event: ev.RoundEvent) -> None:
        if on_event is not None:
            on_event(event)
        if on_text is not None and isinstance(event, ev.Text):
            on_text(event.index, event.text)
        if on_result is not None and isinstance(event, ev.Finished | ev.Failed | ev.Stopped):
            on_result(event.index, event.result)

    return handle


def run_round(
    entries: Sequence[RoundEntry],
    *,
    on_text: Callable[[int, str], None] | None = None,
    cancel_event: threading.Event | None = None,
    memory: MemoryInfo | Callable[[], MemoryInfo] | None = None,
    pool: ModelPool | None = None,
) -> list[RoundResult]:
    """Run one round (see :class:`RoundRunner`); results in the order of ``entries``."""
    runner = RoundRunner(entries, memory=memory, cancel_event=cancel_event, pool=pool)
    return runner.run(on_text=on_text)


__all__ = [
    "CANCELLED",
    "NOT_STARTED",
    "RoundEntry",
    "RoundResult",
    "RoundRunner",
    "StartReply",
    "cancelled",
    "not_started",
    "plan_phases",
    "run_round",
]
