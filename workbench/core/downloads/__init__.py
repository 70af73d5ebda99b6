"""Downloading model files from the Hub: resumable verified transfers and a persistent queue."""

from workbench.core.downloads.destination import safe_destination
from workbench.core.downloads.errors import TransferError, UnsafePathError
from workbench.core.downloads.manager import DownloadFile, DownloadManager, JobSnapshot
from workbench.core.downloads.progress import TransferProgress
from workbench.core.downloads.transfer import FileTransfer

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
