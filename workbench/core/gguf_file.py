"""Check GGUF model files and read their metadata without loading them.

llama.cpp can abort() the whole process on some malformed files, and its messages are written for
developers. So before a file is handed to it, :func:`check_gguf` reads just the header with a small,
defensive parser and turns every common mistake (an HTML error page saved as ``.gguf``, a Git LFS
pointer, an interrupted download, a missing shard of a split model) into one plain sentence.

The parser works on any binary stream with ``read(n)`` and reads only the header bytes, never the
tensor data, so the same code can read a remote file through HTTP range requests.
``gguf.GGUFReader`` is not used because it memory-maps the whole file and fails with obscure numpy
errors on truncated files.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import stat
import struct
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import gguf
import numpy as np

from workbench.core.i18n import QT_TRANSLATE_NOOP, decimal, translate
from workbench.core.local.formats import MARKER_TOKENS
from workbench.core.units import human_size

MAX_STRING_BYTES = 16 * 2**20
MAX_TENSORS = 1_000_000
MAX_KV_PAIRS = 1_000_000
MAX_DIMS = 4  # GGML_MAX_DIMS: llama.cpp refuses tensors with more dimensions
MAX_STORED_ARRAY = 64
_SKIP_CHUNK = 2**20
_MAGIC = struct.pack("<I", gguf.GGUF_MAGIC)  # b"GGUF"
_SUPPORTED_VERSIONS = (2, 3)
# The vocabulary's tokens are too many to keep; the few that name a prompt format are noted.
_TOKENS_KEY = "tokenizer.ggml.tokens"
_MARKER_BYTES = frozenset(t.encode("utf-8") for t in MARKER_TOKENS)
_MARKER_MAX = max(map(len, _MARKER_BYTES))
_SPLIT_RE = re.compile(r"^(?P<prefix>.+)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)

_V = gguf.GGUFValueType
_SCALAR_FORMATS: dict[int, str] = {
    _V.UINT8: "<B", _V.INT8: "<b", _V.UINT16: "<H", _V.INT16: "<h",
    _V.UINT32: "<I", _V.INT32: "<i", _V.FLOAT32: "<f", _V.BOOL: "<?",
    _V.UINT64: "<Q", _V.INT64: "<q", _V.FLOAT64: "<d",
}  # fmt: skip


class GGUFError(Exception):
    """A file that cannot be used as a GGUF model; ``str(err)`` is one sentence for the user."""


@dataclass(frozen=True)
class ArrayInfo:
    """Stands in for a metadata array too long to keep (e.g. the tokenizer's 49k tokens)."""

    elem_type: int
    length: int
    #: for the vocabulary: which of the tokens that name a prompt format it holds
    found: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TensorInfo:
    """One tensor's entry in the header; ``shape`` is in GGUF order (innermost dimension first)."""

    name: str
    shape: tuple[int, ...]
    ggml_type: int
    offset: int
    n_bytes: int


@dataclass
class GGUFHeader:
    """Everything before the tensor data."""

    version: int
    tensor_count: int
    metadata: dict[str, object]
    tensors: list[TensorInfo]
    alignment: int
    data_offset: int
    header_size: int


# What is wrong with a damaged header, each a whole sentence: {source} names the file, the
# other placeholders the figures (filled by _damaged).
_DAMAGED = {
    "header_too_large": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} has a header larger than {size}, which no real model has; the file is "
        "probably damaged — download it again.",
    ),
    "string_in_value": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} claims a {count}-byte string in the value of {key}; the file is probably "
        "damaged — download it again.",
    ),
    "string_in_key": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} claims a {count}-byte string in a metadata key; the file is probably "
        "damaged — download it again.",
    ),
    "string_in_tensor": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} claims a {count}-byte string in a tensor name; the file is probably "
        "damaged — download it again.",
    ),
    "array_type": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} has an invalid array type {type} in {key}; the file is probably damaged — "
        "download it again.",
    ),
    "array_length": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} claims a {count}-element array in {key}; the file is probably damaged — "
        "download it again.",
    ),
    "value_type": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} has an unknown metadata type {type} in {key}; the file is probably damaged "
        "— download it again.",
    ),
    "rows": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} has a tensor {name} whose rows do not fit its quantization; the file is "
        "probably damaged — download it again.",
    ),
    "counts": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} claims {tensors} tensors and {entries} metadata entries; the file is "
        "probably damaged — download it again.",
    ),
    "key": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} has an empty or repeated metadata key {key}; the file is probably damaged — "
        "download it again.",
    ),
    "alignment": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} has an invalid alignment {alignment}; the file is probably damaged — "
        "download it again.",
    ),
    "dimensions": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} has a tensor {name} with {count} dimensions; the file is probably damaged — "
        "download it again.",
    ),
    "tensor_size": QT_TRANSLATE_NOOP(
        "core.gguf_file",
        "{source} has an impossibly large tensor {name}; the file is probably damaged — "
        "download it again.",
    ),
}


