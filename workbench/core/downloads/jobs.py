"""What the download queue holds: the files of a job, and a job as the window sees it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.hub.models import entry_label

_SPLIT_SUFFIX = re.compile(r"-\d{5}-of-\d{5}(?=\.gguf$)", re.IGNORECASE)


@dataclass(frozen=True)
class DownloadFile:
    """One repository file to download: its path in the repository, size and LFS SHA-256."""

    path: str
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class JobSnapshot:
    """A job as it stood when :meth:`DownloadManager.jobs` was called."""

    id: str
    repo_id: str
    revision: str | None
    name: str
    files: tuple[DownloadFile, ...]
    dest_dir: Path
    state: str
    done_bytes: int
    total_bytes: int
    speed_bps: float
    eta_s: float | None
    error: str | None
    error_kind: str | None
    current_file: str | None
    dest_paths: tuple[Path, ...]
    #: running, but waiting for another download of the same file (another window, the command
    #: line) to finish; ``done_bytes`` then follows that download's partial file
    waiting: bool = False

    @property
    def label(self) -> str:
        """The job's name as shown to people: a split model's part count translated."""
        return entry_label(self.name)


def display_name(files: Sequence[DownloadFile]) -> str:
    """What the queue shows for a job: the file name, or the model name and its part count."""
    first = files[0].path.rsplit("/", 1)[-1]
    if len(files) == 1:
        return first
    return f"{_SPLIT_SUFFIX.sub('', first)} ({len(files)} parts)"
