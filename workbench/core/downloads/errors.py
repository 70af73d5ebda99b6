"""How a download fails: one exception with a kind and one plain sentence."""

from __future__ import annotations


class TransferError(Exception):
    """A transfer that did not complete; ``str()`` is one plain sentence naming the file.

    Attributes:
        kind: "network", "auth", "gated", "not_found", "rate_limited", "server", "disk_full",
            "no_space", "io", "hash_mismatch", "size_mismatch", "unsafe_path", "cancelled",
            "paused" or "http".
        retryable: whether trying again later may succeed without the user changing anything.
        retry_after: seconds the server asked us to wait, if it said.
    """

    def __init__(
        self, kind: str, message: str, *, retryable: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.retryable = retryable
        self.retry_after = retry_after


class UnsafePathError(TransferError, ValueError):
    """A repository file name that would be written outside the download folder."""

    def __init__(self, message: str) -> None:
        super().__init__("unsafe_path", message)
