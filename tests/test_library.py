"""Tests for workbench.core.library: scanning, importing and deleting models with tiny GGUFs."""

from __future__ import annotations

import os
import shutil
import threading
from collections import namedtuple
from pathlib import Path

import pytest
from ggufgen import (
    truncate_copy,
    write_garbage,
    write_lfs_pointer,
    write_text_file,
    write_tiny_gguf,
)

from workbench.core import library as library_module
from workbench.core.library import ImportCancelled, Library, LibraryEntry, LibraryError

DiskUsage = namedtuple("DiskUsage", "total used free")


@pytest.fixture
def models(tmp_path) -> Path:
    path = tmp_path / "models"
    path.mkdir()
    return path


@pytest.fixture
def lib(models, tmp_path) -> Library:
    return Library(models, tmp_path / "library.json", hf_cache_dir=False)


@pytest.fixture
def outside(tmp_path) -> Path:
    path = tmp_path / "Downloads"
    path.mkdir()
    return path


def by_name(entries: list[LibraryEntry]) -> dict[str, LibraryEntry]:
    return {e.name: e for e in entries}


def split_parts(first: Path, count: int) -> list[Path]:
    prefix = first.name.split("-00001-of-")[0]
    return [first.with_name(f"{prefix}-{i:05d}-of-{count:05d}.gguf") for i in range(1, count + 1)]


def test_scan_finds_models_in_nested_folders(lib, models):
    write_tiny_gguf(models / "top.gguf")
    (models / "org" / "repo").mkdir(parents=True)
    write_tiny_gguf(models / "org" / "repo" / "deep.Q8_0.gguf", n_layers=3)
    entries = by_name(lib.scan())
    assert set(entries) == {"top", "deep.Q8_0"}
    deep = entries["deep.Q8_0"]
    assert deep.source == "folder" and deep.error is None and deep.deletable
    assert deep.info is not None and deep.info.block_count == 3
    assert deep.quantization == "F32"
    assert deep.size == (models / "org" / "repo" / "deep.Q8_0.gguf").stat().st_size
    assert deep.parts == (deep.path,)


def test_scan_groups_split_parts(lib, models):
    first = write_tiny_gguf(models / "big.gguf", split_count=3)
    parts = split_parts(first, 3)
    (entry,) = lib.scan()
    assert entry.name == "big" and entry.path == first and entry.error is None
    assert entry.parts == tuple(parts)
    assert entry.size == sum(p.stat().st_size for p in parts)
    assert entry.info is not None and entry.info.split_count == 3


def test_split_with_a_missing_part_shows_an_error(lib, models):
    first = write_tiny_gguf(models / "big.gguf", split_count=3)
    split_parts(first, 3)[2].unlink()
    (entry,) = lib.scan()
    assert entry.info is None and len(entry.parts) == 2
    assert "big-00003-of-00003.gguf is missing" in entry.error


def test_split_without_its_first_part_shows_an_error(lib, models):
    first = write_tiny_gguf(models / "big.gguf", split_count=2)
    first.unlink()
    (entry,) = lib.scan()
    assert entry.path == first and entry.parts == (split_parts(first, 2)[1],)
    assert entry.error == (
        "The first part, big-00001-of-00002.gguf, is missing; download all parts into the "
        "same folder."
    )


def test_scan_skips_partial_hidden_and_other_files(lib, models):
    write_tiny_gguf(models / "ok.gguf")
    shutil.copy(models / "ok.gguf", models / "loading.gguf.part")
    shutil.copy(models / "ok.gguf", models / ".hidden.gguf")
    (models / ".cache").mkdir()
    shutil.copy(models / "ok.gguf", models / ".cache" / "inside-hidden.gguf")
    (models / "notes.txt").write_text("hello")
    assert [e.name for e in lib.scan()] == ["ok"]


