"""Compare mode's core: targets, sessions and votes in the database, blind masking, scheduling."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys

import pytest

from workbench.core import migrations
from workbench.core.compare.blind import MASK, identifying_terms, letters, redact, redactor
from workbench.core.compare.schedule import (
    LocalNeed,
    fake_memory,
    fits_together,
    need_of,
    plan_groups,
    split_threads,
)
from workbench.core.compare.sessions import (
    CompareStore,
    clean_tags,
    join_prompts,
    parse_tags,
    split_prompts,
    unique_identities,
)
from workbench.core.compare.targets import (
    LOCAL,
    TargetError,
    TargetSpec,
    check_count,
    parse_target,
)
from workbench.core.fit import RAM_RESERVE, ModelShape, estimate_fit
from workbench.core.store import Store

GiB = 1024**3


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "db.sqlite")
    yield s
    s.close()


@pytest.fixture
def compare(store):
    return CompareStore(store)


def two() -> list[TargetSpec]:
    return [
        parse_target("local:/models/SmolLM2-135M-Instruct.Q4_1.gguf"),
        parse_target("openai:gpt-4o"),
    ]


# -- targets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "provider", "model", "identity"),
    [
        ("local:/m/x.gguf", LOCAL, "/m/x.gguf", "local:x.gguf"),
        ("LOCAL:/m/x.gguf", LOCAL, "/m/x.gguf", "local:x.gguf"),
        ("openai:gpt-4o-mini", "openai", "gpt-4o-mini", "openai:gpt-4o-mini"),
        ("ollama:qwen2.5:7b", "ollama", "qwen2.5:7b", "ollama:qwen2.5:7b"),
        ("openrouter:meta-llama/llama-3-8b", "openrouter", "meta-llama/llama-3-8b", None),
        (r"local:C:\models\y.gguf", LOCAL, r"C:\models\y.gguf", None),
    ],
)
def test_targets_split_on_the_first_colon(text, provider, model, identity):
    spec = parse_target(text)
    assert (spec.provider, spec.model) == (provider, model)
    if identity:
        assert spec.identity == identity


@pytest.mark.parametrize("text", ["gpt-4o", ":gpt", "openai:", "local:", "  :  "])
def test_bad_targets_are_one_sentence(text):
    with pytest.raises(TargetError, match="local:PATH or PROVIDER:MODEL"):
        parse_target(text)


def test_two_to_four_targets():
    spec = parse_target("openai:a")
    check_count([spec, spec])
    check_count([spec] * 4)
    for n in (0, 1, 5):
        with pytest.raises(TargetError, match="2 to 4"):
            check_count([spec] * n)


def test_a_spec_survives_saving_and_ignores_unknown_keys():
    spec = TargetSpec("local", "/m/x.gguf", params={"temperature": 0.3}, system_prompt="Be brief.")
    data = {**spec.to_dict(), "future": 1}
    again = TargetSpec.from_dict(data)
    assert again == spec
    assert again.sampling().temperature == 0.3
    with pytest.raises(TargetError):
        TargetSpec.from_dict({"provider": "openai"})


def test_the_same_model_twice_is_told_apart_by_its_settings():
    a = TargetSpec("openai", "gpt-4o", params={"temperature": 0.2})
    b = TargetSpec("openai", "gpt-4o", params={"temperature": 1.0})
    c = TargetSpec("openai", "gpt-4o", params={"temperature": 1.0})
    assert unique_identities([a, b]) == [
        "openai:gpt-4o (temperature=0.2)",
        "openai:gpt-4o (temperature=1.0)",
    ]
    ids = unique_identities([a, b, c])
    assert len(set(ids)) == 3
    assert unique_identities([a, TargetSpec("local", "/x/m.gguf")]) == [
        "openai:gpt-4o",
        "local:m.gguf",
    ]


# -- sessions, rounds, votes --------------------------------------------------------------------


def test_sessions_keep_their_threads_out_of_the_chat_list_and_search(store, compare):
    chat = store.create_conversation("A chat about lighthouses")
    session = compare.create_session("Lighthouses", two(), tags=["coding", "Coding", " 中文 "])
    assert session.tags == ["coding", "中文"]
    targets = compare.targets(session.id)
    assert [t.identity for t in targets] == [
        "local:SmolLM2-135M-Instruct.Q4_1.gguf",
        "openai:gpt-4o",
    ]
    store.add_message(targets[0].conversation_id, "user", "lighthouses at night")
    assert [c.id for c in store.list_conversations()] == [chat.id]
    assert [row[0] for row in store.conversation_summaries()] == [chat.id]
    assert [c.id for c in store.search("lighthouses")] == [chat.id]
    assert compare.list_sessions()[0].id == session.id


def test_a_round_links_each_answer_and_a_vote_outlives_its_session(store, compare):
    session = compare.create_session("s", two(), tags=["coding"])
    a, b = compare.targets(session.id)
    rnd = compare.add_round(session.id, "Which is larger, 9.11 or 9.9?", blind=True)
    assert sorted(rnd.blind_order) == [a.id, b.id]
    for t in (a, b):
        user = store.add_message(t.conversation_id, "user", rnd.prompt, parent_id=None)
        answer = store.add_message(t.conversation_id, "assistant", "9.9", parent_id=user.id)
        compare.set_answer(rnd.id, t.id, answer.id)
    assert compare.get_round(rnd.id).answers.keys() == {a.id, b.id}
    vote = compare.record_vote(rnd.id, "best", b.id)
    assert vote.winner == "openai:gpt-4o"
    assert vote.identities == [
        next(t.identity for t in (a, b) if t.id == rnd.blind_order[0]),
        next(t.identity for t in (a, b) if t.id == rnd.blind_order[1]),
    ]
    assert [(v.a, v.b, v.outcome) for v in vote.pairwise()] == [
        ("openai:gpt-4o", "local:SmolLM2-135M-Instruct.Q4_1.gguf", "a")
    ]
    # Voting again replaces the judgement.
    compare.record_vote(rnd.id, "tie")
    assert [v.outcome for v in compare.votes()] == ["tie"]
    with pytest.raises(ValueError):
        compare.record_vote(rnd.id, "best")
    with pytest.raises(ValueError):
        compare.record_vote(rnd.id, "a")
    with pytest.raises(KeyError):
        compare.record_vote(rnd.id, "best", 9999)

    compare.delete_session(session.id)
    assert compare.list_sessions() == []
    assert store._conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == 0
    assert store._conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 0
    votes = compare.votes("CODING")
    assert len(votes) == 1 and votes[0].round_id is None
    assert votes[0].prompt == "Which is larger, 9.11 or 9.9?"


def test_best_of_four_ties_and_all_bad_become_pairwise_votes(compare):
    specs = [parse_target(f"openai:m{i}") for i in range(4)]
    session = compare.create_session("four", specs)
    targets = compare.targets(session.id)
    rnd = compare.add_round(session.id, "q")
    best = compare.record_vote(rnd.id, "best", targets[2].id)
    assert sorted((v.a, v.b) for v in best.pairwise()) == [
        ("openai:m2", "openai:m0"),
        ("openai:m2", "openai:m1"),
        ("openai:m2", "openai:m3"),
    ]
    bad = compare.record_vote(rnd.id, "all_bad")
    assert len(bad.pairwise()) == 6
    assert {v.outcome for v in bad.pairwise()} == {"both_bad"}


def test_blind_order_is_random_per_round(compare):
    specs = [parse_target(f"openai:m{i}") for i in range(4)]
    session = compare.create_session("four", specs)
    rng = random.Random(7)
    orders = {
        tuple(compare.add_round(session.id, f"q{i}", blind=True, rng=rng).blind_order)
        for i in range(12)
    }
    assert len(orders) > 3
    assert compare.add_round(session.id, "open", blind=False).blind_order == []


def test_tags_and_prompt_sets(compare):
    assert parse_tags("coding，中文、 math , ,Coding") == ["coding", "中文", "math"]
    assert clean_tags(["a", "A", ""]) == ["a"]
    text = "What is 2+2?\n\nTranslate 你好 into English.\n"
    assert split_prompts(text) == ["What is 2+2?", "Translate 你好 into English."]
    multi = "Line one\nline two\n---\nSecond prompt\n---\n\n"
    assert split_prompts(multi) == ["Line one\nline two", "Second prompt"]
    assert split_prompts(join_prompts(["a\nb", "c"])) == ["a\nb", "c"]
    assert split_prompts(join_prompts(["a", "c"])) == ["a", "c"]

    saved = compare.save_prompt_set("Maths", ["1+1?", " ", "2+2?"], ["math"])
    assert saved.prompts == ["1+1?", "2+2?"]
    again = compare.save_prompt_set("Maths!", ["3+3?"], ["math"], prompt_set_id=saved.id)
    assert compare.get_prompt_set(saved.id).prompts == ["3+3?"]
    assert again.created_at == saved.created_at
    assert "math" in compare.all_tags()
    with pytest.raises(ValueError, match="name"):
        compare.save_prompt_set(" ", ["x"])
    with pytest.raises(ValueError, match="at least one prompt"):
        compare.save_prompt_set("Empty", [" "])
    compare.delete_prompt_set(saved.id)
    assert compare.prompt_sets() == []


_CRASHING_ROUND = """
import os, sys
from workbench.core.backend import Backend, Reply, TextDelta
from workbench.core.chat import history, start_reply
from workbench.core.compare.sessions import CompareStore
from workbench.core.compare.targets import parse_target
from workbench.core.options import SamplingParams
from workbench.core.store import Store

