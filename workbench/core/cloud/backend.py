"""Chat with OpenAI and OpenAI-compatible services through the openai SDK.

``CloudBackend`` implements :class:`~workbench.core.backend.Backend` for any server speaking the
chat completions API: OpenAI itself, hosted services (DeepSeek, OpenRouter, Groq …) and local
servers (llama.cpp's server, vLLM, Ollama, LM Studio).

Services differ in the parameters they accept, so a rejected parameter is adapted to and
retried (``max_tokens`` ⇄ ``max_completion_tokens``, dropping temperature, ``stream_options``,
seed …) before anything has streamed, and the adaptation is remembered for later replies
(:mod:`workbench.core.cloud.params`).

A reply streams on a worker thread that feeds a queue; the iterating thread only waits on that
queue, so ``cancel()`` ends the iteration at once even while the request is still connecting,
and the worker shuts the HTTP connection down so a slow provider stops generating.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from workbench.core.backend import (
    Backend,
    ChatMessage,
    Error,
    Event,
    FailedReply,
    ReasoningDelta,
    Reply,
    Stats,
)
from workbench.core.cloud.errors import (
    CloudError,
    Context,
    clean_text,
    explain,
    log_text,
    provider_message,
)
from workbench.core.cloud.params import (
    EXTRA_SAMPLING_FIELDS,
    Adaptation,
    rejected_param,
    says_unsupported,
    setting_sentence,
)
from workbench.core.i18n import decimal, translate
from workbench.core.options import OptionError, SamplingParams
from workbench.core.reasoning import ThinkSplitter

__all__ = ["CloudBackend", "CloudError", "CloudReply", "Price"]

log = logging.getLogger(__name__)

#: OpenAI accepts at most this many stop strings; most compatible services copy the limit
MAX_STOP_STRINGS = 4
#: requests per reply, counting retries after a rejected parameter
MAX_ATTEMPTS = 4
#: what a connection test asks the model, for one token
TEST_PROMPT = "Say OK."


class Price(Protocol):
    """A model's price in US dollars per million tokens."""

    input_per_m: float
    output_per_m: float


