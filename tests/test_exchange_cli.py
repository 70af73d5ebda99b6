"""``workbench export`` and ``workbench import`` run as processes."""

from __future__ import annotations

import json

from test_cli import assert_one_error_line, run_cli
from test_exchange import bad_files, build_tree, write_chatgpt

from workbench.core.store import Store


def test_export_then_import_elsewhere(tmp_path, workbench_home, monkeypatch):
    with Store() as store:
        chat_id = build_tree(store)
    out = tmp_path / "out"
    result = run_cli("export", "--all", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = out / "排序：代码_问题_.json"
    assert result.stdout.splitlines() == [str(written), f"Exported 1 chat to {out}."]
    assert json.loads(written.read_text("utf-8"))["conversations"][0]["id"] == chat_id

    md = run_cli("export", str(chat_id), "--out", str(out))
    assert md.returncode == 0, md.stderr
    assert "<details>" in (out / "排序：代码_问题_.md").read_text("utf-8")

    listed = run_cli("export", "--list")
    assert listed.returncode == 0 and "排序：代码/问题?" in listed.stdout

    # Another data folder: the chat comes in once, then is skipped.
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "elsewhere"))
    first = run_cli("import", str(written))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == f"Imported 1 chat from {written.name}."
    assert "排序：代码/问题?" in first.stdout
    second = run_cli("import", str(written))
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines() == [
        f"Imported 0 chats from {written.name}.",
        f"Skipped 1 chat from {written.name} that was imported before.",
        "  -  排序：代码/问题?",
    ]


def test_import_chatgpt_and_a_bad_file(tmp_path):
    good = write_chatgpt(tmp_path, as_zip=True)
    broken = bad_files(tmp_path)["broken.json"]
    result = run_cli("import", str(broken), str(good))
    # The bad file is one error line; the good one is still imported.
    assert_one_error_line(result, 1, "broken.json is not valid JSON")
    assert result.stdout.splitlines()[0] == f"Imported 2 chats from {good.name}."
    with Store() as store:
        assert sorted(c.title for c in store.list_conversations()) == ["Haiku", "Python 排序"]


def test_foreign_file_adds_nothing(tmp_path):
    result = run_cli("import", str(bad_files(tmp_path)["no-conversations.zip"]))
    assert_one_error_line(result, 1, "without a conversations.json")
    with Store() as store:
        assert store.list_conversations() == []


def test_export_usage_errors(tmp_path):
    assert_one_error_line(run_cli("export", "--out", str(tmp_path)), 2, "--all")
    assert_one_error_line(run_cli("export", "--all"), 2, "--out")
    assert_one_error_line(run_cli("export", "42", "--out", str(tmp_path)), 1, "no chat with id 42")
