"""``workbench --selftest``: one JSON report on stdout, exit 0 only when every check passed."""

from __future__ import annotations

import json
import os
import subprocess
import sys


def run_selftest(*args: str, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # it must set its own
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "--selftest", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=cwd,
    )
    return result.returncode, json.loads(result.stdout), result.stderr


def test_selftest_with_the_model_passes(test_model, tmp_path, workbench_home):
    code, report, err = run_selftest("--model", str(test_model), cwd=tmp_path)
    assert code == 0, err
    assert report["ok"] is True and report["frozen"] is False
    checks = {c["name"]: c for c in report["checks"]}
    assert set(checks) == {"window", "llama_cpp", "keychain", "server", "generate"}
    assert checks["server"]["ok"] and checks["server"]["status"] == 200
    assert "CPU" in checks["llama_cpp"]["backends"]
    assert checks["llama_cpp"]["gpu_offload"] in (True, False)
    assert checks["keychain"]["backend"]
    assert checks["generate"]["completion_tokens"] > 0 and checks["generate"]["text"]
    # It ran in a throwaway data folder: no chats, settings or downloads of the user's are
    # touched; only the log records that a self-test ran.
    assert [p.name for p in workbench_home.iterdir()] in ([], ["logs"])


def test_selftest_fails_with_a_broken_model(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_text("<html>not a model</html>")
    code, report, _err = run_selftest("--model", str(bad))
    assert code == 1 and report["ok"] is False
    generate = next(c for c in report["checks"] if c["name"] == "generate")
    assert generate["ok"] is False and "web page" in generate["error"].lower()
    assert all(c["ok"] for c in report["checks"] if c["name"] != "generate")
