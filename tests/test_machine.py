"""This computer in one line: memory, graphics card, and what would let Workbench use it."""

from __future__ import annotations

from workbench.core.fit import GiB
from workbench.core.machine import Machine, describe, detect_machine, gpu_advice
from workbench.core.sysmem import GPUInfo, MemoryInfo

CARD = GPUInfo("NVIDIA GeForce RTX 4070", 12 * GiB, 11 * GiB, "cuda")
MEM = MemoryInfo(16 * GiB, 9 * GiB, (CARD,))


def test_a_usable_card():
    line = describe(Machine(MEM, gpu_build=True))
    assert "RTX 4070" in line and "used for models" in line and "cannot" not in line
    assert Machine(MEM, True).memory_for_fit().gpus == (CARD,)


def test_a_card_this_build_cannot_use_names_the_fix():
    line = describe(Machine(MEM, gpu_build=False))
    assert "cannot use it" in line and "-DGGML_CUDA=on" in line
    assert Machine(MEM, False).memory_for_fit().gpus == ()
    packaged = gpu_advice(Machine(MEM, gpu_build=False, frozen=True))
    assert "CUDA variant" in packaged and "CMAKE" not in packaged
    amd = MemoryInfo(16 * GiB, 9 * GiB, (GPUInfo("Radeon", 8 * GiB, 8 * GiB, "rocm"),))
    assert "-DGGML_VULKAN=on" in gpu_advice(Machine(amd, gpu_build=False))


def test_no_card():
    line = describe(Machine(MemoryInfo(16 * GiB, 9 * GiB), gpu_build=False))
    assert line.startswith("17.2 GB memory (9.7 GB free)") and "processor" in line
    assert gpu_advice(Machine(MemoryInfo(16 * GiB, 9 * GiB), gpu_build=False)) == ""


def test_this_computer_is_described():
    assert "memory" in describe(detect_machine())
