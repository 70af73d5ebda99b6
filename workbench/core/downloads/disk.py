"""The bytes of a download on disk: hashed beside the writes, synced as the file grows, checked."""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

#: bytes per read when hashing a file that is already on disk
HASH_CHUNK = 4 << 20


class HashPipe:
    """Hashes the reads in a helper thread while the next read and write go on.

    SHA-256 costs about as much CPU as receiving and writing the bytes; overlapping them keeps
    a fast link at the speed of the disk. Buffers circulate: :meth:`take` one, fill and write it,
    :meth:`submit` it; the helper hashes submitted buffers in order and frees them again.
    """

    def __init__(self, hasher, buffer_size: int, buffers: int = 4) -> None:
        self._hasher = hasher
        self._views = [memoryview(bytearray(buffer_size)) for _ in range(buffers)]
        self._free: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._todo: queue.SimpleQueue[tuple[int, int] | None] = queue.SimpleQueue()
        for i in range(buffers):
            self._free.put(i)
        self._thread = threading.Thread(target=self._loop, name="part-hasher", daemon=True)
        self._thread.start()

    def take(self) -> tuple[int, memoryview]:
        index = self._free.get()
        return index, self._views[index]

    def give_back(self, index: int) -> None:
        self._free.put(index)

    def submit(self, index: int, n: int) -> None:
        self._todo.put((index, n))

    def close(self) -> None:
        """Hash everything submitted, then stop the helper."""
        self._todo.put(None)
        self._thread.join()

    def _loop(self) -> None:
        update = self._hasher.update
        while (item := self._todo.get()) is not None:
            index, n = item
            update(self._views[index][:n])
            self._free.put(index)


class Flusher:
    """Syncs a file to disk in a background thread whenever poked, while it is still growing."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None

    def poke(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="part-flusher", daemon=True)
            self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """Stop the thread; the caller's own fsync reports any error."""
        self._closed = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()

    def _loop(self) -> None:
        sync = getattr(os, "fdatasync", os.fsync)
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closed:
                return
            with contextlib.suppress(OSError):
                sync(self._fd)


def file_matches(
    path: Path,
    *,
    size: int | None,
    sha256: str | None,
    should_stop: Callable[[], bool] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> bool:
    """Whether ``path`` exists with the expected size and SHA-256 (hashing it in chunks).

    Returns False as well when ``should_stop`` turns true part-way.
    """
    try:
        st = os.stat(path)
    except OSError:
        return False
    if size is not None and st.st_size != size:
        return False
    if sha256 is None:
        return size is not None
    hasher = hashlib.sha256()
    buf = bytearray(HASH_CHUNK)
    view = memoryview(buf)
    done = 0
    try:
        with open(path, "rb", buffering=0) as f:
            while True:
                if should_stop is not None and should_stop():
                    return False
                n = f.readinto(view)
                if not n:
                    break
                hasher.update(view[:n])
                done += n
                if on_progress is not None:
                    on_progress(done)
    except OSError:
        return False
    return hasher.hexdigest() == sha256.lower()
