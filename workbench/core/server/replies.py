"""Answering with a reply: its blocking iteration runs on a thread of its own and its events
cross to the event loop through an asyncio queue; the answer is one JSON body or a stream of
server-sent events.

A client that goes away (the ASGI ``http.disconnect`` message, or a send that fails) cancels
the reply at once, so the model is free for the next request.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from workbench.core.backend import Error, Event, ReasoningDelta, Reply, Stats, TextDelta
from workbench.core.i18n import translate
from workbench.core.server import shapes
from workbench.core.server.errors import ApiError
from workbench.core.server.log import LogEntry, RequestLog

log = logging.getLogger(__name__)

_END = object()

# Error kinds of a reply, as HTTP statuses. Cloud failures upstream are a bad gateway.
_STATUS = {
    "invalid_options": (400, "invalid_request_error", None),
    "context_overflow": (400, "invalid_request_error", "context_length_exceeded"),
    "bad_request": (400, "invalid_request_error", None),
    "not_found": (404, "invalid_request_error", "model_not_found"),
    "not_loaded": (503, "server_error", "model_not_loaded"),
    "busy": (503, "server_error", "model_busy"),
    "rate_limited": (429, "rate_limit_error", None),
    "process_died": (500, "server_error", "model_crashed"),
    "generation_failed": (500, "server_error", None),
    "auth": (502, "server_error", "upstream_error"),
    "forbidden": (502, "server_error", "upstream_error"),
    "network": (502, "server_error", "upstream_error"),
    "timeout": (504, "server_error", "upstream_timeout"),
    "tls": (502, "server_error", "upstream_error"),
    "server": (502, "server_error", "upstream_error"),
    "stream_cut": (502, "server_error", "upstream_error"),
}


def api_error(error: Error) -> ApiError:
    status, kind, code = _STATUS.get(error.kind, (500, "server_error", None))
    return ApiError(status, error.message, type=kind, code=code)


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class Call:
    """One request on its way to the log: filled in as it goes, written once at the end."""

    def __init__(self, log_: RequestLog, endpoint: str) -> None:
        self._log = log_
        self.started = time.time()
        self._t0 = time.perf_counter()
        self.endpoint = endpoint
        self.model = ""
        self.waited = False
        self._done = False

    def finish(self, status: int, stats: Stats | None = None, error: str = "") -> None:
        if self._done:
            return
        self._done = True
        self._log.add(
            LogEntry(
                time=self.started,
                endpoint=self.endpoint,
                model=self.model,
                prompt_tokens=stats.prompt_tokens if stats else 0,
                completion_tokens=stats.completion_tokens if stats else 0,
                duration_s=time.perf_counter() - self._t0,
                status=status,
                waited=self.waited,
                error=error,
            )
        )


class Pump:
    """Iterates a reply on a thread of its own and hands its events to the event loop."""

    def __init__(
        self,
        reply: Reply,
        loop: asyncio.AbstractEventLoop,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        self.reply = reply
        self._on_end = on_end
        self._loop = loop
        self._queue: asyncio.Queue = asyncio.Queue()
        self.ended = False
        self.cancelled = False

    def start(self) -> None:
        threading.Thread(target=self._work, name="workbench-server-reply", daemon=True).start()

    def _put(self, item: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: the server has stopped
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def _work(self) -> None:
        try:
            for event in self.reply:
                self._put(event)
        except Exception as exc:  # a backend's bug: said to the client as a 500, logged here
            log.exception("a reply failed inside the server")
            self._put(
                Error(
                    translate("core.server", "The reply failed inside Workbench ({error}).").format(
                        error=type(exc).__name__
                    )
                )
            )
        finally:
            self._put(_END)
            if self._on_end is not None:
                try:
                    self._on_end()
                except Exception:
                    log.exception("a backend could not be closed after its reply")

    async def next(self) -> Event | None:
        """The next event, or None once the reply has ended."""
        if self.ended:
            return None
        item = await self._queue.get()
        if item is _END:
            self.ended = True
            return None
        if isinstance(item, (Stats, Error)):
            self.ended = True
        return item

    def cancel(self) -> None:
        if not self.ended and not self.cancelled:
            self.cancelled = True
            self.reply.cancel()


class Shape(abc.ABC):
    """How one endpoint writes a reply: as chunks, and as one whole body."""

    def __init__(self, model: str, *, include_usage: bool) -> None:
        self.model = model
        self.include_usage = include_usage
        self.rid = ""
        self.created = int(time.time())

    @abc.abstractmethod
    def text(self, text: str) -> dict[str, Any]: ...

    @abc.abstractmethod
    def reasoning(self, text: str) -> dict[str, Any] | None: ...

    @abc.abstractmethod
    def end(self, stats: Stats) -> list[dict[str, Any]]: ...

    @abc.abstractmethod
    def whole(self, answer: shapes.Answer) -> dict[str, Any]: ...


class ChatShape(Shape):
    def __init__(self, model: str, *, include_usage: bool) -> None:
        super().__init__(model, include_usage=include_usage)
        self.rid = shapes.new_id("chatcmpl")
        self._first = True

    def _delta(self, delta: dict[str, Any]) -> dict[str, Any]:
        if self._first:  # OpenAI names the role in the first chunk only
            self._first = False
            delta = {"role": "assistant", **delta}
        return shapes.chat_chunk(
            self.rid, self.model, self.created, delta, with_usage=self.include_usage
        )

    def text(self, text: str) -> dict[str, Any]:
        return self._delta({"content": text})

    def reasoning(self, text: str) -> dict[str, Any] | None:
        return self._delta({"reasoning_content": text})

    def end(self, stats: Stats) -> list[dict[str, Any]]:
        finish = shapes.chat_chunk(
            self.rid,
            self.model,
            self.created,
            {} if not self._first else {"role": "assistant", "content": ""},
            shapes.finish_reason(stats),
            with_usage=self.include_usage,
        )
        if not self.include_usage:
            return [finish]
        usage = shapes.chat_chunk(
            self.rid, self.model, self.created, None, usage_of=stats, with_usage=True
        )
        return [finish, usage]

    def whole(self, answer: shapes.Answer) -> dict[str, Any]:
        return shapes.chat_completion(self.rid, self.model, self.created, answer)


class CompletionShape(Shape):
    def __init__(self, model: str, *, include_usage: bool) -> None:
        super().__init__(model, include_usage=include_usage)
        self.rid = shapes.new_id("cmpl")

    def _chunk(self, text: str, finish: str | None) -> dict[str, Any]:
        return shapes.text_completion(
            self.rid,
            self.model,
            self.created,
            text,
            finish,
            final=False,
            with_usage=self.include_usage,
        )

    def text(self, text: str) -> dict[str, Any]:
        return self._chunk(text, None)

    def reasoning(self, text: str) -> dict[str, Any] | None:
        return None  # a raw continuation has no reasoning part: the text carries it

    def end(self, stats: Stats) -> list[dict[str, Any]]:
        out = [self._chunk("", shapes.finish_reason(stats))]
        if self.include_usage:
            out.append(
                {
                    "id": self.rid,
                    "object": "text_completion",
                    "created": self.created,
                    "model": self.model,
                    "choices": [],
                    "usage": shapes.usage(stats),
                }
            )
        return out

    def whole(self, answer: shapes.Answer) -> dict[str, Any]:
        return shapes.text_completion(
            self.rid,
            self.model,
            self.created,
            "".join(answer.reasoning) + "".join(answer.text),
            answer.finish_reason,
            answer.stats,
        )


def error_response_bytes(exc: ApiError) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json_bytes(exc.body())
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return exc.status, headers, body


class ReplyResponse:
    """An ASGI response answering with a reply, whole (JSON) or streamed (server-sent events).

    The HTTP status waits for the reply's first event, so that a reply failing at once (no
    model, a crash, a context overflow) is a proper error status, not a broken stream.
    """

    def __init__(
        self,
        call: Call,
        pump: Pump,
        shape: Shape,
        *,
        stream: bool,
        on_crash: Callable[[str], None],
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        self.call = call
        self.pump = pump
        self.shape = shape
        self.stream = stream
        self._on_crash = on_crash
        self._headers = headers or []

    async def __call__(self, scope: Any, receive: Callable, send: Callable) -> None:
        watcher = asyncio.ensure_future(self._watch(receive))
        try:
            if self.stream:
                await self._streamed(send)
            else:
                await self._whole(send)
        except OSError:  # the client went away while we wrote
            self.pump.cancel()
            self.call.finish(499)
        finally:
            watcher.cancel()
            self.pump.cancel()
            self.call.finish(499)  # no-op unless ended without a status (disconnected)

    async def _watch(self, receive: Callable) -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                log.info("client left %s; cancelling its reply", self.call.endpoint)
                self.pump.cancel()
                return

    def _failed(self, error: Error) -> ApiError:
        exc = api_error(error)
        if error.kind == "process_died":
            self._on_crash(error.message)
        return exc

    async def _send_error(self, send: Callable, exc: ApiError) -> None:
        status, headers, body = error_response_bytes(exc)
        self.call.finish(status, error=exc.message)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _whole(self, send: Callable) -> None:
        answer = shapes.Answer()
        while (event := await self.pump.next()) is not None:
            if isinstance(event, TextDelta):
                answer.text.append(event.text)
            elif isinstance(event, ReasoningDelta):
                answer.reasoning.append(event.text)
            elif isinstance(event, Stats):
                answer.stats = event
            elif isinstance(event, Error):
                await self._send_error(send, self._failed(event))
                return
        if self.pump.cancelled:
            return
        body = json_bytes(self.shape.whole(answer))
        # Logged before the last bytes go: a client holding its answer finds it in the log.
        self.call.finish(200, answer.stats)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *self._headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _streamed(self, send: Callable) -> None:
        first = await self.pump.next()
        if isinstance(first, Error):
            await self._send_error(send, self._failed(first))
            return
        if first is None or self.pump.cancelled:
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache"),
                    (b"x-accel-buffering", b"no"),
                    *self._headers,
                ],
            }
        )
        event: Event | None = first
        while event is not None:
            chunks: list[dict[str, Any]] = []
            if isinstance(event, TextDelta):
                chunks.append(self.shape.text(event.text))
            elif isinstance(event, ReasoningDelta):
                chunk = self.shape.reasoning(event.text)
                if chunk is None:  # completions: reasoning is part of the text
                    chunk = self.shape.text(event.text)
                chunks.append(chunk)
            elif isinstance(event, Stats):
                if self.pump.cancelled:
                    return
                chunks.extend(self.shape.end(event))
                self.call.finish(200, event)  # before the last bytes, as above
                await self._events(send, chunks, done=True)
                return
            elif isinstance(event, Error):
                exc = self._failed(event)
                # Headers are gone: the error travels as an event, as OpenAI's streams do it.
                self.call.finish(exc.status, error=exc.message)
                await self._events(send, [exc.body()], done=False)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            if chunks:
                await self._events(send, chunks, done=False)
            event = await self.pump.next()

    async def _events(self, send: Callable, chunks: list[dict[str, Any]], *, done: bool) -> None:
        data = b"".join(b"data: " + json_bytes(c) + b"\n\n" for c in chunks)
        if done:
            data += b"data: [DONE]\n\n"
        await send({"type": "http.response.body", "body": data, "more_body": not done})
