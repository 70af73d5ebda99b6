"""The log file exists, rotates, and never holds a secret."""

from __future__ import annotations

import logging
import sys

from workbench.core import paths
from workbench.core.logs import redact, setup_logging


def test_redact_known_secret_shapes():
    text = redact(
        "key sk-proj-abcdefghijklmnop token hf_ABCDEFGHIJKLMNOPQRS "
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x api_key='abcdef123456'"
    )
    for secret in (
        "sk-proj-abcdefghijklmnop",
        "hf_ABCDEFGHIJKLMNOPQRS",
        "eyJhbGciOiJIUzI1NiJ9",
        "abcdef123456",
    ):
        assert secret not in text
    assert text.startswith("key [redacted] token [redacted] Authorization: ")


def test_log_file_under_home_and_redacted(workbench_home):
    handler = setup_logging()
    try:
        logging.getLogger("test").warning("calling with sk-abcdefghijklmnopqrstuv")
        handler.flush()
        log_file = paths.logs_dir() / "workbench.log"
        assert log_file.parent.parent == workbench_home
        content = log_file.read_text()
        assert "calling with [redacted]" in content and "sk-abc" not in content
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_setup_logging_twice_does_not_stack_handlers():
    import logging

    from workbench.core.logs import setup_logging

    root = logging.getLogger()
    setup_logging(verbose=True)
    first = [h for h in root.handlers if getattr(h, "_workbench", False)]
    setup_logging(verbose=False)
    second = [h for h in root.handlers if getattr(h, "_workbench", False)]
    assert len(first) == 2 and len(second) == 1
    assert not any(isinstance(h, logging.StreamHandler) and h.stream is sys.stderr for h in second)
    for h in second:
        root.removeHandler(h)
        h.close()
