"""The compare-mode leaderboard: standings from the stored votes, and CSV export.

Each stored vote stands for pairwise votes (:meth:`StoredVote.pairwise`): the best answer beats
every other one; a tie or "all bad" is a tie between every pair. From those come each model's
wins, losses and ties (:func:`~workbench.core.ratings.tally`), a Bradley–Terry rating on the Elo
scale (:func:`~workbench.core.ratings.bradley_terry`) and a bootstrap confidence interval
(:func:`~workbench.core.ratings.bootstrap_intervals`).

CSV files are written with a byte-order mark ("utf-8-sig") so that spreadsheet programs read
Chinese text correctly, and atomically: a failed export never leaves half a file behind.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbench.core.atomic import write_atomic
from workbench.core.compare.sessions import StoredVote
from workbench.core.i18n import translate
from workbench.core.ratings import bootstrap_intervals, bradley_terry, tally

# The CSV files are data for other programs: their column names stay English in every language.
VOTES_HEADER = ("Time", "Outcome", "Winner", "Models", "Tags", "Prompt")
STANDINGS_HEADER = (
    "Model",
    "Rating",
    "Interval low",
    "Interval high",
    "Wins",
    "Losses",
    "Ties",
    "Games",
)


class ExportError(Exception):
    """A CSV file could not be written; ``str()`` is one sentence for the user.

    Attributes:
        path: The file that was to be written.
        reason: What the operating system said (for example "No space left on device").
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            translate(
                "core.compare.leaderboard",
                "Workbench could not save {path} ({reason}); choose another folder and try again.",
            ).format(path=path, reason=reason)
        )
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Standing:
    """One model's line on the leaderboard.

    Attributes:
        identity: The model, as votes name it (``local:<file>`` or ``provider:model``).
        wins: Pairwise wins (a "best" answer among four beats three others: three wins).
        losses: Pairwise losses.
        ties: Pairwise ties ("all bad" counts as a tie).
        games: wins + losses + ties.
        rating: Bradley–Terry rating on the Elo scale (the models' geometric mean is 1000).
        low: Lower end of the bootstrap confidence interval.
        high: Upper end of the bootstrap confidence interval.
        judgements: How many stored votes the model took part in.
    """

    identity: str
    wins: int
    losses: int
    ties: int
    games: int
    rating: float
    low: float
    high: float
    judgements: int


def standings(votes: Sequence[StoredVote], *, rounds: int = 200, seed: int = 0) -> list[Standing]:
    """Every model that took part in a pairwise vote, best rating first.

    Args:
        votes: Stored votes (for example ``CompareStore.votes(tag)``).
        rounds: Bootstrap refits for the confidence intervals; 0 gives no interval (low and
            high equal the rating).
        seed: Seed of the bootstrap's resampling, so the same votes give the same intervals.
    """
    pairwise = [p for v in votes for p in v.pairwise()]
    if not pairwise:
        return []
    records = tally(pairwise)
    ratings = bradley_terry(pairwise)
    # One judgement of 3-4 answers stands for several pairwise votes that are not independent:
    # the bootstrap resamples judgements whole.
    groups = [g for g in (v.pairwise() for v in votes) if g]
    intervals = bootstrap_intervals(groups, rounds=rounds, seed=seed) if rounds > 0 else {}
    judgements: dict[str, int] = {}
    for v in votes:
        for name in dict.fromkeys(v.identities):
            judgements[name] = judgements.get(name, 0) + 1
    out = []
    for name, record in records.items():
        rating = ratings[name]
        low, high = intervals.get(name, (rating, rating))
        out.append(
            Standing(
                identity=name,
                wins=record.wins,
                losses=record.losses,
                ties=record.ties,
                games=record.games,
                rating=rating,
                low=low,
                high=high,
                judgements=judgements.get(name, 0),
            )
        )
    out.sort(key=lambda s: (-s.rating, s.identity.casefold(), s.identity))
    return out


def local_time(timestamp: float) -> str:
    """A timestamp as ISO 8601 local time with its UTC offset, to the second."""
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def write_votes_csv(votes: Iterable[StoredVote], path: str | os.PathLike) -> None:
    """One row per stored vote: time, outcome, winner, models judged, tags, prompt.

    Raises:
        ExportError: The file could not be written.
    """
    rows = [
        (
            local_time(v.created_at),
            v.outcome,
            v.winner or "",
            " | ".join(v.identities),
            ", ".join(v.tags),
            v.prompt,
        )
        for v in votes
    ]
    _write_csv(Path(path), VOTES_HEADER, rows)


def write_standings_csv(rows: Iterable[Standing], path: str | os.PathLike) -> None:
    """One row per model: identity, rating, interval, wins, losses, ties, games.

    Raises:
        ExportError: The file could not be written.
    """
    data = [
        (
            s.identity,
            f"{s.rating:.1f}",
            f"{s.low:.1f}",
            f"{s.high:.1f}",
            s.wins,
            s.losses,
            s.ties,
            s.games,
        )
        for s in rows
    ]
    _write_csv(Path(path), STANDINGS_HEADER, data)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    def fill(f) -> None:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)

    # Not private: an export is for the user's other programs, so it gets the usual permissions.
    try:
        write_atomic(path, fill, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ExportError(path, exc.strerror or str(exc)) from exc
