"""One writer per partial file: a cross-process lock beside each ``.part``.

A download holds an exclusive lock on ``<file>.part.lock`` from before it opens ``<file>.part``
until the verified file has been renamed into place, so no second writer (another thread, the
window, the command line) ever appends to the same ``.part``. The lock is the operating
system's (``flock`` / ``LockFileEx`` through :mod:`filelock`): it dies with its process, so a
downloader killed mid-transfer leaves a lock file that the next run simply takes.

The holder removes the lock file just before it lets go. A waiter that had already opened the
removed file finds it unlinked once it gets the lock and tries again (filelock checks the link
count), so two holders can never meet on two different files.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from filelock import FileLock, Timeout

#: How often a download waiting for another one's lock looks again (and checks its cancel flag).
WAIT_POLL_S = 0.1


def lock_path(dest: Path) -> Path:
    """The lock file of the download of ``dest``."""
    return dest.with_name(dest.name + ".part.lock")


class PartLock:
    """The exclusive right to write ``<dest>.part`` and rename it to ``dest``; single use.

    Take it with :meth:`try_acquire` (never blocks, so the caller can wait in its own way and
    stay cancellable) and give it back with :meth:`release` from the same thread.
    """

    def __init__(self, dest: Path) -> None:
        self.path = lock_path(Path(dest))
        self._lock = FileLock(self.path)
        self._held = False

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this object now holds it."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        self._held = True
        return True

    def release(self) -> None:
        """Remove the lock file, then let go (no-op when not held)."""
        if not self._held:
            return
        self._held = False
        try:
            # Windows cannot unlink an open file; filelock removes it there after releasing.
            if os.name != "nt":
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
        finally:
            self._lock.release()


def remove_partial(dest: Path) -> bool:
    """Delete ``<dest>.part`` unless another download is writing it; True when it is gone.

    A partial file whose lock someone else holds is theirs: it is left alone.
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    if not part.exists():
        return True
    lock = PartLock(dest)
    if not lock.try_acquire():
        return False
    try:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
        return True
    except OSError:
        return False
    finally:
        lock.release()
