"""Our token loop with the real test model: the same text as llama-cpp-python's own chat API,
prefix reuse that changes nothing, stop strings across tokens, broken UTF-8, long conversations.
"""

from __future__ import annotations

import codecs

import pytest

from workbench.core.backend import Error, Stats, TextDelta
from workbench.core.local.generate import Request, TokenLoop
from workbench.core.local.host import LocalBackend
from workbench.core.local.prompt import PromptBuilder
from workbench.core.options import LoadOptions, SamplingParams

CHINESE = [{"role": "user", "content": "请把这句话重复一遍：你好，世界！"}]
ENGLISH = [{"role": "user", "content": "Write a short poem about a lighthouse."}]
UNIFORM = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "min_p": 0.0, "repeat_penalty": 1.0}


def run(backend, messages, params, **kwargs):
    pieces, final = [], None
    for event in backend.start_reply(messages, params, **kwargs):
        if isinstance(event, TextDelta):
            pieces.append(event.text)
        else:
            final = event
    return pieces, final


@pytest.fixture(scope="module")
def llm(test_model):
    """llama-cpp-python's high-level object in this process: the reference we must match."""
    import llama_cpp

    model = llama_cpp.Llama(str(test_model), n_ctx=2048, n_threads=2, verbose=False)
    model.chat_format = "chat_template.default"
    return model


@pytest.fixture(scope="module")
def engine(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=2048, threads=2))
    backend.load()
    yield backend
    backend.unload()


def reference(llm, messages, params: SamplingParams) -> str:
    # As the model process did before our loop: a chosen seed evaluates the whole prompt (its
    # own prefix reuse would leave the last token to a batch of one, whose logits differ).
    llm.reset()
    out = llm.create_chat_completion(
        messages=messages,
        temperature=params.temperature,
        top_p=params.top_p,
        top_k=params.top_k,
        min_p=params.min_p,
        repeat_penalty=params.repeat_penalty,
        max_tokens=params.max_tokens,
        seed=params.seed,
    )
    return out["choices"][0]["message"]["content"]


@pytest.mark.parametrize("messages", [ENGLISH, CHINESE], ids=["english", "chinese"])
@pytest.mark.parametrize("temperature", [0.0, 0.7])
def test_same_text_as_llama_cpp_pythons_chat_api(llm, engine, messages, temperature):
    params = SamplingParams(temperature=temperature, max_tokens=80, seed=11)
    pieces, final = run(engine, messages, params)
    assert isinstance(final, Stats) and final.completion_tokens > 5
    ours, theirs = "".join(pieces), reference(llm, messages, params)
    if final.finish_reason == "length" and ours.endswith("\ufffd"):
        # Cut by max_tokens inside a character: we show U+FFFD where the high-level API went
        # on past max_tokens to finish the character. Everything before it is the same.
        assert theirs.startswith(ours[:-1]) and len(theirs) == len(ours)
    else:
        assert ours == theirs


def test_the_cheaper_penalty_order_chooses_the_same_tokens(llm, engine):
    # A strong penalty moves tokens in and out of the top k: the cut to the k + 64 best before
    # it must not change a single choice.
    params = SamplingParams(temperature=1.0, top_k=20, repeat_penalty=1.8, max_tokens=120, seed=5)
    pieces, final = run(engine, ENGLISH, params)
    assert final.completion_tokens > 60
    assert "".join(pieces) == reference(llm, ENGLISH, params)


def test_chinese_round_trips_intact(engine):
    pieces, final = run(engine, CHINESE, SamplingParams(temperature=0, max_tokens=40))
    text = "".join(pieces)
    assert isinstance(final, Stats)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)  # the model answers in Chinese
    if final.finish_reason == "length":  # max_tokens may cut the last character in two
        text = text.removesuffix("\ufffd")
    assert "\ufffd" not in text
    # Every piece is whole text: no piece ends inside a character that the next one finishes.
    assert all(p.encode("utf-8").decode("utf-8") == p for p in pieces)


def test_reusing_the_cache_gives_the_same_text_as_a_cold_start(engine):
    greedy = SamplingParams(temperature=0, max_tokens=40)
    first, _ = run(engine, ENGLISH, greedy)
    follow_up = [
        *ENGLISH,
        {"role": "assistant", "content": "".join(first)},
        {"role": "user", "content": "Now make it rhyme."},
    ]
    warm, warm_stats = run(engine, follow_up, greedy)
    # A chosen seed evaluates the whole prompt again (greedy ignores the seed otherwise).
    cold, cold_stats = run(engine, follow_up, SamplingParams(temperature=0, max_tokens=40, seed=1))
    assert warm_stats.cached_tokens > len(first)  # the first turn was not evaluated again
    assert cold_stats.cached_tokens == 0
    assert "".join(warm) == "".join(cold)
    # A regenerate reuses all but the last prompt token, and says the same.
    again, again_stats = run(engine, follow_up, greedy)
    assert again_stats.cached_tokens == again_stats.prompt_tokens - 2
    assert "".join(again) == "".join(warm)


def test_switching_conversations_leaves_no_stale_cache(engine):
    greedy = SamplingParams(temperature=0, max_tokens=30)
    alone, _ = run(engine, CHINESE, greedy)
    run(engine, ENGLISH, greedy)
    back, stats = run(engine, CHINESE, greedy)
    assert stats.cached_tokens < stats.prompt_tokens
    assert "".join(back) == "".join(alone)


