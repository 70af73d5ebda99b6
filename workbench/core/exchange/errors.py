"""The one kind of error an export or an import reports: a sentence for the user."""

from __future__ import annotations


class ExchangeError(Exception):
    """A file could not be exported or imported; ``str()`` is one sentence for the user, in
    the user's language, naming the file and what is wrong with it."""
