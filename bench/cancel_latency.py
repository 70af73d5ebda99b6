"""How fast Stop takes effect, during prompt processing and during generation.

    uv run python bench/cancel_latency.py [--model PATH] [--rounds 7]

Prints the time from ``Reply.cancel()`` to the reply's final event, per round and as medians
and maxima. Target: within 200 ms in both phases.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time

from benchmodel import model_path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    from workbench.core.backend import Stats, TextDelta
    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions, SamplingParams

    model = model_path(args.model)
    backend = LocalBackend(model, LoadOptions(context_length=4096))
    backend.load()
    long_prompt = "Summarise: " + " ".join(f"item {i} is blue;" for i in range(450))

    def latency(prompt: str, cancel_when) -> tuple[float, bool]:
        reply = backend.start_reply(
            [{"role": "user", "content": prompt}], SamplingParams(max_tokens=2000)
        )
        at: list[float] = []
        saw_text = False

        def cancel():
            at.append(time.perf_counter())
            reply.cancel()

        timer = None
        if cancel_when == "prompt":
            timer = threading.Timer(0.2, cancel)
            timer.start()
        n = 0
        for event in reply:
            if isinstance(event, TextDelta):
                saw_text = True
                n += 1
                if cancel_when == "generation" and n == 50:
                    cancel()
            elif isinstance(event, Stats):
                assert event.finish_reason == "cancelled", event
        end = time.perf_counter()
        if timer:
            timer.join()
        return end - at[0], saw_text

    for phase, prompt in (("prompt", long_prompt), ("generation", "Write a long essay.")):
        values = []
        for _ in range(args.rounds):
            value, saw_text = latency(prompt, phase)
            if phase == "prompt" and saw_text:
                continue  # the prompt finished before the cancel: not a prompt-phase sample
            values.append(value * 1000)
        print(
            f"cancel during {phase:<10}: median {statistics.median(values):6.1f} ms, "
            f"max {max(values):6.1f} ms over {len(values)} rounds (target <= 200 ms)"
        )
    backend.unload()
    return 0


if __name__ == "__main__":
    sys.exit(main())
