"""The local server as the window runs it: its settings, its key, start and stop, its log.

:class:`ServerController` owns one :class:`~workbench.core.server.LocalServer` at a time. The
server answers with the chat's model: whatever :class:`~workbench.qt.workers.ModelController`
has loaded when a request arrives, so loading another model in the chat moves the server to it.
Cloud models are offered too when the user allows it, through the :class:`CloudSession`'s keys,
which never leave Workbench.

Start and stop run as jobs on a queue of their own (binding a port, waiting for requests in
flight to end). The server's request log calls back from the server's thread; the entry crosses
to the GUI thread through a signal and lands in :class:`RequestLogModel`, newest first, bounded.

The settings (port, where to listen, CORS origins, cloud models, start with Workbench) live in
``server.json`` in the data folder; the API key lives in the system keychain under a name of its
own, or, on a computer without a keychain, in memory until Workbench closes.
"""

from __future__ import annotations

import functools
import logging
import secrets as random_secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

from workbench.core import paths
from workbench.core import secrets as keychain
from workbench.core.keys import KeyStoreError, check_key
from workbench.core.names import local_name
from workbench.core.server import (
    DEFAULT_PORT,
    LocalServer,
    LogEntry,
    ServerConfig,
    ServerError,
    machine_addresses,
)
from workbench.core.state import JsonFile
from workbench.qt.cloud import KEYCHAIN_QUEUE, CloudSession
from workbench.qt.jobs import JobRunner
from workbench.qt.workers import ModelController

log = logging.getLogger(__name__)

#: The keychain entry of the server's API key (service "Workbench").
KEY_NAME = "workbench-server"
LOCALHOST = "127.0.0.1"
ALL_ADDRESSES = "0.0.0.0"
#: The most requests the log keeps on screen; older ones are dropped.
LOG_ROWS = 500
SERVER_QUEUE = "local-server"


def server_file() -> JsonFile:
    return JsonFile(paths.data_dir() / "server.json")


@dataclass
class ServerSettings:
    """What the user chose on Settings › Local server."""

    port: int = DEFAULT_PORT
    network: bool = False  # False: this computer only (127.0.0.1)
    cors_origins: str = ""  # comma-separated; empty: CORS off
    expose_cloud: bool = False
    autostart: bool = False

    @classmethod
    def load(cls) -> ServerSettings:
        """The saved settings; a missing, damaged or odd value falls back to its default."""
        saved = server_file().load()
        settings = cls()
        for name, default in asdict(cls()).items():
            value = saved.get(name)
            # (bool is an int in Python: a port of True is not a port.)
            if type(value) is type(default):
                setattr(settings, name, value)
        if not 1 <= settings.port <= 65535:
            settings.port = DEFAULT_PORT
        return settings

    def save(self) -> None:
        try:
            server_file().update(lambda saved: {**saved, **asdict(self)})
        except OSError as exc:
            log.warning("could not save the server settings: %s", exc)

    @property
    def host(self) -> str:
        return ALL_ADDRESSES if self.network else LOCALHOST

    def origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


class WindowModels:
    """The models the server offers: the chat's loaded model and, when allowed, cloud models.

    The server calls :meth:`local` and :meth:`cloud` from its own thread. Both read one
    reference that the GUI thread replaces whole (the ModelController's backend, the dict of
    cloud factories), so no lock is needed and no Qt object is touched off the GUI thread.
    """

    def __init__(self, models: ModelController) -> None:
        self._models = models
        self.factories: dict[str, Callable[[], Any]] = {}

    def local(self):
        return self._models.backend

    def cloud(self) -> dict[str, Callable[[], Any]]:
        return self.factories


