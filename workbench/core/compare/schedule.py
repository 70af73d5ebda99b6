"""Which local targets can be loaded at the same time.

Each local target needs its own model process, so two 8 GB models on a 16 GB machine cannot run
side by side. :func:`plan_groups` packs the local targets, in order, into groups that fit in
memory together (first fit, using the same estimate as the fit badges); a round runs the groups
one after the other, each group's models at once. Cloud targets always run at once.

:func:`split_threads` shares the CPU cores between models that generate together: llama.cpp's
default (all cores each) makes two models fight over every core, which is slower in sum than
giving each its share.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workbench.core.fit import ModelShape, estimate_fit
from workbench.core.options import LoadOptions
from workbench.core.sysmem import GPUInfo, MemoryInfo


@dataclass(frozen=True)
class LocalNeed:
    """What a local target asks of memory: its shape and the load options that matter."""

    shape: ModelShape | None  # None: unreadable header; such a target runs on its own
    n_ctx: int
    type_k: str = "f16"
    type_v: str = "f16"
    flash_attn: bool = False


def need_of(path: str | os.PathLike, load: LoadOptions | None = None) -> LocalNeed:
    """What loading ``path`` with ``load`` asks of memory (reads the file's header(s)).

    An unreadable or damaged file gives ``shape=None``: it is scheduled on its own, and loading
    it then says what is wrong.
    """
    load = load or LoadOptions()
    return LocalNeed(
        shape=ModelShape.from_file(path),
        n_ctx=load.context_length,
        type_k=load.kv_cache_type,
        type_v=load.kv_cache_type,
        flash_attn=load.flash_attention,
    )


def _less(memory: MemoryInfo, ram: int, gpu: int) -> MemoryInfo:
    """``memory`` with ``ram`` bytes of RAM and ``gpu`` bytes of GPU memory taken."""
    gpus = list(memory.gpus)
    if gpus and gpu:
        first = gpus[0]
        gpus[0] = dataclasses.replace(first, free_bytes=max(0, first.free_bytes - gpu))
    return dataclasses.replace(
        memory, ram_available=max(0, memory.ram_available - ram), gpus=tuple(gpus)
    )


def fits_together(needs: Sequence[LocalNeed], memory: MemoryInfo) -> bool:
    """Whether all of ``needs`` fit in ``memory`` at once."""
    left = memory
    for need in needs:
        if need.shape is None:
            return len(needs) == 1
        est = estimate_fit(
            need.shape,
            left,
            n_ctx=need.n_ctx,
            type_k=need.type_k,
            type_v=need.type_v,
            flash_attn=need.flash_attn,
        )
        if est.verdict == "too_large":
            return False
        gpu_taken = est.gpu_bytes if not left.unified else 0
        left = _less(left, est.ram_bytes, gpu_taken)
    return True


def plan_groups(needs: Sequence[LocalNeed], memory: MemoryInfo) -> list[list[int]]:
    """Indexes of ``needs`` in groups that fit together, in order; every index appears once.

    A model too large even alone gets a group of its own (loading it then says why it failed).
    """
    groups: list[list[int]] = []
    for i in range(len(needs)):
        for group in groups:
            if fits_together([needs[j] for j in [*group, i]], memory):
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


def split_threads(count: int, cores: int | None = None) -> int:
    """Threads per model when ``count`` models generate at once (at least 1)."""
    cores = cores or LoadOptions().resolved_threads()
    return max(1, cores // max(1, count))


def fake_memory(ram_bytes: int) -> MemoryInfo:
    """A machine with ``ram_bytes`` free and no GPU (tests and what-if figures)."""
    return MemoryInfo(ram_total=ram_bytes, ram_available=ram_bytes, gpus=())


MemoryProbe = Callable[[], MemoryInfo]
__all__ = [
    "GPUInfo",
    "LocalNeed",
    "MemoryProbe",
    "fake_memory",
    "fits_together",
    "need_of",
    "plan_groups",
    "split_threads",
]
