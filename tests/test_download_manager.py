"""DownloadManager against a real HTTP server on 127.0.0.1 (FakeHub): queue, restart, controls."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
import time
from pathlib import Path

import hubserver
import pytest
from hubserver import FakeHub, fake_hub  # noqa: F401 - a fixture

from workbench.core.downloads import (
    DownloadFile,
    DownloadManager,
    FileTransfer,
    JobSnapshot,
    UnsafePathError,
)

MB = 2**20


def blob(n: int, seed: int) -> bytes:
    return hashlib.sha256(str(seed).encode()).digest() * (n // 32) + os.urandom(n % 32)


def spec(path: str, data: bytes) -> DownloadFile:
    return DownloadFile(path, len(data), hashlib.sha256(data).hexdigest())


def wait_for(predicate, timeout: float = 60.0) -> None:
    """Poll until ``predicate()`` is true; fails the test (does not measure) past ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.01)


class Harness:
    """A manager on a state file, recording callbacks; made again to simulate a restart."""

    def __init__(self, tmp_path: Path, hub, **kwargs) -> None:
        self.state_path = tmp_path / "downloads.json"
        self.dest = tmp_path / "models"
        self.hub = hub
        self.token: str | None = hubserver.DEFAULT_TOKEN
        self.finished: list[JobSnapshot] = []
        self.changes: list[JobSnapshot] = []
        self.on_change_hook = None
        self.kwargs = kwargs
        self.managers: list[DownloadManager] = []
        self.manager = self.new()

    def new(self) -> DownloadManager:
        kwargs = {
            "transfer_factory": functools.partial(FileTransfer, backoff=0.01, max_backoff=0.05),
            **self.kwargs,
        }
        manager = DownloadManager(
            self.state_path,
            endpoint=lambda: self.hub.url,
            token=lambda: self.token,
            on_change=self._changed,
            on_finished=self.finished.append,
            **kwargs,
        )
        self.managers.append(manager)
        return manager

    def _changed(self, snapshot: JobSnapshot) -> None:
        self.changes.append(snapshot)
        if self.on_change_hook is not None:
            self.on_change_hook(snapshot)

    def job(self, job_id: str, manager: DownloadManager | None = None) -> JobSnapshot:
        return (manager or self.manager).job(job_id)

    def wait_state(self, job_id: str, *states: str, manager=None) -> JobSnapshot:
        wait_for(lambda: self.job(job_id, manager).state in states)
        return self.job(job_id, manager)

    def close(self) -> None:
        for manager in self.managers:
            manager.shutdown(timeout=10)


@pytest.fixture
def harness(tmp_path, fake_hub):  # noqa: F811 - the imported fixture
    h = Harness(tmp_path, fake_hub)
    yield h
    h.close()


def test_runs_at_most_two_jobs_at_a_time(harness, fake_hub):  # noqa: F811
    fake_hub.throttle_bps = 4 * MB
    datas = {f"owner/m{i}": blob(MB, i) for i in range(3)}
    for repo, data in datas.items():
        fake_hub.add_repo(repo, {"m.gguf": data})
    most = [0]
    manager = harness.manager

    def count(_snapshot) -> None:
        running = sum(j.state in ("running", "verifying") for j in manager.jobs())
        most[0] = max(most[0], running)

    harness.on_change_hook = count
    ids = [
        manager.add(repo, [spec("m.gguf", data)], revision=None, dest_dir=harness.dest / repo)
        for repo, data in datas.items()
    ]
    assert [manager.job(i).state for i in ids] == ["queued"] * 3  # nothing runs before start()

    manager.start()
    for job_id in ids:
        harness.wait_state(job_id, "done")

    wait_for(lambda: len(harness.finished) == 3)  # on_finished comes just after "done"
    assert most[0] == 2
    for repo, data in datas.items():
        assert (harness.dest / repo / "m.gguf").read_bytes() == data
    assert sorted(s.id for s in harness.finished) == sorted(ids)


