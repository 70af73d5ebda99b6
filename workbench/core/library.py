"""The model library: every GGUF model Workbench knows about, wherever it lies.

Models come from three places:

* the models folder (a setting), searched recursively: files downloaded by Workbench, copied in
  by an import, or put there by hand;
* files imported *in place*, left where the user keeps them and remembered in an index;
* the Hugging Face hub cache, where other tools put their downloads (listed, never deleted:
  that cache is managed by its own tools).

The index (a small JSON file) also keeps each download's provenance: repository, revision and
SHA-256. Keys are paths relative to the models folder for files inside it, so moving the whole
folder keeps them, and absolute paths for in-place imports.

Headers are read with :func:`inspect_gguf` and remembered by (path, size, modification time),
so a rescan reads only new or changed files. Nothing in a scan raises for a bad file: its entry
carries a one-sentence ``error`` instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.core.fit import ModelShape
from workbench.core.gguf_file import (
    GGUFError,
    GGUFHeader,
    GGUFInfo,
    check_gguf,
    inspect_gguf,
    read_header,
)
from workbench.core.i18n import translate
from workbench.core.state import JsonFile
from workbench.core.units import human_size

SOURCES = ("downloaded", "folder", "imported", "hf_cache")
IMPORTED_DIR = "imported"
INDEX_VERSION = 1
COPY_CHUNK = 8 * 2**20
# Free space kept beyond the copy itself, so an import never fills the disk to the last byte.
SPACE_MARGIN = 64 * 2**20
# Names that downloaders and editors use for files still being written.
_TEMP_SUFFIXES = (".part", ".tmp", ".partial", ".incomplete", ".crdownload", ".download")
_SPLIT_RE = re.compile(r"^(?P<prefix>.+)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)
_HF_PREFIX = "models--"

StatKey = tuple[tuple[str, int, int], ...]


class LibraryError(Exception):
    """An import or delete that cannot be done; ``str(err)`` is one sentence for the user."""


class ImportCancelled(LibraryError):
    """The user cancelled an import; nothing was left behind."""


@dataclass(frozen=True)
class LibraryEntry:
    """One model in the library.

    Attributes:
        path: The model file; the first part for a split model.
        name: The file name without ``.gguf`` (and without the part numbers of a split model).
        size: Bytes of all parts together.
        source: "downloaded", "folder" (found in the models folder), "imported" (copied in or
            used in place) or "hf_cache".
        repo_id: The Hugging Face repository it came from, when known.
        quantization: e.g. "Q4_K_M", when the header is readable.
        info: The header summary, or None when it is unreadable.
        error: Why the model cannot be used, as one sentence, or None.
        parts: All files of the model that exist.
        added: When it was downloaded or imported (seconds since the epoch).
        in_place: True for a file imported in place, outside the models folder; removing it
            from the library leaves the file alone.
        revision: The repository revision, for downloads and the hub cache.
        sha256: The verified SHA-256 of a download.
    """

    path: Path
    name: str
    size: int
    source: str
    repo_id: str | None = None
    quantization: str | None = None
    info: GGUFInfo | None = None
    error: str | None = None
    parts: tuple[Path, ...] = ()
    added: float = 0.0
    in_place: bool = False
    revision: str | None = None
    sha256: str | None = None

    @property
    def deletable(self) -> bool:
        """False for the hub cache, which its own tools manage; offer to reveal it instead."""
        return self.source != "hf_cache"


def _real(path: Path | str) -> str:
    return os.path.realpath(path)


def _is_temp(name: str) -> bool:
    lower = name.lower()
    return name.startswith((".", "~")) or lower.endswith(_TEMP_SUFFIXES)


def _split_names(path: Path) -> tuple[str, int, int] | None:
    """(prefix, part number, part count) for names like ``x-00001-of-00003.gguf``."""
    m = _SPLIT_RE.match(path.name)
    if not m or int(m["count"]) < 2:
        return None
    return m["prefix"], int(m["no"]), int(m["count"])


def _part_paths(folder: Path, prefix: str, count: int) -> list[Path]:
    return [folder / f"{prefix}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]


def all_parts(path: Path) -> list[Path]:
    """Every file of the model whose (first) file is ``path``, existing or not."""
    split = _split_names(path)
    if split is None:
        return [path]
    prefix, _, count = split
    return _part_paths(path.parent, prefix, count)


def _group(files: Iterable[Path]) -> list[tuple[Path, str, list[Path]]]:
    """Group GGUF files into models: (first part, display name, existing parts)."""
    singles: list[tuple[Path, str, list[Path]]] = []
    splits: dict[tuple[Path, str, int], list[Path]] = {}
    for f in files:
        split = _split_names(f)
        if split is None:
            singles.append((f, f.name[: -len(".gguf")], [f]))
        else:
            prefix, _, count = split
            splits.setdefault((f.parent, prefix, count), []).append(f)
    for (folder, prefix, count), present in splits.items():
        first = _part_paths(folder, prefix, count)[0]
        singles.append((first, prefix, sorted(present, key=lambda p: p.name.lower())))
    return singles


def _gguf_files(root: Path) -> list[Path]:
    """GGUF files under ``root``, skipping hidden folders and files still being written."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: None):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.lower().endswith(".gguf") and not _is_temp(name):
                found.append(Path(dirpath) / name)
    return found


