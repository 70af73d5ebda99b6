"""The command line, run as users run it: a separate process, exit codes, stdout and stderr."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from workbench.core.store import Store


def run_cli(
    *args: str, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


def assert_one_error_line(result: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "Workbench 0.1.0"


def test_info_prints_the_metadata(test_model):
    result = run_cli("info", str(test_model))
    assert result.returncode == 0, result.stderr
    fields = dict(
        line.split(None, 1) if "  " not in line else [p.strip() for p in line.split("  ", 1)]
        for line in result.stdout.splitlines()
    )
    assert fields["architecture"] == "llama"
    assert fields["quantization"] == "Q4_1"
    assert fields["layers"] == "30"
    assert fields["KV heads"] == "3"
    assert fields["context length"] == "8192"
    assert fields["chat template"] == "yes"
    assert fields["parameters"].startswith("135M")
    assert fields["size"] == "98.4 MB"


def test_info_json(test_model):
    result = run_cli("info", "--json", str(test_model))
    data = json.loads(result.stdout)
    assert data["block_count"] == 30 and data["head_count_kv"] == 3
    assert data["parameter_count"] == 134_515_008


def test_chat_streams_answer_and_stats(test_model, workbench_home):
    result = run_cli(
        "chat",
        "--model",
        str(test_model),
        "--prompt",
        "What is the capital of France?",
        "--max-tokens",
        "20",
        "--seed",
        "1",
        "--ctx",
        "1024",
        "--threads",
        "2",
        "--stats",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    stats = json.loads(result.stderr.strip().splitlines()[-1])
    assert set(stats) >= {"ttft_s", "prompt_tokens", "completion_tokens", "tokens_per_s", "load_s"}
    assert 0 < stats["completion_tokens"] <= 20 and stats["prompt_tokens"] > 0
    assert stats["ttft_s"] > 0 and stats["load_s"] > 0 and stats["tokens_per_s"] > 0
    # The chat is kept in the history, like every chat in the app.
    with Store() as store:
        (conversation,) = store.list_conversations()
        roles = [m.role for m in store.messages(conversation.id)]
        assert roles == ["user", "assistant"]
        assert store.messages(conversation.id)[1].content.strip() == result.stdout.strip()


def test_chat_same_seed_same_answer_and_prompt_from_stdin(test_model):
    args = (
        "chat",
        "--model",
        str(test_model),
        "--max-tokens",
        "24",
        "--seed",
        "7",
        "--temperature",
        "1.0",
        "--no-save",
    )
    first = run_cli(*args, input="Tell me about owls.")
    second = run_cli(*args, input="Tell me about owls.")
    assert first.returncode == 0 and first.stdout.strip()
    assert first.stdout == second.stdout


@pytest.mark.parametrize(
    "content,needle",
    [
        (None, "was not found"),
        (b"just some text\n", "not a GGUF"),
        (b"GGUF\x03\x00\x00\x00\x05\x00", "truncated"),
        (b"\x00\x01\x02\x03" * 100, "not a GGUF"),
    ],
    ids=["missing", "text", "truncated", "garbage"],
)
def test_chat_bad_model_file(tmp_path, content, needle):
    path = tmp_path / "model.gguf"
    if content is not None:
        path.write_bytes(content)
    result = run_cli("chat", "--model", str(path), "--prompt", "hi")
    assert_one_error_line(result, 1, needle)


def test_info_bad_file(tmp_path):
    path = tmp_path / "x.gguf"
    path.write_bytes(b"GGUF\x09\x00\x00\x00" + b"\x00" * 64)
    assert_one_error_line(run_cli("info", str(path)), 1, "version")


@pytest.mark.parametrize(
    "args,needle",
    [
        (("--temperature", "9"), "Temperature must be between 0 and 5"),
        (("--ctx", "12"), "Context length must be between"),
        (("--top-p", "1.5"), "Top-p"),
        (("--kv-cache-type", "q4_0"), "flash attention"),
        (("--kv-cache-type", "q3"), "KV cache type must be one of"),
    ],
)
def test_chat_bad_option_values(test_model, args, needle):
    result = run_cli("chat", "--model", str(test_model), "--prompt", "hi", *args)
    assert_one_error_line(result, 1, needle)


@pytest.mark.parametrize(
    "args,needle",
    [
        (("chat", "--prompt", "hi"), "--model"),
        (("chat", "--model", "m.gguf", "--max-tokens", "abc"), "invalid int value"),
        (("chat", "--model", "m.gguf", "--threads", "0"), "positive"),
        (("frobnicate",), "invalid choice"),
        (("info",), "required"),
    ],
)
def test_usage_errors_exit_2(args, needle):
    assert_one_error_line(run_cli(*args), 2, needle)


def test_empty_prompt(test_model):
    assert_one_error_line(run_cli("chat", "--model", str(test_model), input="  \n"), 1, "empty")


def test_ctrl_c_stops_the_reply_and_exits_130(test_model, workbench_home):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "chat",
            "--model",
            str(test_model),
            "--prompt",
            "Write a very long story about a lighthouse keeper.",
            "--max-tokens",
            "3000",
            "--seed",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait for the answer to start streaming, then press Ctrl-C.
    first = proc.stdout.read(20)
    assert first
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in err
    with Store() as store:
        (conversation,) = store.list_conversations()
        reply = store.messages(conversation.id)[1]
    assert reply.state in ("interrupted", "cancelled")
    assert reply.content.startswith(first.strip()[:10])
