"""Compare sessions, rounds, answers, votes and prompt sets, kept in the conversation database.

A *session* has 2–4 targets. Each target keeps its own thread as a conversation of kind
"compare" (saved while it streams, like any chat, so a crash keeps what had arrived). A *round*
is one prompt sent to every target; its *answers* point at each target's assistant message (a
regenerated pane points at the newer version). A blind round stores the random order its panes
were shown in: label "A" is the first target id of ``blind_order``.

A *vote* judges one round: ``best`` (with the winner's identity), ``tie`` or ``all_bad``. It keeps
copies of the identities judged, the session's tags and the prompt, so the leaderboard outlives
the session. :meth:`StoredVote.pairwise` turns it into the pairwise votes the ratings use: the
best beats each other target; a tie or "all bad" is a tie between every pair.

A *prompt set* is a named, saved list of prompts with tags, run as a batch (a session with
``prompt_set_id`` set, one round per prompt, each on a fresh thread).
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from workbench.core.compare.targets import TargetSpec, check_count
from workbench.core.i18n import translate
from workbench.core.ratings import Vote
from workbench.core.store import Store
from workbench.core.store.records import dump_json

OUTCOMES = ("best", "tie", "all_bad")


def _load_list(text: str | None) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags trimmed, empty ones dropped, duplicates (ignoring case) removed, order kept."""
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        t = " ".join(str(tag).split())
        if t and t.casefold() not in seen:
            seen.add(t.casefold())
            out.append(t)
    return out


def parse_tags(text: str) -> list[str]:
    """Tags typed as one line, separated by commas (ASCII or Chinese)."""
    return clean_tags(text.replace("，", ",").replace("、", ",").split(","))


@dataclass
class CompareSession:
    id: int
    title: str
    blind: bool
    tags: list[str]
    prompt_set_id: int | None
    created_at: float
    updated_at: float


@dataclass
class CompareTarget:
    id: int
    session_id: int
    slot: int
    spec: TargetSpec
    identity: str
    conversation_id: int


@dataclass
class Round:
    id: int
    session_id: int
    position: int
    prompt: str
    blind: bool
    blind_order: list[int]  # target ids in label order: A, B, ...
    created_at: float
    answers: dict[int, int | None] = field(default_factory=dict)  # target id → message id


@dataclass
class StoredVote:
    id: int
    round_id: int | None
    outcome: str
    winner: str | None
    identities: list[str]
    tags: list[str]
    prompt: str
    created_at: float

    def pairwise(self) -> list[Vote]:
        """The pairwise votes this judgement stands for (see the module docstring)."""
        names = list(dict.fromkeys(self.identities))
        votes = []
        if self.outcome == "best" and self.winner in names:
            for other in names:
                if other != self.winner:
                    votes.append(Vote(self.winner, other, "a"))
        elif self.outcome in ("tie", "all_bad"):
            kind = "tie" if self.outcome == "tie" else "both_bad"
            votes = [Vote(a, b, kind) for a, b in combinations(names, 2)]
        return votes


@dataclass
class PromptSet:
    id: int
    name: str
    prompts: list[str]
    tags: list[str]
    created_at: float
    updated_at: float


def unique_identities(specs: Sequence[TargetSpec]) -> list[str]:
    """Identities for a session's targets, made distinct where the same model appears twice.

    The same model with different settings is told apart by the settings that differ
    (``local:x.gguf (temperature=0.2)``); identical twins get ``#2``, ``#3``.
    """
    base = [s.identity for s in specs]
    out = list(base)
    for name in set(base):
        slots = [i for i, b in enumerate(base) if b == name]
        if len(slots) < 2:
            continue
        keys = sorted({k for i in slots for k in specs[i].params})
        differing = [k for k in keys if len({repr(specs[i].params.get(k)) for i in slots}) > 1]
        for n, i in enumerate(slots, start=1):
            if differing:
                bits = ", ".join(f"{k}={specs[i].params.get(k)}" for k in differing)
                out[i] = f"{name} ({bits})"
            if out.count(out[i]) > 1 or not differing:
                out[i] = f"{out[i]} #{n}" if n > 1 else out[i]
    return out


# A missing row is a KeyError whose text the window shows as it is (a session deleted meanwhile).
def _no_session(session_id: int) -> KeyError:
    return KeyError(
        translate("core.compare.sessions", "Comparison {id} no longer exists.").format(
            id=session_id
        )
    )


