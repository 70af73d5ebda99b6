"""Logging to a rotating file in the app data folder, with secrets scrubbed.

The windowed app may have no stdout/stderr at all, and users should never see a traceback: the
details of every failure go here instead. Anything that looks like an API key or a token is
replaced before it is written, whatever logged it.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys

from workbench.core import paths
from workbench.core.i18n import translate

LOG_FILE_NAME = "workbench.log"

# OpenAI-style keys (sk-..., sk-proj-...), Hugging Face tokens (hf_...), bearer headers, and
# generic "api_key=..." pairs.
_SECRET_PATTERNS = [
    re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,})"),
    re.compile(r"\b(hf_[A-Za-z0-9]{8,})"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]{8,}"),
    re.compile(r"(?i)((?:api[_-]?key|token|authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]{6,}"),
]


def redact(text: str) -> str:
    """Replace anything that looks like a secret with ``[redacted]``."""
    for pattern in _SECRET_PATTERNS:
        if pattern.groups and pattern.pattern.startswith("(?i)("):
            text = pattern.sub(lambda m: m.group(1) + "[redacted]", text)
        else:
            text = pattern.sub("[redacted]", text)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(*, verbose: bool = False) -> logging.Handler | None:
    """Log to ``logs/workbench.log`` (1 MB x 3); ``verbose`` also logs to stderr when it exists."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # Calling this again (tests, or the CLI run in-process) replaces our handlers instead of
    # stacking them: stacked console handlers would print every record several times.
    for old in [h for h in root.handlers if getattr(h, "_workbench", False)]:
        root.removeHandler(old)
        old.close()
    # One INFO line per HTTP request from the HTTP client says nothing our own lines don't.
    for noisy in ("httpx", "httpx2", "httpcore", "httpcore2"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    fmt = RedactingFormatter("%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    handler: logging.Handler | None = None
    try:
        handler = logging.handlers.RotatingFileHandler(
            paths.logs_dir() / LOG_FILE_NAME, maxBytes=2**20, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(fmt)
        handler._workbench = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    except OSError as exc:  # a read-only data folder must not stop the app
        if sys.stderr is not None:
            print(
                translate("core.logs", "warning: cannot write the log file: {error}").format(
                    error=exc
                ),
                file=sys.stderr,
            )
    if verbose and sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(fmt)
        console._workbench = True  # type: ignore[attr-defined]
        root.addHandler(console)
    return handler
