"""The Qt-free compare round runner: concurrency, order, cancel and memory groups.

The backends here are small subclasses of the real :class:`Backend` interface whose replies
coordinate through barriers and events, so each test proves an ordering of events, never a
duration. One test runs the real test model in two processes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from workbench.core.backend import (
    Backend,
    Error,
    Event,
    ReasoningDelta,
    Reply,
    Stats,
    TextDelta,
)
from workbench.core.compare.runner import (
    CANCELLED,
    NOT_STARTED,
    RoundEntry,
    RoundRunner,
    plan_phases,
    run_round,
)
from workbench.core.compare.schedule import (
    LocalNeed,
    fake_memory,
    fits_together,
    need_of,
    split_threads,
)
from workbench.core.fit import RAM_RESERVE, estimate_fit
from workbench.core.local.host import LocalBackend, ModelLoadError
from workbench.core.options import LoadOptions, SamplingParams

#: only a guard against a hung test; no assertion depends on it
HANG_S = 30.0

MESSAGES = [{"role": "user", "content": "hi"}]


class Log:
    """What happened, in order, across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.items: list[tuple[str, str]] = []

    def add(self, what: str, who: str) -> None:
        with self._lock:
            self.items.append((what, who))

    def index(self, what: str, who: str) -> int:
        return self.items.index((what, who))


class ScriptedReply(Reply):
    """Yields ``words``; ``before_end`` runs before the final Stats (it may block); with
    ``wait_for_cancel`` it waits for cancel() and ends as a cancelled reply."""

    def __init__(self, backend: ScriptedBackend) -> None:
        self.backend = backend
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        self.cancelled.set()

    def __iter__(self) -> Iterator[Event]:
        b = self.backend
        b.log.add("start", b.name)
        b.started.set()
        if b.reasoning:
            yield ReasoningDelta(b.reasoning)
        for word in b.words:
            yield TextDelta(word)
        if b.wait_for_cancel and self.cancelled.wait(HANG_S):
            b.log.add("cancelled", b.name)
            yield Stats(finish_reason="cancelled")
            return
        if b.before_end is not None:
            try:
                b.before_end()
            except threading.BrokenBarrierError:
                yield Error("The other reply never ran at the same time.")
                return
        if b.fail:
            yield Error(b.fail)
            return
        b.log.add("end", b.name)
        yield Stats(completion_tokens=len(b.words), ttft_s=0.01, tokens_per_s=10.0)


class ScriptedBackend(Backend):
    source = "test"

    def __init__(
        self,
        name: str,
        log: Log,
        words: tuple[str, ...] = ("a", "b"),
        *,
        before_end=None,
        wait_for_cancel: bool = False,
        fail: str | None = None,
        reasoning: str = "",
    ) -> None:
        self.name = name
        self.log = log
        self.words = words
        self.before_end = before_end
        self.wait_for_cancel = wait_for_cancel
        self.fail = fail
        self.reasoning = reasoning
        self.started = threading.Event()
        self.replies: list[ScriptedReply] = []
        self.params: list[SamplingParams] = []

    @property
    def model_name(self) -> str:
        return self.name

    def start_reply(self, messages, params) -> Reply:
        self.params.append(params)
        reply = ScriptedReply(self)
        self.replies.append(reply)
        return reply


class LoadingBackend(ScriptedBackend):
    """A "local" backend: load() and unload() are logged; options as a LocalBackend has them."""

    def __init__(self, *args, options: LoadOptions | None = None, load_error=None, **kw):
        super().__init__(*args, **kw)
        self.options = options or LoadOptions()
        self.load_error = load_error
        self.loaded = False
        self.threads_at_load: int | None = None

    def load(self) -> None:
        self.log.add("load", self.name)
        self.threads_at_load = self.options.threads
        if self.load_error is not None:
            raise self.load_error
        self.loaded = True

    def unload(self) -> None:
        self.log.add("unload", self.name)
        self.loaded = False


def entry(backend, target=None, *, local=False, need=None, params=None) -> RoundEntry:
    return RoundEntry(
        target=target or backend.name,
        backend=backend,
        messages=list(MESSAGES),
        params=params or SamplingParams(max_tokens=8),
        local=local,
        need=need,
    )


