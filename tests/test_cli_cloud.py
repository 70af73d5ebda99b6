"""``workbench chat --provider`` and ``workbench providers`` against real servers on 127.0.0.1:
FakeOpenAI (scripted) and llama-cpp-python's own OpenAI-compatible server (the real model)."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys

import keyring
import pytest
from llamaserver import llama_server  # noqa: F401 - a fixture
from memkeyring import NoKeyring
from openai_fake import FakeOpenAI, fake_openai  # noqa: F401 - a fixture

from workbench.cli import main
from workbench.core.cloud.prices import Price, PriceTable
from workbench.core.cloud.providers import PRESETS, ProviderStore
from workbench.core.cloud.resolve import ResolveError, resolve
from workbench.core.keys import KeyStore
from workbench.core.store import Store

# Nothing like "sk-…", so log redaction cannot hide a leak from these tests.
MARKER = "wbCLIKEYzq81x7UNMISTAKABLE"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The keys and addresses of the machine running the tests must not leak in."""
    for p in PRESETS:
        if p.env_key:
            monkeypatch.delenv(p.env_key, raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


def test_custom_base_url_streams_saves_and_prices(capsys, fake_openai):  # noqa: F811
    fake_openai.script(text="Bonjour from the fake server.")
    PriceTable().set("fake-chat", Price(1.0, 2.0))
    code, out, err = run(
        capsys,
        "chat",
        "--provider",
        "custom",
        "--base-url",
        fake_openai.base_url + "/",
        "--model",
        "fake-chat",
        "--prompt",
        "Say hello in French.",
        "--system",
        "Be brief.",
        "--temperature",
        "0.3",
        "--stats",
    )
    assert code == 0, err
    assert out == "Bonjour from the fake server.\n"
    stats = json.loads(err.strip().splitlines()[-1])
    assert set(stats) >= {
        "ttft_s",
        "prompt_tokens",
        "completion_tokens",
        "tokens_per_s",
        "cost",
        "finish_reason",
    }
    assert stats["finish_reason"] == "stop" and stats["completion_tokens"] > 0
    expected = (stats["prompt_tokens"] * 1.0 + stats["completion_tokens"] * 2.0) / 1e6
    assert stats["cost"] == pytest.approx(expected)
    (request,) = fake_openai.chat_requests()
    body = request["json"]
    assert body["model"] == "fake-chat" and body["stream"] is True
    assert body["temperature"] == 0.3
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Say hello in French."},
    ]
    with Store() as store:
        (conversation,) = store.list_conversations()
        assert conversation.model == "fake-chat" and conversation.system_prompt == "Be brief."
        assert conversation.settings["provider"] == "custom"
        user, reply = store.messages(conversation.id)
    assert user.content == "Say hello in French."
    assert reply.content == "Bonjour from the fake server."
    assert reply.model == "fake-chat" and reply.source == "custom"
    assert reply.state == "complete"


def test_the_real_model_through_llama_cpp_server(capsys, llama_server):  # noqa: F811
    code, out, err = run(
        capsys,
        "chat",
        "--provider",
        "llamacpp",
        "--base-url",
        llama_server,
        "--model",
        "smollm2",
        "--prompt",
        "What is the capital of France?",
        "--max-tokens",
        "16",
        "--seed",
        "1",
        "--top-k",
        "20",
        "--stats",
    )
    assert code == 0, err
    assert out.strip()
    stats = json.loads(err.strip().splitlines()[-1])
    # llama.cpp's Python server sends no usage while streaming: the reply's tokens are counted
    # as they arrive and the prompt's stay unknown (0).
    assert 0 < stats["completion_tokens"] <= 16
    assert stats["cost"] is None  # a server on this machine costs nothing
    with Store() as store:
        (conversation,) = store.list_conversations()
        reply = store.messages(conversation.id)[1]
    assert reply.content.strip() == out.strip() and reply.source == "llamacpp"


def test_openai_preset_honours_openai_base_url_and_key(capsys, monkeypatch):
    key = f"sk-env-{MARKER}-0001"
    with FakeOpenAI(key=key) as fake:
        fake.script(text="Priced reply.")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", key)
        code, out, err = run(
            capsys,
            "chat",
            "--provider",
            "openai",
            "--model",
            "o4-mini",
            "--prompt",
            "hi",
            "--stats",
            "--no-save",
        )
        assert code == 0, err
        assert out == "Priced reply.\n"
        (request,) = fake.chat_requests()
        assert request["headers"]["authorization"] == f"Bearer {key}"
    stats = json.loads(err.strip().splitlines()[-1])
    # o4-mini is in the default price list at $1.10 / $4.40 per million tokens.
    expected = (stats["prompt_tokens"] * 1.10 + stats["completion_tokens"] * 4.40) / 1e6
    assert stats["cost"] == pytest.approx(expected) and stats["cost"] > 0
    assert MARKER not in out + err
    with Store() as store:
        assert store.list_conversations() == []  # --no-save


