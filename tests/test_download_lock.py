"""One writer per partial file, across threads and processes (issue 13).

Real processes (``python -m workbench download``), the window's DownloadManager in this process
and a real HTTP server on 127.0.0.1 (FakeHub). The first download is held mid-body by the server
(``hold_after``) for as long as the test needs, so the second one overlaps it for certain
instead of racing a clock.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hubserver import FakeHub
from huggingface_hub import hf_hub_url

from workbench.core.downloads import DownloadFile, DownloadManager, FileTransfer, TransferError
from workbench.core.downloads.partlock import PartLock, lock_path, remove_partial

MB = 2**20
REPO = "lock-tests/Model-GGUF"
NAME = "model-Q4_0.gguf"
KEY = f"{REPO}/{NAME}"
DATA = hashlib.sha256(b"lock").digest() * (6 * MB // 32) + os.urandom(777)
SHA = hashlib.sha256(DATA).hexdigest()
WAITING = "waiting for another download"


def wait_for(predicate, timeout: float = 60.0, what: str = "condition") -> None:
    """Poll until ``predicate()`` is true; fails the test (does not measure) past ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached")
        time.sleep(0.02)


@pytest.fixture
def hub():
    with FakeHub() as server:
        server.add_repo(REPO, {NAME: DATA})
        yield server


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "models"
    path.mkdir()
    return path


class Cli:
    """``workbench download`` in a child process; its stderr is collected as it arrives."""

    def __init__(self, hub: FakeHub, folder: Path) -> None:
        # WORKBENCH_HOME comes from the autouse fixture, through the inherited environment.
        argv = ["download", REPO, NAME, "--to", str(folder), "--endpoint", hub.url]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workbench", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.err: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.err.append(line)

    def said(self, text: str) -> bool:
        return any(text in line for line in self.err)

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        out = self.proc.stdout.read()
        code = self.proc.wait(timeout)
        self._reader.join(timeout)
        return code, out, "".join(self.err)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # SIGKILL: no finally block, no cleanup runs
        self.proc.wait(30)


@pytest.fixture
def cli(hub, folder):
    started: list[Cli] = []

    def start() -> Cli:
        started.append(Cli(hub, folder))
        return started[-1]

    yield start
    for proc in started:
        proc.kill()


@pytest.fixture
def manager(tmp_path, hub):
    made = DownloadManager(
        tmp_path / "downloads.json", endpoint=lambda: hub.url, token=lambda: None
    )
    made.start()
    yield made
    made.shutdown(timeout=10)


def assert_exact_and_clean(folder: Path) -> None:
    data = (folder / NAME).read_bytes()
    assert len(data) == len(DATA) and hashlib.sha256(data).hexdigest() == SHA
    assert sorted(p.name for p in folder.iterdir()) == [NAME]  # no .part, no lock file left


def held_mid_transfer(hub: FakeHub, n_bytes: int = 2 * MB) -> threading.Event:
    """Hold the next download of the file after ``n_bytes``; the returned event lets it go."""
    return hub.hold_after(KEY, n_bytes)


def wait_until_held(hub: FakeHub, folder: Path, n_bytes: int = 2 * MB) -> None:
    wait_for(lambda: hub.body_bytes_sent(KEY) >= n_bytes, what="the first download held")
    assert lock_path(folder / NAME).exists()


# -- two processes -----------------------------------------------------------------------------


def test_two_processes_download_the_same_file_once(hub, folder, cli):
    release = held_mid_transfer(hub)
    first = cli()
    wait_until_held(hub, folder)
    second = cli()
    wait_for(lambda: second.said(WAITING), what="the second download waiting")
    assert second.proc.poll() is None  # it waits instead of writing or failing
    release.set()

    code1, out1, err1 = first.finish()
    code2, out2, err2 = second.finish()
    assert code1 == 0, err1
    assert code2 == 0, err2
    assert out1.strip() == out2.strip() == str(folder / NAME)
    assert "already downloaded" in err2 and "already downloaded" not in err1
    assert_exact_and_clean(folder)
    assert hub.body_bytes_sent(KEY) == len(DATA)  # exactly one transfer fetched (and wrote)


