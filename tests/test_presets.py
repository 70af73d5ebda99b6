"""Presets: built-ins on first run, saving and deleting survive a restart, bad files are kept."""

from __future__ import annotations

import json

import pytest

from workbench.core import paths
from workbench.core.options import SamplingParams
from workbench.core.presets import Preset, PresetError, PresetStore


def test_builtins_when_no_file(workbench_home):
    store = PresetStore()
    assert store.path == paths.data_dir() / "presets.json"
    assert store.names() == ["Creative", "Default", "Precise"]
    assert store.warning is None
    assert not store.path.exists()  # nothing is written until something changes

    default = store.get("Default")
    assert default.system_prompt == ""
    assert default.sampling == SamplingParams().to_dict()
    precise = store.get("Precise").sampling
    assert (precise["temperature"], precise["top_p"]) == (0.2, 0.9)
    creative = store.get("Creative").sampling
    assert (creative["temperature"], creative["top_p"], creative["min_p"]) == (1.0, 0.98, 0.02)
    for name in store.names():
        SamplingParams.from_dict(store.get(name).sampling).validate()


def test_save_overwrite_delete_persist(tmp_path):
    path = tmp_path / "sub" / "presets.json"
    store = PresetStore(path)
    store.save(Preset("  Coding  ", "You write Python.", {"temperature": 0.1}))
    assert "Coding" in store.names()
    assert PresetStore(path).get("Coding") == Preset(
        "Coding", "You write Python.", {"temperature": 0.1}
    )

    store.save(Preset("coding", "You write Rust.", {"temperature": 0.3}))  # same name, any case
    again = PresetStore(path)
    assert [n for n in again.names() if n.casefold() == "coding"] == ["coding"]
    assert again.get("Coding").system_prompt == "You write Rust."

    again.delete("Precise")  # built-ins are ordinary presets
    again.save(Preset("Default", "Be brief.", {}))
    third = PresetStore(path)
    assert third.names() == ["coding", "Creative", "Default"]
    assert third.get("Default").system_prompt == "Be brief."
    with pytest.raises(KeyError):
        third.get("Precise")
    with pytest.raises(KeyError):
        third.delete("Precise")

    data = json.loads(path.read_text(encoding="utf-8"))
    assert [p["name"] for p in data["presets"]] == ["coding", "Creative", "Default"]
    assert not list(path.parent.glob("*.tmp"))  # the temporary file was renamed, not left


def test_get_returns_a_copy(tmp_path):
    store = PresetStore(tmp_path / "p.json")
    store.get("Default").sampling["temperature"] = 3.0
    assert store.get("Default").sampling["temperature"] == SamplingParams().temperature


def test_deleting_everything_stays_empty(tmp_path):
    path = tmp_path / "p.json"
    store = PresetStore(path)
    for name in store.names():
        store.delete(name)
    assert PresetStore(path).names() == []  # the built-ins do not come back


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_bad_names_are_refused(tmp_path, name):
    store = PresetStore(tmp_path / "p.json")
    with pytest.raises(ValueError) as err:
        store.save(Preset(name, "", {}))
    message = str(err.value)
    assert message.endswith(".") and "\n" not in message
    assert store.names() == ["Creative", "Default", "Precise"]
    assert not (tmp_path / "p.json").exists()


def test_longest_name_is_accepted(tmp_path):
    store = PresetStore(tmp_path / "p.json")
    store.save(Preset("y" * 80, "", {}))
    assert "y" * 80 in PresetStore(tmp_path / "p.json").names()


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'{"presets": 5}', b"\xff\xfe\x00"])
def test_corrupt_file_is_set_aside(tmp_path, content):
    path = tmp_path / "presets.json"
    path.write_bytes(content)
    store = PresetStore(path)
    assert store.names() == []
    assert store.warning and "presets.json.bad" in store.warning
    assert (tmp_path / "presets.json.bad").read_bytes() == content
    store.save(Preset("Mine", "", {}))  # the store works normally afterwards
    assert PresetStore(path).names() == ["Mine"]
    assert PresetStore(path).warning is None


def test_damaged_entries_are_skipped(tmp_path):
    path = tmp_path / "presets.json"
    good = {"name": "Good", "system_prompt": "hi", "sampling": {"top_k": 5}}
    path.write_text(
        json.dumps({"version": 1, "presets": [good, {"name": 3}, "junk", {"name": "NoSampling"}]}),
        encoding="utf-8",
    )
    store = PresetStore(path)
    assert store.names() == ["Good"]
    assert store.get("Good").sampling == {"top_k": 5}
    assert store.warning and "3 preset" in store.warning


def test_write_failure_is_a_sentence_and_changes_nothing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = PresetStore(blocker / "presets.json")  # its folder is a file: cannot be written
    with pytest.raises(PresetError) as err:
        store.save(Preset("New", "", {}))
    assert str(err.value).startswith("The presets could not be saved")
    assert "New" not in store.names()