class ServerController(QObject):
    """Starts and stops the local server and keeps its settings, key and request log.

    Signals:
        state_changed(): started, stopped, failed, or the model it serves changed; read
            :attr:`state`, :attr:`error`, :meth:`status`.
        key_changed(): the API key was read, saved or deleted (:attr:`api_key`,
            :attr:`key_source`).
        key_failed(str): saving or deleting the key failed: one sentence.
        autostart_failed(str): the start with Workbench failed: one sentence (the window shows
            it, since the settings page that would say it is not open).
    """

    state_changed = Signal()
    key_changed = Signal()
    key_failed = Signal(str)
    autostart_failed = Signal(str)
    _entry_arrived = Signal(object)  # from the server's thread

    def __init__(
        self, models: ModelController, cloud: CloudSession, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.models = models
        self.cloud = cloud
        self.settings = ServerSettings.load()
        self.source = WindowModels(models)
        self.log = RequestLogModel(self)
        self.server: LocalServer | None = None
        #: "stopped", "starting", "running" or "stopping".
        self.state = "stopped"
        #: Why the last start failed (one sentence), or None.
        self.error: str | None = None
        self.api_key: str | None = None
        #: "keychain", "session" (no keychain: kept until Workbench closes) or None.
        self.key_source: str | None = None
        self._jobs = JobRunner(self)
        self._unsubscribe: Callable[[], None] = _nothing
        self._machine_ips: list[str] = []
        self._autostarting = False
        self._entry_arrived.connect(self.log.add)
        for signal in (models.load_started, models.load_finished, models.unloaded):
            signal.connect(lambda *_: self.state_changed.emit())
        cloud.providers_changed.connect(self._update_cloud)
        cloud.key_changed.connect(lambda _pid: self._update_cloud())
        self._update_cloud()
        self._read_key()

    # -- settings ---------------------------------------------------------------------------------

    def update_settings(self, **changes: Any) -> None:
        """Change and save settings; they apply the next time the server starts."""
        for name, value in changes.items():
            setattr(self.settings, name, value)
        self.settings.save()

    # -- the key ----------------------------------------------------------------------------------

    def _read_key(self) -> None:
        def work() -> tuple[str | None, str | None]:
            try:
                key = keychain.get_secret(KEY_NAME)
            except keychain.SecretStoreError as exc:
                log.info("server key not read: %s", exc)
                return None, None
            return key, ("keychain" if key else None)

        self._jobs.run(work, self._key_read, queue=KEYCHAIN_QUEUE)

    def _key_read(self, found: tuple[str | None, str | None]) -> None:
        if self.key_source == "session" and found[0] is None:
            return  # no keychain: the key given this session stays
        self.api_key, self.key_source = found
        self.key_changed.emit()

    def set_key(self, key: str) -> None:
        """Save ``key`` in the keychain (without one: keep it until Workbench closes)."""
        try:
            key = check_key(key)
        except KeyStoreError as exc:
            self.key_failed.emit(str(exc))
            return

        def work() -> str:
            try:
                keychain.set_secret(KEY_NAME, key)
            except keychain.SecretStoreError as exc:
                if exc.no_keychain or not keychain.keyring_available():
                    return "session"
                raise
            return "keychain"

        def done(source: str) -> None:
            self.api_key, self.key_source = key, source
            self.key_changed.emit()

        self._jobs.run(work, done, self._key_error, queue=KEYCHAIN_QUEUE)

    def generate_key(self) -> None:
        """A new random key, saved like a typed one."""
        self.set_key("wb-" + random_secrets.token_urlsafe(24))

    def clear_key(self) -> None:
        """Forget the key (the keychain's entry too)."""

        def work() -> None:
            try:
                keychain.delete_secret(KEY_NAME)
            except keychain.SecretStoreError as exc:
                if not (exc.no_keychain or not keychain.keyring_available()):
                    raise

        def done(_none: None) -> None:
            self.api_key, self.key_source = None, None
            self.key_changed.emit()

        self._jobs.run(work, done, self._key_error, queue=KEYCHAIN_QUEUE)

    def _key_error(self, exc: Exception) -> None:
        if isinstance(exc, keychain.SecretStoreError):
            self.key_failed.emit(str(exc))
        else:
            log.error("server key operation failed", exc_info=exc)
            self.key_failed.emit(
                self.tr("The key could not be saved; the details are in the log file.")
            )

    # -- cloud models -----------------------------------------------------------------------------

    def _update_cloud(self) -> None:
        """The cloud models the server may offer, as ``provider/model`` names: those of the
        providers that have the key they need."""
        factories: dict[str, Callable[[], Any]] = {}
        for provider in self.cloud.providers():
            if self.cloud.needs_key(provider.id) and self.cloud.key_source(provider.id) is None:
                continue
            for model in provider.all_models():
                factories[f"{provider.id}/{model}"] = functools.partial(
                    self.cloud.backend, provider.id, model
                )
        self.source.factories = factories
        self.state_changed.emit()

    # -- start and stop ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def url(self) -> str | None:
        """The address clients use on this computer while the server runs."""
        return self.server.url if self.server is not None and self.running else None

    def addresses(self) -> list[str]:
        """The addresses other computers reach the server at, or would once it runs on the
        network (the computer's addresses are looked up by :meth:`find_addresses`)."""
        if self.server is not None and self.running and self.settings.network:
            return list(self.server.addresses())
        port = self.settings.port
        return [f"http://{ip}:{port}/v1" for ip in self._machine_ips]

    def find_addresses(self) -> None:
        """Look up this computer's network addresses (a job); :attr:`state_changed` follows."""

        def found(ips: list[str]) -> None:
            self._machine_ips = ips
            self.state_changed.emit()

        self._jobs.run(machine_addresses, found, slot="addresses")

    def start_if_wanted(self) -> None:
        """Start with Workbench, when the user asked for that."""
        if self.settings.autostart:
            self._autostarting = True
            self.start()

    def start(self) -> None:
        """Start with the saved settings; the outcome comes as :attr:`state_changed`."""
        if self.state != "stopped":
            return
        settings = self.settings
        self.error = None
        config = ServerConfig(
            host=settings.host,
            port=settings.port,
            # On this computer only, the key is not asked for: other programs of the user's
            # are the only clients, as with the other local servers they know. On the network
            # the server refuses to start without one, with its own sentence.
            api_key=self.api_key if settings.network else None,
            cors_origins=tuple(settings.origins()),
            expose_cloud=settings.expose_cloud,
        )
        server = LocalServer(self.source, config)  # (checks the configuration in start())
        self._unsubscribe = server.log.subscribe(self._entry_arrived.emit)
        self.server = server
        self.state = "starting"
        self.state_changed.emit()
        self._jobs.run(
            server.start,
            lambda _r: self._started(server),
            lambda exc: self._start_failed(server, exc),
            queue=SERVER_QUEUE,
        )

    def _started(self, server: LocalServer) -> None:
        if server is not self.server:
            return
        self.state = "running"
        self._autostarting = False
        log.info("local server started at %s", server.url)
        self.state_changed.emit()

    def _start_failed(self, server: LocalServer, exc: Exception) -> None:
        if server is not self.server:
            return
        self.server = None
        self.state = "stopped"
        self._unsubscribe()
        if isinstance(exc, ServerError):
            self.error = str(exc)
        else:  # a bug costs a sentence, not the window
            log.error("the local server did not start", exc_info=exc)
            self.error = self.tr(
                "The server did not start because of an internal error: {error}"
            ).format(error=exc)
        self.state_changed.emit()
        if self._autostarting:
            self._autostarting = False
            self.autostart_failed.emit(
                self.tr("The local server did not start: {reason}").format(reason=self.error)
            )

    def stop(self) -> None:
        """Stop serving (requests in flight end); :attr:`state_changed` follows."""
        server = self.server
        if server is None or self.state not in ("running", "starting"):
            return
        self.state = "stopping"
        self.state_changed.emit()

        def done(_r: object) -> None:
            if self.server is server:
                self._unsubscribe()
                self.server = None
                self.state = "stopped"
                self.state_changed.emit()

        def failed(exc: Exception) -> None:
            log.error("stopping the local server failed", exc_info=exc)
            done(None)

        self._jobs.run(server.stop, done, failed, queue=SERVER_QUEUE)

    def shutdown(self) -> None:
        """The window closes: stop the server now, before the model process ends, so that no
        request is left talking to a model that is going away."""
        server, self.server = self.server, None
        self.state = "stopped"
        self._jobs.cancel_all()
        self._unsubscribe()
        if server is not None:
            try:
                server.stop()
            except Exception:  # closing must go on
                log.exception("stopping the local server at close failed")

    # -- what the page shows ----------------------------------------------------------------------

    def status(self) -> str:
        """One sentence: what the server does now."""
        if self.state == "starting":
            return self.tr("Starting…")
        if self.state == "stopping":
            return self.tr("Stopping…")
        if self.state == "stopped":
            return self.error or self.tr("Stopped")
        url = self.url or ""
        backend = self.models.backend
        if backend is not None:
            return self.tr("Serving {model} at {url}").format(
                model=local_name(backend.model_name), url=url
            )
        if self.models.is_loading:
            return self.tr(
                "Listening at {url}; {model} is loading, and requests wait for it."
            ).format(url=url, model=self.models.loading_name or "")
        cloud = len(self.source.factories) if self.settings.expose_cloud else 0
        if cloud:
            return self.tr(
                "Serving %n cloud model(s) at {url}; load a model in the chat to serve it too.",
                "",
                cloud,
            ).format(url=url)
        return self.tr(
            "Listening at {url}. No model loaded: load one in the chat; requests get an error "
            "until then."
        ).format(url=url)


class RequestLogModel(QAbstractTableModel):
    """The server's requests, newest first, at most :data:`LOG_ROWS`."""

    COLUMNS = ("time", "endpoint", "model", "tokens", "duration", "status", "waited")

    def __init__(self, parent: QObject | None = None, limit: int = LOG_ROWS) -> None:
        super().__init__(parent)
        self.limit = limit
        self._rows: deque[LogEntry] = deque()

    def headers(self) -> list[str]:
        return [
            self.tr("Time"),
            self.tr("Endpoint"),
            self.tr("Model"),
            self.tr("Tokens"),
            self.tr("Duration"),
            self.tr("Status"),
            self.tr("Waited"),
        ]

    def entry(self, row: int) -> LogEntry:
        return self._rows[row]

    def add(self, entry: LogEntry) -> None:
        """A request ended: put it on top, dropping the oldest beyond the limit."""
        if len(self._rows) >= self.limit:
            last = len(self._rows) - 1
            self.beginRemoveRows(QModelIndex(), last, last)
            self._rows.pop()
            self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.appendleft(entry)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | None = None) -> int:  # Qt override
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | None = None) -> int:  # Qt override
        return 0 if parent is not None and parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # Qt override
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.headers()[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "tokens":
                return self.tr("Prompt tokens → reply tokens")
            return entry.error or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("tokens", "duration"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, entry: LogEntry, column: str) -> str:
        if column == "time":
            return time.strftime("%H:%M:%S", time.localtime(entry.time))
        if column == "endpoint":
            return entry.endpoint
        if column == "model":
            return entry.model
        if column == "tokens":
            if not entry.prompt_tokens and not entry.completion_tokens:
                return ""  # a request that runs no model (the model list)
            return f"{entry.prompt_tokens} → {entry.completion_tokens}"
        if column == "duration":
            return self.tr("{seconds} s").format(seconds=f"{entry.duration_s:.2f}")
        if column == "status":
            return str(entry.status)
        return self.tr("yes") if entry.waited else ""


def _nothing() -> None:
    pass
