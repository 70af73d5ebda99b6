"""The download queue: jobs of one or more repository files, run a few at a time, persisted.

A job is what the user asked for in one click: a model file, or every part of a split model
(downloaded one after another into the same folder). At most ``max_parallel`` jobs run at once,
each in its own daemon thread driving :class:`~workbench.core.downloads.transfer.FileTransfer`
objects. The queue is saved to a JSON file on every state change, so after a restart queued and
running jobs come back queued and resume from their ``.part`` files.

All job state sits behind one lock; :meth:`DownloadManager.jobs` is a cheap snapshot for the GUI to
poll, and callbacks are called from worker threads without the lock held.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from workbench.core.downloads import partlock
from workbench.core.downloads.destination import safe_destination
from workbench.core.downloads.disk import file_matches
from workbench.core.downloads.errors import TransferError, UnsafePathError
from workbench.core.downloads.jobs import DownloadFile, JobSnapshot, display_name
from workbench.core.downloads.progress import TransferProgress
from workbench.core.downloads.transfer import FileTransfer
from workbench.core.hub.models import entry_label
from workbench.core.i18n import translate
from workbench.core.state import JsonFile

log = logging.getLogger(__name__)

STATES = ("queued", "running", "verifying", "paused", "failed", "done", "cancelled")
_ACTIVE = frozenset({"queued", "running", "verifying", "paused"})
_FINISHED = frozenset({"failed", "done", "cancelled"})
_FORMAT_VERSION = 1


class _Job:
    """Mutable job state, only touched with the manager's lock held."""

    def __init__(
        self,
        job_id: str,
        repo_id: str,
        revision: str | None,
        name: str,
        files: tuple[DownloadFile, ...],
        dest_dir: Path,
        dest_paths: tuple[Path, ...],
    ) -> None:
        self.id = job_id
        self.repo_id = repo_id
        self.revision = revision
        self.name = name
        self.files = files
        self.dest_dir = dest_dir
        self.dest_paths = dest_paths
        self.sizes: list[int | None] = [f.size for f in files]
        self.state = "queued"
        self.error: str | None = None
        self.error_kind: str | None = None
        self.completed = 0  # files done, in order
        self.file_done = 0  # bytes of the current file
        self.speed = 0.0
        self.waiting = False
        self.index: int | None = None  # the file being worked on
        self.stop: str | None = None  # "pause", "cancel" or "shutdown" while running
        self.remove_partial = True
        self.transfer: FileTransfer | None = None

    def done_bytes(self) -> int:
        return sum(s or 0 for s in self.sizes[: self.completed]) + self.file_done

    def total_bytes(self) -> int:
        return sum(s or 0 for s in self.sizes)

    def snapshot(self) -> JobSnapshot:
        running = self.state in ("running", "verifying")
        done, total = self.done_bytes(), self.total_bytes()
        speed = self.speed if running else 0.0
        eta = max(0, total - done) / speed if speed > 0 and total else None
        current = None
        if self.index is not None and self.state != "done":
            current = self.files[self.index].path
        return JobSnapshot(
            id=self.id,
            repo_id=self.repo_id,
            revision=self.revision,
            name=self.name,
            files=self.files,
            dest_dir=self.dest_dir,
            state=self.state,
            done_bytes=done,
            total_bytes=total,
            speed_bps=speed,
            eta_s=eta,
            error=self.error,
            error_kind=self.error_kind,
            current_file=current,
            dest_paths=self.dest_paths,
            waiting=self.waiting and running,
        )

    def to_json(self) -> dict[str, Any]:
        # A job interrupted mid-transfer resumes as queued next time.
        state = "queued" if self.state in ("running", "verifying") else self.state
        return {
            "id": self.id,
            "repo_id": self.repo_id,
            "revision": self.revision,
            "name": self.name,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
            "dest_dir": str(self.dest_dir),
            "state": state,
            "error": self.error,
            "error_kind": self.error_kind,
            "completed": self.completed,
        }

    def sync_file_done(self) -> None:
        """Set the current file's progress from its ``.part`` on disk (after a stop)."""
        try:
            self.file_done = self.part_paths()[0].stat().st_size
        except (OSError, IndexError):
            self.file_done = 0

    def part_paths(self) -> list[Path]:
        """The ``.part`` files of the files not yet completed."""
        return [p.with_name(p.name + ".part") for p in self.dest_paths[self.completed :]]

    def remove_partials(self) -> None:
        """Delete the ``.part`` files of the files not yet completed, except any that another
        download (another window, the command line) is writing right now."""
        for dest in self.dest_paths[self.completed :]:
            partlock.remove_partial(dest)