@pytest.fixture(scope="module")
def model_need(test_model) -> LocalNeed:
    need = need_of(test_model, LoadOptions(context_length=1024))
    assert need.shape is not None and need.n_ctx == 1024
    return need


def room_for(need: LocalNeed, count: float):
    """A machine with RAM for ``count`` copies of the model (and the reserve)."""
    est = estimate_fit(need.shape, fake_memory(64 * 2**30), n_ctx=need.n_ctx)
    return fake_memory(RAM_RESERVE + int(est.ram_bytes * count))


def test_replies_run_at_once_and_results_keep_target_order():
    log = Log()
    together = threading.Barrier(2, timeout=HANG_S)
    # "first" can only end once "second" has ended: the results must still be in target order.
    second_done = threading.Event()
    first = ScriptedBackend(
        "first",
        log,
        ("one ", "two"),
        before_end=lambda: (together.wait(), second_done.wait(HANG_S)),
        reasoning="hmm",
    )
    second = ScriptedBackend(
        "second", log, ("three",), before_end=lambda: (together.wait(), second_done.set())
    )
    texts: list[tuple[int, str]] = []
    results = run_round(
        [entry(first, "t:first"), entry(second, "t:second")],
        on_text=lambda i, t: texts.append((i, t)),
    )
    assert [r.target for r in results] == ["t:first", "t:second"]
    assert [r.error for r in results] == [None, None]
    assert [r.text for r in results] == ["one two", "three"]
    assert results[0].reasoning == "hmm" and results[1].reasoning == ""
    assert results[0].stats.completion_tokens == 2
    # Both replies had started before either finished, and "second" finished first.
    assert max(log.index("start", n) for n in ("first", "second")) < min(
        log.index("end", n) for n in ("first", "second")
    )
    assert log.index("end", "second") < log.index("end", "first")
    assert sorted(texts) == [(0, "one "), (0, "two"), (1, "three")]


def test_an_error_fails_one_target_only():
    log = Log()
    ok = ScriptedBackend("ok", log)
    bad = ScriptedBackend("bad", log, ("par",), fail="The provider refused the key.")
    results = run_round([entry(bad), entry(ok)])
    assert results[0].error == "The provider refused the key."
    assert results[0].text == "par" and results[0].stats is None and not results[0].ok
    assert results[1].ok and results[1].text == "ab"


def test_a_backend_that_raises_is_one_sentence():
    class Broken(ScriptedBackend):
        def start_reply(self, messages, params):
            raise RuntimeError("boom")

    log = Log()
    results = run_round([entry(Broken("broken", log)), entry(ScriptedBackend("fine", log))])
    assert "boom" in results[0].error and results[0].error.endswith("log file.")
    assert results[1].ok


def test_cancel_ends_every_reply_and_later_groups_never_start(model_need):
    log = Log()
    cloud = ScriptedBackend("cloud", log, wait_for_cancel=True)
    local_a = LoadingBackend("a", log, wait_for_cancel=True)
    local_b = LoadingBackend("b", log)
    runner = RoundRunner(
        [
            entry(cloud),
            entry(local_a, local=True, need=model_need),
            entry(local_b, local=True, need=model_need),
        ],
        memory=room_for(model_need, 1.5),  # one model at a time: "b" would come second
    )
    assert runner.sequential and runner.phases == [[0, 1], [2]]

    def cancel_when_both_stream() -> None:
        if cloud.started.wait(HANG_S) and local_a.started.wait(HANG_S):
            runner.cancel()

    canceller = threading.Thread(target=cancel_when_both_stream)
    canceller.start()
    results = runner.run()
    canceller.join()
    assert [r.error for r in results] == [CANCELLED, CANCELLED, NOT_STARTED]
    assert all(reply.cancelled.is_set() for reply in cloud.replies + local_a.replies)
    assert ("cancelled", "cloud") in log.items and ("cancelled", "a") in log.items
    assert ("load", "b") not in log.items  # the later group never started
    assert ("unload", "a") in log.items and not local_a.loaded


