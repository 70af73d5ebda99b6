"""What the local engine offers a server, with the real test model: replies that queue per model,
conversations that share one KV cache without harm, JSON-constrained replies, raw completions
and embeddings."""

from __future__ import annotations

import json
import math
import os
import signal
import threading
import time

import pytest

from workbench.core.backend import Error, ReasoningDelta, Stats, TextDelta
from workbench.core.gguf_file import check_gguf
from workbench.core.local.host import EmbeddingError, LocalBackend
from workbench.core.options import LoadOptions, SamplingParams

GREEDY = SamplingParams(temperature=0, max_tokens=24)
#: a chosen seed evaluates the whole prompt again: a cold start on a warm model
COLD = SamplingParams(temperature=0, max_tokens=24, seed=1)
LONG = SamplingParams(max_tokens=2000, seed=5)


def collect(reply) -> tuple[str, Stats | Error]:
    text, final = [], None
    for event in reply:
        if isinstance(event, (TextDelta, ReasoningDelta)):
            text.append(event.text)
        else:
            final = event
    return "".join(text), final


def ask(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def until(condition, timeout: float = 30.0) -> None:
    """Wait for another thread to reach a state (polls; fails the test on timeout)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the other thread never got there"
        time.sleep(0.005)


class Running:
    """Iterates a reply in a thread of its own, as the window's job thread or a server does."""

    def __init__(self, reply) -> None:
        self.reply = reply
        self.events: list = []
        self.first_text = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for event in self.reply:
            self.events.append((time.perf_counter(), event))
            if isinstance(event, TextDelta):
                self.first_text.set()

    def join(self) -> tuple[str, Stats | Error]:
        self.thread.join(60)
        assert not self.thread.is_alive()
        text = "".join(e.text for _, e in self.events if isinstance(e, TextDelta))
        return text, self.events[-1][1]


@pytest.fixture(scope="module")
def model(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=4096, seed=1))
    backend.load()
    yield backend
    backend.unload()


# -- the queue ---------------------------------------------------------------------------------


def test_a_second_reply_waits_its_turn_then_runs(model):
    first = Running(model.start_reply(ask("Write a long essay about rivers."), LONG))
    first.first_text.wait(30)
    assert model.busy and model.waiting == 0
    second = Running(model.start_reply(ask("Say hello."), GREEDY))
    until(lambda: model.waiting == 1)
    assert not second.events, "the second reply must not start while the first runs"
    first.reply.cancel()
    _, first_final = first.join()
    text, final = second.join()
    assert isinstance(first_final, Stats) and first_final.finish_reason == "cancelled"
    assert isinstance(final, Stats) and final.finish_reason != "cancelled" and text
    assert second.events[0][0] >= first.events[-1][0]  # strictly one after the other
    assert not model.busy and model.waiting == 0


def test_replies_run_first_come_first_served(model):
    order: list[str] = []
    lock = threading.Lock()

    def run(name, reply):
        collect(reply)
        with lock:
            order.append(name)

    first = Running(model.start_reply(ask("Write a long essay about mountains."), LONG))
    first.first_text.wait(30)
    threads = []
    for n, name in enumerate(["b", "c", "d"], 1):
        reply = model.start_reply(ask(f"Say the letter {name}."), GREEDY)
        thread = threading.Thread(target=run, args=(name, reply), daemon=True)
        thread.start()
        threads.append(thread)
        until(lambda n=n: model.waiting == n)
    first.reply.cancel()
    first.join()
    for thread in threads:
        thread.join(60)
    assert order == ["b", "c", "d"]


def test_cancel_while_waiting_ends_at_once(model):
    first = Running(model.start_reply(ask("Write a long essay about forests."), LONG))
    first.first_text.wait(30)
    waiting = Running(model.start_reply(ask("Say hello."), GREEDY))
    until(lambda: model.waiting == 1)
    cancelled_at = time.perf_counter()
    waiting.reply.cancel()
    text, final = waiting.join()
    assert waiting.events[-1][0] - cancelled_at < 0.2
    assert text == "" and isinstance(final, Stats) and final.finish_reason == "cancelled"
    assert model.waiting == 0 and model.busy  # the running reply goes on, untouched
    assert first.thread.is_alive()
    first.reply.cancel()
    _, first_final = first.join()
    assert first_final.finish_reason == "cancelled"


