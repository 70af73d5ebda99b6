"""One file's byte transfer: resumable, retrying, cancellable, verified.

``huggingface_hub`` cannot resume a partial download across calls and has no per-download cancel,
so Workbench moves the bytes itself. A :class:`FileTransfer` writes into ``<dest>.part``, resumes
with ``Range: bytes=N-`` (also in a later session, from the ``.part`` left on disk), retries
network errors, 5xx and 429 with exponential back-off, hashes while it writes and only renames
the file into place (``os.replace``, after ``fsync``) once its size and SHA-256 match what the Hub
announced. :meth:`FileTransfer.pause` and :meth:`FileTransfer.cancel` may be called from any
thread; the transfer stops within one read.

One writer per file: the transfer holds the ``.part``'s lock
(:mod:`~workbench.core.downloads.partlock`) from before it opens the ``.part`` (so before it
re-hashes a partial file it resumes) until the rename. Every byte of the ``.part`` was therefore
hashed by this transfer, as written or re-read under the lock, and the file renamed into place is
checked to be that same file of that same size: what is called verified is the file on disk. A
second download of the same file waits for the lock, then finds the verified file in place
(:attr:`FileTransfer.already_downloaded`) or continues from the partial file left behind.

How it speaks HTTP is in :mod:`~workbench.core.downloads.connection`, hashing and syncing the
file in :mod:`~workbench.core.downloads.disk`; its errors are in
:mod:`~workbench.core.downloads.errors`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import os
import shutil
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

from workbench.core.atomic import fsync_dir
from workbench.core.downloads.connection import (
    build_opener,
    content_range,
    error_message,
    ssl_contexts,
)
from workbench.core.downloads.disk import HASH_CHUNK, Flusher, HashPipe, file_matches
from workbench.core.downloads.errors import TransferError, gave_up, http_failure
from workbench.core.downloads.partlock import WAIT_POLL_S, PartLock
from workbench.core.downloads.progress import Progress, TransferProgress
from workbench.core.httputil import retry_after_seconds
from workbench.core.i18n import translate
from workbench.core.units import human_size

# The largest read: big enough that per-read Python work is negligible at loopback speed, small
# enough that a few buffers in flight between reading, writing and hashing stay in the CPU cache.
MAX_CHUNK = 1 << 20
# The smallest read, used on slow links so that progress and pause stay responsive.
MIN_CHUNK = 16 << 10
_FIRST_CHUNK = 64 << 10
# A read taking longer than this halves the next one; one faster than a quarter of it doubles it.
_READ_TARGET_S = 0.2
# The .part is flushed to disk in the background every this many bytes, so that the fsync before
# the rename does not stall for seconds on gigabytes of dirty pages.
FLUSH_EVERY = 32 << 20
# Free space kept in reserve beyond the bytes still to download.
SPACE_MARGIN = 16 << 20
# Retry-After values above this are not waited for in full (a wrong header must not stall us).
RETRY_AFTER_CAP = 120.0


class _Stopped(Exception):
    pass


class _Restart(Exception):
    """The server's answer cannot continue our ``.part``: start again from its first byte."""


class _RetryNow(Exception):
    """Try again at once, without counting a failure (another TLS trust store, for one)."""


