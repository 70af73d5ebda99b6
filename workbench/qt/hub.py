"""The Hub, downloads and the library as the window sees them.

:class:`HubSession` owns the settings that decide where the Hub is and where models go, and the
access token (read from the keychain off the GUI thread). Changing the endpoint takes effect at
once: every search, repo page and download asks the session for the endpoint when it starts.

:class:`DownloadsController` wraps the core download queue: the queue runs on its own threads,
and the controller polls its cheap snapshot twice a second, which is how often progress is
shown; finished files are recorded in the library on the worker thread, then announced here.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core import paths, secrets
from workbench.core.downloads.destination import safe_destination
from workbench.core.downloads.manager import DownloadFile, DownloadManager, JobSnapshot
from workbench.core.hub.models import ModelEntry

if TYPE_CHECKING:
    from workbench.core.hub.client import HubClient
from workbench.core.library import Library
from workbench.core.local.capabilities import gpu_offload_supported
from workbench.core.settings import (
    HUB_DEFAULT,
    Settings,
    SettingsError,
    hub_endpoint,
    load_settings,
    save_settings,
)
from workbench.core.sysmem import MemoryInfo, detect_memory
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

POLL_MS = 500
#: The job queue of the system keychain: one read or write at a time, in the order asked.
KEYCHAIN = "keychain"


class HubSession(QObject):
    """Settings, token and memory facts shared by the Discover and Library pages.

    Signals:
        endpoint_changed(str): the Hub endpoint now in use.
        models_dir_changed(str): the models folder now in use.
        token_changed(bool): whether an access token is now available.
        token_failed(str): saving or deleting the token failed (one sentence).
    """

    endpoint_changed = Signal(str)
    models_dir_changed = Signal(str)
    token_changed = Signal(bool)
    token_failed = Signal(str)

    def __init__(self, settings: Settings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else load_settings()
        self._lock = threading.Lock()
        self._token: str | None = None
        self._token_loaded = threading.Event()
        self.jobs = JobRunner(self)
        self.library = Library(self.settings.models_path(), paths.data_dir() / "library.json")
        # On the keychain's queue, not the shared job pool: Hub jobs in that pool wait for this
        # read (token()), and queued behind them it could never run. The queue also keeps a
        # save or delete from overtaking this first (slow) read and being undone by it.
        self.jobs.run(self._read_token, self.token_changed.emit, queue=KEYCHAIN)

    # -- endpoint ---------------------------------------------------------------------------------

    def endpoint(self) -> str:
        """The endpoint for the next request (callable from any thread)."""
        try:
            return hub_endpoint(self.settings)
        except SettingsError as exc:
            log.warning("%s; using %s", exc, HUB_DEFAULT)
            return HUB_DEFAULT

    def set_endpoint(self, url: str | None) -> None:
        """Use ``url`` from now on (None: back to the default); saved at once."""
        self.settings.hub_endpoint = url
        self._save()
        self.endpoint_changed.emit(self.endpoint())

    def set_token_to_mirror(self, allowed: bool) -> None:
        """Whether the access token may go to addresses other than huggingface.co; saved."""
        self.settings.hub_token_to_mirror = allowed
        self._save()

    def client(self) -> HubClient:
        """A client for the current endpoint and token (cheap; make one per request).

        Call it off the GUI thread: the first call imports huggingface_hub.
        """
        from workbench.core.hub.client import HubClient

        allow = self.settings.hub_token_to_mirror
        return HubClient(self.endpoint(), self.token(), allow_mirror=allow)

    def request_token(self) -> str | None:
        """The token to send to the current endpoint: none to a mirror unless allowed."""
        from workbench.core.hub.client import token_for

        allow = self.settings.hub_token_to_mirror
        return token_for(self.endpoint(), self.token(), allow_mirror=allow)

    # -- models folder ----------------------------------------------------------------------------

    def models_dir(self):
        return self.settings.models_path()

    def set_models_dir(self, folder: str | None) -> None:
        self.settings.models_dir = folder
        self._save()
        path = self.settings.models_path()
        self.library = Library(path, paths.data_dir() / "library.json")
        self.models_dir_changed.emit(str(path))

    def _save(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as exc:
            log.warning("could not save the settings: %s", exc)

    # -- token ------------------------------------------------------------------------------------

    def token(self) -> str | None:
        """The access token, or None (callable from any thread; waits briefly for the first
        keychain read so a download started right after launch still sends it)."""
        self._token_loaded.wait(secrets.DEFAULT_TIMEOUT + 1)
        with self._lock:
            return self._token

    def has_token(self) -> bool:
        with self._lock:
            return self._token is not None

    def _read_token(self) -> bool:
        # Job thread: sets the token here, not in the GUI-thread callback, because Hub jobs
        # waiting in token() must not depend on the GUI thread being free.
        try:
            token = secrets.hf_token()
        except Exception as exc:  # hf_token() reports keychain trouble itself; this is a bug
            log.warning("could not read the access token: %s", type(exc).__name__)
            token = None
        with self._lock:
            self._token = token
        self._token_loaded.set()
        return token is not None

    def _on_token_read(self, token: object) -> None:
        with self._lock:
            self._token = token if isinstance(token, str) else None
        self._token_loaded.set()
        self.token_changed.emit(self._token is not None)

    def save_token(self, token: str) -> None:
        """Store the token in the keychain (off the GUI thread); token_changed or token_failed."""
        token = token.strip()

        def work() -> str:
            secrets.set_secret(secrets.HF_TOKEN, token)
            return token

        self.jobs.run(work, self._on_token_read, self._on_token_error, queue=KEYCHAIN)

    def delete_token(self) -> None:
        def work() -> None:
            secrets.delete_secret(secrets.HF_TOKEN)
            return None

        self.jobs.run(work, self._on_token_read, self._on_token_error, queue=KEYCHAIN)

    def _on_token_error(self, exc: Exception) -> None:
        message = str(exc) if isinstance(exc, secrets.SecretStoreError) else None
        self.token_failed.emit(message or self.tr("The system keychain could not be used."))

    # -- memory -----------------------------------------------------------------------------------

    def memory(self) -> MemoryInfo:
        """The machine's memory (cached by sysmem for a few seconds). Call it off the GUI thread:
        the first call asks llama.cpp whether this build can offload to a GPU at all."""
        return detect_memory(gpu=gpu_offload_supported())


class DownloadsController(QObject):
    """The download queue, polled for the GUI.

    Signals:
        jobs_changed(list): the current list of :class:`JobSnapshot`, when anything changed.
        download_finished(object): a :class:`JobSnapshot` whose files are verified and in place.
        download_failed(object): a :class:`JobSnapshot` that failed (its ``error`` says why).
    """

    jobs_changed = Signal(list)
    download_finished = Signal(object)
    download_failed = Signal(object)
    _finished_in_worker = Signal(object)

    def __init__(self, session: HubSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._last: list[JobSnapshot] = []
        self._failed_seen: set[str] = set()
        self.manager = DownloadManager(
            paths.data_dir() / "downloads.json",
            endpoint=session.endpoint,
            token=session.request_token,
            on_finished=self._record,
        )
        self._finished_in_worker.connect(self.download_finished)
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.manager.start()
        self.poll()

    def _record(self, job: JobSnapshot) -> None:
        # Worker thread: the library index write stays off the GUI thread.
        library = self.session.library
        for path, file in zip(job.dest_paths, job.files, strict=False):
            try:
                library.record_download(
                    path, repo_id=job.repo_id, revision=job.revision, sha256=file.sha256
                )
            except Exception:  # the file is in place either way; it lists as a folder file
                log.exception("could not record %s in the library", path)
        self._finished_in_worker.emit(job)

    def download(self, repo_id: str, entry: ModelEntry, revision: str | None) -> str:
        """Queue every file of ``entry``; returns the job id. Raises ValueError/TransferError
        with a sentence if the names are unsafe."""
        files = [DownloadFile(f.path, f.size, f.sha256) for f in entry.files]
        # The repo id comes from the server too: it must not lead out of the models folder.
        dest = safe_destination(self.session.models_dir(), *repo_id.split("/"))
        job = self.manager.add(repo_id, files, revision=revision, dest_dir=dest, name=entry.name)
        self.poll()
        return job

    def pause(self, job_id: str) -> None:
        self.manager.pause(job_id)
        self.poll()

    def resume(self, job_id: str) -> None:
        self.manager.resume(job_id)
        self.poll()

    def cancel(self, job_id: str, remove_partial: bool = True) -> None:
        self.manager.cancel(job_id, remove_partial=remove_partial)
        self.poll()

    def retry(self, job_id: str) -> None:
        self.manager.retry(job_id)
        self.poll()

    def remove(self, job_id: str) -> None:
        self.manager.remove(job_id)
        self.poll()

    def jobs(self) -> list[JobSnapshot]:
        return self._last

    def active_count(self) -> int:
        return sum(j.state in ("queued", "running", "verifying") for j in self._last)

    def poll(self) -> None:
        jobs = self.manager.jobs()
        if jobs != self._last:
            self._last = jobs
            self.jobs_changed.emit(jobs)
        for job in jobs:
            if job.state == "failed" and job.id not in self._failed_seen:
                self._failed_seen.add(job.id)
                self.download_failed.emit(job)
            elif job.state != "failed":
                self._failed_seen.discard(job.id)

    def shutdown(self) -> None:
        """Pause transfers (partial files kept, resumed next start) and stop polling."""
        self._timer.stop()
        self.manager.shutdown()
