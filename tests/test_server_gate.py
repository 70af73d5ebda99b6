"""The local server's gate and shapes, over a scripted model: keys, limits, malformed requests,
CORS, errors as OpenAI bodies, the request log, disconnects and stopping."""

from __future__ import annotations

import base64
import json
import socket
import struct
import threading
import time

import httpx2 as httpx
import openai
import pytest
from openai_fake import wait_until
from serverfakes import FakeCloud, FakeModel

from workbench.core.backend import Error
from workbench.core.server import (
    DEFAULT_PORT,
    LocalServer,
    ServerConfig,
    ServerError,
    StaticSource,
)

CHAT = {"messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def model():
    return FakeModel()


@pytest.fixture
def serve(model):
    started: list[LocalServer] = []

    def start(backend=model, **config) -> LocalServer:
        cloud = config.pop("cloud", None)
        server = LocalServer(StaticSource(backend, cloud), ServerConfig(port=0, **config))
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return body["error"]


def test_default_port_clashes_with_no_known_server():
    assert DEFAULT_PORT not in (1234, 11434, 8080, 8000, 1337)
    assert ServerConfig().host == "127.0.0.1" and ServerConfig().port == DEFAULT_PORT


def test_a_chat_is_answered_and_logged(serve, model):
    server = serve()
    seen = []
    server.log.subscribe(seen.append)
    assert server.running and server.url == f"http://127.0.0.1:{server.port}/v1"
    client = openai.OpenAI(base_url=server.url, api_key="unused")
    reply = client.chat.completions.create(model="fake-model", messages=CHAT["messages"])
    assert reply.choices[0].message.content == "Hello there!"
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage.prompt_tokens == 3 and reply.usage.completion_tokens == 3
    entry = server.log.entries()[-1]
    assert seen == [entry]
    assert (entry.endpoint, entry.model, entry.status, entry.waited) == (
        "/v1/chat/completions",
        "fake-model.gguf",
        200,
        False,
    )
    assert (entry.prompt_tokens, entry.completion_tokens) == (3, 3)


def test_reasoning_comes_as_reasoning_content(serve, model):
    model.reasoning = ["Let me ", "think."]
    server = serve()
    client = openai.OpenAI(base_url=server.url, api_key="unused")
    reply = client.chat.completions.create(model="", messages=CHAT["messages"])
    assert reply.choices[0].message.content == "Hello there!"
    assert reply.choices[0].message.model_extra["reasoning_content"] == "Let me think."
    deltas = [
        c.choices[0].delta
        for c in client.chat.completions.create(model="", messages=CHAT["messages"], stream=True)
        if c.choices
    ]
    assert deltas[0].role == "assistant"
    reasoning = "".join(d.model_extra.get("reasoning_content") or "" for d in deltas)
    assert reasoning == "Let me think."
    assert "".join(d.content or "" for d in deltas) == "Hello there!"


def test_parameters_reach_the_model(serve, model):
    server = serve()
    body = {
        **CHAT,
        "temperature": 0.2,
        "top_p": 0.5,
        "seed": 7,
        "max_completion_tokens": 9,
        "stop": "END",
        "top_k": 5,
        "response_format": {"type": "json_object"},
    }
    assert httpx.post(server.url + "/chat/completions", json=body).status_code == 200
    _, messages, params, kwargs = model.calls[-1]
    assert messages == [{"role": "user", "content": "hi"}]
    assert (params.temperature, params.top_p, params.seed, params.max_tokens) == (0.2, 0.5, 7, 9)
    assert params.stop == ["END"] and params.top_k == 5
    assert kwargs == {"json_object": True}
    parts = {"messages": [{"role": "developer", "content": [{"type": "text", "text": "a"}]}]}
    assert httpx.post(server.url + "/chat/completions", json=parts).status_code == 200
    assert model.calls[-1][1] == [{"role": "system", "content": "a"}]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({**CHAT, "temperature": "hot"}, "temperature"),
        ({**CHAT, "temperature": 3}, "temperature"),
        ({**CHAT, "max_tokens": 1.5}, "max_tokens"),
        ({**CHAT, "max_tokens": 0}, "max_tokens"),
        ({**CHAT, "stream": "yes"}, "stream"),
        ({**CHAT, "stop": [1, 2]}, "stop"),
        ({**CHAT, "seed": True}, "seed"),
        ({**CHAT, "n": 2}, "n"),
        ({**CHAT, "model": 5}, "model"),
        ({**CHAT, "stream_options": {"include_usage": "y"}}, "stream_options.include_usage"),
        ({**CHAT, "response_format": {"type": "xml"}}, "response_format.type"),
        ({"messages": "hi"}, "messages"),
        ({"messages": []}, "messages"),
        ({}, "messages"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "messages[0].role"),
        ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
    ],
)
def test_wrong_types_are_400_naming_the_param(serve, model, body, param):
    server = serve()
    response = httpx.post(server.url + "/chat/completions", json=body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["param"] == param
    assert error["type"] == "invalid_request_error"
    assert "Traceback" not in response.text
    assert model.calls == []


def test_malformed_json_and_non_objects(serve):
    server = serve()
    for raw in (b"{not json", b"[1, 2]", b"\xff\xfe", b""):
        response = httpx.post(
            server.url + "/chat/completions",
            content=raw,
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 400, raw
        assert error_of(response)["code"] == "invalid_json"
    assert (
        "line 1, column 2"
        in httpx.post(server.url + "/chat/completions", content=b"{not json").json()["error"][
            "message"
        ]
    )


def test_a_body_over_the_limit_is_413(serve, model):
    server = serve(max_body_bytes=1000)
    big = {**CHAT, "messages": [{"role": "user", "content": "x" * 5000}]}
    response = httpx.post(server.url + "/chat/completions", json=big)
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"
    assert model.calls == []
    # The server still answers afterwards, on a new connection and a small body.
    assert httpx.post(server.url + "/chat/completions", json=CHAT).status_code == 200


def test_unknown_models_routes_and_methods(serve):
    server = serve()
    response = httpx.post(server.url + "/chat/completions", json={**CHAT, "model": "gpt-4o"})
    assert response.status_code == 404
    assert error_of(response) | {"message": ""} == {
        "message": "",
        "type": "invalid_request_error",
        "param": "model",
        "code": "model_not_found",
    }
    assert httpx.get(server.url + "/nowhere").status_code == 404
    assert error_of(httpx.get(server.url + "/nowhere"))["code"] == "not_found"
    assert error_of(httpx.get(server.url + "/chat/completions"))["code"] == "method_not_allowed"
    client = openai.OpenAI(base_url=server.url, api_key="unused")
    assert client.models.retrieve("fake-model").id == "fake-model.gguf"
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("other")


def test_no_model_loaded_is_503_with_a_sentence(serve):
    server = serve(backend=None)
    assert httpx.get(server.url + "/models").json() == {"object": "list", "data": []}
    response = httpx.post(server.url + "/chat/completions", json=CHAT)
    assert response.status_code == 503
    error = error_of(response)
    assert error["code"] == "model_not_loaded"
    assert error["message"] == (
        "No model is loaded in Workbench; load one in the chat, then try again."
    )
    unloaded = FakeModel()
    unloaded.is_loaded = False
    server2 = serve(backend=unloaded)
    assert httpx.post(server2.url + "/completions", json={"prompt": "x"}).status_code == 503


def test_a_failing_reply_gets_its_status(serve, model):
    server = serve()
    model.error = Error("The model process crashed while answering.", "process_died")
    response = httpx.post(server.url + "/chat/completions", json=CHAT)
    assert response.status_code == 500
    assert error_of(response)["message"] == "The model process crashed while answering."
    assert server.crashes == 1
    entry = server.log.entries()[-1]
    assert (entry.status, entry.error) == (500, "The model process crashed while answering.")
    model.error = Error("This conversation is too long.", "context_overflow")
    response = httpx.post(server.url + "/chat/completions", json={**CHAT, "stream": True})
    assert response.status_code == 400
    assert error_of(response)["code"] == "context_length_exceeded"
    model.error = None
    assert httpx.post(server.url + "/chat/completions", json=CHAT).status_code == 200


def test_network_listening_needs_a_key(serve):
    with pytest.raises(ServerError, match="needs an API key"):
        LocalServer(StaticSource(None), ServerConfig(host="0.0.0.0", port=0)).start()
    server = serve(host="0.0.0.0", api_key="s3cret")
    local = f"http://127.0.0.1:{server.port}/v1"
    assert server.url == local
    addresses = server.addresses()
    assert addresses and all(
        a.startswith("http://") and a.endswith(f":{server.port}/v1") for a in addresses
    )
    missing = httpx.get(local + "/models")
    assert missing.status_code == 401 and error_of(missing)["code"] == "missing_api_key"
    wrong = httpx.get(local + "/models", headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 401 and error_of(wrong)["code"] == "invalid_api_key"
    assert "s3cret" not in wrong.text
    client = openai.OpenAI(base_url=local, api_key="s3cret")
    assert [m.id for m in client.models.list()] == ["fake-model.gguf"]
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=local, api_key="bad").models.list()
    assert server.log.entries()[0].status == 401


def test_a_port_in_use_is_one_sentence(serve):
    server = serve()
    with pytest.raises(ServerError) as caught:
        LocalServer(StaticSource(None), ServerConfig(port=server.port)).start()
    assert str(caught.value) == (
        f"Port {server.port} is in use by another program; choose another port or stop that "
        "program."
    )
    with pytest.raises(ServerError, match="not an address of this computer"):
        LocalServer(StaticSource(None), ServerConfig(host="192.0.2.1", port=0, api_key="k")).start()
    with pytest.raises(ServerError, match="not a web origin"):
        ServerConfig(cors_origins=("localhost:3000/app",)).checked()


def test_cors_only_for_the_configured_origins(serve):
    plain = serve()
    asked = {"origin": "http://localhost:3000"}
    assert (
        "access-control-allow-origin" not in httpx.get(plain.url + "/models", headers=asked).headers
    )
    server = serve(cors_origins=("http://localhost:3000/",))
    response = httpx.get(server.url + "/models", headers=asked)
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    preflight = httpx.options(
        server.url + "/chat/completions",
        headers={
            **asked,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:3000"
    other = httpx.get(server.url + "/models", headers={"origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    denied = httpx.options(
        server.url + "/chat/completions",
        headers={"origin": "http://evil.example", "access-control-request-method": "POST"},
    )
    assert denied.status_code == 400


def test_cloud_models_only_when_offered(serve, model):
    cloud = FakeCloud()
    offered = {"deepseek/deepseek-chat": lambda: cloud}
    hidden = serve(cloud=offered)
    assert [m["id"] for m in httpx.get(hidden.url + "/models").json()["data"]] == [
        "fake-model.gguf"
    ]
    server = serve(cloud=offered, expose_cloud=True)
    listed = httpx.get(server.url + "/models").json()["data"]
    assert [(m["id"], m["owned_by"]) for m in listed] == [
        ("fake-model.gguf", "workbench"),
        ("deepseek/deepseek-chat", "deepseek"),
    ]
    client = openai.OpenAI(base_url=server.url, api_key="unused")
    reply = client.chat.completions.create(
        model="deepseek/deepseek-chat", messages=CHAT["messages"]
    )
    assert reply.model == "deepseek/deepseek-chat"
    assert reply.choices[0].message.content == "Hello there!"
    assert wait_until(lambda: ("close",) in cloud.calls)
    refused = httpx.post(
        server.url + "/completions", json={"model": "deepseek/deepseek-chat", "prompt": "x"}
    )
    assert refused.status_code == 400


def test_completions_and_embeddings_shapes(serve, model):
    server = serve()
    client = openai.OpenAI(base_url=server.url, api_key="unused")
    done = client.completions.create(model="fake-model.gguf", prompt="Once")
    assert done.choices[0].text == "Hello there!" and done.usage.completion_tokens == 3
    assert model.calls[-1][2].max_tokens == 16  # OpenAI's default for completions
    chunks = list(
        client.completions.create(
            model="", prompt=["Once"], stream=True, stream_options={"include_usage": True}
        )
    )
    assert "".join(c.choices[0].text for c in chunks if c.choices) == "Hello there!"
    assert chunks[-1].usage.total_tokens == 6
    vectors = client.embeddings.create(model="fake-model", input=["ab", "abcd"])  # base64
    assert [d.embedding for d in vectors.data] == [[2.0, 0.5, -0.25], [4.0, 0.5, -0.25]]
    floats = httpx.post(server.url + "/embeddings", json={"input": "abc"}).json()
    assert floats["data"][0]["embedding"] == [3.0, 0.5, -0.25]
    packed = httpx.post(
        server.url + "/embeddings", json={"input": "a", "encoding_format": "base64"}
    ).json()["data"][0]["embedding"]
    assert struct.unpack("<3f", base64.b64decode(packed)) == (1.0, 0.5, -0.25)
    assert httpx.post(server.url + "/embeddings", json={"input": [1, 2]}).status_code == 400


def test_a_client_that_leaves_cancels_its_reply(serve, model):
    model.words = ["word "] * 10_000
    model.pause_s = 0.01
    server = serve()
    body = json.dumps({**CHAT, "stream": True}).encode()
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        # The headers and the first event may come in separate reads: read until an event.
        received = b""
        while b"data: " not in received:
            chunk = sock.recv(65536)
            assert chunk, received
            received += chunk
    # Cancelled, not run to its end (which would take 100 s).
    assert wait_until(lambda: not model.busy, timeout=5)
    assert model.replies[-1].cancelled.is_set()
    assert wait_until(lambda: len(server.log) == 1)
    assert server.log.entries()[-1].status == 499
    model.words, model.pause_s = ["ok"], 0.0
    assert (
        httpx.post(server.url + "/chat/completions", json=CHAT).json()["choices"][0]["message"][
            "content"
        ]
        == "ok"
    )


def test_a_waiting_request_is_logged_as_waiting(serve, model):
    model.words = ["a"] * 30
    model.pause_s = 0.01
    server = serve()
    first = threading.Thread(
        target=httpx.post, args=(server.url + "/chat/completions",), kwargs={"json": CHAT}
    )
    first.start()
    assert wait_until(lambda: model.busy)
    second = httpx.post(server.url + "/chat/completions", json=CHAT, timeout=30)
    first.join()
    assert second.status_code == 200
    entries = server.log.entries()
    assert [e.waited for e in entries] == [False, True]


def test_stop_ends_running_streams_within_two_seconds(serve, model):
    model.words = ["word "] * 100_000
    model.pause_s = 0.01
    server = serve()
    got: list = []

    def stream() -> None:
        try:
            with httpx.stream(
                "POST", server.url + "/chat/completions", json={**CHAT, "stream": True}
            ) as response:
                for line in response.iter_lines():
                    got.append(line)
        except httpx.HTTPError as exc:
            got.append(exc)

    reader = threading.Thread(target=stream)
    reader.start()
    assert wait_until(lambda: len(got) > 3)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2.0
    assert not server.running
    reader.join(5)
    assert not reader.is_alive()
    assert wait_until(lambda: not model.busy)
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/models")
