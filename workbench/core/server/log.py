"""The request log: one entry per request, the newest 500 kept, watchers told of each."""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

KEEP = 500


@dataclass(frozen=True)
class LogEntry:
    """One answered request.

    Attributes:
        time: When it arrived (seconds since the epoch).
        endpoint: The path, e.g. "/v1/chat/completions".
        model: The model asked for ("" when none was).
        prompt_tokens: Tokens read (0 where not known).
        completion_tokens: Tokens written.
        duration_s: From arrival to the last byte sent.
        status: The HTTP status; a stream that fails after it began says 500 here.
        waited: Whether it waited for the model to finish another reply first.
        error: The error sentence sent to the client ("" when none).
    """

    time: float
    endpoint: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    duration_s: float
    status: int
    waited: bool = False
    error: str = ""


class RequestLog:
    """The last :data:`KEEP` requests, oldest first; thread-safe."""

    def __init__(self, keep: int = KEEP) -> None:
        self._entries: collections.deque[LogEntry] = collections.deque(maxlen=keep)
        self._lock = threading.Lock()
        self._watchers: list[Callable[[LogEntry], None]] = []

    def add(self, entry: LogEntry) -> None:
        with self._lock:
            self._entries.append(entry)
            watchers = list(self._watchers)
        for callback in watchers:
            try:
                callback(entry)
            except Exception:  # a watcher's bug must not fail the request it is told about
                log.exception("a request log watcher failed")

    def entries(self) -> list[LogEntry]:
        """A copy of the entries, oldest first."""
        with self._lock:
            return list(self._entries)

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def subscribe(self, callback: Callable[[LogEntry], None]) -> Callable[[], None]:
        """Call ``callback(entry)`` for each new entry, from the server's thread.

        Returns a function that ends the subscription.
        """
        with self._lock:
            self._watchers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._watchers:
                    self._watchers.remove(callback)

        return unsubscribe