class FileTransfer:
    """Downloads one URL into ``dest``, resuming from ``dest.part``; single use.

    Args:
        url: where the bytes are (redirects are followed).
        dest: the final path; the parent folder is created.
        size: the expected size in bytes, if known.
        sha256: the expected hex SHA-256 (the Hub's LFS hash), if known.
        headers: extra request headers (auth). ``Authorization`` is not sent to another host.
        on_progress: called from the worker thread, at most about ten times a second.
        timeout: seconds to wait for a connection or for the next bytes.
        retries: how many times to try again after a retryable failure in a row.
        backoff: the first wait between tries; it doubles each time, up to ``max_backoff``.
        sleep: how to wait between tries (for tests); by default a wait that pause and cancel
            interrupt.
    """

    def __init__(
        self,
        url: str,
        dest: Path,
        *,
        size: int | None,
        sha256: str | None,
        headers: Mapping[str, str] | None = None,
        on_progress: Callable[[TransferProgress], None] | None = None,
        timeout: float = 30.0,
        retries: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.url = url
        self.dest = Path(dest)
        self.part_path = self.dest.with_name(self.dest.name + ".part")
        self.size = size
        self.sha256 = sha256.lower() if sha256 else None
        self.headers = dict(headers or {})
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.bytes_received = 0
        #: whether another download of the same file held its lock and this one waited
        self.waited = False
        #: whether ``dest`` turned out to be the expected file already, so nothing was fetched
        self.already_downloaded = False
        self._sleep = sleep
        self._progress = Progress(on_progress, size or 0)
        self._stop: str | None = None
        self._remove_partial = True
        self._stop_event = threading.Event()
        self._sock_lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._started = False
        self._context_index = 0
        self._pos = 0
        self._hasher = hashlib.sha256()
        self._opener: urllib.request.OpenerDirector | None = None
        self._flusher: Flusher | None = None

    # -- control (any thread) ----------------------------------------------------------------

    def pause(self) -> None:
        """Stop at the next read, keeping the ``.part``; :meth:`run` raises kind "paused"."""
        with self._sock_lock:
            if self._stop is None:
                self._stop = "paused"
        self._interrupt()

    def cancel(self, *, remove_partial: bool = True) -> None:
        """Stop at the next read; :meth:`run` raises kind "cancelled" and removes the ``.part``
        when ``remove_partial`` is true."""
        with self._sock_lock:
            self._stop = "cancelled"
            self._remove_partial = remove_partial
        self._interrupt()

    def _interrupt(self) -> None:
        self._stop_event.set()
        with self._sock_lock:
            sock = self._sock
        if sock is not None:
            # shutdown() wakes a thread blocked reading this socket; the base class's method is
            # used because SSLSocket.shutdown also drops its TLS state, unsafe while it is in use.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def _on_connect(self, sock: socket.socket) -> None:
        with self._sock_lock:
            self._sock = sock
            stopped = self._stop is not None
        if stopped:
            self._interrupt()

    # -- the transfer ------------------------------------------------------------------------

    @property
    def _name(self) -> str:
        return self.dest.name

    def run(self) -> Path:
        """Download (or finish downloading) and verify the file; returns ``dest``.

        The transfer first takes the ``.part``'s lock: while another download of the same file
        (in this process or another) holds it, this one waits, reporting phase "waiting" with
        the size of that download's ``.part``. Once it has the lock, a ``dest`` already in place
        with the expected size and SHA-256 is kept and :attr:`already_downloaded` is set.

        Raises:
            TransferError: on failure, pause or cancel (see ``kind``).
        """
        if self._started:
            raise RuntimeError("a FileTransfer runs once")
        self._started = True
        try:
            self.dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._io_error(exc) from None
        lock = self._take_lock()
        try:
            if self._in_place():
                self.already_downloaded = True
                self._progress.report(self._progress.total, force=True)
                return self.dest
            if self._stop is not None:  # stopped while hashing dest: no .part made for nothing
                raise self._stopped_error()
            return self._run_locked()
        finally:
            lock.release()

    def _take_lock(self) -> PartLock:
        """Wait for the ``.part``'s lock, checking for pause and cancel between looks."""
        lock = PartLock(self.dest)
        while True:
            if self._stop is not None:
                raise self._stopped_error()
            try:
                if lock.try_acquire():
                    return lock
            except OSError as exc:
                raise self._io_error(exc) from None
            self.waited = True
            try:
                waiting_for = self.part_path.stat().st_size
            except OSError:
                waiting_for = 0
            self._progress.report(waiting_for, phase="waiting")
            self._stop_event.wait(WAIT_POLL_S)

    def _in_place(self) -> bool:
        """Whether ``dest`` already is the expected file (hashed; lock held)."""
        if self.size is None or not self.dest.exists():
            return False
        return file_matches(
            self.dest,
            size=self.size,
            sha256=self.sha256,
            should_stop=lambda: self._stop is not None,
            on_progress=lambda done: self._progress.report(done, phase="hashing"),
        )

    def _run_locked(self) -> Path:
        try:
            f = open(self.part_path, "a+b", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise self._io_error(exc) from None
        self._flusher = Flusher(f.fileno())
        try:
            try:
                self._download(f)
            finally:
                self._flusher.close()  # before the file is closed: it syncs the same descriptor
            self._finish(f)
        except _Stopped:
            with contextlib.suppress(OSError):
                f.close()
            if self._stop == "cancelled" and self._remove_partial:
                with contextlib.suppress(OSError):
                    self.part_path.unlink()
            raise self._stopped_error() from None
        finally:
            with contextlib.suppress(OSError):
                f.close()
        return self.dest

    def _stopped_error(self) -> TransferError:
        if self._stop == "cancelled":
            text = translate("core.downloads", "The download of {name} was cancelled.")
            return TransferError("cancelled", text.format(name=self._name))
        self._progress.report(self._pos, force=True)
        text = translate("core.downloads", "The download of {name} was paused at {size}.")
        return TransferError("paused", text.format(name=self._name, size=human_size(self._pos)))

    def _check_stop(self) -> None:
        if self._stop is not None:
            raise _Stopped

    def _download(self, f) -> None:
        try:
            have = os.fstat(f.fileno()).st_size
            if self.size is not None and have > self.size:
                have = self._restart(f)
            if have:
                self._hash_existing(f, have)
        except OSError as exc:
            raise self._io_error(exc) from None
        if self.size is not None:
            self._check_space(self.size - self._pos)
        failures = 0
        while self.size is None or self._pos < self.size:
            self._check_stop()
            before = self._pos
            try:
                if self._fetch(f):
                    return
                continue
            except _RetryNow:
                continue
            except _Restart:
                if before:
                    try:
                        self._restart(f)
                    except OSError as exc:
                        raise self._io_error(exc) from None
                    continue
                # Already at byte 0 and still unusable: count it as a failed try.
                text = translate("core.downloads", "The server sent an unusable answer for {name}.")
                failure = TransferError("server", text.format(name=self._name), retryable=True)
            except TransferError as exc:
                if self._stop is not None:
                    raise _Stopped from None
                if not exc.retryable:
                    raise
                failure = exc
            # A try that moved the file forward resets the count: a flaky link that keeps
            # delivering gets there in the end; one that keeps failing does not loop forever.
            failures = 1 if self._pos > before else failures + 1
            if failures > self.retries:
                raise self._final_error(failure) from None
            delay = min(self.max_backoff, self.backoff * 2 ** (failures - 1))
            if failure.retry_after is not None:
                delay = min(RETRY_AFTER_CAP, max(delay, failure.retry_after))
            self._wait(delay)

    def _wait(self, seconds: float) -> None:
        if self._sleep is None:
            self._stop_event.wait(seconds)
        else:
            self._sleep(seconds)
        self._check_stop()

    def _restart(self, f) -> int:
        """Empty the ``.part`` and the running hash: the download starts again at byte 0."""
        f.truncate(0)
        self._pos = 0
        self._hasher = hashlib.sha256()
        self._progress.reset()
        return 0

    def _hash_existing(self, f, have: int) -> None:
        """Hash the bytes of the ``.part`` left by an earlier attempt, checking for stops."""
        hasher = hashlib.sha256()
        buf = bytearray(HASH_CHUNK)
        view = memoryview(buf)
        f.seek(0)
        done = 0
        while done < have:
            self._check_stop()
            n = f.readinto(view[: min(HASH_CHUNK, have - done)])
            if not n:
                break
            hasher.update(view[:n])
            done += n
            self._progress.report(done, phase="hashing")
        if done < have:  # the file shrank while we read it
            f.truncate(done)
        self._hasher = hasher
        self._pos = done
        self._progress.reset()

    def _check_space(self, remaining: int) -> None:
        try:
            free = shutil.disk_usage(self.part_path.parent).free
        except OSError:
            return
        if free < remaining + SPACE_MARGIN:
            text = translate(
                "core.downloads",
                "There is not enough free space for {name}: it needs {needed} and only {free} "
                "are free.",
            )
            needed = human_size(remaining + SPACE_MARGIN)
            text = text.format(name=self._name, needed=needed, free=human_size(free))
            raise TransferError("no_space", text)

    def _opener_for_try(self) -> urllib.request.OpenerDirector:
        if self._opener is None:
            context = ssl_contexts()[self._context_index]
            self._opener = build_opener(self._on_connect, context)
        return self._opener

    def _fetch(self, f) -> bool:
        """One request from the current position; True when the whole file has arrived."""
        headers = dict(self.headers)
        headers["Accept-Encoding"] = "identity"
        start = self._pos
        if start:
            headers["Range"] = f"bytes={start}-"
        request = urllib.request.Request(self.url, headers=headers)
        try:
            response = self._opener_for_try().open(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            with contextlib.suppress(Exception):
                exc.close()
            return self._http_error(exc, f)
        except ssl.SSLCertVerificationError as exc:
            return self._certificate_error(exc)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, ssl.SSLCertVerificationError):
                return self._certificate_error(exc.reason)
            raise self._network_error() from None
        except (OSError, http.client.HTTPException, ValueError):
            raise self._network_error() from None
        try:
            with response:
                return self._receive(response, f, start)
        finally:
            with self._sock_lock:
                self._sock = None

    def _certificate_error(self, exc: Exception) -> bool:
        if self._context_index + 1 < len(ssl_contexts()):
            self._context_index += 1
            self._opener = None
            raise _RetryNow
        text = translate(
            "core.downloads",
            "The download of {name} failed because the server's certificate could not be verified.",
        )
        raise TransferError("network", text.format(name=self._name)) from exc

    def _receive(self, response, f, start: int) -> bool:
        self._check_stop()
        status = response.status
        length = response.length  # None when the body is chunked
        if status == 206:
            first, total = content_range(response.headers.get("Content-Range"))
            if first != start:
                raise _Restart
        elif status == 200:
            first, total = 0, length
            if start:
                # The server ignored our Range and sends the whole file: take it from byte 0.
                try:
                    self._restart(f)
                except OSError as exc:
                    raise self._io_error(exc) from None
        else:
            text = translate("core.downloads", "The server answered HTTP {status} for {name}.")
            raise TransferError("http", text.format(status=status, name=self._name))
        if total is not None:
            if self.size is not None and total != self.size:
                with contextlib.suppress(OSError):
                    self._restart(f)
                raise self._size_changed()
            if self.size is None and self._progress.total != total:
                self._progress.total = total
                self._check_space(total - self._pos)
        if total is not None:
            end = total
        elif length is not None:
            end = self._pos + length
        else:
            end = None
        self._read_body(response, f, end)
        if end is not None and self._pos < end:
            raise self._network_error()
        return True

    def _read_body(self, response, f, end: int | None) -> None:
        readinto = response.readinto
        write = f.write
        progress = self._progress
        pipe = HashPipe(self._hasher, MAX_CHUNK)
        chunk = _FIRST_CHUNK
        pos = self._pos
        next_flush = pos + FLUSH_EVERY
        try:
            while self._stop is None:
                t0 = time.monotonic()
                index, view = pipe.take()
                try:
                    n = readinto(view[:chunk])
                except (OSError, http.client.HTTPException, ValueError):
                    pipe.give_back(index)
                    if self._stop is not None:
                        raise _Stopped from None
                    raise self._network_error() from None
                if not n:
                    pipe.give_back(index)
                    break
                self.bytes_received += n
                try:
                    written = write(view[:n])
                    while written < n:  # a raw file may take part of a buffer
                        more = write(view[written:n])
                        if not more:
                            raise OSError(errno.EIO, "short write")
                        written += more
                except OSError as exc:
                    pipe.give_back(index)
                    # Keep only whole reads, so the .part stays a resumable prefix.
                    with contextlib.suppress(OSError):
                        f.truncate(pos)
                    raise self._io_error(exc) from None
                pipe.submit(index, n)
                pos += n
                self._pos = pos
                elapsed = time.monotonic() - t0
                if elapsed < _READ_TARGET_S / 4 and chunk < MAX_CHUNK:
                    chunk *= 2
                elif elapsed > _READ_TARGET_S and chunk > MIN_CHUNK:
                    chunk //= 2
                progress.report(pos)
                if pos >= next_flush:
                    next_flush = pos + FLUSH_EVERY
                    self._flusher.poke()
                if end is not None and pos >= end:
                    break
            self._check_stop()
        finally:
            pipe.close()  # every submitted read is hashed: the hash matches the .part again

    def _finish(self, f) -> None:
        self._check_stop()
        if self.size is not None and self._pos != self.size:
            self._discard(f)
            raise self._size_changed()
        if self.sha256 is not None and self._hasher.hexdigest() != self.sha256:
            self._discard(f)
            raise self._mismatch()
        self._progress.report(self._pos, force=True)
        # The hash is of the bytes this transfer wrote (and re-read on resume), all under the
        # lock; what is renamed must be that same file and nothing more.
        try:
            mine = os.fstat(f.fileno())
            same = os.path.samestat(self.part_path.stat(), mine) and mine.st_size == self._pos
        except OSError:
            same = False
        if not same:
            self._discard(f)
            raise self._mismatch()
        try:
            os.fsync(f.fileno())
            f.close()
            os.replace(self.part_path, self.dest)
        except OSError as exc:
            raise self._io_error(exc) from None
        fsync_dir(self.dest.parent)

    def _discard(self, f) -> None:
        with contextlib.suppress(OSError):
            f.close()
        with contextlib.suppress(OSError):
            self.part_path.unlink()

    # -- errors ------------------------------------------------------------------------------

    def _size_changed(self) -> TransferError:
        text = translate(
            "core.downloads",
            "The Hub now reports a different size for {name} than when the download began; the "
            "partial file was discarded and it must be downloaded again.",
        )
        return TransferError("size_mismatch", text.format(name=self._name))

    def _mismatch(self) -> TransferError:
        text = translate(
            "core.downloads",
            "The download of {name} did not match the Hub's checksum; the file was discarded and "
            "must be downloaded again.",
        )
        return TransferError("hash_mismatch", text.format(name=self._name))

    def _network_error(self) -> TransferError:
        text = translate(
            "core.downloads",
            "The download of {name} was interrupted by a network error; it will resume from "
            "{size}.",
        )
        text = text.format(name=self._name, size=human_size(self._pos))
        return TransferError("network", text, retryable=True)

    def _final_error(self, exc: TransferError) -> TransferError:
        kept = human_size(self._pos) if self._pos else None
        return gave_up(exc.kind, self._name, self.retries + 1, kept)

    def _io_error(self, exc: OSError) -> TransferError:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            if self._pos:
                text = translate(
                    "core.downloads",
                    "The disk filled up while downloading {name}; the {size} already downloaded "
                    "are kept, so free some space and resume.",
                )
            else:
                text = translate(
                    "core.downloads",
                    "The disk filled up while downloading {name}, so free some space and resume.",
                )
            return TransferError(
                "disk_full", text.format(name=self._name, size=human_size(self._pos))
            )
        text = translate(
            "core.downloads", "Workbench could not write {name} to {folder}: {reason}."
        )
        reason = (exc.strerror or str(exc)).lower()  # the system's own words
        return TransferError(
            "io", text.format(name=self._name, folder=self.dest.parent, reason=reason)
        )

    def _http_error(self, exc: urllib.error.HTTPError, f) -> bool:
        status = exc.code
        code = (exc.headers.get("X-Error-Code") or "") if exc.headers else ""
        name = self._name
        if status == 416 and self._pos:
            # Our .part is at or past the end of the server's file: complete if the sizes agree.
            _, total = content_range(exc.headers.get("Content-Range") if exc.headers else None)
            if total is not None and total == self._pos and self.size in (None, total):
                return True
            raise _Restart
        gated = code == "GatedRepo" or (status == 403 and "gated" in error_message(exc).lower())
        authorized = "authorization" in {k.lower() for k in self.headers}
        retry_after = retry_after_seconds(exc.headers.get("Retry-After") if exc.headers else None)
        raise http_failure(
            status, code, name, gated=gated, authorized=authorized, retry_after=retry_after
        )
