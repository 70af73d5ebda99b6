"""What the installed llama.cpp build can do, asked without loading a model."""

from __future__ import annotations

import ctypes
import functools
import importlib.util
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def _library_path() -> Path | None:
    """llama-cpp-python's ``libllama`` in its package folder, found without importing it."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return None
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib"
    names = {"win32": ("llama.dll", "libllama.dll"), "darwin": ("libllama.dylib",)}
    for name in names.get(sys.platform, ("libllama.so",)):
        if (lib / name).exists():
            return lib / name
    return None


def _ask_library(path: Path) -> bool:
    if sys.platform == "win32":  # the ggml DLLs sit next to llama.dll
        os.add_dll_directory(str(path.parent))
    library = ctypes.CDLL(str(path), mode=getattr(os, "RTLD_GLOBAL", 0) or 0)
    library.llama_supports_gpu_offload.restype = ctypes.c_bool
    library.llama_supports_gpu_offload.argtypes = []
    return bool(library.llama_supports_gpu_offload())


@functools.cache
def gpu_offload_supported() -> bool:
    """True when llama-cpp-python was built with a GPU backend (CUDA, Metal, Vulkan, …).

    Fit estimates use it so that a CPU-only build never promises GPU offload. The library is
    asked directly through ctypes: importing the ``llama_cpp`` package in the window's process
    would cost tens of megabytes and an import long enough to stall the window (the model
    process imports it anyway). Falls back to the package when the library is not found.
    """
    try:
        path = _library_path()
        if path is not None:
            return _ask_library(path)
    except (OSError, AttributeError) as exc:
        log.info("asking %s directly failed (%s); importing llama_cpp", "libllama", exc)
    try:
        import llama_cpp

        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception as exc:  # a missing or broken build: estimate for the CPU
        log.warning("could not ask llama.cpp about GPU support: %s", exc)
        return False
