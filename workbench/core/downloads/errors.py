"""How a download fails: one exception with a kind and one plain sentence (translated)."""

from __future__ import annotations

from workbench.core.i18n import translate


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


def gave_up(kind: str, name: str, tries: int, kept: str | None) -> TransferError:
    """The error of a download that failed ``tries`` times in a row; ``kept`` is the size of the
    partial file that stays for a later resume, if any. Whole sentences per cause, so that a
    translation can order them freely."""
    if kept:
        texts = {
            "network": translate(
                "core.downloads",
                "The download of {name} stopped after {tries} tries because of a network error; "
                "{size} are kept and it will resume from there.",
            ),
            "rate_limited": translate(
                "core.downloads",
                "The download of {name} stopped after {tries} tries because of the Hub limiting "
                "requests; {size} are kept and it will resume from there.",
            ),
            "server": translate(
                "core.downloads",
                "The download of {name} stopped after {tries} tries because of server errors; "
                "{size} are kept and it will resume from there.",
            ),
            "": translate(
                "core.downloads",
                "The download of {name} stopped after {tries} tries because of errors; {size} are "
                "kept and it will resume from there.",
            ),
        }
    else:
        texts = {
            "network": translate(
                "core.downloads",
                "The download of {name} stopped after {tries} tries because of a network error.",
            ),
            "rate_limited": translate(
                "core.downloads",
                "The download of {name} stopped after {tries} tries because of the Hub limiting "
                "requests.",
            ),
            "server": translate(
                "core.downloads",
                "The download of {name} stopped after {tries} tries because of server errors.",
            ),
            "": translate(
                "core.downloads",
                "The download of {name} stopped after {tries} tries because of errors.",
            ),
        }
    text = texts.get(kind, texts[""]).format(name=name, size=kept, tries=tries)
    return TransferError(kind, text, retryable=True)


def http_failure(
    status: int,
    code: str,
    name: str,
    *,
    gated: bool,
    authorized: bool,
    retry_after: float | None,
) -> TransferError:
    """The error for an HTTP error answer to a download of ``name``.

    Args:
        status: The HTTP status.
        code: The Hub's ``X-Error-Code`` ("" when it sent none).
        gated: Whether the Hub said the repository is gated.
        authorized: Whether an access token was sent.
        retry_after: Seconds the server asked to wait, if it said.
    """
    if gated:
        if authorized:
            text = translate(
                "core.downloads",
                "{name} is in a gated repository that your access token cannot open yet; "
                "request access on its Hub page and try again.",
            )
        else:
            text = translate(
                "core.downloads",
                "{name} is in a gated repository; request access on its Hub page and add an "
                "access token in Settings.",
            )
        return TransferError("gated", text.format(name=name))
    if code in ("RepoNotFound", "EntryNotFound", "RevisionNotFound") or status == 404:
        text = translate(
            "core.downloads",
            "{name} was not found on the Hub; the repository or file may have been renamed, "
            "removed or made private.",
        )
        return TransferError("not_found", text.format(name=name))
    if status in (401, 403):
        text = translate(
            "core.downloads",
            "The Hub refused access to {name}; check the access token in Settings.",
        )
        return TransferError("auth", text.format(name=name))
    if status == 429:
        text = translate(
            "core.downloads", "The Hub is limiting requests, so the download of {name} is waiting."
        )
        return TransferError(
            "rate_limited", text.format(name=name), retryable=True, retry_after=retry_after
        )
    if status >= 500:
        text = translate(
            "core.downloads",
            "The server answered error {status} for {name}; it will be tried again.",
        )
        return TransferError(
            "server", text.format(status=status, name=name), retryable=True, retry_after=retry_after
        )
    text = translate("core.downloads", "The server answered HTTP {status} for {name}.")
    return TransferError("http", text.format(status=status, name=name))
