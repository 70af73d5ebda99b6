"""One window per data folder, with real app processes (``python -m workbench``, offscreen).

A window says in its data folder's log when it answers second starts; the tests wait for that
line, then start more processes and watch what the first window did (its log, its state.json).
Every wait is bounded and every process started here is killed in a ``finally``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.qt.single_instance import LOCK_FILE_NAME, Claim, SingleInstance, server_name

ANSWERING = "workbench.qt.single_instance: the window over"
ASKED = "workbench.qt.single_instance: a second start asked for the window"


def app_env(home: Path) -> dict[str, str]:
    return dict(os.environ, WORKBENCH_HOME=str(home), QT_QPA_PLATFORM="offscreen")


def log_text(home: Path) -> str:
    try:
        return (home / "logs" / "workbench.log").read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""


class Window:
    """A ``workbench`` window process over one data folder."""

    def __init__(self, home: Path, tmp_path: Path) -> None:
        self.home = home
        self.stderr_path = tmp_path / f"window-{time.monotonic_ns()}.err"
        with open(self.stderr_path, "wb") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "workbench"],
                env=app_env(home),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )

    def wait_answering(self, timeout: float = 90) -> None:
        """Until this process logs that it answers second starts (it fails if it exits)."""
        deadline = time.monotonic() + timeout
        line = f" {self.proc.pid} {ANSWERING}"
        while line not in log_text(self.home):
            if self.proc.poll() is not None:
                pytest.fail(f"the window exited with {self.proc.returncode}: {self.stderr()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the window did not start listening: {self.stderr()}")
            time.sleep(0.1)

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)


def workbench(home: Path, *args: str, cwd: Path | None = None, timeout: float = 60):
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        env=app_env(home),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.1)


def saved_model(home: Path) -> str | None:
    try:
        state = json.loads((home / "state.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return (state.get("panel") or {}).get("model_path")


# --- the guard in this process -------------------------------------------------------------------


def test_server_name_is_short_and_one_per_folder(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    assert server_name(a) == server_name(tmp_path / "b" / ".." / "a")
    assert server_name(a) != server_name(b)
    assert len(server_name(a)) <= 32


def test_a_held_lock_without_an_answer_is_no_answer(workbench_home):
    first = SingleInstance(workbench_home)
    assert first.claim() is Claim.OWNED
    try:
        # The holder (this very process) is alive but never listens.
        assert SingleInstance(workbench_home).claim("m.gguf", timeout=0.5) is Claim.NO_ANSWER
        assert SingleInstance(workbench_home).owner_pid() == os.getpid()
    finally:
        first.release()
    assert not (workbench_home / LOCK_FILE_NAME).exists()
    assert SingleInstance(workbench_home).claim() is Claim.OWNED


# --- real app processes --------------------------------------------------------------------------


def test_second_start_hands_its_model_to_the_first_window_and_exits(
    tmp_path, workbench_home, test_model
):
    first = Window(workbench_home, tmp_path)
    try:
        first.wait_answering()
        # A relative path, from another folder than the window's: it means the same file.
        second = workbench(workbench_home, "--model", test_model.name, cwd=test_model.parent)
        assert second.returncode == 0, second.stderr
        assert second.stdout == "" and second.stderr == ""
        assert f"{ASKED} (model: {os.path.abspath(test_model)})" in log_text(workbench_home)
        # The first window chose the model in its chat page (and saved it as its state).
        wait_for(lambda: saved_model(workbench_home) == os.path.abspath(test_model))
        assert first.proc.poll() is None
        # Only one window ever listened over this folder.
        assert log_text(workbench_home).count(ANSWERING) == 1
    finally:
        first.kill()


def test_a_lock_left_by_a_killed_window_is_taken_over(tmp_path, workbench_home):
    first = Window(workbench_home, tmp_path)
    try:
        first.wait_answering()
        first.proc.kill()  # SIGKILL: no chance to clean up
        first.proc.wait(timeout=30)
        assert (workbench_home / LOCK_FILE_NAME).exists()  # nothing cleaned up after itself
    finally:
        first.kill()
    again = Window(workbench_home, tmp_path)
    try:
        again.wait_answering()
        # ...and it is the window of this folder now: a further start comes to it.
        third = workbench(workbench_home)
        assert third.returncode == 0, third.stderr
        wait_for(lambda: log_text(workbench_home).count(ASKED) == 1)
        assert again.proc.poll() is None
    finally:
        again.kill()


def test_windows_over_different_folders_run_side_by_side(tmp_path, workbench_home, test_model):
    other_home = tmp_path / "other-home"
    other_home.mkdir()
    one, two = Window(workbench_home, tmp_path), Window(other_home, tmp_path)
    try:
        one.wait_answering()
        two.wait_answering()
        second = workbench(other_home, "--model", str(test_model))
        assert second.returncode == 0, second.stderr
        wait_for(lambda: saved_model(other_home) == str(test_model))
        assert ASKED in log_text(other_home) and ASKED not in log_text(workbench_home)
        assert one.proc.poll() is None and two.proc.poll() is None
    finally:
        one.kill()
        two.kill()


def test_the_command_line_and_the_selftest_work_while_the_window_runs(
    tmp_path, workbench_home, test_model
):
    window = Window(workbench_home, tmp_path)
    try:
        window.wait_answering()
        info = workbench(workbench_home, "info", str(test_model))
        assert info.returncode == 0, info.stderr
        assert "llama" in info.stdout
        env = {k: v for k, v in app_env(workbench_home).items() if k != "QT_QPA_PLATFORM"}
        selftest = subprocess.run(
            [sys.executable, "-m", "workbench", "--selftest"],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert selftest.returncode == 0, selftest.stderr
        assert json.loads(selftest.stdout)["ok"] is True
        assert window.proc.poll() is None
        assert ASKED not in log_text(workbench_home)
    finally:
        window.kill()


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs SIGSTOP to hang a window")
def test_a_window_that_does_not_answer_is_not_joined_by_a_second_one(tmp_path, workbench_home):
    window = Window(workbench_home, tmp_path)
    try:
        window.wait_answering()
        os.kill(window.proc.pid, signal.SIGSTOP)
        second = workbench(workbench_home)
        assert second.returncode == 1
        (line,) = second.stderr.strip().splitlines()
        assert "does not answer" in line and str(window.proc.pid) in line
        assert log_text(workbench_home).count(ANSWERING) == 1
    finally:
        if window.proc.poll() is None:
            os.kill(window.proc.pid, signal.SIGCONT)
        window.kill()


def test_a_lock_naming_a_later_process_is_taken_over(workbench_home):
    """After a crash the lock's process number may belong to a newer process by now."""
    first = SingleInstance(workbench_home)
    assert first.claim() is Claim.OWNED
    lock = workbench_home / LOCK_FILE_NAME
    # A lock file as a crash leaves it (no process has it open), naming this live process but
    # dated before it started.
    content = lock.read_bytes()
    first.release()
    lock.write_bytes(content)
    old = time.time() - 3600
    os.utime(lock, (old, old))
    second = SingleInstance(workbench_home)
    try:
        assert second.claim(timeout=0.5) is Claim.OWNED
    finally:
        second.release()
