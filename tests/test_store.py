"""Behaviour of the conversation store: migrations, CRUD, search, crash recovery, concurrency."""

from __future__ import annotations

import sqlite3
import threading
import time
from itertools import pairwise

import pytest

from workbench.core import migrations, paths
from workbench.core.store import ReplyRecorder, Store, StoreError

NEWER_MESSAGE = (
    "This conversation database was created by a newer version of Workbench; "
    "update Workbench to open it."
)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "data" / "conversations.sqlite3"


@pytest.fixture
def store(db_path):
    with Store(db_path) as s:
        yield s


@pytest.fixture(params=["fts", "like"])
def search_store(request, db_path, monkeypatch):
    """A store searched through FTS5, and one as if SQLite had no FTS5 (LIKE fallback)."""
    if request.param == "like":
        monkeypatch.setattr(migrations, "fts5_trigram_available", lambda: False)
    with Store(db_path) as s:
        assert s._fts is (request.param == "fts")
        yield s


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def ids(conversations):
    return [c.id for c in conversations]


def contents(messages):
    return [m.content for m in messages]


def old_database(db_path, version, chats):
    """A database as Workbench at schema ``version`` left it, holding ``chats``.

    Written with plain SQL, as that version did: today's Store expects today's schema.
    ``chats`` maps titles to lists of (role, content).
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        for number, (_name, fn) in enumerate(migrations.MIGRATIONS[:version], start=1):
            conn.execute("BEGIN")
            fn(conn)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        conversation_ids = {}
        for stamp, (title, rows) in enumerate(chats.items()):
            cid = conn.execute(
                "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
                (title, stamp, stamp),
            ).lastrowid
            conversation_ids[title] = cid
            for position, (role, content) in enumerate(rows):
                conn.execute(
                    "INSERT INTO messages (conversation_id, position, role, created_at,"
                    " updated_at, content) VALUES (?, ?, ?, ?, ?, ?)",
                    (cid, position, role, stamp, stamp, content),
                )
    finally:
        conn.close()
    return conversation_ids


# -- opening and migrations ------------------------------------------------------------------


def test_fts5_trigram_is_available_here():
    # The real search path must be exercised; if this fails the LIKE fallback is all we test.
    assert migrations.fts5_trigram_available(), sqlite3.sqlite_version


def test_new_database_is_fully_migrated(db_path):
    with Store(db_path) as store:
        assert db_path.exists()  # parent folder was created
        assert store.path == db_path
        assert store.schema_version() == migrations.latest_version() == len(migrations.MIGRATIONS)
    names = [name for name, _ in migrations.MIGRATIONS]
    assert names[:4] == [
        "m001_initial",
        "m002_message_search",
        "m003_message_tree",
        "m004_soft_delete",
    ]


def test_default_path_is_in_app_data(workbench_home):
    with Store() as store:
        assert store.path == paths.database_path()
        assert store.path.parent == workbench_home


def test_reopening_runs_no_migration(db_path, monkeypatch):
    calls: list[str] = []

    def counting(name, fn):
        def run(conn):
            calls.append(name)
            fn(conn)

        return run

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [(name, counting(name, fn)) for name, fn in migrations.MIGRATIONS]
    )
    Store(db_path).close()
    assert calls == [name for name, _ in migrations.MIGRATIONS]
    calls.clear()
    with Store(db_path) as store:
        assert store.schema_version() == migrations.latest_version()
    assert calls == []


def test_upgrade_indexes_existing_rows(db_path):
    # A database made by a version that only knew m001, with data in it.
    conv = old_database(
        db_path, 1, {"Gardening notes": [("user", "how deep should tomato roots go")]}
    )["Gardening notes"]
    with Store(db_path) as store:
        assert store.schema_version() == migrations.latest_version()
        assert ids(store.search("tomato")) == [conv]
        assert ids(store.search("gardening")) == [conv]


def test_upgrade_from_v2_makes_chains(db_path):
    chats = {
        "empty": [],
        "one": [("user", "lonely")],
        "long": [("system", "Be brief."), ("user", "u1"), ("assistant", "a1"), ("user", "u2")],
    }
    convs = old_database(db_path, 2, chats)
    # A gap in positions, as deleting a message in v2 left behind.
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE messages SET position = 7 WHERE content = 'u2'")
    conn.commit()
    conn.close()
    with Store(db_path) as store:
        assert store.schema_version() == migrations.latest_version()
        assert store.thread(convs["empty"]) == []
        assert store.get_conversation(convs["empty"]).deleted_at is None
        (lonely,) = store.thread(convs["one"])
        assert lonely.parent_id is None
        long = store.thread(convs["long"])
        assert long == store.messages(convs["long"])
        assert contents(long) == ["Be brief.", "u1", "a1", "u2"]
        assert [m.parent_id for m in long] == [None, *(m.id for m in long[:-1])]
        leaf = store._conn.execute(
            "SELECT current_leaf_id FROM conversations WHERE id = ?", (convs["long"],)
        ).fetchone()[0]
        assert leaf == long[-1].id
        # New messages continue the old chain.
        a2 = store.add_message(convs["long"], "assistant", "a2")
        assert a2.parent_id == long[-1].id
        assert contents(store.thread(convs["long"]))[-2:] == ["u2", "a2"]
        assert ids(store.search("lonely")) == [convs["one"]]


def test_newer_database_is_refused_and_left_alone(db_path):
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store(db_path)
    assert str(caught.value) == NEWER_MESSAGE
    assert db_path.read_bytes() == before  # not even switched to WAL


def test_file_that_is_not_sqlite_is_refused_plainly(db_path):
    db_path.parent.mkdir(parents=True)
    garbage = b"this is not a database, just some bytes\x00\xff" * 100
    db_path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        Store(db_path)
    message = str(caught.value)
    assert str(db_path) in message
    assert "not a Workbench database" in message
    assert "file is not a database" not in message  # not the raw sqlite3 text
    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)
    assert db_path.read_bytes() == garbage


def test_unopenable_path_is_refused_plainly(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(StoreError, match="could not open"):
        Store(folder)


def test_connection_settings(store, db_path):
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_closed_store_raises_store_error(db_path):
    store = Store(db_path)
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError):
        store.list_conversations()


# -- conversations and messages --------------------------------------------------------------


def test_conversation_round_trip(store):
    settings = {"n_ctx": 8192, "sampling": {"temperature": 0.7, "stop": ["</s>"]}, "note": "ünï"}
    created = store.create_conversation(
        "Trip plan", system_prompt="Be brief.", model="local/qwen", settings=settings
    )
    loaded = store.get_conversation(created.id)
    assert loaded == created
    assert loaded.settings == settings
    raw = store._conn.execute("SELECT settings FROM conversations").fetchone()[0]
    assert " " not in raw.replace("Be brief.", "")  # compact JSON
    assert "ünï" in raw

    store.update_conversation(created.id, model="openai/gpt-4o")
    loaded = store.get_conversation(created.id)
    assert loaded.model == "openai/gpt-4o"
    assert loaded.system_prompt == "Be brief."  # untouched
    assert loaded.settings == settings
    assert loaded.updated_at > created.updated_at

    store.update_conversation(created.id, system_prompt=None, settings={"n_ctx": 2048})
    loaded = store.get_conversation(created.id)
    assert loaded.system_prompt is None
    assert loaded.settings == {"n_ctx": 2048}
    store.update_conversation(created.id, settings=None)
    assert store.get_conversation(created.id).settings == {}

    before = store.get_conversation(created.id)
    store.update_conversation(created.id)  # nothing given: nothing changes
    assert store.get_conversation(created.id) == before

    store.rename_conversation(created.id, "Trip to Kyoto")
    assert store.get_conversation(created.id).title == "Trip to Kyoto"

    default = store.create_conversation()
    assert default.title == "New chat"
    assert store.get_conversation(default.id).settings == {}


def test_missing_ids_raise_key_error(store):
    with pytest.raises(KeyError):
        store.get_conversation(999)
    with pytest.raises(KeyError):
        store.rename_conversation(999, "x")
    with pytest.raises(KeyError):
        store.update_conversation(999, model="m")
    with pytest.raises(KeyError):
        store.add_message(999, "user", "hi")
    with pytest.raises(KeyError):
        store.get_message(999)
    with pytest.raises(KeyError):
        store.update_message(999, content="x")
    store.delete_conversation(999)  # deleting what is gone is fine
    store.delete_message(999)
    assert store.messages(999) == []


def test_message_round_trip(store):
    conv = store.create_conversation()
    system = store.add_message(conv.id, "system", "You are helpful.")
    user = store.add_message(conv.id, "user", "Hi 👋")
    reply = store.add_message(
        conv.id,
        "assistant",
        "Hello!",
        reasoning="The user greets me.",
        source="local",
        model="SmolLM2-135M",
        params={"temperature": 0.2, "top_p": 0.9},
        stats={"tokens": 3, "tokens_per_second": 41.5},
    )
    assert [m.position for m in (system, user, reply)] == [0, 1, 2]
    loaded = store.messages(conv.id)
    assert loaded == [system, user, reply]
    assert store.get_message(reply.id) == reply
    assert loaded[2].params == {"temperature": 0.2, "top_p": 0.9}
    assert loaded[1].params == {} and loaded[1].stats == {}
    assert loaded[1].state == "complete" and loaded[1].error is None

    store.update_message(reply.id, stats={"tokens": 4}, state="error", error="Model crashed.")
    updated = store.get_message(reply.id)
    assert updated.content == "Hello!"  # untouched
    assert updated.reasoning == "The user greets me."
    assert updated.stats == {"tokens": 4}
    assert (updated.state, updated.error) == ("error", "Model crashed.")
    assert updated.updated_at > reply.updated_at
    assert store.get_conversation(conv.id).updated_at == updated.updated_at

    store.delete_message(user.id)
    assert [m.id for m in store.messages(conv.id)] == [system.id, reply.id]
    assert store.add_message(conv.id, "user", "again").position == 3


def test_invalid_role_and_state_are_rejected(store):
    conv = store.create_conversation()
    with pytest.raises(ValueError):
        store.add_message(conv.id, "tool", "x")
    with pytest.raises(ValueError):
        store.add_message(conv.id, "user", "x", state="done")
    msg = store.add_message(conv.id, "user", "x")
    with pytest.raises(ValueError):
        store.update_message(msg.id, state="done")
    assert store.messages(conv.id) == [msg]


def test_list_is_newest_updated_first(store):
    first = store.create_conversation("first")
    second = store.create_conversation("second")
    third = store.create_conversation("third")
    assert ids(store.list_conversations()) == [third.id, second.id, first.id]
    store.add_message(first.id, "user", "bump")
    assert ids(store.list_conversations()) == [first.id, third.id, second.id]
    msg = store.add_message(second.id, "user", "bump")
    store.rename_conversation(third.id, "third!")
    store.update_message(msg.id, content="edited")
    assert ids(store.list_conversations()) == [second.id, third.id, first.id]
    assert ids(store.list_conversations(limit=2)) == [second.id, third.id]


def test_delete_conversation_is_undoable(store):
    keep = store.create_conversation("keep")
    gone = store.create_conversation("gone")
    store.add_message(gone.id, "user", "still here")
    before = store.get_conversation(gone.id)
    assert ids(store.list_conversations()) == [gone.id, keep.id]

    store.delete_conversation(gone.id)
    deleted = store.get_conversation(gone.id)  # the undo bar still needs the title
    assert deleted.title == "gone"
    assert deleted.deleted_at is not None
    assert deleted.updated_at == before.updated_at  # not an edit
    assert ids(store.list_conversations()) == [keep.id]
    assert [s[0] for s in store.conversation_summaries()] == [keep.id]
    assert contents(store.thread(gone.id)) == ["still here"]
    stamp = deleted.deleted_at
    store.delete_conversation(gone.id)  # again: the first deletion time is kept
    assert store.get_conversation(gone.id).deleted_at == stamp

    store.restore_conversation(gone.id)
    assert store.get_conversation(gone.id) == before
    assert ids(store.list_conversations()) == [gone.id, keep.id]  # back in its old place
    store.restore_conversation(gone.id)  # restoring a live one is harmless
    with pytest.raises(KeyError):
        store.restore_conversation(999)


def test_purge_deleted_cascades(store):
    keep = store.create_conversation("keep")
    kept = store.add_message(keep.id, "user", "stay")
    gone = store.create_conversation("gone")
    doomed = [store.add_message(gone.id, "user", f"m{i}") for i in range(3)]
    store.delete_conversation(gone.id)
    assert store.purge_deleted(older_than_s=3600) == 0  # deleted just now: kept
    assert store.get_conversation(gone.id).deleted_at is not None
    assert store.purge_deleted() == 1
    with pytest.raises(KeyError):
        store.get_conversation(gone.id)
    with pytest.raises(KeyError):
        store.get_message(doomed[0].id)
    with pytest.raises(KeyError):
        store.restore_conversation(gone.id)  # too late to undo
    count = store._conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    assert count == 1
    assert store.messages(keep.id) == [kept]
    assert store.purge_deleted() == 0  # live conversations are never purged


def test_purge_deleted_respects_age(store):
    old = store.create_conversation("old")
    new = store.create_conversation("new")
    store.delete_conversation(old.id)
    store.delete_conversation(new.id)
    # Pretend "old" went to the trash two days ago.
    store._conn.execute(
        "UPDATE conversations SET deleted_at = ? WHERE id = ?", (time.time() - 2 * 86400, old.id)
    )
    assert store.purge_deleted(older_than_s=86400) == 1
    with pytest.raises(KeyError):
        store.get_conversation(old.id)
    assert store.get_conversation(new.id).deleted_at is not None


def test_conversation_summaries(store):
    convs = [store.create_conversation(f"chat {i}") for i in range(4)]
    store.add_message(convs[1].id, "user", "bump")
    store.delete_conversation(convs[2].id)
    summaries = store.conversation_summaries()
    assert [s[:2] for s in summaries] == [
        (convs[1].id, "chat 1"),
        (convs[3].id, "chat 3"),
        (convs[0].id, "chat 0"),
    ]
    assert summaries[0][2] == store.get_conversation(convs[1].id).updated_at
    assert [s[0] for s in summaries] == ids(store.list_conversations())
    # One covering index answers it: no table lookups, no sort.
    plan = " ".join(
        str(row[-1])
        for row in store._conn.execute(
            "EXPLAIN QUERY PLAN SELECT id, title, updated_at FROM conversations"
            " WHERE deleted_at IS NULL AND kind = 'chat' ORDER BY updated_at DESC, id DESC"
        )
    )
    assert "COVERING INDEX conversations_live" in plan
    assert "TEMP B-TREE" not in plan


def test_conversation_summaries_of_ten_thousand(store):
    now = time.time()
    with store._write() as conn:
        conn.executemany(
            "INSERT INTO conversations (title, created_at, updated_at, deleted_at)"
            " VALUES (?, ?, ?, ?)",
            ((f"chat {i}", now + i, now + i, now if i % 10 == 0 else None) for i in range(11_000)),
        )
    summaries = store.conversation_summaries()
    assert len(summaries) == 9_900
    assert summaries[0][1] == "chat 10999"
    assert all(a[2] > b[2] for a, b in pairwise(summaries))


def test_message_count(store):
    conv = store.create_conversation()
    assert store.message_count(conv.id) == 0
    u1 = store.add_message(conv.id, "user", "u1")
    store.add_message(conv.id, "assistant", "a1")
    store.add_message(conv.id, "assistant", "a2", parent_id=u1.id)
    assert store.message_count(conv.id) == 3  # every branch
    assert store.message_count(999) == 0


# -- search ----------------------------------------------------------------------------------


def test_search_by_title_and_text(search_store):
    store = search_store
    recipes = store.create_conversation("Bread recipes")
    store.add_message(recipes.id, "user", "How long should sourdough proof?")
    code = store.create_conversation("Debugging")
    store.add_message(code.id, "user", "Why does my C++ template fail?")
    store.add_message(code.id, "assistant", "Because of SFINAE.")
    chinese = store.create_conversation("中文对话")
    store.add_message(chinese.id, "user", "这个模型很好")

    assert ids(store.search("bread")) == [recipes.id]  # title, case-insensitive
    assert ids(store.search("SOURDOUGH")) == [recipes.id]  # message text
    assert ids(store.search("dough")) == [recipes.id]  # substring
    assert ids(store.search("sfinae")) == [code.id]
    assert ids(store.search("c++")) == [code.id]
    assert ids(store.search("这个模型")) == [chinese.id]  # CJK, 3+ characters
    assert ids(store.search("模型")) == [chinese.id]  # CJK, 2 characters
    assert ids(store.search("对话")) == [chinese.id]  # CJK in the title
    assert ids(store.search("好")) == [chinese.id]
    assert ids(store.search("template SFINAE")) == [code.id]  # every term, any message
    assert ids(store.search("debugging template")) == [code.id]  # title + message
    assert ids(store.search('"my C++ template"')) == [code.id]  # phrase
    assert store.search('"template my"') == []
    assert store.search("template sourdough") == []
    assert store.search("nothing like this") == []
    assert ids(store.search("  ")) == [chinese.id, code.id, recipes.id]  # blank: everything


def test_search_is_newest_first_and_limited(search_store):
    store = search_store
    convs = [store.create_conversation(f"topic number {i}") for i in range(5)]
    store.add_message(convs[1].id, "user", "bump")
    expected = [convs[1].id, convs[4].id, convs[3].id, convs[2].id, convs[0].id]
    assert ids(store.search("topic")) == expected
    assert ids(store.search("topic", limit=2)) == expected[:2]


@pytest.mark.parametrize(
    "hostile",
    [
        'c++ "foo',
        "AND(",
        "OR",
        "NOT x",
        "NEAR(a b)",
        '"',
        '""',
        "'",
        "*",
        "a*",
        "title:foo",
        "^start",
        "-minus",
        "(((",
        "%",
        "_",
        "\\",
        "100%_done\\",
        "{col1 col2}: x",
    ],
)
def test_search_survives_hostile_input(search_store, hostile):
    store = search_store
    plain = store.create_conversation("plain")
    store.add_message(plain.id, "user", "nothing special here")
    weird = store.create_conversation("weird")
    store.add_message(weird.id, "user", f"literal: {hostile} end")
    result = ids(store.search(hostile))
    assert weird.id in result
    if hostile.strip('"'):  # a query of only quotes has no terms and matches everything
        assert plain.id not in result


def test_search_treats_like_wildcards_literally(search_store):
    store = search_store
    conv = store.create_conversation("x")
    store.add_message(conv.id, "user", "abc")
    assert store.search("%") == []
    assert store.search("_") == []
    assert store.search("a_c") == []
    assert store.search("a%") == []


def test_search_follows_edits_and_deletes(search_store):
    store = search_store
    conv = store.create_conversation("Alpha project")
    msg = store.add_message(conv.id, "user", "the walrus sings")
    assert ids(store.search("walrus")) == [conv.id]

    store.update_message(msg.id, content="the penguin sings")
    assert store.search("walrus") == []
    assert ids(store.search("penguin")) == [conv.id]

    store.rename_conversation(conv.id, "Beta project")
    assert store.search("alpha") == []
    assert ids(store.search("beta")) == [conv.id]

    store.delete_message(msg.id)
    assert store.search("penguin") == []

    store.add_message(conv.id, "user", "a capybara")
    store.delete_conversation(conv.id)
    assert store.search("capybara") == []  # in the trash: not found
    assert store.search("beta") == []
    assert store.search("ca") == []  # short terms (LIKE) too
    assert store.search("") == []
    store.restore_conversation(conv.id)
    assert ids(store.search("capybara")) == [conv.id]
    assert ids(store.search("ca")) == [conv.id]
    store.delete_conversation(conv.id)
    assert store.purge_deleted() == 1
    assert store.search("capybara") == []
    assert store.search("beta") == []
    # Row ids get reused after deletes; stale index entries would make these match.
    newer = store.create_conversation("Gamma")
    store.add_message(newer.id, "user", "unrelated")
    assert store.search("capybara") == []
    assert store.search("beta") == []
    assert ids(store.search("unrelated")) == [newer.id]

    if store._fts:
        # The cascade from the conversation delete must have fired the messages' index trigger.
        conn = store._conn
        hits = "SELECT rowid FROM {0} WHERE {0} MATCH ?"
        assert conn.execute(hits.format("messages_fts"), ('"capybara"',)).fetchall() == []
        assert conn.execute(hits.format("conversations_fts"), ('"beta"',)).fetchall() == []
        for table in ("messages_fts", "conversations_fts"):
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 0)")


def test_streaming_text_becomes_searchable_when_finished(search_store):
    store = search_store
    conv = store.create_conversation("chat")
    rec = ReplyRecorder(store, conv.id, flush_interval=0)
    rec.add_text("the quokka smiles")
    rec.add_text(" broadly")
    rec.finish()
    assert ids(store.search("quokka")) == [conv.id]
    assert ids(store.search("smiles broadly")) == [conv.id]
    store.update_message(rec.message_id, content="edited away")
    assert store.search("quokka") == []


# -- crash recovery and streaming ------------------------------------------------------------


def test_recover_interrupted(store):
    conv = store.create_conversation()
    done = store.add_message(conv.id, "assistant", "whole", state="complete")
    cut = [
        store.add_message(conv.id, "assistant", f"half {i}", state="streaming") for i in range(2)
    ]
    failed = store.add_message(conv.id, "assistant", "", state="error", error="boom")
    assert store.recover_interrupted() == 2
    assert [store.get_message(m.id).state for m in cut] == ["interrupted", "interrupted"]
    assert store.get_message(cut[0].id).content == "half 0"
    assert store.get_message(done.id).state == "complete"
    assert store.get_message(failed.id).state == "error"
    assert store.recover_interrupted() == 0


def test_reply_recorder_flushes_on_interval(store, db_path):
    conv = store.create_conversation()
    store.add_message(conv.id, "user", "Tell me a story.")
    clock = FakeClock()
    rec = ReplyRecorder(
        store,
        conv.id,
        source="local",
        model="SmolLM2",
        params={"temperature": 0.5},
        flush_interval=1.0,
        clock=clock,
    )
    with Store(db_path) as other:  # a second connection, as after a crash and restart
        msg = other.get_message(rec.message_id)
        assert (msg.role, msg.state, msg.content, msg.position) == ("assistant", "streaming", "", 1)
        assert (msg.source, msg.model, msg.params) == ("local", "SmolLM2", {"temperature": 0.5})

        rec.add_reasoning("Hmm, ")
        rec.add_text("Once ")
        clock.now += 0.5
        rec.add_text("upon ")
        assert other.get_message(rec.message_id).content == ""  # not yet due
        assert rec.content == "Once upon "
        assert rec.reasoning == "Hmm, "

        clock.now += 0.6
        rec.add_text("a time")
        msg = other.get_message(rec.message_id)
        assert (msg.content, msg.reasoning, msg.state) == ("Once upon a time", "Hmm, ", "streaming")

        clock.now += 0.2
        rec.add_text(", there was")
        assert other.get_message(rec.message_id).content == "Once upon a time"
        rec.flush()  # forced write
        assert other.get_message(rec.message_id).content == "Once upon a time, there was"

        rec.add_text(" a llama.")
        rec.finish(stats={"tokens": 9, "seconds": 1.3})
        msg = other.get_message(rec.message_id)
        assert msg.content == "Once upon a time, there was a llama."
        assert msg.reasoning == "Hmm, "
        assert (msg.state, msg.error, msg.stats) == (
            "complete",
            None,
            {"tokens": 9, "seconds": 1.3},
        )
        assert rec.state == "complete"
        # A finished reply is not something to recover at the next start.
        assert other.recover_interrupted() == 0


def test_reply_recorder_final_states(store):
    conv = store.create_conversation()
    rec = ReplyRecorder(store, conv.id)
    rec.add_text("partial")
    with pytest.raises(ValueError):
        rec.finish(state="streaming")
    rec.finish(state="error", error="The model process exited.")
    msg = store.get_message(rec.message_id)
    assert (msg.content, msg.state, msg.error, msg.stats) == (
        "partial",
        "error",
        "The model process exited.",
        {},
    )
    with pytest.raises(RuntimeError):
        rec.finish()
    with pytest.raises(RuntimeError):
        rec.add_text("more")

    cancelled = ReplyRecorder(store, conv.id)
    cancelled.finish(state="cancelled")
    assert store.get_message(cancelled.message_id).state == "cancelled"


def test_reply_recorder_retries_after_a_failed_write(store, monkeypatch):
    conv = store.create_conversation()
    clock = FakeClock()
    rec = ReplyRecorder(store, conv.id, clock=clock)
    update = store.update_message

    def disk_full(*args, **kwargs):
        raise StoreError("The disk is full.")

    monkeypatch.setattr(store, "update_message", disk_full)
    clock.now += 1.0
    with pytest.raises(StoreError):
        rec.add_text("kept in memory")
    monkeypatch.setattr(store, "update_message", update)
    rec.flush()  # still unsaved, so written now
    assert store.get_message(rec.message_id).content == "kept in memory"
    rec.finish()
    assert store.get_message(rec.message_id).state == "complete"


def test_failed_transaction_is_rolled_back(store):
    conv = store.create_conversation("kept")
    with pytest.raises(RuntimeError), store._write() as conn:
        conn.execute("UPDATE conversations SET title = 'lost'")
        raise RuntimeError
    assert store.get_conversation(conv.id).title == "kept"
    store.rename_conversation(conv.id, "still writable")
    assert store.get_conversation(conv.id).title == "still writable"


def test_reply_recorder_survives_deleted_conversation(store):
    conv = store.create_conversation()
    rec = ReplyRecorder(store, conv.id, flush_interval=0)
    rec.add_text("one")
    store.delete_conversation(conv.id)
    rec.add_text(" two")  # in the trash: still saved, so undo brings back the whole reply
    assert not rec.discarded
    assert store.get_message(rec.message_id).content == "one two"
    store.purge_deleted()
    rec.add_text(" three")  # nowhere to write; must not raise
    rec.finish()
    assert rec.discarded
    assert rec.content == "one two three"


def test_reply_recorder_appends_many_small_deltas(store, monkeypatch):
    conv = store.create_conversation()
    clock = FakeClock()
    rec = ReplyRecorder(store, conv.id, clock=clock)
    writes = []
    update = store.update_message
    monkeypatch.setattr(
        store, "update_message", lambda *a, **k: (writes.append(1), update(*a, **k))
    )
    for i in range(20_000):
        rec.add_text("tok ")
        if i % 5_000 == 4_999:
            clock.now += 1.0
    # One write per simulated second (on the first delta after it), not one per token.
    assert len(writes) == 3
    assert store.get_message(rec.message_id).content == "tok " * 15_001
    rec.finish()
    assert store.get_message(rec.message_id).content == "tok " * 20_000


def test_concurrent_writers_all_land(store):
    conv = store.create_conversation()
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(50):
                store.add_message(conv.id, "user", f"thread {n} message {i}")
                store.list_conversations()  # interleave reads, as the GUI does
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    messages = store.messages(conv.id)
    assert len(messages) == 200
    assert [m.position for m in messages] == list(range(200))
    assert store.thread(conv.id) == messages  # one chain, however the appends interleaved
    assert {m.content for m in messages} == {
        f"thread {n} message {i}" for n in range(4) for i in range(50)
    }


# -- conversation tree (branches) ------------------------------------------------------------


def test_linear_messages_form_a_chain(store):
    conv = store.create_conversation()
    assert store.thread(conv.id) == []
    u1 = store.add_message(conv.id, "user", "u1")
    a1 = store.add_message(conv.id, "assistant", "a1")
    assert (u1.parent_id, a1.parent_id) == (None, u1.id)
    assert store.get_message(a1.id).parent_id == u1.id
    assert store.thread(conv.id) == [u1, a1] == store.messages(conv.id)
    assert store.siblings(a1.id) == [a1]
    assert store.thread_versions(conv.id) == {}
    assert store.thread(999) == []


def test_regenerate_makes_a_sibling_version(store):
    conv = store.create_conversation()
    u1 = store.add_message(conv.id, "user", "u1")
    a1 = store.add_message(conv.id, "assistant", "a1")
    updated = store.get_conversation(conv.id).updated_at
    rec = ReplyRecorder(store, conv.id, parent_id=u1.id, flush_interval=0)
    rec.add_text("a2")
    rec.finish()
    a2 = store.get_message(rec.message_id)
    assert a2.parent_id == u1.id
    assert contents(store.thread(conv.id)) == ["u1", "a2"]
    assert store.siblings(a2.id) == store.siblings(a1.id) == [a1, a2]
    assert store.siblings(u1.id) == [u1]  # the other root-level role is not a version
    assert store.thread_versions(conv.id) == {a2.id: (2, 2)}
    assert contents(store.messages(conv.id)) == ["u1", "a1", "a2"]  # all, by position

    store.switch_to(a1.id)
    assert contents(store.thread(conv.id)) == ["u1", "a1"]
    assert store.thread_versions(conv.id) == {a1.id: (1, 2)}
    assert store.get_conversation(conv.id).updated_at > updated  # by the regenerate
    stamp = store.get_conversation(conv.id).updated_at
    store.switch_to(a2.id)
    assert contents(store.thread(conv.id)) == ["u1", "a2"]
    assert store.get_conversation(conv.id).updated_at == stamp  # switching is not an edit

    # A follow-up continues the version on screen.
    u2 = store.add_message(conv.id, "user", "u2")
    assert u2.parent_id == a2.id
    store.switch_to(u1.id)  # newest leaf below u1 is u2
    assert contents(store.thread(conv.id)) == ["u1", "a2", "u2"]
    store.switch_to(a1.id)
    assert contents(store.thread(conv.id)) == ["u1", "a1"]


def test_edit_and_resend_makes_a_sibling_branch(store):
    conv = store.create_conversation()
    u1 = store.add_message(conv.id, "user", "u1")
    a1 = store.add_message(conv.id, "assistant", "a1")
    u2 = store.add_message(conv.id, "user", "u2")
    a2 = store.add_message(conv.id, "assistant", "a2")

    u2b = store.add_message(conv.id, "user", "u2'", parent_id=a1.id)
    assert contents(store.thread(conv.id)) == ["u1", "a1", "u2'"]
    rec = ReplyRecorder(store, conv.id, flush_interval=0)  # answers the edit: the leaf
    rec.add_text("a3")
    rec.finish()
    a3 = store.get_message(rec.message_id)
    assert a3.parent_id == u2b.id
    assert contents(store.thread(conv.id)) == ["u1", "a1", "u2'", "a3"]
    assert store.siblings(u2b.id) == store.siblings(u2.id) == [u2, u2b]
    assert store.siblings(a3.id) == [a3]
    assert store.thread_versions(conv.id) == {u2b.id: (2, 2)}

    store.switch_to(u2.id)
    assert store.thread(conv.id) == [u1, a1, u2, a2]
    assert store.thread_versions(conv.id) == {u2.id: (1, 2)}
    store.switch_to(a1.id)  # the newest leaf below a1: the edited branch
    assert contents(store.thread(conv.id)) == ["u1", "a1", "u2'", "a3"]
    assert len(store.messages(conv.id)) == 6


def test_editing_the_first_message_makes_a_new_root(store):
    conv = store.create_conversation()
    u1 = store.add_message(conv.id, "user", "u1")
    store.add_message(conv.id, "assistant", "a1")
    u1b = store.add_message(conv.id, "user", "u1'", parent_id=None)
    assert u1b.parent_id is None
    assert store.thread(conv.id) == [u1b]
    assert store.siblings(u1.id) == [u1, u1b]
    other = store.create_conversation()
    store.add_message(other.id, "user", "elsewhere")  # another chat's root is not a version
    assert store.siblings(u1b.id) == [u1, u1b]
    store.switch_to(u1.id)
    assert contents(store.thread(conv.id)) == ["u1", "a1"]


def test_add_message_checks_the_parent(store):
    conv = store.create_conversation()
    other = store.create_conversation()
    theirs = store.add_message(other.id, "user", "theirs")
    with pytest.raises(ValueError):
        store.add_message(conv.id, "user", "x", parent_id=theirs.id)
    with pytest.raises(KeyError):
        store.add_message(conv.id, "user", "x", parent_id=999)
    with pytest.raises(KeyError):
        ReplyRecorder(store, conv.id, parent_id=999)
    assert store.messages(conv.id) == []
    assert store.thread(other.id) == [theirs]  # its leaf untouched
    with pytest.raises(KeyError):
        store.siblings(999)
    with pytest.raises(KeyError):
        store.switch_to(999)


def test_switch_to_picks_the_newest_leaf(store):
    conv = store.create_conversation()
    u1 = store.add_message(conv.id, "user", "u1")
    a1 = store.add_message(conv.id, "assistant", "a1")
    store.add_message(conv.id, "user", "deep")
    store.add_message(conv.id, "assistant", "deeper")
    newest = store.add_message(conv.id, "user", "shallow but newest", parent_id=a1.id)
    store.switch_to(u1.id)
    assert store.thread(conv.id)[-1] == newest
    store.switch_to(newest.id)  # a leaf: itself
    assert store.thread(conv.id)[-1] == newest


def test_delete_message_keeps_the_thread_minus_it(store):
    conv = store.create_conversation()
    u1 = store.add_message(conv.id, "user", "u1")
    a1 = store.add_message(conv.id, "assistant", "a1")
    u2 = store.add_message(conv.id, "user", "u2")
    a2 = store.add_message(conv.id, "assistant", "a2")

    # In the middle of the thread: children move up to its parent; the leaf stays.
    store.delete_message(a1.id)
    assert contents(store.thread(conv.id)) == ["u1", "u2", "a2"]
    assert store.get_message(u2.id).parent_id == u1.id

    # The current leaf: its parent becomes the leaf, even with another version of it around.
    a2b = store.add_message(conv.id, "assistant", "a2'", parent_id=u2.id)
    store.delete_message(a2b.id)
    assert contents(store.thread(conv.id)) == ["u1", "u2"]
    assert store.siblings(a2.id) == [store.get_message(a2.id)]
    store.switch_to(u2.id)
    assert contents(store.thread(conv.id)) == ["u1", "u2", "a2"]

    # Not on the thread: the thread does not change.
    side = store.add_message(conv.id, "assistant", "side", parent_id=u1.id)
    store.switch_to(a2.id)
    store.delete_message(side.id)
    assert contents(store.thread(conv.id)) == ["u1", "u2", "a2"]

    # A leaf with children (possible after deleting below it): still its parent.
    store.delete_message(a2.id)
    assert contents(store.thread(conv.id)) == ["u1", "u2"]
    a3 = store.add_message(conv.id, "assistant", "a3", parent_id=u2.id)
    a3b = store.add_message(conv.id, "assistant", "a3'", parent_id=u2.id)
    store.delete_message(a3b.id)  # leaf is u2 now, which still has a3 below
    store.delete_message(u2.id)
    assert contents(store.thread(conv.id)) == ["u1"]
    assert store.get_message(a3.id).parent_id == u1.id  # still reachable
    store.switch_to(u1.id)
    assert contents(store.thread(conv.id)) == ["u1", "a3"]

    # The first message, as the leaf: the thread is empty; what followed it becomes a root.
    store.switch_to(u1.id)
    store.delete_message(a3.id)
    store.delete_message(u1.id)
    assert store.thread(conv.id) == []
    assert store.messages(conv.id) == []
    fresh = store.add_message(conv.id, "user", "fresh start")
    assert fresh.parent_id is None
    assert store.thread(conv.id) == [fresh]


def test_delete_first_message_with_replies_keeps_them(store):
    conv = store.create_conversation()
    u1 = store.add_message(conv.id, "user", "u1")
    a1 = store.add_message(conv.id, "assistant", "a1")
    store.delete_message(u1.id)
    assert store.get_message(a1.id).parent_id is None
    assert contents(store.thread(conv.id)) == ["a1"]


def test_stale_leaf_reads_as_an_empty_thread(store):
    conv = store.create_conversation()
    other = store.create_conversation()
    theirs = store.add_message(other.id, "user", "theirs")
    # Pointing at another chat's message (never done by the store) must not leak it.
    store._conn.execute(
        "UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (theirs.id, conv.id)
    )
    assert store.thread(conv.id) == []
    assert store.add_message(conv.id, "user", "mine").parent_id is None


def test_add_messages_bulk(store):
    conv = store.create_conversation()
    first = store.add_message(conv.id, "system", "Be brief.")
    before = store.get_conversation(conv.id).updated_at
    store.add_messages_bulk(conv.id, [("user", "q"), ("assistant", "a")] * 3)
    thread = store.thread(conv.id)
    assert contents(thread) == ["Be brief.", "q", "a", "q", "a", "q", "a"]
    assert thread[1].parent_id == first.id
    assert [m.position for m in thread] == list(range(7))
    assert all(m.state == "complete" for m in thread)
    assert store.get_conversation(conv.id).updated_at > before
    assert store.add_message(conv.id, "user", "next").parent_id == thread[-1].id

    store.add_messages_bulk(conv.id, [])
    assert store.message_count(conv.id) == 8
    with pytest.raises(ValueError):
        store.add_messages_bulk(conv.id, [("user", "ok"), ("tool", "bad")])
    with pytest.raises(KeyError):
        store.add_messages_bulk(999, [("user", "x")])
    assert store.message_count(conv.id) == 8  # nothing half-written


def test_bulk_messages_are_searchable(search_store):
    conv = search_store.create_conversation("bulk")
    search_store.add_messages_bulk(conv.id, [("user", "the axolotl regrows")])
    assert ids(search_store.search("axolotl")) == [conv.id]


def test_long_thread_is_read_correctly(store):
    # 2,000 messages, ~1 MB of text: the size a long chat reaches.
    conv = store.create_conversation()
    rows = [
        ("user" if i % 2 == 0 else "assistant", f"message {i} " + "x" * 500) for i in range(2_000)
    ]
    store.add_messages_bulk(conv.id, rows)
    # A regenerated last reply, so the thread is not simply every message.
    thread = store.thread(conv.id)
    rec = ReplyRecorder(store, conv.id, parent_id=thread[-2].id)
    rec.finish()
    thread = store.thread(conv.id)
    assert len(thread) == 2_000
    assert [m.content for m in thread[:-1]] == [content for _, content in rows[:-1]]
    assert thread[-1].id == rec.message_id
    assert all(b.parent_id == a.id for a, b in pairwise(thread))
    assert store.message_count(conv.id) == 2_001
    assert store.thread_versions(conv.id) == {rec.message_id: (2, 2)}
    store.switch_to(thread[0].id)  # walks the whole subtree
    assert store.thread(conv.id)[-1].id == rec.message_id


def test_tree_queries_use_indexes(store):
    # Many chats, so that a full scan of messages would show in the plan rather than be chosen
    # as the cheapest way to read a tiny table.
    for i in range(50):
        conv = store.create_conversation(f"chat {i}")
        store.add_messages_bulk(conv.id, [("user", "q"), ("assistant", "a")] * 3)
    u1, a1 = store.thread(conv.id)[:2]
    store.add_message(conv.id, "assistant", "a1'", parent_id=u1.id)
    store._conn.execute("ANALYZE")

    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        store.thread(conv.id)
        store.thread_versions(conv.id)
        store.siblings(a1.id)
        store.siblings(u1.id)  # a root: parent_id IS NULL
        store.switch_to(u1.id)
        store.message_count(conv.id)
        store.delete_message(a1.id)
    finally:
        store._conn.set_trace_callback(None)
    queries = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(queries) >= 7
    for sql in queries:
        plan = store._conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        scans = [
            row[-1]
            for row in plan
            if row[-1].startswith("SCAN")
            and "thread_ids" not in row[-1]
            and "subtree" not in row[-1]
            and "CONSTANT ROW" not in row[-1]
        ]
        assert scans == [], (sql, plan)
