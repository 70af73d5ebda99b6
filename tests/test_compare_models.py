"""The compare page's item models and the data the controller reads for them off the GUI thread."""

from __future__ import annotations

import pytest

from workbench.core.compare.record import open_round
from workbench.core.compare.sessions import CompareStore
from workbench.core.compare.targets import parse_target
from workbench.core.store import Store
from workbench.qt.compare import read_review
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


def test_review_data_has_every_round_answer_and_vote(compare, session):
    data = read_review(compare, session.id)
    assert [r.prompt for r in data.rounds] == ["one?", "two?"]
    assert len(data.messages) == 4 and list(data.votes) == [data.rounds[0].id]
    assert read_review(compare, None).rounds == []


def test_review_table_passes_the_model_tester_and_masks_unvoted_rounds(
    qtmodeltester, compare, session
):
    import re

    data = read_review(compare, session.id)
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
