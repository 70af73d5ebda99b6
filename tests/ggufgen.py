"""Write tiny GGUF files (valid and deliberately broken) for tests.

Valid files are written with ``gguf.GGUFWriter``, the writer llama.cpp's own converters use, so they
are real GGUF files; they are not loadable models (the weights are zeros). For headers that
GGUFWriter refuses to write (unknown types, absurd counts), ``raw_gguf`` assembles bytes by hand.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import struct
from collections.abc import Sequence
from pathlib import Path

import gguf
import numpy as np

Q = gguf.GGMLQuantizationType
V = gguf.GGUFValueType

VOCAB_SIZE = 32


def tiny_tensor_shapes(
    *, n_layers: int = 2, n_embd: int = 64, n_head: int = 4, n_head_kv: int | None = 2
) -> dict[str, tuple[int, ...]]:
    """The tensors ``write_tiny_gguf`` writes, as numpy shapes (outermost dimension first)."""
    head_dim = n_embd // n_head
    n_kv = (n_head if n_head_kv is None else n_head_kv) * head_dim
    shapes: dict[str, tuple[int, ...]] = {"token_embd.weight": (VOCAB_SIZE, n_embd)}
    for i in range(n_layers):
        shapes |= {
            f"blk.{i}.attn_norm.weight": (n_embd,),
            f"blk.{i}.attn_q.weight": (n_embd, n_embd),
            f"blk.{i}.attn_k.weight": (n_kv, n_embd),
            f"blk.{i}.attn_v.weight": (n_kv, n_embd),
            f"blk.{i}.attn_output.weight": (n_embd, n_embd),
            f"blk.{i}.ffn_norm.weight": (n_embd,),
            f"blk.{i}.ffn_up.weight": (2 * n_embd, n_embd),
            f"blk.{i}.ffn_down.weight": (n_embd, 2 * n_embd),
        }
    shapes["output_norm.weight"] = (n_embd,)
    return shapes


def _add_tensor(writer: gguf.GGUFWriter, name: str, shape: tuple[int, ...], qtype: Q) -> None:
    # 1-D tensors (norms) stay F32, as in real quantized models.
    if len(shape) == 1 or qtype == Q.F32:
        writer.add_tensor(name, np.zeros(shape, dtype=np.float32))
        return
    block, type_size = gguf.GGML_QUANT_SIZES[qtype]
    if shape[-1] % block:
        raise ValueError(f"{name}: row length {shape[-1]} is not a multiple of {qtype.name} blocks")
    raw = np.zeros((*shape[:-1], shape[-1] // block * type_size), dtype=np.uint8)
    writer.add_tensor(name, raw, raw_dtype=qtype)


def _add_kv(writer: gguf.GGUFWriter, key: str, value: object) -> None:
    if isinstance(value, tuple):  # (value, GGUFValueType) for an explicit type, or an empty string
        writer.add_key_value(key, value[0], value[1])
    elif isinstance(value, bool):
        writer.add_bool(key, value)
    elif isinstance(value, int):
        writer.add_uint32(key, value) if 0 <= value < 2**32 else writer.add_int64(key, value)
    elif isinstance(value, float):
        writer.add_float32(key, value)
    elif isinstance(value, str):
        writer.add_string(key, value)
    else:
        writer.add_array(key, list(value))  # type: ignore[call-overload]


def write_tiny_gguf(
    path: str | os.PathLike,
    *,
    arch: str = "llama",
    n_layers: int = 2,
    n_embd: int = 64,
    n_head: int = 4,
    n_head_kv: int | None = 2,
    context_length: int = 2048,
    chat_template: str | None = "<template>",
    file_type: int | None = gguf.LlamaFileType.ALL_F32,
    name: str | None = "tiny",
    tensor_type: Q = Q.F32,
    extra_kv: dict[str, object] | None = None,
    with_tensors: bool = True,
    split_count: int = 1,
    alignment: int | None = None,
    endianess: gguf.GGUFEndian = gguf.GGUFEndian.LITTLE,
    tokens: Sequence[str] | None = None,
) -> Path:
    """Write a small llama-like GGUF file; returns its path (the first shard if split).

    ``tokens`` replaces the vocabulary's ``tok0``… entries (the special tokens a format needs).
    ``split_count`` > 1 writes ``<stem>-0000K-of-0000N.gguf`` shards the way gguf-split does:
    metadata in the first shard, tensors spread over all of them.
    """
    path = Path(path)
    shapes = tiny_tensor_shapes(
        n_layers=n_layers, n_embd=n_embd, n_head=n_head, n_head_kv=n_head_kv
    )
    per_shard = math.ceil(len(shapes) / split_count) if split_count > 1 else 0
    writer = gguf.GGUFWriter(path, arch, split_max_tensors=per_shard, endianess=endianess)
    if alignment is not None:
        writer.add_custom_alignment(alignment)  # also pads the data accordingly
    if name is not None:
        writer.add_name(name)
    if file_type is not None:
        writer.add_file_type(int(file_type))
    writer.add_context_length(context_length)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layers)
    writer.add_feed_forward_length(2 * n_embd)
    writer.add_head_count(n_head)
    if n_head_kv is not None:
        writer.add_head_count_kv(n_head_kv)
    writer.add_tokenizer_model("gpt2")
    writer.add_token_list(list(tokens) if tokens else [f"tok{i}" for i in range(VOCAB_SIZE)])
    if chat_template is not None:
        writer.add_chat_template(chat_template)
    for key, value in (extra_kv or {}).items():
        _add_kv(writer, key, value)
    if with_tensors:
        for tensor_name, shape in shapes.items():
            _add_tensor(writer, tensor_name, shape, tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    if split_count > 1:
        first = path.with_name(f"{path.stem}-00001-of-{split_count:05d}.gguf")
        assert first.exists(), f"GGUFWriter did not write {split_count} shards"
        return first
    return path


def truncate_copy(src: str | os.PathLike, dst: str | os.PathLike, keep_bytes: int) -> Path:
    """Copy the first ``keep_bytes`` bytes of ``src`` to ``dst``, like an interrupted download."""
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        shutil.copyfileobj(_Limited(fin, keep_bytes), fout)
    return Path(dst)


class _Limited:
    def __init__(self, f, n: int) -> None:
        self.f, self.left = f, n

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.f.read(n)
        self.left -= len(data)
        return data


def write_garbage(path: str | os.PathLike, n: int = 4096, *, seed: int = 1234) -> Path:
    """Random bytes (seeded, so failures reproduce)."""
    Path(path).write_bytes(random.Random(seed).randbytes(n))
    return Path(path)


def write_text_file(path: str | os.PathLike) -> Path:
    """An HTML error page, as saved by a browser or curl instead of the model."""
    Path(path).write_text(
        "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
        "<body><h1>Entry not found</h1></body></html>\n",
        encoding="utf-8",
    )
    return Path(path)


def write_lfs_pointer(path: str | os.PathLike) -> Path:
    """A Git LFS pointer, what a clone without git-lfs leaves in place of the model."""
    Path(path).write_text(
        "version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:4d7d1f4f6c1e2e3c0b6b9f1f0a8c1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b\n"
        "size 98362432\n",
        encoding="utf-8",
    )
    return Path(path)


def write_bad_version(path: str | os.PathLike, version: int) -> Path:
    """A GGUF magic followed by the given version and an empty header."""
    Path(path).write_bytes(raw_gguf(version=version))
    return Path(path)


def gguf_string(s: str | bytes) -> bytes:
    data = s.encode("utf-8") if isinstance(s, str) else s
    return struct.pack("<Q", len(data)) + data


def kv(key: str, vtype: int, payload: bytes) -> bytes:
    """One raw metadata entry: ``payload`` is the value's bytes after its type."""
    return gguf_string(key) + struct.pack("<I", vtype) + payload


def tensor_info(name: str, dims: Sequence[int], ggml_type: int, offset: int = 0) -> bytes:
    """One raw tensor-info entry; ``dims`` in GGUF order (innermost first)."""
    packed_dims = b"".join(struct.pack("<Q", d) for d in dims)
    return (
        gguf_string(name)
        + struct.pack("<I", len(dims))
        + packed_dims
        + struct.pack("<I", ggml_type)
        + struct.pack("<Q", offset)
    )


def raw_gguf(
    *,
    version: int = 3,
    kvs: Sequence[bytes] = (),
    tensors: Sequence[bytes] = (),
    tensor_count: int | None = None,
    kv_count: int | None = None,
) -> bytes:
    """Header bytes assembled by hand (counts default to the number of entries given)."""
    return (
        b"GGUF"
        + struct.pack("<I", version)
        + struct.pack("<Q", len(tensors) if tensor_count is None else tensor_count)
        + struct.pack("<Q", len(kvs) if kv_count is None else kv_count)
        + b"".join(kvs)
        + b"".join(tensors)
    )
