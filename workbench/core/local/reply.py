"""One streaming answer from the model process: a chat reply or a raw completion.

A :class:`LocalReply` waits for its turn (:mod:`.turns`) when it is iterated, sends its request
down the pipe, and turns what comes back into events. Cancel works while it waits (it ends at
once) and while it runs (the child stops at the next token, or mid-batch during the prompt).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from workbench.core.backend import Error, Event, Reply, Stats, TextDelta
from workbench.core.i18n import translate
from workbench.core.options import SamplingParams
from workbench.core.reasoning import ThinkSplitter

if TYPE_CHECKING:
    from workbench.core.local.host import LocalBackend

log = logging.getLogger(__name__)

#: how long a cancelled reply may take to wind down before the process is killed
CANCEL_GRACE_S = 2.0
POLL_S = 0.05


def not_loaded() -> str:
    return translate("core.local.host", "No model is loaded; load one first.")


class _PlainText:
    """A completion's text as it comes: no reasoning to split out of a raw continuation."""

    def feed(self, chunk: str) -> list[Event]:
        return [TextDelta(chunk)] if chunk else []

    def flush(self) -> list[Event]:
        return []


class LocalReply(Reply):
    """A reply streaming from the model process.

    ``kind`` is "chat" (``payload`` the messages) or "complete" (``payload`` the prompt text).
    """

    def __init__(
        self,
        backend: LocalBackend,
        req_id: int,
        payload: Any,
        params: SamplingParams,
        extra: dict | None = None,
        kind: str = "chat",
    ) -> None:
        self._backend = backend
        self._req_id = req_id
        self._payload = payload
        self._params = params
        self._extra = extra or {}
        self._kind = kind
        self._cancel_at: float | None = None
        self._running = False
        self._process = backend._process_count  # which model process this reply was for

    def cancel(self) -> None:
        if self._cancel_at is None:
            self._cancel_at = time.monotonic()
        # Only a running reply may write the shared flag: a waiting one would overwrite the
        # running one's cancel. A reply that starts just now sees _cancel_at before it sends.
        if self._running:
            flag = self._backend._flag
            if flag is not None:
                flag.value = self._req_id
        self._backend._turns.wake()

    def __iter__(self) -> Iterator[Event]:
        backend = self._backend
        turns = backend._turns
        if turns.busy:
            log.info("request %s waits for the model (%s waiting)", self._req_id, turns.waiting)
        if not turns.take(self, lambda: self._cancel_at is not None):
            yield Stats(finish_reason="cancelled", load_s=None)
            return
        self._running = True
        try:
            if self._cancel_at is not None:
                yield Stats(finish_reason="cancelled", load_s=None)
                return
            yield from self._run()
        finally:
            self._running = False
            turns.give(self)

    def _run(self) -> Iterator[Event]:
        backend, req_id = self._backend, self._req_id
        conn, proc = backend._conn, backend._proc
        if conn is None or proc is None:
            died = backend._died
            if died is not None and died[0] == self._process:
                # The process this reply waited for died during the wait (a reply before it
                # saw that): say so rather than "not loaded".
                yield Error(died[1], "process_died")
            else:
                yield Error(not_loaded(), "not_loaded")
            return
        splitter: ThinkSplitter | _PlainText = (
            ThinkSplitter() if self._kind == "chat" else _PlainText()
        )
        try:
            conn.send((self._kind, req_id, self._payload, self._params.to_dict(), self._extra))
        except (OSError, ValueError):
            yield Error(backend._process_died(), "process_died")
            return
        finished = False
        try:
            while True:
                if (
                    self._cancel_at is not None
                    and time.monotonic() - self._cancel_at > CANCEL_GRACE_S
                ):
                    # The child did not stop in time (stuck in native code): end it.
                    log.warning("model process ignored cancel; ending it")
                    backend.unload()
                    yield from splitter.flush()
                    yield Stats(finish_reason="cancelled", load_s=None)
                    finished = True
                    return
                try:
                    if not conn.poll(POLL_S):
                        if not proc.is_alive():
                            raise EOFError
                        continue
                    msg = conn.recv()
                except (EOFError, OSError):
                    yield from splitter.flush()
                    if backend._unloading or self._cancel_at is not None:
                        yield Error(
                            translate("core.local.host", "The model was unloaded while answering."),
                            "not_loaded",
                        )
                    else:
                        yield Error(backend._process_died(), "process_died")
                    finished = True
                    return
                kind = msg[0]
                if len(msg) > 1 and msg[1] != req_id:
                    continue  # left over from an earlier, abandoned reply
                if kind == "delta":
                    yield from splitter.feed(msg[2])
                elif kind == "prompt":
                    if self._kind == "chat":
                        splitter = ThinkSplitter(start_in_reasoning=msg[2]["starts_in_reasoning"])
                elif kind == "done":
                    yield from splitter.flush()
                    info = backend.info
                    yield Stats(load_s=info.load_s if info else None, **msg[2])
                    finished = True
                    return
                elif kind == "error":
                    yield from splitter.flush()
                    yield Error(msg[3], msg[2])
                    finished = True
                    return
        finally:
            if not finished:
                # The consumer stopped iterating early: stop the child too. Its remaining
                # messages carry this request's id and are skipped by the next reply.
                self.cancel()
