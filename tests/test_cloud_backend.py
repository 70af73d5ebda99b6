"""CloudBackend against real HTTP servers: the scripted FakeOpenAI and llama_cpp.server."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from dataclasses import dataclass, fields

import pytest
from llamaserver import llama_server
from openai_fake import FakeOpenAI, fake_openai, wait_until
from tlscert import self_signed_certificate

from workbench.core.backend import Error, ReasoningDelta, Stats, TextDelta
from workbench.core.cloud.backend import (
    MAX_ATTEMPTS,
    CloudBackend,
    CloudError,
)
from workbench.core.cloud.params import EXTRA_SAMPLING_FIELDS, is_reasoning_model
from workbench.core.options import SamplingParams

# Fixtures from the helper modules; naming them here is what makes pytest (and linters) see them.
FIXTURES = (fake_openai, llama_server)

KEY = "sk-test-SECRET-1234567890"
MESSAGES = [{"role": "user", "content": "Say hello to the tests"}]
# A Stop or a failure must end the iteration well within this; generous on purpose.
PROMPT_BOUND_S = 5.0


@dataclass
class Price:
    input_per_m: float
    output_per_m: float


def make(fake: FakeOpenAI, model: str = "fake-chat", **kw) -> CloudBackend:
    kw.setdefault("api_key", fake.key)
    kw.setdefault("provider_name", "Fake")
    return CloudBackend(base_url=fake.base_url, model=model, **kw)


def run(backend: CloudBackend, params: SamplingParams | None = None, messages=None) -> list:
    return list(backend.start_reply(messages or MESSAGES, params or SamplingParams()))


def text_of(events) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def reasoning_of(events) -> str:
    return "".join(e.text for e in events if isinstance(e, ReasoningDelta))


def last_error(events) -> Error:
    assert isinstance(events[-1], Error), events[-1]
    return events[-1]


@pytest.fixture
def keyed_fake():
    with FakeOpenAI(key=KEY) as fake:
        yield fake


# -- streaming --------------------------------------------------------------------------------


def test_streams_text_reasoning_and_usage(fake_openai):
    fake_openai.script(text="Hello there, friend.", reasoning="Thinking hard.")
    events = run(make(fake_openai))
    assert reasoning_of(events) == "Thinking hard."
    assert text_of(events) == "Hello there, friend."
    stats = events[-1]
    assert isinstance(stats, Stats)
    assert [e for e in events if isinstance(e, Stats)] == [stats]
    assert stats.finish_reason == "stop"
    # The fake reports one completion token per streamed piece (4 + 5) and counts prompt words.
    assert stats.completion_tokens == 9
    assert stats.prompt_tokens == 5 + 3
    assert stats.ttft_s is not None and stats.total_s is not None
    assert stats.total_s >= stats.ttft_s
    body = fake_openai.chat_requests()[0]["json"]
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}
    assert body["messages"] == MESSAGES


def test_reasoning_field_used_by_openrouter_and_vllm(fake_openai):
    fake_openai.script(text="Answer.", reasoning="Step one.", reasoning_field="reasoning")
    events = run(make(fake_openai))
    assert reasoning_of(events) == "Step one."
    assert text_of(events) == "Answer."


def test_think_tags_in_content_become_reasoning(fake_openai):
    fake_openai.script(text="<think>plan it</think>The answer.", chunk_chars=3)
    events = run(make(fake_openai))
    assert reasoning_of(events) == "plan it"
    assert text_of(events) == "The answer."


def test_without_usage_completion_tokens_are_counted_chunks(fake_openai):
    fake_openai.script(text="abcdefghij", chunk_chars=2, usage=False)
    stats = run(make(fake_openai))[-1]
    assert stats.completion_tokens == 5
    assert stats.prompt_tokens == 0


def test_cost_from_price(fake_openai):
    fake_openai.script(text="12345678", chunk_chars=4)
    stats = run(make(fake_openai, price=Price(input_per_m=2.0, output_per_m=8.0)))[-1]
    assert (stats.prompt_tokens, stats.completion_tokens) == (8, 2)
    assert stats.cost == pytest.approx((8 * 2.0 + 2 * 8.0) / 1e6)
    assert run(make(fake_openai))[-1].cost is None


def test_sampling_parameters_sent(fake_openai):
    params = SamplingParams(
        temperature=0.3, top_p=0.8, max_tokens=77, stop=["a", "b", "c", "d", "e"], seed=5
    )
    run(make(fake_openai), params)
    body = fake_openai.chat_requests()[0]["json"]
    assert body["temperature"] == 0.3 and body["top_p"] == 0.8
    assert body["max_tokens"] == 77 and "max_completion_tokens" not in body
    assert body["stop"] == ["a", "b", "c", "d"]
    assert body["seed"] == 5
    assert not {"top_k", "min_p", "repeat_penalty"} & body.keys()


def test_extra_sampling_only_when_asked(fake_openai):
    params = SamplingParams(top_k=12, min_p=0.1, repeat_penalty=1.3)
    run(make(fake_openai, extra_sampling=True), params)
    body = fake_openai.chat_requests()[0]["json"]
    assert (body["top_k"], body["min_p"], body["repeat_penalty"]) == (12, 0.1, 1.3)
    assert set(EXTRA_SAMPLING_FIELDS) <= body.keys()


def test_the_fields_a_cloud_ignores_are_sampling_settings():
    # One definition, used by the request builder and by the forms that grey these out.
    assert set(EXTRA_SAMPLING_FIELDS) == {"top_k", "min_p", "repeat_penalty"}
    assert set(EXTRA_SAMPLING_FIELDS) <= {f.name for f in fields(SamplingParams)}


def test_invalid_params_fail_before_any_request(fake_openai):
    events = run(make(fake_openai), SamplingParams(temperature=-1))
    assert last_error(events).kind == "invalid_options"
    assert fake_openai.requests == []


@pytest.mark.parametrize("url", ["api.example.com/v1", "ftp://example.com/v1", ""])
def test_malformed_base_url_is_said_plainly(url):
    backend = CloudBackend(base_url=url, api_key=KEY, model="m", provider_name="Mine")
    error = last_error(run(backend))
    assert error.kind == "not_found"
    assert error.message.startswith("The base URL for Mine must start with http:// or https://")
    with pytest.raises(CloudError) as info:
        backend.test_connection()
    assert str(info.value) == error.message


def test_environment_variables_are_not_used(fake_openai, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-environment")
    events = run(make(fake_openai, api_key=None))
    assert isinstance(events[-1], Stats)
    headers = fake_openai.chat_requests()[0]["headers"]
    assert headers["authorization"] == "Bearer not-needed"
    assert "openai-organization" not in headers


# -- adapting to rejected parameters ----------------------------------------------------------


def test_stream_options_rejected_retried_without_and_remembered(fake_openai):
    fake_openai.reject_param("stream_options")
    fake_openai.script(text="abcdefgh", chunk_chars=4)
    backend = make(fake_openai)
    first = run(backend)
    second = run(backend)
    assert text_of(first) == text_of(second) == "abcdefgh"
    assert first[-1].completion_tokens == 2  # counted, since no usage can be asked for
    bodies = [r["json"] for r in fake_openai.chat_requests()]
    assert len(bodies) == 3
    assert "stream_options" in bodies[0]
    assert "stream_options" not in bodies[1] and "stream_options" not in bodies[2]


def test_reasoning_model_gets_max_completion_tokens_and_no_temperature(fake_openai):
    events = run(make(fake_openai, model="o4-mini"), SamplingParams(max_tokens=50))
    assert isinstance(events[-1], Stats)
    body = fake_openai.chat_requests()[0]["json"]
    assert body["max_completion_tokens"] == 50
    assert not {"max_tokens", "temperature", "top_p"} & body.keys()


def test_max_tokens_rejected_swaps_and_remembers(fake_openai):
    fake_openai.reject_param("max_tokens")
    backend = make(fake_openai)
    assert isinstance(run(backend, SamplingParams(max_tokens=30))[-1], Stats)
    assert isinstance(run(backend, SamplingParams(max_tokens=30))[-1], Stats)
    bodies = [r["json"] for r in fake_openai.chat_requests()]
    assert len(bodies) == 3
    assert bodies[0]["max_tokens"] == 30
    assert bodies[1]["max_completion_tokens"] == 30 and "max_tokens" not in bodies[1]
    assert bodies[2]["max_completion_tokens"] == 30


def test_max_completion_tokens_rejected_swaps_back(fake_openai):
    fake_openai.reject_param("max_completion_tokens")
    fake_openai.models.append("gpt-5-mini")
    events = run(make(fake_openai, model="gpt-5-mini", provider_name="Proxy"))
    assert isinstance(events[-1], Stats)
    bodies = [r["json"] for r in fake_openai.chat_requests()]
    assert "max_completion_tokens" in bodies[0] and "max_tokens" in bodies[1]


def test_temperature_rejected_is_dropped(fake_openai):
    fake_openai.reject_param("temperature")
    events = run(make(fake_openai))
    assert text_of(events) == "Hello from the fake."
    bodies = [r["json"] for r in fake_openai.chat_requests()]
    assert len(bodies) == 2
    assert "temperature" not in bodies[1] and "top_p" not in bodies[1]


@pytest.mark.parametrize("name", ["seed", "stop", "stream_options"])
def test_other_unsupported_parameters_are_dropped(fake_openai, name):
    fake_openai.reject_param(name)
    events = run(make(fake_openai), SamplingParams(seed=3, stop=["###"]))
    assert text_of(events) == "Hello from the fake." and isinstance(events[-1], Stats)
    bodies = [r["json"] for r in fake_openai.chat_requests()]
    assert len(bodies) == 2 and name in bodies[0] and name not in bodies[1]


def test_unsupported_extra_sampling_is_dropped(fake_openai):
    fake_openai.reject_param("top_k")
    events = run(make(fake_openai, extra_sampling=True))
    assert isinstance(events[-1], Stats)
    last = fake_openai.chat_requests()[-1]["json"]
    assert not {"top_k", "min_p", "repeat_penalty"} & last.keys()


def test_still_rejected_gives_bad_request_naming_the_setting(fake_openai):
    fake_openai.reject_param("max_tokens")
    fake_openai.reject_param("max_completion_tokens")
    error = last_error(run(make(fake_openai)))
    assert error.kind == "bad_request"
    assert "Maximum reply length" in error.message and "Fake" in error.message
    assert len(fake_openai.chat_requests()) <= MAX_ATTEMPTS


def test_rejected_value_is_not_retried_and_names_the_setting(fake_openai):
    fake_openai.reject_param("temperature", "temperature must be at most 2.")
    error = last_error(run(make(fake_openai), SamplingParams(temperature=3.0)))
    assert error.kind == "bad_request"
    assert "Temperature" in error.message and "at most 2" in error.message
    assert len(fake_openai.chat_requests()) == 1


def test_unclear_bad_request_quotes_the_provider(fake_openai):
    fake_openai.fail_next(
        400, body={"error": {"message": "Messages must alternate. More text.", "code": None}}
    )
    error = last_error(run(make(fake_openai)))
    assert error.kind == "bad_request"
    assert (
        error.message == "Fake rejected the request for fake-chat (400): Messages must alternate."
    )


# -- error statuses ----------------------------------------------------------------------------

QUOTA_BODY = {
    "error": {
        "message": "You exceeded your current quota, please check your plan and billing details.",
        "type": "insufficient_quota",
        "code": "insufficient_quota",
    }
}
HTML_404 = "<!DOCTYPE html><html><body>Cannot POST /chat/completions</body></html>"


@pytest.mark.parametrize(
    ("status", "body", "headers", "kind", "words", "retry_after"),
    [
        (403, None, None, "forbidden", ["refused access to fake-chat", "(403)"], None),
        (404, None, None, "not_found", ["no model called fake-chat", "(404)"], None),
        (404, HTML_404, None, "not_found", ["base URL", "/v1"], None),
        (429, None, {"retry-after": "20"}, "rate_limited", ["try again in 20 s"], 20.0),
        (429, None, {"retry-after-ms": "1500"}, "rate_limited", ["try again in 2 s"], 1.5),
        (429, QUOTA_BODY, None, "rate_limited", ["quota", "billing"], None),
        (500, None, None, "server", ["server error", "(500)"], None),
        (503, None, {"retry-after": "120"}, "server", ["overloaded", "2 min"], 120.0),
    ],
)
def test_error_status_becomes_kind_and_sentence(
    keyed_fake, status, body, headers, kind, words, retry_after
):
    backend = make(keyed_fake)
    keyed_fake.fail_next(status, body=body, headers=headers)
    error = last_error(run(backend))
    assert error.kind == kind
    assert "Fake" in error.message or "base URL" in error.message
    for word in words:
        assert word in error.message
    assert error.message.count(". ") == 0 and error.message.endswith(".")
    assert "SECRET" not in error.message
    # The same failure on a model listing raises CloudError with the provider's wait.
    keyed_fake.fail_next(status, body=body, headers=headers)
    with pytest.raises(CloudError) as info:
        backend.list_models()
    assert info.value.kind == kind
    if retry_after is not None:
        assert info.value.retry_after == pytest.approx(retry_after)


def test_refused_key_never_shown(keyed_fake):
    backend = make(keyed_fake, api_key="sk-test-WRONG-SECRET-0987654321")
    error = last_error(run(backend))
    assert error.kind == "auth"
    assert error.message == "The key for Fake was refused (401): check it in Settings."
    with pytest.raises(CloudError) as info:
        backend.test_connection()
    assert info.value.kind == "auth" and "SECRET" not in str(info.value)


def test_missing_key_says_to_add_one(keyed_fake):
    error = last_error(run(make(keyed_fake, api_key=None)))
    assert error.kind == "auth" and "needs an API key" in error.message


def test_provider_text_echoing_the_key_is_scrubbed(keyed_fake):
    for message in (
        f"Bad key {KEY} in request",
        "Incorrect API key provided: sk-tes*********7890 for model",
        "authorization: Bearer sk-test-SECRET-1234567890",
    ):
        keyed_fake.fail_next(400, body={"error": {"message": message}})
        error = last_error(run(make(keyed_fake)))
        assert error.kind == "bad_request"
        assert "SECRET" not in error.message and "7890" not in error.message
        assert "redacted" in error.message


# -- connection failures -----------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_nothing_listening_is_network_error():
    url = f"http://127.0.0.1:{closed_port()}/v1"
    backend = CloudBackend(base_url=url, api_key=KEY, model="m", provider_name="Local")
    error = last_error(run(backend))
    assert error.kind == "network"
    assert error.message.startswith(f"Nothing answers at {url}")
    with pytest.raises(CloudError) as info:
        backend.test_connection()
    assert info.value.kind == "network"


def test_credentials_in_the_base_url_are_not_shown():
    url = f"http://user:pw-SECRET@127.0.0.1:{closed_port()}/v1?key=SECRET"
    backend = CloudBackend(base_url=url, api_key=None, model="m", provider_name="Local")
    error = last_error(run(backend))
    assert error.kind == "network" and "SECRET" not in error.message
    assert "127.0.0.1" in error.message and "SECRET" not in repr(backend)


def test_unknown_host_is_network_error_naming_it():
    backend = CloudBackend(
        base_url="http://nonexistent.invalid/v1", api_key=KEY, model="m", provider_name="X"
    )
    error = last_error(run(backend))
    assert error.kind == "network"
    assert "could not find host nonexistent.invalid" in error.message.lower()


def test_slow_answer_times_out(fake_openai):
    fake_openai.slow(3)
    error = last_error(run(make(fake_openai, timeout=0.5)))
    assert error.kind == "timeout"
    assert error.message == "Fake did not answer within 0.5 s: try again later."


def _self_signed_context(tmp_path) -> ssl.SSLContext:
    cert_path, key_path = self_signed_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def test_untrusted_certificate_is_tls_error(tmp_path):
    with FakeOpenAI(ssl_context=_self_signed_context(tmp_path)) as fake:
        assert fake.base_url.startswith("https://")
        error = last_error(run(make(fake)))
        assert error.kind == "tls"
        assert "certificate of 127.0.0.1" in error.message
        with pytest.raises(CloudError) as info:
            make(fake).list_models()
        assert info.value.kind == "tls"


def test_https_to_a_plain_http_server_is_tls_error(fake_openai):
    url = fake_openai.base_url.replace("http://", "https://")
    backend = CloudBackend(base_url=url, api_key=None, model="fake-chat", provider_name="Fake")
    error = last_error(run(backend))
    assert error.kind == "tls" and "http://" in error.message


def test_stream_cut_keeps_partial_text(fake_openai):
    fake_openai.script(text="abcdefghijklmnop", chunk_chars=4)
    fake_openai.cut_after(3)  # the role chunk and two pieces of text
    events = run(make(fake_openai))
    assert text_of(events) == "abcdefgh"
    error = last_error(events)
    assert error.kind == "stream_cut"
    assert error.message == (
        "The connection to Fake ended in the middle of the reply; the part that arrived is kept."
    )
    assert not any(isinstance(e, Stats) for e in events)


def test_stream_ending_without_finish_is_a_cut(fake_openai):
    fake_openai.script(text="abcdefghijklmnop", chunk_chars=4)
    fake_openai.cut_after(2, graceful=True)
    events = run(make(fake_openai))
    assert text_of(events) == "abcd"
    assert last_error(events).kind == "stream_cut"


# -- cancelling --------------------------------------------------------------------------------


def _iterate_in_thread(reply, on_event=None):
    events: list = []
    done = threading.Event()

    def consume():
        for event in reply:
            events.append(event)
            if on_event is not None:
                on_event(event)
        done.set()

    threading.Thread(target=consume, daemon=True).start()
    return events, done


def test_cancel_mid_stream_ends_promptly_and_closes_the_stream(fake_openai):
    fake_openai.script(text="x" * 400, chunk_chars=4, delay=0.2)
    reply = make(fake_openai).start_reply(MESSAGES, SamplingParams())
    first_text = threading.Event()
    events, done = _iterate_in_thread(
        reply, lambda e: first_text.set() if isinstance(e, TextDelta) else None
    )
    assert first_text.wait(PROMPT_BOUND_S)
    canceller = threading.Thread(target=reply.cancel)
    canceller.start()
    canceller.join(PROMPT_BOUND_S)
    assert not canceller.is_alive()
    assert done.wait(PROMPT_BOUND_S)
    stats = events[-1]
    assert isinstance(stats, Stats) and stats.finish_reason == "cancelled"
    assert stats.completion_tokens >= 1 and text_of(events).startswith("x")
    # The server noticed the connection going away instead of streaming all 100 pieces.
    assert wait_until(lambda: fake_openai.streams_abandoned == 1, PROMPT_BOUND_S)
    assert fake_openai.streams_finished == 0


def test_cancel_wakes_a_worker_waiting_for_a_stalled_provider(fake_openai):
    fake_openai.script(text="abcdefgh", chunk_chars=4)
    fake_openai.stall_after(2, 60)  # the role chunk and one piece, then a minute of silence
    reply = make(fake_openai).start_reply(MESSAGES, SamplingParams())
    events, done = _iterate_in_thread(reply)
    assert wait_until(lambda: text_of(events) == "abcd", PROMPT_BOUND_S)
    reply.cancel()
    assert done.wait(PROMPT_BOUND_S)
    assert events[-1].finish_reason == "cancelled"
    # The HTTP connection is shut down, so the thread reading it ends long before the provider
    # would have sent anything more.
    reply._worker.join(PROMPT_BOUND_S)
    assert not reply._worker.is_alive()


def test_cancel_before_first_byte_ends_promptly(fake_openai):
    fake_openai.slow(30)
    reply = make(fake_openai).start_reply(MESSAGES, SamplingParams())
    events, done = _iterate_in_thread(reply)
    assert wait_until(lambda: len(fake_openai.requests) == 1, PROMPT_BOUND_S)
    started = time.monotonic()
    reply.cancel()
    assert done.wait(PROMPT_BOUND_S)
    assert time.monotonic() - started < PROMPT_BOUND_S
    assert events == [events[-1]]
    assert events[-1].finish_reason == "cancelled" and events[-1].completion_tokens == 0


def test_cancel_before_iterating_sends_nothing(fake_openai):
    reply = make(fake_openai).start_reply(MESSAGES, SamplingParams())
    reply.cancel()
    events = list(reply)
    assert len(events) == 1 and events[0].finish_reason == "cancelled"
    assert fake_openai.requests == []


def test_leaving_the_loop_early_closes_the_stream(fake_openai):
    fake_openai.script(text="y" * 400, chunk_chars=4, delay=0.1)
    reply = make(fake_openai).start_reply(MESSAGES, SamplingParams())
    for event in reply:
        if isinstance(event, TextDelta):
            break
    reply_iter = iter(reply)
    assert isinstance(next(reply_iter), Error)  # a reply is read once
    assert wait_until(lambda: fake_openai.streams_abandoned == 1, PROMPT_BOUND_S)


# -- models and connection test ----------------------------------------------------------------


def test_list_models_sorted(fake_openai):
    fake_openai.models = ["zeta", "alpha", "mid"]
    assert make(fake_openai).list_models() == ["alpha", "mid", "zeta"]


def test_list_models_at_a_wrong_base_url(fake_openai):
    backend = CloudBackend(
        base_url=fake_openai.base_url.removesuffix("/v1"), api_key=None, model="fake-chat"
    )
    with pytest.raises(CloudError) as info:
        backend.list_models()
    assert info.value.kind == "not_found" and "base URL" in str(info.value)


def test_test_connection_success(keyed_fake):
    message = make(keyed_fake).test_connection()
    assert message.startswith("Connected to Fake: 4 models; fake-chat answered in ")
    assert message.endswith(" s.")
    body = keyed_fake.chat_requests()[0]["json"]
    assert body["max_tokens"] == 1 and not body.get("stream")
    assert make(keyed_fake, model="").test_connection() == "Connected to Fake: 4 models."


def test_test_connection_with_reasoning_model(keyed_fake):
    assert "o4-mini answered" in make(keyed_fake).test_connection("o4-mini")
    body = keyed_fake.chat_requests()[0]["json"]
    assert body["max_completion_tokens"] == 1 and "max_tokens" not in body


def test_test_connection_unknown_model(keyed_fake):
    with pytest.raises(CloudError) as info:
        make(keyed_fake).test_connection("no-such-model")
    assert info.value.kind == "not_found"
    assert str(info.value) == (
        "Fake has no model called no-such-model (404): pick another model or check its name."
    )


def test_test_connection_without_model_list(fake_openai):
    fake_openai.fail_next(404, body={"detail": "Not Found"}, path="/models")
    message = make(fake_openai).test_connection()
    assert "offers no model list" in message and "fake-chat answered" in message


def test_is_reasoning_model():
    for name in ("o1", "o1-mini", "o3", "O3-PRO", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5.1"):
        assert is_reasoning_model(name), name
    assert is_reasoning_model("openai/o3-mini") and is_reasoning_model("openai/gpt-5-nano")
    for name in ("gpt-4o", "gpt-4.1-mini", "omni-moderation-latest", "gpt-50", "deepseek-chat"):
        assert not is_reasoning_model(name), name


# -- llama-cpp-python's own server -------------------------------------------------------------


def llama(url: str, **kw) -> CloudBackend:
    return CloudBackend(
        base_url=url, api_key=None, model="smollm2", provider_name="llama.cpp", **kw
    )


def test_llama_server_lists_its_alias(llama_server):
    assert llama(llama_server).list_models() == ["smollm2"]


def test_llama_server_streams_a_reply(llama_server):
    params = SamplingParams(max_tokens=8, temperature=0.0, seed=1)
    events = run(llama(llama_server, extra_sampling=True), params)
    stats = events[-1]
    assert isinstance(stats, Stats), stats
    assert text_of(events).strip()
    assert stats.completion_tokens > 0 and stats.ttft_s is not None
    assert stats.finish_reason in ("stop", "length")


def test_llama_server_cancel_mid_reply(llama_server):
    messages = [{"role": "user", "content": "Write a very long story about a lighthouse keeper."}]
    reply = llama(llama_server).start_reply(messages, SamplingParams(max_tokens=1500, seed=3))
    first_text = threading.Event()
    events, done = _iterate_in_thread(
        reply, lambda e: first_text.set() if isinstance(e, TextDelta) else None
    )
    assert first_text.wait(60)
    reply.cancel()
    assert done.wait(PROMPT_BOUND_S)
    assert events[-1].finish_reason == "cancelled"
    assert events[-1].completion_tokens >= 1


def test_llama_server_test_connection(llama_server):
    message = llama(llama_server).test_connection()
    assert message.startswith("Connected to llama.cpp: 1 model; smollm2 answered in ")