def test_split_model_is_one_job_with_every_part(harness, fake_hub):  # noqa: F811
    parts = {f"Q4_K_M/model-0000{i}-of-00003.gguf": blob(MB // 2, i) for i in (1, 2, 3)}
    fake_hub.add_repo("owner/big-GGUF", {**parts, "README.md": b"hello"})
    manager = harness.manager
    manager.start()

    job_id = manager.add(
        "owner/big-GGUF",
        [spec(p, d) for p, d in parts.items()],
        revision="main",
        dest_dir=harness.dest,
    )
    done = harness.wait_state(job_id, "done")
    wait_for(lambda: harness.finished)  # called after the last on_change

    states = [c.state for c in harness.changes if c.id == job_id]
    assert states[0] == "queued" and "running" in states and states[-1] == "done"
    assert done.name == "model.gguf (3 parts)"
    assert done.done_bytes == done.total_bytes == sum(map(len, parts.values()))
    assert [p.parent for p in done.dest_paths] == [harness.dest / "Q4_K_M"] * 3
    for path, (name, data) in zip(done.dest_paths, parts.items(), strict=True):
        assert path.name == name.split("/")[-1]
        assert path.read_bytes() == data
    assert [s.dest_paths for s in harness.finished] == [done.dest_paths]
    assert not list(harness.dest.rglob("*.part"))
    # The parts were fetched one after another, in order (a retried request on a loaded
    # machine may repeat a part; the order of first fetches is what matters).
    cdn = [r.query["path"] for r in fake_hub.requests if r.path.startswith("/cdn/")]
    assert list(dict.fromkeys(cdn)) == list(parts)


def test_changes_arrive_in_order_when_saving_is_slow(tmp_path, fake_hub, monkeypatch):  # noqa: F811
    # add() saves the queue before it reports "queued"; meanwhile the worker it started can
    # already report progress. On a slow disk "running" (even "done") arrived before "queued".
    data = blob(MB // 4, 7)
    fake_hub.add_repo("owner/small-GGUF", {"m.gguf": data})
    h = Harness(tmp_path, fake_hub)
    real_save = DownloadManager._save
    slow = threading.Event()

    def slow_save(self) -> None:
        real_save(self)
        if slow.is_set() and threading.current_thread() is threading.main_thread():
            slow.clear()
            # A disk that takes until the worker has reported something.
            wait_for(lambda: any(c.done_bytes for c in h.changes), timeout=10)

    monkeypatch.setattr(DownloadManager, "_save", slow_save)
    try:
        h.manager.start()
        slow.set()
        job_id = h.manager.add(
            "owner/small-GGUF", [spec("m.gguf", data)], revision=None, dest_dir=h.dest
        )
        h.wait_state(job_id, "done")
        wait_for(lambda: h.finished)
    finally:
        h.close()
    states = [c.state for c in h.changes if c.id == job_id]
    assert states[0] == "queued" and states[-1] == "done", states
    done_bytes = [c.done_bytes for c in h.changes if c.id == job_id]
    assert done_bytes == sorted(done_bytes), done_bytes  # progress never goes back


def test_restart_resumes_from_the_part_file(harness, fake_hub):  # noqa: F811
    data = blob(4 * MB, 7)
    key = "owner/slow-GGUF/m.gguf"
    fake_hub.add_repo("owner/slow-GGUF", {"m.gguf": data})
    fake_hub.throttle_bps = 2 * MB
    first = harness.manager
    first.start()
    job_id = first.add(
        "owner/slow-GGUF", [spec("m.gguf", data)], revision=None, dest_dir=harness.dest
    )
    wait_for(lambda: first.job(job_id).done_bytes > MB)

    first.shutdown(timeout=10)

    part = harness.dest / "m.gguf.part"
    kept = part.stat().st_size
    assert 0 < kept < len(data)
    saved = json.loads(harness.state_path.read_text())
    assert [j["state"] for j in saved["jobs"]] == ["queued"]

    fake_hub.throttle_bps = None
    fake_hub.reset_log()
    second = harness.new()  # the app starts again
    restored = second.job(job_id)
    assert restored.state == "queued" and restored.done_bytes == kept
    second.start()
    harness.wait_state(job_id, "done", manager=second)

    assert (harness.dest / "m.gguf").read_bytes() == data
    assert fake_hub.body_bytes_sent(key) == len(data) - kept


def test_pause_resume_and_cancel(harness, fake_hub):  # noqa: F811
    a, b, c = blob(2 * MB, 1), blob(2 * MB, 2), blob(2 * MB, 3)
    fake_hub.add_repo("owner/a", {"a.gguf": a})
    fake_hub.add_repo("owner/b", {"b.gguf": b})
    fake_hub.add_repo("owner/c", {"c.gguf": c})
    fake_hub.throttle_bps = 2 * MB
    manager = harness.manager
    manager.start()
    dest = harness.dest
    ja = manager.add("owner/a", [spec("a.gguf", a)], revision=None, dest_dir=dest)
    jb = manager.add("owner/b", [spec("b.gguf", b)], revision=None, dest_dir=dest)
    jc = manager.add("owner/c", [spec("c.gguf", c)], revision=None, dest_dir=dest)
    wait_for(lambda: manager.job(ja).done_bytes > 0 and manager.job(jb).done_bytes > 0)

    manager.pause(ja)
    manager.cancel(jb)
    paused = harness.wait_state(ja, "paused")
    harness.wait_state(jb, "cancelled")
    harness.wait_state(jc, "running")  # the freed slots go to the next job
    manager.cancel(jc, remove_partial=False)
    harness.wait_state(jc, "cancelled")

    assert (dest / "a.gguf.part").stat().st_size == paused.done_bytes > 0
    assert not (dest / "b.gguf.part").exists() and not (dest / "b.gguf").exists()
    assert (dest / "c.gguf.part").exists()

    fake_hub.throttle_bps = None
    manager.resume(ja)
    harness.wait_state(ja, "done")
    assert (dest / "a.gguf").read_bytes() == a

    manager.retry(jc)  # a cancelled job can be started again, from the part it kept
    harness.wait_state(jc, "done")
    assert (dest / "c.gguf").read_bytes() == c
    wait_for(lambda: len(harness.finished) == 2)
    assert {s.id for s in harness.finished} == {ja, jc}


def test_pause_of_a_queued_job_and_states_after_restart(harness, fake_hub):  # noqa: F811
    data = blob(MB, 5)
    fake_hub.add_repo("owner/x", {"x.gguf": data})
    fake_hub.add_repo("owner/y", {"y.gguf": data})
    manager = harness.manager  # not started: jobs stay queued
    jx = manager.add("owner/x", [spec("x.gguf", data)], revision=None, dest_dir=harness.dest)
    jy = manager.add("owner/y", [spec("y.gguf", data)], revision=None, dest_dir=harness.dest)
    manager.pause(jx)
    manager.start()
    harness.wait_state(jy, "done")
    manager.shutdown()

    again = harness.new()
    assert [(j.id, j.state) for j in again.jobs()] == [(jx, "paused"), (jy, "done")]
    again.start()
    again.remove(jy)
    with pytest.raises(ValueError):
        again.remove(jx)  # still in the queue
    assert [j.id for j in again.jobs()] == [jx]
    assert [j["id"] for j in json.loads(harness.state_path.read_text())["jobs"]] == [jx]
    assert again.job(jx).state == "paused"


def test_failed_job_can_be_retried(tmp_path, fake_hub):  # noqa: F811
    harness = Harness(
        tmp_path, fake_hub, transfer_factory=functools.partial(FileTransfer, retries=1, backoff=0)
    )
    try:
        data = blob(MB, 9)
        fake_hub.add_repo("owner/flaky", {"f.gguf": data})
        fake_hub.fail_next("owner/flaky/f.gguf", 503, times=2)
        manager = harness.manager
        manager.start()
        job_id = manager.add(
            "owner/flaky", [spec("f.gguf", data)], revision=None, dest_dir=tmp_path
        )

        failed = harness.wait_state(job_id, "failed")
        assert failed.error_kind == "server"
        assert "f.gguf" in failed.error and "\n" not in failed.error
        assert harness.finished == []

        manager.retry(job_id)
        done = harness.wait_state(job_id, "done")
        assert done.error is None
        assert (tmp_path / "f.gguf").read_bytes() == data
    finally:
        harness.close()


def test_checksum_mismatch_fails_and_discards(harness, fake_hub):  # noqa: F811
    data = blob(MB, 11)
    fake_hub.add_repo("owner/bad", {"b.gguf": data})
    fake_hub.tamper("owner/bad/b.gguf", blob(MB, 12))
    manager = harness.manager
    manager.start()
    job_id = manager.add("owner/bad", [spec("b.gguf", data)], revision=None, dest_dir=harness.dest)

    failed = harness.wait_state(job_id, "failed")

    assert failed.error_kind == "hash_mismatch"
    assert "did not match the Hub's checksum; the file was discarded" in failed.error
    assert list(harness.dest.iterdir()) == []


def test_gated_repository_uses_the_token_read_at_start(harness, fake_hub):  # noqa: F811
    data = blob(MB, 13)
    fake_hub.add_repo("org/gated", {"g.gguf": data}, gated="manual")
    manager = harness.manager
    manager.start()
    harness.token = None
    job_id = manager.add("org/gated", [spec("g.gguf", data)], revision=None, dest_dir=harness.dest)

    failed = harness.wait_state(job_id, "failed")
    assert failed.error_kind == "gated"

    harness.token = hubserver.DEFAULT_TOKEN  # the user adds a token in Settings
    manager.retry(job_id)
    harness.wait_state(job_id, "done")
    assert (harness.dest / "g.gguf").read_bytes() == data


def test_endpoint_change_applies_to_the_next_job(harness, fake_hub):  # noqa: F811
    data = blob(MB, 17)
    fake_hub.add_repo("owner/m", {"one.gguf": data, "two.gguf": data})
    with FakeHub() as mirror:
        mirror.add_repo("owner/m", {"one.gguf": data, "two.gguf": data})
        manager = harness.manager
        manager.start()
        first = manager.add(
            "owner/m", [spec("one.gguf", data)], revision=None, dest_dir=harness.dest
        )
        harness.wait_state(first, "done")

        harness.hub = mirror  # the endpoint setting changes; no restart
        second = manager.add(
            "owner/m", [spec("two.gguf", data)], revision=None, dest_dir=harness.dest
        )
        harness.wait_state(second, "done")

        assert {r.file for r in fake_hub.requests} == {"owner/m/one.gguf"}
        assert {r.file for r in mirror.requests} == {"owner/m/two.gguf"}


def test_a_file_already_present_and_verified_finishes_without_downloading(harness, fake_hub):  # noqa: F811
    data = blob(MB, 19)
    fake_hub.add_repo("owner/m", {"m.gguf": data})
    harness.dest.mkdir()
    (harness.dest / "m.gguf").write_bytes(data)
    manager = harness.manager
    manager.start()

    job_id = manager.add("owner/m", [spec("m.gguf", data)], revision=None, dest_dir=harness.dest)
    harness.wait_state(job_id, "done")

    wait_for(lambda: harness.finished)
    assert fake_hub.requests == []
    assert [s.id for s in harness.finished] == [job_id]


def test_a_different_file_in_the_way_is_replaced(harness, fake_hub):  # noqa: F811
    data = blob(MB, 23)
    fake_hub.add_repo("owner/m", {"m.gguf": data})
    harness.dest.mkdir()
    (harness.dest / "m.gguf").write_bytes(blob(MB, 24))  # same size, other bytes
    manager = harness.manager
    manager.start()

    job_id = manager.add("owner/m", [spec("m.gguf", data)], revision=None, dest_dir=harness.dest)
    harness.wait_state(job_id, "done")

    assert (harness.dest / "m.gguf").read_bytes() == data


def test_unsafe_path_refuses_the_whole_job_before_writing(harness, fake_hub):  # noqa: F811
    manager = harness.manager
    manager.start()
    files = [DownloadFile("good.gguf", 10, None), DownloadFile("../evil.gguf", 10, None)]

    with pytest.raises(UnsafePathError) as info:
        manager.add("owner/m", files, revision=None, dest_dir=harness.dest)

    assert isinstance(info.value, ValueError) and "evil.gguf" in str(info.value)
    assert manager.jobs() == []
    assert not harness.dest.exists()
    saved = json.loads(harness.state_path.read_text()) if harness.state_path.exists() else {}
    assert saved.get("jobs", []) == []
    assert fake_hub.requests == []


def test_adding_the_same_files_twice_gives_the_same_job(harness, fake_hub):  # noqa: F811
    data = blob(MB, 29)
    manager = harness.manager
    first = manager.add("owner/m", [spec("m.gguf", data)], revision=None, dest_dir=harness.dest)
    again = manager.add("owner/m", [spec("m.gguf", data)], revision=None, dest_dir=harness.dest)

    assert again == first and len(manager.jobs()) == 1
    with pytest.raises(ValueError):
        manager.add("other/m", [spec("m.gguf", data)], revision=None, dest_dir=harness.dest)


def test_jobs_is_safe_to_poll_from_another_thread(harness, fake_hub):  # noqa: F811
    datas = {f"owner/p{i}": blob(MB, 30 + i) for i in range(4)}
    for repo, data in datas.items():
        fake_hub.add_repo(repo, {"p.gguf": data})
    manager = harness.manager
    manager.start()
    stop = threading.Event()
    seen: list[list[JobSnapshot]] = []

    def poll() -> None:
        while not stop.is_set():
            seen.append(manager.jobs())

    poller = threading.Thread(target=poll)
    poller.start()
    ids = [
        manager.add(repo, [spec("p.gguf", d)], revision=None, dest_dir=harness.dest / repo)
        for repo, d in datas.items()
    ]
    try:
        for job_id in ids:
            harness.wait_state(job_id, "done")
    finally:
        stop.set()
        poller.join()

    assert seen
    for snapshot in (s for jobs in seen for s in jobs):
        assert 0 <= snapshot.done_bytes <= snapshot.total_bytes
