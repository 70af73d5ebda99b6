"""What the installed llama.cpp build can do, asked without loading a model."""

from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)


@functools.cache
def gpu_offload_supported() -> bool:
    """True when llama-cpp-python was built with a GPU backend (CUDA, Metal, Vulkan, …).

    Loads the llama.cpp library into this process once (a fraction of a second; call it off the
    GUI thread). Fit estimates use it so that a CPU-only build never promises GPU offload.
    """
    try:
        import llama_cpp

        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception as exc:  # a missing or broken build: estimate for the CPU
        log.warning("could not ask llama.cpp about GPU support: %s", exc)
        return False
