"""Check a packaged build's self-test report against the variant it was built as.

    Workbench --selftest --model M.gguf > report.json
    python packaging/check_selftest.py report.json --variant cuda --bundle dist/Workbench --model

Prints each check and exits 1 when the report failed, when the build isn't frozen, when the
bundle lacks the variant's llama.cpp backend (or, for cpu, holds a GPU one), or, with
--expect-gpu, when llama.cpp found no GPU to offload to.

``gpu_offload`` is llama.cpp's llama_supports_gpu_offload(): true only when a GPU *device* was
found, not merely when a GPU backend was compiled in. On a machine without that GPU (or its
driver) a CUDA or Vulkan bundle reports false and runs on the CPU, so the backend is checked by
its library in the bundle, and --expect-gpu is only for machines that have the GPU.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

GPU_BACKENDS = {"cuda": "ggml-cuda", "vulkan": "ggml-vulkan", "metal": "ggml-metal"}


def backend_libraries(bundle: Path) -> dict[str, list[str]]:
    """The GPU backend libraries under the bundle (ggml-cuda.dll, libggml-vulkan.so.0, …)."""
    found: dict[str, list[str]] = {variant: [] for variant in GPU_BACKENDS}
    for folder, _dirs, files in os.walk(bundle):
        for name in files:
            if not name.endswith((".dll", ".dylib", ".so")) and ".so." not in name:
                continue
            for variant, stem in GPU_BACKENDS.items():
                if stem in name:
                    found[variant].append(os.path.relpath(os.path.join(folder, name), bundle))
    return found


def check(report: dict, variant: str, bundle: Path | None, model: bool, expect_gpu: bool) -> list:
    """The problems with this report; empty when it passes."""
    problems = []
    for item in report.get("checks", []):
        extra = {k: v for k, v in item.items() if k not in ("name", "ok", "seconds")}
        mark = "ok  " if item.get("ok") else "FAIL"
        print(f"  {mark} {item.get('name')}: {json.dumps(extra, ensure_ascii=False)}")
        if not item.get("ok"):
            problems.append(f"check '{item.get('name')}' failed")
    if not report.get("ok") and not problems:
        problems.append("the report says it failed")
    if not report.get("frozen"):
        problems.append("the report comes from an unpackaged run (frozen is false)")
    names = {item.get("name") for item in report.get("checks", [])}
    if model and "generate" not in names:
        problems.append("no generate check: was --model given?")
    llama = next((c for c in report.get("checks", []) if c.get("name") == "llama_cpp"), {})
    offload = llama.get("gpu_offload")
    print(f"  llama.cpp backends: {llama.get('backends')}, gpu_offload: {offload}")
    if expect_gpu and offload is not True:
        problems.append("gpu_offload is not true on a machine that has the GPU")
    if bundle is not None:
        found = backend_libraries(bundle)
        for name, files in found.items():
            if files:
                print(f"  {name} backend: {', '.join(sorted(files))}")
        if variant in GPU_BACKENDS and not found[variant]:
            problems.append(f"the bundle has no {GPU_BACKENDS[variant]} library")
        stray = [name for name, files in found.items() if files and name != variant]
        if stray:
            problems.append(f"the {variant} bundle holds other GPU backends: {', '.join(stray)}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=Path, help="the JSON printed by --selftest")
    parser.add_argument("--variant", required=True, choices=["cpu", *GPU_BACKENDS])
    parser.add_argument("--bundle", type=Path, help="dist/Workbench or dist/Workbench.app")
    parser.add_argument("--model", action="store_true", help="the self-test was given --model")
    parser.add_argument("--expect-gpu", action="store_true", help="this machine has the GPU")
    args = parser.parse_args(argv)

    text = args.report.read_text(encoding="utf-8", errors="replace").strip()
    try:
        report = json.loads(text)
    except ValueError:
        print(f"check_selftest: {args.report} holds no JSON report:\n{text[-2000:]}")
        return 1
    problems = check(report, args.variant, args.bundle, args.model, args.expect_gpu)
    for problem in problems:
        print(f"check_selftest: {problem}")
    print("check_selftest: " + ("FAILED" if problems else f"passed ({args.variant})"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
