"""Will a model fit? An estimate of the memory llama.cpp needs, and where it will go.

llama.cpp needs memory for three things:

* **Weights**: the file's tensors. The token embeddings always stay on the CPU. Offloading
  ``k`` layers (``n_gpu_layers = k``) moves the *output layer* first (for ``k >= 1``; with
  tied embeddings the output layer is a copy of the token embeddings), then the last ``k - 1``
  repeating ``blk.N`` layers, so there are ``n_layer + 1`` offloadable layers and only
  ``k = n_layer + 1`` is full offload. Per-layer size is the bytes of the header's ``blk.*``
  tensors divided by ``n_layer``, or ``file_size / (n_layer + 1)`` when no header is at hand.
  Weights left on the CPU are memory-mapped; they need that much free RAM to run at a usable
  speed (otherwise pages are read from disk again for every token), so they count as RAM.
* **KV cache** ("context"), exactly as llama.cpp allocates it::

      kv = n_layer × n_ctx' × (row(n_head_kv × key_length, type_k)
                               + row(n_head_kv × value_length, type_v))

  where ``n_ctx'`` is ``n_ctx`` rounded up to a multiple of 256 (llama.cpp pads it) and
  ``row(n, t) = ceil(n / block(t)) × block_bytes(t)`` from ggml's block sizes (f16 2 bytes per
  value, q8_0 34 bytes per 32 values, …). A layer's cache lives with the layer. Models with
  sliding-window attention need less; this is their upper bound.
* **Work buffers**: llama.cpp's compute buffer, the largest set of intermediate tensors alive
  at one point of the graph for one micro-batch of ``u = min(n_batch, 512, n_ctx)`` tokens
  (the worker passes ``n_ubatch = min(n_batch, 512)``; llama-cpp-python caps ``n_batch`` at
  ``n_ctx``). Two points dominate::

      output    = u × n_vocab × 4 + 2 × u × n_embd × 4        (the logits, f32)
      attention = u × n_ctx' × (n_head + 1) × 4 + 6 × u × n_embd × 4   (KQ scores + mask, f32)
                  or, with flash attention, u × n_ctx' × 2 + 6 × u × n_embd × 4   (f16 mask)
      compute   = max(output, attention)

  Checked against the CPU compute buffer llama.cpp (llama-cpp-python 0.3.36) reports for
  SmolLM2-135M (vocab 49152, n_embd 576, 9 heads): n_ctx 512: 98.25 MiB with and without
  flash attention; 2048: 99.38 / 102.51 (flash); 4096: 99.38 / 98.25; 8192: 166.38 / 98.25;
  8192 with q8_0 cache and flash: 99.38; 2048 with n_batch 128: 24.84; n_ctx 300: 57.57. The
  formula gives 98.25, 98.25, 98.25, 166.75, 98.25, 24.56 and 57.57: within 5 % of each. It
  is counted once, on the GPU when any layer is offloaded (llama.cpp's main compute buffer
  goes there), else in RAM.

Headroom is kept on both sides: on each GPU the larger of 512 MiB and 5 % of its memory (the
driver's own context and fragmentation take that much), and 1 GiB of RAM for the OS and app.
On a unified-memory Mac GPU and CPU share one pool, so everything counts against RAM and the
GPU part also against Metal's working-set budget.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass

import gguf

from workbench.core.gguf_file import ArrayInfo, GGUFHeader, GGUFInfo
from workbench.core.i18n import translate
from workbench.core.options import KV_CACHE_TYPES
from workbench.core.sysmem import MemoryInfo
from workbench.core.units import human_size

MiB = 2**20
GiB = 2**30

CTX_PADDING = 256  # llama.cpp rounds the context up to a multiple of this
MAX_UBATCH = 512  # the worker's n_ubatch cap
F32_BYTES = 4
DEFAULT_VOCAB = 131_072  # between common vocabularies (32k … 262k) when a header does not say
GPU_RESERVE_MIN = 512 * MiB
GPU_RESERVE_FRACTION = 0.05
RAM_RESERVE = 1 * GiB

VERDICTS = ("full_gpu", "partial", "cpu", "too_large")


@dataclass(frozen=True)
class ModelShape:
    """The figures of a model that decide its memory use.

    Attributes:
        file_size: Bytes of the file (all parts of a split model).
        n_layer: Repeating transformer layers (``block_count``).
        n_head_kv: Key/value heads (fewer than query heads with grouped-query attention).
        key_length: Size of one key head.
        value_length: Size of one value head.
        embedding_length: Width of the hidden state.
        n_head: Query heads; derived from the embedding and key sizes when unknown.
        n_vocab: Vocabulary size; a middling default is assumed when unknown.
        train_context: The context length the model was trained for.
        layer_bytes: Bytes of all ``blk.*`` tensors, when known from the header.
        non_layer_bytes: Bytes of all other tensors (embeddings, output), when known.
        output_bytes: Bytes the output layer puts on the GPU, when known.
        tied_output: True when the output layer reuses the token embeddings, so offloading it
            copies them to the GPU while the CPU keeps its own.
    """

    file_size: int
    n_layer: int
    n_head_kv: int
    key_length: int
    value_length: int
    embedding_length: int
    n_head: int | None = None
    n_vocab: int | None = None
    train_context: int | None = None
    layer_bytes: int | None = None
    non_layer_bytes: int | None = None
    output_bytes: int | None = None
    tied_output: bool = False

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> ModelShape | None:
        """The shape of a local model file (every part's header, read once: exact tensor sizes
        need all of them); None when it is unreadable or damaged."""
        from workbench.core import gguf_file

        try:
            parts = gguf_file._check_all(path)
            info = gguf_file.info_from_header(
                parts[0][1],
                path=str(parts[0][0]),
                file_size=sum(size for _, _, size in parts),
                split_count=len(parts),
                extra_tensors=[t for _, h, _ in parts[1:] for t in h.tensors],
            )
            return cls.from_info(info, [h for _, h, _ in parts])
        except (OSError, gguf_file.GGUFError, ValueError):
            return None

    @classmethod
    def from_info(
        cls, info: GGUFInfo, header: GGUFHeader | Sequence[GGUFHeader] | None = None
    ) -> ModelShape:
        """Build from :func:`inspect_gguf`'s summary and, for exact sizes, the header(s).

        Args:
            info: The model's summary.
            header: Its header, or the headers of all parts of a split model. Tensor sizes are
                used only when headers for every part are given; metadata from the first.

        Raises:
            ValueError: If the model does not say how many layers and heads it has.
        """
        needed = (
            info.block_count,
            info.head_count_kv,
            info.key_length,
            info.value_length,
            info.embedding_length,
        )
        if any(v is None for v in needed) or not info.block_count:
            if info.name:
                raise ValueError(
                    translate(
                        "core.fit",
                        "{name} does not describe its layers and attention heads, so its memory "
                        "use cannot be estimated.",
                    ).format(name=info.name)
                )
            raise ValueError(
                translate(
                    "core.fit",
                    "This model does not describe its layers and attention heads, so its memory "
                    "use cannot be estimated.",
                )
            )
        headers = [header] if isinstance(header, GGUFHeader) else list(header or [])
        n_vocab = _vocab_size(headers[0], info.architecture) if headers else None
        sizes: dict[str, int | bool | None] = {}
        if headers and len(headers) == info.split_count:
            sizes = _tensor_sizes([t for h in headers for t in h.tensors])
        return cls(
            file_size=info.file_size,
            n_layer=info.block_count,
            n_head_kv=info.head_count_kv,  # type: ignore[arg-type]
            key_length=info.key_length,  # type: ignore[arg-type]
            value_length=info.value_length,  # type: ignore[arg-type]
            embedding_length=info.embedding_length,  # type: ignore[arg-type]
            n_head=info.head_count,
            n_vocab=n_vocab,
            train_context=info.context_length,
            **sizes,  # type: ignore[arg-type]
        )

    @property
    def offloadable_layers(self) -> int:
        """``n_layer + 1``: llama.cpp counts the output layer as one more offloadable layer."""
        return self.n_layer + 1

    def block_bytes(self) -> float:
        """Average bytes of one repeating layer's weights."""
        if self.layer_bytes is not None:
            return self.layer_bytes / self.n_layer
        return self.file_size / (self.n_layer + 1)

    def output_layer_bytes(self) -> float:
        """Bytes of the output layer's weights on the GPU once it is offloaded."""
        if self.output_bytes is not None:
            return self.output_bytes
        return self.file_size / (self.n_layer + 1)


