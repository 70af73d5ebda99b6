"""Split a streamed reply into reasoning (``<think>…</think>``) and answer text.

Reasoning models (DeepSeek-R1, Qwen3, QwQ …) write their chain of thought between think tags.
Tags can arrive split across stream chunks (``"<thi"`` then ``"nk>"``), so the splitter holds
back only the few characters that could still become a tag and releases everything else at once.
"""

from __future__ import annotations

from workbench.core.backend import ReasoningDelta, TextDelta

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"


class ThinkSplitter:
    """Feed raw text chunks; get ``TextDelta``/``ReasoningDelta`` events back.

    Args:
        start_in_reasoning: the prompt already opened a ``<think>`` block (some chat templates
            end the generation prompt with it), so output is reasoning until ``</think>``.
    """

    def __init__(self, *, start_in_reasoning: bool = False) -> None:
        self._in_reasoning = start_in_reasoning
        self._pending = ""
        # Whitespace right after a tag is layout, not content: drop it at the start of a section.
        self._at_section_start = True

    @property
    def in_reasoning(self) -> bool:
        return self._in_reasoning

    def feed(self, chunk: str) -> list[TextDelta | ReasoningDelta]:
        out: list[TextDelta | ReasoningDelta] = []
        text = self._pending + chunk
        self._pending = ""
        while text:
            tag = CLOSE_TAG if self._in_reasoning else OPEN_TAG
            idx = text.find(tag)
            if idx >= 0:
                self._emit(out, text[:idx])
                text = text[idx + len(tag) :]
                self._in_reasoning = not self._in_reasoning
                self._at_section_start = True
                continue
            keep = _partial_suffix(text, tag)
            self._emit(out, text[: len(text) - keep])
            self._pending = text[len(text) - keep :]
            break
        return out

    def flush(self) -> list[TextDelta | ReasoningDelta]:
        """Release held-back text at the end of the stream."""
        out: list[TextDelta | ReasoningDelta] = []
        self._emit(out, self._pending)
        self._pending = ""
        return out

    def _emit(self, out: list[TextDelta | ReasoningDelta], text: str) -> None:
        if self._at_section_start:
            text = text.lstrip()
            if not text:
                return
            self._at_section_start = False
        if text:
            out.append(ReasoningDelta(text) if self._in_reasoning else TextDelta(text))


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for n in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:n]):
            return n
    return 0