def _no_round(round_id: int) -> KeyError:
    return KeyError(
        translate("core.compare.sessions", "Round {id} of the comparison no longer exists.").format(
            id=round_id
        )
    )


def _no_target(target_id: int) -> KeyError:
    return KeyError(
        translate(
            "core.compare.sessions", "Model {id} is not part of this comparison any more."
        ).format(id=target_id)
    )


def _no_prompt_set(prompt_set_id: int) -> KeyError:
    return KeyError(
        translate("core.compare.sessions", "Prompt set {id} no longer exists.").format(
            id=prompt_set_id
        )
    )


_SESSION_COLUMNS = "id, title, blind, tags, prompt_set_id, created_at, updated_at"
_ROUND_COLUMNS = "id, session_id, position, prompt, blind, blind_order, created_at"
_VOTE_COLUMNS = "id, round_id, outcome, winner, identities, tags, prompt, created_at"


def _session(row: tuple) -> CompareSession:
    return CompareSession(row[0], row[1], bool(row[2]), _load_list(row[3]), *row[4:])


def _round(row: tuple) -> Round:
    order = [int(x) for x in _load_list(row[5]) if isinstance(x, int)]
    return Round(row[0], row[1], row[2], row[3], bool(row[4]), order, row[6])


def _vote(row: tuple) -> StoredVote:
    return StoredVote(
        row[0], row[1], row[2], row[3], _load_list(row[4]), _load_list(row[5]), row[6], row[7]
    )


def _prompt_set(row: tuple) -> PromptSet:
    prompts = [p for p in _load_list(row[2]) if isinstance(p, str)]
    return PromptSet(row[0], row[1], prompts, _load_list(row[3]), row[4], row[5])


