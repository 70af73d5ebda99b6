"""Write a file so that a crash, a full disk or a second process never spoils it.

Every settings-like file (settings, window state, providers, prices, presets, the library, the
opt-in key file) and the CSV exports go through :func:`write_atomic`: the text goes to a
temporary file in the same folder, is flushed to disk (``fsync``), and then replaces the target
with ``os.replace``, a rename on one file system, so readers see the old file or the new one.
:func:`fsync_dir` makes such a rename itself durable where that matters (a finished download).

The window and the command line write the same files. A whole-file write from an in-memory copy
would undo what the other one saved since it read the file, so writers change a shared file with
:func:`update_json`: under the file's lock (:func:`file_lock`, an OS lock on ``<name>.lock``
beside it) it reads the file as it is now, applies only this change and replaces it atomically.
Readers take no lock: a rename never shows them half a file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

from filelock import FileLock

log = logging.getLogger(__name__)

_POSIX = os.name == "posix"

# A writer holds a file's lock for one read and one small write; waiting longer than this means
# the other process hangs (not that it is busy), and the caller reports a failed save (the
# filelock.Timeout it gets is a TimeoutError, so an OSError).
LOCK_TIMEOUT = 30.0

T = TypeVar("T")


def write_atomic(
    path: Path,
    fill: Callable[[TextIO], object],
    *,
    private: bool = False,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> None:
    """Replace ``path`` with what ``fill`` writes to the text file it is given.

    The folder must exist. Whatever fails (``fill`` included), the target is left as it was and
    the temporary file is removed; the exception propagates.

    Args:
        path: The file to replace (or create).
        fill: Writes the content to the open file.
        private: Readable by the owner only (0600) from its first byte, for files that hold
            secrets or are ours alone; otherwise the usual permissions (0666 less the umask).
        encoding: The text encoding, e.g. ``utf-8-sig`` for CSV that spreadsheets open.
        newline: As for :func:`open`; ``""`` for the csv module.
    """
    path = Path(path)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # O_EXCL: never write through a file or link someone placed under the temporary name.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o600 if private else 0o666)
    try:
        if private and _POSIX:
            os.fchmod(fd, 0o600)  # a umask can only take bits away; this states it plainly
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
        # The folder is not synced after the rename: after a power cut the old file may come
        # back instead of the new one, but never half of either, and every save stays one fsync.
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_json(path: Path, data: Any, *, indent: int = 1, private: bool = True) -> None:
    """Replace ``path`` with ``data`` as UTF-8 JSON (see :func:`write_atomic`).

    ``data`` is encoded before anything is written, so a value JSON cannot hold raises
    ``TypeError`` or ``ValueError`` with the old file untouched. JSON files are private by default:
    they are the app's own, and some (the key file) hold secrets.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    write_atomic(path, lambda f: f.write(text), private=private)


def file_lock(path: Path, *, timeout: float = LOCK_TIMEOUT) -> FileLock:
    """The lock that every writer of ``path`` holds while it reads and replaces the file.

    An OS lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) on ``<name>.lock`` in the same
    folder, which must exist: it ends with the process that held it, so a writer that was killed
    never blocks the next one. It excludes other threads of this process too, but it is not
    re-entrant across objects: never take it again while holding it.
    """
    path = Path(path)
    return FileLock(path.with_name(path.name + ".lock"), timeout=timeout)


def read_json(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; ``{}`` when there is none or it is not an object.

    A file that cannot be read or parsed is set aside as ``<name>.bad`` (see :func:`set_aside`),
    so the app starts from defaults instead of failing, and the next save starts a new file.
    """
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s is unreadable (%s); starting from defaults", path, exc)
        set_aside(path)
        return {}
    return data if isinstance(data, dict) else {}


def update_json(
    path: Path,
    change: Callable[[T], Any],
    *,
    read: Callable[[Path], T] = read_json,  # type: ignore[assignment]
    indent: int = 1,
    private: bool = True,
) -> Any:
    """Change a JSON file that other processes write too, without undoing their changes.

    Under :func:`file_lock` it reads the file as it is now (``read``), passes that to ``change``,
    writes what ``change`` returns with :func:`write_json` and releases the lock. When ``change``
    or the write raises, the file is left as it was and the exception propagates. The folder is
    created if needed.

    Args:
        path: The shared file.
        change: Gets the current content and returns the whole new content; it applies only this
            writer's change, so whatever others saved stays.
        read: Reads the current content (default :func:`read_json`: a dict, ``{}`` when missing,
            a damaged file set aside).
        indent: As for :func:`write_json`.
        private: As for :func:`write_json`.

    Returns:
        The content written, for a store to refresh its in-memory copy from.

    Raises:
        OSError: The file could not be written, or the lock was not free within
            :data:`LOCK_TIMEOUT` (``filelock.Timeout``).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(path):
        data = change(read(path))
        write_json(path, data, indent=indent, private=private)
    return data


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable where folders can be opened (not on Windows)."""
    if not _POSIX:
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def set_aside(path: Path) -> Path | None:
    """Rename a damaged file to ``<name>.bad`` so that it is kept but no longer read.

    Returns:
        The new path, or None when the file could not be renamed.
    """
    bad = path.with_name(path.name + ".bad")
    try:
        os.replace(path, bad)
    except OSError:
        return None
    return bad
