"""Tests for workbench.core.gguf_file: the pre-load check, header parser and info summary."""

from __future__ import annotations

import io
import json
import math
import random
import struct
from pathlib import Path

import gguf
import pytest
from ggufgen import (
    gguf_string,
    kv,
    raw_gguf,
    tensor_info,
    tiny_tensor_shapes,
    truncate_copy,
    write_bad_version,
    write_garbage,
    write_lfs_pointer,
    write_text_file,
    write_tiny_gguf,
)

from workbench.core.gguf_file import (
    ArrayInfo,
    GGUFError,
    check_gguf,
    inspect_gguf,
    read_header,
)

Q = gguf.GGMLQuantizationType
V = gguf.GGUFValueType


@pytest.fixture
def tiny(tmp_path) -> Path:
    return write_tiny_gguf(tmp_path / "tiny.gguf")


class CountingReader(io.RawIOBase):
    """Wraps a stream, counts bytes handed out and optionally returns short reads like a socket."""

    def __init__(self, f, max_chunk: int | None = None) -> None:
        self.f, self.max_chunk, self.bytes_read, self.calls = f, max_chunk, 0, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self.calls += 1
        if self.max_chunk is not None and n > self.max_chunk:
            n = self.max_chunk
        data = self.f.read(n)
        self.bytes_read += len(data)
        return data


def error_of(path) -> str:
    with pytest.raises(GGUFError) as exc:
        check_gguf(path)
    return str(exc.value)


def header_error(data: bytes) -> str:
    with pytest.raises(GGUFError) as exc:
        read_header(io.BytesIO(data), source="x.gguf")
    return str(exc.value)


# --- files that are not usable models --------------------------------------------------------


def test_missing_file(tmp_path):
    msg = error_of(tmp_path / "nope.gguf")
    assert "nope.gguf was not found" in msg


def test_directory(tmp_path):
    (tmp_path / "model.gguf").mkdir()
    assert "is a folder" in error_of(tmp_path / "model.gguf")


def test_empty_file(tmp_path):
    (tmp_path / "e.gguf").write_bytes(b"")
    assert error_of(tmp_path / "e.gguf") == "e.gguf is empty; download it again."


