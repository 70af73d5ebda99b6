"""Bradley–Terry ratings and tallies against hand-computed figures."""

from __future__ import annotations

import math

import pytest

from workbench.core.ratings import Vote, bootstrap_intervals, bradley_terry, tally


def votes(spec: str) -> list[Vote]:
    """'A>B A>B B>A A=B' → votes."""
    out = []
    for item in spec.split():
        if ">" in item:
            a, b = item.split(">")
            out.append(Vote(a, b, "a"))
        else:
            a, b = item.split("=")
            out.append(Vote(a, b, "tie"))
    return out


def test_tally_counts_wins_losses_ties():
    records = tally([*votes("A>B A>B B>A A=B"), Vote("A", "C", "both_bad")])
    assert (records["A"].wins, records["A"].losses, records["A"].ties) == (2, 1, 2)
    assert (records["B"].wins, records["B"].losses, records["B"].ties) == (1, 2, 1)
    assert (records["C"].wins, records["C"].losses, records["C"].ties) == (0, 0, 1)
    assert records["A"].games == 5


def test_two_models_match_the_closed_form():
    # A beats B 3 times out of 4: the maximum-likelihood odds are 3:1, so the Elo-scale gap is
    # 400·log10(3) = 190.849 and the two sit symmetrically around 1000.
    ratings = bradley_terry(votes("A>B A>B A>B B>A"), prior=0)
    assert ratings["A"] - ratings["B"] == pytest.approx(400 * math.log10(3), abs=1e-6)
    assert ratings["A"] + ratings["B"] == pytest.approx(2000, abs=1e-6)


def test_ties_count_half_a_win():
    # 1 win, 1 loss and 2 ties each way is an even record: equal ratings.
    ratings = bradley_terry(votes("A>B B>A A=B A=B"), prior=0)
    assert ratings["A"] == pytest.approx(ratings["B"], abs=1e-9)
    # 2 wins and 2 ties against no wins: 3 "wins" to 1, odds 3:1 as above.
    ratings = bradley_terry(votes("A>B A>B A=B A=B"), prior=0)
    assert ratings["A"] - ratings["B"] == pytest.approx(400 * math.log10(3), abs=1e-6)


def test_three_models_hand_computed():
    # A>B twice, B>A once; B>C twice, C>B once; A>C twice, C>A once. By symmetry of the data
    # this is the MLE of a transitive triple; check the likelihood equations hold instead of a
    # closed form: for each model, expected wins under the fit equal its actual wins.
    vs = votes("A>B A>B B>A B>C B>C C>B A>C A>C C>A")
    ratings = bradley_terry(vs, prior=0)
    p = {n: 10 ** ((r - 1000) / 400) for n, r in ratings.items()}
    for name, actual in (("A", 4), ("B", 3), ("C", 2)):
        expected = sum(
            p[v.a] / (p[v.a] + p[v.b]) if v.a == name else p[v.b] / (p[v.a] + p[v.b])
            for v in vs
            if name in (v.a, v.b)
        )
        assert expected == pytest.approx(actual, abs=1e-6)
    assert ratings["A"] > ratings["B"] > ratings["C"]


def test_prior_keeps_an_unbeaten_model_finite():
    ratings = bradley_terry(votes("A>B A>B A>B"), prior=1.0)
    assert math.isfinite(ratings["A"]) and ratings["A"] > ratings["B"]
    # With the prior, 3 wins plus half of one pseudo-tie is less certain than 3:0.
    assert ratings["A"] - ratings["B"] < 400 * math.log10(30)


def test_bootstrap_interval_contains_the_estimate_and_is_reproducible():
    vs = votes("A>B A>B A>B B>A A=B " * 5)
    ratings = bradley_terry(vs)
    intervals = bootstrap_intervals(vs, rounds=100, seed=7)
    for name, (lo, hi) in intervals.items():
        assert lo <= ratings[name] <= hi
        assert lo < hi
    assert bootstrap_intervals(vs, rounds=100, seed=7) == intervals


def test_bad_votes_are_refused():
    with pytest.raises(ValueError):
        Vote("A", "B", "maybe")
    with pytest.raises(ValueError):
        Vote("A", "A", "a")
    assert bradley_terry([]) == {} and bootstrap_intervals([]) == {}


def test_with_a_prior_and_three_models_the_fit_solves_its_own_equations():
    # A beats B and C 9-0 each; B and C tie twice. With the prior (one pseudo-tie against an
    # opponent of strength 1), the strengths p must satisfy, for every model i:
    #   wins_i + prior/2 = sum_j n_ij p_i/(p_i+p_j) + prior p_i/(p_i+1).
    # Ratings are shown shifted (geometric mean 1000), so p = g * 10^((r-1000)/400) for one
    # unknown g: find it from A's equation, then B's and C's must hold with the same g.
    votes = [Vote("A", "B", "a")] * 9 + [Vote("A", "C", "a")] * 9 + [Vote("B", "C", "tie")] * 2
    r = bradley_terry(votes, prior=1.0)
    assert r["B"] == pytest.approx(r["C"], abs=1e-6)
    wins = {"A": 18.0, "B": 1.0, "C": 1.0}
    games = {("A", "B"): 9, ("A", "C"): 9, ("B", "C"): 2}

    def residual(name: str, g: float) -> float:
        p = {n: g * 10 ** ((x - 1000) / 400) for n, x in r.items()}
        expected = p[name] / (p[name] + 1.0)
        for (a, b), n in games.items():
            if name in (a, b):
                other = b if name == a else a
                expected += n * p[name] / (p[name] + p[other])
        return wins[name] + 0.5 - expected

    lo, hi = 1e-6, 1e6
    for _ in range(200):  # bisection on A's equation (monotone in g)
        mid = (lo * hi) ** 0.5
        if residual("A", mid) > 0:
            lo = mid
        else:
            hi = mid
    g = (lo * hi) ** 0.5
    assert residual("A", g) == pytest.approx(0, abs=1e-6)
    assert residual("B", g) == pytest.approx(0, abs=1e-6)
    assert residual("C", g) == pytest.approx(0, abs=1e-6)


def test_bootstrap_resamples_groups_whole_and_counts_absent_models_as_average():
    # One judgement "A best of A, B, C" is two pairwise votes that belong together.
    group = [Vote("A", "B", "a"), Vote("A", "C", "a")]
    other = [Vote("B", "D", "a")]
    intervals = bootstrap_intervals([group, other], rounds=300, seed=3)
    assert set(intervals) == {"A", "B", "C", "D"}
    # When a resample holds only `other` twice, A and C are absent and count as 1000; when it
    # holds only `group`, D is absent: so each interval reaches 1000 or beyond on one side.
    assert intervals["A"][0] <= 1000.0 <= intervals["A"][1]
    assert intervals["D"][0] <= 1000.0 <= intervals["D"][1]
    # Resampling whole groups: B and C never split apart within a judgement, so in a resample
    # with A's judgement both lose to A. C never wins anything: its upper end is 1000 at most.
    assert intervals["C"][1] <= 1000.0 + 1e-9
