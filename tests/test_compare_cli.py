"""``workbench compare`` with real parts: the test model loaded here, the same model behind
llama-cpp-python's OpenAI-compatible server, and FakeOpenAI for a provider that refuses a key."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys

import pytest
from llamaserver import llama_server  # noqa: F401 - a fixture
from openai_fake import FakeOpenAI, fake_openai, wait_until  # noqa: F401 - a fixture
from test_cli_cloud import clean_environment, one_error_line, run  # noqa: F401 - autouse fixture

from workbench.core.cloud.providers import ProviderStore
from workbench.core.compare.schedule import fake_memory
from workbench.core.compare.sessions import CompareStore
from workbench.core.store import Store

MARKER = "wbCMPKEYzq81x7UNMISTAKABLE"
SHORT = ["--max-tokens", "24", "--seed", "1", "--temperature", "0"]
FIGURES = {"ttft_s", "tokens_per_s", "completion_tokens", "cost"}


def conversation_count() -> int:
    with Store() as store, store.reading() as conn:
        return conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]


def test_local_and_server_model_as_json_and_saved(capsys, test_model, llama_server):  # noqa: F811
    ProviderStore().add("llamacpp", base_url=llama_server)
    local = f"local:{test_model}"
    prompt = "Name three colours of the rainbow, please, in one short sentence only."
    code, out, err = run(
        capsys,
        "compare",
        "--target",
        local,
        "--target",
        "llamacpp:smollm2",
        "--prompt",
        prompt,
        "--system",
        "Be brief.",
        "--json",
        *SHORT,
    )
    assert code == 0, err
    data = json.loads(out)  # exactly one JSON object, nothing else on stdout
    assert list(data) == ["results"]
    results = data["results"]
    assert [r["target"] for r in results] == [local, "llamacpp:smollm2"]
    for r in results:
        assert set(r) == {"target", "text", "reasoning", "stats", "error"}
        assert set(r["stats"]) == FIGURES
        assert r["error"] is None and r["text"].strip() and r["reasoning"] == ""
        assert 0 < r["stats"]["completion_tokens"] <= 24
        assert r["stats"]["cost"] == 0.0  # on this computer, or a server on it: $0
    assert isinstance(results[0]["stats"]["ttft_s"], float)
    assert isinstance(results[0]["stats"]["tokens_per_s"], float)

    # Saved as a compare session: one round, each answer a complete message of its thread.
    with Store() as store:
        compare = CompareStore(store)
        (session,) = compare.list_sessions()
        assert session.title == prompt[:60]
        targets = compare.targets(session.id)
        assert [t.identity for t in targets] == [
            f"local:{test_model.name}",
            "llamacpp:smollm2",
        ]
        (rnd,) = compare.rounds(session.id)
        assert rnd.prompt == prompt
        assert set(rnd.answers) == {t.id for t in targets}
        for target, result in zip(targets, results, strict=True):
            assert target.spec.system_prompt == "Be brief."
            assert target.spec.params["max_tokens"] == 24
            message = store.get_message(rnd.answers[target.id])
            assert message.state == "complete" and message.role == "assistant"
            assert message.content == result["text"]
            user, reply = store.thread(target.conversation_id)
            assert user.content == prompt and reply.id == message.id
        assert store.messages(targets[1].conversation_id)[1].source == "llamacpp"
        assert store.list_conversations() == []  # compare threads stay out of the chat list


def test_text_output_with_the_table_and_no_save(capsys, monkeypatch, test_model, fake_openai):  # noqa: F811
    fake_openai.script(text="Hello from the fake.")
    ProviderStore().add("custom", name="Desk", base_url=fake_openai.base_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO("Say hello."))  # the prompt from stdin
    local = f"local:{test_model}"
    code, out, err = run(
        capsys, "compare", "--target", "desk:fake-chat", "--target", local, "--no-save", *SHORT
    )
    assert code == 0, err
    lines = out.splitlines()
    first, second = lines.index("=== desk:fake-chat ==="), lines.index(f"=== {local} ===")
    assert first < second
    assert lines[first + 1] == "Hello from the fake."
    assert lines[second + 1].strip()
    table = lines[lines.index(next(x for x in lines if x.startswith("TARGET"))) :]
    assert table[0].split() == ["TARGET", "FIRST", "TOKEN", "TOK/S", "TOKENS", "COST", "STATUS"]
    assert table[1].startswith("desk:fake-chat") and table[1].endswith("ok")
    assert table[2].startswith(local) and table[2].endswith("ok")
    assert " s " in table[2]  # the local model's time to first token
    (request,) = fake_openai.chat_requests()
    assert request["json"]["messages"] == [{"role": "user", "content": "Say hello."}]
    with Store() as store:
        assert CompareStore(store).list_sessions() == []
    assert conversation_count() == 0


def test_a_refused_key_fails_that_target_only(capsys, monkeypatch, fake_openai):  # noqa: F811
    ProviderStore().add("custom", base_url=fake_openai.base_url)
    with FakeOpenAI(key="sk-the-right-key-000000") as strict:
        monkeypatch.setenv("OPENAI_BASE_URL", strict.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", f"sk-{MARKER}-wrong")
        code, out, err = run(
            capsys,
            "compare",
            "--target",
            "openai:fake-chat",
            "--target",
            "custom:fake-chat",
            "--prompt",
            "hi",
            "--json",
        )
    assert code == 1
    assert "Traceback" not in err and MARKER not in out + err
    failed, answered = json.loads(out)["results"]
    assert failed["target"] == "openai:fake-chat" and failed["text"] == ""
    assert "OpenAI" in failed["error"] and MARKER not in failed["error"]
    assert failed["stats"] == dict.fromkeys(FIGURES)
    assert answered["error"] is None and answered["text"] == "Hello from the fake."
    # The failure is saved too, as that target's answer in the error state.
    with Store() as store:
        compare = CompareStore(store)
        (session,) = compare.list_sessions()
        (rnd,) = compare.rounds(session.id)
        states = [store.get_message(rnd.answers[t.id]).state for t in compare.targets(session.id)]
    assert states == ["error", "complete"]


def test_locals_that_do_not_fit_answer_one_after_another(capsys, monkeypatch, test_model):
    # A machine with almost no memory: each model gets a group of its own.
    monkeypatch.setattr("workbench.core.sysmem.detect_memory", lambda **_: fake_memory(1))
    code, out, err = run(
        capsys,
        "compare",
        "--target",
        f"local:{test_model}",
        "--target",
        f"local:{test_model}",
        "--prompt",
        "hi",
        "--json",
        "--no-save",
        "--max-tokens",
        "8",
    )
    assert code == 0, err
    assert err.startswith("note: ") and "one after another" in err
    results = json.loads(out)["results"]
    assert all(r["error"] is None and r["text"] for r in results)


@pytest.mark.parametrize(
    ("targets", "code", "needle"),
    [
        (["custom:x"], 2, "2 to 4 targets; 1 given"),
        (["custom:a", "custom:b", "custom:c", "custom:d", "custom:e"], 2, "5 given"),
        (["nocolon", "custom:x"], 2, "local:PATH or PROVIDER:MODEL"),
        (["nowhere:x", "custom:y"], 1, "no provider named 'nowhere'"),
        (["deepseek:deepseek-chat", "custom:y"], 1, "no API key for DeepSeek"),
        (["local:/no/such/model.gguf", "custom:y"], 1, "was not found"),
    ],
)
def test_usage_and_target_errors(capsys, targets, code, needle):
    ProviderStore().add("custom", base_url="http://127.0.0.1:9/v1")  # never reached
    argv = ["compare", "--prompt", "hi"]
    for t in targets:
        argv += ["--target", t]
    got, out, err = run(capsys, *argv)
    assert got == code and out == ""
    assert needle in one_error_line(err)
    assert conversation_count() == 0


def test_local_only_options_need_a_local_target(capsys):
    code, _out, err = run(
        capsys, "compare", "--target", "custom:a", "--target", "custom:b", "--ctx", "512"
    )
    assert code == 2 and "--ctx applies to local models only" in one_error_line(err)


def test_ctrl_c_cancels_every_reply_and_exits_130(fake_openai, workbench_home):  # noqa: F811
    fake_openai.script(text="word " * 400, chunk_chars=5, delay=0.05)
    ProviderStore().add("custom", base_url=fake_openai.base_url)
    env = os.environ.copy()
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "compare",
            "--target",
            "custom:fake-chat",
            "--target",
            "custom:fake-reasoner",
            "--prompt",
            "talk",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        # Both answers are streaming once the server has seen both requests.
        assert wait_until(lambda: len(fake_openai.chat_requests()) == 2, timeout=60)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    with Store() as store:
        compare = CompareStore(store)
        (session,) = compare.list_sessions()
        (rnd,) = compare.rounds(session.id)
        replies = [store.get_message(m) for m in rnd.answers.values()]
    assert len(replies) == 2
    assert all(r.state in ("cancelled", "interrupted") for r in replies)


def test_a_damaged_local_file_fails_that_target_and_its_failure_is_saved(
    capsys,
    tmp_path,
    fake_openai,  # noqa: F811
):
    ProviderStore().add("custom", base_url=fake_openai.base_url)
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 64)
    code, out, err = run(
        capsys,
        "compare",
        "--target",
        f"local:{broken}",
        "--target",
        "custom:fake-chat",
        "--prompt",
        "hi",
        "--json",
    )
    assert code == 1 and "Traceback" not in err
    failed, answered = json.loads(out)["results"]
    assert failed["error"] and "broken.gguf" in failed["error"]
    assert answered["error"] is None and answered["text"] == "Hello from the fake."
    with Store() as store:
        compare = CompareStore(store)
        (session,) = compare.list_sessions()
        (rnd,) = compare.rounds(session.id)
        local, cloud = compare.targets(session.id)
        failure = store.get_message(rnd.answers[local.id])
        assert failure.state == "error" and failure.error == failed["error"]
        assert store.get_message(rnd.answers[cloud.id]).state == "complete"
