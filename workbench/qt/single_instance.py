"""One window per data folder: a second start hands its request to the running window and exits.

The window of a data folder holds ``window.lock`` in that folder (a :class:`QLockFile`) for as
long as it runs, and answers on a local socket (:class:`QLocalServer`) whose name comes from a
hash of the folder's resolved path, so windows over different folders run side by side. A second
start finds the lock held, connects, sends one line of JSON (``{"model": path or null}``) and
waits for the window's one-line answer before it exits.

A lock left by a crashed window is taken over: Qt checks that the process named in the lock
still runs (and is the same program), and so does :meth:`SingleInstance.claim`, with psutil.
The socket file a crashed window leaves is removed before listening. Only a window that holds
the lock, is alive and does not answer within :data:`ANSWER_TIMEOUT_S` is a reason to give up:
two windows must never share a folder.

The second start needs no event loop (its socket calls block, with a deadline); the window
answers through Qt's signals, so its GUI thread never waits on a client.
"""

from __future__ import annotations

import contextlib
import enum
import getpass
import hashlib
import json
import logging
import os
import sys
import time
from pathlib import Path

import psutil
from PySide6.QtCore import QLockFile, QObject, QSysInfo, QTimer, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_FILE_NAME = "window.lock"
# How long a second start waits for the running window to take its request, the time that
# window may still need to finish starting included.
ANSWER_TIMEOUT_S = 8.0
# A request is one short line; anything longer is not from Workbench.
MAX_REQUEST_BYTES = 64 * 1024
_RETRY_S = 0.1
_ANSWER = b'{"ok": true}\n'


class Claim(enum.Enum):
    """What :meth:`SingleInstance.claim` found."""

    OWNED = "owned"  # this process holds the folder: open the window
    HANDED_OVER = "handed_over"  # the running window took the request: exit 0
    NO_ANSWER = "no_answer"  # a live window holds the folder but does not answer
    UNWRITABLE = "unwritable"  # the lock file cannot be created in the folder