def test_permission_denied(tiny, monkeypatch):
    def deny(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    assert "not allowed to read tiny.gguf" in error_of(tiny)


def test_html_error_page(tmp_path):
    msg = error_of(write_text_file(tmp_path / "m.gguf"))
    assert msg.startswith("m.gguf is a web page (HTML)")
    assert "download it again" in msg


def test_lfs_pointer(tmp_path):
    assert "Git LFS pointer" in error_of(write_lfs_pointer(tmp_path / "m.gguf"))


def test_json_and_plain_text(tmp_path):
    (tmp_path / "j.gguf").write_text('{"error": "Repository not found"}')
    (tmp_path / "t.gguf").write_text("Access denied.\n")
    assert "is a JSON document" in error_of(tmp_path / "j.gguf")
    assert "is a text file" in error_of(tmp_path / "t.gguf")


def test_random_garbage(tmp_path):
    msg = error_of(write_garbage(tmp_path / "g.gguf"))
    assert "is not a GGUF model file" in msg


@pytest.mark.parametrize(
    ("version", "reason"),
    [(0, "too old"), (1, "too old"), (4, "does not support"), (0x12345678, "does not support")],
)
def test_unsupported_version(tmp_path, version, reason):
    msg = error_of(write_bad_version(tmp_path / "v.gguf", version))
    assert f"uses GGUF version {version}," in msg
    assert reason in msg


def test_version_2_is_accepted():
    header = read_header(io.BytesIO(raw_gguf(version=2)))
    assert (header.version, header.tensor_count, header.metadata) == (2, 0, {})


def test_big_endian(tmp_path):
    path = write_tiny_gguf(tmp_path / "be.gguf", endianess=gguf.GGUFEndian.BIG)
    assert "big-endian GGUF files are not supported" in error_of(path)


def metadata_end(path: Path) -> int:
    """Where a file's metadata ends: its header re-read with the tensor count patched to 0."""
    data = bytearray(path.read_bytes())
    data[8:16] = struct.pack("<Q", 0)
    return read_header(io.BytesIO(bytes(data))).header_size


@pytest.mark.parametrize("cut", [2, 10, 23, 100, "mid-kv", "mid-tensor-info", "header-1"])
def test_truncated_inside_header(tiny, tmp_path, cut):
    header_size = check_gguf(tiny).header_size
    kv_end = metadata_end(tiny)
    keep = {
        "mid-kv": (24 + kv_end) // 2,
        "mid-tensor-info": (kv_end + header_size) // 2,
        "header-1": header_size - 1,
    }.get(cut, cut)
    msg = error_of(truncate_copy(tiny, tmp_path / "cut.gguf", keep))
    assert msg == (
        f"cut.gguf is truncated: it ends after {keep:,} bytes, inside its header; "
        "the download is probably incomplete — download it again."
    )


@pytest.mark.parametrize("missing", [1, 100, "half"])
def test_truncated_inside_tensor_data(tiny, tmp_path, missing):
    size = tiny.stat().st_size
    keep = size // 2 if missing == "half" else size - missing
    msg = error_of(truncate_copy(tiny, tmp_path / "part.gguf", keep))
    assert msg.startswith("part.gguf is truncated: it is ")
    assert "download it again" in msg
    if missing == 1:  # sizes that round the same are given exactly
        assert f"it is {keep:,} bytes but its header describes {size:,} bytes of data" in msg


def test_cut_at_data_offset_is_truncated(tiny, tmp_path):
    header = check_gguf(tiny)
    path = truncate_copy(tiny, tmp_path / "c.gguf", header.data_offset)
    assert "is truncated" in error_of(path)


def test_no_tensors(tmp_path):
    path = write_tiny_gguf(tmp_path / "vocab.gguf", with_tensors=False)
    assert "contains no model weights" in error_of(path)


def test_unknown_quantization_type(tmp_path):
    arch = kv("general.architecture", V.STRING, gguf_string("llama"))
    data = raw_gguf(kvs=[arch], tensors=[tensor_info("w", [32], 200)])
    (tmp_path / "new.gguf").write_bytes(data + bytes(4096))
    msg = error_of(tmp_path / "new.gguf")
    assert "quantization type (200)" in msg
    assert "not support" in msg


def test_split_shard_that_is_not_first(tmp_path):
    write_tiny_gguf(tmp_path / "m.gguf", split_count=3)
    msg = error_of(tmp_path / "m-00002-of-00003.gguf")
    assert "is part 2 of a model split into 3 files" in msg
    assert "m-00001-of-00003.gguf" in msg
    assert "was not found" in error_of(tmp_path / "m-00004-of-00005.gguf")


# --- absurd headers never make us allocate or read much ----------------------------------------

ARCH = kv("general.architecture", V.STRING, gguf_string("llama"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (raw_gguf(tensor_count=2**40), "claims 1,099,511,627,776 tensors"),
        (raw_gguf(kv_count=2**62), "metadata entries"),
        (raw_gguf(kvs=[struct.pack("<Q", 2**40) + b"key"]), "-byte string in a metadata key"),
        (raw_gguf(kvs=[kv("k", V.STRING, struct.pack("<Q", 2**25))]), "33,554,432-byte string"),
        (raw_gguf(kvs=[kv("k", 99, b"\0" * 8)]), "unknown metadata type 99"),
        (raw_gguf(kvs=[kv("k", V.ARRAY, struct.pack("<IQ", V.UINT8, 2**50))]), "-element array"),
        (raw_gguf(kvs=[kv("k", V.ARRAY, struct.pack("<IQ", V.STRING, 2**40))]), "-element array"),
        (raw_gguf(kvs=[kv("k", V.ARRAY, struct.pack("<IQ", V.ARRAY, 1))]), "invalid array type"),
        (raw_gguf(kvs=[ARCH, ARCH]), "repeated metadata key 'general.architecture'"),
        (raw_gguf(kvs=[kv("general.alignment", V.UINT32, struct.pack("<I", 3))]), "alignment 3"),
        (raw_gguf(kvs=[ARCH], tensors=[tensor_info("w", [2] * 9, 0)]), "with 9 dimensions"),
        (raw_gguf(tensors=[tensor_info("w", [2**32, 2**32], 0)]), "impossibly large tensor 'w'"),
        (raw_gguf(tensors=[tensor_info("w", [33, 2], Q.Q4_0)]), "rows do not fit"),
    ],
)
def test_absurd_header_values(data, reason):
    reader = CountingReader(io.BytesIO(data + bytes(256)))
    with pytest.raises(GGUFError, match=r"^x\.gguf ") as exc:
        read_header(reader, source="x.gguf")
    assert reason in str(exc.value)
    assert "damaged" in str(exc.value)
    assert reader.bytes_read <= len(data) + 16


def test_header_size_limit():
    data = raw_gguf(kvs=[kv("k", V.STRING, gguf_string("x" * 5000))])
    with pytest.raises(GGUFError, match=r"header larger than 4\.1 KB"):
        read_header(io.BytesIO(data), max_header_bytes=4096)


@pytest.mark.parametrize("seed", range(40))
def test_corrupted_header_gives_gguf_error_or_parses(tiny, seed):
    """Random damage inside a real header must never escape as anything but GGUFError."""
    rng = random.Random(seed)
    data = bytearray(tiny.read_bytes())
    header_size = check_gguf(tiny).header_size
    for _ in range(rng.randint(1, 6)):
        data[rng.randrange(8, header_size)] = rng.randrange(256)
    try:
        read_header(io.BytesIO(bytes(data)))
    except GGUFError as e:
        assert str(e).startswith("the file ")


# --- reading only what is needed --------------------------------------------------------------


def test_reads_only_the_header(tiny):
    with tiny.open("rb", buffering=0) as f:
        reader = CountingReader(f)
        header = read_header(reader)
    assert reader.bytes_read == header.header_size
    assert header.header_size <= header.data_offset < header.header_size + header.alignment
    assert reader.bytes_read < header.data_offset + 64


def test_long_arrays_are_skipped_with_bounded_reads(tmp_path):
    merges = [f"m{i} x{i}" for i in range(3000)]
    path = write_tiny_gguf(
        tmp_path / "long.gguf",
        extra_kv={"tokenizer.ggml.merges": merges, "tokenizer.ggml.token_type": list(range(500))},
    )
    with path.open("rb", buffering=0) as f:
        reader = CountingReader(f)
        header = read_header(reader)
    assert header.metadata["tokenizer.ggml.merges"] == ArrayInfo(V.STRING, 3000)
    assert header.metadata["tokenizer.ggml.token_type"] == ArrayInfo(V.INT32, 500)
    assert header.metadata["tokenizer.ggml.tokens"] == [f"tok{i}" for i in range(32)]
    assert reader.bytes_read == header.header_size < header.data_offset + 64
    assert header.header_size > sum(len(m) for m in merges)  # the strings were really walked


def test_short_reads_like_a_network_stream(tiny):
    with tiny.open("rb") as f:
        expected = read_header(f)
    with tiny.open("rb") as f:
        trickle = CountingReader(f, max_chunk=3)
        assert read_header(trickle) == expected
    assert trickle.calls > expected.header_size // 3


# --- metadata ----------------------------------------------------------------------------------


def test_header_matches_gguf_reader(tmp_path):
    """Cross-check tensors, offsets and sizes against llama.cpp's own Python reader."""
    path = write_tiny_gguf(tmp_path / "a.gguf", alignment=64)
    header = check_gguf(path)
    reference = gguf.GGUFReader(path)
    assert header.alignment == 64
    assert header.data_offset % 64 == 0
    assert header.data_offset == reference.data_offset
    assert [
        (t.name, t.shape, t.ggml_type, header.data_offset + t.offset, t.n_bytes)
        for t in header.tensors
    ] == [
        (t.name, tuple(int(d) for d in t.shape), int(t.tensor_type), t.data_offset, t.n_bytes)
        for t in reference.tensors
    ]


def test_info_round_trip(tiny):
    info = inspect_gguf(tiny)
    shapes = tiny_tensor_shapes()
    assert info.architecture == "llama"
    assert info.name == "tiny"
    assert (info.block_count, info.embedding_length, info.context_length) == (2, 64, 2048)
    assert (info.head_count, info.head_count_kv) == (4, 2)
    assert (info.key_length, info.value_length) == (16, 16)
    assert info.has_chat_template and info.chat_template == "<template>"
    assert info.parameter_count == sum(math.prod(s) for s in shapes.values()) == 59712
    assert info.tensor_count == len(shapes)
    assert info.quantization == "F32"
    assert (info.gguf_version, info.split_count) == (3, 1)
    assert info.file_size == tiny.stat().st_size
    assert info.path == str(tiny)
    assert json.loads(json.dumps(info.to_dict())) == info.to_dict()


def test_info_defaults_and_overrides(tmp_path):
    path = write_tiny_gguf(tmp_path / "d.gguf", n_head_kv=None, chat_template=None, name=None)
    info = inspect_gguf(path)
    assert info.head_count_kv == info.head_count == 4
    assert (info.has_chat_template, info.chat_template, info.name) == (False, None, None)

    path = write_tiny_gguf(
        tmp_path / "o.gguf",
        chat_template=None,
        extra_kv={
            "tokenizer.chat_template": ("", V.STRING),
            "llama.attention.head_count_kv": [2, 4],  # per-layer kv heads
            "llama.attention.key_length": 32,
            "llama.attention.value_length": 24,
            "llama.rope.freq_base": 10000.0,
            "general.flag": True,
        },
    )
    info = inspect_gguf(path)
    assert (info.head_count_kv, info.key_length, info.value_length) == (4, 32, 24)
    assert (info.has_chat_template, info.chat_template) == (False, None)
    meta = check_gguf(path).metadata
    assert meta["llama.rope.freq_base"] == 10000.0
    assert meta["general.flag"] is True


@pytest.mark.parametrize(
    ("file_type", "tensor_type", "n_embd", "expected"),
    [
        (gguf.LlamaFileType.MOSTLY_Q8_0, Q.Q8_0, 64, "Q8_0"),
        (gguf.LlamaFileType.MOSTLY_F16, Q.F16, 64, "F16"),
        (gguf.LlamaFileType.MOSTLY_BF16, Q.BF16, 64, "BF16"),
        (gguf.LlamaFileType.MOSTLY_Q4_K_M, Q.Q4_K, 256, "Q4_K_M"),
        (None, Q.Q8_0, 64, "Q8_0"),  # no file_type: the type holding most bytes
        (gguf.LlamaFileType.GUESSED, Q.Q4_K, 256, "Q4_K"),
    ],
)
def test_quantization_name(tmp_path, file_type, tensor_type, n_embd, expected):
    path = write_tiny_gguf(
        tmp_path / "q.gguf", file_type=file_type, tensor_type=tensor_type, n_embd=n_embd
    )
    assert inspect_gguf(path).quantization == expected


# --- split models ------------------------------------------------------------------------------


def shard_names(stem: str, n: int) -> list[str]:
    return [f"{stem}-{i:05d}-of-{n:05d}.gguf" for i in range(1, n + 1)]


def test_split_model(tmp_path):
    first = write_tiny_gguf(tmp_path / "m.gguf", split_count=3)
    shards = [tmp_path / n for n in shard_names("m", 3)]
    assert first == shards[0] and all(s.exists() for s in shards)
    header = check_gguf(first)
    assert header.metadata["split.count"] == 3
    assert 0 < header.tensor_count < len(tiny_tensor_shapes())

    info = inspect_gguf(first)
    assert info.split_count == 3
    assert info.file_size == sum(s.stat().st_size for s in shards)
    assert info.parameter_count == sum(math.prod(s) for s in tiny_tensor_shapes().values())
    assert info.tensor_count == len(tiny_tensor_shapes())
    assert (info.architecture, info.block_count, info.quantization) == ("llama", 2, "F32")


def test_split_model_missing_shard(tmp_path):
    first = write_tiny_gguf(tmp_path / "m.gguf", split_count=3)
    (tmp_path / "m-00002-of-00003.gguf").unlink()
    (tmp_path / "m-00003-of-00003.gguf").unlink()
    msg = error_of(first)
    assert "part m-00002-of-00003.gguf is missing (and 1 more);" in msg
    write_tiny_gguf(tmp_path / "m.gguf", split_count=3)
    (tmp_path / "m-00003-of-00003.gguf").unlink()
    assert "part m-00003-of-00003.gguf is missing;" in error_of(first)


def test_split_model_bad_or_truncated_shard(tmp_path):
    first = write_tiny_gguf(tmp_path / "m.gguf", split_count=3)
    third = tmp_path / "m-00003-of-00003.gguf"
    good = third.read_bytes()
    write_text_file(third)
    assert error_of(first).startswith("m-00003-of-00003.gguf is a web page")
    third.write_bytes(good[:-10])
    assert error_of(first).startswith("m-00003-of-00003.gguf is truncated")


# --- the real model ----------------------------------------------------------------------------


@pytest.mark.model
def test_real_model(test_model):
    info = inspect_gguf(test_model)
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.block_count == 30
    assert info.has_chat_template
    assert 130e6 < info.parameter_count < 140e6
    assert info.split_count == 1
    assert info.file_size == test_model.stat().st_size

    header = check_gguf(test_model)
    assert isinstance(header.metadata["tokenizer.ggml.tokens"], ArrayInfo)
    reference = gguf.GGUFReader(test_model)
    assert header.data_offset == reference.data_offset
    assert [(t.name, t.n_bytes, header.data_offset + t.offset) for t in header.tensors] == [
        (t.name, t.n_bytes, t.data_offset) for t in reference.tensors
    ]
