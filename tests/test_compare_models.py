"""The compare page's item models and the data the controller reads for them off the GUI thread."""

from __future__ import annotations

import pytest

from workbench.core.compare.record import open_round
from workbench.core.compare.sessions import CompareStore
from workbench.core.compare.targets import parse_target
from workbench.core.compare.view import read_view
from workbench.core.store import Store
from workbench.qt.compare_models import ReviewTableModel, SessionListModel


@pytest.fixture
def compare(tmp_path):
    store = Store(tmp_path / "db.sqlite")
    yield CompareStore(store)
    store.close()


@pytest.fixture
def session(compare):
    specs = [parse_target("local:/m/SmolLM2.gguf"), parse_target("openai:gpt-4o")]
    session = compare.create_session("s", specs)
    targets = compare.targets(session.id)
    for prompt in ("one?", "two?"):
        rnd, questions = open_round(compare, session.id, prompt, targets, fresh=True, blind=True)
        for q in questions:
            answer = compare.store.add_message(
                q.target.conversation_id,
                "assistant",
                f"{prompt} from SmolLM2",
                parent_id=q.parent_id,
            )
            compare.set_answer(rnd.id, q.target.id, answer.id)
    compare.record_vote(compare.rounds(session.id)[0].id, "tie")
    return session


def test_open_round_asks_each_target_under_a_thread_of_its_own(compare, session):
    targets = compare.targets(session.id)
    rnd, questions = open_round(compare, session.id, "three?", targets, fresh=True)
    assert [q.target.id for q in questions] == [t.id for t in targets]
    for q in questions:
        assert q.messages == [{"role": "user", "content": "three?"}]
        assert compare.store.get_message(q.parent_id).parent_id is None
    assert compare.get_round(rnd.id).prompt == "three?"


def test_the_view_has_every_round_answer_question_vote_and_thread(compare, session):
    data = read_view(compare, session.id)
    assert data.session.id == session.id and len(data.targets) == 2
    assert [r.prompt for r in data.rounds] == ["one?", "two?"]
    # Four answers and the four questions they answer.
    assert sorted(m.role for m in data.messages.values()) == ["assistant"] * 4 + ["user"] * 4
    assert list(data.votes) == [data.rounds[0].id]
    assert data.unvoted_rounds() == [data.rounds[1]]
    for t in data.targets:
        question, answer = data.round_messages(data.rounds[1], t.id)
        assert (question.content, answer.content) == ("two?", "two? from SmolLM2")
        # Each blind round is a thread of its own: the thread shown is the last one.
        assert [m.content for m in data.threads[t.id]] == ["two?", "two? from SmolLM2"]
    empty = read_view(compare, None)
    assert empty.session is None and empty.rounds == [] and empty.threads == {}


def test_most_recent_falls_back_to_the_latest_session(compare, session):
    from workbench.core.compare.view import most_recent

    assert most_recent(compare, session.id) == session.id
    assert most_recent(compare, 999) == session.id
    assert most_recent(compare, None) == session.id
    compare.delete_session(session.id)
    assert most_recent(compare, session.id) is None


def test_question_again_finds_the_last_rounds_question_with_its_history(compare, session):
    from workbench.core.compare.record import question_again

    targets = compare.targets(session.id)
    rnd, question = question_again(compare, session.id, targets[0])
    assert rnd.prompt == "two?"
    assert question.messages == [{"role": "user", "content": "two?"}]
    assert compare.store.get_message(question.parent_id).content == "two?"
    other = compare.create_session("t", [t.spec for t in targets])
    assert question_again(compare, other.id, compare.targets(other.id)[0]) is None


def test_review_table_passes_the_model_tester_and_masks_unvoted_rounds(
    qtmodeltester, compare, session
):
    import re

    data = read_view(compare, session.id)
    targets = compare.targets(session.id)
    model = ReviewTableModel()
    qtmodeltester.check(model)
    names = {t.id: t.identity for t in targets}
    model.set_data(
        targets,
        data.rounds,
        data.messages,
        data.votes,
        names,
        blind=True,
        mask=re.compile("SmolLM2"),
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert "SmolLM2" not in str(model.data(model.index(1, 1)))


def test_session_list_passes_the_model_tester(qtmodeltester, compare, session):
    model = SessionListModel()
    qtmodeltester.check(model)
    model.set_sessions(compare.list_sessions())
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.row_of(session.id) == 0