def test_a_cancel_event_set_from_outside_reaches_every_reply():
    log = Log()
    a = ScriptedBackend("a", log, wait_for_cancel=True)
    b = ScriptedBackend("b", log, wait_for_cancel=True)
    event = threading.Event()

    def set_when_started() -> None:
        if a.started.wait(HANG_S) and b.started.wait(HANG_S):
            event.set()

    setter = threading.Thread(target=set_when_started)
    setter.start()
    results = run_round([entry(a), entry(b)], cancel_event=event)
    setter.join()
    assert [r.error for r in results] == [CANCELLED, CANCELLED]
    assert a.replies[0].cancelled.is_set() and b.replies[0].cancelled.is_set()


def test_locals_that_do_not_fit_together_answer_one_after_another(model_need):
    log = Log()
    cloud = ScriptedBackend("cloud", log)
    a = LoadingBackend("a", log)
    b = LoadingBackend("b", log)
    memory = room_for(model_need, 1.5)
    assert fits_together([model_need], memory) and not fits_together([model_need] * 2, memory)
    results = run_round(
        [
            entry(a, local=True, need=model_need),
            entry(cloud),
            entry(b, local=True, need=model_need),
        ],
        memory=memory,
    )
    assert [r.error for r in results] == [None, None, None]
    # "b" is loaded only after "a" answered and was unloaded; nothing overlaps.
    assert log.index("end", "a") < log.index("unload", "a") < log.index("load", "b")
    # A model alone keeps the thread count it was given (automatic).
    assert a.threads_at_load is None and b.threads_at_load is None


def test_locals_that_fit_answer_together_with_the_cores_shared(model_need):
    log = Log()
    together = threading.Barrier(2, timeout=HANG_S)
    a = LoadingBackend("a", log, before_end=together.wait)
    b = LoadingBackend("b", log, before_end=together.wait)
    mine = LoadingBackend("mine", log, options=LoadOptions(threads=3))
    memory = room_for(model_need, 4)
    entries = [
        entry(a, local=True, need=model_need),
        entry(b, local=True, need=model_need),
        entry(mine, local=True, need=model_need),
    ]
    assert plan_phases(entries, memory) == [[0, 1, 2]]
    results = run_round(entries, memory=memory)
    assert [r.error for r in results] == [None, None, None]
    assert a.threads_at_load == b.threads_at_load == split_threads(3)
    assert mine.threads_at_load == 3  # the user's choice is kept
    # Every model was loaded before any started to answer, and all were unloaded.
    loads = [log.index("load", n) for n in ("a", "b", "mine")]
    starts = [log.index("start", n) for n in ("a", "b", "mine")]
    assert max(loads) < min(starts)
    assert all(("unload", n) in log.items for n in ("a", "b", "mine"))


def test_a_load_failure_is_that_targets_error(model_need):
    log = Log()
    bad = LoadingBackend("bad", log, load_error=ModelLoadError("The file is damaged."))
    good = LoadingBackend("good", log)
    results = run_round(
        [entry(bad, local=True, need=model_need), entry(good, local=True, need=model_need)],
        memory=room_for(model_need, 4),
    )
    assert results[0].error == "The file is damaged." and results[0].text == ""
    assert results[1].ok and results[1].text == "ab"
    assert bad.replies == []  # never asked to answer


def test_an_unreadable_header_gets_a_group_of_its_own(tmp_path, model_need):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a gguf at all")
    need = need_of(broken)
    assert need.shape is None
    log = Log()
    entries = [
        entry(LoadingBackend("x", log), local=True, need=need),
        entry(LoadingBackend("y", log), local=True, need=model_need),
        entry(LoadingBackend("z", log), local=True, need=model_need),
    ]
    assert plan_phases(entries, room_for(model_need, 4)) == [[0], [1, 2]]


def test_one_local_needs_no_memory_probe():
    def probe():
        raise AssertionError("memory was asked for")

    log = Log()
    entries = [entry(LoadingBackend("a", log), local=True), entry(ScriptedBackend("c", log))]
    assert plan_phases(entries, probe) == [[0, 1]]


