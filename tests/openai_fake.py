"""A small OpenAI-compatible HTTP server with scripted behaviour, for tests.

``FakeOpenAI`` answers ``GET /v1/models`` and ``POST /v1/chat/completions`` (streamed as
server-sent events over HTTP/1.1 chunked encoding, or as one JSON body) the way the OpenAI API
does, including its error bodies (``{"error": {"message", "type", "param", "code"}}``). Tests
script what comes next: the streamed text, error statuses with headers, a connection cut in the
middle of a stream, a slow answer, or parameters the "provider" rejects.

Usage::

    with FakeOpenAI(key="sk-test") as fake:
        fake.script(text="Hi there", reasoning="Let me think")
        fake.fail_next(429, headers={"retry-after": "20"})
        ...

or the ``fake_openai`` fixture (``from openai_fake import fake_openai`` in a test module).
Passing ``ssl_context`` serves HTTPS instead (``base_url`` then starts with ``https://``).
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class _QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-reply (pause, cancel, Stop) is what these tests do on purpose;
    the base class would print a traceback to stderr, into whatever test runs then."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


# An embedding model, as Ollama's /models lists one among its chat models: first in the alphabet,
# and every chat request for it fails. A model picker must never start on it.
ALWAYS_FAILS = "all-minilm"
DEFAULT_MODELS = [ALWAYS_FAILS, "fake-chat", "fake-reasoner", "o4-mini"]
CREATED = 1_735_689_600  # a fixed timestamp, so that answers are reproducible


@dataclass
class _Script:
    text: str = "Hello from the fake."
    reasoning: str = ""
    chunk_chars: int = 4
    usage: bool = True
    delay: float = 0.0
    reasoning_field: str = "reasoning_content"


@dataclass
class _Failure:
    status: int
    body: dict | str | None
    headers: dict
    times: int
    path: str | None


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), max(1, size))]


def masked_key(key: str) -> str:
    """The key as OpenAI's 401 message shows it: the first 6 and last 4 characters."""
    if len(key) <= 10:
        return "*" * len(key)
    return key[:6] + "*" * (len(key) - 10) + key[-4:]


def _reject_message(name: str) -> tuple[str, str | None, str]:
    """OpenAI's wording for a rejected parameter: message, ``param``, ``code``."""
    if name == "max_tokens":
        return (
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            "max_tokens",
            "unsupported_parameter",
        )
    if name in ("temperature", "top_p"):
        return (
            f"Unsupported value: '{name}' does not support 0.7 with this model. "
            "Only the default (1) value is supported.",
            name,
            "unsupported_value",
        )
    # Other providers say it without a ``param`` field: the client has to read the message.
    return f"Unrecognized request argument supplied: {name}", None, "invalid_request_error"