def test_cancelling_a_waiting_reply_leaves_the_running_ones_cancel_intact(model):
    first = Running(model.start_reply(ask("Write a long essay about deserts."), LONG))
    first.first_text.wait(30)
    waiting = Running(model.start_reply(ask("Say hello."), GREEDY))
    until(lambda: model.waiting == 1)
    first.reply.cancel()
    waiting.reply.cancel()  # after the running one's: must not undo it
    _, final = first.join()
    assert final.finish_reason == "cancelled" and final.completion_tokens < 1000
    assert waiting.join()[1].finish_reason == "cancelled"


def test_two_conversations_interleaved_answer_as_if_alone(model):
    """A chat in the window and requests from outside share one KV cache: prefix reuse compares
    tokens, so turns taken one after the other answer exactly as a cold start would."""
    window = ask("Write a short poem about a lighthouse.")
    outside = ask("请用一句话介绍长城。")
    answered: list[tuple[list[dict], str]] = []
    for _ in range(3):
        # Both at once, from two threads: one waits for the other, then each goes on from
        # what the other left in the cache.
        a = Running(model.start_reply(window, GREEDY))
        b = Running(model.start_reply(outside, GREEDY))
        (a_text, a_stats), (b_text, b_stats) = a.join(), b.join()
        assert isinstance(a_stats, Stats) and isinstance(b_stats, Stats)
        answered += [(window, a_text), (outside, b_text)]
        window = [*window, {"role": "assistant", "content": a_text}, ask("Shorter, please.")[0]]
        outside = [*outside, {"role": "assistant", "content": b_text}, ask("再短一点。")[0]]
    # The same conversation twice in a row: the second reuses the first's cache.
    text, _ = collect(model.start_reply(outside, GREEDY))
    again, again_stats = collect(model.start_reply(outside, GREEDY))
    assert again == text and again_stats.cached_tokens == again_stats.prompt_tokens - 2
    for messages, text in answered:
        assert text and text == collect(model.start_reply(messages, COLD))[0]


# -- JSON replies, completions -----------------------------------------------------------------


def test_a_json_object_reply_parses(model):
    text, final = collect(
        model.start_reply(
            ask("Give the name and age of a person as a JSON object."),
            SamplingParams(temperature=0, max_tokens=200),
            json_object=True,
        )
    )
    assert isinstance(final, Stats) and final.finish_reason == "stop"
    assert isinstance(json.loads(text), dict)


def test_a_json_reply_from_a_template_that_opens_reasoning_is_the_object(thinking_model):
    backend = LocalBackend(thinking_model, LoadOptions(context_length=1024))
    backend.load()
    try:
        events = list(
            backend.start_reply(
                ask("Give the name and age of a person as a JSON object."),
                SamplingParams(temperature=0, max_tokens=200),
                json_object=True,
            )
        )
    finally:
        backend.unload()
    assert not any(isinstance(e, ReasoningDelta) for e in events)
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert isinstance(json.loads(text), dict)


def test_a_completion_continues_raw_text(model):
    text, final = collect(
        model.start_completion(
            "The capital of France is", SamplingParams(temperature=0, max_tokens=8)
        )
    )
    assert "Paris" in text
    assert isinstance(final, Stats)
    # No chat template: the prompt is the text's own few tokens.
    assert 4 <= final.prompt_tokens <= 8
    assert final.completion_tokens == 8 and final.finish_reason == "length"


def test_a_completion_honours_stop_strings_and_cancel(model):
    text, final = collect(
        model.start_completion(
            "1, 2, 3, 4, 5,", SamplingParams(temperature=0, max_tokens=40, stop=["9"])
        )
    )
    assert "8" in text and "9" not in text and final.finish_reason == "stop"
    running = Running(model.start_completion("Once upon a time", LONG))
    running.first_text.wait(30)
    running.reply.cancel()
    _, final = running.join()
    assert final.finish_reason == "cancelled" and final.completion_tokens < 1000


