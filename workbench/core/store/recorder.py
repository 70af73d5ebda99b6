"""A streaming reply saved to the conversation database as it grows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from workbench.core.store import writers
from workbench.core.store.database import Store
from workbench.core.store.records import STATES, UNSET, Unset


class ReplyRecorder:
    """Saves a streaming assistant reply as it grows, so a crash loses at most ~1 s of text.

    Creating the recorder adds the assistant message in state 'streaming' at once.
    :meth:`add_text` and :meth:`add_reasoning` append in memory and write the text so far when
    ``flush_interval`` seconds have passed since the last write; :meth:`finish` writes everything
    with the final state. Safe to read :attr:`content` from another thread while a worker appends.

    If the conversation is moved to the trash while the reply streams, the reply is still saved
    (so undo brings it back whole); if it is purged, writes stop quietly and :attr:`discarded`
    becomes true.

    Args:
        store: Where to save.
        conversation_id: The conversation the reply belongs to.
        source: Where the reply comes from ("local" or a provider name).
        model: The model label.
        params: The sampling parameters used.
        parent_id: The message being answered; not given: the conversation's current leaf. Give
            the user message to regenerate its reply (the new reply becomes a new version).
        flush_interval: Seconds between writes while streaming.
        clock: Monotonic time source in seconds (tests inject a fake one).
    """

    def __init__(
        self,
        store: Store,
        conversation_id: int,
        *,
        source: str | None = None,
        model: str | None = None,
        params: dict | None = None,
        parent_id: int | Unset | None = UNSET,
        flush_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        # Another process starting up must not call this live reply interrupted.
        writers.hold(store.path)
        self._flush_interval = flush_interval
        self._clock = clock
        self._lock = threading.Lock()
        # Lists of deltas, joined only when written or read: appending stays O(1) however long
        # the reply gets.
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self._dirty = False
        self._state: str = "streaming"
        self.discarded = False
        message = store.add_message(
            conversation_id,
            "assistant",
            source=source,
            model=model,
            params=params,
            state="streaming",
            parent_id=parent_id,
        )
        self.message_id: int = message.id
        self._last_flush = clock()

    @property
    def content(self) -> str:
        """The reply text so far."""
        with self._lock:
            return self._joined(self._text)

    @property
    def reasoning(self) -> str:
        """The reasoning ("thinking") text so far."""
        with self._lock:
            return self._joined(self._reasoning)

    @property
    def state(self) -> str:
        """'streaming' until :meth:`finish`, then the final state."""
        return self._state

    def add_text(self, delta: str) -> None:
        """Append reply text; writes to the database if the flush interval has passed."""
        self._add(self._text, delta)

    def add_reasoning(self, delta: str) -> None:
        """Append reasoning text; writes to the database if the flush interval has passed."""
        self._add(self._reasoning, delta)

    def flush(self) -> None:
        """Write the text so far now, if anything changed since the last write."""
        with self._lock:
            self._check_open()
            if self._dirty:
                self._write()

    def finish(
        self, stats: dict | None = None, state: str = "complete", error: str | None = None
    ) -> None:
        """Write the whole reply and its final state.

        Args:
            stats: Generation statistics (tokens, speed...); left unchanged when None.
            state: 'complete', 'interrupted', 'cancelled' or 'error'.
            error: What went wrong, for state 'error'.

        Raises:
            ValueError: ``state`` is 'streaming' or unknown.
            RuntimeError: The recorder was already finished.
        """
        if state == "streaming" or state not in STATES:
            raise ValueError(f"final state must be one of {STATES[:1] + STATES[2:]}, not {state!r}")
        with self._lock:
            self._check_open()
            extra: dict[str, Any] = {"state": state, "error": error}
            if stats is not None:
                extra["stats"] = stats
            self._write(**extra)
            self._state = state

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _joined(parts: list[str]) -> str:
        # Collapse to one part so reading repeatedly stays linear in the text length.
        if len(parts) > 1:
            parts[:] = ["".join(parts)]
        return parts[0] if parts else ""

    def _check_open(self) -> None:
        if self._state != "streaming":
            raise RuntimeError("this reply was already finished")

    def _add(self, parts: list[str], delta: str) -> None:
        if not delta:
            return
        with self._lock:
            self._check_open()
            parts.append(delta)
            self._dirty = True
            if self._clock() - self._last_flush >= self._flush_interval:
                self._write()

    def _write(self, **extra: Any) -> None:
        # Called with self._lock held. The full text is written each time: simpler than
        # appending in SQL, and one row update of a few hundred KB is cheap. On a StoreError
        # (disk full...) the text stays marked unsaved, so the next write retries it; the timer
        # restarts anyway so a failing disk is not retried on every token.
        self._last_flush = self._clock()
        if self.discarded:
            return
        try:
            self._store.update_message(
                self.message_id,
                content=self._joined(self._text),
                reasoning=self._joined(self._reasoning),
                **extra,
            )
        except KeyError:
            # The conversation was purged (or the message deleted) mid-reply; the model may
            # still be producing text, which now has nowhere to go.
            self.discarded = True
        self._dirty = False