class CompareStore:
    """Compare mode's tables in a :class:`Store`'s database (same connection, same lock)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- sessions ------------------------------------------------------------------------------

    def create_session(
        self,
        title: str,
        targets: Sequence[TargetSpec],
        *,
        blind: bool = False,
        tags: Iterable[str] = (),
        prompt_set_id: int | None = None,
    ) -> CompareSession:
        """A new session with a thread (a hidden conversation) per target.

        Raises:
            TargetError: Fewer than 2 or more than 4 targets.
        """
        check_count(list(targets))
        identities = unique_identities(targets)
        tags = clean_tags(tags)
        conversations = [
            self.store.create_conversation(
                title,
                system_prompt=spec.system_prompt,
                model=spec.short_name,
                settings={"compare_target": spec.to_dict()},
                kind="compare",
            )
            for spec in targets
        ]
        with self.store.transaction() as conn:
            now = self.store.now()
            cursor = conn.execute(
                "INSERT INTO compare_sessions (title, blind, tags, prompt_set_id, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (title, int(blind), dump_json(tags), prompt_set_id, now, now),
            )
            session_id = cursor.lastrowid
            for slot, (spec, identity, conv) in enumerate(
                zip(targets, identities, conversations, strict=True)
            ):
                conn.execute(
                    "INSERT INTO compare_targets (session_id, slot, spec, identity,"
                    " conversation_id) VALUES (?, ?, ?, ?, ?)",
                    (session_id, slot, dump_json(spec.to_dict()), identity, conv.id),
                )
        return CompareSession(session_id, title, blind, tags, prompt_set_id, now, now)

    def get_session(self, session_id: int) -> CompareSession:
        """Raises KeyError if there is no such session."""
        with self.store.reading() as conn:
            row = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM compare_sessions WHERE id = ?", (session_id,)
            ).fetchone()
        if row is None:
            raise _no_session(session_id)
        return _session(row)

    def list_sessions(self) -> list[CompareSession]:
        """Every session, most recently used first."""
        with self.store.reading() as conn:
            rows = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM compare_sessions ORDER BY updated_at DESC, id DESC"
            ).fetchall()
        return [_session(r) for r in rows]

    def update_session(
        self,
        session_id: int,
        *,
        title: str | None = None,
        blind: bool | None = None,
        tags: Iterable[str] | None = None,
    ) -> None:
        """Change the given fields (and mark the session used). Raises KeyError if unknown."""
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = title
        if blind is not None:
            changes["blind"] = int(blind)
        if tags is not None:
            changes["tags"] = dump_json(clean_tags(tags))
        with self.store.transaction() as conn:
            changes["updated_at"] = self.store.now()
            assignments = ", ".join(f"{c} = ?" for c in changes)
            cursor = conn.execute(
                f"UPDATE compare_sessions SET {assignments} WHERE id = ?",
                (*changes.values(), session_id),
            )
            if cursor.rowcount == 0:
                raise _no_session(session_id)

    def delete_session(self, session_id: int) -> None:
        """Delete a session, its threads and rounds; its votes stay for the leaderboard."""
        with self.store.transaction() as conn:
            conn.execute(
                "DELETE FROM conversations WHERE id IN"
                " (SELECT conversation_id FROM compare_targets WHERE session_id = ?)",
                (session_id,),
            )
            conn.execute("DELETE FROM compare_sessions WHERE id = ?", (session_id,))

    def targets(self, session_id: int) -> list[CompareTarget]:
        """The session's targets in slot order (a target whose spec can't be read is left out)."""
        from workbench.core.compare.targets import TargetError

        with self.store.reading() as conn:
            rows = conn.execute(
                "SELECT id, session_id, slot, spec, identity, conversation_id FROM compare_targets"
                " WHERE session_id = ? ORDER BY slot",
                (session_id,),
            ).fetchall()
        out = []
        for row in rows:
            try:
                spec = TargetSpec.from_dict(json.loads(row[3]))
            except (ValueError, TargetError):
                continue
            out.append(CompareTarget(row[0], row[1], row[2], spec, row[4], row[5]))
        return out

    def update_target_settings(self, target_id: int, spec: TargetSpec) -> None:
        """Change a target's sampling, load options or system prompt (not which model it is).

        Raises:
            KeyError: No such target.
            ValueError: ``spec`` names another model.
        """
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT spec, conversation_id FROM compare_targets WHERE id = ?", (target_id,)
            ).fetchone()
            if row is None:
                raise _no_target(target_id)
            old = TargetSpec.from_dict(json.loads(row[0]))
            if (old.provider, old.model) != (spec.provider, spec.model):
                raise ValueError(
                    translate(
                        "core.compare.sessions",
                        "A target's model cannot change; start a new comparison.",
                    )
                )
            conn.execute(
                "UPDATE compare_targets SET spec = ? WHERE id = ?",
                (dump_json(spec.to_dict()), target_id),
            )
            conn.execute(
                "UPDATE conversations SET system_prompt = ? WHERE id = ?",
                (spec.system_prompt, row[1]),
            )

    def touch(self, conn: sqlite3.Connection, session_id: int) -> None:
        conn.execute(
            "UPDATE compare_sessions SET updated_at = ? WHERE id = ?",
            (self.store.now(), session_id),
        )

    # -- rounds --------------------------------------------------------------------------------

    def add_round(
        self,
        session_id: int,
        prompt: str,
        *,
        blind: bool = False,
        rng: random.Random | None = None,
    ) -> Round:
        """A new round; a blind one gets a random order of the session's targets.

        Raises:
            KeyError: No such session.
        """
        target_ids = [t.id for t in self.targets(session_id)]
        order: list[int] = []
        if blind:
            order = list(target_ids)
            (rng or random.SystemRandom()).shuffle(order)
        with self.store.transaction() as conn:
            if (
                conn.execute(
                    "SELECT 1 FROM compare_sessions WHERE id = ?", (session_id,)
                ).fetchone()
                is None
            ):
                raise _no_session(session_id)
            position = conn.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM compare_rounds WHERE session_id = ?",
                (session_id,),
            ).fetchone()[0]
            now = self.store.now()
            cursor = conn.execute(
                "INSERT INTO compare_rounds (session_id, position, prompt, blind, blind_order,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, position, prompt, int(blind), dump_json(order), now),
            )
            self.touch(conn, session_id)
        return Round(cursor.lastrowid, session_id, position, prompt, blind, order, now, {})

    def set_answer(self, round_id: int, target_id: int, message_id: int | None) -> None:
        """Point a round's answer for a target at a message (a regenerated one replaces it)."""
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO compare_answers (round_id, target_id, message_id) VALUES (?, ?, ?)"
                " ON CONFLICT (round_id, target_id) DO UPDATE SET message_id = excluded.message_id",
                (round_id, target_id, message_id),
            )

    def rounds(self, session_id: int) -> list[Round]:
        """The session's rounds in order, with their answers."""
        with self.store.reading() as conn:
            rows = conn.execute(
                f"SELECT {_ROUND_COLUMNS} FROM compare_rounds WHERE session_id = ?"
                " ORDER BY position, id",
                (session_id,),
            ).fetchall()
            answers = conn.execute(
                "SELECT a.round_id, a.target_id, a.message_id FROM compare_answers AS a"
                " JOIN compare_rounds AS r ON r.id = a.round_id WHERE r.session_id = ?",
                (session_id,),
            ).fetchall()
        rounds = [_round(r) for r in rows]
        by_id = {r.id: r for r in rounds}
        for round_id, target_id, message_id in answers:
            by_id[round_id].answers[target_id] = message_id
        return rounds

    def get_round(self, round_id: int) -> Round:
        """Raises KeyError if there is no such round."""
        with self.store.reading() as conn:
            row = conn.execute(
                f"SELECT {_ROUND_COLUMNS} FROM compare_rounds WHERE id = ?", (round_id,)
            ).fetchone()
            if row is None:
                raise _no_round(round_id)
            answers = conn.execute(
                "SELECT target_id, message_id FROM compare_answers WHERE round_id = ?",
                (round_id,),
            ).fetchall()
        r = _round(row)
        r.answers = dict(answers)
        return r

    def set_blind_order(self, round_id: int, order: list[int]) -> None:
        """Show a round blind in this order (voting blind on a batch after it ran)."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE compare_rounds SET blind = 1, blind_order = ? WHERE id = ?",
                (dump_json(order), round_id),
            )

    # -- votes ---------------------------------------------------------------------------------

    def record_vote(
        self, round_id: int, outcome: str, winner_target_id: int | None = None
    ) -> StoredVote:
        """Store the judgement of a round, replacing an earlier one.

        Raises:
            KeyError: No such round (or the winner is not one of its targets).
            ValueError: ``outcome`` is not one of :data:`OUTCOMES`, or ``best`` without a winner.
        """
        if outcome not in OUTCOMES:
            raise ValueError(
                translate(
                    "core.compare.sessions", "A vote is one of {outcomes}, not {outcome}."
                ).format(outcomes=", ".join(OUTCOMES), outcome=repr(outcome))
            )
        if (outcome == "best") != (winner_target_id is not None):
            raise ValueError(
                translate(
                    "core.compare.sessions",
                    "Only a 'best' vote names a winner, and it must name one.",
                )
            )
        rnd = self.get_round(round_id)
        session = self.get_session(rnd.session_id)
        targets = {t.id: t for t in self.targets(rnd.session_id)}
        order = rnd.blind_order if rnd.blind_order else list(targets)
        identities = [targets[t].identity for t in order if t in targets]
        winner = None
        if winner_target_id is not None:
            if winner_target_id not in targets:
                raise _no_target(winner_target_id)
            winner = targets[winner_target_id].identity
        with self.store.transaction() as conn:
            now = self.store.now()
            conn.execute("DELETE FROM compare_votes WHERE round_id = ?", (round_id,))
            cursor = conn.execute(
                "INSERT INTO compare_votes (round_id, outcome, winner, identities, tags, prompt,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    round_id,
                    outcome,
                    winner,
                    dump_json(identities),
                    dump_json(session.tags),
                    rnd.prompt,
                    now,
                ),
            )
            self.touch(conn, rnd.session_id)
        return StoredVote(
            cursor.lastrowid, round_id, outcome, winner, identities, session.tags, rnd.prompt, now
        )

    def vote_for_round(self, round_id: int) -> StoredVote | None:
        with self.store.reading() as conn:
            row = conn.execute(
                f"SELECT {_VOTE_COLUMNS} FROM compare_votes WHERE round_id = ?", (round_id,)
            ).fetchone()
        return _vote(row) if row else None

    def votes_by_round(self, session_id: int) -> dict[int, StoredVote]:
        """The session's votes in one query, by round id."""
        with self.store.reading() as conn:
            rows = conn.execute(
                f"SELECT {', '.join('v.' + c for c in _VOTE_COLUMNS.split(', '))}"
                " FROM compare_votes AS v JOIN compare_rounds AS r ON r.id = v.round_id"
                " WHERE r.session_id = ?",
                (session_id,),
            ).fetchall()
        return {row[1]: _vote(row) for row in rows}

    def votes(self, tag: str | None = None) -> list[StoredVote]:
        """Every stored vote, oldest first; with ``tag``, those carrying it (ignoring case)."""
        with self.store.reading() as conn:
            rows = conn.execute(
                f"SELECT {_VOTE_COLUMNS} FROM compare_votes ORDER BY created_at, id"
            ).fetchall()
        votes = [_vote(r) for r in rows]
        if tag:
            key = tag.casefold()
            votes = [v for v in votes if any(t.casefold() == key for t in v.tags)]
        return votes

    def all_tags(self) -> list[str]:
        """Every tag used by votes, sessions or prompt sets, sorted (ignoring case)."""
        with self.store.reading() as conn:
            texts = [
                r[0]
                for table in ("compare_votes", "compare_sessions", "prompt_sets")
                for r in conn.execute(f"SELECT DISTINCT tags FROM {table}")
            ]
        tags = clean_tags(t for text in texts for t in _load_list(text))
        return sorted(tags, key=str.casefold)

    # -- prompt sets ---------------------------------------------------------------------------

    def save_prompt_set(
        self,
        name: str,
        prompts: Sequence[str],
        tags: Iterable[str] = (),
        *,
        prompt_set_id: int | None = None,
    ) -> PromptSet:
        """Create a prompt set, or replace the one with ``prompt_set_id``.

        Raises:
            ValueError: No name, or no prompt.
            KeyError: ``prompt_set_id`` does not exist.
        """
        name = " ".join(name.split())
        prompts = [p.strip() for p in prompts if p and p.strip()]
        if not name:
            raise ValueError(translate("core.compare.sessions", "Give the prompt set a name."))
        if not prompts:
            raise ValueError(
                translate("core.compare.sessions", "A prompt set needs at least one prompt.")
            )
        tags = clean_tags(tags)
        with self.store.transaction() as conn:
            now = self.store.now()
            if prompt_set_id is None:
                cursor = conn.execute(
                    "INSERT INTO prompt_sets (name, prompts, tags, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (name, dump_json(prompts), dump_json(tags), now, now),
                )
                prompt_set_id = cursor.lastrowid
                created = now
            else:
                row = conn.execute(
                    "SELECT created_at FROM prompt_sets WHERE id = ?", (prompt_set_id,)
                ).fetchone()
                if row is None:
                    raise _no_prompt_set(prompt_set_id)
                created = row[0]
                conn.execute(
                    "UPDATE prompt_sets SET name = ?, prompts = ?, tags = ?, updated_at = ?"
                    " WHERE id = ?",
                    (name, dump_json(prompts), dump_json(tags), now, prompt_set_id),
                )
        return PromptSet(prompt_set_id, name, prompts, tags, created, now)

    def prompt_sets(self) -> list[PromptSet]:
        with self.store.reading() as conn:
            rows = conn.execute(
                "SELECT id, name, prompts, tags, created_at, updated_at FROM prompt_sets"
                " ORDER BY name COLLATE NOCASE, id"
            ).fetchall()
        return [_prompt_set(r) for r in rows]

    def get_prompt_set(self, prompt_set_id: int) -> PromptSet:
        with self.store.reading() as conn:
            row = conn.execute(
                "SELECT id, name, prompts, tags, created_at, updated_at FROM prompt_sets"
                " WHERE id = ?",
                (prompt_set_id,),
            ).fetchone()
        if row is None:
            raise _no_prompt_set(prompt_set_id)
        return _prompt_set(row)

    def delete_prompt_set(self, prompt_set_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM prompt_sets WHERE id = ?", (prompt_set_id,))


SEPARATOR = "---"


def split_prompts(text: str) -> list[str]:
    """Prompts typed in one box: one per line, or, when any line holds only ``---``, the blocks
    between such lines (so a prompt can span several lines)."""
    lines = text.splitlines()
    if any(line.strip() == SEPARATOR for line in lines):
        blocks, current = [], []
        for line in lines:
            if line.strip() == SEPARATOR:
                blocks.append("\n".join(current))
                current = []
            else:
                current.append(line)
        blocks.append("\n".join(current))
        return [b.strip() for b in blocks if b.strip()]
    return [line.strip() for line in lines if line.strip()]


def join_prompts(prompts: Sequence[str]) -> str:
    """The inverse of :func:`split_prompts`."""
    if any("\n" in p for p in prompts):
        return f"\n{SEPARATOR}\n".join(prompts)
    return "\n".join(prompts)
