"""Two copies of the test model generating at once against one alone, in one run.

What the compare view does when two local models answer side by side: two model processes
generate at the same time on the same cores. This measures, on the same GGUF file loaded four
times (each ``LocalBackend`` a process of its own):

- one copy alone, default threads (``LoadOptions()``: automatic) and with ``split_threads(2)``;
- two copies started together (a barrier releases both threads at once), (a) default threads
  each, so the two oversubscribe the cores, and (b) ``split_threads(2)`` threads each.

The prompt is fixed and asks for a long answer; sampling is greedy (temperature 0) with a fixed
seed. The engine has no ignore-EOS option, so a reply may end before ``--max-tokens``: every
rate is computed from the tokens actually generated. "wall tok/s" is completion tokens over the
time from the (common) start to the finish, prompt processing included; "decode tok/s" is the
engine's own figure (tokens after the first over first-to-last token). For two copies, "summed"
is the completion tokens of both over the time from the common start to the last finish. Rounds
run every configuration once, in turn, so that drift hits all alike; figures are medians.

    uv run python bench/compare_concurrency.py [--model PATH] [--rounds 3] [--max-tokens 200]

No target: the question is whether two copies together get near what the machine gives one
(ratio summed / alone near or above 1) and whether splitting the threads beats oversubscribing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass

from benchmodel import model_path

PROMPT = (
    "Write a very long and detailed essay about the history of sailing ships, "
    "with many sections, examples and lists. Do not stop early."
)
SEED = 1234


@dataclass
class Run:
    """One reply: tokens, its own wall time from the common start, the engine's figures."""

    tokens: int
    wall_s: float
    decode_tps: float | None
    ttft_s: float | None
    finish: str
    text: str

    @property
    def wall_tps(self) -> float:
        return self.tokens / self.wall_s if self.wall_s > 0 else 0.0


def reply(backend, sampling, start: float | None = None) -> Run:
    """Run one reply on ``backend``; ``start`` is the common start time (default: now)."""
    from workbench.core.backend import Stats, TextDelta

    begun = time.perf_counter() if start is None else start
    parts: list[str] = []
    stats = None
    for ev in backend.start_reply([{"role": "user", "content": PROMPT}], sampling):
        if isinstance(ev, TextDelta):
            parts.append(ev.text)
        elif isinstance(ev, Stats):
            stats = ev
        elif not hasattr(ev, "text"):  # Error (reasoning deltas, if any, are just skipped)
            raise RuntimeError(ev)
    ended = time.perf_counter()
    assert stats is not None
    return Run(
        tokens=stats.completion_tokens,
        wall_s=ended - begun,
        decode_tps=stats.tokens_per_s,
        ttft_s=stats.ttft_s,
        finish=stats.finish_reason,
        text="".join(parts),
    )


def together(backends, sampling) -> tuple[list[Run], float]:
    """Both backends answer at once; (their runs, wall time from common start to last finish)."""
    barrier = threading.Barrier(len(backends))
    starts: list[float] = [0.0] * len(backends)
    ends: list[float] = [0.0] * len(backends)
    results: list[Run | BaseException | None] = [None] * len(backends)

    def work(i: int) -> None:
        try:
            barrier.wait()
            starts[i] = time.perf_counter()
            run = reply(backends[i], sampling, starts[i])
            ends[i] = time.perf_counter()
            results[i] = run
        except BaseException as exc:  # reported in the main thread
            results[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(backends))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in results:
        if not isinstance(r, Run):
            raise RuntimeError(f"a copy failed: {r!r}")
    common = min(starts)
    runs: list[Run] = []
    for i, r in enumerate(results):
        assert isinstance(r, Run)
        r.wall_s = ends[i] - common  # each copy's own time, from the common start
        runs.append(r)
    return runs, max(ends) - common