def test_a_completion_that_does_not_fit_is_a_plain_error(model):
    _, final = collect(model.start_completion("word " * 5000, GREEDY))
    assert isinstance(final, Error) and final.kind == "context_overflow"
    assert "context of 4,096 tokens" in final.message


# -- embeddings --------------------------------------------------------------------------------


def test_embeddings_are_unit_vectors_of_the_models_size(model, test_model):
    size = check_gguf(test_model).metadata["llama.embedding_length"]
    texts = ["A cat sat on the mat.", "A cat sat on the mat.", "Stock prices fell sharply."]
    vectors = model.embed(texts)
    assert len(vectors) == 3 and all(len(v) == size for v in vectors)
    assert all(math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-4) for v in vectors)
    assert vectors[0] == vectors[1]
    assert vectors[0] != vectors[2]
    assert model.embed(["A cat sat on the mat."])[0] == vectors[0]  # the same in another call


def test_embeddings_leave_the_chat_cache_alone(model):
    conversation = ask("Name three colours.")
    before, _ = collect(model.start_reply(conversation, GREEDY))
    model.embed(["Something else entirely, with many words in it."])
    after, stats = collect(model.start_reply(conversation, GREEDY))
    assert after == before and stats.cached_tokens == stats.prompt_tokens - 2


def test_embeddings_wait_for_a_running_reply(model):
    first = Running(model.start_reply(ask("Write a long essay about the sea."), LONG))
    first.first_text.wait(30)
    result: list = []
    thread = threading.Thread(target=lambda: result.append(model.embed(["hello"])), daemon=True)
    thread.start()
    until(lambda: model.waiting == 1)
    assert not result
    first.reply.cancel()
    first.join()
    thread.join(60)
    assert len(result) == 1 and len(result[0]) == 1


def test_embedding_errors_are_one_sentence(model, test_model):
    with pytest.raises(EmbeddingError) as info:
        model.embed(["fine", ""])
    assert info.value.kind == "empty" and str(info.value) == (
        "Text 2 is empty; there is nothing to embed."
    )
    with pytest.raises(EmbeddingError) as info:
        model.embed(["word " * 3000])
    assert info.value.kind == "too_long"
    assert "3,001 tokens" in str(info.value) and "split it" in str(info.value)
    with pytest.raises(EmbeddingError) as info:
        LocalBackend(test_model).embed(["hello"])
    assert info.value.kind == "not_loaded"
    assert model.embed([]) == []
    assert len(model.embed(["still works"])) == 1


def test_embedding_and_completion_errors_in_chinese(zh, test_model):
    # The model process speaks the language it was started in.
    backend = LocalBackend(test_model, LoadOptions(context_length=512))
    backend.load()
    try:
        with pytest.raises(EmbeddingError) as info:
            backend.embed(["", "hello"])
        assert str(info.value) == "第 1 段文本为空，没有可生成嵌入向量的内容。"
        _, final = collect(backend.start_completion("word " * 600, GREEDY))
        assert final.kind == "context_overflow"
        assert final.message.startswith("提示词有") and "512 个 Token" in final.message
    finally:
        backend.unload()


# -- a model process that dies while replies wait ----------------------------------------------


def test_replies_waiting_for_a_process_that_dies_are_told_so(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=1024))
    backend.load()
    try:
        first = Running(backend.start_reply(ask("Write a long story."), LONG))
        first.first_text.wait(30)
        waiting = Running(backend.start_reply(ask("Say hello."), GREEDY))
        until(lambda: backend.waiting == 1)
        os.kill(backend.process_pid, signal.SIGKILL)
        _, first_final = first.join()
        _, waiting_final = waiting.join()
        assert isinstance(first_final, Error) and first_final.kind == "process_died"
        assert isinstance(waiting_final, Error) and waiting_final.kind == "process_died"
        assert "killed" in waiting_final.message
        assert not backend.busy and backend.waiting == 0
        with pytest.raises(EmbeddingError) as info:
            backend.embed(["hello"])
        assert info.value.kind == "not_loaded"
    finally:
        backend.unload()