def _damaged(source: str, what: str, **figures: object) -> GGUFError:
    return GGUFError(translate("core.gguf_file", _DAMAGED[what]).format(source=source, **figures))


def _truncated_header(source: str, n_bytes: int) -> GGUFError:
    return GGUFError(
        translate(
            "core.gguf_file",
            "{source} is truncated: it ends after {count} bytes, inside its header; the "
            "download is probably incomplete — download it again.",
        ).format(source=source, count=decimal(n_bytes, 0))
    )


class _Reader:
    """Exact little-endian reads from a stream, turning a short read into a 'truncated' error."""

    def __init__(self, f: BinaryIO, source: str, limit: int) -> None:
        self.f, self.source, self.limit, self.pos = f, source, limit, 0

    def read(self, n: int) -> bytes:
        if self.pos + n > self.limit:
            raise _damaged(self.source, "header_too_large", size=human_size(self.limit))
        chunks, want = [], n
        while want > 0:  # streams such as HTTP responses may return fewer bytes than asked for
            chunk = self.f.read(want)
            if not chunk:
                raise _truncated_header(self.source, self.pos + n - want)
            chunks.append(chunk)
            want -= len(chunk)
        self.pos += n
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def skip(self, n: int) -> None:
        while n > 0:  # bounded reads, so a long array never needs one big buffer
            step = min(n, _SKIP_CHUNK)
            self.read(step)
            n -= step

    def unpack(self, fmt: str) -> int | float | bool:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def u32(self) -> int:
        return int(self.unpack("<I"))

    def u64(self) -> int:
        return int(self.unpack("<Q"))

    def string(self, where: str, key: str = "") -> str:
        n = self.string_length(where, key)
        return self.read(n).decode("utf-8", errors="replace")

    def string_length(self, where: str, key: str = "") -> int:
        """A string's length; ``where`` is "value" (of metadata ``key``), "key" or "tensor"."""
        n = self.u64()
        if n > MAX_STRING_BYTES:
            raise _damaged(self.source, f"string_in_{where}", count=decimal(n, 0), key=repr(key))
        return n


def _not_gguf_sentence(start: bytes, source: str) -> str:
    """Guess what a non-GGUF file is from its first bytes, to say something more useful."""
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"version https://git-lfs"):
        sentence = QT_TRANSLATE_NOOP(
            "core.gguf_file",
            "{source} is a Git LFS pointer, not the model itself; download the real file "
            "(for example with `git lfs pull` or from the model's web page).",
        )
    elif text.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in text:
        sentence = QT_TRANSLATE_NOOP(
            "core.gguf_file",
            "{source} is a web page (HTML), not a GGUF model; the download probably saved an "
            "error or login page — download it again.",
        )
    elif text.startswith((b"{", b"[")):
        sentence = QT_TRANSLATE_NOOP(
            "core.gguf_file",
            "{source} is a JSON document, not a GGUF model; download the .gguf file itself.",
        )
    elif start[:4] in (b"lmgg", b"fmgg", b"tjgg"):
        sentence = QT_TRANSLATE_NOOP(
            "core.gguf_file",
            "{source} uses the old GGML format, which llama.cpp no longer reads; download a "
            "GGUF version.",
        )
    elif len(start) >= 10 and start[8:10] == b'{"':
        sentence = QT_TRANSLATE_NOOP(
            "core.gguf_file",
            "{source} is a safetensors file; Workbench runs GGUF models only — download a GGUF "
            "version.",
        )
    elif start.startswith(b"PK\x03\x04"):
        sentence = QT_TRANSLATE_NOOP(
            "core.gguf_file",
            "{source} is a ZIP archive (perhaps a PyTorch checkpoint), not a GGUF model.",
        )
    elif start and all(32 <= b < 127 or b in b"\t\r\n" for b in start):
        sentence = QT_TRANSLATE_NOOP("core.gguf_file", "{source} is a text file, not a GGUF model.")
    else:
        sentence = QT_TRANSLATE_NOOP(
            "core.gguf_file",
            "{source} is not a GGUF model file (it does not start with 'GGUF').",
        )
    return translate("core.gguf_file", sentence).format(source=source)