def test_a_wrong_key_is_one_error_line_without_the_key(capsys, monkeypatch, workbench_home):
    with FakeOpenAI(key="sk-the-right-key-000000") as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", f"sk-{MARKER}-wrong")
        code, out, err = run(
            capsys, "chat", "--provider", "openai", "--model", "fake-chat", "--prompt", "hi"
        )
    assert code == 1
    line = one_error_line(err)
    assert "OpenAI" in line
    assert MARKER not in out + err and "wrong" not in line
    # Nothing on disk holds the key either: not the history, the log or any settings file.
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    for dirpath, _dirs, names in os.walk(workbench_home):
        for name in names:
            with open(os.path.join(dirpath, name), "rb") as f:
                assert MARKER.encode() not in f.read(), name


def test_missing_key_for_a_cloud_preset(capsys):
    code, out, err = run(
        capsys, "chat", "--provider", "deepseek", "--model", "deepseek-chat", "--prompt", "hi"
    )
    assert code == 1 and out == ""
    assert one_error_line(err) == (
        "error: no API key for DeepSeek: set DEEPSEEK_API_KEY or add the key in Settings"
    )


def test_a_saved_key_is_used_and_providers_never_print_it(capsys, monkeypatch):
    key = f"sk-saved-{MARKER}"
    with FakeOpenAI(key=key) as fake:
        code, out, err = run(
            capsys,
            "providers",
            "add",
            "custom",
            "--name",
            "Fake Cloud",
            "--base-url",
            fake.base_url,
        )
        assert code == 0, err
        assert out.strip() == "fake-cloud"
        monkeypatch.setattr(sys, "stdin", io.StringIO(key + "\n"))
        code, out, err = run(capsys, "providers", "key", "fake-cloud")
        assert code == 0, err
        assert "keychain" in out and MARKER not in out + err
        assert KeyStore().get("fake-cloud") == key

        code, out, err = run(
            capsys, "chat", "--provider", "fake-cloud", "--model", "fake-chat", "--prompt", "hi"
        )
        assert code == 0, err
        assert fake.chat_requests()[-1]["headers"]["authorization"] == f"Bearer {key}"

        code, out, err = run(capsys, "providers", "models", "fake-cloud")
        assert code == 0, err
        assert out.split() == sorted(fake.models)
    assert ProviderStore().get("fake-cloud").models == sorted(fake.models)

    code, out, err = run(capsys, "providers")
    assert code == 0 and MARKER not in out + err
    header, row = out.strip().splitlines()
    assert header.split() == ["ID", "NAME", "BASE", "URL", "MODELS", "KEY"]
    assert row.startswith("fake-cloud") and row.endswith("keychain")
    assert f" {len(fake.models)} " in row
    code, out, err = run(capsys, "providers", "--json")
    (entry,) = json.loads(out)
    assert entry["key"] == "keychain" and entry["id"] == "fake-cloud"
    assert MARKER not in out + err

    code, out, err = run(capsys, "providers", "remove", "fake-cloud")
    assert code == 0 and ProviderStore().providers() == []
    assert KeyStore().get("fake-cloud") is None


def test_providers_show_where_the_key_comes_from(capsys, monkeypatch):
    run(capsys, "providers", "add", "openai")
    run(capsys, "providers", "add", "ollama")
    monkeypatch.setenv("OPENAI_API_KEY", f"sk-{MARKER}")
    code, out, err = run(capsys, "providers", "--json")
    assert code == 0 and MARKER not in out + err
    keys = {p["id"]: p["key"] for p in json.loads(out)}
    assert keys == {"openai": "environment (OPENAI_API_KEY)", "ollama": "none"}
    code, out, _ = run(capsys, "providers", "--presets")
    assert code == 0
    assert "DEEPSEEK_API_KEY" in out and "http://localhost:11434/v1" in out
    assert len(out.strip().splitlines()) == len(PRESETS) + 1


