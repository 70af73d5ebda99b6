"""The conversation database with two writers at once: the window's store, held open in this
process while a reply streams into it, and a ``workbench chat`` run in another process (SQLite's
WAL mode and busy timeout are what make this work; this test keeps it so)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from workbench.core.backend import Stats, TextDelta
from workbench.core.chat import send_message
from workbench.core.local.host import LocalBackend
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.store import Store


def test_window_and_command_line_write_their_replies_at_once(test_model, workbench_home):
    backend = LocalBackend(test_model, LoadOptions(context_length=1024, seed=3))
    backend.load()
    store = Store()  # held open for the whole test, as the window holds it
    proc = None
    try:
        window_chat = store.create_conversation("Window chat")
        reply = send_message(
            store,
            backend,
            window_chat.id,
            "Write a long story about a lighthouse keeper.",
            SamplingParams(max_tokens=160, seed=3, temperature=0.8),
        )
        events = iter(reply)
        streamed: list[str] = []
        for event in events:  # the reply is streaming and saved as it grows
            if isinstance(event, TextDelta):
                streamed.append(event.text)
                if len(streamed) >= 3:
                    break

        env = os.environ.copy()
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "workbench",
                "chat",
                "--model",
                str(test_model),
                "--prompt",
                "Name three colours.",
                "--max-tokens",
                "48",
                "--seed",
                "1",
                "--ctx",
                "1024",
                "--threads",
                "1",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        first_output = threading.Event()
        out_chunks: list[bytes] = []

        def read_stdout() -> None:
            while chunk := proc.stdout.read1(4096):
                out_chunks.append(chunk)
                first_output.set()

        reader = threading.Thread(target=read_stdout, daemon=True)
        reader.start()
        # The command line streams (and saves) its reply while this one is still open …
        assert first_output.wait(120), proc.stderr.read().decode()
        saved_while_open = store.messages(window_chat.id)[1]
        assert saved_while_open.state == "streaming"
        # … and this reply goes on saving while the other process writes its own.
        finished = False
        for event in events:
            if isinstance(event, TextDelta):
                streamed.append(event.text)
                if proc.poll() is None:
                    time.sleep(0.02)
            elif isinstance(event, Stats):
                finished = True
        assert finished
        stderr = proc.communicate(timeout=120)[1].decode()
        reader.join(10)
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr and "busy" not in stderr
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        backend.unload()

    try:
        cli_out = b"".join(out_chunks).decode()
        chats = {c.title: c for c in store.list_conversations()}
        assert len(chats) == 2 and "Window chat" in chats
        mine = store.messages(window_chat.id)
        assert [m.role for m in mine] == ["user", "assistant"]
        assert mine[1].state == "complete" and mine[1].content == "".join(streamed)
        (other,) = [c for c in chats.values() if c.id != window_chat.id]
        theirs = store.messages(other.id)
        assert [m.role for m in theirs] == ["user", "assistant"]
        assert theirs[0].content == "Name three colours."
        assert theirs[1].state == "complete"
        assert theirs[1].content.strip() == cli_out.strip() != ""
    finally:
        store.close()
