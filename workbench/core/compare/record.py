"""A compare round kept in the conversation database, the same way for the window and the CLI.

:func:`open_round` adds the round and each target's question (:func:`question_again` finds a
target's question of the last round again, to regenerate its answer); :func:`recorded_entry`
makes the :class:`~.runner.RoundEntry` whose reply is saved as it streams
(``core.chat.start_reply``) and linked as the target's answer, and whose outcome is saved as its
answer when it never started (its model failed to load, a key was missing, it was stopped first),
so every target of every round ends with a stored message.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from workbench.core.backend import Backend, ChatMessage, Error
from workbench.core.chat import history, start_reply
from workbench.core.compare.runner import RoundEntry
from workbench.core.compare.sessions import CompareStore, CompareTarget, Round
from workbench.core.store import StoreError

log = logging.getLogger(__name__)


@dataclass
class Question:
    """One target's part of a new round: what it is sent, and the message it answers."""

    target: CompareTarget
    messages: list[ChatMessage]
    parent_id: int


def open_round(
    compare: CompareStore,
    session_id: int,
    prompt: str,
    targets: list[CompareTarget],
    *,
    fresh: bool = False,
    blind: bool = False,
    rng: random.Random | None = None,
) -> tuple[Round, list[Question]]:
    """Add a round asking ``prompt`` and each target's question under its thread.

    ``fresh``: the question starts a thread of its own (blind rounds and prompt sets, so an
    answer can't give a target away by referring back).

    Raises:
        KeyError, StoreError: The session is gone or the database failed.
    """
    store = compare.store
    rnd = compare.add_round(session_id, prompt, blind=blind, rng=rng)
    questions = []
    extra = {"parent_id": None} if fresh else {}
    for t in targets:
        user = store.add_message(t.conversation_id, "user", prompt, **extra)
        thread = store.thread(t.conversation_id)
        questions.append(Question(t, history(thread, t.spec.system_prompt), user.id))
    return rnd, questions


def question_again(
    compare: CompareStore, session_id: int, target: CompareTarget
) -> tuple[Round, Question] | None:
    """The session's last round and ``target``'s question in it, to ask again (a new answer
    beside the old one); None if the target has no answer there to replace.

    Raises:
        KeyError, StoreError: The session or a message on the way is gone, or the database
            failed.
    """
    rounds = compare.rounds(session_id)
    answer = rounds[-1].answers.get(target.id) if rounds else None
    if answer is None:
        return None
    parent = compare.store.get_message(answer).parent_id
    if parent is None:
        return None
    path = _path_to(compare, parent)
    return rounds[-1], Question(target, history(path, target.spec.system_prompt), parent)


def _path_to(compare: CompareStore, message_id: int) -> list:
    """The messages from a thread's first one down to ``message_id``."""
    out = []
    current: int | None = message_id
    while current is not None and len(out) < 10_000:
        m = compare.store.get_message(current)
        out.append(m)
        current = m.parent_id
    return out[::-1]


def recorded_entry(
    compare: CompareStore,
    round_id: int,
    question: Question,
    backend: Backend | None,
    *,
    target: str | None = None,
    key: object = None,
    error: Error | None = None,
) -> RoundEntry:
    """The runner's entry for ``question``, saved as it runs (see the module docstring).

    ``error``: the target cannot start (no key, no provider); it fails at once with it.
    """
    t = question.target
    store = compare.store

    def start(backend, messages, params):
        reply = start_reply(
            store, backend, t.conversation_id, messages, params, parent_id=question.parent_id
        )
        compare.set_answer(round_id, t.id, reply.message_id)
        return reply

    def unstarted(state: str, message: str | None) -> int | None:
        try:
            m = store.add_message(
                t.conversation_id,
                "assistant",
                source=t.spec.provider,
                model=t.spec.short_name,
                state=state,
                error=message,
                parent_id=question.parent_id,
            )
            compare.set_answer(round_id, t.id, m.id)
        except (StoreError, KeyError) as exc:
            log.warning("a compare answer that never started could not be saved: %s", exc)
            return None
        return m.id

    return RoundEntry(
        target=target if target is not None else t.identity,
        backend=backend,  # type: ignore[arg-type]
        messages=list(question.messages),
        params=t.spec.sampling(),
        local=t.spec.is_local,
        start=start,
        unstarted=unstarted,
        key=key,
        error=error,
    )


Unstarted = Callable[[str, str | None], int | None]

__all__ = ["Question", "Unstarted", "open_round", "question_again", "recorded_entry"]
