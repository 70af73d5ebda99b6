"""Compare sessions and votes as JSON: sessions with their targets, rounds and answers, and
every vote (the leaderboard's CSV export has the votes and ratings as tables).

The document::

    {"format": "workbench-compare", "version": 1,
     "sessions": [{"id", "title", "blind", "tags", "created_at", "updated_at",
                   "targets": [{"id", "slot", "identity", "spec"}],
                   "rounds": [{"id", "position", "prompt", "blind", "blind_order", "created_at",
                               "answers": [{"target", "content", "reasoning", "model",
                                            "state", "stats"}]}]}],
     "votes": [{"round", "outcome", "winner", "identities", "tags", "prompt", "created_at"}]}

Times are Unix seconds. Votes stay in the file when their session is gone (``round`` is then
null), as they do in the leaderboard.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.core.atomic import write_atomic
from workbench.core.compare.leaderboard import ExportError
from workbench.core.compare.sessions import CompareStore, StoredVote

FORMAT = "workbench-compare"
VERSION = 1


def compare_document(compare: CompareStore, votes: list[StoredVote] | None = None) -> dict:
    """Every session with its rounds and answers, and ``votes`` (default: every vote)."""
    store = compare.store
    sessions = []
    for session in compare.list_sessions():
        targets = compare.targets(session.id)
        rounds = []
        for round_ in compare.rounds(session.id):
            answers = []
            for target in targets:
                message_id = round_.answers.get(target.id)
                answers.append(_answer(store, target.id, message_id))
            rounds.append(
                {
                    "id": round_.id,
                    "position": round_.position,
                    "prompt": round_.prompt,
                    "blind": round_.blind,
                    "blind_order": round_.blind_order,
                    "created_at": round_.created_at,
                    "answers": answers,
                }
            )
        sessions.append(
            {
                "id": session.id,
                "title": session.title,
                "blind": session.blind,
                "tags": session.tags,
                "created_at": session.created_at,
                "updated_at": session.updated_at,
                "targets": [
                    {"id": t.id, "slot": t.slot, "identity": t.identity, "spec": t.spec.to_dict()}
                    for t in targets
                ],
                "rounds": rounds,
            }
        )
    chosen = compare.votes() if votes is None else votes
    return {
        "format": FORMAT,
        "version": VERSION,
        "sessions": sessions,
        "votes": [
            {
                "round": v.round_id,
                "outcome": v.outcome,
                "winner": v.winner,
                "identities": v.identities,
                "tags": v.tags,
                "prompt": v.prompt,
                "created_at": v.created_at,
            }
            for v in chosen
        ],
    }


def _answer(store: Any, target_id: int, message_id: int | None) -> dict[str, Any]:
    answer: dict[str, Any] = {"target": target_id, "content": None}
    if message_id is None:
        return answer
    try:
        message = store.get_message(message_id)
    except KeyError:  # the answer was deleted since
        return answer
    answer.update(
        content=message.content,
        reasoning=message.reasoning,
        model=message.model,
        state=message.state,
        stats=message.stats,
    )
    return answer


def write_compare_json(
    compare: CompareStore, path: str | Path, votes: list[StoredVote] | None = None
) -> None:
    """Write :func:`compare_document` to ``path`` (atomically).

    Raises:
        ExportError: The file could not be written.
        StoreError: The database could not be read.
    """
    path = Path(path)
    text = json.dumps(compare_document(compare, votes), ensure_ascii=False, indent=1) + "\n"
    try:
        write_atomic(path, lambda f: f.write(text), newline="\n")
    except OSError as exc:
        raise ExportError(path, exc.strerror or str(exc)) from exc