def _read_value(r: _Reader, vtype: int, key: str) -> object:
    if vtype == _V.STRING:
        return r.string("value", key)
    if vtype == _V.ARRAY:
        elem_type, length = r.u32(), r.u64()
        if elem_type not in _SCALAR_FORMATS and elem_type != _V.STRING:  # nested arrays too
            raise _damaged(r.source, "array_type", type=elem_type, key=repr(key))
        elem_min = 8 if elem_type == _V.STRING else struct.calcsize(_SCALAR_FORMATS[elem_type])
        if r.pos + length * elem_min > r.limit:
            raise _damaged(r.source, "array_length", count=decimal(length, 0), key=repr(key))
        if length <= MAX_STORED_ARRAY:
            return [_read_value(r, elem_type, key) for _ in range(length)]
        if elem_type == _V.STRING:  # each string has its own length, so walk them one by one
            tokens = key == _TOKENS_KEY
            found: set[str] = set()
            for _ in range(length):
                n = r.string_length("value", key)
                if tokens and n <= _MARKER_MAX:
                    if (text := r.read(n)) in _MARKER_BYTES:
                        found.add(text.decode("utf-8"))
                else:
                    r.skip(n)
            return ArrayInfo(elem_type, length, frozenset(found))
        r.skip(length * elem_min)
        return ArrayInfo(elem_type, length)
    fmt = _SCALAR_FORMATS.get(vtype)
    if fmt is None:
        raise _damaged(r.source, "value_type", type=vtype, key=repr(key))
    value = r.unpack(fmt)
    # The shortest decimal that round-trips as float32: 1e-05, not 9.999999747378752e-06.
    return float(str(np.float32(value))) if vtype == _V.FLOAT32 else value


def _tensor_bytes(shape: tuple[int, ...], ggml_type: int, name: str, source: str) -> int:
    """Size of a tensor's data; 0 for types this version of gguf does not know (checked later)."""
    if ggml_type not in gguf.GGML_QUANT_SIZES:
        return 0
    block, type_size = gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType(ggml_type)]
    if shape and shape[0] % block:
        raise _damaged(source, "rows", name=repr(name))
    return math.prod(shape) // block * type_size


