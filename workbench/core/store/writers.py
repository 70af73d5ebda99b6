"""Which processes may be writing streaming replies into a database right now.

A reply in state 'streaming' is either being written or was left by a crash. Only the process
that writes it knows which, so every process that records replies holds an operating-system
lock on a file of its own in ``<database>.writers/`` for as long as it lives. A lock that can
be taken belongs to a process that is gone (the OS releases it at exit, however the process
ended); a lock that cannot be taken belongs to a live writer, whose replies must not be called
interrupted.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

from filelock import FileLock, Timeout

_held: dict[Path, FileLock] = {}
_held_lock = threading.Lock()


def _folder(database: Path) -> Path:
    return database.with_name(database.name + ".writers")


def hold(database: Path) -> None:
    """Mark this process as a writer of ``database`` until it exits (idempotent)."""
    folder = _folder(database)
    with _held_lock:
        if folder in _held:
            return
        folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(folder / f"{os.getpid()}.lock", is_singleton=False)
        lock.acquire()
        _held[folder] = lock


def others_alive(database: Path) -> bool:
    """Whether another live process is a writer of ``database``; stale lock files are removed."""
    folder = _folder(database)
    with _held_lock:
        mine = _held.get(folder)
    mine_path = Path(mine.lock_file) if mine is not None else None
    alive = False
    for path in folder.glob("*.lock") if folder.is_dir() else ():
        if mine_path is not None and path == mine_path:
            continue
        lock = FileLock(path, is_singleton=False)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            alive = True
            continue
        except OSError:
            continue
        # Taken: its process is gone. Remove the file while holding the lock.
        with contextlib.suppress(OSError):
            path.unlink()
        lock.release()
    return alive
