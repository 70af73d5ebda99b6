"""A scripted stand-in for a loaded local model, for the server tests that need no real one:
replies that stream words until cancelled, reasoning, completions and embeddings."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from workbench.core.backend import (
    Backend,
    Error,
    Event,
    ReasoningDelta,
    Reply,
    Stats,
    TextDelta,
)


class FakeReply(Reply):
    def __init__(self, backend: FakeModel, words: list[str], reasoning: list[str]) -> None:
        self.backend = backend
        self.words = words
        self.reasoning = reasoning
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        self.cancelled.set()

    def __iter__(self) -> Iterator[Event]:
        backend = self.backend
        with backend.lock:
            backend.running += 1
            backend.replies.append(self)
            try:
                if backend.error is not None:
                    yield backend.error
                    return
                for text in self.reasoning:
                    yield ReasoningDelta(text)
                sent = 0
                for word in self.words:
                    if self.cancelled.wait(backend.pause_s):
                        yield Stats(
                            prompt_tokens=3, completion_tokens=sent, finish_reason="cancelled"
                        )
                        return
                    yield TextDelta(word)
                    sent += 1
                yield Stats(prompt_tokens=3, completion_tokens=sent, finish_reason="stop")
            finally:
                backend.running -= 1


class FakeModel(Backend):
    """Answers every request with ``words``, ``pause_s`` apart; ``error`` makes it fail."""

    source = "local"

    def __init__(self, words: list[str] | None = None, *, pause_s: float = 0.0) -> None:
        self.words = words or ["Hello", " there", "!"]
        self.reasoning: list[str] = []
        self.pause_s = pause_s
        self.error: Error | None = None
        self.is_loaded = True
        self.lock = threading.Lock()
        self.running = 0
        self.replies: list[FakeReply] = []
        self.calls: list[tuple] = []
        self.info = None

    @property
    def model_name(self) -> str:
        return "fake-model.gguf"

    @property
    def busy(self) -> bool:
        return self.running > 0

    def start_reply(self, messages, params, **kwargs) -> Reply:
        self.calls.append(("chat", messages, params, kwargs))
        return FakeReply(self, list(self.words), list(self.reasoning))

    def start_completion(self, prompt, params) -> Reply:
        self.calls.append(("completion", prompt, params))
        return FakeReply(self, list(self.words), [])

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(("embed", texts))
        return [[float(len(t)), 0.5, -0.25] for t in texts]


class FakeCloud(FakeModel):
    source = "cloud"

    @property
    def model_name(self) -> str:
        return "cloud-model"

    def close(self) -> None:
        self.calls.append(("close",))
