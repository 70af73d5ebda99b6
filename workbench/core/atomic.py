"""Write a file so that a crash or a full disk never leaves half of it.

Every settings-like file (settings, window state, providers, prices, presets, the library, the
opt-in key file) and the CSV exports go through :func:`write_atomic`: the text goes to a
temporary file in the same folder, is flushed to disk (``fsync``), and then replaces the target
with ``os.replace``, a rename on one file system, so readers see the old file or the new one.
:func:`fsync_dir` makes such a rename itself durable where that matters (a finished download).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

_POSIX = os.name == "posix"


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