class Streams(Backend):
    source = "local"
    model_name = "m.gguf"
    def start_reply(self, messages, params):
        class R(Reply):
            def __iter__(self):
                yield TextDelta("Half of ")
                yield TextDelta("an answer")
                yield TextDelta(" that never ends")
            def cancel(self):
                pass
        return R()

store = Store(sys.argv[1])
compare = CompareStore(store)
specs = [parse_target("local:/m/a.gguf"), parse_target("openai:gpt-4o")]
session = compare.create_session("s", specs)
target = compare.targets(session.id)[0]
rnd = compare.add_round(session.id, "q")
user = store.add_message(target.conversation_id, "user", "q")
messages = history(store.thread(target.conversation_id))
reply = start_reply(store, Streams(), target.conversation_id, messages, SamplingParams(),
                    parent_id=user.id)
compare.set_answer(rnd.id, target.id, reply.message_id)
events = iter(reply)
next(events), next(events)
reply.recorder.flush()  # what the once-a-second write does while a reply streams
os._exit(3)  # the crash: no finish, no close, no cleanup
"""


def test_a_crash_mid_round_keeps_what_had_streamed(tmp_path):
    path = tmp_path / "db.sqlite"
    done = subprocess.run([sys.executable, "-c", _CRASHING_ROUND, str(path)], timeout=60)
    assert done.returncode == 3
    store = Store(path)
    assert store.recover_interrupted() == 1
    compare = CompareStore(store)
    session = compare.list_sessions()[0]
    target = compare.targets(session.id)[0]
    answer_id = compare.rounds(session.id)[0].answers[target.id]
    answer = store.get_message(answer_id)
    assert answer.content == "Half of an answer"
    assert answer.state == "interrupted"
    store.close()


def test_an_older_database_gains_compare_tables_and_keeps_its_chats(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    for _name, fn in migrations.MIGRATIONS[:4]:
        fn(conn)
    conn.execute("PRAGMA user_version = 4")
    conn.execute(
        "INSERT INTO conversations (title, created_at, updated_at) VALUES ('old chat', 1, 1)"
    )
    conn.close()
    store = Store(path)
    assert store.schema_version() == migrations.latest_version() >= 5
    assert [c.title for c in store.list_conversations()] == ["old chat"]
    assert CompareStore(store).list_sessions() == []
    store.close()


# -- blind masking ------------------------------------------------------------------------------


def test_names_are_masked_in_any_case_and_script_but_ordinary_words_are_not():
    specs = [
        parse_target("local:/m/SmolLM2-135M-Instruct.Q4_1.gguf"),
        parse_target("deepseek:deepseek-chat"),
        parse_target("zhipu:glm-4-flash"),
    ]
    pattern = redactor(identifying_terms(specs, {"deepseek": "DeepSeek", "zhipu": "Zhipu GLM"}))
    text = (
        "I am smollm2, built by Hugging Face. 我是智谱的GLM-4，不是通义千问。"
        " GPT-4o and DeepSeek-V3 differ. Yield, Yields and the chat field stay."
    )
    masked = redact(text, pattern)
    for name in ("smollm2", "Hugging Face", "智谱", "GLM-4", "通义千问", "GPT-4o", "DeepSeek-V3"):
        assert name.casefold() not in masked.casefold(), name
    assert "Yield, Yields and the chat field stay." in masked
    assert masked.count(MASK) >= 7
    assert letters(4) == ["A", "B", "C", "D"]


# -- scheduling ---------------------------------------------------------------------------------


def _shape(file_size: int) -> ModelShape:
    return ModelShape(
        file_size=file_size,
        n_layer=24,
        n_head_kv=8,
        key_length=64,
        value_length=64,
        embedding_length=1024,
    )


def test_local_targets_are_grouped_by_what_fits_together():
    small = LocalNeed(_shape(1 * GiB), n_ctx=2048)
    big = LocalNeed(_shape(6 * GiB), n_ctx=2048)
    need = {
        name: estimate_fit(n.shape, fake_memory(2**50), n_ctx=2048).needed_bytes
        for name, n in (("small", small), ("big", big))
    }
    roomy = fake_memory(RAM_RESERVE + need["small"] * 2 + need["big"] + GiB)
    assert plan_groups([small, small, big], roomy) == [[0, 1, 2]]
    tight = fake_memory(RAM_RESERVE + need["big"] + need["small"] // 2)
    # The big one fits alone; a small one does not fit beside it; the two small ones do fit.
    assert not fits_together([big, small], tight)
    assert plan_groups([big, small, small], tight) == [[0], [1, 2]]
    tiny = fake_memory(RAM_RESERVE + need["small"] // 2)
    assert plan_groups([small, small], tiny) == [[0], [1]]  # too large even alone: alone
    unreadable = LocalNeed(None, n_ctx=2048)
    assert plan_groups([unreadable, small], roomy) == [[0], [1]]


def test_need_of_a_real_file_and_of_a_broken_one(test_model, tmp_path):
    need = need_of(test_model)
    assert need.shape is not None and need.shape.file_size == test_model.stat().st_size
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF\x03\x00\x00\x00garbage")
    assert need_of(broken).shape is None
    assert need_of(tmp_path / "missing.gguf").shape is None


def test_threads_are_shared_between_models_that_answer_at_once():
    assert split_threads(2, cores=8) == 4
    assert split_threads(3, cores=8) == 2
    assert split_threads(4, cores=2) == 1
    assert split_threads(1, cores=6) == 6
