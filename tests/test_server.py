"""The local server with the real test model: the `openai` client, Workbench's own cloud
backend, concurrent clients, a client killed mid-stream and a model process killed mid-reply."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading

import httpx2 as httpx
import openai
import pytest
from openai_fake import wait_until

from workbench.core.backend import Stats, TextDelta
from workbench.core.cloud.backend import CloudBackend
from workbench.core.local.host import LocalBackend
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.server import LocalServer, ServerConfig, StaticSource

QUESTION = [{"role": "user", "content": "What is the capital of France?"}]
LONG = [{"role": "user", "content": "Count from 1 to 500, one number per line."}]


@pytest.fixture(scope="module")
def server(loaded_model):
    server = LocalServer(StaticSource(loaded_model), ServerConfig(port=0))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0)


def test_models_lists_the_loaded_model(client, loaded_model):
    assert [m.id for m in client.models.list()] == [loaded_model.model_name]


def test_chat_whole_and_streamed_agree(client, loaded_model):
    whole = client.chat.completions.create(
        model=loaded_model.model_name, messages=QUESTION, temperature=0, max_tokens=24, seed=1
    )
    text = whole.choices[0].message.content
    assert "Paris" in text
    assert whole.usage.prompt_tokens > 5 and 0 < whole.usage.completion_tokens <= 24
    chunks = list(
        client.chat.completions.create(
            model=loaded_model.model_name,
            messages=QUESTION,
            temperature=0,
            max_tokens=24,
            seed=1,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed == text
    assert chunks[-1].choices == [] and chunks[-1].usage == whole.usage
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == whole.choices[0].finish_reason
    assert all(c.usage is None for c in chunks[:-1])


def test_stop_and_max_tokens(client):
    base = client.chat.completions.create(
        model="", messages=QUESTION, temperature=0, max_tokens=24, seed=1
    ).choices[0]
    word = "Paris"
    assert word in base.message.content
    stopped = client.chat.completions.create(
        model="", messages=QUESTION, temperature=0, max_tokens=24, seed=1, stop=[word]
    ).choices[0]
    assert stopped.message.content == base.message.content.split(word)[0]
    assert stopped.finish_reason == "stop"
    short = client.chat.completions.create(
        model="", messages=LONG, temperature=0, max_completion_tokens=3
    )
    assert short.choices[0].finish_reason == "length"
    assert short.usage.completion_tokens == 3


def test_json_object_mode_answers_json(client):
    reply = client.chat.completions.create(
        model="",
        messages=[{"role": "user", "content": "Give a JSON object with a name and an age."}],
        response_format={"type": "json_object"},
        temperature=0,
        max_tokens=60,
    )
    assert isinstance(json.loads(reply.choices[0].message.content), dict)


def test_completions(client):
    done = client.completions.create(
        model="", prompt="The capital of France is", max_tokens=8, temperature=0
    )
    assert done.choices[0].text.strip()
    assert done.usage.completion_tokens <= 8 and done.usage.prompt_tokens > 3
    streamed = client.completions.create(
        model="", prompt="The capital of France is", max_tokens=8, temperature=0, stream=True
    )
    assert "".join(c.choices[0].text for c in streamed if c.choices) == done.choices[0].text


def test_embeddings(client, server):
    first = client.embeddings.create(model="", input=["Paris is in France.", "Hello"])
    again = client.embeddings.create(model="", input="Paris is in France.", encoding_format="float")
    a, b = first.data[0].embedding, first.data[1].embedding
    assert len(a) == len(b) == len(again.data[0].embedding) > 100
    assert a != b
    assert again.data[0].embedding == pytest.approx(a, abs=1e-5)
    empty = httpx.post(server.url + "/embeddings", json={"input": [""]})
    assert empty.status_code == 400
    assert empty.json()["error"]["message"]


def test_workbench_cloud_backend_talks_to_the_server(server, loaded_model):
    backend = CloudBackend(
        base_url=server.url, api_key=None, model=loaded_model.model_name, provider_name="Local"
    )
    params = SamplingParams(temperature=0, max_tokens=24, seed=1)
    events = list(backend.start_reply(QUESTION, params))
    stats = events[-1]
    assert isinstance(stats, Stats), stats
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    assert "Paris" in text
    assert stats.prompt_tokens > 5 and 0 < stats.completion_tokens <= 24
    stopped = list(
        backend.start_reply(
            QUESTION, SamplingParams(temperature=0, max_tokens=24, seed=1, stop=["Paris"])
        )
    )
    assert "".join(e.text for e in stopped if isinstance(e, TextDelta)) == text.split("Paris")[0]
    # Stop in the window: the stream closes and the model is free again at once.
    reply = backend.start_reply(LONG, SamplingParams(temperature=0, max_tokens=400))
    for event in reply:
        if isinstance(event, TextDelta):
            reply.cancel()
    assert wait_until(lambda: not loaded_model.busy, timeout=5)
    assert backend.list_models() == [loaded_model.model_name]
    backend.close()


def test_two_clients_are_both_answered_one_after_the_other(server, loaded_model):
    before = len(server.log)
    answers: list[str] = []

    def ask() -> None:
        client = openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0)
        reply = client.chat.completions.create(
            model="", messages=QUESTION, temperature=0, max_tokens=24, seed=1
        )
        answers.append(reply.choices[0].message.content)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(answers) == 2 and answers[0] == answers[1]
    entries = server.log.entries()[before:]
    assert [e.status for e in entries] == [200, 200]
    assert [e.waited for e in entries].count(True) == 1


def test_a_client_killed_mid_stream_frees_the_model(server, loaded_model, client):
    body = json.dumps({"messages": LONG, "stream": True, "max_tokens": 500}).encode()
    before = len(server.log)
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    received = b""
    while b"data: " not in received:
        received += sock.recv(65536)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    sock.close()  # a reset, as when the client process dies
    assert wait_until(lambda: len(server.log) > before, timeout=5)
    assert server.log.entries()[-1].status == 499
    assert wait_until(lambda: not loaded_model.busy, timeout=5)
    reply = client.chat.completions.create(model="", messages=QUESTION, max_tokens=4)
    assert reply.choices[0].message.content
    assert server.log.entries()[-1].waited is False


def test_a_killed_model_process_is_a_500_and_the_server_lives_on(test_model):
    backend = LocalBackend(test_model, LoadOptions(context_length=2048, seed=1))
    backend.load()
    server = LocalServer(StaticSource(backend), ServerConfig(port=0))
    server.start()
    try:
        client = openai.OpenAI(base_url=server.url, api_key="unused", max_retries=0)
        stream = client.chat.completions.create(
            model="", messages=LONG, max_tokens=500, temperature=0, stream=True
        )
        with pytest.raises(openai.APIError) as caught:
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    os.kill(backend.process_pid, signal.SIGKILL)
        assert "killed" in str(caught.value.message)
        entry = server.log.entries()[-1]
        assert entry.status == 500 and "killed" in entry.error
        assert server.running and server.crashes == 1
        gone = httpx.post(server.url + "/chat/completions", json={"messages": QUESTION})
        assert gone.status_code == 503
        backend.load()
        again = client.chat.completions.create(model="", messages=QUESTION, max_tokens=4)
        assert again.choices[0].message.content
    finally:
        server.stop()
        backend.unload()