def scaled_shape(shape: ModelShape, file_size: int) -> ModelShape:
    """The shape of another quantization of the same model: same layers, another file size.

    The Hub lists every quantization of a model in one repo, and reading one header (over HTTP
    range requests) is enough for all of them: quantizations differ in bytes per weight, not in
    shape, so the tensor byte counts scale with the file size.
    """
    if not shape.file_size or file_size == shape.file_size:
        return dataclasses.replace(shape, file_size=file_size)
    ratio = file_size / shape.file_size

    def scale(n: int | None) -> int | None:
        return None if n is None else int(n * ratio)

    return dataclasses.replace(
        shape,
        file_size=file_size,
        layer_bytes=scale(shape.layer_bytes),
        non_layer_bytes=scale(shape.non_layer_bytes),
        output_bytes=scale(shape.output_bytes),
    )


def _vocab_size(header: GGUFHeader, arch: str | None) -> int | None:
    meta = header.metadata
    value = meta.get(f"{arch}.vocab_size") if arch else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    tokens = meta.get("tokenizer.ggml.tokens")
    if isinstance(tokens, ArrayInfo):
        return tokens.length
    if isinstance(tokens, list) and tokens:
        return len(tokens)
    for t in header.tensors:
        if t.name == "token_embd.weight" and len(t.shape) == 2:
            return t.shape[1]
    return None


