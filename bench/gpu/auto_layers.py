"""Automatic GPU layers on a real GPU: what Auto chose, whether the load worked, and the
out-of-memory retry against a GPU that is really full.

    python3 bench/gpu/auto_layers.py MODEL.gguf

1. Auto at a 4,096-token context on an idle GPU (a small model: every layer should go there).
2. A "hog" model process takes most of the GPU's memory (every layer and a huge context).
3. Auto again, with what is free now: the plan's sentence, and whether that load worked (the
   estimate against reality).
4. Every layer by hand with the hog's huge context: more than is free, so llama.cpp fails to
   allocate and the load is retried with fewer layers, then on the CPU; the sentence says which.

Prints one line per step; figures, not assertions. Uses a data folder of its own.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from workbench.core.backend import ChatMessage, Error, Stats
from workbench.core.local.capabilities import gpu_offload_supported
from workbench.core.local.host import LocalBackend, ModelLoadError
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.sysmem import detect_memory
from workbench.core.units import human_size

HOG_CTX = 1_048_576  # every layer plus this context takes tens of GB of GPU memory


def free_gpu() -> str:
    memory = detect_memory(max_age=0)
    if not memory.gpus:
        return "no GPU found" + (f" ({'; '.join(memory.notes)})" if memory.notes else "")
    return f"{human_size(memory.gpu_free)} free of {human_size(memory.gpu_total)}"


def try_load(label: str, path: str, options: LoadOptions) -> LocalBackend | None:
    backend = LocalBackend(path, options)
    started = time.perf_counter()
    try:
        info = backend.load()
    except ModelLoadError as exc:
        print(
            f"{label}: load FAILED after {time.perf_counter() - started:.1f} s ({exc.kind}): {exc}"
        )
        return None
    print(
        f"{label}: loaded in {info.load_s:.1f} s, {info.gpu_layers} of {info.total_layers} layers "
        f"on the GPU, context {info.n_ctx}; retried: {info.gpu_retried}; says: {info.gpu_note}"
    )
    return backend


def answer(backend: LocalBackend) -> str:
    reply = backend.start_reply(
        [ChatMessage(role="user", content="Say hi.")], SamplingParams(max_tokens=8, temperature=0.0)
    )
    for event in reply:
        if isinstance(event, Error):
            return f"reply failed: {event.message}"
        if isinstance(event, Stats):
            return f"reply ok ({event.completion_tokens} tokens, {event.finish_reason})"
    return "reply ended without a result"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    path = sys.argv[1]
    os.environ.setdefault("WORKBENCH_HOME", tempfile.mkdtemp(prefix="wb-auto-layers-"))
    print(f"GPU before: {free_gpu()}")

    idle = try_load("1 Auto, idle GPU, ctx 4096", path, LoadOptions(context_length=4096))
    if idle is not None:
        print(f"  {answer(idle)}")
        idle.unload()

    if not gpu_offload_supported():
        # Without a GPU the hog's context would only fill the RAM: the rest means nothing here.
        print("this llama.cpp build cannot use a GPU: steps 2-4 skipped")
        return 0
    hog = try_load(
        f"2 hog: all layers, ctx {HOG_CTX}",
        path,
        LoadOptions(gpu_layers=-1, context_length=HOG_CTX),
    )
    print(f"GPU with the hog: {free_gpu()}")

    auto = try_load("3 Auto beside the hog, ctx 131072", path, LoadOptions(context_length=131_072))
    if auto is not None:
        print(f"  {answer(auto)}")
        auto.unload()

    forced = try_load(
        f"4 all layers by hand beside the hog, ctx {HOG_CTX}",
        path,
        LoadOptions(gpu_layers=-1, context_length=HOG_CTX),
    )
    if forced is not None:
        print(f"  {answer(forced)}")
        forced.unload()
    if hog is not None:
        hog.unload()
    print(f"GPU after: {free_gpu()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
