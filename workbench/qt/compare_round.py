"""The parts of a compare round in the window that are not the controller's decisions: the
state of the round in progress and its coalesced text.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from workbench.core.compare import events as ev
from workbench.core.compare.record import Question
from workbench.core.compare.runner import RoundRunner
from workbench.core.compare.sessions import CompareStore, Round
from workbench.core.store import Message


class TextBuffer:
    """Answer text by target, appended on worker threads, drained on the GUI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._text: dict[int, list[str]] = {}
        self._reasoning: dict[int, list[str]] = {}

    def add(self, target_id: int, text: str, reasoning: str) -> None:
        with self._lock:
            if text:
                self._text.setdefault(target_id, []).append(text)
            if reasoning:
                self._reasoning.setdefault(target_id, []).append(reasoning)

    def take(self, target_id: int) -> tuple[str, str]:
        with self._lock:
            text = "".join(self._text.pop(target_id, ()))
            reasoning = "".join(self._reasoning.pop(target_id, ()))
        return text, reasoning


@dataclass
class RunningRound:
    """The round in progress; until its questions are stored (a job), only ``cancelled``."""

    round: Round | None = None
    questions: dict[int, Question] = field(default_factory=dict)  # target id → its question
    asked: dict[int, Message] = field(default_factory=dict)  # target id → the question message
    runner: RoundRunner | None = None
    ids: list[int] = field(default_factory=list)  # entry index → target id
    cancelled: bool = False  # Stop all was pressed before the runner existed
    started: set[int] = field(default_factory=set)
    ended: set[int] = field(default_factory=set)
    buffer: TextBuffer = field(default_factory=TextBuffer)


def message_id_of(event: ev.RoundEvent) -> int | None:
    """The id of the message an engine event is about, if any."""
    if isinstance(event, ev.Started):
        return event.message_id
    result = getattr(event, "result", None)
    return result.message_id if result is not None else None


def asked_of(compare: CompareStore, questions: list[Question]) -> dict[int, Message]:
    """The stored question of each target, by target id (on a worker thread)."""
    return {q.target.id: compare.store.get_message(q.parent_id) for q in questions}