class FakeOpenAI:
    """An OpenAI-compatible server on 127.0.0.1 (random port); a context manager.

    Args:
        models: the model ids it serves; a chat request for another model gets a 404.
        key: the expected ``Authorization: Bearer`` key; ``None`` accepts any or none.
        ssl_context: a server-side context to serve HTTPS.
    """

    def __init__(
        self,
        *,
        models: list[str] | None = None,
        key: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.models: list[str] = list(DEFAULT_MODELS if models is None else models)
        self.key = key
        self.requests: list[dict] = []
        self._ssl_context = ssl_context
        self._lock = threading.Lock()
        self._script = _Script()
        self._failures: list[_Failure] = []
        self._cut: tuple[int, bool] | None = None
        self._stall: tuple[int, float] | None = None
        self._slow: float = 0.0
        self._rejected: dict[str, str | None] = {}
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        #: completed chat streams, for tests that wait until the server has finished one
        self.streams_finished = 0
        #: streams whose client went away before the end (the write failed)
        self.streams_abandoned = 0
        self.port = 0

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        scheme = "https" if self._ssl_context is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAI:
        server = _QuietServer(("127.0.0.1", 0), _make_handler(self))
        server.daemon_threads = True
        server.block_on_close = False  # stop() must not wait for a handler stuck in a slow reply
        if self._ssl_context is not None:
            server.socket = self._ssl_context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting ----------------------------------------------------------------------------

    def script(
        self,
        *,
        text: str = "Hello from the fake.",
        reasoning: str = "",
        chunk_chars: int = 4,
        usage: bool = True,
        delay: float = 0.0,
        reasoning_field: str = "reasoning_content",
    ) -> None:
        """Set what the following chat completions answer (until scripted again).

        Reasoning is streamed first, in ``delta.<reasoning_field>``, then the text in
        ``delta.content``; ``delay`` is the pause before each chunk; ``usage`` sends the usage
        chunk when the request asks for it with ``stream_options.include_usage``.
        """
        with self._lock:
            self._script = _Script(text, reasoning, chunk_chars, usage, delay, reasoning_field)

    def fail_next(
        self,
        status: int,
        *,
        body: dict | str | None = None,
        headers: dict | None = None,
        times: int = 1,
        path: str | None = None,
    ) -> None:
        """Answer the next ``times`` requests (those whose path contains ``path``) with ``status``.

        ``body`` may be a dict (sent as JSON), a str (sent as an HTML page) or ``None`` for
        OpenAI's usual error body for that status.
        """
        with self._lock:
            self._failures.append(_Failure(status, body, dict(headers or {}), times, path))

    def cut_after(self, n_chunks: int, *, graceful: bool = False) -> None:
        """The next stream sends ``n_chunks`` chunks, then the connection is dropped.

        With ``graceful`` the body ends properly instead (as a server that stops early would),
        but still without a finish reason or ``[DONE]``.
        """
        with self._lock:
            self._cut = (n_chunks, graceful)

    def stall_after(self, n_chunks: int, seconds: float) -> None:
        """The next stream sends ``n_chunks`` chunks, then pauses ``seconds`` before the rest."""
        with self._lock:
            self._stall = (n_chunks, seconds)

    def slow(self, seconds: float) -> None:
        """The next response waits ``seconds`` before sending its headers."""
        with self._lock:
            self._slow = seconds

    def reject_param(self, name: str, message: str | None = None) -> None:
        """Answer 400 to any chat request whose body contains ``name``, naming it."""
        with self._lock:
            self._rejected[name] = message

    def accept_param(self, name: str) -> None:
        with self._lock:
            self._rejected.pop(name, None)

    def chat_requests(self) -> list[dict]:
        """The recorded chat completion requests, in order."""
        with self._lock:
            return [r for r in self.requests if r["path"].endswith("/chat/completions")]

    # -- used by the handler ------------------------------------------------------------------

    def _take_failure(self, path: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.path is None or failure.path in path:
                    failure.times -= 1
                    if failure.times <= 0:
                        self._failures.remove(failure)
                    return failure
        return None

    def _take_slow(self) -> float:
        with self._lock:
            seconds, self._slow = self._slow, 0.0
        return seconds

    def _take_cut(self) -> tuple[int, bool] | None:
        with self._lock:
            cut, self._cut = self._cut, None
        return cut

    def _take_stall(self) -> tuple[int, float] | None:
        with self._lock:
            stall, self._stall = self._stall, None
        return stall

    def _wait(self, seconds: float) -> None:
        # An Event wait, so that stop() ends a slow answer at once.
        if seconds > 0:
            self._stopping.wait(seconds)


def _error_body(status: int, message: str, *, type_: str, code: str | None, param=None) -> dict:
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def _default_failure_body(status: int, model: str | None) -> dict:
    if status == 401:
        return _error_body(
            401,
            "Incorrect API key provided.",
            type_="invalid_request_error",
            code="invalid_api_key",
        )
    if status == 403:
        return _error_body(
            403,
            f"Project does not have access to model `{model}`.",
            type_="invalid_request_error",
            code="model_not_found",
        )
    if status == 404:
        return _error_body(
            404,
            f"The model `{model}` does not exist or you do not have access to it.",
            type_="invalid_request_error",
            code="model_not_found",
        )
    if status == 429:
        return _error_body(
            429,
            "Rate limit reached for requests per min. Please try again in 20s.",
            type_="requests",
            code="rate_limit_exceeded",
        )
    if status >= 500:
        return _error_body(
            status,
            "The server had an error while processing your request. Sorry about that!",
            type_="server_error",
            code=None,
        )
    return _error_body(status, "Bad request.", type_="invalid_request_error", code=None)


def _make_handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive and chunked streams, as real providers do

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the tests read fake.requests instead

        # -- plumbing ----------------------------------------------------------------------

        def _record(self, body: dict | None) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            with fake._lock:
                fake.requests.append(
                    {"method": self.command, "path": self.path, "headers": headers, "json": body}
                )

        def _send_json(self, status: int, obj: Any, headers: dict | None = None) -> None:
            data = json.dumps(obj).encode()
            self._send_bytes(status, data, "application/json", headers)

        def _send_bytes(
            self, status: int, data: bytes, ctype: str, headers: dict | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, str(value))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def _read_json(self) -> dict | None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                return json.loads(raw) if raw else None
            except ValueError:
                return None

        def _authorized(self) -> bool:
            if fake.key is None:
                return True
            auth = self.headers.get("Authorization", "")
            given = auth[7:] if auth.startswith("Bearer ") else ""
            if given == fake.key:
                return True
            shown = masked_key(given) if given else "(none)"
            self._send_json(
                401,
                _error_body(
                    401,
                    f"Incorrect API key provided: {shown}. You can find your API key at "
                    "https://platform.openai.com/account/api-keys.",
                    type_="invalid_request_error",
                    code="invalid_api_key",
                ),
            )
            return False

        def _common(self, body: dict | None) -> bool:
            """Record, wait, authorize and inject failures; False when answered already."""
            self._record(body)
            fake._wait(fake._take_slow())
            if fake._stopping.is_set():
                self.close_connection = True
                return False
            if not self._authorized():
                return False
            failure = fake._take_failure(self.path)
            if failure is not None:
                model = (body or {}).get("model")
                if isinstance(failure.body, str):
                    self._send_bytes(
                        failure.status,
                        failure.body.encode(),
                        "text/html; charset=utf-8",
                        failure.headers,
                    )
                else:
                    payload = failure.body or _default_failure_body(failure.status, model)
                    self._send_json(failure.status, payload, failure.headers)
                return False
            return True

        # -- endpoints ---------------------------------------------------------------------

        def do_GET(self) -> None:
            if not self._common(None):
                return
            if self.path.rstrip("/") == "/v1/models":
                data = [
                    {"id": m, "object": "model", "created": CREATED, "owned_by": "fake"}
                    for m in fake.models
                ]
                self._send_json(200, {"object": "list", "data": data})
            else:
                self._not_found_page()

        def do_POST(self) -> None:
            body = self._read_json()
            if not self._common(body):
                return
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._not_found_page()
                return
            body = body or {}
            for name, message in list(fake._rejected.items()):
                if name in body:
                    text, param, code = _reject_message(name)
                    self._send_json(
                        400,
                        _error_body(
                            400,
                            message or text,
                            type_="invalid_request_error",
                            code=code,
                            param=param,
                        ),
                    )
                    return
            model = body.get("model")
            if model not in fake.models:
                self._send_json(404, _default_failure_body(404, model))
                return
            if model == ALWAYS_FAILS:
                message = f'"{model}" does not support chat'
                body400 = _error_body(400, message, type_="invalid_request_error", code=None)
                self._send_json(400, body400)
                return
            with fake._lock:
                script = fake._script
            if body.get("stream"):
                self._stream(body, script)
            else:
                self._complete(body, script)

        def _not_found_page(self) -> None:
            page = b"<html><body><h1>404 Not Found</h1></body></html>"
            self._send_bytes(404, page, "text/html; charset=utf-8")

        @staticmethod
        def _prompt_tokens(body: dict) -> int:
            words = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []))
            return words + 3 * len(body.get("messages", []))

        def _complete(self, body: dict, script: _Script) -> None:
            n = len(_chunks(script.text, script.chunk_chars)) + len(
                _chunks(script.reasoning, script.chunk_chars)
            )
            message: dict[str, Any] = {"role": "assistant", "content": script.text}
            if script.reasoning:
                message[script.reasoning_field] = script.reasoning
            self._send_json(
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": CREATED,
                    "model": body["model"],
                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                    "usage": {
                        "prompt_tokens": self._prompt_tokens(body),
                        "completion_tokens": n,
                        "total_tokens": self._prompt_tokens(body) + n,
                    },
                },
            )

        def _chunk(self, body: dict, delta: dict, finish: str | None = None) -> dict:
            return {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": CREATED,
                "model": body["model"],
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }

        def _write_chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def _stream(self, body: dict, script: _Script) -> None:
            events: list[dict] = [self._chunk(body, {"role": "assistant", "content": ""})]
            pieces = [
                {script.reasoning_field: p} for p in _chunks(script.reasoning, script.chunk_chars)
            ] + [{"content": p} for p in _chunks(script.text, script.chunk_chars)]
            events += [self._chunk(body, p) for p in pieces]
            events.append(self._chunk(body, {}, "stop"))
            wants_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            if script.usage and wants_usage:
                prompt = self._prompt_tokens(body)
                usage_chunk = self._chunk(body, {})
                usage_chunk["choices"] = []
                usage_chunk["usage"] = {
                    "prompt_tokens": prompt,
                    "completion_tokens": len(pieces),
                    "total_tokens": prompt + len(pieces),
                }
                events.append(usage_chunk)
            cut = fake._take_cut()
            stall = fake._take_stall()
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            try:
                for i, event in enumerate(events):
                    if cut is not None and i >= cut[0]:
                        self._cut_stream(graceful=cut[1])
                        return
                    # The role chunk goes out at once; the pause is before each content piece.
                    if i > 0:
                        fake._wait(script.delay)
                    if stall is not None and i == stall[0]:
                        fake._wait(stall[1])
                    if fake._stopping.is_set():
                        self._cut_stream(graceful=False)
                        return
                    self._write_chunk(f"data: {json.dumps(event)}\n\n".encode())
                self._write_chunk(b"data: [DONE]\n\n")
                self._write_chunk(b"")
            except OSError:  # the client went away (cancelled, timed out)
                self.close_connection = True
                with fake._lock:
                    fake.streams_abandoned += 1
                return
            with fake._lock:
                fake.streams_finished += 1

        def _cut_stream(self, *, graceful: bool) -> None:
            self.close_connection = True
            if graceful:
                self._write_chunk(b"")
                return
            # Abruptly: no terminating chunk, as when a proxy or the provider drops the line.
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    return Handler


@pytest.fixture
def fake_openai():
    """A running :class:`FakeOpenAI` with default settings (no key required)."""
    with FakeOpenAI() as fake:
        yield fake


def wait_until(predicate, timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` passes; returns its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())