def test_no_process_reports_success_over_a_bad_file(hub, folder, cli):
    hub.tamper(KEY, DATA[:-4] + b"XXXX")
    release = held_mid_transfer(hub)
    first = cli()
    wait_until_held(hub, folder)
    second = cli()
    wait_for(lambda: second.said(WAITING), what="the second download waiting")
    release.set()

    for proc in (first, second):
        code, out, err = proc.finish()
        assert code == 1 and out == ""
        assert "checksum" in err and "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_a_downloader_killed_mid_transfer_is_resumed_by_the_next_run(hub, folder, cli):
    release = held_mid_transfer(hub, n_bytes=3 * MB)
    victim = cli()
    wait_until_held(hub, folder, 3 * MB)
    part = folder / (NAME + ".part")
    # Reads are at most 1 MiB, so at least 2 MiB of the 3 sent reach the .part.
    wait_for(lambda: part.exists() and part.stat().st_size >= 2 * MB, what="bytes on disk")
    victim.kill()
    release.set()
    kept = part.stat().st_size
    assert 0 < kept < len(DATA)
    assert DATA.startswith(part.read_bytes())
    hub.reset_log()

    code, out, err = cli().finish()
    assert code == 0, err
    assert out.strip() == str(folder / NAME)
    ranges = [r.headers.get("range") for r in hub.requests if r.file == KEY]
    assert f"bytes={kept}-" in ranges  # it resumed from the partial file: it did not start over
    assert hub.body_bytes_sent(KEY) == len(DATA) - kept
    assert_exact_and_clean(folder)


# -- the window and the command line -----------------------------------------------------------


def add_job(manager: DownloadManager, folder: Path) -> str:
    return manager.add(REPO, [DownloadFile(NAME, len(DATA), SHA)], revision=None, dest_dir=folder)


def test_the_command_line_waits_for_the_window_then_finds_the_file(hub, folder, cli, manager):
    release = held_mid_transfer(hub)
    job = add_job(manager, folder)
    wait_until_held(hub, folder)
    proc = cli()
    wait_for(lambda: proc.said(WAITING), what="the command line waiting")
    release.set()

    code, out, err = proc.finish()
    assert code == 0, err
    assert "already downloaded" in err and out.strip() == str(folder / NAME)
    wait_for(lambda: manager.job(job).state == "done", what="the window's job done")
    assert_exact_and_clean(folder)
    assert hub.body_bytes_sent(KEY) == len(DATA)


def test_the_window_waits_for_the_command_line_then_finds_the_file(hub, folder, cli, manager):
    release = held_mid_transfer(hub)
    proc = cli()
    wait_until_held(hub, folder)
    job = add_job(manager, folder)
    wait_for(lambda: manager.job(job).waiting, what="the window's job waiting")
    snapshot = manager.job(job)
    assert snapshot.state == "running" and snapshot.done_bytes > 0  # the other one's progress
    release.set()

    code, _out, err = proc.finish()
    assert code == 0, err
    assert "already downloaded" not in err
    wait_for(lambda: manager.job(job).state == "done", what="the window's job done")
    assert not manager.job(job).waiting
    assert_exact_and_clean(folder)
    assert hub.body_bytes_sent(KEY) == len(DATA)


def test_cancelling_a_waiting_job_leaves_the_other_download_alone(hub, folder, cli, manager):
    release = held_mid_transfer(hub)
    proc = cli()
    wait_until_held(hub, folder)
    job = add_job(manager, folder)
    wait_for(lambda: manager.job(job).waiting, what="the window's job waiting")
    manager.cancel(job)  # removing "its" partial file would pull the file from under the other
    wait_for(lambda: manager.job(job).state == "cancelled", timeout=5, what="a prompt cancel")
    assert (folder / (NAME + ".part")).exists()
    release.set()

    code, _out, err = proc.finish()
    assert code == 0, err
    assert_exact_and_clean(folder)


# -- in one process ----------------------------------------------------------------------------


def transfer(hub: FakeHub, folder: Path, **kwargs) -> FileTransfer:
    url = hf_hub_url(REPO, NAME, endpoint=hub.url)
    return FileTransfer(url, folder / NAME, size=len(DATA), sha256=SHA, backoff=0.01, **kwargs)


def run_in_thread(t: FileTransfer) -> dict:
    result: dict = {}

    def work() -> None:
        try:
            result["path"] = t.run()
        except TransferError as exc:
            result["error"] = exc

    result["thread"] = threading.Thread(target=work, daemon=True)
    result["thread"].start()
    return result


