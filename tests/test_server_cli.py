"""``workbench serve``: the address on stdout, Ctrl+C stops it, refusals are one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx2 as httpx

from workbench.cli import main


def serve(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_serve_answers_and_stops_on_ctrl_c(test_model):
    proc = serve("--model", str(test_model), "--port", "0", "--ctx", "1024")
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        reply = httpx.post(
            url + "/chat/completions",
            json={"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4},
            timeout=120,
        )
        assert reply.status_code == 200
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "loading SmolLM2-135M-Instruct.Q4_1.gguf: 100%" in err
    assert f"note: serving SmolLM2-135M-Instruct.Q4_1.gguf at {url}" in err
    assert "/v1/chat/completions 200" in err
    assert "note: stopping" in err
    assert "Traceback" not in err


def test_the_network_needs_a_key(capsys, tmp_path):
    assert main(["serve", "--model", str(tmp_path / "m.gguf"), "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "error: Listening on the network needs an API key" in err
    assert "note: give the key with --api-key-env VAR" in err
    assert (
        main(["serve", "--model", "m.gguf", "--host", "0.0.0.0", "--api-key-env", "NO_SUCH_VAR"])
        == 2
    )
    assert "the environment variable NO_SUCH_VAR is not set or is empty" in capsys.readouterr().err


def test_a_missing_model_is_one_line(capsys, tmp_path):
    assert main(["serve", "--model", str(tmp_path / "none.gguf"), "--port", "0"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")


def test_refusals_in_chinese(capsys, tmp_path):
    model = str(tmp_path / "m.gguf")
    assert main(["--lang", "zh_CN", "serve", "--model", model, "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "错误" in err and "API 密钥" in err
