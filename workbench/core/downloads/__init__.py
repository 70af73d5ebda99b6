"""Downloading model files from the Hub: resumable verified transfers and a persistent queue."""

from workbench.core.downloads.manager import DownloadFile, DownloadManager, JobSnapshot
from workbench.core.downloads.progress import TransferProgress
from workbench.core.downloads.transfer import (
    FileTransfer,
    TransferError,
    UnsafePathError,
    safe_destination,
)

__all__ = [
    "DownloadFile",
    "DownloadManager",
    "FileTransfer",
    "JobSnapshot",
    "TransferError",
    "TransferProgress",
    "UnsafePathError",
    "safe_destination",
]
