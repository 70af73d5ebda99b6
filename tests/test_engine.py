"""The local engine with the real test model: streaming, stats, seeds, cancel, crashes."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from workbench.core.backend import Error, ReasoningDelta, Stats, TextDelta
from workbench.core.chat import send_message
from workbench.core.local.host import LocalBackend, ModelLoadError
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.store import Store

CANCEL_BOUND_S = 0.2


def collect(reply):
    text, reasoning, final = [], [], None
    for event in reply:
        if isinstance(event, TextDelta):
            text.append(event.text)
        elif isinstance(event, ReasoningDelta):
            reasoning.append(event.text)
        else:
            final = event
    return "".join(text), "".join(reasoning), final


def ask(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_streams_text_and_stats(loaded_model):
    deltas = []
    final = None
    for event in loaded_model.start_reply(
        ask("Name three colours."), SamplingParams(max_tokens=40, seed=3)
    ):
        if isinstance(event, TextDelta):
            deltas.append(event.text)
        else:
            final = event
    assert len(deltas) > 3, "text should arrive in many pieces, not one block"
    assert "".join(deltas).strip()
    assert isinstance(final, Stats)
    assert final.finish_reason in ("stop", "length")
    assert final.prompt_tokens > 10  # the template adds a system prompt and role markers
    assert 0 < final.completion_tokens <= 40
    assert final.ttft_s is not None and final.ttft_s > 0
    assert final.tokens_per_s is not None and final.tokens_per_s > 0
    assert final.load_s is not None and final.load_s > 0


def test_max_tokens_is_respected_and_reported(loaded_model):
    _, _, final = collect(
        loaded_model.start_reply(ask("Tell me a long story."), SamplingParams(max_tokens=7, seed=1))
    )
    assert isinstance(final, Stats)
    assert final.completion_tokens == 7
    assert final.finish_reason == "length"


def test_same_seed_gives_same_text(loaded_model):
    params = SamplingParams(temperature=0.9, max_tokens=40, seed=1234)
    first = collect(loaded_model.start_reply(ask("Write one sentence about cats."), params))[0]
    second = collect(loaded_model.start_reply(ask("Write one sentence about cats."), params))[0]
    other = collect(
        loaded_model.start_reply(
            ask("Write one sentence about cats."),
            SamplingParams(temperature=0.9, max_tokens=40, seed=99),
        )
    )[0]
    assert first and first == second
    assert other != first


def test_stop_strings_end_the_reply(loaded_model):
    params = SamplingParams(temperature=0.0, max_tokens=60, seed=1, stop=["3"])
    text, _, final = collect(
        loaded_model.start_reply(ask("Count from 1 to 10, separated by commas."), params)
    )
    assert "3" not in text
    assert final.finish_reason == "stop"


def _cancel_after(reply, condition, events, cancelled_at):
    for event in reply:
        events.append((time.perf_counter(), event))
        if cancelled_at[0] is None and condition(event):
            cancelled_at[0] = time.perf_counter()
            reply.cancel()


def test_cancel_during_generation_is_prompt(loaded_model):
    reply = loaded_model.start_reply(
        ask("Write a very long essay about the ocean."), SamplingParams(max_tokens=2000, seed=5)
    )
    events, cancelled_at = [], [None]
    n_text = [0]

    def after_some_text(event):
        n_text[0] += isinstance(event, TextDelta)
        return n_text[0] >= 20

    _cancel_after(reply, after_some_text, events, cancelled_at)
    end_time, final = events[-1]
    assert isinstance(final, Stats) and final.finish_reason == "cancelled"
    assert final.completion_tokens < 200
    assert end_time - cancelled_at[0] <= CANCEL_BOUND_S


def test_cancel_during_prompt_processing_is_prompt(loaded_model):
    long_prompt = "Summarise this: " + " ".join(f"item {i} is blue;" for i in range(450))
    reply = loaded_model.start_reply(ask(long_prompt), SamplingParams(max_tokens=50, seed=5))
    events = []
    cancelled_at = []

    def cancel_soon():
        time.sleep(0.25)
        cancelled_at.append(time.perf_counter())
        reply.cancel()

    timer = threading.Thread(target=cancel_soon)
    timer.start()
    for event in reply:
        events.append((time.perf_counter(), event))
    timer.join()
    end_time, final = events[-1]
    assert isinstance(final, Stats) and final.finish_reason == "cancelled"
    assert not any(isinstance(e, TextDelta) for _, e in events), "cancelled before the first token"
    assert end_time - cancelled_at[0] <= CANCEL_BOUND_S
    # The model is still usable and answers the next question normally.
    text, _, final = collect(
        loaded_model.start_reply(ask("Say hello."), SamplingParams(max_tokens=10, seed=1))
    )
    assert text and isinstance(final, Stats) and final.finish_reason != "cancelled"


def test_context_overflow_is_a_plain_error(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=256))
    backend.load()
    try:
        _, _, final = collect(
            backend.start_reply(ask("word " * 400), SamplingParams(max_tokens=10))
        )
        assert isinstance(final, Error) and final.kind == "context_overflow"
        assert "context of 256 tokens" in final.message
        # ... and the model is still there for a shorter question.
        assert collect(backend.start_reply(ask("Hi"), SamplingParams(max_tokens=5)))[0]
    finally:
        backend.unload()


def test_reasoning_from_the_template_is_split_out(thinking_model):
    backend = LocalBackend(thinking_model, LoadOptions(context_length=1024))
    backend.load()
    try:
        text, reasoning, final = collect(
            backend.start_reply(ask("What is 2+2?"), SamplingParams(max_tokens=30, seed=2))
        )
    finally:
        backend.unload()
    # The patched template opens <think> in the prompt, so what the model writes is reasoning.
    assert isinstance(final, Stats)
    assert reasoning.strip()
    assert "<think>" not in reasoning and "</think>" not in reasoning
    assert len(text) < len(reasoning)


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "empty"),
        (b"<html><body>404 Not Found</body></html>" * 4, "web page"),
        (os.urandom(4096), "not a GGUF"),
    ],
)
def test_bad_files_fail_before_llama_cpp(tmp_path, content, needle):
    path = tmp_path / "model.gguf"
    path.write_bytes(content)
    with pytest.raises(ModelLoadError) as info:
        LocalBackend(path).load()
    assert info.value.kind == "bad_model_file"
    assert needle.lower() in str(info.value).lower()


def test_truncated_model_fails_with_precise_message(tmp_path, test_model):
    path = tmp_path / "cut.gguf"
    with open(test_model, "rb") as src:
        path.write_bytes(src.read(50_000_000))
    with pytest.raises(ModelLoadError) as info:
        LocalBackend(path).load()
    assert info.value.kind == "bad_model_file"
    assert "truncated" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(ModelLoadError) as info:
        LocalBackend(tmp_path / "nope.gguf").load()
    assert "not found" in str(info.value)


def test_llama_cpp_rejecting_a_file_costs_only_an_error(tmp_path, test_model):
    """A structurally valid GGUF that llama.cpp cannot use (no real weights): the native loader
    fails or aborts in the model process; we get an error and can load a good model after."""
    from ggufgen import write_tiny_gguf

    bogus = write_tiny_gguf(tmp_path / "tiny.gguf")
    with pytest.raises(ModelLoadError) as info:
        LocalBackend(bogus).load()
    assert info.value.kind in ("load_failed", "process_died")
    assert str(info.value).endswith(".")
    if info.value.kind == "load_failed":  # llama.cpp's own reason is passed on
        assert "key not found" in str(info.value)
    backend = LocalBackend(test_model, LoadOptions(context_length=512))
    backend.load()
    try:
        assert collect(backend.start_reply(ask("Hi"), SamplingParams(max_tokens=4)))[0]
    finally:
        backend.unload()


def test_invalid_options_are_rejected_before_loading(test_model):
    with pytest.raises(ModelLoadError) as info:
        LocalBackend(test_model, LoadOptions(context_length=10)).load()
    assert info.value.kind == "invalid_options"
    assert "Context length" in str(info.value)
    reply = LocalBackend(test_model).start_reply(ask("hi"), SamplingParams(temperature=-1))
    (event,) = list(reply)
    assert isinstance(event, Error) and event.kind == "invalid_options"


def test_load_reports_progress_and_unload_ends_the_process(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=512))
    progress = []
    info = backend.load(progress.append)
    pid = backend.process_pid
    assert progress[0] == 0.0 and progress[-1] == 1.0
    assert progress == sorted(progress)
    assert info.n_layers == 30 and info.chat_template
    backend.unload()
    assert not backend.is_loaded
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_load_can_be_cancelled_midway(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=512, use_mmap=False))
    seen = []

    def on_progress(fraction):
        seen.append(fraction)
        if fraction > 0:  # llama.cpp has started reading weights
            backend.cancel_load()

    started = time.perf_counter()
    with pytest.raises(ModelLoadError) as info:
        backend.load(on_progress)
    assert info.value.kind == "cancelled"
    assert str(info.value) == "Loading was cancelled."
    assert 1.0 not in seen
    assert time.perf_counter() - started < 10
    assert not backend.is_loaded and backend.process_pid is None


def test_sigkill_mid_reply_gives_error_and_keeps_partial_reply(test_model, workbench_home):
    backend = LocalBackend(test_model, LoadOptions(context_length=2048, seed=1))
    backend.load()
    store = Store()
    conversation = store.create_conversation("crash test")
    reply = send_message(
        store,
        backend,
        conversation.id,
        "Write a long story about a dragon.",
        SamplingParams(max_tokens=2000, seed=1),
    )
    received, final = [], None
    started = time.monotonic()
    killed = False
    for event in reply:
        if isinstance(event, TextDelta):
            received.append(event.text)
            if not killed and time.monotonic() - started > 1.5:
                os.kill(backend.process_pid, signal.SIGKILL)
                killed = True
        elif isinstance(event, (Stats, Error)):
            final = event
    assert killed, "the reply ended before the process could be killed"
    assert isinstance(final, Error) and final.kind == "process_died"
    assert "killed" in final.message
    assert not backend.is_loaded

    # A second connection (as after a restart) sees the partial reply, marked as failed.
    with Store(store.path) as again:
        messages = again.messages(conversation.id)
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].content == "".join(received) and messages[1].content
    assert messages[1].state == "error"
    assert "killed" in messages[1].error

    # The user can load again and carry on.
    backend.load()
    try:
        assert collect(backend.start_reply(ask("Hi"), SamplingParams(max_tokens=4)))[0]
    finally:
        backend.unload()


def test_process_dying_while_idle_is_explained_on_next_reply(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=512))
    backend.load()
    os.kill(backend.process_pid, signal.SIGKILL)
    time.sleep(0.3)
    (event,) = list(backend.start_reply(ask("Hi"), SamplingParams(max_tokens=4)))
    assert isinstance(event, Error) and event.kind == "process_died"
    assert "killed" in event.message
    (event,) = list(backend.start_reply(ask("Hi"), SamplingParams(max_tokens=4)))
    assert event.kind == "not_loaded"


def test_native_abort_mid_reply_is_explained(test_model):
    """SIGABRT is what llama.cpp's GGML_ASSERT raises inside the model process."""
    backend = LocalBackend(test_model, LoadOptions(context_length=1024))
    backend.load()
    final = None
    for event in backend.start_reply(ask("Write a long poem."), SamplingParams(max_tokens=1000)):
        if isinstance(event, TextDelta) and final is None:
            final = "sent"
            os.kill(backend.process_pid, signal.SIGABRT)
        elif isinstance(event, (Stats, Error)):
            final = event
    assert isinstance(final, Error) and final.kind == "process_died"
    assert final.message.startswith("llama.cpp stopped with an internal error while answering")
    assert not backend.is_loaded


def test_exit_explanations():
    from workbench.core.local.host import explain_exit

    assert "crashed while loading x.gguf" in explain_exit(-11, "x.gguf")
    assert "exit code 3" in explain_exit(3)
    assert "SIGTERM" in explain_exit(-15)