class Library:
    """The models Workbench can run, with their headers, origin and provenance.

    Safe to use from one scanning thread while the GUI reads results: :meth:`scan` returns a
    fresh list each time, and shared caches and the index are guarded by locks.
    """

    def __init__(
        self,
        models_dir: Path,
        index_path: Path,
        *,
        hf_cache_dir: Path | str | bool | None = None,
    ) -> None:
        """Create a library.

        Args:
            models_dir: The models folder (a setting; by default ``paths.models_dir()``).
            index_path: The JSON file that keeps in-place imports and provenance.
            hf_cache_dir: The Hugging Face hub cache; None for its usual location, False or ""
                to leave it out.
        """
        self.models_dir = Path(models_dir)
        self._index = JsonFile(Path(index_path))
        if hf_cache_dir is None:
            from huggingface_hub import constants

            self.hf_cache_dir: Path | None = Path(constants.HF_HUB_CACHE)
        elif hf_cache_dir is False or hf_cache_dir == "":
            self.hf_cache_dir = None
        else:
            self.hf_cache_dir = Path(hf_cache_dir)  # type: ignore[arg-type]
        self._lock = threading.Lock()
        self._headers: dict[StatKey, tuple[GGUFInfo | None, str | None]] = {}
        self._shapes: dict[StatKey, ModelShape | None] = {}

    # ----- index ---------------------------------------------------------------------------

    def _inside(self, path: Path) -> bool:
        """True if the file ``path`` lies in the models folder.

        Its folder is resolved, not the file, so a link inside pointing elsewhere counts as
        inside: deleting it removes only the link.
        """
        return self._dir_inside(path.parent)

    def _dir_inside(self, folder: Path) -> bool:
        return Path(_real(folder)).is_relative_to(_real(self.models_dir))

    def _key(self, path: Path) -> str:
        path = Path(os.path.abspath(path))
        if self._inside(path):
            rel = Path(_real(path.parent)).relative_to(_real(self.models_dir)) / path.name
            return rel.as_posix()
        return str(path)

    def _records(self) -> dict[str, dict]:
        models = self._index.load().get("models")
        return models if isinstance(models, dict) else {}

    def _update(self, key: str, record: dict | None) -> None:
        # Under the index's file lock: the window, a command-line download and the download
        # manager's threads may each hold a Library over the same file, and each keeps the
        # others' entries.
        def change(data: dict) -> dict:
            models = data.get("models")
            models = dict(models) if isinstance(models, dict) else {}
            if record is None:
                models.pop(key, None)
            else:
                models[key] = record
            return {"version": INDEX_VERSION, "models": models}

        if record is None and key not in self._records():
            return  # nothing to forget: no write
        self._index.update(change)

    def record_download(
        self, path: Path, *, repo_id: str, revision: str | None, sha256: str | None
    ) -> None:
        """Remember where a verified download came from (called by the download manager)."""
        self._update(
            self._key(Path(path)),
            {
                "kind": "downloaded",
                "repo_id": repo_id,
                "revision": revision,
                "sha256": sha256,
                "added": time.time(),
            },
        )

    # ----- scanning ------------------------------------------------------------------------

    def _inspect(self, parts: list[Path]) -> tuple[GGUFInfo | None, str | None]:
        """Header summary or error of a model, cached by each part's size and mtime."""
        try:
            key = tuple((str(p), st.st_size, st.st_mtime_ns) for p in parts for st in [p.stat()])
        except OSError as e:
            text = translate("core.library", "{name} could not be read ({reason}).")
            return None, text.format(name=parts[0].name, reason=e.strerror or e)
        with self._lock:
            hit = self._headers.get(key)
        if hit is not None:
            return hit
        try:
            result: tuple[GGUFInfo | None, str | None] = (inspect_gguf(parts[0]), None)
        except GGUFError as e:
            result = (None, str(e))
        except Exception as e:  # a parser bug must not hide the rest of the library
            text = translate("core.library", "{name} could not be read ({reason}).")
            result = (None, text.format(name=parts[0].name, reason=e))
        with self._lock:
            self._headers[key] = result
        return result

    def _entry(
        self,
        first: Path,
        name: str,
        parts: list[Path],
        source: str,
        record: dict | None = None,
        **extra,
    ) -> LibraryEntry:
        record = record or {}
        sizes, mtimes = [], []
        for p in parts:
            with contextlib.suppress(OSError):
                st = p.stat()
                sizes.append(st.st_size)
                mtimes.append(st.st_mtime)
        if first not in parts:
            text = translate(
                "core.library",
                "The first part, {name}, is missing; download all parts into the same folder.",
            )
            info, error = None, text.format(name=first.name)
        else:
            info, error = self._inspect(parts)
        added = record.get("added")
        return LibraryEntry(
            path=first,
            name=name,
            size=sum(sizes),
            source=source,
            repo_id=extra.pop("repo_id", None) or record.get("repo_id"),
            quantization=info.quantization if info else None,
            info=info,
            error=error,
            parts=tuple(parts),
            added=float(added) if isinstance(added, (int, float)) else max(mtimes, default=0.0),
            revision=extra.pop("revision", None) or record.get("revision"),
            sha256=record.get("sha256"),
            **extra,
        )

    def _scan_folder(self, records: dict[str, dict], seen: set[str]) -> list[LibraryEntry]:
        entries = []
        for first, name, parts in _group(_gguf_files(self.models_dir)):
            record = records.get(self._key(first), {})
            kind = record.get("kind")
            source = {"downloaded": "downloaded", "copied": "imported"}.get(kind, "folder")
            seen.add(_real(first))
            entries.append(self._entry(first, name, parts, source, record))
        return entries

    def _scan_imports(self, records: dict[str, dict], seen: set[str]) -> list[LibraryEntry]:
        entries = []
        for key, record in records.items():
            kind = record.get("kind") if isinstance(record, dict) else None
            first = Path(key)
            # Relative keys are files in the models folder, listed by the folder scan; absolute
            # ones lie elsewhere: in-place imports, and downloads saved outside the folder.
            if kind not in ("imported", "downloaded") or not first.is_absolute():
                continue
            if _real(first) in seen:
                continue
            seen.add(_real(first))
            split = _split_names(first)
            name = split[0] if split else first.name.removesuffix(".gguf")
            if not first.exists():
                entries.append(
                    LibraryEntry(
                        first,
                        name,
                        0,
                        kind,
                        repo_id=record.get("repo_id"),
                        error=translate(
                            "core.library",
                            "The file was moved or deleted; remove it from the library or import "
                            "it again.",
                        ),
                        parts=(first,),
                        added=float(record.get("added") or 0),
                        in_place=True,
                    )
                )
                continue
            parts = [p for p in all_parts(first) if p.exists()]
            entries.append(self._entry(first, name, parts, kind, record, in_place=True))
        return entries

    def _scan_hf_cache(self, seen: set[str]) -> list[LibraryEntry]:
        root = self.hf_cache_dir
        if root is None:
            return []
        try:
            repos = sorted(d for d in os.scandir(root) if d.name.startswith(_HF_PREFIX))
        except OSError:
            return []  # no cache yet, or unreadable: nothing to list
        entries = []
        for repo in repos:
            repo_id = repo.name[len(_HF_PREFIX) :].replace("--", "/")
            snapshots = Path(repo.path) / "snapshots"
            main = ""
            with contextlib.suppress(OSError):
                main = (Path(repo.path) / "refs" / "main").read_text().strip()
            try:
                revisions = [d for d in os.scandir(snapshots) if d.is_dir()]
            except OSError:
                continue
            # The revision "main" points at first, then newer ones: its copy of a shared blob
            # is the one listed.
            revisions.sort(key=lambda d: (d.name != main, -_mtime(d.path)))
            for rev in revisions:
                files = [f for f in _gguf_files(Path(rev.path)) if f.exists()]  # drops dead links
                for first, name, parts in _group(files):
                    real = _real(first)
                    if real in seen:
                        continue
                    seen.add(real)
                    entries.append(
                        self._entry(
                            first, name, parts, "hf_cache", repo_id=repo_id, revision=rev.name
                        )
                    )
        return entries

    def scan(self) -> list[LibraryEntry]:
        """All models, newest first (then by name); never raises for a bad file."""
        records = self._records()
        seen: set[str] = set()
        entries = self._scan_folder(records, seen)
        entries += self._scan_imports(records, seen)
        entries += self._scan_hf_cache(seen)
        entries.sort(key=lambda e: (-e.added, e.name.lower()))
        return entries

    def find(self, path: Path | str) -> LibraryEntry | None:
        """The entry that holds ``path`` (any of its parts), or None."""
        real = _real(path)
        for entry in self.scan():
            if any(_real(p) == real for p in (entry.path, *entry.parts)):
                return entry
        return None

    def shape_of(self, entry: LibraryEntry) -> ModelShape | None:
        """The model's shape for a memory estimate, from all parts' headers; None if unreadable."""
        if entry.info is None or not entry.parts:
            return None
        try:
            key = tuple(
                (str(p), st.st_size, st.st_mtime_ns) for p in entry.parts for st in [p.stat()]
            )
        except OSError:
            return None
        with self._lock:
            if key in self._shapes:
                return self._shapes[key]
        shape: ModelShape | None
        try:
            headers: list[GGUFHeader] = []
            for p in entry.parts:
                with p.open("rb") as f:
                    headers.append(read_header(f, source=p.name))
            shape = ModelShape.from_info(entry.info, headers)
        except (OSError, GGUFError, ValueError):
            shape = None
        with self._lock:
            self._shapes[key] = shape
        return shape

    # ----- import and delete ---------------------------------------------------------------

    def import_file(
        self,
        src: Path | str,
        *,
        copy: bool,
        on_progress: Callable[[int, int], None] | None = None,
        should_cancel: Callable[[], bool] | None = None,
    ) -> LibraryEntry:
        """Add a model file (and, for a split model, all its parts) to the library.

        Args:
            src: The model file; the first part of a split model.
            copy: Copy it into ``models_dir/imported/``; otherwise use it where it is.
            on_progress: Called with (bytes copied, bytes in all) while copying.
            should_cancel: Polled while copying; returning True stops and cleans up.

        Raises:
            LibraryError: If the file is not a usable GGUF model, there is no room to copy it,
                or the copy fails; :class:`ImportCancelled` if cancelled.
        """
        src = Path(os.path.abspath(Path(src).expanduser()))
        try:
            check_gguf(src)
        except GGUFError as e:
            raise LibraryError(str(e)) from None
        parts = all_parts(src)
        if self._inside(src) or self._in_hf_cache(src):
            found = self.find(src)
            if found is not None:
                return found
            if self._inside(src):  # a hidden or temporary name the scan leaves out
                text = translate(
                    "core.library",
                    "{name} is in the models folder under a hidden or temporary name; rename it "
                    "to end in .gguf and not start with a dot.",
                )
                raise LibraryError(text.format(name=src.name))
        if not copy:
            key = self._key(src)
            if self._records().get(key, {}).get("kind") != "imported":
                self._update(key, {"kind": "imported", "added": time.time()})
            found = self.find(src)
            if found is None:  # only if the file vanished since the check
                text = translate("core.library", "{name} could not be found after importing it.")
                raise LibraryError(text.format(name=src.name))
            return found
        first = self._copy_in(src, parts, on_progress, should_cancel)
        self._update(self._key(first), {"kind": "copied", "origin": str(src), "added": time.time()})
        found = self.find(first)
        if found is None:
            text = translate("core.library", "{name} could not be found after copying it.")
            raise LibraryError(text.format(name=first.name))
        return found

    def _in_hf_cache(self, path: Path) -> bool:
        if self.hf_cache_dir is None:
            return False
        return Path(_real(path.parent)).is_relative_to(_real(self.hf_cache_dir))

    def _copy_in(
        self,
        src: Path,
        parts: list[Path],
        on_progress: Callable[[int, int], None] | None,
        should_cancel: Callable[[], bool] | None,
    ) -> Path:
        dest_dir = self.models_dir / IMPORTED_DIR
        try:
            dest_dir.mkdir(parents=True, exist_ok=True)
            total = sum(p.stat().st_size for p in parts)
            free = shutil.disk_usage(dest_dir).free
        except OSError as e:
            text = translate("core.library", "The models folder could not be prepared ({reason}).")
            raise LibraryError(text.format(reason=e.strerror or e)) from None
        if free < total + SPACE_MARGIN:
            text = translate(
                "core.library",
                "There is not enough free space to copy {name}: it needs {needed} and only "
                "{free} is free.",
            )
            needed, available = human_size(total), human_size(free)
            raise LibraryError(text.format(name=src.name, needed=needed, free=available))
        targets = _free_targets(dest_dir, src)
        temps = [t.with_name(t.name + ".part") for t in targets]
        placed: list[Path] = []
        done = 0
        try:
            if on_progress:
                on_progress(0, total)
            for part, temp in zip(parts, temps, strict=True):
                with part.open("rb") as fin, temp.open("wb") as fout:
                    while chunk := fin.read(COPY_CHUNK):
                        if should_cancel and should_cancel():
                            raise ImportCancelled(
                                translate("core.library", "The import was cancelled.")
                            )
                        fout.write(chunk)
                        done += len(chunk)
                        if on_progress:
                            on_progress(done, total)
            # The first part last: until it appears, a scan sees no half-copied split model.
            for temp, target in reversed(list(zip(temps, targets, strict=True))):
                os.replace(temp, target)
                placed.append(target)
        except ImportCancelled:
            _remove(temps)
            raise
        except OSError as e:
            _remove(temps + placed)
            text = translate("core.library", "Copying {name} failed ({reason}).")
            raise LibraryError(text.format(name=src.name, reason=e.strerror or e)) from None
        return targets[0]

    def delete(self, entry: LibraryEntry) -> None:
        """Delete a model's files, or for an in-place import only forget it.

        Files in the models folder are deleted with all their parts, and folders left empty
        are removed up to (not including) the models folder. A file imported in place is never
        deleted: it is the user's, outside our folder ("Remove from library").

        Raises:
            LibraryError: For models in the hub cache, or if a file cannot be deleted.
        """
        if entry.source == "hf_cache":
            text = translate(
                "core.library",
                "{name} is kept in the Hugging Face cache, so remove it there with the Hugging "
                "Face tools.",
            )
            raise LibraryError(text.format(name=entry.name))
        if entry.in_place:
            self._update(self._key(entry.path), None)
            return
        parts = list(entry.parts) or [entry.path]
        for p in parts:
            if not self._inside(p):
                text = translate(
                    "core.library",
                    "{name} is outside the models folder, so Workbench will not delete it.",
                )
                raise LibraryError(text.format(name=p.name))
        for p in parts:
            try:
                p.unlink()
            except FileNotFoundError:
                pass
            except OSError as e:
                text = translate("core.library", "{name} could not be deleted ({reason}).")
                raise LibraryError(text.format(name=p.name, reason=e.strerror or e)) from None
        root = _real(self.models_dir)
        for folder in {p.parent for p in parts}:
            while _real(folder) != root and self._dir_inside(folder):
                try:
                    folder.rmdir()  # fails, as intended, if anything else is in it
                except OSError:
                    break
                folder = folder.parent
        self._update(self._key(entry.path), None)


def _free_targets(folder: Path, src: Path) -> list[Path]:
    """Names in ``folder`` for ``src`` and its parts that clash with nothing: "x (2).gguf"."""
    split = _split_names(src)
    plain = src.name[:-5] if src.name.lower().endswith(".gguf") else src.stem
    base = split[0] if split else plain
    n = 1
    while True:
        stem = base if n == 1 else f"{base} ({n})"
        targets = _part_paths(folder, stem, split[2]) if split else [folder / f"{stem}.gguf"]
        if not any(t.exists() or t.with_name(t.name + ".part").exists() for t in targets):
            return targets
        n += 1


def _remove(paths: Iterable[Path]) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink()


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0