class DownloadManager:
    """Runs download jobs, a few at a time, and remembers them across restarts.

    Args:
        state_path: the JSON file the queue is saved in.
        endpoint: returns the Hub's base URL; read when each file starts.
        token: returns the access token or None; read when each file starts.
        max_parallel: how many jobs download at once.
        on_change: called with a job's snapshot when its state or progress changes.
        on_finished: called with a job's snapshot once all its files are downloaded and verified.
        transfer_factory: makes the :class:`FileTransfer` for each file (same arguments).
    """

    def __init__(
        self,
        state_path: Path,
        *,
        endpoint: Callable[[], str],
        token: Callable[[], str | None],
        max_parallel: int = 2,
        on_change: Callable[[JobSnapshot], None] | None = None,
        on_finished: Callable[[JobSnapshot], None] | None = None,
        transfer_factory: Callable[..., FileTransfer] = FileTransfer,
    ) -> None:
        self._file = JsonFile(Path(state_path))
        self._endpoint = endpoint
        self._token = token
        self._max_parallel = max(1, max_parallel)
        self._on_change = on_change
        self._on_finished = on_finished
        self._factory = transfer_factory
        self._lock = threading.Lock()
        self._save_lock = threading.Lock()
        # Snapshots wait here in the order they were taken (under _lock) until _notify hands
        # them to on_change; one thread delivers at a time, so callbacks see them in that order
        # even when a worker's change comes between taking a snapshot and delivering it.
        self._pending: deque[JobSnapshot] = deque()
        self._delivering = threading.RLock()  # re-entrant: on_change may call add() and so on
        self._jobs: dict[str, _Job] = {}  # insertion order is queue order
        self._threads: dict[str, threading.Thread] = {}
        self._started = False
        self._closing = False
        self._load()

    # -- public API --------------------------------------------------------------------------

    def add(
        self,
        repo_id: str,
        files: Sequence[DownloadFile],
        *,
        revision: str | None,
        dest_dir: Path,
        name: str | None = None,
    ) -> str:
        """Queue a job for ``files`` of ``repo_id``; returns its id.

        Every destination is checked before anything is written: a file name that would land
        outside ``dest_dir`` refuses the whole job with :class:`UnsafePathError` (a ValueError).
        Adding the same files again while they are still queued or running returns that job.
        """
        files = tuple(files)
        if not files:
            raise ValueError(translate("core.downloads", "A download needs at least one file."))
        dest_dir = Path(dest_dir)
        dest_paths = tuple(safe_destination(dest_dir, *f.path.split("/")) for f in files)
        keys = [_key(p) for p in dest_paths]
        if len(set(keys)) != len(keys):
            text = translate(
                "core.downloads",
                "Two files of {repo} would be saved under the same name, so the download was "
                "refused.",
            )
            raise UnsafePathError(text.format(repo=repo_id))
        with self._lock:
            for other in self._jobs.values():
                if other.state not in _ACTIVE:
                    continue
                other_keys = {_key(p) for p in other.dest_paths}
                if other_keys.isdisjoint(keys):
                    continue
                if other.repo_id == repo_id and other_keys == set(keys):
                    return other.id
                text = translate(
                    "core.downloads",
                    "{name} is already in the download queue with some of the same files.",
                )
                raise ValueError(text.format(name=entry_label(other.name)))
            job = _Job(
                uuid.uuid4().hex[:12],
                repo_id,
                revision,
                name or display_name(files),
                files,
                dest_dir,
                dest_paths,
            )
            self._jobs[job.id] = job
            self._post([job.snapshot(), *self._schedule()])
        self._save()
        self._notify()
        return job.id

    def jobs(self) -> list[JobSnapshot]:
        """Snapshots of every job, in queue order."""
        with self._lock:
            return [job.snapshot() for job in self._jobs.values()]

    def job(self, job_id: str) -> JobSnapshot:
        """One job's snapshot; KeyError if there is no such job."""
        with self._lock:
            return self._jobs[job_id].snapshot()

    def start(self) -> None:
        """Begin running queued jobs, restored ones included."""
        with self._lock:
            self._started = True
            self._closing = False
            self._post(self._schedule())
        self._save()
        self._notify()

    def pause(self, job_id: str) -> None:
        """Pause a queued or running job; its ``.part`` is kept for :meth:`resume`."""
        transfer = None
        changed = False
        with self._lock:
            job = self._jobs[job_id]
            if job.state == "queued":
                job.state = "paused"
                self._post([job.snapshot()])
                changed = True
            elif job.state in ("running", "verifying") and job.stop != "cancel":
                job.stop = "pause"
                transfer = job.transfer
        if transfer is not None:
            transfer.pause()
        if changed:
            self._save()
            self._notify()

    def resume(self, job_id: str) -> None:
        """Queue a paused (or failed) job again; it continues from where it stopped."""
        with self._lock:
            job = self._jobs[job_id]
            if job.state in ("running", "verifying"):
                if job.stop == "pause":
                    job.stop = None  # the worker puts it back in the queue when it stops
                return
            if job.state not in ("paused", "failed"):
                return
            self._requeue(job)
            self._post([job.snapshot(), *self._schedule()])
        self._save()
        self._notify()

    def retry(self, job_id: str) -> None:
        """Queue a failed or cancelled job again (resuming any partial file that was kept)."""
        with self._lock:
            job = self._jobs[job_id]
            if job.state not in ("failed", "cancelled", "paused"):
                return
            self._requeue(job)
            self._post([job.snapshot(), *self._schedule()])
        self._save()
        self._notify()

    def cancel(self, job_id: str, *, remove_partial: bool = True) -> None:
        """Cancel a job; its partial file is deleted unless ``remove_partial`` is false.

        Files of the job that were already complete are kept.
        """
        transfer = None
        changed = False
        remove = False
        with self._lock:
            job = self._jobs[job_id]
            if job.state in ("running", "verifying"):
                job.stop = "cancel"
                job.remove_partial = remove_partial
                transfer = job.transfer
            elif job.state in ("queued", "paused", "failed"):
                job.state = "cancelled"
                job.error = job.error_kind = None
                if remove_partial:
                    remove = True
                    job.file_done = 0
                self._post([job.snapshot()])
                changed = True
        if transfer is not None:
            transfer.cancel(remove_partial=remove_partial)
        if remove:
            job.remove_partials()
        if changed:
            self._save()
            self._notify()

    def remove(self, job_id: str) -> None:
        """Forget a finished, failed or cancelled job (its files stay on disk)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            if job.state not in _FINISHED:
                text = translate("core.downloads", "{name} is still in the queue; cancel it first.")
                raise ValueError(text.format(name=entry_label(job.name)))
            del self._jobs[job_id]
        self._save()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Pause running transfers (keeping their ``.part`` files, saved as queued so that they
        resume at the next start) and wait up to ``timeout`` seconds for their threads."""
        with self._lock:
            self._closing = True
            transfers = []
            for job in self._jobs.values():
                if job.state in ("running", "verifying"):
                    if job.stop is None:
                        job.stop = "shutdown"
                    if job.transfer is not None:
                        transfers.append(job.transfer)
            threads = list(self._threads.values())
        for transfer in transfers:
            transfer.pause()
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._save()

    # -- scheduling and workers --------------------------------------------------------------

    def _schedule(self) -> list[JobSnapshot]:
        """Start queued jobs while slots are free (lock held); returns the changed snapshots."""
        if not self._started or self._closing:
            return []
        changed = []
        for job in self._jobs.values():
            if len(self._threads) >= self._max_parallel:
                break
            if job.state != "queued" or job.id in self._threads:
                continue
            job.state = "running"
            job.stop = None
            job.speed = 0.0
            thread = threading.Thread(
                target=self._work, args=(job,), name=f"download-{job.id}", daemon=True
            )
            self._threads[job.id] = thread
            thread.start()
            changed.append(job.snapshot())
        return changed

    def _requeue(self, job: _Job) -> None:
        job.state = "queued"
        job.error = job.error_kind = None
        job.stop = None

    def _work(self, job: _Job) -> None:
        finished = False
        try:
            finished = self._run_job(job)
        except Exception:
            # A bug must not leave the job "running" forever with its slot taken.
            log.exception("download job %s failed unexpectedly", job.id)
            with self._lock:
                job.state = "failed"
                text = translate(
                    "core.downloads", "The download of {name} stopped because of an internal error."
                )
                job.error = text.format(name=entry_label(job.name))
                job.error_kind = "internal"
        finally:
            with self._lock:
                job.transfer = None
                job.speed = 0.0
                job.waiting = False
                self._threads.pop(job.id, None)
                snapshot = job.snapshot()
                self._post([snapshot, *self._schedule()])
            self._save()
            self._notify()
        if finished and self._on_finished is not None:
            try:
                self._on_finished(snapshot)
            except Exception:
                log.exception("on_finished callback failed")

    def _run_job(self, job: _Job) -> bool:
        """Download the job's remaining files in order; True when all are done and verified."""
        while True:
            with self._lock:
                if job.stop is not None:
                    return self._stopped(job)
                if job.completed >= len(job.files):
                    job.state = "done"
                    job.index = None
                    job.file_done = 0
                    return True
                index = job.index = job.completed
                job.file_done = 0
                spec = job.files[index]
                dest = job.dest_paths[index]

            if self._already_there(job, index, spec, dest):
                continue
            with self._lock:
                if job.stop is not None:
                    return self._stopped(job)

            transfer = self._make_transfer(job, index, spec, dest)
            with self._lock:
                job.transfer = transfer
                stop, remove_partial = job.stop, job.remove_partial
            if stop == "cancel":
                transfer.cancel(remove_partial=remove_partial)
            elif stop is not None:
                transfer.pause()
            try:
                transfer.run()
            except TransferError as exc:
                with self._lock:
                    job.transfer = None
                    if exc.kind in ("paused", "cancelled"):
                        return self._stopped(job)
                    job.state = "failed"
                    job.error = str(exc)
                    job.error_kind = exc.kind
                    job.speed = 0.0
                    job.sync_file_done()
                return False
            self._file_completed(job, dest)

    def _already_there(self, job: _Job, index: int, spec: DownloadFile, dest: Path) -> bool:
        """Whether ``dest`` already holds this file, verified (hashing it if needed)."""
        try:
            if spec.size is not None and dest.stat().st_size != spec.size:
                return False
        except OSError:
            return False
        self._set_state(job, "verifying")
        last = [0.0]

        def progress(done: int) -> None:
            now = time.monotonic()
            with self._lock:
                job.file_done = done
                if now - last[0] < 0.1:  # as often as transfers report, not once per read
                    return
                last[0] = now
                self._post([job.snapshot()])
            self._notify()

        ok = file_matches(
            dest,
            size=spec.size,
            sha256=spec.sha256,
            should_stop=lambda: job.stop is not None,
            on_progress=progress,
        )
        if ok:
            self._file_completed(job, dest)
        else:
            with self._lock:
                job.file_done = 0
        return ok

    def _make_transfer(self, job: _Job, index: int, spec: DownloadFile, dest: Path):
        # Imported here: huggingface_hub is heavy, and only needed once something downloads.
        from huggingface_hub import hf_hub_url
        from huggingface_hub.utils import build_hf_headers

        endpoint = self._endpoint().rstrip("/")
        try:
            token = self._token()
        except Exception:
            log.warning("could not read the access token; downloading without it", exc_info=True)
            token = None
        # token=False, not None: a token saved on disk by other tools must not be sent silently.
        headers = build_hf_headers(token=token or False, library_name="workbench")
        url = hf_hub_url(job.repo_id, spec.path, revision=job.revision, endpoint=endpoint)

        def on_progress(p: TransferProgress) -> None:
            with self._lock:
                job.file_done = p.done
                job.speed = p.speed_bps
                job.waiting = p.phase == "waiting"
                if job.sizes[index] is None and p.total:
                    job.sizes[index] = p.total
                if job.state in ("running", "verifying") and job.stop is None:
                    job.state = "verifying" if p.phase == "hashing" else "running"
                self._post([job.snapshot()])
            self._notify()

        return self._factory(
            url, dest, size=spec.size, sha256=spec.sha256, headers=headers, on_progress=on_progress
        )

    def _file_completed(self, job: _Job, dest: Path) -> None:
        with self._lock:
            if job.sizes[job.completed] is None:
                with contextlib.suppress(OSError):
                    job.sizes[job.completed] = dest.stat().st_size
            job.completed += 1
            job.file_done = 0
            job.waiting = False
            if job.state == "verifying":
                job.state = "running"
            self._post([job.snapshot()])
        self._save()
        self._notify()

    def _stopped(self, job: _Job) -> bool:
        """Settle a job whose worker stopped on request (lock held); returns False."""
        stop = job.stop
        job.stop = None
        job.speed = 0.0
        if stop == "cancel":
            job.state = "cancelled"
            if job.remove_partial:
                job.remove_partials()
        elif stop == "pause":
            job.state = "paused"
        else:  # shut down, or resumed again before the transfer noticed the pause
            job.state = "queued"
        job.sync_file_done()
        return False

    def _set_state(self, job: _Job, state: str) -> None:
        with self._lock:
            if job.state in ("running", "verifying"):
                job.state = state
            self._post([job.snapshot()])
        self._notify()

    def _post(self, snapshots: list[JobSnapshot]) -> None:
        """Queue snapshots for on_change; called with ``_lock`` held, right where they are taken."""
        if self._on_change is not None:
            self._pending.extend(snapshots)

    def _notify(self) -> None:
        """Hand every queued snapshot to on_change, oldest first (called without ``_lock``)."""
        if self._on_change is None:
            return
        with self._delivering:
            while True:
                with self._lock:
                    if not self._pending:
                        return
                    snap = self._pending.popleft()
                try:
                    self._on_change(snap)
                except Exception:
                    log.exception("on_change callback failed")

    # -- persistence -------------------------------------------------------------------------

    def _save(self) -> None:
        # The save lock orders writers: whoever writes last also built its data last.
        with self._save_lock:
            with self._lock:
                data = {
                    "version": _FORMAT_VERSION,
                    "jobs": [job.to_json() for job in self._jobs.values()],
                }
            try:
                self._file.save(data)
            except OSError as exc:
                log.warning("could not save the download queue to %s: %s", self._file.path, exc)

    def _load(self) -> None:
        data = self._file.load()
        for item in data.get("jobs") or []:
            try:
                job = self._job_from_json(item)
            except (KeyError, TypeError, ValueError) as exc:
                log.warning("skipping a download job that cannot be restored: %s", exc)
                continue
            self._jobs[job.id] = job

    @staticmethod
    def _job_from_json(item: dict[str, Any]) -> _Job:
        files = tuple(
            DownloadFile(
                str(f["path"]),
                int(f["size"]) if f.get("size") is not None else None,
                str(f["sha256"]) if f.get("sha256") else None,
            )
            for f in item["files"]
        )
        if not files:
            raise ValueError("no files")
        dest_dir = Path(item["dest_dir"])
        dest_paths = tuple(safe_destination(dest_dir, *f.path.split("/")) for f in files)
        job = _Job(
            str(item["id"]),
            str(item["repo_id"]),
            item.get("revision"),
            str(item.get("name") or display_name(files)),
            files,
            dest_dir,
            dest_paths,
        )
        state = item.get("state", "queued")
        job.state = "queued" if state in ("running", "verifying") or state not in STATES else state
        job.error = item.get("error")
        job.error_kind = item.get("error_kind")
        job.completed = min(max(0, int(item.get("completed", 0))), len(files))
        if job.state in ("queued", "paused", "failed") and job.completed < len(files):
            job.index = job.completed
            part = job.part_paths()[0]
            with contextlib.suppress(OSError):
                job.file_done = part.stat().st_size
        return job


def _key(path: Path) -> str:
    """A path as compared for clashes: case-insensitive, as on Windows and macOS by default."""
    return os.path.normcase(os.path.abspath(path)).casefold()
