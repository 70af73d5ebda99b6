"""The chat view's list model: Qt's model tester, and what the window relies on."""

from __future__ import annotations

from workbench.core.store import Store
from workbench.qt.message_model import (
    MessageItem,
    MessageListModel,
    MessageRoles,
    figures_parts,
    figures_text,
    items_for_thread,
)


def test_model_passes_the_model_tester_through_changes(qtmodeltester):
    model = MessageListModel()
    model.set_items(
        [
            MessageItem(id=i, role="user" if i % 2 else "assistant", content=f"m{i}")
            for i in range(5)
        ]
    )
    qtmodeltester.check(model)
    row = model.append_item(MessageItem(id=99, role="assistant", state="streaming"))
    model.append_text(row, "Hel", "")
    model.append_text(row, "lo", "think")
    assert model.item(row).content == "Hello" and model.item(row).reasoning == "think"
    assert model.data(model.index(row, 0), MessageRoles.Revision) == 2
    model.truncate(3)
    assert model.rowCount() == 3 and model.row_of(99) == -1 and model.row_of(2) == 2
    qtmodeltester.check(model)


def test_items_carry_version_numbers_from_the_store():
    with Store() as store:
        c = store.create_conversation()
        user = store.add_message(c.id, "user", "Name a fruit.")
        store.add_message(c.id, "assistant", "Apple.")
        second = store.add_message(c.id, "assistant", "Pear.", parent_id=user.id)
        items = items_for_thread(store.thread(c.id), store.thread_versions(c.id))
    assert [i.content for i in items] == ["Name a fruit.", "Pear."]
    assert (items[1].id, items[1].version, items[1].versions) == (second.id, 2, 2)
    assert (items[0].version, items[0].versions) == (1, 1)


def test_figures_parts_join_into_the_figures_line():
    stats = {"completion_tokens": 42, "tokens_per_s": 98.14, "ttft_s": 0.123, "cost": 0.0012}
    parts = figures_parts(stats)
    assert parts[:3] == ["42 tokens", "98.1 tok/s", "first token 0.12 s"]
    assert len(parts) == 4 and "0.0012" in parts[3]
    assert figures_text(stats) == " · ".join(parts)
    assert figures_parts({}) == [] and figures_text(None) == ""
