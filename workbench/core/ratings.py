"""Ratings from pairwise votes: wins, losses, ties, and a Bradley–Terry rating per model.

The groundwork for compare mode's leaderboard (issue 7). A vote says which of two models gave the
better answer, or that it was a tie ("both bad" counts as a tie: neither won). The Bradley–Terry
model gives each model a strength ``p`` such that ``P(i beats j) = p_i / (p_i + p_j)``; strengths
are fitted by maximum likelihood with Hunter's MM iteration (ties count half a win for each side)
and shown on the familiar Elo scale, ``1000 + 400 · log10(p / geometric mean)``, so a 100-point
gap means the stronger model wins about 64 % of the time. Confidence intervals come from a
bootstrap over the votes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.core.i18n import translate

OUTCOMES = ("a", "b", "tie", "both_bad")
BASE = 1000.0
SCALE = 400.0


@dataclass(frozen=True)
class Vote:
    """One judged pair: ``outcome`` is "a" (a was better), "b", "tie" or "both_bad"."""

    a: str
    b: str
    outcome: str

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(
                translate("core.ratings", "A vote is one of {outcomes}, not {outcome}.").format(
                    outcomes=", ".join(OUTCOMES), outcome=repr(self.outcome)
                )
            )
        if self.a == self.b:
            raise ValueError(translate("core.ratings", "A vote compares two different models."))


@dataclass(frozen=True)
class Record:
    wins: int = 0
    losses: int = 0
    ties: int = 0

    @property
    def games(self) -> int:
        return self.wins + self.losses + self.ties


def tally(votes: Iterable[Vote]) -> dict[str, Record]:
    """Wins, losses and ties per model."""
    counts: dict[str, list[int]] = {}
    for v in votes:
        for name in (v.a, v.b):
            counts.setdefault(name, [0, 0, 0])
        if v.outcome == "a":
            counts[v.a][0] += 1
            counts[v.b][1] += 1
        elif v.outcome == "b":
            counts[v.b][0] += 1
            counts[v.a][1] += 1
        else:
            counts[v.a][2] += 1
            counts[v.b][2] += 1
    return {name: Record(*c) for name, c in counts.items()}


def bradley_terry(
    votes: Sequence[Vote], *, prior: float = 1.0, iterations: int = 10_000, tol: float = 1e-10
) -> dict[str, float]:
    """Elo-scale ratings (mean 1000) fitted to the votes.

    Args:
        votes: The judged pairs.
        prior: Pseudo-games, as ties, between every model and an average opponent. It keeps a
            model that has only won (or only lost) at a finite rating, and pulls models with few
            votes toward the middle; 0 gives the plain maximum-likelihood fit, which exists only
            when every model has both won and lost (counting half-wins from ties).
        iterations: Upper bound on MM steps.
        tol: Stop when no strength changes by more than this (relative).
    """
    names = sorted({n for v in votes for n in (v.a, v.b)})
    if not names:
        return {}
    index = {n: i for i, n in enumerate(names)}
    k = len(names)
    wins = [0.0] * k  # ties count half
    games: dict[tuple[int, int], float] = {}
    for v in votes:
        i, j = index[v.a], index[v.b]
        key = (min(i, j), max(i, j))
        games[key] = games.get(key, 0.0) + 1.0
        if v.outcome == "a":
            wins[i] += 1.0
        elif v.outcome == "b":
            wins[j] += 1.0
        else:
            wins[i] += 0.5
            wins[j] += 0.5
    p = [1.0] * k
    for _ in range(iterations):
        denominators = [0.0] * k
        for (i, j), n in games.items():
            share = n / (p[i] + p[j])
            denominators[i] += share
            denominators[j] += share
        new = []
        for i in range(k):
            # The prior: `prior` ties against an opponent of strength 1 (the geometric mean).
            w = wins[i] + prior / 2
            d = denominators[i] + prior / (p[i] + 1.0)
            new.append(w / d if d > 0 else p[i])
        if prior <= 0:
            # Without a prior only ratios are determined: fix the scale at geometric mean 1.
            # With one, its opponent of strength 1 anchors the scale, and rescaling inside the
            # loop would fight that anchor (the fit would no longer solve its own equations).
            g = math.exp(sum(math.log(x) for x in new) / k) if all(x > 0 for x in new) else 1.0
            new = [x / g for x in new]
        change = max(abs(a - b) / max(a, 1e-300) for a, b in zip(new, p, strict=True))
        p = new
        if change < tol:
            break
    # Shown with geometric mean 1 (mean rating 1000); a shift, so the fit is unchanged.
    g = math.exp(sum(math.log(x) for x in p) / k) if all(x > 0 for x in p) else 1.0
    return {
        n: BASE + SCALE * math.log10(p[index[n]] / g) if p[index[n]] > 0 else -math.inf
        for n in names
    }


def bootstrap_intervals(
    votes: Sequence[Vote] | Sequence[Sequence[Vote]],
    *,
    rounds: int = 200,
    level: float = 0.95,
    seed: int = 0,
    prior: float = 1.0,
) -> dict[str, tuple[float, float]]:
    """A confidence interval per rating: refit on votes resampled with replacement.

    ``votes`` may also be a sequence of groups of votes that belong together (the pairwise
    votes one judgement of 3–4 answers stands for): groups are resampled whole, since they are
    not independent. A model absent from a resample counts as average there (rating 1000, what
    the prior gives a model with no votes), so its interval is not drawn only from the lucky
    resamples that include it.
    """
    units: list[list[Vote]] = [[v] if isinstance(v, Vote) else list(v) for v in votes]
    units = [u for u in units if u]
    if not units:
        return {}
    names = sorted({n for u in units for v in u for n in (v.a, v.b)})
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(rounds):
        resample = [v for _ in units for v in units[rng.randrange(len(units))]]
        ratings = bradley_terry(resample, prior=prior, iterations=2_000)
        for name in names:
            samples[name].append(ratings.get(name, BASE))
    low_q, high_q = (1 - level) / 2, 1 - (1 - level) / 2
    out = {}
    for name, values in samples.items():
        values.sort()
        lo = values[min(len(values) - 1, int(low_q * len(values)))]
        hi = values[min(len(values) - 1, int(high_q * len(values)))]
        out[name] = (lo, hi)
    return out
