"""The chat window under load, measured on the real window (offscreen).

    uv run python bench/gui_responsiveness.py [--mode all|paced|model] [--rate 500]
        [--tokens 2000] [--model PATH]

Two ways to feed the window a 2,000-token reply, each run twice (once as users run it, with a
5 ms timer to find event-loop stalls; once polled, to time every UI update):
- ``paced``: a test backend yields realistic Markdown (paragraphs, lists, a table, code blocks,
  CJK) as TextDelta pieces at a fixed rate, 500 tokens/s by default (what a GPU sends), through
  the real controller, runner, model and view;
- ``model``: the test model, at its own pace; then generation tokens/s inside the app against
  the engine alone (same prompt, seed, options), opening a 2,000-message (~1 MB) conversation,
  loading 10,000 conversations into the sidebar, and cold start to a visible window.
Prints, per stream: the longest stall of the event loop, the median cost of one UI update (all
GUI-thread work between two batches of text) per quarter of the reply and the ratio of the last
quarter to the first, and how many updates the window made for how many pieces of text.
Targets (issue 14): stall <= 25 ms at both paces; last/first quarter <= 1.2; app >= 0.97 x
engine; open <= 300 ms; cold start <= 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator

from benchmodel import model_path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROMPT = (
    "Write a very long and detailed essay about the history of the ocean, "
    "with many sections and lists."
)
SEED = 3
# Token-sized pieces: a word (with its space) cut to at most six letters, up to three digits,
# runs of newlines or spaces, any other character alone. They join back to the text exactly.
_PIECE = re.compile(r" ?[^\W\d_]{1,6}| ?\d{1,3}|\n+| +|.", re.S)


def wait_until(app, condition, timeout: float) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("condition not met")
        app.processEvents()
        time.sleep(0.001)


def markdown_pieces(tokens: int) -> list[str]:
    """``tokens`` token-sized pieces of a realistic Markdown reply (repeated if need be)."""
    from markdown_streaming import REPLY

    one = _PIECE.findall(REPLY)
    return [one[i % len(one)] for i in range(tokens)]


def paced_backend(pieces: list[str], rate: float):
    """A Backend whose replies yield ``pieces`` at ``rate`` pieces a second, on a fixed clock."""
    from workbench.core.backend import Backend, Reply, Stats, TextDelta

    class PacedReply(Reply):
        def __init__(self) -> None:
            self._cancelled = threading.Event()

        def __iter__(self) -> Iterator:
            start = time.perf_counter()
            for i, piece in enumerate(pieces):
                # Due at start + i / rate: late pieces go at once, so the rate holds on average.
                delay = start + i / rate - time.perf_counter()
                if delay > 0 and self._cancelled.wait(delay):
                    break
                if self._cancelled.is_set():
                    break
                yield TextDelta(piece)
            else:
                elapsed = time.perf_counter() - start
                yield Stats(
                    completion_tokens=len(pieces),
                    tokens_per_s=len(pieces) / elapsed if elapsed else None,
                    total_s=elapsed,
                    finish_reason="length",
                )
                return
            yield Stats(finish_reason="cancelled")

        def cancel(self) -> None:
            self._cancelled.set()

    class PacedBackend(Backend):
        source = "local"

        @property
        def model_name(self) -> str:
            return f"paced {rate:g} tok/s"

        def start_reply(self, messages, params) -> Reply:
            return PacedReply()

        def unload(self) -> None:
            """What the model controller calls when the window closes."""

    return PacedBackend()


def measure_stream(app, window, label: str) -> None:
    """Streams two replies from the backend the window has and prints what the window did."""
    from PySide6.QtCore import QEventLoop, QTimer

    chat = window.chat_controller
    gaps: list[tuple[float, float]] = []  # (when, gap since the tick before)
    last_tick = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now, now - last_tick[0]))
        last_tick[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)

    # Run 1, as users run it (the normal event loop, idle between events), with a 5 ms timer
    # to find the longest stall of the event loop.
    updates: list[float] = []  # when the streaming row changed

    def changed(*_args) -> None:
        updates.append(time.perf_counter())

    chat.messages.dataChanged.connect(changed)
    window.chat.new_chat()
    window.chat.composer.setPlainText(PROMPT)
    loop = QEventLoop()
    timer.start()
    last_tick[0] = time.perf_counter()
    window.chat.send()
    chat.runner.reply_finished.connect(lambda _stats: loop.quit())
    chat.runner.reply_failed.connect(lambda _msg: loop.quit())
    loop.exec()
    timer.stop()
    wait_until(app, lambda: chat.runner is None, 10)
    chat.messages.dataChanged.disconnect(changed)
    reply = chat.messages.item(chat.messages.rowCount() - 1)
    n_tokens = reply.stats.get("completion_tokens")
    # While text streams: from the first change of the reply's row to its last; sending (saving
    # the message, starting the reply) is reported apart.
    streaming = [g for t, g in gaps if updates and updates[0] < t - g and t <= updates[-1]]
    before = [g for t, g in gaps if not updates or t - g <= updates[0]]
    stall = max(streaming, default=float("nan"))
    tps = reply.stats.get("tokens_per_s") or 0.0
    print(f"[{label}] reply: {n_tokens} tokens at {tps:.0f} tok/s, {len(reply.content)} chars")
    print(
        f"[{label}] longest event-loop stall while streaming: {stall * 1000:.1f} ms "
        f"(target <= 25 ms); p99 timer gap "
        f"{sorted(streaming)[int(len(streaming) * 0.99)] * 1000:.1f} ms; "
        f"longest while sending: {max(before, default=0) * 1000:.1f} ms"
    )
    print(f"[{label}] view updates: {len(updates)} model changes for {n_tokens} pieces of text")

    # Run 2: the cost of one UI update — all GUI-thread work (the slot, the delayed relayout,
    # the repaint) between the arrival of one batch of text and the next, measured as time
    # spent inside processEvents(). (Polling makes this run a little slower; run 1 is the speed.)
    update_costs: list[tuple[int, float]] = []
    arrivals = [0]
    original = chat._on_text

    def counting_on_text(text: str, reasoning: str) -> None:
        arrivals[0] += 1
        original(text, reasoning)

    chat._on_text = counting_on_text  # the runner connects to this attribute at send time
    window.chat.new_chat()
    window.chat.composer.setPlainText(PROMPT)
    window.chat.send()
    busy, seen = 0.0, 0
    while chat.runner is not None:
        t0 = time.perf_counter()
        app.processEvents()
        busy += time.perf_counter() - t0
        if arrivals[0] != seen:
            if seen and chat.streaming_row >= 0:
                length = len(chat.messages.item(chat.streaming_row).content)
                update_costs.append((length, busy))
            seen, busy = arrivals[0], 0.0
        time.sleep(0.002)
    del chat._on_text
    quarter = max(1, len(update_costs) // 4)
    medians = [
        statistics.median(c for _, c in update_costs[i * quarter : (i + 1) * quarter]) * 1000
        for i in range(4)
    ]
    last = sorted(c for _, c in update_costs[-quarter:])
    print(
        f"[{label}] UI update cost (slot + relayout + repaint), {len(update_costs)} updates, "
        f"median per quarter of the reply: {', '.join(f'{m:.2f}' for m in medians)} ms; "
        f"last/first {medians[3] / medians[0]:.2f} (target <= 1.2); "
        f"p95 of the last quarter {last[int(len(last) * 0.95) - 1] * 1000:.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("all", "paced", "model"), default="all")
    parser.add_argument("--model")
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=500.0, help="paced mode: tokens/s")
    parser.add_argument("--rounds", type=int, default=3, help="app/engine speed rounds")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="wb-bench-")
    os.environ["WORKBENCH_HOME"] = home

    from PySide6.QtCore import QEventLoop, QObject

    from workbench.app import create_app
    from workbench.core.backend import Stats
    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions

    app, window = create_app([])
    window.resize(1280, 800)
    window.show()
    panel = window.chat.panel
    models = window.chat_controller.models
    # A few seconds, as between opening the window and sending a first message: the window
    # finishes starting up (syntax highlighting is loaded in the background meanwhile).
    end = time.perf_counter() + 3
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.01)

    if args.mode in ("all", "paced"):
        models.backend = paced_backend(markdown_pieces(args.tokens), args.rate)
        measure_stream(app, window, f"paced {args.rate:g} tok/s")
        models.backend = None
        if args.mode == "paced":
            window.close()
            return 0

    model = model_path(args.model)
    panel.set_state(
        {
            "model_path": str(model),
            "load": {"context_length": 4096, "gpu_layers": 0},
            "sampling": {
                "temperature": 0.8,
                "repeat_penalty": 1.0,
                "max_tokens": args.tokens,
                "seed": SEED,
            },
        }
    )
    models.load(str(model), panel.load_options())
    wait_until(app, lambda: models.backend is not None, 60)
    measure_stream(app, window, "test model")

    # -- generation speed: the app as users run it (no probe timer) against the engine alone,
    # alternating, same prompt, seed and options; medians of the rounds.
    def app_reply_tps() -> float:
        window.chat.new_chat()
        window.chat.composer.setPlainText(PROMPT)
        loop = QEventLoop()
        window.chat.send()
        window.chat_controller.runner.reply_finished.connect(lambda _stats: loop.quit())
        window.chat_controller.runner.reply_failed.connect(lambda _msg: loop.quit())
        loop.exec()
        wait_until(app, lambda: window.chat_controller.runner is None, 10)
        return window.chat_controller.messages.item(
            window.chat_controller.messages.rowCount() - 1
        ).stats["tokens_per_s"]

    params = panel.sampling()
    engine = LocalBackend(model, LoadOptions(context_length=4096, gpu_layers=0))
    engine.load()

    def engine_reply_tps() -> float:
        stats = None
        for event in engine.start_reply([{"role": "user", "content": PROMPT}], params):
            if isinstance(event, Stats):
                stats = event
        return stats.tokens_per_s

    app_runs, engine_runs = [], []
    for i in range(args.rounds):
        order = (
            (app_reply_tps, engine_reply_tps) if i % 2 == 0 else (engine_reply_tps, app_reply_tps)
        )
        for run in order:
            (app_runs if run is app_reply_tps else engine_runs).append(run())
    engine.unload()
    app_tps, engine_tps = statistics.median(app_runs), statistics.median(engine_runs)
    print(
        f"generation, median of {args.rounds} alternating rounds: app {app_tps:.1f} tok/s, "
        f"engine alone {engine_tps:.1f} tok/s, ratio {app_tps / engine_tps:.3f} (target >= 0.97)"
    )

    # -- opening a 2,000-message conversation ---------------------------------------------------
    store = window.store
    big = store.create_conversation("Long chat")
    line = "This is a fairly ordinary sentence in a long conversation, 这是一个长对话。 "
    rows = [
        ("user" if i % 2 == 0 else "assistant", f"Message {i}. " + line * 7) for i in range(2000)
    ]
    store.add_messages_bulk(big.id, rows)
    size = sum(len(c) for _, c in rows)
    window.chat.new_chat()
    app.processEvents()
    shown = []
    window.chat_controller.thread_loaded.connect(lambda cid: shown.append(time.perf_counter()))
    t0 = time.perf_counter()
    window.chat.open_conversation(big.id)
    wait_until(app, lambda: shown, 10)
    # painted: the last row is inside the viewport after the scroll-to-bottom
    last_index = window.chat_controller.messages.index(
        window.chat_controller.messages.rowCount() - 1, 0
    )

    def last_visible() -> bool:
        rect = window.chat.view.visualRect(last_index)
        return window.chat.view.viewport().rect().intersects(rect)

    wait_until(app, last_visible, 10)
    window.chat.view.viewport().repaint()
    opened = time.perf_counter() - t0
    print(
        f"open a 2,000-message chat ({size / 1e6:.2f} MB): {opened * 1000:.0f} ms to the last "
        f"message painted (target <= 300 ms)"
    )

    # -- 10,000 conversations in the sidebar ------------------------------------------------------
    with store._write() as conn:
        now = time.time()
        conn.executemany(
            "INSERT INTO conversations (title, created_at, updated_at, settings)"
            " VALUES (?, ?, ?, '{}')",
            [(f"Conversation {i} about topic {i % 97}", now - i, now - i) for i in range(10_000)],
        )
    t0 = time.perf_counter()
    window.chat.sidebar.reload()
    app.processEvents()
    print(
        f"sidebar: {window.chat.sidebar.findChild(QObject, 'conversationList').model().rowCount()} "
        f"conversations loaded in {(time.perf_counter() - t0) * 1000:.0f} ms"
    )
    window.close()

    # -- cold start ------------------------------------------------------------------------------
    code = textwrap.dedent(
        """
        import time, sys
        start = float(sys.argv[1])
        from PySide6.QtCore import QTimer
        from workbench.app import create_app
        app, w = create_app([])
        w.show()
        QTimer.singleShot(0, lambda: (print(time.time() - start), app.quit()))
        app.exec()
        """
    )
    starts = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", code, repr(time.time())],
            capture_output=True,
            text=True,
            env=os.environ | {"WORKBENCH_HOME": tempfile.mkdtemp()},
        )
        starts.append(float(out.stdout.strip().splitlines()[-1]))
    print(
        f"cold start to a visible window: median {statistics.median(starts):.2f} s "
        f"(runs {', '.join(f'{s:.2f}' for s in starts)}; target <= 1.5 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
