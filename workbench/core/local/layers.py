"""How many layers go on the GPU: the "Auto" plan, the out-of-memory retry, and what worked.

*Auto* (``LoadOptions.gpu_layers is None``) takes the fit estimate of :mod:`workbench.core.fit`
against the free GPU memory measured at load time and puts on the GPU as many layers as fit
while leaving room for the chosen context, its work buffers and the estimate's safety margin.
Without a GPU build, without a GPU, or when the GPU's free memory cannot be read, Auto means
the CPU. A manual number always wins.

A load that fails for lack of graphics memory (llama.cpp's own words in the model process's
log, see :func:`looks_like_out_of_memory`) is tried again with half the layers, a quarter, and
then on the CPU (:func:`retry_layers`). What worked is remembered per model file
(:class:`LayerMemory`), and Auto takes no more than that next time.

The sentences are kept in one place (:data:`SENTENCES`), marked for the catalogue and
translated where they are said (:meth:`LayerPlan.sentence`, :func:`retry_sentence`), so the
window, the command line and the model's load note say the same thing in the same words.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core import paths
from workbench.core.i18n import QT_TRANSLATE_NOOP, decimal, translate
from workbench.core.options import LoadOptions
from workbench.core.sysmem import MemoryInfo

log = logging.getLogger(__name__)

#: why a plan chose its layers; the window translates each
REASONS = (
    "manual",  # a number the user set
    "manual_no_build",  # a number the user set, but this build cannot use a GPU
    "all",  # Auto: every layer fits
    "partial",  # Auto: some layers fit, the context needs the rest of the memory
    "remembered",  # Auto: no more than loaded last time after running out of memory
    "remembered_cpu",  # Auto: the CPU, since even few layers ran out of memory last time
    "no_build",  # Auto: this build of llama.cpp has no GPU support
    "no_gpu",  # Auto: no GPU was found
    "unknown_memory",  # Auto: a GPU tool failed, so its free memory is unknown
    "too_little",  # Auto: not even one layer fits
    "unknown_model",  # Auto: the file's layers could not be read
)

SENTENCES = {
    "manual_all": QT_TRANSLATE_NOOP(
        "core.local.layers", "All {total} layers on your GPU (set by hand)"
    ),
    "manual_all_unknown": QT_TRANSLATE_NOOP(
        "core.local.layers", "All layers on your GPU (set by hand)"
    ),
    "manual_some": QT_TRANSLATE_NOOP(
        "core.local.layers", "{layers} of {total} layers on your GPU (set by hand)"
    ),
    "manual_some_unknown": QT_TRANSLATE_NOOP(
        "core.local.layers", "{layers} layers on your GPU (set by hand)"
    ),
    "manual_cpu": QT_TRANSLATE_NOOP("core.local.layers", "On the CPU (set by hand)"),
    "manual_no_build": QT_TRANSLATE_NOOP(
        "core.local.layers", "On the CPU — this build of Workbench cannot use your graphics card"
    ),
    "all": QT_TRANSLATE_NOOP("core.local.layers", "Auto: all {total} layers on your GPU"),
    "partial": QT_TRANSLATE_NOOP(
        "core.local.layers",
        "Auto: {layers} of {total} layers on your GPU, to leave room for a context of "
        "{n_ctx} tokens",
    ),
    "remembered": QT_TRANSLATE_NOOP(
        "core.local.layers",
        "Auto: {layers} of {total} layers on your GPU, as many as loaded last time without "
        "running out of graphics memory",
    ),
    "remembered_cpu": QT_TRANSLATE_NOOP(
        "core.local.layers", "Auto: on the CPU — the graphics memory ran out last time"
    ),
    "no_build": QT_TRANSLATE_NOOP(
        "core.local.layers",
        "Auto: on the CPU — this build of Workbench cannot use your graphics card",
    ),
    "no_gpu": QT_TRANSLATE_NOOP("core.local.layers", "Auto: on the CPU — no graphics card found"),
    "unknown_memory": QT_TRANSLATE_NOOP(
        "core.local.layers", "Auto: on the CPU — the graphics card's free memory could not be read"
    ),
    "too_little": QT_TRANSLATE_NOOP(
        "core.local.layers",
        "Auto: on the CPU — your graphics card has too little free memory for this model",
    ),
    "unknown_model": QT_TRANSLATE_NOOP(
        "core.local.layers", "Auto: on the CPU — this file does not say how large its layers are"
    ),
    "retried_gpu": QT_TRANSLATE_NOOP(
        "core.local.layers",
        "Not enough graphics memory for {tried} layers; loaded with {layers} on the GPU.",
    ),
    "retried_cpu": QT_TRANSLATE_NOOP(
        "core.local.layers", "Not enough graphics memory for {tried} layers; loaded on the CPU."
    ),
    "retried_all_gpu": QT_TRANSLATE_NOOP(
        "core.local.layers",
        "Not enough graphics memory for all layers; loaded with {layers} on the GPU.",
    ),
    "retried_all_cpu": QT_TRANSLATE_NOOP(
        "core.local.layers", "Not enough graphics memory for all layers; loaded on the CPU."
    ),
}

#: llama.cpp's words for an allocation that failed (CUDA, ROCm/HIP, Vulkan, Metal, ggml),
#: matched lower-case against the model process's log and the load error
OUT_OF_MEMORY_MARKS = (
    "out of memory",
    "failed to allocate",
    "unable to allocate",
    "cudamalloc failed",
    "hipmalloc failed",
    "erroroutofdevicememory",
    "outofdevicememory",
    "insufficient memory",
)

#: Test hook: a pretend GPU that holds this many layers. The model process then fails a load
#: with more (or -1) as llama.cpp fails when the GPU's memory runs out, printing its words, and
#: reports GPU support; the plan counts this build as able to use a GPU. So the retry can be
#: tested on any machine. Never set outside tests.
FAKE_GPU_LAYERS_ENV = "WORKBENCH_TEST_GPU_LAYER_LIMIT"

#: GPU attempts before the CPU: the planned count, then half, then a quarter
GPU_TRIES = 3


@dataclass(frozen=True)
class LayerPlan:
    """The layers to offload and why.

    Attributes:
        layers: ``n_gpu_layers`` for llama.cpp: 0 is the CPU; -1 (all) only when the model's
            layer count is unknown.
        total: Offloadable layers (``n_layer + 1``), None when unknown.
        reason: One of :data:`REASONS`.
        n_ctx: The context length the plan left room for.
    """

    layers: int
    total: int | None
    reason: str
    n_ctx: int

    @property
    def auto(self) -> bool:
        return not self.reason.startswith("manual")

    @property
    def on_gpu(self) -> int:
        """Layers on the GPU as a count (``total`` for -1, 0 when unknown)."""
        if self.layers < 0:
            return self.total or 0
        return self.layers if self.total is None else min(self.layers, self.total)

    def sentence(self) -> str:
        """One sentence, translated, for the window, the command line and the load note, e.g.
        "Auto: all 31 layers on your GPU"."""
        key = self.reason
        if key == "manual":
            if self.layers == 0:
                key = "manual_cpu"
            elif self.layers < 0 or (self.total is not None and self.layers >= self.total):
                key = "manual_all" if self.total else "manual_all_unknown"
            else:
                key = "manual_some" if self.total else "manual_some_unknown"
        return translate("core.local.layers", SENTENCES[key]).format(
            layers=self.on_gpu, total=self.total, n_ctx=decimal(self.n_ctx, 0)
        )


@dataclass(frozen=True)
class Remembered:
    """What happened last time with one model file: the most layers that loaded after a
    failure, and the fewest that failed for lack of memory, at which context length."""

    worked: int | None = None
    failed: int | None = None
    n_ctx: int = 0


def plan_gpu_layers(
    options: LoadOptions,
    *,
    shape: Any,
    memory: MemoryInfo | None,
    gpu_supported: bool,
    remembered: Remembered | None = None,
) -> LayerPlan:
    """Choose the GPU layers for a load (a pure function of what it is given).

    Args:
        options: The load options; a number in ``gpu_layers`` wins, None is Auto.
        shape: The model's :class:`~workbench.core.fit.ModelShape`, None when unreadable.
        memory: Free memory now (:func:`~workbench.core.sysmem.detect_memory`); None: unknown.
        gpu_supported: Whether this llama.cpp build can offload to a GPU at all.
        remembered: What happened with this file before (:meth:`LayerMemory.get`).
    """
    from workbench.core.fit import estimate_fit

    total = shape.offloadable_layers if shape is not None else None
    n_ctx = options.context_length
    manual = options.gpu_layers
    if manual is not None:
        if not gpu_supported:
            return LayerPlan(0, total, "manual_no_build", n_ctx)
        layers = manual
        if total is not None and (manual < 0 or manual > total):
            layers = total
        return LayerPlan(layers, total, "manual", n_ctx)
    if not gpu_supported:
        # Only say the build is the obstacle when there is a graphics card it could use.
        no_card = memory is not None and not memory.gpu_unknown and not memory.gpus
        return LayerPlan(0, total, "no_gpu" if no_card else "no_build", n_ctx)
    if memory is None or memory.gpu_unknown:
        return LayerPlan(0, total, "unknown_memory", n_ctx)
    if not memory.gpus:
        return LayerPlan(0, total, "no_gpu", n_ctx)
    if shape is None:
        return LayerPlan(0, None, "unknown_model", n_ctx)
    fit = estimate_fit(
        shape,
        memory,
        n_ctx=n_ctx,
        type_k=options.kv_cache_type,
        type_v=options.kv_cache_type,
        n_batch=options.batch_size,
        flash_attn=options.flash_attention,
    )
    layers = fit.gpu_layers
    if (
        remembered is not None
        and remembered.failed is not None
        and layers >= remembered.failed
        and n_ctx >= remembered.n_ctx
    ):
        limit = remembered.worked if remembered.worked is not None else remembered.failed // 2
        layers = min(layers, limit)
        return LayerPlan(layers, total, "remembered" if layers else "remembered_cpu", n_ctx)
    if layers >= total:
        return LayerPlan(total, total, "all", n_ctx)
    if layers > 0:
        return LayerPlan(layers, total, "partial", n_ctx)
    return LayerPlan(0, total, "too_little", n_ctx)


def retry_layers(layers: int, total: int | None) -> list[int]:
    """The layer counts to try in order: ``layers``, half, a quarter, then 0 (the CPU)."""
    if layers < 0:
        if total is None:
            return [layers, 0]
        layers = total
    tries: list[int] = []
    n = layers
    while n > 0 and len(tries) < GPU_TRIES:
        if n not in tries:
            tries.append(n)
        n //= 2
    return [*tries, 0]


def retry_sentence(tried: int, layers: int) -> str:
    """What the retry did, in one sentence: "Not enough graphics memory for 31 layers; …"."""
    key = (
        ("retried_gpu" if layers > 0 else "retried_cpu")
        if tried > 0
        else ("retried_all_gpu" if layers > 0 else "retried_all_cpu")
    )
    return translate("core.local.layers", SENTENCES[key]).format(tried=tried, layers=layers)


def looks_like_out_of_memory(text: str) -> bool:
    """True when llama.cpp's output says an allocation failed (see OUT_OF_MEMORY_MARKS)."""
    lowered = text.lower()
    return any(mark in lowered for mark in OUT_OF_MEMORY_MARKS)


