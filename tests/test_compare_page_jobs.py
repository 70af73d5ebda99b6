"""The compare page never touches the database on the GUI thread: sessions are listed, opened,
made, deleted, voted on and restored by jobs, and the page shows their data when it arrives.
No model is needed: the rounds here are stored directly."""

from __future__ import annotations

import threading
import traceback

import pytest
from PySide6.QtWidgets import QMessageBox
from test_app import make_window

from workbench.core.compare.record import open_round
from workbench.core.compare.targets import TargetSpec
from workbench.core.store import Store

SPECS = [TargetSpec("openai", "gpt-4o"), TargetSpec("deepseek", "deepseek-chat")]
OURS = ("workbench/ui/compare/", "workbench/qt/compare")


@pytest.fixture
def gui_thread_reads(monkeypatch):
    """Where the compare page's code used the database on the GUI thread (file:line)."""
    found: list[str] = []

    def spy(original):
        def wrapper(self, *args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                ours = [
                    f"{f.filename}:{f.lineno}"
                    for f in traceback.extract_stack()
                    if any(part in f.filename.replace("\\", "/") for part in OURS)
                ]
                if ours:
                    found.append(ours[-1])
            return original(self, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(Store, "_read", spy(Store._read))
    monkeypatch.setattr(Store, "_write", spy(Store._write))
    return found


def answered_round(win, session_id: int, prompt: str) -> None:
    """A round every target answered, stored as the engine would (by the test, not the page)."""
    compare = win.compare_controller.compare
    targets = compare.targets(session_id)
    rnd, questions = open_round(compare, session_id, prompt, targets, fresh=True, blind=True)
    for q in questions:
        answer = win.store.add_message(
            q.target.conversation_id, "assistant", f"{prompt} answered", parent_id=q.parent_id
        )
        compare.set_answer(rnd.id, q.target.id, answer.id)


def settled(page) -> bool:
    c = page.controller
    return not c.opening and c.jobs.pending() == 0


def test_sessions_are_listed_opened_voted_on_deleted_and_restored_by_jobs(
    qtbot, monkeypatch, gui_thread_reads
):
    win = make_window(qtbot)
    page = win.compare
    c = page.controller
    win.pages.setCurrentWidget(page)
    qtbot.waitUntil(lambda: settled(page))

    page.create_session(SPECS, title="side by side")
    qtbot.waitUntil(lambda: c.session is not None and not c.opening)
    first = c.session
    assert len(page.panes) == 2 and page.title.text() == "side by side"
    page.create_session(SPECS, title="blind one", blind=True, tags=["maths"])
    qtbot.waitUntil(lambda: c.session is not None and c.session.id != first.id and not c.opening)
    blind = c.session
    qtbot.waitUntil(lambda: page.sessions.rowCount() == 2)
    assert page.session_list.currentIndex().row() == page.sessions.row_of(blind.id)

    # Two answered rounds, stored behind the page's back; reopening shows them.
    answered_round(win, blind.id, "one?")
    answered_round(win, blind.id, "two?")
    page.session_list.setCurrentIndex(page.sessions.index(page.sessions.row_of(first.id), 0))
    qtbot.waitUntil(lambda: c.session.id == first.id and settled(page))
    page.session_list.setCurrentIndex(page.sessions.index(page.sessions.row_of(blind.id), 0))
    qtbot.waitUntil(lambda: c.session.id == blind.id and settled(page))
    assert page.review.rowCount() == 2
    assert page.shown_round.prompt == "two?" and page.can_vote() and page.vote_bar.isVisible()
    assert sorted(p.title.text() for p in page.panes) == ["A", "B"]
    assert all("two? answered" in p.visible_text() for p in page.panes)

    # A vote is stored by a job; then who was who is shown, and the earlier round is next.
    with qtbot.waitSignal(page.vote_recorded, timeout=10_000) as voted:
        assert page.vote("tie")
        assert not page.can_vote()  # no second vote while the first is being stored
    assert voted.args[0].outcome == "tie" and voted.args[0].tags == ["maths"]
    assert "gpt-4o" in page.reveal.text()
    assert page.review.data(page.review.index(1, 3)) == "tie"
    assert page.next_vote.isVisible()
    page.next_vote.click()
    assert page.shown_round.prompt == "one?" and page.can_vote()

    # Blind off: each pane's whole thread, from the data already read.
    page.blind_box.click()
    assert not c.session.blind and all(p.title.text() != "A" for p in page.panes)
    qtbot.waitUntil(lambda: settled(page))
    assert c.compare.get_session(blind.id).blind is False

    # Deleting opens the comparison left.
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    page.delete_button.click()
    qtbot.waitUntil(lambda: c.session is not None and c.session.id == first.id and settled(page))
    qtbot.waitUntil(lambda: page.sessions.rowCount() == 1)
    assert [s.id for s in c.compare.list_sessions()] == [first.id]

    # Prompt sets are saved and listed by jobs too.
    view = page.prompt_sets
    view.new_set()
    view.name.setText("Greetings")
    view.prompts.setPlainText("Say hi.\nSay bye.")
    with qtbot.waitSignal(view.listed, timeout=10_000):
        view.save_button.click()
    assert view.status.text() == "Saved." and view.sets.rowCount() == 1
    win.close()

    # The next start opens the same comparison once its data has arrived.
    again = make_window(qtbot)
    try:
        page = again.compare
        qtbot.waitUntil(lambda: page.controller.session is not None and settled(page))
        assert page.controller.session.id == first.id and len(page.panes) == 2
        assert page.sessions.rowCount() == 1
        qtbot.waitUntil(lambda: page.prompt_sets.sets.rowCount() == 1)
    finally:
        again.close()
    assert gui_thread_reads == []