def _tensor_sizes(tensors: list) -> dict[str, int | bool | None]:
    layer = sum(t.n_bytes for t in tensors if t.name.startswith("blk."))
    if not layer:  # not a layered model as llama.cpp names them: keep the approximation
        return {}
    other = sum(t.n_bytes for t in tensors if not t.name.startswith("blk."))
    output = sum(t.n_bytes for t in tensors if t.name.startswith("output"))
    tied = not any(t.name == "output.weight" for t in tensors)
    if tied:  # llama.cpp then duplicates the token embeddings onto the output layer's device
        output += sum(t.n_bytes for t in tensors if t.name == "token_embd.weight")
    return {
        "layer_bytes": layer,
        "non_layer_bytes": other,
        "output_bytes": output,
        "tied_output": tied,
    }


def padded_context(n_ctx: int) -> int:
    """The context length llama.cpp actually allocates: rounded up to a multiple of 256."""
    return -(-n_ctx // CTX_PADDING) * CTX_PADDING


def _row_bytes(n_values: int, type_name: str) -> int:
    if type_name not in KV_CACHE_TYPES:
        raise ValueError(
            translate("core.fit", "{name} is not a KV cache type.").format(name=repr(type_name))
        )
    qtype = gguf.GGMLQuantizationType(KV_CACHE_TYPES[type_name])
    block, block_bytes = gguf.GGML_QUANT_SIZES[qtype]
    return -(-n_values // block) * block_bytes


def kv_cache_bytes(shape: ModelShape, n_ctx: int, type_k: str = "f16", type_v: str = "f16") -> int:
    """Bytes of llama.cpp's KV cache for ``n_ctx`` tokens (see the module docstring)."""
    row_k = _row_bytes(shape.n_head_kv * shape.key_length, type_k)
    row_v = _row_bytes(shape.n_head_kv * shape.value_length, type_v)
    return shape.n_layer * padded_context(n_ctx) * (row_k + row_v)


def micro_batch(n_ctx: int, n_batch: int = 512) -> int:
    """Tokens per micro-batch as the worker configures llama.cpp."""
    return max(1, min(n_batch, MAX_UBATCH, n_ctx))


def compute_buffer_bytes(
    shape: ModelShape, n_ctx: int, n_batch: int = 512, flash_attn: bool = False
) -> int:
    """Approximate bytes of llama.cpp's compute buffer (see the module docstring)."""
    u = micro_batch(n_ctx, n_batch)
    ctx = padded_context(n_ctx)
    n_embd = shape.embedding_length
    n_head = shape.n_head or max(1, n_embd // max(1, shape.key_length))
    n_vocab = shape.n_vocab or DEFAULT_VOCAB
    hidden = u * n_embd * F32_BYTES
    output = u * n_vocab * F32_BYTES + 2 * hidden
    if flash_attn:
        attention = u * ctx * 2 + 6 * hidden
    else:
        attention = u * ctx * (n_head + 1) * F32_BYTES + 6 * hidden
    return max(output, attention)


@dataclass(frozen=True)
class FitEstimate:
    """Where a model would go with the given settings, and why.

    Attributes:
        verdict: "full_gpu", "partial", "cpu" or "too_large".
        gpu_layers: Layers to offload (llama.cpp's ``n_gpu_layers``).
        total_layers: Offloadable layers, ``n_layer + 1`` (the output layer counts as one).
        model_bytes: Bytes of weights (the file size).
        kv_bytes: Bytes of the KV cache.
        compute_bytes: Bytes of the work buffers.
        needed_bytes: All three together.
        ram_available: Free RAM measured.
        gpu_free: Free GPU memory measured (0 without a GPU).
        limited_by: "gpu" when GPU memory kept layers off it, "ram" when RAM is too small,
            else "none".
        gpu_bytes: What would be placed on the GPU.
        ram_bytes: What would need RAM (everything, with unified memory).
        gpu_name: The GPU's name, for messages.
        unified: True when GPU and CPU share RAM.
    """

    verdict: str
    gpu_layers: int
    total_layers: int
    model_bytes: int
    kv_bytes: int
    compute_bytes: int
    needed_bytes: int
    ram_available: int
    gpu_free: int
    limited_by: str
    gpu_bytes: int = 0
    ram_bytes: int = 0
    gpu_name: str | None = None
    unified: bool = False

    @property
    def n_gpu_layers(self) -> int:
        """The value for ``LoadOptions.gpu_layers``: -1 for all, else :attr:`gpu_layers`."""
        return -1 if self.verdict == "full_gpu" else self.gpu_layers

    def badge(self) -> str:
        """A short label for a model list, e.g. "Partial: 18 of 33 layers on the GPU"."""
        if self.verdict == "full_gpu":
            return translate("core.fit", "Full GPU offload")
        if self.verdict == "partial":
            return translate("core.fit", "Partial: {layers} of {total} layers on the GPU").format(
                layers=self.gpu_layers, total=self.total_layers
            )
        if self.verdict == "cpu":
            return translate("core.fit", "CPU only")
        return translate("core.fit", "Too large")

    def explain(self) -> str:
        """One sentence with the figures behind the verdict and the number that decided it."""
        figures = {
            "model": human_size(self.model_bytes),
            "context": human_size(self.kv_bytes),
            "buffers": human_size(self.compute_bytes),
            "needed": human_size(self.needed_bytes),
            "gpu": self.gpu_name or translate("core.fit", "the GPU"),
            "gpu_free": human_size(self.gpu_free),
            "ram_free": human_size(self.ram_available),
            "layers": self.gpu_layers,
            "total": self.total_layers,
        }
        if self.verdict == "full_gpu":
            sentence = translate(
                "core.fit",
                "Model {model} + context {context} + work buffers {buffers} = {needed}; "
                "{gpu_free} free on {gpu}, so it all fits on the GPU.",
            )
        elif self.verdict == "partial":
            rest = self.ram_bytes - self.gpu_bytes if self.unified else self.ram_bytes
            figures["rest"] = human_size(rest)
            sentence = translate(
                "core.fit",
                "Model {model} + context {context} + work buffers {buffers} = {needed}; "
                "{gpu_free} free on {gpu} holds {layers} of {total} layers, and the rest "
                "({rest}) fits in {ram_free} free RAM.",
            )
        elif self.verdict == "cpu" and self.gpu_name is None:
            sentence = translate(
                "core.fit",
                "Model {model} + context {context} + work buffers {buffers} = {needed}; "
                "no GPU was found, and it fits in {ram_free} free RAM.",
            )
        elif self.verdict == "cpu":
            sentence = translate(
                "core.fit",
                "Model {model} + context {context} + work buffers {buffers} = {needed}; "
                "{gpu_free} free on {gpu} is too little for any layer, and it fits in "
                "{ram_free} free RAM.",
            )
        elif self.gpu_layers:
            figures["in_ram"] = human_size(self.ram_bytes)
            sentence = translate(
                "core.fit",
                "Model {model} + context {context} + work buffers {buffers} = {needed}; "
                "{in_ram} must be in RAM even with {layers} layers on {gpu}, but only "
                "{ram_free} is free.",
            )
        else:
            figures["in_ram"] = human_size(self.ram_bytes)
            sentence = translate(
                "core.fit",
                "Model {model} + context {context} + work buffers {buffers} = {needed}; "
                "{in_ram} must be in RAM, but only {ram_free} is free.",
            )
        return sentence.format(**figures)


def _gpu_reserve(memory: MemoryInfo) -> int:
    return sum(max(GPU_RESERVE_MIN, int(g.total_bytes * GPU_RESERVE_FRACTION)) for g in memory.gpus)


def estimate_fit(
    shape: ModelShape,
    memory: MemoryInfo,
    *,
    n_ctx: int,
    type_k: str = "f16",
    type_v: str = "f16",
    n_batch: int = 512,
    flash_attn: bool = False,
    reserve_bytes: int | None = None,
    ram_reserve_bytes: int = RAM_RESERVE,
) -> FitEstimate:
    """Estimate how many layers fit on the GPU and whether the rest fits in RAM.

    The largest ``k`` whose GPU share (output layer, ``k - 1`` blocks with their KV cache, and
    the work buffers) fits in free GPU memory less the reserve is chosen; the verdict is
    "too_large" if what is left for RAM still exceeds free RAM less its reserve.

    Args:
        shape: The model.
        memory: What the machine has (:func:`workbench.core.sysmem.detect_memory`).
        n_ctx: Context length; 0 or less means the model's trained context.
        type_k: KV cache type for keys, a name from ``KV_CACHE_TYPES``.
        type_v: KV cache type for values.
        n_batch: Batch size.
        flash_attn: Whether flash attention is on.
        reserve_bytes: GPU headroom; by default per GPU the larger of 512 MiB and 5 %.
        ram_reserve_bytes: RAM headroom for the OS and the app.
    """
    if n_ctx <= 0:
        n_ctx = shape.train_context or 4096
    n = shape.n_layer
    total = shape.offloadable_layers
    kv = kv_cache_bytes(shape, n_ctx, type_k, type_v)
    compute = compute_buffer_bytes(shape, n_ctx, n_batch, flash_attn)
    model = shape.file_size
    block = shape.block_bytes()
    kv_layer = kv / n
    output = shape.output_layer_bytes()

    def gpu_need(k: int) -> float:
        if k == 0:
            return 0
        return output + (k - 1) * (block + kv_layer) + compute

    def cpu_need(k: int) -> float:
        if k == 0:
            return model + kv + compute
        on_gpu_from_file = (k - 1) * block + (0 if shape.tied_output else output)
        return max(0.0, model - on_gpu_from_file) + (n - (k - 1)) * kv_layer

    unified = memory.unified
    ram_budget = memory.ram_available - ram_reserve_bytes
    if not memory.gpus:
        gpu_budget = -1.0
    elif unified:
        # One pool: Metal's budget, but never more than free RAM can back.
        gpu_budget = min(memory.gpu_free, ram_budget)
    else:
        reserve = _gpu_reserve(memory) if reserve_bytes is None else reserve_bytes
        gpu_budget = memory.gpu_free - reserve

    k = 0
    while k < total and gpu_need(k + 1) <= gpu_budget:
        k += 1
    gpu_bytes = gpu_need(k)
    ram_bytes = cpu_need(k) + (gpu_bytes if unified else 0)

    if ram_bytes > ram_budget:
        verdict, limited_by = "too_large", "ram"
    elif k == total:
        verdict, limited_by = "full_gpu", "none"
    elif k > 0:
        verdict, limited_by = "partial", "gpu"
    else:
        verdict, limited_by = "cpu", "gpu" if memory.gpus else "none"
    return FitEstimate(
        verdict=verdict,
        gpu_layers=k,
        total_layers=total,
        model_bytes=model,
        kv_bytes=kv,
        compute_bytes=compute,
        needed_bytes=model + kv + compute,
        ram_available=memory.ram_available,
        gpu_free=memory.gpu_free,
        limited_by=limited_by,
        gpu_bytes=math.ceil(gpu_bytes),
        ram_bytes=math.ceil(ram_bytes),
        gpu_name=memory.gpu_name,
        unified=unified,
    )
