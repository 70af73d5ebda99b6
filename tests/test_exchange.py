"""Conversations in and out: the JSON round trip, Markdown, ChatGPT exports, duplicates, bad files
and the compare export, against the real Store."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from workbench.core.compare.export_json import compare_document, write_compare_json
from workbench.core.compare.sessions import CompareStore
from workbench.core.compare.targets import TargetSpec
from workbench.core.exchange import ExchangeError, export_conversations, import_file
from workbench.core.exchange.export_json import dumps
from workbench.core.exchange.filenames import UniqueNames, safe_stem
from workbench.core.store import Store
from workbench.core.store.imports import ConversationDraft, MessageDraft, add_conversations

CODE = '下面是代码：\n\n```python\ndef 你好():\n    return "世界"  # 注释\n```\n\n结束。'


def build_tree(store: Store) -> int:
    """A chat with Chinese text, a code block, reasoning, figures and two versions of a reply;
    the first version is the one shown."""
    chat = store.create_conversation(
        "排序：代码/问题?", system_prompt="你是助手。", model="qwen", settings={"temperature": 0.7}
    )
    question = store.add_message(chat.id, "user", "写一个函数 `你好`")
    first = store.add_message(
        chat.id,
        "assistant",
        CODE,
        reasoning="先想一想……\n再写代码。",
        source="local",
        model="Qwen3-0.6B-Q4_K_M.gguf",
        params={"temperature": 0.7, "seed": 42},
        stats={"prompt_tokens": 12, "completion_tokens": 40, "tokens_per_s": 25.5, "total_s": 1.6},
    )
    store.add_message(
        chat.id,
        "assistant",
        "第二个版本。",
        source="openai",
        model="gpt-4o-mini",
        parent_id=question.id,
        stats={"completion_tokens": 3},
    )
    store.add_message(chat.id, "user", "谢谢", parent_id=first.id)
    store.switch_to(first.id)
    return chat.id


def normalised(text: str) -> str:
    """A JSON export with ids replaced by their order and the import mark left out."""
    doc = json.loads(text)
    for conversation in doc["conversations"]:
        order = {m["id"]: i for i, m in enumerate(conversation["messages"])}
        conversation["id"] = 0
        conversation["imported"] = None
        conversation["current_leaf"] = order.get(conversation["current_leaf"])
        for message in conversation["messages"]:
            message["id"] = order[message["id"]]
            message["parent"] = order.get(message["parent"])
    return dumps(doc)


@pytest.fixture
def store():
    with Store() as store:
        yield store


@pytest.fixture
def other(tmp_path):
    with Store(tmp_path / "other.db") as store:
        yield store


# -- export and the round trip -----------------------------------------------------------------


def test_json_round_trip_is_exact(store, other, tmp_path):
    chat_id = build_tree(store)
    [first] = export_conversations(store, [chat_id], tmp_path / "one", "json")
    assert first.name == "排序：代码_问题_.json"
    result = import_file(other, first)
    assert result.kind == "workbench" and len(result.added) == 1 and result.skipped == []
    [again] = export_conversations(other, result.added, tmp_path / "two", "json")
    assert normalised(again.read_text("utf-8")) == normalised(first.read_text("utf-8"))
    # Byte for byte apart from ids: no ids differ in this fresh database, only the mark.
    doc = json.loads(again.read_text("utf-8"))
    assert doc["format"] == "workbench-conversations" and doc["version"] == 1
    assert doc["conversations"][0]["imported"]["source"] == "workbench"
    # The tree came back: two versions of the reply, the first one shown.
    imported_id = result.added[0]
    thread = other.thread(imported_id)
    assert [m.content for m in thread] == ["写一个函数 `你好`", CODE, "谢谢"]
    assert thread[1].reasoning == "先想一想……\n再写代码。"
    assert other.thread_versions(imported_id)[thread[1].id] == (1, 2)
    assert other.get_conversation(imported_id).system_prompt == "你是助手。"


def test_markdown_has_header_thread_reasoning_and_code(store, tmp_path):
    chat_id = build_tree(store)
    [path] = export_conversations(store, [chat_id], tmp_path, "md")
    text = path.read_text("utf-8")
    assert text.startswith("# 排序：代码/问题?\n")
    assert "Models: Qwen3-0.6B-Q4_K_M.gguf" in text
    assert "Messages: 3; tokens written: 40; tokens read: 12" in text
    assert "<details>\n<summary>Reasoning</summary>\n\n先想一想……\n再写代码。\n\n</details>" in text
    assert CODE in text  # the code block intact
    assert "第二个版本" not in text  # only the thread shown
    assert "*40 tokens at 25.5 tokens/s in 1.6 s*" in text
    assert "> 你是助手。" in text


def test_markdown_in_chinese(store, tmp_path, zh):
    chat_id = build_tree(store)
    [path] = export_conversations(store, [chat_id], tmp_path, "md")
    text = path.read_text("utf-8")
    assert "<summary>推理过程</summary>" in text
    assert "Reasoning" not in text


def test_file_names_are_safe_and_distinct():
    assert safe_stem('a<b>c:"d"/e\\f|g?h*') == "a_b_c__d__e_f_g_h_"
    assert safe_stem("CON") == "CON_"
    assert safe_stem("  . ") == "chat"
    assert safe_stem("中文标题") == "中文标题"
    long = safe_stem("长" * 200)
    assert len(long.encode("utf-8")) <= 180 and set(long) == {"长"}
    names = UniqueNames()
    assert [names.take("Notes", ".md"), names.take("notes", ".md")] == ["Notes.md", "notes (2).md"]


def test_export_all_one_file_each(store, tmp_path):
    ids = [build_tree(store), build_tree(store)]
    paths = export_conversations(store, ids, tmp_path, "md")
    assert [p.name for p in paths] == ["排序：代码_问题_.md", "排序：代码_问题_ (2).md"]


def test_export_to_a_folder_that_cannot_exist(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExchangeError, match=r"could not save"):
        export_conversations(store, [build_tree(store)], blocker / "sub", "md")


# -- ChatGPT -------------------------------------------------------------------------------------


def node(node_id, parent, children, role=None, text=None, **extra) -> dict:
    """One node of a ChatGPT mapping, shaped as the data export writes it."""
    message = None
    if role is not None:
        content = extra.pop("content", {"content_type": "text", "parts": [text]})
        message = {
            "id": node_id,
            "author": {"role": role, "name": None, "metadata": {}},
            "create_time": extra.pop("create_time", None),
            "update_time": None,
            "content": content,
            "status": "finished_successfully",
            "end_turn": True if role == "assistant" else None,
            "weight": 1.0,
            "metadata": extra.pop("metadata", {}),
            "recipient": extra.pop("recipient", "all"),
        }
    return {"id": node_id, "message": message, "parent": parent, "children": children}


def chatgpt_export() -> list[dict]:
    """Two conversations: one where the first prompt was edited (a branch), with a hidden
    system node, a code block, hidden reasoning and a tool call; one with a regenerated answer
    and an image beside text."""
    gpt4o = {"model_slug": "gpt-4o"}
    first = {
        "title": "Python 排序",
        "create_time": 1700000000.5,
        "update_time": 1700000500.25,
        "mapping": {
            "root": node("root", None, ["sys"]),
            "sys": node(
                "sys",
                "root",
                ["u1", "u1b"],
                "system",
                "",
                metadata={"is_visually_hidden_from_conversation": True},
            ),
            "u1": node(
                "u1", "sys", ["a1"], "user", "How do I sort a list?", create_time=1700000010
            ),
            "a1": node(
                "a1",
                "u1",
                [],
                "assistant",
                "Use `sorted()`:\n\n```python\nprint(sorted([3, 1, 2]))\n```",
                create_time=1700000020,
                metadata=gpt4o,
            ),
            "u1b": node(
                "u1b", "sys", ["th"], "user", "How do I sort it in reverse?", create_time=1700000100
            ),
            "th": node(
                "th",
                "u1b",
                ["a2"],
                "assistant",
                content={
                    "content_type": "thoughts",
                    "thoughts": [{"summary": "Reverse", "content": "Use reverse=True."}],
                },
                create_time=1700000101,
            ),
            "a2": node(
                "a2",
                "th",
                ["u2"],
                "assistant",
                "Pass `reverse=True`.",
                create_time=1700000110,
                metadata=gpt4o,
            ),
            "u2": node(
                "u2", "a2", ["call"], "user", "谢谢！能运行一下吗？", create_time=1700000200
            ),
            "call": node(
                "call",
                "u2",
                ["tool"],
                "assistant",
                content={"content_type": "code", "language": "python", "text": "print(1)"},
                recipient="python",
                create_time=1700000210,
            ),
            "tool": node(
                "tool",
                "call",
                ["a3"],
                "tool",
                content={"content_type": "execution_output", "text": "1"},
                create_time=1700000220,
            ),
            "a3": node("a3", "tool", [], "assistant", "运行结果是 1。", create_time=1700000230),
        },
        "moderation_results": [],
        "current_node": "a3",
        "plugin_ids": None,
        "conversation_id": "6553a1f0-0000-4000-8000-000000000001",
        "conversation_template_id": None,
        "gizmo_id": None,
        "is_archived": False,
        "safe_urls": [],
        "default_model_slug": "gpt-4o",
        "id": "6553a1f0-0000-4000-8000-000000000001",
    }
    image = {"content_type": "image_asset_pointer", "asset_pointer": "file-service://file-1"}
    second = {
        "title": "Haiku",
        "create_time": 1700100000.0,
        "update_time": 1700100100.0,
        "mapping": {
            "client-created-root": node("client-created-root", None, ["q"]),
            "q": node(
                "q",
                "client-created-root",
                ["v1", "v2"],
                "user",
                "A haiku, please.",
                create_time=1700100001,
            ),
            "v1": node(
                "v1",
                "q",
                [],
                "assistant",
                "Old pond, frog jumps in.",
                create_time=1700100002,
                metadata=gpt4o,
            ),
            "v2": node(
                "v2",
                "q",
                ["pic"],
                "assistant",
                "Autumn moon rises.",
                create_time=1700100003,
                metadata=gpt4o,
            ),
            "pic": node(
                "pic",
                "v2",
                ["a"],
                "user",
                content={"content_type": "multimodal_text", "parts": [image, "What is this?"]},
                create_time=1700100004,
            ),
            "a": node(
                "a", "pic", [], "assistant", "A cat.", create_time=1700100005, metadata=gpt4o
            ),
        },
        "current_node": "a",
        "conversation_id": "6553a1f0-0000-4000-8000-000000000002",
        "id": "6553a1f0-0000-4000-8000-000000000002",
    }
    return [first, second]


def write_chatgpt(folder: Path, *, as_zip: bool = False) -> Path:
    text = json.dumps(chatgpt_export(), ensure_ascii=False)
    if not as_zip:
        path = folder / "conversations.json"
        path.write_text(text, "utf-8")
        return path
    path = folder / "chatgpt-export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("conversations.json", text)
        archive.writestr("chat.html", "<html></html>")
        archive.writestr("user.json", "{}")
    return path


@pytest.mark.parametrize("as_zip", [False, True])
def test_chatgpt_export_imports_with_its_branches(store, tmp_path, as_zip):
    result = import_file(store, write_chatgpt(tmp_path, as_zip=as_zip))
    assert result.kind == "chatgpt" and len(result.added) == 2
    first_id, second_id = result.added
    first = store.get_conversation(first_id)
    assert first.title == "Python 排序"
    assert first.created_at == 1700000000.5 and first.updated_at == 1700000500.25
    assert first.settings["imported"]["source"] == "chatgpt"
    messages = store.messages(first_id)
    # The hidden system node, the reasoning node, the tool call and its output are left out.
    assert [m.content for m in messages] == [
        "How do I sort a list?",
        "Use `sorted()`:\n\n```python\nprint(sorted([3, 1, 2]))\n```",
        "How do I sort it in reverse?",
        "Pass `reverse=True`.",
        "谢谢！能运行一下吗？",
        "运行结果是 1。",
    ]
    thread = store.thread(first_id)
    assert [m.content for m in thread] == [
        "How do I sort it in reverse?",
        "Pass `reverse=True`.",
        "谢谢！能运行一下吗？",
        "运行结果是 1。",
    ]
    # The edited first prompt is a second version of the first one.
    assert store.thread_versions(first_id)[thread[0].id] == (2, 2)
    assert store.siblings(thread[0].id)[0].content == "How do I sort a list?"
    assert thread[1].reasoning == "Reverse\n\nUse reverse=True."
    assert thread[1].model == "gpt-4o" and thread[1].source == "chatgpt"
    assert thread[3].parent_id == thread[2].id  # the tool call's answer follows the question
    assert thread[3].model == "gpt-4o"  # the conversation's model where the answer names none

    second = store.thread(second_id)
    assert [m.content for m in second] == [
        "A haiku, please.",
        "Autumn moon rises.",
        "What is this?",
        "A cat.",
    ]
    assert store.thread_versions(second_id)[second[1].id] == (2, 2)


def test_importing_twice_skips_duplicates(store, tmp_path):
    path = write_chatgpt(tmp_path)
    assert len(import_file(store, path).added) == 2
    again = import_file(store, write_chatgpt(tmp_path, as_zip=True))
    assert again.added == [] and again.skipped == ["Python 排序", "Haiku"]
    assert len(store.list_conversations()) == 2


def test_a_workbench_export_brought_back_is_a_duplicate(store, tmp_path):
    chat_id = build_tree(store)
    [path] = export_conversations(store, [chat_id], tmp_path, "json")
    result = import_file(store, path)
    assert result.added == [] and result.skipped == ["排序：代码/问题?"]


# -- bad files ------------------------------------------------------------------------------------


def bad_files(folder: Path) -> dict[str, Path]:
    files = {
        "broken.json": '{"format": "workbench-conversations", "version": 1, "conv',
        "foreign.json": json.dumps({"name": "my-package", "dependencies": {}}),
        "newer.json": json.dumps(
            {"format": "workbench-conversations", "version": 99, "conversations": []}
        ),
        "damaged.json": json.dumps(
            {
                "format": "workbench-conversations",
                "version": 1,
                "conversations": [
                    {"title": "ok", "created_at": 1, "updated_at": 2, "messages": []},
                    {
                        "title": "bad",
                        "created_at": 1,
                        "updated_at": 2,
                        "messages": [
                            {
                                "id": 1,
                                "parent": 7,
                                "role": "user",
                                "content": "x",
                                "created_at": 1,
                                "updated_at": 1,
                            }
                        ],
                    },
                ],
            }
        ),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = folder / name
        paths[name].write_text(text, "utf-8")
    paths["no-conversations.zip"] = folder / "no-conversations.zip"
    with zipfile.ZipFile(paths["no-conversations.zip"], "w") as archive:
        archive.writestr("chat.html", "<html></html>")
    return paths


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("broken.json", "broken.json is not valid JSON (line 1, column"),
        ("foreign.json", "foreign.json is neither a Workbench export nor a ChatGPT export"),
        ("newer.json", "newer.json was exported by a newer Workbench (format version 99)"),
        ("damaged.json", "Conversation 2 in damaged.json is incomplete or damaged"),
        ("no-conversations.zip", "no-conversations.zip is a zip file without a conversations.json"),
    ],
)
def test_a_bad_file_is_one_sentence_and_adds_nothing(store, tmp_path, name, needle):
    path = bad_files(tmp_path)[name]
    with pytest.raises(ExchangeError) as info:
        import_file(store, path)
    assert needle in str(info.value)
    assert "\n" not in str(info.value)
    assert store.list_conversations() == []


def test_a_bad_file_in_chinese(store, tmp_path, zh):
    with pytest.raises(ExchangeError) as info:
        import_file(store, bad_files(tmp_path)["foreign.json"])
    assert "foreign.json" in str(info.value) and "Workbench" in str(info.value)
    assert "neither" not in str(info.value)


def test_a_missing_file(store, tmp_path):
    with pytest.raises(ExchangeError, match=r"gone\.json could not be read"):
        import_file(store, tmp_path / "gone.json")


def test_one_transaction_for_the_whole_file(store):
    good = ConversationDraft(
        "good", 1.0, 2.0, "test", "k1", [MessageDraft("a", None, "user", "hi")]
    )
    bad = ConversationDraft(
        "bad", 1.0, 2.0, "test", "k2", [MessageDraft("b", "missing", "user", "hi")]
    )
    with pytest.raises(ValueError):
        add_conversations(store, [good, bad])
    assert store.list_conversations() == []
    assert store.message_count(1) == 0


# -- compare ---------------------------------------------------------------------------------------


def test_compare_sessions_and_votes_as_json(store, tmp_path):
    compare = CompareStore(store)
    specs = [TargetSpec("local", "/models/a.gguf"), TargetSpec("openai", "gpt-4o-mini")]
    session = compare.create_session("比较", specs, blind=True, tags=["代码"])
    targets = compare.targets(session.id)
    round_ = compare.add_round(session.id, "写一首诗", blind=True)
    for target, text in zip(targets, ("诗一", "诗二"), strict=True):
        message = store.add_message(
            target.conversation_id, "assistant", text, model=target.identity
        )
        compare.set_answer(round_.id, target.id, message.id)
    compare.record_vote(round_.id, "best", targets[1].id)
    path = tmp_path / "comparisons.json"
    write_compare_json(compare, path)
    doc = json.loads(path.read_text("utf-8"))
    assert doc["format"] == "workbench-compare" and doc["version"] == 1
    [exported] = doc["sessions"]
    assert (
        exported["title"] == "比较" and exported["blind"] is True and exported["tags"] == ["代码"]
    )
    assert [t["identity"] for t in exported["targets"]] == [t.identity for t in targets]
    [exported_round] = exported["rounds"]
    assert exported_round["prompt"] == "写一首诗"
    assert [a["content"] for a in exported_round["answers"]] == ["诗一", "诗二"]
    [vote] = doc["votes"]
    assert vote["outcome"] == "best" and vote["winner"] == targets[1].identity
    assert vote["round"] == round_.id
    assert compare_document(compare)["votes"] == doc["votes"]