def _shutdown(response: Any) -> None:
    """Shut the response's socket down, waking a read blocked in another thread at once.

    Closing a socket does not interrupt a thread blocked reading it; ``shutdown`` does, and
    the provider sees the connection end and stops generating. The plain ``socket`` method is
    used even for TLS sockets, whose own ``shutdown`` would alter their state under the reader.
    """
    with contextlib.suppress(Exception):
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is not None:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class CloudBackend(Backend):
    """A model at OpenAI or an OpenAI-compatible service.

    Args:
        base_url: the API root, e.g. ``https://api.openai.com/v1``.
        api_key: the key, or None for servers that need none.
        model: the model id to chat with.
        provider_name: named in every message, e.g. "DeepSeek".
        provider_id: a short id for settings and logs.
        timeout: seconds to wait for an answer (and between streamed chunks).
        connect_timeout: seconds to wait for the connection.
        price: USD per million input/output tokens, to estimate each reply's cost.
        extra_sampling: also send top_k, min_p and repeat_penalty; only for servers that take
            them (llama.cpp's server, vLLM, Ollama, LM Studio); most clouds reject them.
    """

    source = "cloud"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str | None,
        model: str,
        provider_name: str = "OpenAI-compatible service",
        provider_id: str = "custom",
        timeout: float = 60.0,
        connect_timeout: float = 10.0,
        price: Price | None = None,
        extra_sampling: bool = False,
    ) -> None:
        self.base_url = base_url.strip().rstrip("/")
        self._api_key = api_key or None
        self._model = model
        self.provider_name = provider_name
        self.provider_id = provider_id
        self.timeout = float(timeout)
        self.connect_timeout = float(connect_timeout)
        self.price = price
        self.extra_sampling = extra_sampling
        parts = urlsplit(self.base_url)
        self.host = parts.hostname or self.base_url
        # Messages show the URL without user info or query, where a secret could hide.
        self.display_url = self.base_url
        if parts.hostname:
            netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
            self.display_url = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        # Said when used rather than raised here, so that a backend can always be made.
        self._url_problem: str | None = None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            if self.display_url:
                problem = translate(
                    "core.cloud",
                    "The base URL for {provider} must start with http:// or https:// and name a "
                    "host (it is {url}).",
                )
            else:
                problem = translate(
                    "core.cloud",
                    "The base URL for {provider} must start with http:// or https:// and name a "
                    "host (it is empty).",
                )
            self._url_problem = problem.format(provider=provider_name, url=self.display_url)
        self._client: Any = None
        self._client_lock = threading.Lock()
        self._adapt_lock = threading.Lock()
        self._adaptation = Adaptation(model)

    def __repr__(self) -> str:  # never the key
        return f"CloudBackend({self.provider_name!r}, {self.display_url!r}, {self._model!r})"

    # -- Backend -----------------------------------------------------------------------------

    @property
    def model_name(self) -> str:
        return self._model

    def start_reply(self, messages: list[ChatMessage], params: SamplingParams) -> Reply:
        try:
            params.validate()
        except OptionError as exc:
            return FailedReply(Error(str(exc), "invalid_options"))
        if self._url_problem:
            return FailedReply(Error(self._url_problem, "not_found"))
        return CloudReply(self, list(messages), params)

    def close(self) -> None:
        with self._client_lock:
            client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    # -- other requests ----------------------------------------------------------------------

    def list_models(self) -> list[str]:
        """The model ids the service offers, sorted; raises :class:`CloudError`."""
        import openai

        ctx = self._context(None)
        if self._url_problem:
            raise CloudError(self._url_problem, "not_found")
        try:
            response = self._get_client().models.with_raw_response.list().http_response
        except openai.APIError as exc:
            log.info("listing models failed: %s", log_text(exc, self._api_key))
            raise explain(exc, ctx) from None
        try:
            data = response.json()
        except ValueError:
            data = None
        items = data.get("data") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise CloudError(
                translate(
                    "core.cloud",
                    "{provider} at {url} did not answer with a model list: check the base URL "
                    "(it usually ends in /v1).",
                ).format(provider=self.provider_name, url=self.display_url),
                "not_found",
            )
        ids = {i["id"] for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}
        return sorted(ids)

    def test_connection(self, model: str | None = None) -> str:
        """Check the connection, the key and (if any) the model; returns a sentence for the user.

        Lists the models, then asks ``model`` (default: this backend's) for one token. Raises
        :class:`CloudError` saying exactly what failed.
        """
        model = model or self._model
        if self._url_problem:
            raise CloudError(self._url_problem, "not_found")
        try:
            count: int | None = len(self.list_models())
        except CloudError as exc:
            # Some compatible servers have no model list; the chat itself may still work.
            if exc.kind != "not_found" or not model:
                raise
            count = None
        if not model:
            if count == 1:
                text = translate("core.cloud", "Connected to {provider}: 1 model.")
            else:
                text = translate("core.cloud", "Connected to {provider}: {count} models.")
            return text.format(provider=self.provider_name, count=count or 0)
        started = time.perf_counter()

        def build(adapt: Adaptation) -> tuple[dict[str, Any], dict[str, Any] | None]:
            messages = [{"role": "user", "content": TEST_PROMPT}]
            return {"model": model, "messages": messages, adapt.token_param: 1}, None

        self._request(model, build, stream=False)
        seconds = decimal(time.perf_counter() - started)
        if count is None:
            return translate(
                "core.cloud",
                "Connected to {provider} (it offers no model list); {model} answered in "
                "{seconds} s.",
            ).format(provider=self.provider_name, model=model, seconds=seconds)
        if count == 1:
            text = translate(
                "core.cloud", "Connected to {provider}: 1 model; {model} answered in {seconds} s."
            )
        else:
            text = translate(
                "core.cloud",
                "Connected to {provider}: {count} models; {model} answered in {seconds} s.",
            )
        return text.format(provider=self.provider_name, count=count, model=model, seconds=seconds)

    # -- internals ---------------------------------------------------------------------------

    def _get_client(self) -> Any:
        import openai

        with self._client_lock:
            if self._client is None:
                client = openai.OpenAI(
                    base_url=self.base_url,
                    api_key=self._api_key or "not-needed",
                    timeout=openai.Timeout(self.timeout, connect=self.connect_timeout),
                    # The SDK's own retries would hide the reason and delay Stop; the UI offers
                    # a retry instead.
                    max_retries=0,
                )
                # The SDK fills these from OPENAI_* environment variables, and would send them
                # to whatever service this is; the command line decides about the environment.
                client.organization = None
                client.project = None
                client.admin_api_key = None
                self._client = client
            return self._client

    def _context(self, model: str | None) -> Context:
        return Context(
            provider=self.provider_name,
            base_url=self.display_url,
            host=self.host,
            model=model,
            has_key=self._api_key is not None,
            timeout=self.timeout,
            connect_timeout=self.connect_timeout,
            secret=self._api_key,
        )

    def _adaptation_for(self, model: str) -> Adaptation:
        return self._adaptation if model == self._model else Adaptation(model)

    def _build_chat(
        self, adapt: Adaptation, messages: list[ChatMessage], params: SamplingParams
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """Keyword arguments and ``extra_body`` for a streamed chat completion."""
        kwargs: dict[str, Any] = {"model": self._model, "messages": messages, "stream": True}
        if "stream_options" not in adapt.dropped:
            kwargs["stream_options"] = {"include_usage": True}
        kwargs[adapt.token_param] = params.max_tokens
        if not adapt.reasoning and "sampling" not in adapt.dropped:
            kwargs["temperature"] = params.temperature
            kwargs["top_p"] = params.top_p
        if params.stop and "stop" not in adapt.dropped:
            stop = list(params.stop)
            if len(stop) > MAX_STOP_STRINGS:
                log.info(
                    "sending only the first %d of %d stop strings", MAX_STOP_STRINGS, len(stop)
                )
            kwargs["stop"] = stop[:MAX_STOP_STRINGS]
        if params.seed is not None and "seed" not in adapt.dropped:
            kwargs["seed"] = params.seed
        extra = None
        if self.extra_sampling and "extra" not in adapt.dropped:
            extra = {name: getattr(params, name) for name in EXTRA_SAMPLING_FIELDS}
        return kwargs, extra

    def _request(
        self,
        model: str,
        build: Callable[[Adaptation], tuple[dict[str, Any], dict[str, Any] | None]],
        *,
        stream: bool,
    ) -> Any:
        """Send a chat completion, adapting to rejected parameters; raises CloudError.

        Returns the streaming ``httpx`` response when ``stream``, else the parsed completion.
        """
        import openai

        adapt = self._adaptation_for(model)
        ctx = self._context(model)
        client = self._get_client()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            with self._adapt_lock:
                kwargs, extra = build(adapt)
            try:
                if stream:
                    raw = client.chat.completions.with_raw_response.create(
                        **kwargs, extra_body=extra
                    )
                    return raw.http_response
                return client.chat.completions.create(**kwargs, extra_body=extra)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                sent = {**kwargs, **(extra or {})}
                name = rejected_param(exc, sent)
                raw_text = provider_message(exc)
                log.info(
                    "%s rejected a request: %s", self.provider_name, log_text(exc, self._api_key)
                )
                if name is None:
                    raise explain(exc, ctx) from None
                if not says_unsupported(raw_text):
                    # A value the provider does not like (too large …): the user has to change it.
                    detail = clean_text(raw_text, self._api_key, limit=120)
                    raise CloudError(
                        setting_sentence(name, self.provider_name, model, detail), "bad_request"
                    ) from None
                with self._adapt_lock:
                    changed = adapt.apply(name)
                if not changed or attempt == MAX_ATTEMPTS:
                    raise CloudError(
                        setting_sentence(name, self.provider_name, model), "bad_request"
                    ) from None
                log.info(
                    "%s rejected %s for %s; adapting (now sending %s, leaving out %s)",
                    self.provider_name,
                    name,
                    model,
                    adapt.token_param,
                    sorted(adapt.dropped) or "nothing",
                )
            except openai.APIError as exc:
                log.info("%s request failed: %s", self.provider_name, log_text(exc, self._api_key))
                raise explain(exc, ctx) from None
        raise AssertionError("unreachable")  # the loop returns or raises


class CloudReply(Reply):
    """A reply streaming from a cloud provider; iterate once, ``cancel()`` from any thread."""

    def __init__(
        self, backend: CloudBackend, messages: list[ChatMessage], params: SamplingParams
    ) -> None:
        self._backend = backend
        self._messages = messages
        self._params = params
        self._queue: queue.Queue[tuple] = queue.Queue()
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._response: Any = None
        self._started = False
        self._worker: threading.Thread | None = None

    def cancel(self) -> None:
        with self._lock:
            if self._cancelled.is_set():
                return
            self._cancelled.set()
            response = self._response
        self._queue.put(("cancel",))
        if response is not None:
            _shutdown(response)

    # -- the iterating thread ----------------------------------------------------------------

    def __iter__(self) -> Iterator[Event]:
        if self._started:
            yield Error(translate("core.cloud", "This reply has already been read."), "busy")
            return
        self._started = True
        if self._cancelled.is_set():
            yield Stats(finish_reason="cancelled", total_s=0.0)
            return
        started = time.perf_counter()
        self._worker = threading.Thread(
            target=self._work, args=(started,), name="workbench-cloud-reply", daemon=True
        )
        self._worker.start()
        splitter = ThinkSplitter()
        chunks = 0
        first: float | None = None
        last: float | None = None
        usage: tuple[int, int] | None = None
        finished = False

        def stats(finish_reason: str, end: float) -> Stats:
            prompt, completion = usage if usage is not None else (0, chunks)
            span = (last - first) if first is not None and last is not None else 0.0
            price = self._backend.price
            cost = None
            if price is not None:
                cost = (prompt * price.input_per_m + completion * price.output_per_m) / 1e6
            return Stats(
                prompt_tokens=prompt,
                completion_tokens=completion,
                ttft_s=(first - started) if first is not None else None,
                tokens_per_s=(completion / span) if span > 0 and completion else None,
                total_s=end - started,
                finish_reason=finish_reason,
                cost=cost,
            )

        try:
            while True:
                item = self._queue.get()
                kind = item[0]
                if kind in ("content", "reasoning"):
                    _, text, at = item
                    chunks += 1
                    first = at if first is None else first
                    last = at
                    if kind == "reasoning":
                        yield ReasoningDelta(text)
                    else:
                        yield from splitter.feed(text)
                elif kind == "usage":
                    usage = item[1]
                elif kind == "end":
                    yield from splitter.flush()
                    finished = True
                    yield stats(item[1], item[2])
                    return
                elif kind == "error":
                    yield from splitter.flush()
                    finished = True
                    yield item[1]
                    return
                elif kind == "cancel":
                    yield from splitter.flush()
                    finished = True
                    yield stats("cancelled", time.perf_counter())
                    return
        finally:
            if not finished:
                # The consumer stopped iterating early: stop the request too.
                self.cancel()

    # -- the worker thread -------------------------------------------------------------------

    def _put(self, *item: Any) -> None:
        if not self._cancelled.is_set():
            self._queue.put(item)

    def _work(self, started: float) -> None:
        backend = self._backend
        try:
            response = backend._request(
                backend.model_name,
                lambda adapt: backend._build_chat(adapt, self._messages, self._params),
                stream=True,
            )
            with self._lock:
                self._response = response
                cancelled = self._cancelled.is_set()
            if cancelled:
                response.close()
                return
            self._read(response)
        except CloudError as exc:
            self._put("error", Error(str(exc), exc.kind))  # type: ignore[arg-type]
        except Exception:  # never let the iterating thread wait forever
            if not self._cancelled.is_set():
                log.exception("cloud reply failed")
            self._put(
                "error",
                Error(
                    translate(
                        "core.cloud",
                        "Something went wrong talking to {provider}; the details are in the log.",
                    ).format(provider=backend.provider_name),
                    "generation_failed",
                ),
            )

    def _read(self, response: Any) -> None:
        """Parse the server-sent events of a chat completion stream into queue items."""
        import httpx2

        backend = self._backend
        provider = backend.provider_name
        finish: str | None = None
        done = False
        data_lines: list[str] = []
        event_name = ""

        def dispatch() -> bool:
            """Handle one event; True at ``[DONE]``."""
            nonlocal finish, event_name
            data = "\n".join(data_lines)
            data_lines.clear()
            name, event_name = event_name, ""
            if not data:
                return False
            if data.strip() == "[DONE]":
                return True
            try:
                chunk = json.loads(data)
            except ValueError:
                log.warning("%s sent an event that is not JSON: %.200s", provider, data)
                return False
            if not isinstance(chunk, dict):
                return False
            if "error" in chunk or name == "error":
                error = chunk.get("error", chunk)
                text = error.get("message") if isinstance(error, dict) else error
                quoted = clean_text(text, backend._api_key)
                if quoted:
                    text = translate(
                        "core.cloud",
                        "{provider} reported an error in the middle of the reply ({reason}); the "
                        "part that arrived is kept.",
                    )
                else:
                    text = translate(
                        "core.cloud",
                        "{provider} reported an error in the middle of the reply; the part that "
                        "arrived is kept.",
                    )
                raise CloudError(text.format(provider=provider, reason=quoted), "server")
            at = time.perf_counter()
            usage = chunk.get("usage")
            if isinstance(usage, dict) and usage.get("completion_tokens") is not None:
                self._put(
                    "usage",
                    (int(usage.get("prompt_tokens") or 0), int(usage["completion_tokens"])),
                )
            for choice in chunk.get("choices") or ():
                if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                    continue
                delta = choice.get("delta") or {}
                # DeepSeek and Qwen say reasoning_content, OpenRouter and vLLM say reasoning;
                # a service sending both sends the same text twice.
                reasoning = delta.get("reasoning_content") or delta.get("reasoning")
                if isinstance(reasoning, str) and reasoning:
                    self._put("reasoning", reasoning, at)
                content = delta.get("content")
                if isinstance(content, str) and content:
                    self._put("content", content, at)
                if choice.get("finish_reason"):
                    finish = str(choice["finish_reason"])
            return False

        try:
            for line in response.iter_lines():
                if self._cancelled.is_set():
                    return
                if not line:
                    if dispatch():
                        done = True
                        break
                elif line.startswith("data:"):
                    data_lines.append(line[5:].removeprefix(" "))
                elif line.startswith("event:"):
                    event_name = line[6:].strip()
                # comments (": keep-alive") and other fields are ignored
            else:
                done = dispatch() or done
        except httpx2.TimeoutException:
            if self._cancelled.is_set():
                return
            raise CloudError(
                translate(
                    "core.cloud",
                    "{provider} sent nothing for {seconds} s in the middle of the reply; the "
                    "part that arrived is kept.",
                ).format(provider=provider, seconds=f"{backend.timeout:g}"),
                "timeout",
            ) from None
        except (httpx2.HTTPError, httpx2.StreamError, OSError) as exc:
            if self._cancelled.is_set():
                return
            log.info("%s stream ended early: %s", provider, log_text(exc, backend._api_key))
            raise CloudError(self._cut_message(), "stream_cut") from None
        finally:
            with contextlib.suppress(Exception):
                response.close()
        if self._cancelled.is_set():
            return
        if not done and finish is None:
            log.info("%s stream ended without a finish reason or [DONE]", provider)
            raise CloudError(self._cut_message(), "stream_cut")
        self._put("end", finish or "stop", time.perf_counter())

    def _cut_message(self) -> str:
        return translate(
            "core.cloud",
            "The connection to {provider} ended in the middle of the reply; the part that "
            "arrived is kept.",
        ).format(provider=self._backend.provider_name)