def server_name(home: Path) -> str:
    """The local socket name of the window over ``home``: short, one per user and folder.

    Short because a Unix socket path (the temp folder plus this name) has a limit of about 100
    bytes; the user is part of the hash because the socket lives in a shared temp folder.
    """
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        user = str(os.getuid()) if hasattr(os, "getuid") else ""
    key = f"{user}\0{os.path.normcase(home.resolve())}"
    return "workbench-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class SingleInstance(QObject):
    """The guard of one data folder: claim it before the window exists, listen once it does.

    Signals:
        activation_requested(str): a second start asked for the window; the argument is the
            model path it was given (absolute), or "" for none.
    """

    activation_requested = Signal(str)

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self.name = server_name(home)
        self.lock_path = home / LOCK_FILE_NAME
        self._lock = QLockFile(str(self.lock_path))
        # Age never makes a lock stale: the window holds it for days. A dead owner does.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    # -- the second start -----------------------------------------------------------------------

    def claim(self, model: str | None = None, timeout: float = ANSWER_TIMEOUT_S) -> Claim:
        """Take the folder, or hand ``model`` to the window that has it.

        Blocks for at most ``timeout`` seconds; needs no QApplication. A window that closes
        while this waits leaves the folder to this process.
        """
        request = json.dumps({"model": model}).encode("utf-8") + b"\n"
        deadline = time.monotonic() + timeout
        while True:
            owned = self._try_lock()
            if owned is not None:
                return Claim.OWNED if owned else Claim.UNWRITABLE
            if self._hand_over(request, deadline):
                return Claim.HANDED_OVER
            if time.monotonic() >= deadline:
                pid = self.owner_pid()
                log.warning("no answer from the window of %s (pid %s)", self.home, pid)
                return Claim.NO_ANSWER
            time.sleep(_RETRY_S)

    def owner_pid(self) -> int | None:
        """The process named in the lock file, if it can be read."""
        pid, _host, _app = self._lock_info()
        return pid or None

    def _try_lock(self) -> bool | None:
        """True: the lock is ours; None: another process holds it; False: it cannot be made."""
        if self._lock.tryLock(0):
            return True
        error = self._lock.error()
        if error != QLockFile.LockError.LockFailedError:
            log.warning("cannot create %s (%s)", self.lock_path, error)
            return False
        # Qt found the owner alive; check again ourselves before waiting on a dead process.
        pid, host, _app = self._lock_info()
        if pid and host in ("", QSysInfo.machineHostName()) and not self._owner_alive(pid):
            log.info("taking over the lock of process %d, which is gone", pid)
            if self._lock.removeStaleLockFile() and self._lock.tryLock(0):
                return True
        return None

    def _owner_alive(self, pid: int) -> bool:
        """Whether ``pid`` is the process that wrote the lock: it exists, and it started before
        the lock was written (a later one got the number of a process that died)."""
        try:
            started = psutil.Process(pid).create_time()
            written = self.lock_path.stat().st_mtime
        except psutil.NoSuchProcess:
            return False
        except (psutil.Error, OSError):
            return True  # cannot tell: better to wait for an answer than to share the folder
        # Slack for coarse file times (FAT keeps two seconds). Erring here is still safe: Qt
        # will not remove a lock file that its live owner holds open.
        return started <= written + 5.0

    def _lock_info(self) -> tuple[int, str, str]:
        """(pid, host, program) from the lock file; pid 0 when it cannot be read."""
        info = self._lock.getLockInfo()  # PySide6 gives the tuple, or False when unreadable
        if isinstance(info, tuple) and len(info) == 3 and isinstance(info[0], int):
            return info[0] if info[0] > 0 else 0, str(info[1]), str(info[2])
        return 0, "", ""

    def _hand_over(self, request: bytes, deadline: float) -> bool:
        """Send the request to the window and wait for its answer; False if there is none."""
        if sys.platform == "win32":
            _allow_foreground(self.owner_pid())
        client = QLocalSocket()
        client.connectToServer(self.name)
        try:
            if not client.waitForConnected(_ms_left(deadline)):
                return False  # not listening yet (still starting) or a stale socket file
            client.write(request)
            if not client.waitForBytesWritten(_ms_left(deadline)):
                return False
            answer = b""
            while b"\n" not in answer and time.monotonic() < deadline:
                if not client.waitForReadyRead(_ms_left(deadline)):
                    break
                answer += bytes(client.readAll().data())
            return answer.startswith(b'{"ok": true}')
        finally:
            client.abort()

    # -- the window -----------------------------------------------------------------------------

    def listen(self) -> bool:
        """Answer second starts from now on (call once the window exists)."""
        # We hold the lock, so a socket of this name can only be a crashed window's leftover.
        QLocalServer.removeServer(self.name)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        if not self._server.listen(self.name):
            # The window still works; a second start will say that this one does not answer.
            log.warning("cannot listen as %s: %s", self.name, self._server.errorString())
            return False
        log.info("the window over %s answers as %s", self.home, self._server.fullServerName())
        return True

    def release(self) -> None:
        """Stop answering and give the folder back (when the window has closed)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for client in list(self._buffers):
            client.abort()
        self._buffers.clear()
        self._lock.unlock()

    @Slot()
    def _on_new_connection(self) -> None:
        while self._server is not None and (client := self._server.nextPendingConnection()):
            self._buffers[client] = b""
            client.readyRead.connect(lambda c=client: self._on_ready_read(c))
            client.disconnected.connect(lambda c=client: self._forget(c))
            # A client that never finishes its line must not stay connected for ever.
            QTimer.singleShot(int(ANSWER_TIMEOUT_S * 1000), client, client.abort)

    def _on_ready_read(self, client: QLocalSocket) -> None:
        if client not in self._buffers:
            return
        data = self._buffers[client] + bytes(client.readAll().data())
        self._buffers[client] = data
        if b"\n" not in data:
            if len(data) > MAX_REQUEST_BYTES:
                client.abort()
            return
        del self._buffers[client]
        model = _model_of(data.split(b"\n", 1)[0])
        if model is None:
            client.abort()
            return
        log.info("a second start asked for the window (model: %s)", model or "none")
        self.activation_requested.emit(model)
        client.write(_ANSWER)
        client.disconnectFromServer()  # after the answer is written

    def _forget(self, client: QLocalSocket) -> None:
        self._buffers.pop(client, None)
        client.deleteLater()


def _model_of(line: bytes) -> str | None:
    """The model path of a request line ("" for none), or None if the line is not a request."""
    try:
        request = json.loads(line)
    except ValueError:
        return None
    if not isinstance(request, dict):
        return None
    model = request.get("model")
    if model is None:
        return ""
    return model if isinstance(model, str) else None


def _ms_left(deadline: float) -> int:
    return max(1, int((deadline - time.monotonic()) * 1000))


def _allow_foreground(pid: int | None) -> None:
    """Let the running window come to the front: Windows lets only the foreground process
    (this one, just started by the user) hand that right on."""
    if pid is None:
        return
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(pid)