class LayerMemory:
    """GPU layers that worked, per model file, in ``gpu_layers.json`` in the data folder.

    A file is known by its full path and size, so a new download under the same name starts
    afresh. Written under the file's lock (:class:`~workbench.core.state.JsonFile`), so two
    processes loading models never undo each other's record.
    """

    FILE_NAME = "gpu_layers.json"

    def __init__(self, path: Path | None = None) -> None:
        from workbench.core.state import JsonFile

        self._file = JsonFile(path or paths.data_dir() / self.FILE_NAME)

    @staticmethod
    def key(model: str | os.PathLike) -> str | None:
        try:
            p = Path(model).resolve()
            return f"{p}|{p.stat().st_size}"
        except OSError:
            return None

    def get(self, model: str | os.PathLike) -> Remembered | None:
        key = self.key(model)
        entry = self._file.load().get(key) if key else None
        if not isinstance(entry, dict):
            return None

        def count(name: str) -> int | None:
            v = entry.get(name)
            return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None

        return Remembered(count("worked"), count("failed"), count("n_ctx") or 0)

    def failed(self, model: str | os.PathLike, layers: int, n_ctx: int) -> None:
        """``layers`` ran out of graphics memory with a context of ``n_ctx``."""
        self._change(model, lambda e: _on_failure(e, layers, n_ctx))

    def worked(self, model: str | os.PathLike, layers: int) -> None:
        """``layers`` loaded."""
        self._change(model, lambda e: _on_success(e, layers))

    def _change(self, model: str | os.PathLike, change: Callable[[dict], dict | None]) -> None:
        key = self.key(model)
        if key is None:
            return

        def apply(data: dict) -> dict:
            entry = change(dict(data.get(key) or {}))
            if entry:
                data[key] = {**entry, "at": int(time.time())}
            else:
                data.pop(key, None)
            return data

        try:
            self._file.update(apply)
        except OSError as exc:  # remembering is a convenience; never fail a load over it
            log.warning("could not remember the GPU layers of %s: %s", model, exc)


