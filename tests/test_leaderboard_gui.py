"""The leaderboard view on a real database: rows in rating order, tag filter, CSV export."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QPushButton, QTableView

from workbench.core.compare.leaderboard import Standing, standings
from workbench.core.compare.sessions import CompareStore
from workbench.core.compare.targets import TargetSpec
from workbench.core.store import Store
from workbench.qt.leaderboard_model import SortRole, StandingsModel
from workbench.ui.compare.leaderboard import LeaderboardView

ALPHA, BETA, GAMMA = "openai:alpha", "openai:beta", "deepseek:gamma"
# As the table shows them: "provider · model" (no provider names given to the view here).
ALPHA_NAME, BETA_NAME, GAMMA_NAME = "openai · alpha", "openai · beta", "deepseek · gamma"
EMPTY = "No votes yet. Vote in a blind comparison and the ratings appear here."


@pytest.fixture
def compare_store(tmp_path):
    store = Store(tmp_path / "workbench.db")
    yield CompareStore(store)
    store.close()


def play(cs: CompareStore, specs: list[TargetSpec], tags: list[str], winners: list[int]) -> None:
    """A blind session; one round per entry of ``winners``, the slot that won it."""
    session = cs.create_session("s", specs, blind=True, tags=tags)
    targets = cs.targets(session.id)
    for n, slot in enumerate(winners):
        rnd = cs.add_round(session.id, f"prompt {n}", blind=True)
        cs.record_vote(rnd.id, "best", targets[slot].id)


@pytest.fixture
def voted(compare_store):
    """alpha beats beta 10–0 ("coding"); beta beats gamma 2–0 ("Chinese"); an unused tag."""
    alpha, beta = TargetSpec("openai", "alpha"), TargetSpec("openai", "beta")
    gamma = TargetSpec("deepseek", "gamma")
    play(compare_store, [alpha, beta], ["coding"], [0] * 10)
    play(compare_store, [beta, gamma], ["Chinese"], [0, 0])
    compare_store.create_session("unused", [alpha, gamma], tags=["maths"])
    return compare_store


def open_view(qtbot, cs: CompareStore) -> LeaderboardView:
    """A shown view whose first refresh has finished."""
    view = LeaderboardView(cs)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.jobs.pending() == 0)
    return view


def column(view: LeaderboardView, col: int) -> list[str]:
    table = view.findChild(QTableView, "leaderboardTable")
    model = table.model()
    return [model.index(r, col).data() for r in range(model.rowCount())]


def label(view: LeaderboardView, name: str) -> str:
    return view.findChild(QLabel, name).text()


def button(view: LeaderboardView, name: str) -> QPushButton:
    return view.findChild(QPushButton, name)


def choose_tag(qtbot, view: LeaderboardView, text: str) -> None:
    box = view.findChild(QComboBox, "leaderboardTag")
    index = box.findText(text)
    assert index >= 0, text
    with qtbot.waitSignal(view.refreshed):
        box.setCurrentIndex(index)


def test_empty_database_shows_the_empty_state(qtbot, compare_store):
    view = open_view(qtbot, compare_store)
    assert label(view, "leaderboardSummary") == EMPTY
    assert column(view, 0) == []
    assert not button(view, "exportVotes").isEnabled()
    assert not button(view, "exportRatings").isEnabled()
    box = view.findChild(QComboBox, "leaderboardTag")
    assert [box.itemText(i) for i in range(box.count())] == ["All tags"]


def test_rows_follow_the_ratings(qtbot, voted):
    view = open_view(qtbot, voted)
    expected = standings(voted.votes())
    assert [s.identity for s in expected] == [ALPHA, BETA, GAMMA]
    assert column(view, 0) == [ALPHA_NAME, BETA_NAME, GAMMA_NAME]
    assert column(view, 1) == [f"{s.rating:.0f}" for s in expected]
    assert column(view, 2) == [f"{s.low:.0f} – {s.high:.0f}" for s in expected]
    assert column(view, 3) == ["10", "2", "0"]  # wins
    assert column(view, 4) == ["0", "10", "2"]  # losses
    assert column(view, 6) == ["10", "12", "2"]  # games
    assert label(view, "leaderboardSummary") == "12 votes between 3 models"
    assert "64 %" in label(view, "leaderboardExplanation")
    table = view.findChild(QTableView, "leaderboardTable")
    assert "95 %" in table.model().index(0, 2).data(Qt.ItemDataRole.ToolTipRole)
    box = view.findChild(QComboBox, "leaderboardTag")
    assert [box.itemText(i) for i in range(box.count())] == [
        "All tags",
        "Chinese",
        "coding",
        "maths",
    ]


def test_columns_sort_as_numbers(qtbot, voted):
    view = open_view(qtbot, voted)
    table = view.findChild(QTableView, "leaderboardTable")
    table.sortByColumn(6, Qt.SortOrder.AscendingOrder)  # games: 2 < 10 < 12, not "10" < "2"
    assert column(view, 6) == ["2", "10", "12"]
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert column(view, 0) == [GAMMA_NAME, ALPHA_NAME, BETA_NAME]
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert column(view, 0) == [GAMMA_NAME, BETA_NAME, ALPHA_NAME]


def test_standings_model_passes_the_model_tester(qtmodeltester, qtbot, voted):
    model = StandingsModel()
    qtmodeltester.check(model)
    model.set_standings(standings(voted.votes(), rounds=20))
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 7
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(model.index(0, 6), SortRole) == 10
    assert isinstance(model.data(model.index(0, 1), SortRole), float)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "95 % interval"
    assert model.data(QModelIndex()) is None
    model.set_standings([Standing("x:y", 1, 0, 0, 1, 1012.4, 1011.6, 1088.5, 1)])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 2)) == "1012 – 1088"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "Judged in 1 vote"


def test_tag_filter_narrows_the_rows(qtbot, voted):
    view = open_view(qtbot, voted)
    choose_tag(qtbot, view, "coding")
    assert column(view, 0) == [ALPHA_NAME, BETA_NAME]
    assert column(view, 3) == ["10", "0"]
    assert label(view, "leaderboardSummary") == "10 votes between 2 models"
    choose_tag(qtbot, view, "Chinese")
    assert column(view, 0) == [BETA_NAME, GAMMA_NAME]
    choose_tag(qtbot, view, "maths")
    assert column(view, 0) == []
    assert label(view, "leaderboardSummary") == "No votes carry the tag “maths” yet."
    assert not button(view, "exportRatings").isEnabled()
    choose_tag(qtbot, view, "All tags")
    assert column(view, 0) == [ALPHA_NAME, BETA_NAME, GAMMA_NAME]


def test_refresh_shows_new_votes_and_drops_stale_results(qtbot, voted):
    view = open_view(qtbot, voted)
    play(voted, [TargetSpec("deepseek", "gamma"), TargetSpec("openai", "delta")], [], [0])
    shown = []
    view.refreshed.connect(lambda: shown.append(column(view, 0)))
    view.refresh()
    view.refresh()  # before the first result is back: only the newest one is shown
    qtbot.waitUntil(lambda: view.jobs.pending() == 0)
    assert len(shown) == 1
    assert "openai · delta" in shown[0]
    assert label(view, "leaderboardSummary") == "13 votes between 4 models"


def test_export_buttons_write_csv_files(qtbot, voted, tmp_path, monkeypatch):
    view = open_view(qtbot, voted)
    out = tmp_path / "exports"
    out.mkdir()
    answers = iter([str(out / "my votes"), str(out / "ratings.csv")])
    asked = []

    def fake_dialog(parent, caption, start, filters):
        asked.append(start)
        return next(answers), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    with qtbot.waitSignal(view.exported) as blocker:
        qtbot.mouseClick(button(view, "exportVotes"), Qt.MouseButton.LeftButton)
    assert blocker.args == [str(out / "my votes.csv")]  # the extension is added
    assert asked[0].endswith("votes.csv")
    with open(out / "my votes.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 1 + 12
    assert rows[1][1:3] == ["best", ALPHA]
    # Blind rounds list the models in the order their panes were shown.
    assert sorted(rows[1][3].split(" | ")) == sorted([ALPHA, BETA])
    assert rows[1][4:] == ["coding", "prompt 0"]
    assert label(view, "leaderboardStatus") == f"Saved {out / 'my votes.csv'}."

    with qtbot.waitSignal(view.exported):
        qtbot.mouseClick(button(view, "exportRatings"), Qt.MouseButton.LeftButton)
    assert asked[1] == str(out / "ratings.csv")  # starts in the folder used last
    with open(out / "ratings.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert [r[0] for r in rows[1:]] == [ALPHA, BETA, GAMMA]
    assert rows[1][4:] == ["10", "0", "0", "10"]


def test_cancelled_dialog_writes_nothing(qtbot, voted, monkeypatch):
    view = open_view(qtbot, voted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    qtbot.mouseClick(button(view, "exportVotes"), Qt.MouseButton.LeftButton)
    assert view.jobs.pending() == 0
    assert label(view, "leaderboardStatus") == ""


def test_failed_export_shows_one_sentence(qtbot, voted, tmp_path, monkeypatch):
    view = open_view(qtbot, voted)
    target = tmp_path / "gone" / "ratings.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    with qtbot.waitSignal(view.export_failed) as blocker:
        qtbot.mouseClick(button(view, "exportRatings"), Qt.MouseButton.LeftButton)
    message = label(view, "leaderboardStatus")
    assert blocker.args == [message]
    assert message.startswith(f"Workbench could not save {target} (")
    assert message.endswith("choose another folder and try again.")
    assert "\n" not in message and "Traceback" not in message
    assert not target.exists()


def test_models_are_shown_by_name_never_by_identity(qtbot, compare_store):
    """A file by its name without ".gguf", a cloud model as "Provider · model"."""
    local = TargetSpec("local", "/models/x/SmolLM2-135M-Instruct-Q4_1.gguf")
    cloud = TargetSpec("custom", "ok")
    play(compare_store, [local, cloud], [], [0, 0, 1])
    view = LeaderboardView(compare_store, provider_names=lambda: {"custom": "Desk server"})
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.jobs.pending() == 0 and bool(column(view, 0)))
    assert column(view, 0) == ["SmolLM2-135M-Instruct-Q4_1", "Desk server · ok"]
    shown = " ".join(column(view, 0))
    assert "local:" not in shown and ".gguf" not in shown and "custom:" not in shown
    # What is stored and exported stays the identity.
    assert [s.identity for s in view.standings()] == [
        "local:SmolLM2-135M-Instruct-Q4_1.gguf",
        "custom:ok",
    ]
