"""llama-cpp-python's own OpenAI-compatible server, serving the real test model, for tests.

The ``llama_server`` fixture (session-scoped) starts ``python -m llama_cpp.server`` as a child
process on a free loopback port with the model alias ``smollm2`` and yields its base URL,
``http://127.0.0.1:PORT/v1``. Readiness is decided by polling ``GET /v1/models``; the server's
own output goes to a log file whose tail is shown if it fails to start.

Use it with ``from llamaserver import llama_server`` in a test module.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

MODEL_ALIAS = "smollm2"
READY_TIMEOUT_S = 60.0
N_CTX = 2048

# The server's settings class also reads environment variables (MODEL, PORT, HOST, API_KEY …):
# those of the machine running the tests must not change what is started.
_SETTINGS_ENV = (
    "MODEL",
    "MODEL_ALIAS",
    "HOST",
    "PORT",
    "API_KEY",
    "CONFIG_FILE",
    "N_CTX",
    "N_GPU_LAYERS",
    "VERBOSE",
    "INTERRUPT_REQUESTS",
)


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _models_ready(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/models", timeout=2) as resp:
            data = json.loads(resp.read())
        return any(m.get("id") == MODEL_ALIAS for m in data.get("data", []))
    except (OSError, ValueError, urllib.error.URLError):
        return False


class LlamaServer:
    """One ``llama_cpp.server`` child process; ``start()`` blocks until it answers."""

    def __init__(self, model: Path, *, alias: str = MODEL_ALIAS, n_ctx: int = N_CTX) -> None:
        self.model = Path(model)
        self.alias = alias
        self.n_ctx = n_ctx
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._proc: subprocess.Popen | None = None
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the child
            prefix="llama-server-", suffix=".log", delete=False
        )

    def start(self, timeout: float = READY_TIMEOUT_S) -> None:
        env = {k: v for k, v in os.environ.items() if k.upper() not in _SETTINGS_ENV}
        cmd = [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.model),
            "--model_alias",
            self.alias,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.n_ctx),
            # CPU only and quiet: the tests share a small machine and read no server output.
            "--n_gpu_layers",
            "0",
            "--verbose",
            "false",
        ]
        self._proc = subprocess.Popen(
            cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(
                    f"llama_cpp.server exited with code {self._proc.returncode}:\n{self.log_tail()}"
                )
            if _models_ready(self.base_url):
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"llama_cpp.server did not answer within {timeout} s:\n{self.log_tail()}"
        )

    def log_tail(self, chars: int = 3000) -> str:
        self._log.flush()
        try:
            return Path(self._log.name).read_text("utf-8", "replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        self._log.close()
        with contextlib.suppress(OSError):
            os.unlink(self._log.name)


@pytest.fixture(scope="session")
def llama_server(test_model) -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT/v1``) of a running llama_cpp.server with the test model."""
    server = LlamaServer(test_model)
    try:
        server.start()
        yield server.base_url
    finally:
        server.stop()
