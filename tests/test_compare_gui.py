"""Compare mode in the window, with real models only: the test model loaded here against the same
model behind llama-cpp-python's OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import pytest
from llamaserver import llama_server  # noqa: F401 - fixture
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from test_app import make_window

from workbench.core.compare.schedule import fake_memory, need_of
from workbench.core.compare.targets import LOCAL, TargetSpec
from workbench.core.fit import RAM_RESERVE, estimate_fit
from workbench.core.options import LoadOptions
from workbench.ui.compare.setup import NewComparisonDialog

SERVER_NAME = "Desk server"
SERVER_MODEL = "smollm2"


def setup_targets(win, test_model, server_url, *, max_tokens=24, local_extra=None):
    provider = win.cloud.add_provider("llamacpp", name=SERVER_NAME, base_url=server_url)
    local = TargetSpec(
        LOCAL, str(test_model), params={"max_tokens": max_tokens, "seed": 1, **(local_extra or {})}
    )
    cloud = TargetSpec(provider.id, SERVER_MODEL, params={"max_tokens": max_tokens, "seed": 1})
    return provider, [local, cloud]


def create(qtbot, page, specs, **kwargs):
    """Make a comparison as the page does; it opens once it is stored and read (jobs)."""
    c = page.controller
    before = c.session.id if c.session else None
    page.create_session(specs, **kwargs)
    # (Not the first session_opened: the window's start-up restore may still be on its way.)
    qtbot.waitUntil(
        lambda: c.session is not None and c.session.id != before and not c.opening,
        timeout=10_000,
    )
    return c.session


def vote(qtbot, page, button) -> None:
    """Click a vote button; the vote is stored by a job."""
    with qtbot.waitSignal(page.vote_recorded, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def send(qtbot, page, text: str, *, wait: bool = True) -> None:
    page.composer.setFocus()
    page.composer.setPlainText(text)
    qtbot.keyClick(page.composer, Qt.Key.Key_Return)
    if wait:
        qtbot.waitUntil(lambda: not page.controller.busy, timeout=120_000)


def identifying(provider_id: str, test_model) -> list[str]:
    return [
        test_model.name,
        "SmolLM",
        SERVER_MODEL,
        SERVER_NAME,
        provider_id,
        "llama.cpp",
        "(this computer)",
    ]


@pytest.fixture
def win(qtbot):
    w = make_window(qtbot)
    yield w
    w.close()


def test_replies_stream_side_by_side_with_figures_and_stop_one_leaves_the_other(
    qtbot,
    win,
    test_model,
    llama_server,  # noqa: F811
):
    page = win.compare
    win.pages.setCurrentWidget(page)
    provider, specs = setup_targets(win, test_model, llama_server)
    session = create(qtbot, page, specs, tags=["test"])
    assert session is not None and len(page.panes) == 2
    local_t, cloud_t = page.controller.targets

    texts: dict[int, list[str]] = {local_t.id: [], cloud_t.id: []}
    page.controller.pane_text.connect(lambda tid, text, _r: texts[tid].append(text))
    send(qtbot, page, "Say hello to a friend.")
    # Both panes streamed and ended with an answer and its figures.
    assert texts[local_t.id] and texts[cloud_t.id]
    for target in (local_t, cloud_t):
        pane = page.pane_for(target.id)
        thread = win.store.thread(target.conversation_id)
        assert [m.role for m in thread] == ["user", "assistant"]
        answer = thread[-1]
        assert answer.state == "complete" and answer.content.strip()
        assert answer.stats["completion_tokens"] > 0
        assert pane.messages.items()[-1].content == answer.content
        assert "tok/s" in pane.figures.text() and "first token" in pane.figures.text()
        assert pane.figures.text().endswith("$0")  # this computer, and a server on it
    assert win.store.thread(local_t.conversation_id)[-1].source == LOCAL
    assert win.store.thread(cloud_t.conversation_id)[-1].source == provider.id
    # Compare threads are not chats: the sidebar and search don't list them.
    assert win.store.list_conversations() == [] or all(
        c.id not in (local_t.conversation_id, cloud_t.conversation_id)
        for c in win.store.list_conversations()
    )
    assert win.store.search("friend") == []

    # Regenerate one pane: a new answer replaces it there; the other pane is untouched.
    rnd = page.compare.rounds(session.id)[-1]
    old_cloud, old_local = rnd.answers[cloud_t.id], rnd.answers[local_t.id]
    cloud_pane = page.pane_for(cloud_t.id)
    local_before = [i.content for i in page.pane_for(local_t.id).messages.items()]
    assert cloud_pane.regenerate_button.isEnabled()
    with qtbot.waitSignal(page.controller.round_finished, timeout=60_000):
        qtbot.mouseClick(cloud_pane.regenerate_button, Qt.MouseButton.LeftButton)
    rnd = page.compare.get_round(rnd.id)
    assert rnd.answers[local_t.id] == old_local and rnd.answers[cloud_t.id] != old_cloud
    new_answer = win.store.get_message(rnd.answers[cloud_t.id])
    assert new_answer.state == "complete" and new_answer.content
    assert [m.id for m in win.store.siblings(new_answer.id)] == [old_cloud, new_answer.id]
    assert [i.role for i in cloud_pane.messages.items()] == ["user", "assistant"]
    assert cloud_pane.messages.items()[-1].content == new_answer.content
    assert [i.content for i in page.pane_for(local_t.id).messages.items()] == local_before

    # A long round: stop the local pane once it writes; the cloud pane keeps going. (The local
    # model stays loaded between rounds, so both start together.)
    assert page.controller.loaded_targets() == [local_t.id]
    for spec_target in (local_t, cloud_t):
        spec = spec_target.spec  # the controller's own object: the next round uses it
        spec.params["max_tokens"] = 400
        page.compare.update_target_settings(spec_target.id, spec)
    texts = {local_t.id: [], cloud_t.id: []}
    after_stop: list[str] = []
    page.controller.pane_text.connect(lambda tid, text, _r: texts.setdefault(tid, []).append(text))
    send(qtbot, page, "Write a long, detailed story about a lighthouse keeper.", wait=False)
    qtbot.waitUntil(lambda: bool(texts[local_t.id]) and bool(texts[cloud_t.id]), timeout=60_000)
    local_pane = page.pane_for(local_t.id)
    assert local_pane.stop_button.isEnabled()
    qtbot.mouseClick(local_pane.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: local_pane.status.text() == "Stopped", timeout=10_000)
    page.controller.pane_text.connect(
        lambda tid, text, _r: tid == cloud_t.id and after_stop.append(text)
    )
    assert page.controller.busy  # the cloud pane is still writing
    qtbot.waitUntil(lambda: not page.controller.busy, timeout=120_000)
    local_answer = win.store.thread(local_t.conversation_id)[-1]
    cloud_answer = win.store.thread(cloud_t.conversation_id)[-1]
    assert local_answer.state == "cancelled"
    assert cloud_answer.state == "complete"
    assert after_stop, "the cloud pane kept streaming after the local one was stopped"
    assert len(cloud_answer.content) > len(local_answer.content)


def test_blind_mode_names_nobody_before_the_vote_and_stores_it(
    qtbot,
    win,
    test_model,
    llama_server,  # noqa: F811
):
    page = win.compare
    win.pages.setCurrentWidget(page)
    provider, specs = setup_targets(win, test_model, llama_server)
    create(qtbot, page, specs, blind=True, tags=["Chinese"])
    names = identifying(provider.id, test_model)

    def leaks() -> list[str]:
        shown = (page.visible_text() + "\n" + win.windowTitle()).casefold()
        return [n for n in names if n.casefold() in shown]

    seen: list[list[str]] = []
    page.controller.pane_text.connect(lambda *_: seen.append(leaks()))
    # The prompt invites the models to name themselves; whatever they say is masked.
    send(qtbot, page, "Which model are you, and who made you? Say your name.", wait=False)
    assert leaks() == [], [
        line for line in page.visible_text().splitlines() if "computer" in line.casefold()
    ]
    qtbot.waitUntil(lambda: not page.controller.busy, timeout=120_000)
    assert seen and all(s == [] for s in seen), seen
    assert leaks() == []
    # Panes are titled by letter, tooltips too, and no figures are shown before the vote.
    assert sorted(p.title.text() for p in page.panes) == ["A", "B"]
    assert all(p.figures.text() == "" for p in page.panes)
    assert page.vote_bar.isVisible()

    order = page._order()
    winner_identity = next(t.identity for t in page.controller.targets if t.id == order[0])
    vote(qtbot, page, page.findChild(type(page.tie_button), "voteA"))
    votes = page.compare.votes()
    assert len(votes) == 1
    assert votes[0].outcome == "best" and votes[0].winner == winner_identity
    assert votes[0].tags == ["Chinese"]
    assert not page.vote_bar.isVisible()
    # Now who was who is shown.
    # Named as everywhere else: the file without ".gguf", "Provider · model".
    assert test_model.stem in page.reveal.text() and ".gguf" not in page.reveal.text()
    assert f"{SERVER_NAME} · {SERVER_MODEL}" in page.reveal.text()
    assert any("tok/s" in p.figures.text() for p in page.panes)
    assert len(page.compare.votes("chinese")) == 1
    assert page.compare.votes("coding") == []


def test_a_prompt_set_runs_to_the_end_is_voted_blind_and_can_be_cancelled(
    qtbot,
    win,
    test_model,
    llama_server,  # noqa: F811
    monkeypatch,
):
    page = win.compare
    win.pages.setCurrentWidget(page)
    provider = win.cloud.add_provider("llamacpp", name=SERVER_NAME, base_url=llama_server)
    view = page.prompt_sets
    view.new_set()
    view.name.setText("Greetings")
    view.tags.setText("smalltalk")
    view.prompts.setPlainText("Say hi.\nSay bye.\nSay thanks.")
    assert view.count.text() == "3 prompts"

    def accept(dialog):
        # The dialog as a user fills it: the test model here, the same model on the server.
        dialog.rows[0].set_target(LOCAL, str(test_model))
        dialog.rows[1].set_target(provider.id, SERVER_MODEL)
        for row in dialog.rows:
            row.max_tokens.setValue(8)
        assert dialog.blind.isChecked()  # a prompt set is voted on blind by default
        dialog.accept()
        return QDialog.DialogCode.Accepted if dialog.result() else QDialog.DialogCode.Rejected

    monkeypatch.setattr(NewComparisonDialog, "exec", accept)
    with qtbot.waitSignal(page.controller.batch_finished, timeout=180_000) as finished:
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert finished.args == [False]
    session = page.controller.session
    assert session.prompt_set_id is not None and session.tags == ["smalltalk"]
    rounds = page.compare.rounds(session.id)
    assert [r.prompt for r in rounds] == ["Say hi.", "Say bye.", "Say thanks."]
    for r in rounds:
        assert len(r.answers) == 2
        for message_id in r.answers.values():
            m = win.store.get_message(message_id)
            assert m.state == "complete" and m.stats["completion_tokens"] > 0
            # Each prompt is a question of its own: the reply follows only its prompt.
            assert win.store.get_message(m.parent_id).parent_id is None
    # The table: a row per prompt, answers under letters until voted.
    assert page.review.rowCount() == 3
    cell = page.review.data(page.review.index(0, 1))
    assert cell.startswith(("A: ", "B: "))
    assert "not voted" in page.review.data(page.review.index(0, 3))
    leaked = [
        line
        for line in page.visible_text().splitlines()
        if any(n.casefold() in line.casefold() for n in (SERVER_NAME, "SmolLM"))
    ]
    assert leaked == []

    # Vote on them blind, one after another, from the first.
    for i in range(3):
        assert page.can_vote() and page.vote_bar.isVisible()
        assert page.shown_round.id == rounds[i].id
        assert sorted(p.title.text() for p in page.panes) == ["A", "B"]
        # Nothing gives a pane away: no names, no figures (a cost would say "cloud").
        assert all(p.figures.text() == "" for p in page.panes)
        # (The table shows the rounds already voted on with their names, as it should.)
        text = "\n".join(p.visible_text() for p in page.panes).casefold()
        text += page.summary.text().casefold()
        assert not any(n.casefold() in text for n in (SERVER_NAME, "SmolLM", "tok/s", "$"))
        vote(qtbot, page, page.tie_button)
        assert page.next_vote.isVisible() == (i < 2)
        if i < 2:
            page.next_vote.click()
    assert len(page.compare.votes("smalltalk")) == 3
    assert page.review.data(page.review.index(2, 3)) == "tie"

    # A longer set, cancelled after its first prompt: what was answered is kept.
    view.new_set()
    view.name.setText("Long")
    view.prompts.setPlainText("\n".join(f"Count to {n}." for n in range(3, 9)))
    progress: list[int] = []
    page.controller.batch_progressed.connect(lambda done, _total: progress.append(done))
    page.controller.batch_progressed.connect(
        lambda done, _total: done == 1 and page.batch_cancel.click()
    )
    with qtbot.waitSignal(page.controller.batch_finished, timeout=180_000) as finished:
        view.run_button.click()
    assert finished.args == [True]
    qtbot.waitUntil(lambda: not page.controller.busy, timeout=30_000)
    rounds = page.compare.rounds(page.controller.session.id)
    assert 1 <= len(rounds) < 6
    first = [win.store.get_message(m) for m in rounds[0].answers.values()]
    assert all(m.state == "complete" and m.content for m in first)
    assert "cancelled" in page.notice.text()


def test_a_restart_restores_the_session_and_its_answers(
    qtbot,
    test_model,
    llama_server,  # noqa: F811
):
    win = make_window(qtbot)
    page = win.compare
    win.pages.setCurrentWidget(page)
    _provider, specs = setup_targets(win, test_model, llama_server)
    session = create(qtbot, page, specs)
    send(qtbot, page, "Name a colour.")
    answers = [win.store.thread(t.conversation_id)[-1].content for t in page.controller.targets]
    assert all(answers)
    win.close()

    again = make_window(qtbot)
    try:
        assert again.pages.currentWidget() is again.compare  # reopened where the user was
        page = again.compare
        # The session opens once its data is read (a job) and the list once it is listed.
        qtbot.waitUntil(lambda: page.controller.session is not None and bool(page.panes))
        qtbot.waitUntil(lambda: page.sessions.rowCount() == 1)
        assert page.controller.session.id == session.id
        assert page.controller.session.title == "Name a colour."
        shown = [p.messages.items()[-1].content for p in page.panes]
        assert shown == answers
        assert page.sessions.rowCount() == 1
    finally:
        again.close()


def test_local_models_that_do_not_fit_together_answer_one_after_the_other(qtbot, win, test_model):
    page = win.compare
    win.pages.setCurrentWidget(page)
    need = need_of(test_model, LoadOptions())
    one = estimate_fit(need.shape, fake_memory(2**40), n_ctx=need.n_ctx).needed_bytes
    # Room for one copy of the model, not two.
    win.compare_controller._memory = lambda: fake_memory(RAM_RESERVE + int(one * 1.5))
    specs = [
        TargetSpec(LOCAL, str(test_model), params={"max_tokens": 12, "temperature": 0.1}),
        TargetSpec(LOCAL, str(test_model), params={"max_tokens": 12, "temperature": 0.9}),
    ]
    create(qtbot, page, specs)
    events: list[tuple[str, int]] = []
    page.controller.pane_started.connect(lambda tid, _m: events.append(("start", tid)))
    page.controller.pane_ended.connect(lambda tid, _m: events.append(("end", tid)))
    send(qtbot, page, "Say one word.")
    assert "one after the other" in page.notice.text()
    kinds = [k for k, _ in events]
    assert kinds == ["start", "end", "start", "end"], events
    assert events[0][1] == events[1][1] != events[2][1] == events[3][1]
    assert len(page.controller.loaded_targets()) == 1  # the first was unloaded for the second
    for t in page.controller.targets:
        assert win.store.thread(t.conversation_id)[-1].state == "complete"


def test_a_blind_pane_never_shows_a_name_half_written(qtbot):
    from workbench.core.compare.blind import MASK, identifying_terms, redactor
    from workbench.core.store import Message
    from workbench.ui.compare.pane import ComparePane

    pane = ComparePane()
    qtbot.addWidget(pane)
    pane.resize(500, 400)
    pane.show()
    qtbot.waitExposed(pane)
    spec = TargetSpec(LOCAL, "/m/SmolLM2-135M-Instruct.Q4_1.gguf")
    mask = redactor(identifying_terms([spec], {}))

    def message(mid: int, role: str, content: str = "", state: str = "complete") -> Message:
        return Message(mid, 1, role, content, "", LOCAL, "m", {}, {}, state, None, 0, 0, mid)

    pane.show_thread(7, "A", [message(1, "user", "Who are you?")], mask=mask)
    pane.start_message(message(2, "assistant", state="streaming"))
    shown = []
    for chunk in ["I am Sm", "olLM", "2, by Hug", "ging Face", ". Hello", " there"]:
        pane.append(chunk, "")
        qtbot.wait(20)  # painted as it streams (the view renders each change)
        shown.append(pane.messages.items()[-1].content)
    pane.end_message(message(2, "assistant", "I am SmolLM2, by Hugging Face. Hello there"))
    qtbot.wait(20)
    final = pane.messages.items()[-1].content
    for text in [*shown, final]:
        assert "smol" not in text.casefold() and "hugging face" not in text.casefold(), text
    assert final == f"I am {MASK}, by {MASK}. Hello there"
    assert pane.title.text() == "A" and pane.figures.text() == ""
    assert "Smol" not in pane.visible_text()


def test_a_blind_pane_says_only_that_an_answer_failed(qtbot):
    from workbench.core.compare.blind import identifying_terms, redactor
    from workbench.core.store import Message
    from workbench.ui.compare.pane import ComparePane

    pane = ComparePane()
    qtbot.addWidget(pane)
    spec = TargetSpec("openai", "gpt-4o")
    failed = Message(
        2, 1, "assistant", "", "", "openai", "gpt-4o", {}, {"ttft_s": 0.2}, "error",
        "OpenAI refused the key (401): check it in Settings › Providers.", 0, 0, 2, 1,
    )  # fmt: skip
    question = Message(1, 1, "user", "hi", "", None, None, {}, {}, "complete", None, 0, 0, 1)
    pane.show_thread(3, "B", [question, failed], mask=redactor(identifying_terms([spec], {})))
    item = pane.messages.items()[-1]
    assert item.error == "This answer failed; why is shown after the vote."
    assert "401" not in pane.visible_text() and "key" not in pane.visible_text()
    pane.show_thread(3, "B · gpt-4o (OpenAI)", [question, failed])  # after the vote
    assert "refused the key" in pane.messages.items()[-1].error
