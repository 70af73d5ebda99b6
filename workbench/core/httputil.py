"""HTTP details that every client here reads the same way.

:func:`retry_after_seconds`: how long a server asked us to wait. The Hub client, the download
transfer and the cloud backends all honour ``Retry-After``; each adds what its own servers say
besides (the Hub's ``RateLimit`` header, OpenAI's ``retry-after-ms`` and waits written in the
error text) on top of it.

:func:`url_origin`: which origin a URL belongs to, so that credentials sent to the Hub never
follow a redirect to another host.
"""

from __future__ import annotations

import email.utils
import math
import time
from datetime import timezone
from urllib.parse import urlsplit


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value: a number of seconds or an HTTP date.

    Args:
        value: The header's value, or None when there was none.
        now: The current time as a Unix timestamp (default: the clock), for dates.

    Returns:
        Zero or more seconds; a date in the past gives 0. None when the header is missing or
        says nothing usable (a word, "inf"), so the caller falls back to its own back-off.
    """
    text = (value or "").strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # "-0000" parses without a zone; HTTP dates are always in GMT.
        when = when.replace(tzinfo=timezone.utc)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def url_origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, lower-case, with the scheme's default port filled in.

    ``https://HUB.example:443/a`` and ``https://hub.example/b`` have the same origin.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port
