"""What a window shows of one compare session, read in one go (off the GUI thread).

:func:`read_view` gathers a session's targets, rounds, the answers with the questions they
answer, the votes and each target's thread, so that the window can draw its panes and its
table from memory, however it changes what it shows (side by side, blind, a round chosen to
vote on), without going back to the database.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace

from workbench.core.compare.sessions import (
    CompareSession,
    CompareStore,
    CompareTarget,
    Round,
    StoredVote,
)
from workbench.core.store import Message


@dataclass
class SessionView:
    """A session as the window shows it (everything empty when no session is open)."""

    session: CompareSession | None = None
    targets: list[CompareTarget] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    messages: dict[int, Message] = field(default_factory=dict)  # answers and their questions
    votes: dict[int, StoredVote] = field(default_factory=dict)  # by round id
    threads: dict[int, list[Message]] = field(default_factory=dict)  # by target id

    @property
    def session_id(self) -> int | None:
        return self.session.id if self.session is not None else None

    def round_messages(self, rnd: Round, target_id: int) -> list[Message]:
        """The question and the answer of ``rnd`` for one target, as far as they are known."""
        answer = self.messages.get(rnd.answers.get(target_id) or -1)
        if answer is None:
            return []
        question = self.messages.get(answer.parent_id) if answer.parent_id is not None else None
        return [question, answer] if question is not None else [answer]

    def unvoted_rounds(self) -> list[Round]:
        """Rounds every target answered and nobody voted on yet, in order."""
        n = len(self.targets)
        return [r for r in self.rounds if len(r.answers) == n and r.id not in self.votes]

    def with_round(self, rnd: Round) -> None:
        """Put ``rnd`` in place of the stored round with its id (a copy: shown data is shared)."""
        self.rounds = [replace(rnd) if r.id == rnd.id else r for r in self.rounds]


def read_view(compare: CompareStore, session_id: int | None) -> SessionView:
    """Everything the window shows of a session (runs on a worker thread).

    Raises:
        KeyError: There is no such session.
        StoreError: The database failed.
    """
    if session_id is None:
        return SessionView()
    store = compare.store
    session = compare.get_session(session_id)
    targets = compare.targets(session_id)
    rounds = compare.rounds(session_id)
    messages: dict[int, Message] = {}
    for message_id in (m for r in rounds for m in r.answers.values() if m is not None):
        try:
            answer = store.get_message(message_id)
        except KeyError:
            continue
        messages[answer.id] = answer
        if answer.parent_id is not None and answer.parent_id not in messages:
            with contextlib.suppress(KeyError):
                messages[answer.parent_id] = store.get_message(answer.parent_id)
    threads = {t.id: store.thread(t.conversation_id) for t in targets}
    votes = compare.votes_by_round(session_id)
    return SessionView(session, targets, rounds, messages, votes, threads)


def most_recent(compare: CompareStore, wanted: int | None) -> int | None:
    """``wanted`` if that session still exists, else the most recently used one (or None)."""
    ids = [s.id for s in compare.list_sessions()]
    if wanted in ids:
        return wanted
    return ids[0] if ids else None