@pytest.fixture(scope="module")
def loop(llm):
    import llama_cpp.llama_cpp as lib

    token_loop = TokenLoop(lib, llm.model, llm.ctx, llm.n_batch)
    yield token_loop, PromptBuilder(llm)
    token_loop.close()


def test_a_stop_string_across_tokens_is_caught_and_not_shown(loop):
    token_loop, prompts = loop
    tokens, _ = prompts.render(ENGLISH)
    greedy = {"temperature": 0.0, "max_tokens": 60}
    token_loop.run(Request(tokens, **greedy), lambda _t: None)
    texts = [
        token_loop.piece(t).decode("utf-8", "replace") for t in token_loop.cached[len(tokens) :]
    ]
    # A stop string made of the end of one token and the start of the next.
    i = next(i for i in range(3, len(texts) - 1) if len(texts[i]) > 1 and len(texts[i + 1]) > 1)
    stop = texts[i][-2:] + texts[i + 1][:2]
    expected = "".join(texts).split(stop)[0]
    shown = []
    out = token_loop.run(Request(tokens, stop=[stop], **greedy), shown.append)
    assert "".join(shown) == expected
    assert out.finish_reason == "stop"


def unfinished_at(data: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    decoder.decode(data)
    return bool(decoder.getstate()[0])


def test_a_reply_ending_inside_a_character_shows_a_replacement_character(loop):
    token_loop, prompts = loop
    tokens, _ = prompts.render(CHINESE)
    # The test model writes Chinese characters with byte tokens, one character over two or
    # three tokens: find where the greedy reply is inside one, and end the reply right there.
    greedy = {"temperature": 0.0, "repeat_penalty": 1.0}
    token_loop.run(Request(tokens, max_tokens=60, **greedy), lambda _t: None)
    reply = token_loop.cached[len(tokens) :]
    data, n = b"", 0
    while not unfinished_at(data):
        if n == len(reply):
            pytest.fail("the reply never split a character over tokens")
        data += token_loop.piece(reply[n])
        n += 1
    shown = []
    out = token_loop.run(Request(tokens, max_tokens=n, **greedy), shown.append)
    assert out.finish_reason == "length"
    text = "".join(shown)
    assert text.endswith("\ufffd")
    assert text == data.decode("utf-8", "replace")


def test_a_conversation_longer_than_the_context_can_drop_its_oldest_turns(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=512, threads=2))
    backend.load()
    try:
        conversation = [{"role": "system", "content": "You are brief."}]
        for i in range(12):
            question = f"Tell me fact {i} " + "about tea " * 12
            conversation.append({"role": "user", "content": question})
            conversation.append({"role": "assistant", "content": "Tea is a drink. " * 8})
        conversation.append({"role": "user", "content": "Say hello."})
        params = SamplingParams(temperature=0, max_tokens=20)
        _, final = run(backend, conversation, params)
        assert isinstance(final, Error) and final.kind == "context_overflow"
        assert "512" in final.message and "oldest messages" in final.message
        pieces, final = run(backend, conversation, params, drop_oldest=True)
        assert isinstance(final, Stats), final
        assert "".join(pieces).strip()
        assert final.dropped_messages > 0 and final.dropped_messages % 2 == 0  # whole turns
        assert final.prompt_tokens + 20 <= 512
        # A last message that cannot fit even alone gets its own sentence.
        too_long = [{"role": "user", "content": "tea " * 600}]
        _, final = run(backend, too_long, params, drop_oldest=True)
        assert isinstance(final, Error) and final.kind == "context_overflow"
        assert "last message" in final.message
    finally:
        backend.unload()


def test_generation_past_end_of_text_for_benchmarks(engine):
    _, final = run(engine, ENGLISH, SamplingParams(temperature=0, max_tokens=300), ignore_eos=True)
    assert final.completion_tokens == 300 and final.finish_reason == "length"


def test_flash_attention_and_a_quantized_kv_cache_keep_working(test_model):
    options = LoadOptions(
        context_length=1024, threads=2, flash_attention=True, kv_cache_type="q8_0"
    )
    backend = LocalBackend(test_model, options)
    backend.load()
    try:
        greedy = SamplingParams(temperature=0, max_tokens=30)
        first, stats = run(backend, ENGLISH, greedy)
        assert isinstance(stats, Stats) and "".join(first).strip()
        again, stats = run(backend, ENGLISH, greedy)  # the quantized cache, reused
        assert stats.cached_tokens > 0 and "".join(again) == "".join(first)
    finally:
        backend.unload()


def test_each_model_process_writes_its_own_log(test_model, workbench_home):
    backends = [LocalBackend(test_model, LoadOptions(context_length=256)) for _ in range(2)]
    try:
        for backend in backends:
            backend.load()
        logs = workbench_home / "logs"
        for backend in backends:
            pid = backend.process_pid
            text = (logs / f"model-{pid}.log").read_text("utf-8", "replace")
            assert f"--- model process {pid} started" in text
            assert "model process" not in text.replace(f"model process {pid}", "")
            # llama.cpp's load report is there; after the load, debug lines are not.
            assert "llama_model_loader" in text or "print_info" in text
        size = (logs / f"model-{backends[0].process_pid}.log").stat().st_size
        run(backends[0], ENGLISH, SamplingParams(temperature=0, max_tokens=20))
        assert (logs / f"model-{backends[0].process_pid}.log").stat().st_size == size
    finally:
        for backend in backends:
            backend.unload()
