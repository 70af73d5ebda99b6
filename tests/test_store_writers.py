"""A window starting beside a live ``workbench chat`` must not call its reply interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from workbench.core.store import Store

WRITER = textwrap.dedent(
    """
    import sys, time
    from workbench.core.store import Store, ReplyRecorder
    store = Store(sys.argv[1])
    conv = store.create_conversation()
    store.add_message(conv.id, "user", "hello")
    rec = ReplyRecorder(store, conv.id)
    rec.add_text("still writing")
    rec.flush()
    print(rec.message_id, flush=True)
    time.sleep(120)
    """
)


def test_a_live_writers_reply_is_not_recovered_and_a_dead_ones_is(tmp_path):
    path = tmp_path / "chats.sqlite3"
    Store(path).close()
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        message_id = int(writer.stdout.readline())
        with Store(path) as store:
            # The other process lives: its reply is being written, not interrupted.
            assert store.recover_interrupted() == 0
            assert store.get_message(message_id).state == "streaming"

            os.kill(writer.pid, signal.SIGKILL)
            writer.wait(timeout=30)
            deadline = time.monotonic() + 10
            recovered = 0
            while not recovered and time.monotonic() < deadline:
                recovered = store.recover_interrupted()  # the OS frees the lock at exit
            assert recovered == 1
            message = store.get_message(message_id)
            assert (message.state, message.content) == ("interrupted", "still writing")
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait(timeout=30)
