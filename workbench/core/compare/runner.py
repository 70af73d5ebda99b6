"""One compare round without Qt: the same messages to every target, answers kept in order.

Each :class:`RoundEntry` holds a backend, the messages to send and the sampling parameters; a
local one (``local=True``) is loaded here before it answers and unloaded after. The local targets
are packed into groups that fit in memory together (:func:`~.schedule.plan_groups`, from their
GGUF headers and :func:`~workbench.core.sysmem.detect_memory`). Group 0 answers together with
every cloud target; each later group follows on its own: its models load at the same time, answer
together and are unloaded before the next group starts. Every target of a phase has a thread of
its own. When several local models generate at once, each gets its share of the CPU cores
(:func:`~.schedule.split_threads`) unless the user chose a thread count.

:meth:`RoundRunner.cancel` (or setting the ``cancel_event`` given) cancels every running reply and
load, and no later group starts. ``Reply.cancel()`` is thread-safe, so cancelling from any thread
is fine; a Ctrl-C in the thread that waits in :meth:`RoundRunner.run` does the same and is then
raised again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable, Sequence
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
from workbench.core.compare.schedule import LocalNeed, need_of, plan_groups, split_threads
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.sysmem import MemoryInfo

log = logging.getLogger(__name__)

#: how often the waiting thread looks at the cancel event
WAIT_S = 0.05
#: how long a cancelled round waits for its threads before giving up on them
CANCEL_JOIN_S = 10.0

CANCELLED = "The round was cancelled before this answer was complete."
NOT_STARTED = "The round was cancelled before this target could answer."

StartReply = Callable[[Backend, list[ChatMessage], SamplingParams], Reply]


@dataclass
class RoundEntry:
    """One target of a round.

    Attributes:
        target: The target as the user wrote it (reported back unchanged).
        backend: Who answers. A local one needs ``load()`` and ``unload()``; a ``LocalBackend``
            also gives its ``path`` and ``options`` for the memory plan.
        messages: The chat to send (system prompt, if any, first).
        params: Sampling parameters.
        local: Load the backend before answering and unload it after; take part in the memory
            plan.
        need: What the model asks of memory; ``None``: read from the backend's GGUF header.
        start: How to start the reply (e.g. one saved as it streams); default
            ``backend.start_reply``.
    """

    target: str
    backend: Backend
    messages: list[ChatMessage]
    params: SamplingParams
    local: bool = False
    need: LocalNeed | None = None
    start: StartReply | None = None


@dataclass
class RoundResult:
    """What one target answered.

    Attributes:
        target: The target as given.
        text: The answer (what had arrived, if it failed).
        reasoning: Its visible reasoning, if any.
        stats: The figures of a finished reply; ``None`` when it failed.
        error: One sentence when it failed or was cancelled, else ``None``.
    """

    target: str
    text: str = ""
    reasoning: str = ""
    stats: Stats | None = None
    error: str | None = None

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
    entries: Sequence[RoundEntry], memory: MemoryInfo | Callable[[], MemoryInfo] | None = None
) -> list[list[int]]:
    """Indexes of ``entries`` in the order they run: phase 0 holds every cloud target and the
    first group of local ones; each later phase one more group of local targets.

    ``memory`` is what the machine has (or a function that says it); by default
    :func:`~workbench.core.sysmem.detect_memory`, asked only when two or more targets are local.
    """
    locals_ = [i for i, e in enumerate(entries) if e.local]
    cloud = [i for i, e in enumerate(entries) if not e.local]
    if len(locals_) <= 1:
        return [sorted(cloud + locals_)]
    if memory is None:
        from workbench.core.sysmem import detect_memory

        memory = detect_memory
    info = memory() if callable(memory) else memory
    groups = plan_groups([_need_of(entries[i]) for i in locals_], info)
    phases = [[locals_[j] for j in group] for group in groups]
    phases[0] = sorted(cloud + phases[0])
    return phases


class RoundRunner:
    """Runs one round; see the module docstring.

    Args:
        entries: The targets, in the order results are given back.
        memory: What the machine has, for the plan (see :func:`plan_phases`).
        cancel_event: Setting it cancels the round, like :meth:`cancel`.
    """

    def __init__(
        self,
        entries: Sequence[RoundEntry],
        *,
        memory: MemoryInfo | Callable[[], MemoryInfo] | None = None,
        cancel_event: threading.Event | None = None,
    ) -> None:
        self.entries = list(entries)
        self.phases = plan_phases(self.entries, memory)
        self._cancel = cancel_event if cancel_event is not None else threading.Event()
        self._lock = threading.Lock()
        self._replies: dict[int, Reply] = {}
        self._loading: dict[int, Backend] = {}
        self._barrier: threading.Barrier | None = None
        self._threads: list[threading.Thread] = []

    @property
    def sequential(self) -> bool:
        """Whether the local targets answer in more than one group (they don't fit together)."""
        return len(self.phases) > 1

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Cancel every running reply and load; no later group starts. Any thread may call it."""
        self._cancel.set()
        with self._lock:
            replies = list(self._replies.values())
            loading = list(self._loading.values())
            barrier = self._barrier
        for reply in replies:
            reply.cancel()
        for backend in loading:
            cancel_load = getattr(backend, "cancel_load", None)
            if cancel_load is not None:
                cancel_load()
        if barrier is not None:
            barrier.abort()

    def run(
        self,
        *,
        on_text: Callable[[int, str], None] | None = None,
        on_result: Callable[[int, RoundResult], None] | None = None,
    ) -> list[RoundResult]:
        """Run the round; blocks until every target is done (or the round is cancelled).

        ``on_text(index, delta)`` and ``on_result(index, result)`` are called from the worker
        threads, as the text arrives and as each target finishes.
        """
        results = [RoundResult(e.target) for e in self.entries]
        done = [False] * len(self.entries)
        try:
            for phase in self.phases:
                if self._cancel.is_set():
                    break
                self._run_phase(phase, results, done, on_text, on_result)
        except BaseException:  # Ctrl-C while waiting: stop everything, then let it through
            self.cancel()
            self._join_all(CANCEL_JOIN_S)
            raise
        for i, finished in enumerate(done):
            if not finished:
                results[i].error = NOT_STARTED
        return results

    # -- internals -----------------------------------------------------------------------------

    def _run_phase(self, phase, results, done, on_text, on_result) -> None:
        n_local = sum(1 for i in phase if self.entries[i].local)
        threads_each = split_threads(n_local) if n_local > 1 else None
        with self._lock:
            # Local models start generating together, once all of them are loaded: a model
            # still loading would slow the others' first figures.
            self._barrier = threading.Barrier(n_local) if n_local > 1 else None
        threads = [
            threading.Thread(
                target=self._work,
                args=(i, threads_each, results, done, on_text, on_result),
                name=f"compare-{i}",
                daemon=True,
            )
            for i in phase
        ]
        self._threads = threads
        for t in threads:
            t.start()
        applied = False
        for t in threads:
            while t.is_alive():
                t.join(WAIT_S)
                if self._cancel.is_set() and not applied:
                    applied = True
                    self.cancel()  # the event was set from outside: reach every reply

    def _join_all(self, timeout: float) -> None:
        for t in self._threads:
            t.join(timeout)

    def _work(self, i, threads_each, results, done, on_text, on_result) -> None:
        entry = self.entries[i]
        result = results[i]
        backend = entry.backend
        try:
            if entry.local:
                failed = self._load(i, threads_each)
                if failed is not None:
                    result.error = failed
                    return
            if self._cancel.is_set():
                result.error = NOT_STARTED
                return
            start = entry.start or (lambda b, m, p: b.start_reply(m, p))
            reply = start(backend, list(entry.messages), entry.params)
            with self._lock:
                self._replies[i] = reply
            if self._cancel.is_set():
                reply.cancel()
            self._consume(i, reply, result, on_text)
        except Exception as exc:  # a bug or a store failure: one target fails, not the round
            log.exception("compare target %s failed", entry.target)
            result.error = f"This target failed unexpectedly ({exc}); details are in the log file."
        finally:
            with self._lock:
                self._replies.pop(i, None)
            if entry.local:
                try:
                    backend.unload()  # type: ignore[attr-defined]
                except Exception:
                    log.exception("unloading %s failed", entry.target)
            done[i] = True
            if on_result is not None:
                try:
                    on_result(i, result)
                except Exception:
                    log.exception("on_result failed")

    def _load(self, i: int, threads_each: int | None) -> str | None:
        """Load entry ``i``'s model; ``None``, or the sentence saying why it failed."""
        backend = self.entries[i].backend
        outcome: str | None = None
        options = getattr(backend, "options", None)
        if threads_each and isinstance(options, LoadOptions) and options.threads is None:
            backend.options = dataclasses.replace(options, threads=threads_each)  # type: ignore[attr-defined]
        with self._lock:
            self._loading[i] = backend
        try:
            if self._cancel.is_set():
                outcome = NOT_STARTED
            else:
                backend.load()  # type: ignore[attr-defined]
        except Exception as exc:
            from workbench.core.local.host import ModelLoadError

            if self._cancel.is_set():
                outcome = NOT_STARTED
            elif isinstance(exc, ModelLoadError):
                outcome = str(exc)
            else:
                log.exception("loading %s failed", self.entries[i].target)
                outcome = f"The model could not be loaded ({exc}); details are in the log file."
        finally:
            with self._lock:
                self._loading.pop(i, None)
                barrier = self._barrier
            if barrier is not None:
                with contextlib.suppress(threading.BrokenBarrierError):
                    barrier.wait()
        return outcome

    def _consume(self, i: int, reply: Reply, result: RoundResult, on_text) -> None:
        text: list[str] = []
        reasoning: list[str] = []
        ended = False
        try:
            for event in reply:
                if isinstance(event, TextDelta):
                    text.append(event.text)
                    if on_text is not None:
                        on_text(i, event.text)
                elif isinstance(event, ReasoningDelta):
                    reasoning.append(event.text)
                elif isinstance(event, Stats):
                    ended = True
                    if event.finish_reason == "cancelled":
                        result.error = CANCELLED
                    else:
                        result.stats = event
                elif isinstance(event, Error):
                    ended = True
                    result.error = event.message
        finally:
            result.text = "".join(text)
            result.reasoning = "".join(reasoning)
        if not ended:
            result.error = CANCELLED if self._cancel.is_set() else "The reply ended too early."


def run_round(
    entries: Sequence[RoundEntry],
    *,
    on_text: Callable[[int, str], None] | None = None,
    cancel_event: threading.Event | None = None,
    memory: MemoryInfo | Callable[[], MemoryInfo] | None = None,
) -> list[RoundResult]:
    """Run one round (see :class:`RoundRunner`); results in the order of ``entries``."""
    runner = RoundRunner(entries, memory=memory, cancel_event=cancel_event)
    return runner.run(on_text=on_text)


__all__ = [
    "RoundEntry",
    "RoundResult",
    "RoundRunner",
    "StartReply",
    "plan_phases",
    "run_round",
]
