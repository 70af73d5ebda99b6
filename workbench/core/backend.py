"""The one interface every chat source implements: local GGUF models and cloud providers alike.

A backend starts a *reply* for a list of messages and sampling parameters. Iterating the reply
yields events; the last event is always either :class:`Stats` (finished, possibly cancelled) or
:class:`Error`. ``Reply.cancel()`` may be called from any thread and makes the iteration end
promptly with a ``Stats`` event whose ``finish_reason`` is ``"cancelled"``.

The chat window, the command line and compare mode talk only to this interface.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from workbench.core.options import SamplingParams


class ChatMessage(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer."""

    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """A piece of the model's visible reasoning (``<think>`` text, ``reasoning_content``)."""

    text: str


@dataclass(frozen=True)
class Stats:
    """Figures for one finished reply. Times are seconds; ``None`` where not known."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    ttft_s: float | None = None
    tokens_per_s: float | None = None
    load_s: float | None = None
    total_s: float | None = None
    finish_reason: str = "stop"  # "stop", "length", "cancelled"
    cost: float | None = None  # estimated, in US dollars (cloud models with a known price)
    cached_tokens: int = 0  # prompt tokens the model already held from the turn before
    dropped_messages: int = 0  # oldest messages left out so that the conversation fits

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


ErrorKind = Literal[
    "invalid_options",  # a parameter out of range, said before anything was started
    "bad_model_file",  # the file is missing, unreadable, not a GGUF or damaged
    "load_failed",  # llama.cpp refused the file or ran out of memory while loading
    "process_died",  # the model process crashed or was killed
    "context_overflow",  # the conversation does not fit in the context window
    "not_loaded",  # a reply was asked of a backend with no model
    "busy",  # a reply is already running on this backend
    "generation_failed",  # anything else inside the engine
    "network",  # cloud: connection refused, DNS, offline
    "timeout",  # cloud: no answer in time
    "tls",  # cloud: the certificate could not be verified
    "auth",  # cloud: key missing or refused (401)
    "forbidden",  # cloud: the key has no access to this model or region (403)
    "not_found",  # cloud: unknown model or wrong base URL (404)
    "bad_request",  # cloud: a parameter the provider rejects, said with the setting to change
    "rate_limited",  # 429: too many requests or quota used up
    "server",  # 5xx
    "stream_cut",  # the connection ended in the middle of a reply; the partial text is kept
]


@dataclass(frozen=True)
class Error:
    """The reply failed. ``message`` is one plain sentence for the user; ``kind`` is for code."""

    message: str
    kind: ErrorKind = "generation_failed"


Event = TextDelta | ReasoningDelta | Stats | Error


class Reply(abc.ABC):
    """One streaming answer. Iterate it once; ``cancel()`` is thread-safe."""

    @abc.abstractmethod
    def __iter__(self) -> Iterator[Event]: ...

    @abc.abstractmethod
    def cancel(self) -> None: ...


class Backend(abc.ABC):
    """A source of chat replies."""

    #: short label stored with each message, e.g. "local" or a provider name
    source: str = "unknown"

    @property
    @abc.abstractmethod
    def model_name(self) -> str:
        """The model label shown beside each reply and stored with it."""

    #: True where ``start_reply(..., drop_oldest=True)`` can leave out the oldest messages
    #: of a conversation that outgrew the model's context (it knows the context and tokens)
    can_drop_oldest: bool = False

    @abc.abstractmethod
    def start_reply(self, messages: list[ChatMessage], params: SamplingParams) -> Reply:
        """Begin an answer to ``messages``; nothing runs until the reply is iterated."""

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release what the backend holds (a model process, a connection pool)."""


class FailedReply(Reply):
    """A reply that fails at once with ``error``: lets backends report errors as events."""

    def __init__(self, error: Error) -> None:
        self._error = error

    def __iter__(self) -> Iterator[Event]:
        yield self._error

    def cancel(self) -> None:
        pass
