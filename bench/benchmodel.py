"""What the benchmarks share: the model a benchmark runs (``--model PATH``, or the cached test
model, fetched on first use), the story prompts and the timing of a stream of text pieces."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def model_path(given: str | None) -> Path:
    if given:
        return Path(given)
    from testmodel import smollm2_path

    return smollm2_path()


def prompt_for(round_no: int) -> list[dict]:
    """A different long-story question for each round (no cache carries over between sides)."""
    return [
        {
            "role": "user",
            "content": f"Story number {round_no}: write a long story about a lighthouse keeper "
            f"called Ada who finds {round_no + 2} strange bottles.",
        }
    ]


def measure(stream) -> tuple[str, float, float, float]:
    """(text, ttft, first-piece time, last-piece time) for an iterator of text pieces."""
    started = time.perf_counter()
    first = last = None
    parts = []
    for piece in stream:
        if not piece:
            continue
        now = time.perf_counter()
        if first is None:
            first = now
        last = now
        parts.append(piece)
    return "".join(parts), first - started, first, last


def text_pieces(reply, stats: dict):
    """The text of a Workbench reply, piece by piece; its Stats land in ``stats["s"]``."""
    from workbench.core.backend import Stats, TextDelta

    for event in reply:
        if isinstance(event, TextDelta):
            yield event.text
        elif isinstance(event, Stats):
            stats["s"] = event
        else:
            raise RuntimeError(event)
