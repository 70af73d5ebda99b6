"""Tests for workbench.core.atomic: whole files or none, with the right permissions."""

from __future__ import annotations

import json
import os
import stat
import sys

import pytest

from workbench.core.atomic import write_atomic, write_json

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def folder(tmp_path):
    """An empty folder of its own (tmp_path also holds the suite's WORKBENCH_HOME)."""
    path = tmp_path / "files"
    path.mkdir()
    return path


def test_write_json_replaces_the_file_and_leaves_no_temporary(folder):
    path = folder / "settings.json"
    path.write_text('{"old": true}')
    write_json(path, {"name": "模型", "n": 1})
    assert json.loads(path.read_text(encoding="utf-8")) == {"name": "模型", "n": 1}
    assert "模型" in path.read_text(encoding="utf-8")  # readable by people, not \\u escapes
    assert os.listdir(folder) == ["settings.json"]


def test_a_value_json_cannot_hold_leaves_the_old_file(folder):
    path = folder / "state.json"
    path.write_text('{"old": true}')
    with pytest.raises(TypeError):
        write_json(path, {"bad": object()})
    assert path.read_text() == '{"old": true}'
    assert os.listdir(folder) == ["state.json"]


def test_a_failing_writer_leaves_the_old_file(folder):
    path = folder / "export.csv"
    path.write_text("old")

    def fill(f):
        f.write("half of it")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomic(path, fill)
    assert path.read_text() == "old"
    assert os.listdir(folder) == ["export.csv"]


def test_encoding_and_newline_reach_the_file(folder):
    path = folder / "table.csv"
    write_atomic(path, lambda f: f.write("a,b\r\n"), encoding="utf-8-sig", newline="")
    assert path.read_bytes() == b"\xef\xbb\xbfa,b\r\n"


def test_a_missing_folder_is_an_error_not_created(folder):
    with pytest.raises(FileNotFoundError):
        write_json(folder / "nowhere" / "x.json", {})
    assert not (folder / "nowhere").exists()


@posix_only
def test_json_files_are_private_even_with_a_permissive_umask(folder):
    old = os.umask(0)
    try:
        write_json(folder / "keys.json", {"keys": {"p": "sk-secret"}})
        write_atomic(folder / "export.csv", lambda f: f.write("x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((folder / "keys.json").stat().st_mode) == 0o600
    # Exports are for other programs: the usual permissions, here (umask 0) readable by all.
    assert stat.S_IMODE((folder / "export.csv").stat().st_mode) == 0o666


@posix_only
def test_a_private_rewrite_tightens_a_file_that_was_readable(folder):
    path = folder / "keys.json"
    path.write_text("{}")
    path.chmod(0o644)
    write_json(path, {"keys": {}})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@posix_only
def test_a_link_at_the_target_is_replaced_not_followed(folder):
    elsewhere = folder / "elsewhere.json"
    elsewhere.write_text("untouched")
    (folder / "data").mkdir()
    path = folder / "data" / "settings.json"
    path.symlink_to(elsewhere)
    write_json(path, {"a": 1})
    assert elsewhere.read_text() == "untouched"
    assert not path.is_symlink() and json.loads(path.read_text()) == {"a": 1}