def test_two_transfers_in_one_process_write_once(hub, folder):
    release = held_mid_transfer(hub)
    phases: list[str] = []
    first = run_in_thread(transfer(hub, folder))
    wait_until_held(hub, folder)
    second_transfer = transfer(hub, folder, on_progress=lambda p: phases.append(p.phase))
    second = run_in_thread(second_transfer)
    wait_for(lambda: "waiting" in phases, what="the second transfer waiting")
    release.set()
    for result in (first, second):
        result["thread"].join(60)
        assert result.get("path") == folder / NAME, result.get("error")
    assert second_transfer.waited and second_transfer.already_downloaded
    assert second_transfer.bytes_received == 0
    assert_exact_and_clean(folder)
    assert hub.body_bytes_sent(KEY) == len(DATA)


@pytest.mark.parametrize("how", ["cancel", "pause"])
def test_a_waiting_transfer_stops_at_once_and_keeps_the_others_partial(hub, folder, how):
    release = held_mid_transfer(hub)
    first = run_in_thread(transfer(hub, folder))
    wait_until_held(hub, folder)
    waiting = transfer(hub, folder)
    second = run_in_thread(waiting)
    wait_for(lambda: waiting.waited, what="the second transfer waiting")
    getattr(waiting, how)()
    second["thread"].join(5)
    assert not second["thread"].is_alive()
    assert second["error"].kind == {"cancel": "cancelled", "pause": "paused"}[how]
    assert (folder / (NAME + ".part")).exists()
    release.set()
    first["thread"].join(60)
    assert first.get("path") == folder / NAME, first.get("error")
    assert_exact_and_clean(folder)


def test_a_second_transfer_after_the_first_failed_resumes_its_partial(hub, folder):
    hub.drop_after(KEY, 2 * MB)
    failed = transfer(hub, folder, retries=0)
    with pytest.raises(TransferError) as info:
        failed.run()
    assert info.value.kind == "network"
    kept = (folder / (NAME + ".part")).stat().st_size
    assert kept > 0
    hub.reset_log()
    assert transfer(hub, folder).run() == folder / NAME
    assert hub.body_bytes_sent(KEY) == len(DATA) - kept
    assert_exact_and_clean(folder)


def test_bytes_written_behind_the_locks_back_fail_the_check(hub, folder):
    """Whatever wrote into the .part besides the transfer (a program that ignores the lock), the
    file renamed into place must be what was hashed: here it is not, so it is discarded."""
    release = held_mid_transfer(hub)
    result = run_in_thread(transfer(hub, folder))
    wait_until_held(hub, folder)
    part = folder / (NAME + ".part")
    wait_for(lambda: part.exists() and part.stat().st_size > 0, what="bytes on disk")
    with open(part, "ab") as intruder:
        intruder.write(b"not from the Hub")
    release.set()
    result["thread"].join(60)
    assert result["error"].kind == "hash_mismatch" and "checksum" in str(result["error"])
    assert list(folder.iterdir()) == []


def test_a_bad_file_in_place_is_replaced_not_reported_as_downloaded(hub, folder):
    (folder / NAME).write_bytes(DATA[:-1] + b"\0")  # the right size, the wrong bytes
    t = transfer(hub, folder)
    assert t.run() == folder / NAME
    assert not t.already_downloaded
    assert_exact_and_clean(folder)


# -- the lock itself ---------------------------------------------------------------------------


def test_the_lock_excludes_a_second_holder_and_removes_its_file(folder):
    dest = folder / NAME
    first, second = PartLock(dest), PartLock(dest)
    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert not lock_path(dest).exists()
    assert second.try_acquire()
    second.release()


def test_a_lock_file_left_by_a_dead_process_is_taken(folder):
    dest = folder / NAME
    lock_path(dest).write_text("")  # what a killed downloader leaves: a file, no holder
    lock = PartLock(dest)
    assert lock.try_acquire()
    lock.release()
    assert not lock_path(dest).exists()


def test_remove_partial_leaves_a_part_that_is_being_written(folder):
    dest = folder / NAME
    part = folder / (NAME + ".part")
    part.write_bytes(b"x")
    holder = PartLock(dest)
    assert holder.try_acquire()
    assert not remove_partial(dest)
    assert part.exists()
    holder.release()
    assert remove_partial(dest)
    assert not part.exists() and not lock_path(dest).exists()
