"""The leaderboard's standings against hand-computed figures, and its CSV export."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from workbench.core.compare.leaderboard import (
    STANDINGS_HEADER,
    VOTES_HEADER,
    ExportError,
    Standing,
    standings,
    write_standings_csv,
    write_votes_csv,
)
from workbench.core.compare.sessions import CompareStore, StoredVote
from workbench.core.compare.targets import TargetSpec
from workbench.core.store import Store

BOM = b"\xef\xbb\xbf"


def stored(
    outcome: str,
    identities: list[str],
    winner: str | None = None,
    *,
    tags: list[str] | None = None,
    prompt: str = "Say hello.",
    created_at: float = 1_700_000_000.0,
    vote_id: int = 1,
) -> StoredVote:
    return StoredVote(vote_id, vote_id, outcome, winner, identities, tags or [], prompt, created_at)


def best(winner: str, *others: str, **kwargs) -> StoredVote:
    return stored("best", [winner, *others], winner, **kwargs)


def by_name(rows: list[Standing]) -> dict[str, Standing]:
    return {s.identity: s for s in rows}


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


# -- standings -------------------------------------------------------------------------------


def test_two_models_three_to_one_match_the_hand_solved_fit():
    # A beats B three times, B beats A once. The prior adds one pseudo-tie (half a win) for
    # each model against an opponent of strength 1, so A has 3.5 "wins", B 1.5. With
    # p_A = x and p_B = 1/x (geometric mean 1), A's likelihood equation
    #     3.5 = 4·x/(x + 1/x) + x/(x + 1)
    # multiplied out by (x² + 1)(x + 1) is the cubic 3x³ + x² − 5x − 7 = 0, whose one positive
    # root is x = 1.60712 (bisection below): A = 1000 + 400·log10(x) = 1082.42, B = 917.58.
    votes = [best("A", "B", vote_id=i) for i in range(3)] + [best("B", "A", vote_id=3)]
    rows = standings(votes, rounds=50)
    assert [s.identity for s in rows] == ["A", "B"]
    a, b = rows

    def cubic(x: float) -> float:
        return 3 * x**3 + x**2 - 5 * x - 7

    lo, hi = 1.0, 2.0
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cubic(mid) < 0 else (lo, mid)
    x = 10 ** ((a.rating - 1000) / 400)
    assert cubic(x) == pytest.approx(0, abs=1e-6)
    assert x == pytest.approx(lo, abs=1e-6)
    assert a.rating == pytest.approx(1082.42, abs=0.01)
    assert b.rating == pytest.approx(917.58, abs=0.01)
    assert (a.wins, a.losses, a.ties, a.games, a.judgements) == (3, 1, 0, 4, 4)
    assert (b.wins, b.losses, b.ties, b.games, b.judgements) == (1, 3, 0, 4, 4)
    for s in rows:
        assert s.low <= s.rating <= s.high
        assert s.low < s.high


def test_all_bad_counts_as_a_tie_and_best_of_three_expands_to_pairwise_wins():
    votes = [
        best("A", "B", "C", vote_id=1),  # A beats B and A beats C
        stored("all_bad", ["A", "B", "C"], vote_id=2),  # three tied pairs
        stored("tie", ["B", "C"], vote_id=3),
    ]
    rows = by_name(standings(votes, rounds=20))
    assert (rows["A"].wins, rows["A"].losses, rows["A"].ties) == (2, 0, 2)
    assert (rows["B"].wins, rows["B"].losses, rows["B"].ties) == (0, 1, 3)
    assert (rows["C"].wins, rows["C"].losses, rows["C"].ties) == (0, 1, 3)
    assert rows["A"].games == 4 and rows["B"].games == 4
    assert (rows["A"].judgements, rows["B"].judgements, rows["C"].judgements) == (2, 3, 3)
    # B and C have identical records against the same opponents: identical ratings, and A,
    # the only winner, is on top.
    assert rows["B"].rating == pytest.approx(rows["C"].rating, abs=1e-6)
    assert standings(votes, rounds=20)[0].identity == "A"


def test_a_tie_alone_leaves_both_at_1000():
    rows = standings([stored("tie", ["A", "B"])], rounds=0)
    assert [(s.rating, s.low, s.high) for s in rows] == [(1000.0, 1000.0, 1000.0)] * 2
    assert all((s.wins, s.losses, s.ties) == (0, 0, 1) for s in rows)


def test_votes_that_compare_nothing_make_no_standings():
    assert standings([]) == []
    # A winner who is not among the models judged, or a single model, gives no pairs.
    assert standings([best("X", "X"), stored("best", ["A", "B"], "Z")]) == []


def test_standings_are_sorted_by_rating_and_reproducible():
    votes = [best("C", "B", vote_id=i) for i in range(4)] + [
        best("B", "A", vote_id=10 + i) for i in range(4)
    ]
    first = standings(votes, rounds=60, seed=3)
    assert [s.identity for s in first] == ["C", "B", "A"]
    assert [s.rating for s in first] == sorted((s.rating for s in first), reverse=True)
    assert standings(votes, rounds=60, seed=3) == first


# -- the tag filter through the store ------------------------------------------------------


@pytest.fixture
def compare_store(tmp_path):
    store = Store(tmp_path / "workbench.db")
    yield CompareStore(store)
    store.close()


def vote_rounds(cs: CompareStore, tags: list[str], winners: list[int | None]) -> None:
    """A session of alpha vs beta; per round, the winning slot (None: a tie)."""
    session = cs.create_session(
        "s", [TargetSpec("openai", "alpha"), TargetSpec("openai", "beta")], tags=tags
    )
    targets = cs.targets(session.id)
    for n, slot in enumerate(winners):
        rnd = cs.add_round(session.id, f"prompt {n}")
        if slot is None:
            cs.record_vote(rnd.id, "tie")
        else:
            cs.record_vote(rnd.id, "best", targets[slot].id)


def test_tag_filter_narrows_the_votes_standings_count(compare_store):
    vote_rounds(compare_store, ["coding"], [0, 0, 0])
    vote_rounds(compare_store, ["Chinese"], [1, None])
    everything = by_name(standings(compare_store.votes()))
    assert (everything["openai:alpha"].wins, everything["openai:alpha"].losses) == (3, 1)
    assert everything["openai:alpha"].ties == 1
    coding = by_name(standings(compare_store.votes("CODING")))  # ignoring case
    assert (coding["openai:alpha"].wins, coding["openai:alpha"].losses) == (3, 0)
    assert coding["openai:beta"].games == 3
    chinese = by_name(standings(compare_store.votes("Chinese")))
    assert (chinese["openai:beta"].wins, chinese["openai:beta"].ties) == (1, 1)
    assert chinese["openai:beta"].rating > chinese["openai:alpha"].rating


# -- CSV export --------------------------------------------------------------------------------


def test_votes_csv_reads_back_with_bom_chinese_text_and_local_time(tmp_path):
    created = 1_700_000_000.0
    votes = [
        best(
            "local:qwen.gguf",
            "deepseek:deepseek-chat",
            tags=["Chinese", "写作"],
            prompt="用一句话介绍长城。\nSecond line, with a comma",
            created_at=created,
        ),
        stored("all_bad", ["a:x", "b:y", "c:z"], created_at=created + 60, vote_id=2),
    ]
    out = tmp_path / "out"
    out.mkdir()
    path = out / "votes.csv"
    write_votes_csv(votes, path)
    assert path.read_bytes().startswith(BOM)
    rows = read_csv(path)
    assert rows[0] == list(VOTES_HEADER)
    assert rows[1][1:] == [
        "best",
        "local:qwen.gguf",
        "local:qwen.gguf | deepseek:deepseek-chat",
        "Chinese, 写作",
        "用一句话介绍长城。\nSecond line, with a comma",
    ]
    assert rows[2][1:] == ["all_bad", "", "a:x | b:y | c:z", "", "Say hello."]
    when = datetime.fromisoformat(rows[1][0])
    assert when.utcoffset() is not None  # local time, with its offset
    assert when.timestamp() == created
    assert datetime.fromisoformat(rows[2][0]).timestamp() == created + 60
    assert len(rows) == 3
    assert [p.name for p in out.iterdir()] == ["votes.csv"]  # no temporary file left


def test_standings_csv_rounds_to_one_decimal(tmp_path):
    rows = [
        Standing("deepseek:深度求索", 5, 1, 2, 8, 1082.4192, 1001.96, 1150.04, 6),
        Standing("openai:gpt", 1, 5, 2, 8, 917.5808, 850.0, 998.449, 6),
    ]
    path = tmp_path / "ratings.csv"
    write_standings_csv(rows, path)
    assert path.read_bytes().startswith(BOM)
    assert read_csv(path) == [
        list(STANDINGS_HEADER),
        ["deepseek:深度求索", "1082.4", "1002.0", "1150.0", "5", "1", "2", "8"],
        ["openai:gpt", "917.6", "850.0", "998.4", "1", "5", "2", "8"],
    ]


def test_export_replaces_an_existing_file(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("old contents that are longer than the new ones " * 100)
    write_standings_csv([], path)
    assert read_csv(path) == [list(STANDINGS_HEADER)]


def test_unwritable_path_raises_export_error_with_one_sentence(tmp_path):
    missing = tmp_path / "no such folder" / "votes.csv"
    with pytest.raises(ExportError) as caught:
        write_votes_csv([best("A", "B")], missing)
    message = str(caught.value)
    assert str(missing) in message
    assert message.endswith("try again.") and "\n" not in message
    assert caught.value.path == missing and caught.value.reason
    assert not missing.parent.exists()


def test_a_folder_in_the_way_raises_export_error_and_leaves_nothing_behind(tmp_path):
    out = tmp_path / "out"
    folder = out / "ratings.csv"
    folder.mkdir(parents=True)
    (folder / "keep.txt").write_text("x")
    with pytest.raises(ExportError):
        write_standings_csv(standings([best("A", "B")], rounds=0), folder)
    assert [p.name for p in out.iterdir()] == ["ratings.csv"]
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]