def test_broken_files_become_entries_with_errors(lib, models):
    good = write_tiny_gguf(models / "good.gguf")
    truncate_copy(good, models / "cut.gguf", good.stat().st_size // 2)
    write_text_file(models / "page.gguf")
    write_garbage(models / "noise.gguf")
    entries = by_name(lib.scan())
    assert entries["good"].error is None
    assert "truncated" in entries["cut"].error
    assert "web page" in entries["page"].error
    assert "not a GGUF model" in entries["noise"].error
    assert all(entries[n].info is None for n in ("cut", "page", "noise"))


def test_rescans_reuse_headers_until_a_file_changes(lib, models, monkeypatch):
    for i in range(5):
        write_tiny_gguf(models / f"m{i}.gguf")
    reads = []
    real = library_module.inspect_gguf
    monkeypatch.setattr(library_module, "inspect_gguf", lambda p: reads.append(p) or real(p))
    lib.scan()
    assert len(reads) == 5
    lib.scan()
    assert len(reads) == 5
    write_tiny_gguf(models / "m0.gguf", n_layers=4)
    os.utime(models / "m0.gguf", ns=(1, 1))  # a different mtime even on coarse clocks
    (entry,) = [e for e in lib.scan() if e.name == "m0"]
    assert len(reads) == 6 and entry.info.block_count == 4


def test_scan_is_sorted_newest_first(lib, models):
    for name, t in (("old", 1_000_000), ("new", 3_000_000), ("mid", 2_000_000)):
        path = write_tiny_gguf(models / f"{name}.gguf")
        os.utime(path, (t, t))
    assert [e.name for e in lib.scan()] == ["new", "mid", "old"]


def test_missing_models_folder_gives_an_empty_library(tmp_path):
    lib = Library(tmp_path / "nowhere", tmp_path / "index.json", hf_cache_dir=False)
    assert lib.scan() == []


def test_import_in_place_keeps_the_file_where_it_is(lib, models, outside):
    src = write_tiny_gguf(outside / "mine.gguf")
    entry = lib.import_file(src, copy=False)
    assert entry.path == src and entry.source == "imported" and entry.in_place
    assert entry.error is None and entry.deletable
    assert list(models.iterdir()) == []
    assert lib.find(src) == entry
    assert [e.path for e in lib.scan()] == [src]
    # Importing it again changes nothing.
    assert lib.import_file(src, copy=False).path == src
    assert len(lib.scan()) == 1


def test_import_copy_puts_the_file_in_the_imported_folder(lib, models, outside):
    src = write_tiny_gguf(outside / "mine.gguf")
    progress = []
    entry = lib.import_file(src, copy=True, on_progress=lambda d, t: progress.append((d, t)))
    assert entry.path == models / "imported" / "mine.gguf"
    assert entry.source == "imported" and not entry.in_place
    assert entry.path.read_bytes() == src.read_bytes()
    size = src.stat().st_size
    assert progress[0] == (0, size) and progress[-1] == (size, size)
    assert not list((models / "imported").glob("*.part"))


def test_import_copy_with_a_clashing_name_adds_a_number(lib, models, outside):
    write_tiny_gguf(outside / "mine.gguf")
    first = lib.import_file(outside / "mine.gguf", copy=True)
    second = lib.import_file(outside / "mine.gguf", copy=True)
    assert first.path.name == "mine.gguf"
    assert second.path.name == "mine (2).gguf"
    assert {e.name for e in lib.scan()} == {"mine", "mine (2)"}


def test_import_copies_all_parts_of_a_split_model(lib, models, outside):
    first = write_tiny_gguf(outside / "big.gguf", split_count=3)
    entry = lib.import_file(first, copy=True)
    assert [p.name for p in entry.parts] == [p.name for p in split_parts(first, 3)]
    assert all(p.parent == models / "imported" for p in entry.parts)
    assert entry.error is None and entry.info.split_count == 3
    again = lib.import_file(first, copy=True)
    assert again.parts[0].name == "big (2)-00001-of-00003.gguf"
    assert again.error is None


def test_import_in_place_of_a_split_model_references_all_parts(lib, outside):
    first = write_tiny_gguf(outside / "big.gguf", split_count=2)
    entry = lib.import_file(first, copy=False)
    assert entry.in_place and entry.parts == tuple(split_parts(first, 2))


def test_importing_a_later_part_is_refused(lib, outside):
    first = write_tiny_gguf(outside / "big.gguf", split_count=2)
    with pytest.raises(LibraryError, match="open the first part"):
        lib.import_file(split_parts(first, 2)[1], copy=False)


@pytest.mark.parametrize(
    ("writer", "reason"),
    [
        (write_text_file, "is a web page (HTML)"),
        (write_lfs_pointer, "is a Git LFS pointer"),
        (lambda p: Path(p).write_text("just some notes\n"), "is a text file"),
    ],
)
def test_non_gguf_files_are_refused_with_the_reason(lib, models, outside, writer, reason):
    src = outside / "model.gguf"
    writer(src)
    for copy in (True, False):
        with pytest.raises(LibraryError) as exc:
            lib.import_file(src, copy=copy)
        assert reason in str(exc.value)
        assert str(exc.value).endswith(".")
    assert lib.scan() == [] and not (models / "imported").exists()


def test_a_copy_that_would_not_fit_is_refused(lib, models, outside, monkeypatch):
    src = write_tiny_gguf(outside / "mine.gguf")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: DiskUsage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(LibraryError) as exc:
        lib.import_file(src, copy=True)
    assert str(exc.value).startswith("There is not enough free space to copy mine.gguf: it needs")
    assert "only 1.0 KB is free." in str(exc.value)
    assert not list(models.rglob("*.gguf*"))


def test_a_cancelled_copy_leaves_nothing_behind(lib, models, outside, monkeypatch):
    monkeypatch.setattr(library_module, "COPY_CHUNK", 1024)
    first = write_tiny_gguf(outside / "big.gguf", split_count=2)
    calls = []
    with pytest.raises(ImportCancelled):
        lib.import_file(first, copy=True, should_cancel=lambda: calls.append(1) or len(calls) > 3)
    assert list((models / "imported").iterdir()) == []
    assert lib.scan() == []


def test_a_failed_copy_leaves_nothing_behind(lib, models, outside, monkeypatch):
    src = write_tiny_gguf(outside / "mine.gguf")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(library_module.os, "replace", fail)
    with pytest.raises(LibraryError, match=r"^Copying mine.gguf failed \(No space left"):
        lib.import_file(src, copy=True)
    assert list((models / "imported").iterdir()) == []


def test_importing_a_file_already_in_the_folder_returns_its_entry(lib, models):
    path = write_tiny_gguf(models / "here.gguf")
    entry = lib.import_file(path, copy=True)
    assert entry.path == path and entry.source == "folder"
    assert [e.path for e in lib.scan()] == [path]


def test_delete_removes_all_parts_and_empty_folders(lib, models):
    (models / "org" / "repo").mkdir(parents=True)
    first = write_tiny_gguf(models / "org" / "repo" / "big.gguf", split_count=2)
    (entry,) = lib.scan()
    lib.delete(entry)
    assert not any(p.exists() for p in split_parts(first, 2))
    assert not (models / "org").exists()
    assert models.is_dir()
    assert lib.scan() == []


def test_delete_keeps_folders_that_hold_other_files(lib, models):
    (models / "org").mkdir()
    write_tiny_gguf(models / "org" / "a.gguf")
    write_tiny_gguf(models / "org" / "b.gguf")
    lib.delete(by_name(lib.scan())["a"])
    assert [e.name for e in lib.scan()] == ["b"]


def test_delete_of_an_in_place_import_keeps_the_users_file(lib, outside):
    src = write_tiny_gguf(outside / "mine.gguf")
    entry = lib.import_file(src, copy=False)
    lib.delete(entry)
    assert src.exists()
    assert lib.scan() == []


def test_delete_of_a_copied_import_removes_the_copy_only(lib, models, outside):
    src = write_tiny_gguf(outside / "mine.gguf")
    entry = lib.import_file(src, copy=True)
    lib.delete(entry)
    assert src.exists() and not entry.path.exists()
    assert not (models / "imported").exists()


def test_moved_in_place_import_is_listed_with_an_error(lib, outside):
    src = write_tiny_gguf(outside / "mine.gguf")
    lib.import_file(src, copy=False)
    src.rename(outside / "elsewhere.gguf")
    (entry,) = lib.scan()
    assert entry.path == src and entry.in_place and entry.info is None
    assert entry.error == (
        "The file was moved or deleted; remove it from the library or import it again."
    )
    lib.delete(entry)
    assert lib.scan() == []


def test_provenance_persists_across_library_instances(models, tmp_path):
    index = tmp_path / "library.json"
    (models / "org").mkdir()
    path = write_tiny_gguf(models / "org" / "m.gguf")
    Library(models, index, hf_cache_dir=False).record_download(
        path, repo_id="org/m-GGUF", revision="abc123", sha256="f" * 64
    )
    (entry,) = Library(models, index, hf_cache_dir=False).scan()
    assert entry.source == "downloaded"
    assert (entry.repo_id, entry.revision, entry.sha256) == ("org/m-GGUF", "abc123", "f" * 64)
    # Keys are relative to the models folder, so moving the whole folder keeps them.
    moved = tmp_path / "moved"
    models.rename(moved)
    (entry,) = Library(moved, index, hf_cache_dir=False).scan()
    assert entry.source == "downloaded" and entry.repo_id == "org/m-GGUF"
    # Deleting forgets it.
    lib = Library(moved, index, hf_cache_dir=False)
    lib.delete(entry)
    (moved / "org").mkdir()
    write_tiny_gguf(moved / "org" / "m.gguf")
    (entry,) = lib.scan()
    assert entry.source == "folder" and entry.repo_id is None


def test_a_download_saved_outside_the_folder_is_listed_but_never_deleted(lib, outside):
    path = write_tiny_gguf(outside / "m.gguf")
    lib.record_download(path, repo_id="org/m-GGUF", revision=None, sha256=None)
    (entry,) = lib.scan()
    assert (entry.source, entry.repo_id, entry.in_place) == ("downloaded", "org/m-GGUF", True)
    lib.delete(entry)
    assert path.exists() and lib.scan() == []


def test_a_hidden_file_in_the_folder_cannot_be_imported(lib, models):
    path = write_tiny_gguf(models / ".secret.gguf")
    with pytest.raises(LibraryError, match="hidden or temporary name"):
        lib.import_file(path, copy=False)
    assert lib.scan() == []


def make_hf_cache(root: Path, repo: str = "owner--name-GGUF", rev: str = "a" * 40) -> Path:
    """The hub cache layout: snapshots hold links to content-addressed blobs."""
    repo_dir = root / f"models--{repo}"
    blobs = repo_dir / "blobs"
    blobs.mkdir(parents=True)
    write_tiny_gguf(blobs / "0123abcd")
    snap = repo_dir / "snapshots" / rev
    snap.mkdir(parents=True)
    (snap / "model.Q4_K_M.gguf").symlink_to(Path("..", "..", "blobs", "0123abcd"))
    (repo_dir / "refs").mkdir()
    (repo_dir / "refs" / "main").write_text(rev)
    return snap / "model.Q4_K_M.gguf"


def test_hf_cache_models_are_listed_and_not_deletable(models, tmp_path):
    cache = tmp_path / "hub"
    link = make_hf_cache(cache)
    # A second snapshot sharing the same blob is listed once.
    other = link.parent.parent / ("b" * 40)
    other.mkdir()
    (other / "model.Q4_K_M.gguf").symlink_to(Path("..", "..", "blobs", "0123abcd"))
    # A dangling link (blob removed) and a non-model repo are ignored.
    (other / "gone.gguf").symlink_to(Path("..", "..", "blobs", "missing"))
    (cache / "datasets--x--y").mkdir()
    lib = Library(models, tmp_path / "index.json", hf_cache_dir=cache)
    (entry,) = lib.scan()
    assert entry.source == "hf_cache" and not entry.deletable
    assert entry.repo_id == "owner/name-GGUF" and entry.revision == "a" * 40
    assert entry.path == link and entry.error is None and entry.info is not None
    with pytest.raises(LibraryError, match="Hugging Face cache"):
        lib.delete(entry)
    assert link.exists()
    assert lib.find(link) == entry
    assert lib.import_file(link, copy=False) == entry


@pytest.mark.parametrize("cache", ["missing", "file"])
def test_missing_or_odd_hf_cache_is_fine(models, tmp_path, cache):
    path = tmp_path / "hub"
    if cache == "file":
        path.write_text("not a folder")
    lib = Library(models, tmp_path / "index.json", hf_cache_dir=path)
    write_tiny_gguf(models / "m.gguf")
    assert [e.name for e in lib.scan()] == ["m"]


def test_default_hf_cache_is_the_hub_constant(models, tmp_path, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    make_hf_cache(tmp_path / "hub")
    lib = Library(models, tmp_path / "index.json")
    assert [e.source for e in lib.scan()] == ["hf_cache"]


def test_shape_of_reads_all_parts(lib, models):
    write_tiny_gguf(models / "big.gguf", n_layers=4, split_count=3)
    (entry,) = lib.scan()
    shape = lib.shape_of(entry)
    assert shape is not None and shape.n_layer == 4 and shape.layer_bytes > 0
    assert shape.n_vocab == 32


def test_shape_of_a_broken_entry_is_none(lib, models):
    write_text_file(models / "page.gguf")
    (entry,) = lib.scan()
    assert lib.shape_of(entry) is None


def test_scan_while_importing_from_another_thread(lib, models, outside):
    sources = [write_tiny_gguf(outside / f"m{i}.gguf") for i in range(8)]
    errors = []

    def importer():
        try:
            for src in sources:
                lib.import_file(src, copy=True)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    thread = threading.Thread(target=importer)
    thread.start()
    while thread.is_alive():
        for entry in lib.scan():
            assert entry.error is None, entry.error
    thread.join()
    assert errors == []
    assert len(lib.scan()) == 8