def test_two_real_models_answer_and_their_processes_end(test_model):
    backends = [LocalBackend(test_model, LoadOptions(context_length=1024, seed=1)) for _ in "ab"]
    params = SamplingParams(max_tokens=12, temperature=0.0, seed=1)
    entries = [
        RoundEntry(f"local:{i}", b, list(MESSAGES), params, local=True)
        for i, b in enumerate(backends)
    ]
    runner = RoundRunner(entries)  # the real memory probe and the real header
    try:
        results = runner.run()
    finally:
        for b in backends:
            b.unload()
    assert [r.error for r in results] == [None, None]
    assert all(r.text.strip() and r.stats.completion_tokens > 0 for r in results)
    assert all(r.stats.ttft_s is not None for r in results)
    assert results[0].text == results[1].text  # greedy, same seed, same model
    assert not any(b.is_loaded for b in backends)
    if not runner.sequential:
        assert all(b.options.threads == split_threads(2) for b in backends)


# -- events, stopping one target, the pool --------------------------------------------------------


def test_events_come_in_order_per_target_and_one_target_stops_alone():
    from workbench.core.compare import events as ev

    log = Log()
    stay = ScriptedBackend("stay", log, wait_for_cancel=True)
    go = ScriptedBackend("go", log, ("x",), before_end=lambda: stay.started.wait(HANG_S))
    got: list = []
    lock = threading.Lock()
    runner = RoundRunner([entry(stay), entry(go)])

    def on_event(event) -> None:
        with lock:
            got.append(event)
        if isinstance(event, ev.Finished) and event.index == 1:
            runner.stop(0)

    results = runner.run(on_event=on_event)
    assert isinstance(got[0], ev.Planned) and got[0].phases == [[0, 1]]
    for i, end in ((0, ev.Stopped), (1, ev.Finished)):
        kinds = [type(e) for e in got if getattr(e, "index", None) == i]
        assert kinds[0] is ev.Started and kinds[-1] is end
        assert kinds.count(end) == 1
    assert results[0].stopped and results[0].error == CANCELLED and results[1].ok


def test_a_target_stopped_while_it_waits_never_loads(model_need):
    log = Log()
    a = LoadingBackend("a", log, wait_for_cancel=True)
    b = LoadingBackend("b", log)
    runner = RoundRunner(
        [entry(a, local=True, need=model_need), entry(b, local=True, need=model_need)],
        memory=room_for(model_need, 1.5),
    )
    assert runner.phases == [[0], [1]]

    def stop_b_then_a() -> None:
        if a.started.wait(HANG_S):
            runner.stop(1)
            runner.stop(0)

    stopper = threading.Thread(target=stop_b_then_a)
    stopper.start()
    results = runner.run()
    stopper.join()
    assert results[0].stopped and results[1].stopped
    assert ("load", "b") not in log.items


def test_a_pool_keeps_fitting_models_loaded_between_rounds(model_need):
    from workbench.core.compare.pool import ModelPool

    log = Log()
    pool = ModelPool()
    first = LoadingBackend("m", log)
    memory = room_for(model_need, 4)
    results = run_round([entry(first, local=True, need=model_need)], memory=memory, pool=pool)
    assert results[0].ok and pool.loaded_keys() == [0] and first.loaded
    again = LoadingBackend("m", log)  # the same file and options: the loaded one answers
    results = run_round([entry(again, local=True, need=model_need)], memory=memory, pool=pool)
    assert results[0].ok and log.items.count(("load", "m")) == 1 and again.replies == []
    other = LoadingBackend("m", log, options=LoadOptions(threads=2))  # other options: reload
    run_round([entry(other, local=True, need=model_need)], memory=memory, pool=pool)
    assert log.items.count(("unload", "m")) == 1 and log.items.count(("load", "m")) == 2
    pool.close()
    assert pool.loaded_keys() == [] and not other.loaded


def test_a_target_that_cannot_start_fails_at_once_and_is_recorded():
    log = Log()
    recorded: list = []
    blocked = entry(ScriptedBackend("blocked", log))
    blocked.error = Error("There is no key for X yet.", "auth")
    blocked.unstarted = lambda state, sentence: recorded.append((state, sentence)) or 7
    results = run_round([blocked, entry(ScriptedBackend("fine", log))])
    assert results[0].error == "There is no key for X yet." and results[0].message_id == 7
    assert recorded == [("error", "There is no key for X yet.")]
    assert results[1].ok and ("start", "blocked") not in log.items