def read_header(
    f: BinaryIO, *, source: str | None = None, max_header_bytes: int = 256 * 2**20
) -> GGUFHeader:
    """Parse a GGUF header from a binary stream positioned at the start of the file.

    Reads only the header's bytes. Raises GGUFError with a user-facing message if the stream is
    not a usable GGUF file. ``source`` names the file in messages ("the file" when not given).
    """
    if source is None:
        source = translate("core.gguf_file", "the file")
    r = _Reader(f, source, max_header_bytes)
    start = f.read(4)  # read by hand: a short file may be a cut-off GGUF or something else
    while 0 < len(start) < 4 and (more := f.read(4 - len(start))):
        start += more
    if start != _MAGIC:
        if not start:
            raise GGUFError(
                translate("core.gguf_file", "{source} is empty; download it again.").format(
                    source=source
                )
            )
        if _MAGIC.startswith(start):
            raise _truncated_header(source, len(start))
        raise GGUFError(_not_gguf_sentence(start + f.read(512), source))
    r.pos = 4
    version = r.u32()
    if version not in _SUPPORTED_VERSIONS:
        if version > 0xFFFF and struct.unpack(">I", struct.pack("<I", version))[0] <= 0xFFFF:
            raise GGUFError(
                translate(
                    "core.gguf_file",
                    "{source} is a big-endian GGUF file; big-endian GGUF files are not supported "
                    "— download the ordinary (little-endian) version.",
                ).format(source=source)
            )
        if version < min(_SUPPORTED_VERSIONS):
            raise GGUFError(
                translate(
                    "core.gguf_file",
                    "{source} uses GGUF version {version}, which is too old for llama.cpp; "
                    "download a newer conversion of this model.",
                ).format(source=source, version=version)
            )
        raise GGUFError(
            translate(
                "core.gguf_file",
                "{source} uses GGUF version {version}, which this version of Workbench does not "
                "support; update Workbench.",
            ).format(source=source, version=version)
        )
    tensor_count, kv_count = r.u64(), r.u64()
    if tensor_count > MAX_TENSORS or kv_count > MAX_KV_PAIRS:
        tensors, entries = decimal(tensor_count, 0), decimal(kv_count, 0)
        raise _damaged(source, "counts", tensors=tensors, entries=entries)

    metadata: dict[str, object] = {}
    for _ in range(kv_count):
        key = r.string("key")
        if not key or key in metadata:
            raise _damaged(source, "key", key=repr(key))
        metadata[key] = _read_value(r, r.u32(), key)

    alignment = metadata.get("general.alignment", gguf.GGUF_DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise _damaged(source, "alignment", alignment=repr(alignment))

    tensors: list[TensorInfo] = []
    for _ in range(tensor_count):
        name = r.string("tensor")
        n_dims = r.u32()
        if n_dims > MAX_DIMS:
            raise _damaged(source, "dimensions", name=repr(name), count=decimal(n_dims, 0))
        shape = tuple(r.u64() for _ in range(n_dims))
        if math.prod(shape) >= 2**63:
            raise _damaged(source, "tensor_size", name=repr(name))
        ggml_type = r.u32()
        offset = r.u64()
        n_bytes = _tensor_bytes(shape, ggml_type, name, source)
        tensors.append(TensorInfo(name, shape, ggml_type, offset, n_bytes))

    header_size = r.pos
    data_offset = -(-header_size // alignment) * alignment
    return GGUFHeader(version, tensor_count, metadata, tensors, alignment, data_offset, header_size)


def _unreadable(name: str, e: OSError) -> GGUFError:
    return GGUFError(
        translate("core.gguf_file", "{name} could not be read ({reason}).").format(
            name=name, reason=e.strerror or e
        )
    )


def _split_parts(path: Path) -> tuple[int, int, list[Path]] | None:
    """(part number, part count, all part paths) if the name is like ``x-00001-of-00003.gguf``."""
    m = _SPLIT_RE.match(path.name)
    if not m or int(m["count"]) < 1:
        return None
    count = int(m["count"])
    names = [f"{m['prefix']}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]
    return int(m["no"]), count, [path.with_name(n) for n in names]


def _check_file(path: Path) -> tuple[GGUFHeader, int]:
    """Check one local file (one shard of a split model); returns its header and size."""
    name = path.name
    try:
        st = path.stat()
    except FileNotFoundError:
        raise GGUFError(
            translate("core.gguf_file", "{path} was not found; check the path.").format(path=path)
        ) from None
    except OSError as e:
        raise _unreadable(name, e) from None
    if stat.S_ISDIR(st.st_mode):
        raise GGUFError(
            translate(
                "core.gguf_file",
                "{name} is a folder, not a model file; choose the .gguf file inside it.",
            ).format(name=name)
        )
    if not stat.S_ISREG(st.st_mode):
        raise GGUFError(
            translate(
                "core.gguf_file", "{name} is not a regular file; choose a .gguf model file."
            ).format(name=name)
        )
    if st.st_size == 0:
        raise GGUFError(
            translate("core.gguf_file", "{source} is empty; download it again.").format(source=name)
        )
    try:
        with path.open("rb") as f:
            header = read_header(f, source=name)
    except PermissionError:
        raise GGUFError(
            translate(
                "core.gguf_file",
                "Workbench is not allowed to read {name}; check the file's permissions.",
            ).format(name=name)
        ) from None
    except OSError as e:
        raise _unreadable(name, e) from None

    unknown = sorted({t.ggml_type for t in header.tensors} - set(gguf.GGML_QUANT_SIZES))
    if unknown:
        raise GGUFError(
            translate(
                "core.gguf_file",
                "{name} uses a quantization type ({types}) that this version of Workbench does "
                "not support; update Workbench or choose another quantization.",
            ).format(name=name, types=", ".join(map(str, unknown)))
        )
    needed = header.data_offset + max((t.offset + t.n_bytes for t in header.tensors), default=0)
    if header.tensors and st.st_size < needed:
        have, want = human_size(st.st_size), human_size(needed)
        if have == want:  # show exact bytes rather than "98.4 MB but … 98.4 MB"
            in_bytes = translate("core.gguf_file", "{count} bytes")
            have = in_bytes.format(count=decimal(st.st_size, 0))
            want = in_bytes.format(count=decimal(needed, 0))
        raise GGUFError(
            translate(
                "core.gguf_file",
                "{name} is truncated: it is {have} but its header describes {want} of data; the "
                "download is probably incomplete — download it again.",
            ).format(name=name, have=have, want=want)
        )
    return header, st.st_size


def _check_all(path: str | os.PathLike) -> list[tuple[Path, GGUFHeader, int]]:
    """Check a model file and, for a split model, all of its parts."""
    path = Path(path)
    results = [(path, *_check_file(path))]
    split = _split_parts(path)
    if split and split[1] > 1:
        part, count, paths = split
        if part != 1:
            raise GGUFError(
                translate(
                    "core.gguf_file",
                    "{name} is part {part} of a model split into {count} files; open the first "
                    "part, {first}, instead.",
                ).format(name=path.name, part=part, count=count, first=paths[0].name)
            )
        # llama.cpp finds the other parts itself, by name, next to the first one.
        missing = [p.name for p in paths[1:] if not p.exists()]
        if missing:
            if len(missing) == 1:
                sentence = translate(
                    "core.gguf_file",
                    "{name} is the first of {count} parts, but part {missing} is missing; "
                    "download all parts into the same folder.",
                )
            else:
                sentence = translate(
                    "core.gguf_file",
                    "{name} is the first of {count} parts, but part {missing} is missing (and "
                    "{more} more); download all parts into the same folder.",
                )
            raise GGUFError(
                sentence.format(
                    name=path.name, count=count, missing=missing[0], more=len(missing) - 1
                )
            )
        results += [(p, *_check_file(p)) for p in paths[1:]]
    if not any(h.tensors for _, h, _ in results):
        raise GGUFError(
            translate(
                "core.gguf_file",
                "{name} contains no model weights (it may hold only a vocabulary), so it cannot "
                "be chatted with; download the full model.",
            ).format(name=path.name)
        )
    return results


def check_gguf(path: str | os.PathLike) -> GGUFHeader:
    """Check that a local file (and, for a split model, its other parts) is a complete GGUF model.

    Returns the header of the file (the first part). Raises GGUFError with a user-facing message.
    """
    return _check_all(path)[0][1]


@dataclass(frozen=True)
class GGUFInfo:
    """What ``workbench info`` shows and memory estimates need."""

    path: str
    file_size: int
    architecture: str | None
    name: str | None
    parameter_count: int
    quantization: str | None
    context_length: int | None
    block_count: int | None
    embedding_length: int | None
    head_count: int | None
    head_count_kv: int | None
    key_length: int | None
    value_length: int | None
    has_chat_template: bool
    chat_template: str | None
    gguf_version: int
    tensor_count: int
    split_count: int
    #: the vocabulary's tokens that name a prompt format (see core/local/formats.py)
    chat_markers: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """A JSON-ready dict of all fields."""
        return {**dataclasses.asdict(self), "chat_markers": list(self.chat_markers)}


def _as_int(value: object) -> int | None:
    """An integer metadata value; a per-layer array (e.g. kv heads in some models) gives its max."""
    if isinstance(value, list):
        ints = [v for v in value if isinstance(v, int) and not isinstance(v, bool)]
        return max(ints) if ints else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _quantization(metadata: dict[str, object], tensors: list[TensorInfo]) -> str | None:
    file_type = _as_int(metadata.get("general.file_type"))
    if file_type is not None and file_type != gguf.LlamaFileType.GUESSED:
        try:
            name = gguf.LlamaFileType(file_type).name
        except ValueError:
            pass  # a file type newer than our gguf package: fall back to the tensors
        else:
            return "F32" if name == "ALL_F32" else name.removeprefix("MOSTLY_")
    by_type: Counter[int] = Counter()
    for t in tensors:
        by_type[t.ggml_type] += t.n_bytes
    if not by_type:
        return None
    top = by_type.most_common(1)[0][0]
    try:
        return gguf.GGMLQuantizationType(top).name
    except ValueError:
        return f"type {top}"


def inspect_gguf(path: str | os.PathLike) -> GGUFInfo:
    """Check a model file like :func:`check_gguf` and summarise its metadata."""
    parts = _check_all(path)
    return info_from_header(
        parts[0][1],
        path=str(parts[0][0]),
        file_size=sum(size for _, _, size in parts),
        split_count=len(parts),
        extra_tensors=[t for _, h, _ in parts[1:] for t in h.tensors],
    )


def info_from_header(
    header: GGUFHeader,
    *,
    path: str,
    file_size: int,
    split_count: int = 1,
    extra_tensors: Iterable[TensorInfo] = (),
) -> GGUFInfo:
    """Summarise a parsed header, from a local file or one read over HTTP.

    Args:
        header: The header of the file, or of the first part of a split model.
        path: What ``GGUFInfo.path`` reports (a local path or a name in a repository).
        file_size: Size in bytes of the whole model (all parts).
        split_count: Number of parts.
        extra_tensors: The tensors of the other parts of a split model.
    """
    meta = header.metadata
    all_tensors = [*header.tensors, *extra_tensors]
    arch = _as_str(meta.get("general.architecture"))

    def arch_int(key: str) -> int | None:
        return _as_int(meta.get(f"{arch}.{key}")) if arch else None

    embedding = arch_int("embedding_length")
    heads = arch_int("attention.head_count")
    heads_kv = arch_int("attention.head_count_kv")
    key_length = arch_int("attention.key_length")
    if key_length is None and embedding and heads:
        key_length = embedding // heads
    value_length = arch_int("attention.value_length")
    template = _as_str(meta.get("tokenizer.chat_template")) or None
    return GGUFInfo(
        path=path,
        file_size=file_size,
        architecture=arch,
        name=_as_str(meta.get("general.name")),
        parameter_count=sum(math.prod(t.shape) for t in all_tensors),
        quantization=_quantization(meta, all_tensors),
        context_length=arch_int("context_length"),
        block_count=arch_int("block_count"),
        embedding_length=embedding,
        head_count=heads,
        head_count_kv=heads_kv if heads_kv is not None else heads,
        key_length=key_length,
        value_length=value_length if value_length is not None else key_length,
        has_chat_template=template is not None,
        chat_template=template,
        gguf_version=header.version,
        tensor_count=len(all_tensors),
        split_count=split_count,
        chat_markers=vocabulary_markers(meta),
    )


def vocabulary_markers(metadata: dict[str, object]) -> tuple[str, ...]:
    """The tokens of a header's vocabulary that name a prompt format, sorted."""
    tokens = metadata.get(_TOKENS_KEY)
    if isinstance(tokens, ArrayInfo):
        return tuple(sorted(tokens.found))
    if isinstance(tokens, list):
        return tuple(sorted({t for t in tokens if isinstance(t, str)} & MARKER_TOKENS))
    return ()
