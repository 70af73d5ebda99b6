"""The GPU-support question, asked of libllama directly, matches llama-cpp-python's answer."""

from __future__ import annotations

import subprocess
import sys


def test_direct_answer_matches_the_package():
    code = (
        "import sys\n"
        "from workbench.core.local.capabilities import _ask_library, _library_path\n"
        "path = _library_path()\n"
        "assert path is not None and path.exists(), path\n"
        "direct = _ask_library(path)\n"
        "assert 'llama_cpp' not in sys.modules  # answered without importing the package\n"
        "import llama_cpp\n"
        "print(direct, bool(llama_cpp.llama_supports_gpu_offload()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split()
    assert out[0] == out[1]


def test_cached_and_boolean():
    from workbench.core.local.capabilities import gpu_offload_supported

    assert gpu_offload_supported() in (True, False)
    assert gpu_offload_supported() is gpu_offload_supported()
