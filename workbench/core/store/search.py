"""Turning what the user typed into the search box into SQL conditions on conversations."""

from __future__ import annotations

import re
from typing import Any

# Trigrams need at least three characters; shorter search terms use LIKE.
_TRIGRAM = 3
# A search term is a "quoted phrase" or a run of characters without spaces or quotes, so a stray
# quote in the user's text is just a separator.
_TERM = re.compile(r'"([^"]+)"|([^\s"]+)')


def search_conditions(query: str, *, fts: bool) -> tuple[list[str], list[Any]]:
    """SQL conditions on ``conversations`` (all must hold) and their arguments, one per term.

    Terms are separated by spaces and ``"a phrase"`` is one term; each matches as a substring of
    the title or of any message. With ``fts`` (the FTS5 trigram tables exist) terms of three or
    more characters use the index; the rest use ``LIKE``.
    """
    terms = [quoted or bare for quoted, bare in _TERM.findall(query)]
    conditions: list[str] = []
    args: list[Any] = []
    for term in terms:
        if fts and len(term) >= _TRIGRAM:
            # A double-quoted FTS5 string is a literal phrase; quotes inside are doubled.
            phrase = '"' + term.replace('"', '""') + '"'
            conditions.append(
                "id IN (SELECT m.conversation_id FROM messages_fts"
                " JOIN messages AS m ON m.id = messages_fts.rowid WHERE messages_fts MATCH ?"
                " UNION SELECT rowid FROM conversations_fts WHERE conversations_fts MATCH ?)"
            )
            args += [phrase, phrase]
        else:
            # Trigrams cannot match fewer than 3 characters, so short terms (and builds
            # without FTS5) scan with LIKE; %, _ and \ in the term are escaped.
            pattern = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
            conditions.append(
                "id IN (SELECT conversation_id FROM messages WHERE content LIKE ? ESCAPE '\\'"
                " UNION SELECT id FROM conversations WHERE title LIKE ? ESCAPE '\\')"
            )
            args += [pattern, pattern]
    return conditions, args
