"""llama.cpp's own ``llama-bench``, built from the source our llama-cpp-python vendors.

The engine benchmarks compare Workbench with the engine underneath it, so the reference must be
the same llama.cpp at the same commit, compiled the way llama-cpp-python compiles it (Release,
native CPU flags). Built once and cached outside the repository:

    ~/.cache/workbench-bench/llama-bench-<llama-cpp-python version>/bin/llama-bench

``WORKBENCH_LLAMA_BENCH=/path/to/llama-bench`` uses another binary instead. Building needs
``cmake`` and a C++ compiler, and the llama-cpp-python source from PyPI (``pip download``);
about five minutes on two cores.

    uv run python bench/llamabench.py          # build (if needed) and print the path
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "workbench-bench"


def _version() -> str:
    return importlib.metadata.version("llama-cpp-python")


def _pip() -> list[str]:
    for python in (sys.executable, shutil.which("python3") or ""):
        if (
            python
            and subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode
            == 0
        ):
            return [python, "-m", "pip"]
    if shutil.which("uvx"):
        return ["uvx", "pip"]
    raise SystemExit("llama-bench: no pip to fetch the llama-cpp-python source with")


def _cmake() -> str:
    found = shutil.which("cmake")
    if found:
        return found
    raise SystemExit(
        "llama-bench: cmake is needed to build it (apt install cmake, or pip install cmake)"
    )


def _source(workdir: Path, version: str) -> Path:
    subprocess.run(
        [
            *_pip(),
            "download",
            "-q",
            "--no-deps",
            "--no-binary",
            ":all:",
            f"llama-cpp-python=={version}",
            "-d",
            str(workdir),
        ],
        check=True,
    )
    archive = next(workdir.glob("llama_cpp_python-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    return workdir / f"llama_cpp_python-{version}" / "vendor" / "llama.cpp"


def build(version: str | None = None) -> Path:
    version = version or _version()
    target = _cache_dir() / f"llama-bench-{version}"
    binary = target / "bin" / "llama-bench"
    if binary.exists():
        return binary
    cmake = _cmake()
    with tempfile.TemporaryDirectory() as tmp:
        src = _source(Path(tmp), version)
        build_dir = Path(tmp) / "build"
        print(
            f"building llama-bench from llama.cpp as vendored in llama-cpp-python {version} ...",
            file=sys.stderr,
        )
        subprocess.run(
            [
                cmake,
                "-S",
                str(src),
                "-B",
                str(build_dir),
                "-DCMAKE_BUILD_TYPE=Release",
                "-DLLAMA_CURL=OFF",
                "-DLLAMA_BUILD_TESTS=OFF",
                "-DLLAMA_BUILD_EXAMPLES=OFF",
                "-DLLAMA_BUILD_SERVER=OFF",
                "-DLLAMA_BUILD_TOOLS=ON",
                "-DBUILD_SHARED_LIBS=OFF",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [
                cmake,
                "--build",
                str(build_dir),
                "--target",
                "llama-bench",
                "-j",
                str(os.cpu_count() or 2),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (target / "bin").mkdir(parents=True, exist_ok=True)
        shutil.copy2(build_dir / "bin" / "llama-bench", binary.with_suffix(".tmp"))
        os.replace(binary.with_suffix(".tmp"), binary)
    return binary


def locate() -> Path:
    given = os.environ.get("WORKBENCH_LLAMA_BENCH")
    return Path(given) if given else build()


def run(model: Path, *args: str) -> list[dict]:
    """One ``llama-bench`` run; its JSON records (one per test), with ``avg_ts`` in tokens/s."""
    out = subprocess.run(
        [str(locate()), "-m", str(model), "-o", "json", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


if __name__ == "__main__":
    print(locate())