def med(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="GGUF file (default: the cached test model)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument(
        "--uniform",
        action="store_true",
        help="sample uniformly over the vocabulary (temperature 1; top-k, top-p, min-p and the "
        "repeat penalty off): for a model whose weights are all zero, which would otherwise "
        "stop at once",
    )
    args = parser.parse_args()

    import llama_cpp

    from workbench.core.compare.schedule import split_threads
    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions, SamplingParams

    model = model_path(args.model)
    sampling = SamplingParams(temperature=0.0, max_tokens=args.max_tokens, seed=SEED)
    if args.uniform:
        sampling = SamplingParams(
            temperature=1.0,
            top_k=0,
            top_p=1.0,
            min_p=0.0,
            repeat_penalty=1.0,
            max_tokens=args.max_tokens,
            seed=SEED,
        )
    default_opts = LoadOptions(seed=SEED)
    split_opts = LoadOptions(threads=split_threads(2), seed=SEED)

    print(
        f"model {model.name}, os.cpu_count() = {os.cpu_count()}, "
        f"llama-cpp-python {llama_cpp.__version__}, max_tokens {args.max_tokens}, "
        f"temperature {sampling.temperature:g}, seed {SEED}, {args.rounds} rounds"
    )
    print(
        f"threads: default (automatic) = {default_opts.resolved_threads()} per model, "
        f"split_threads(2) = {split_opts.resolved_threads()} per model"
    )

    # Four processes, all loaded up front: the pair with default threads and the pair with
    # split threads. The first of each pair also serves as "one alone" for its thread count.
    backends = {
        "default": [LocalBackend(model, default_opts), LocalBackend(model, default_opts)],
        "split": [LocalBackend(model, split_opts), LocalBackend(model, split_opts)],
    }
    try:
        for pair in backends.values():
            for b in pair:
                b.load()
        for pair in backends.values():  # warm-up: first-touch page faults, thread pools
            for b in pair:
                reply(b, sampling)

        alone: dict[str, list[Run]] = {"default": [], "split": []}
        pairs: dict[str, list[tuple[list[Run], float]]] = {"default": [], "split": []}
        print()
        print(
            f"{'round':>5} {'configuration':<28} {'tokens':>11} {'wall s':>7} "
            f"{'wall tok/s':>11} {'decode tok/s':>13} {'per copy wall tok/s':>20}"
        )
        for r in range(args.rounds):
            for kind in ("default", "split"):
                run = reply(backends[kind][0], sampling)
                alone[kind].append(run)
                label = f"1 alone, {backends[kind][0].options.resolved_threads()} thr"
                print(
                    f"{r:>5} {label:<28} {run.tokens:>11} {run.wall_s:>7.2f} "
                    f"{run.wall_tps:>11.1f} {run.decode_tps or float('nan'):>13.1f}"
                )
                runs, wall = together(backends[kind], sampling)
                pairs[kind].append((runs, wall))
                n = sum(x.tokens for x in runs)
                decode = sum(x.decode_tps or 0.0 for x in runs)
                each = " / ".join(f"{x.wall_tps:.1f}" for x in runs)
                tokens = "+".join(str(x.tokens) for x in runs)
                label = f"2 at once, {backends[kind][0].options.resolved_threads()} thr each"
                print(
                    f"{r:>5} {label:<28} {tokens:>11} {wall:>7.2f} {n / wall:>11.1f} "
                    f"{decode:>13.1f} {each:>20}"
                )

        # Greedy sampling: every reply should be the same text; say so, and how they ended.
        texts = {x.text for k in alone for x in alone[k]}
        texts |= {x.text for k in pairs for runs, _ in pairs[k] for x in runs}
        finishes = sorted(
            {x.finish for k in alone for x in alone[k]}
            | {x.finish for k in pairs for runs, _ in pairs[k] for x in runs}
        )
        counts = sorted(
            {x.tokens for k in alone for x in alone[k]}
            | {x.tokens for k in pairs for runs, _ in pairs[k] for x in runs}
        )
    finally:
        for pair in backends.values():
            for b in pair:
                b.unload()

    summary = {}
    for kind in ("default", "split"):
        summary[f"alone_{kind}"] = (
            med(x.wall_tps for x in alone[kind]),
            med(x.decode_tps for x in alone[kind]),
        )
        summary[f"pair_{kind}"] = (
            med(sum(x.tokens for x in runs) / wall for runs, wall in pairs[kind]),
            med(sum(x.decode_tps or 0.0 for x in runs) for runs, _ in pairs[kind]),
            med(x.wall_tps for runs, _ in pairs[kind] for x in runs),
            med(x.decode_tps for runs, _ in pairs[kind] for x in runs),
        )

    t_def, t_split = default_opts.resolved_threads(), split_opts.resolved_threads()
    print()
    print(f"medians over {args.rounds} rounds")
    print(f"{'configuration':<42} {'wall tok/s':>11} {'decode tok/s':>13}")
    rows = [
        (f"1 alone, default threads ({t_def})", summary["alone_default"]),
        (f"1 alone, split_threads(2) ({t_split})", summary["alone_split"]),
        (f"2 at once, default ({t_def} each): summed", summary["pair_default"][:2]),
        (f"2 at once, default ({t_def} each): per copy", summary["pair_default"][2:]),
        (f"2 at once, split ({t_split} each): summed", summary["pair_split"][:2]),
        (f"2 at once, split ({t_split} each): per copy", summary["pair_split"][2:]),
    ]
    for label, (wall_tps, decode_tps) in rows:
        print(f"{label:<42} {wall_tps:>11.1f} {decode_tps:>13.1f}")

    base_wall, base_decode = summary["alone_default"]
    print()
    print("ratios to one alone with default threads (wall tok/s; decode tok/s in brackets)")
    for label, key in (
        (f"summed, 2 copies, (a) default threads ({t_def} each)", "pair_default"),
        (f"summed, 2 copies, (b) split_threads(2) ({t_split} each)", "pair_split"),
        (f"one alone with split_threads(2) ({t_split}), for reference", "alone_split"),
    ):
        wall_tps, decode_tps = summary[key][:2]
        print(f"  {label:<58} {wall_tps / base_wall:.2f} ({decode_tps / base_decode:.2f})")
    split_vs_over = summary["pair_split"][0] / summary["pair_default"][0]
    print(f"  summed (b) split / summed (a) oversubscribed{'':<13} {split_vs_over:.2f}")
    print()
    print(
        f"completion tokens per reply: {', '.join(map(str, counts))} "
        f"(finish: {', '.join(finishes)}); "
        f"same text in every reply: {'yes' if len(texts) == 1 else f'no ({len(texts)} texts)'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
