"""Token bytes to streamed text, in constant work per token.

Two small pieces of the model process's token loop, kept free of llama.cpp so that they can be
tested on their own:

- :class:`TokenText` turns each new token's bytes into text with an incremental UTF-8 decoder.
  A character split across tokens (byte-fallback tokens, common in Chinese text) waits only for
  its own remaining bytes; bytes that can never become a character are shown as U+FFFD at once
  instead of holding back everything after them.
- :class:`StopMatcher` finds stop strings in the stream, even when one is split across tokens,
  and holds back only the tail that could still be the start of one. What it holds back is at
  most the longest stop string, so matching costs the same at token 5,000 as at token 5.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable


class TokenText:
    """Bytes of tokens in, text out; the pieces are cached per token id (they never change)."""

    def __init__(self, piece: Callable[[int], bytes]) -> None:
        self._piece = piece
        self._pieces: dict[int, bytes] = {}
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def bytes_of(self, token: int) -> bytes:
        data = self._pieces.get(token)
        if data is None:
            data = self._pieces[token] = self._piece(token)
        return data

    def feed(self, token: int) -> str:
        """The text this token completes (may be empty while a character is unfinished)."""
        return self._decoder.decode(self.bytes_of(token))

    def flush(self) -> str:
        """The end of the reply: an unfinished character becomes U+FFFD."""
        return self._decoder.decode(b"", final=True)

    def reset(self) -> None:
        self._decoder.reset()


class StopMatcher:
    """Cuts the stream at the first stop string; holds back what may be the start of one."""

    def __init__(self, stops: Iterable[str]) -> None:
        self.stops = sorted({s for s in stops if s}, key=len, reverse=True)
        self._longest = len(self.stops[0]) if self.stops else 0
        self._held = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """Text that is safe to show now. After a stop string, ``stopped`` is True."""
        if self.stopped:
            return ""
        if not self.stops:
            return text
        held = self._held + text
        # A stop string that ends in the new text starts at most longest - 1 characters before
        # it: searching only there keeps the work per token bounded.
        start = max(0, len(self._held) - self._longest + 1)
        window = held[start:] if start else held
        cut = -1
        for stop in self.stops:
            i = window.find(stop)
            if i != -1 and (cut == -1 or i < cut):
                cut = i
        if cut != -1:
            self.stopped = True
            self._held = ""
            return held[: start + cut]
        keep = self._partial_tail(held)
        self._held = held[len(held) - keep :] if keep else ""
        return held[: len(held) - keep]

    def flush(self) -> str:
        """The end of the reply: what was held back was not a stop string after all."""
        held, self._held = self._held, ""
        return "" if self.stopped else held

    def _partial_tail(self, text: str) -> int:
        """Length of the longest end of ``text`` that is the beginning of some stop string."""
        for n in range(min(len(text), self._longest - 1), 0, -1):
            tail = text[-n:]
            if any(stop.startswith(tail) for stop in self.stops):
                return n
        return 0
