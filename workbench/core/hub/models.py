"""What the Hub tells us about models, as plain frozen dataclasses (no network, no Qt).

A repository's ``.gguf`` files are grouped into :class:`ModelEntry` objects: one per single file,
and one per split model (``x-00001-of-00003.gguf`` and its other parts), which can only be
downloaded and used as a whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from workbench.core.i18n import translate

_SPLIT_RE = re.compile(r"^(?P<prefix>.+)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)

# Quantization labels as llama.cpp's quantize tool and the big GGUF publishers write them in file
# names. Alternatives are ordered longest first so that e.g. Q4_0_4_4 is not read as Q4_0.
_QUANT_RE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:(?P<prefix>UD|I1)[-_.])?"
    r"(?P<quant>"
    r"IQ[1-4]_(?:XXS|XS|NL|S|M)"
    r"|TQ[12]_0"
    r"|Q[2-8]_K(?:_(?:XXS|XS|XL|S|M|L))?"
    r"|Q4_0_[48]_[48]"
    r"|Q[4-8]_[01]"
    r"|MXFP4(?:_MOE)?|NVFP4"
    r"|BF16|FP16|F16|FP32|F32|F64"
    r")"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_FLOAT_ALIASES = {"FP16": "F16", "FP32": "F32"}
# How a split model's name ends: its part count, in English (the name is also an identifier).
_PARTS_SUFFIX = re.compile(r" \((\d+) parts\)$")
MMPROJ_GROUP = "mmproj"


def quantization_from_name(filename: str) -> str:
    """The quantization a GGUF file name announces, e.g. "Q4_K_M", "UD-Q4_K_XL"; "" if none.

    Case-insensitive; the result is upper case. The last label in the name wins, because model
    names themselves can contain things that look like labels.
    """
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"(-\d{5}-of-\d{5})?\.gguf$", "", name, flags=re.IGNORECASE)
    matches = list(_QUANT_RE.finditer(name))
    if not matches:
        return ""
    m = matches[-1]
    quant = m["quant"].upper()
    quant = _FLOAT_ALIASES.get(quant, quant)
    # "UD-" marks a different recipe (so a different file) for the same type; keep it.
    # "i1-" only says an importance matrix was used, which the type name already implies.
    if m["prefix"] and m["prefix"].upper() == "UD":
        return f"UD-{quant}"
    return quant


def entry_label(name: str) -> str:
    """An entry's (or a download's) name as shown to people: a split model's part count in the
    current language. ``name`` itself stays English: scripts and the command line match it."""
    m = _PARTS_SUFFIX.search(name)
    if m is None:
        return name
    # Always two parts or more: no plural form is needed.
    text = translate("core.hub", "{name} ({count} parts)")
    return text.format(name=name[: m.start()], count=int(m[1]))


def is_mmproj(filename: str) -> bool:
    """Whether a file is a multimodal projector (``mmproj-*.gguf``) rather than a model."""
    return "mmproj" in filename.replace("\\", "/").rsplit("/", 1)[-1].lower()


@dataclass(frozen=True)
class RepoSummary:
    """One search result."""

    repo_id: str
    author: str | None
    downloads: int
    likes: int
    last_modified: datetime | None
    gated: str | bool
    private: bool
    tags: tuple[str, ...]


@dataclass(frozen=True)
class HubFile:
    """One file in a repository; ``path`` is inside the repo, ``sha256`` from its LFS pointer."""

    path: str
    size: int
    sha256: str | None


@dataclass(frozen=True)
class ModelEntry:
    """Something to download: one ``.gguf`` file, or all parts of a split model."""

    name: str
    files: tuple[HubFile, ...]
    size: int
    quantization: str
    kind: str  # "model" or "mmproj"

    @property
    def label(self) -> str:
        """The name as shown to people (see :func:`entry_label`)."""
        return entry_label(self.name)

    @property
    def is_split(self) -> bool:
        """Whether this is a model split into several files."""
        return len(self.files) > 1

    @property
    def first_file(self) -> HubFile:
        """The file to open (part 1 of a split model); llama.cpp finds the others by name."""
        return self.files[0]


@dataclass(frozen=True)
class RepoDetails:
    """A repository's facts and its downloadable GGUF entries."""

    repo_id: str
    sha: str | None
    architecture: str | None
    parameters: int | None
    context_length: int | None
    license: str | None
    downloads: int
    likes: int
    gated: str | bool
    private: bool
    last_modified: datetime | None
    entries: tuple[ModelEntry, ...]
    incomplete_splits: tuple[str, ...]

    def by_quantization(self) -> list[tuple[str, list[ModelEntry]]]:
        """Entries grouped by quantization ("" when unknown), smallest group first.

        Projector files form one group of their own, ``"mmproj"``, listed last.
        """
        groups: dict[str, list[ModelEntry]] = {}
        for entry in self.entries:
            key = MMPROJ_GROUP if entry.kind == "mmproj" else entry.quantization
            groups.setdefault(key, []).append(entry)
        for entries in groups.values():
            entries.sort(key=lambda e: (e.size, e.name))

        def order(item: tuple[str, list[ModelEntry]]) -> tuple:
            key, entries = item
            return (key == MMPROJ_GROUP, key == "", entries[0].size, key)

        return sorted(groups.items(), key=order)


def build_entries(files: list[HubFile]) -> tuple[tuple[ModelEntry, ...], tuple[str, ...]]:
    """Group a repository's files into entries; also returns split models with missing parts.

    Non-GGUF files are ignored. Entries are ordered projectors last, then by size.
    """
    entries: list[ModelEntry] = []
    splits: dict[tuple[str, str, int], dict[int, HubFile]] = {}
    for f in files:
        folder, _, base = f.path.rpartition("/")
        if not base.lower().endswith(".gguf"):
            continue
        m = _SPLIT_RE.match(base)
        if m and int(m["count"]) > 1 and 1 <= int(m["no"]) <= int(m["count"]):
            key = (folder, m["prefix"], int(m["count"]))
            splits.setdefault(key, {})[int(m["no"])] = f
            continue
        entries.append(_entry(f.path, (f,)))

    incomplete: list[str] = []
    for (folder, prefix, count), parts in splits.items():
        shown = f"{folder}/{prefix}.gguf" if folder else f"{prefix}.gguf"
        if len(parts) != count:
            incomplete.append(shown)
            continue
        ordered = tuple(parts[i] for i in range(1, count + 1))
        entries.append(_entry(f"{shown} ({count} parts)", ordered))
    entries.sort(key=lambda e: (e.kind == "mmproj", e.size, e.name))
    return tuple(entries), tuple(sorted(incomplete))


def split_part_names(filename: str) -> list[str]:
    """All part names of a split model, given its first part's name; else just ``[filename]``."""
    folder, _, base = filename.rpartition("/")
    m = _SPLIT_RE.match(base)
    if not m or int(m["no"]) != 1 or int(m["count"]) < 2:
        return [filename]
    count, prefix = int(m["count"]), f"{folder}/" if folder else ""
    return [f"{prefix}{m['prefix']}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]


def _entry(name: str, files: tuple[HubFile, ...]) -> ModelEntry:
    first = files[0].path
    return ModelEntry(
        name=name,
        files=files,
        size=sum(f.size for f in files),
        quantization=quantization_from_name(first),
        kind="mmproj" if is_mmproj(first) else "model",
    )