def _on_failure(entry: dict, layers: int, n_ctx: int) -> dict:
    failed = entry.get("failed")
    if not isinstance(failed, int) or layers < failed:
        entry["failed"] = layers
        entry["n_ctx"] = n_ctx
    return entry


def _on_success(entry: dict, layers: int) -> dict | None:
    failed = entry.get("failed")
    if isinstance(failed, int) and layers >= failed:
        return None  # more than once failed now fits: the old limit no longer holds
    if not isinstance(failed, int):
        return None  # nothing learnt: Auto's estimate is enough
    entry["worked"] = layers
    return entry


def plan_for_file(
    path: str | os.PathLike,
    options: LoadOptions,
    *,
    memory: MemoryInfo | None = None,
    gpu_supported: bool | None = None,
    store: LayerMemory | None = None,
) -> LayerPlan:
    """:func:`plan_gpu_layers` for a local file, measuring what is not given (slow: run it off
    the GUI thread). Free memory is measured afresh, as it is at load time."""
    from workbench.core.fit import ModelShape
    from workbench.core.local.capabilities import gpu_offload_supported
    from workbench.core.sysmem import detect_memory

    if gpu_supported is None:
        gpu_supported = gpu_offload_supported() or FAKE_GPU_LAYERS_ENV in os.environ
    shape = ModelShape.from_file(path)
    if options.gpu_layers is None and memory is None:
        memory = detect_memory(max_age=0)
    remembered = (store or LayerMemory()).get(path) if options.gpu_layers is None else None
    return plan_gpu_layers(
        options, shape=shape, memory=memory, gpu_supported=gpu_supported, remembered=remembered
    )