def test_providers_key_without_a_keychain(capsys, monkeypatch, workbench_home):
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"sk-{MARKER}"))
        code, out, err = run(capsys, "providers", "key", "deepseek")
        assert code == 1
        line = one_error_line(err)
        assert "DEEPSEEK_API_KEY" in line and "--file-store" in line and MARKER not in line
        monkeypatch.setattr(sys, "stdin", io.StringIO(f"sk-{MARKER}"))
        code, out, err = run(capsys, "providers", "key", "deepseek", "--file-store")
        assert code == 0, err
        assert "key file" in out and err.startswith("warning: ") and MARKER not in out + err
        assert KeyStore().get("deepseek") == f"sk-{MARKER}"
        code, out, err = run(capsys, "providers", "key", "deepseek", "--delete")
        assert code == 0 and KeyStore().get("deepseek") is None
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize(
    "argv,code,needle",
    [
        (("--provider", "openai", "--ctx", "512"), 2, "--ctx applies to local models only"),
        (("--provider", "vllm", "--gpu-layers", "0"), 2, "--gpu-layers"),
        (("--provider", "openai", "--no-mmap"), 2, "--no-mmap"),
        (("--provider", "custom"), 2, "needs --base-url"),
        (("--base-url", "http://127.0.0.1:9/v1"), 2, "--base-url needs --provider"),
        (("--provider", "frobnicate"), 1, "no provider named 'frobnicate'"),
        (("--provider", "custom", "--base-url", "localhost:8000/v1"), 1, "http://"),
        (("--provider", "openai", "--temperature", "9"), 1, "Temperature"),
    ],
)
def test_chat_usage_and_option_errors(capsys, argv, code, needle):
    got, out, err = run(capsys, "chat", "--model", "m", "--prompt", "hi", *argv)
    assert got == code and out == ""
    assert needle in one_error_line(err)


def test_a_cut_stream_keeps_the_partial_text(capsys, fake_openai):  # noqa: F811
    fake_openai.script(text="one two three four five six seven", chunk_chars=4)
    fake_openai.cut_after(3)
    code, out, err = run(
        capsys,
        "chat",
        "--provider",
        "vllm",
        "--base-url",
        fake_openai.base_url,
        "--model",
        "fake-chat",
        "--prompt",
        "count",
    )
    assert code == 1
    assert out.startswith("one two") and out.endswith("\n")
    one_error_line(err)
    with Store() as store:
        (conversation,) = store.list_conversations()
        reply = store.messages(conversation.id)[1]
    assert reply.state == "error" and reply.content.startswith("one two")


def test_base_url_precedence():
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9999/v1/"}
    store = ProviderStore()
    # A preset used as is: OPENAI_BASE_URL, then the preset's address.
    assert resolve("openai", environ=env).base_url == "http://127.0.0.1:9999/v1"
    assert resolve("openai", environ={}).base_url == "https://api.openai.com/v1"
    assert resolve("deepseek", environ=env).base_url == "https://api.deepseek.com/v1"
    # A configured provider at the default address still follows OPENAI_BASE_URL …
    store.add("openai")
    assert resolve("openai", environ=env).base_url == "http://127.0.0.1:9999/v1"
    # … but an address the user chose wins over it, and --base-url over everything.
    moved = store.add("openai", name="Work", base_url="https://gateway.example.org/openai/v1")
    target = resolve(moved.id, environ=env)
    assert (target.id, target.name) == ("work", "Work")
    assert target.base_url == "https://gateway.example.org/openai/v1"
    assert resolve(moved.id, "http://127.0.0.1:1/v1", environ=env).base_url == (
        "http://127.0.0.1:1/v1"
    )
    with pytest.raises(ResolveError, match="OPENAI_BASE_URL"):
        resolve("openai", environ={"OPENAI_BASE_URL": "api.example.org"})


def test_ctrl_c_exits_130_and_keeps_the_partial_reply(fake_openai, workbench_home):  # noqa: F811
    fake_openai.script(text="word " * 400, chunk_chars=5, delay=0.05)
    env = os.environ.copy()
    # The child must never reach the real keychain; this reply needs no key anyway.
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "chat",
            "--provider",
            "custom",
            "--base-url",
            fake_openai.base_url,
            "--model",
            "fake-chat",
            "--prompt",
            "talk",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    first = proc.stdout.read(10)  # the answer is streaming
    assert first.startswith("word")
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err
    with Store() as store:
        (conversation,) = store.list_conversations()
        reply = store.messages(conversation.id)[1]
    assert reply.state in ("interrupted", "cancelled")
    assert reply.content.startswith("word")


def test_show_reasoning_goes_to_stderr(capsys, fake_openai):  # noqa: F811
    fake_openai.script(text="The answer is 4.", reasoning="Two plus two is four.")
    argv = [
        "chat",
        "--provider",
        "custom",
        "--base-url",
        fake_openai.base_url,
        "--model",
        "fake-reasoner",
        "--prompt",
        "2+2?",
        "--no-save",
    ]
    code, out, err = run(capsys, *argv, "--show-reasoning")
    assert code == 0, err
    assert out == "The answer is 4.\n"
    assert err == "Two plus two is four.\n"
    code, out, err = run(capsys, *argv)
    assert code == 0 and out == "The answer is 4.\n" and err == ""
