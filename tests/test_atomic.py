"""Tests for workbench.core.atomic: whole files or none, with the right permissions."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from workbench.core.atomic import file_lock, read_json, update_json, write_atomic, write_json

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


# -- update_json: several writers of one file -------------------------------------------------


def test_update_json_changes_the_file_as_it_is_now(folder):
    path = folder / "providers.json"
    window = read_json(path)  # both read the file while it was empty …
    terminal = read_json(path)
    assert window == terminal == {}
    update_json(path, lambda now: {**now, "terminal": 1})  # … and each saves only its change
    written = update_json(path, lambda now: {**now, "window": 2})
    assert written == {"terminal": 1, "window": 2} == json.loads(path.read_text())
    assert sorted(os.listdir(folder)) == ["providers.json", "providers.json.lock"]


def test_update_json_creates_the_folder_and_keeps_files_private(folder):
    path = folder / "new" / "state.json"
    update_json(path, lambda now: {**now, "a": 1})
    assert json.loads(path.read_text()) == {"a": 1}
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_failing_change_writes_nothing_and_frees_the_lock(folder):
    path = folder / "settings.json"
    path.write_text('{"old": true}')

    def change(now):
        raise ValueError("no")

    with pytest.raises(ValueError):
        update_json(path, change)
    with pytest.raises(TypeError):
        update_json(path, lambda now: {"bad": object()})
    assert path.read_text() == '{"old": true}'
    assert not [n for n in os.listdir(folder) if n.endswith(".tmp")]
    with file_lock(path, timeout=0):  # released, not left held
        pass


def test_a_damaged_file_is_set_aside_and_the_change_starts_a_new_one(folder):
    path = folder / "settings.json"
    path.write_text("{not json")
    update_json(path, lambda now: {**now, "a": 1})
    assert json.loads(path.read_text()) == {"a": 1}
    assert (folder / "settings.json.bad").read_text() == "{not json"


def _python(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_an_update_waits_for_the_other_process_and_keeps_its_change(folder):
    path = folder / "presets.json"
    other = _python(
        f"""
        import time
        from pathlib import Path
        from workbench.core.atomic import file_lock, read_json, write_json
        path = Path({str(path)!r})
        with file_lock(path):
            now = read_json(path)
            print("locked", flush=True)
            time.sleep(0.5)  # a slow writer: it read the file, it has not written yet
            write_json(path, {{**now, "other": 1}})
        """
    )
    try:
        assert other.stdout.readline() == "locked\n", other.stderr.read()
        update_json(path, lambda now: {**now, "mine": 2})
    finally:
        other.communicate(timeout=30)
    assert other.returncode == 0
    assert json.loads(path.read_text()) == {"other": 1, "mine": 2}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_lock_held_by_a_killed_process_is_no_dead_end(folder):
    path = folder / "settings.json"
    holder = _python(
        f"""
        import time
        from pathlib import Path
        from workbench.core.atomic import file_lock
        with file_lock(Path({str(path)!r})):
            print("locked", flush=True)
            time.sleep(600)
        """
    )
    try:
        assert holder.stdout.readline() == "locked\n", holder.stderr.read()
        with pytest.raises(TimeoutError), file_lock(path, timeout=0.2):
            pass  # held, really
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    update_json(path, lambda now: {**now, "a": 1})  # the lock died with its process
    assert json.loads(path.read_text()) == {"a": 1}


def test_many_writers_in_several_processes_lose_nothing(folder):
    path = folder / "state.json"
    writers = [
        _python(
            f"""
            from pathlib import Path
            from workbench.core.atomic import update_json
            for i in range(25):
                update_json(Path({str(path)!r}), lambda now: {{**now, "w{n}-" + str(i): i}})
            """
        )
        for n in range(4)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    data = json.loads(path.read_text())
    assert len(data) == 100
    assert data == {f"w{n}-{i}": i for n in range(4) for i in range(25)}
