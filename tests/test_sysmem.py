"""Tests for workbench.core.sysmem: RAM and GPU detection with canned tool output."""

from __future__ import annotations

import subprocess
import sys
import types
from collections import namedtuple

import pytest

from workbench.core import sysmem
from workbench.core.sysmem import GiB, GPUInfo, MemoryInfo, MiB

VM = namedtuple("VM", "total available")
_real_nvml_gpus = sysmem._nvml_gpus  # kept before the autouse fixture replaces it

TWO_GPUS = """\
NVIDIA GeForce RTX 4090, 24564, 23012
NVIDIA RTX A2000 12GB, 12282, 11000
"""


@pytest.fixture(autouse=True)
def fake_machine(monkeypatch):
    """A Linux machine with 32 GiB RAM, no pynvml and no tools unless a test provides them."""
    sysmem.clear_cache()
    monkeypatch.setattr(sysmem.psutil, "virtual_memory", lambda: VM(32 * GiB, 20 * GiB))
    monkeypatch.setattr(sysmem, "platform_facts", lambda: ("linux", "x86_64"))
    monkeypatch.setattr(sysmem, "_nvml_gpus", lambda: None)
    monkeypatch.setitem(sys.modules, "pynvml", None)  # importing it fails, as on most machines
    yield
    sysmem.clear_cache()


def use_commands(monkeypatch, answers: dict[str, object]) -> list[tuple[str, ...]]:
    """Answer commands by their first word: a string is stdout, an exception is raised."""
    calls: list[tuple[str, ...]] = []

    def run(args, timeout):
        calls.append(tuple(args))
        answer = answers.get(args[0], FileNotFoundError(args[0]))
        if isinstance(answer, BaseException):
            raise answer
        return answer

    monkeypatch.setattr(sysmem, "run_command", run)
    return calls


def test_ram_comes_from_psutil(monkeypatch):
    use_commands(monkeypatch, {})
    info = sysmem.detect_memory()
    assert (info.ram_total, info.ram_available) == (32 * GiB, 20 * GiB)
    assert info.gpus == () and info.gpu_free == 0 and info.gpu_name is None


def test_two_nvidia_gpus_from_nvidia_smi(monkeypatch):
    calls = use_commands(monkeypatch, {"nvidia-smi": TWO_GPUS})
    info = sysmem.detect_memory()
    assert calls[0] == sysmem.NVIDIA_SMI
    assert info.gpus == (
        GPUInfo("NVIDIA GeForce RTX 4090", 24564 * MiB, 23012 * MiB, "cuda"),
        GPUInfo("NVIDIA RTX A2000 12GB", 12282 * MiB, 11000 * MiB, "cuda"),
    )
    assert info.gpu_free == (23012 + 11000) * MiB
    assert info.gpu_total == (24564 + 12282) * MiB
    assert info.gpu_name == "2 GPUs"
    assert not info.unified and info.notes == ()


def test_gpu_name_with_a_comma_is_kept_whole():
    gpus = sysmem.parse_nvidia_smi("Tesla T4, rev 2, 15360, 15000\n")
    assert gpus == [GPUInfo("Tesla T4, rev 2", 15360 * MiB, 15000 * MiB, "cuda")]


def test_two_identical_gpus_are_named_once():
    gpu = GPUInfo("NVIDIA A100", 80 * GiB, 70 * GiB, "cuda")
    assert MemoryInfo(1, 1, (gpu, gpu)).gpu_name == "2 × NVIDIA A100"


@pytest.mark.parametrize(
    ("answer", "note"),
    [
        ("<html>Something went wrong</html>\n", "could not be read"),
        ("NVIDIA GeForce RTX 4090, [N/A], [N/A]\n", "could not be read"),
        ("", "could not be read"),
        (subprocess.TimeoutExpired("nvidia-smi", 3), "did not answer within 3 seconds"),
        (subprocess.CalledProcessError(9, "nvidia-smi"), "failed with exit status 9"),
        (FileNotFoundError("nvidia-smi"), "nvidia-smi was not found"),
        (PermissionError("nvidia-smi"), "could not be read"),
    ],
)
def test_nvidia_smi_failures_give_no_gpu_and_a_note(monkeypatch, answer, note):
    use_commands(monkeypatch, {"nvidia-smi": answer})
    info = sysmem.detect_memory()
    assert info.gpus == ()
    assert info.ram_available == 20 * GiB
    assert any(note in n for n in info.notes), info.notes


def test_pynvml_is_preferred_when_installed(monkeypatch):
    mem = types.SimpleNamespace(total=8 * GiB, free=6 * GiB)
    shut = []
    fake = types.SimpleNamespace(
        nvmlInit=lambda: None,
        nvmlShutdown=lambda: shut.append(True),
        nvmlDeviceGetCount=lambda: 1,
        nvmlDeviceGetHandleByIndex=lambda i: i,
        nvmlDeviceGetName=lambda h: b"NVIDIA GeForce RTX 3070",
        nvmlDeviceGetMemoryInfo=lambda h: mem,
    )
    monkeypatch.setitem(sys.modules, "pynvml", fake)
    monkeypatch.setattr(sysmem, "_nvml_gpus", _real_nvml_gpus)
    calls = use_commands(monkeypatch, {"nvidia-smi": TWO_GPUS})
    info = sysmem.detect_memory()
    assert info.gpus == (GPUInfo("NVIDIA GeForce RTX 3070", 8 * GiB, 6 * GiB, "cuda"),)
    assert calls == [] and shut == [True]


def test_failing_pynvml_falls_back_to_nvidia_smi(monkeypatch):
    def fail():
        raise RuntimeError("NVML Shared Library Not Found")

    monkeypatch.setitem(sys.modules, "pynvml", types.SimpleNamespace(nvmlInit=fail))
    monkeypatch.setattr(sysmem, "_nvml_gpus", _real_nvml_gpus)
    use_commands(monkeypatch, {"nvidia-smi": "NVIDIA L4, 23034, 22000\n"})
    assert sysmem.detect_memory().gpu_free == 22000 * MiB


def test_rocm_smi_is_read_when_there_is_no_nvidia_gpu(monkeypatch):
    rocm = (
        '{"card0": {"Card Series": "Radeon RX 7900 XTX", "VRAM Total Memory (B)": "25753026560",'
        ' "VRAM Total Used Memory (B)": "1073741824"}}'
    )
    use_commands(monkeypatch, {"rocm-smi": rocm})
    info = sysmem.detect_memory()
    assert info.gpus == (GPUInfo("Radeon RX 7900 XTX", 25753026560, 25753026560 - GiB, "rocm"),)


def test_gpu_false_skips_all_tools(monkeypatch):
    calls = use_commands(monkeypatch, {"nvidia-smi": TWO_GPUS})
    info = sysmem.detect_memory(gpu=False)
    assert info.gpus == () and calls == []


@pytest.mark.parametrize(
    ("ram", "wired_mb", "budget"),
    [
        (16 * GiB, None, 16 * GiB * 2 // 3),
        (36 * GiB, None, 24 * GiB),
        (64 * GiB, None, 48 * GiB),
        (64 * GiB, 0, 48 * GiB),
        (64 * GiB, 57344, 56 * GiB),
    ],
)
def test_metal_budget(ram, wired_mb, budget):
    assert sysmem.metal_budget(ram, wired_mb) == budget


def test_apple_silicon_has_unified_memory(monkeypatch):
    monkeypatch.setattr(sysmem, "platform_facts", lambda: ("darwin", "arm64"))
    monkeypatch.setattr(sysmem.psutil, "virtual_memory", lambda: VM(16 * GiB, 12 * GiB))

    def run(args, timeout):
        if args[-1] == "iogpu.wired_limit_mb":
            return "0\n"
        if args[-1] == "machdep.cpu.brand_string":
            return "Apple M2 Pro\n"
        raise AssertionError(f"unexpected command {args}")

    monkeypatch.setattr(sysmem, "run_command", run)
    info = sysmem.detect_memory()
    budget = 16 * GiB * 2 // 3
    assert info.gpus == (GPUInfo("Apple M2 Pro", budget, budget, "metal", unified=True),)
    assert info.unified and info.gpu_free == budget and info.gpu_name == "Apple M2 Pro"


def test_apple_budget_is_capped_by_free_ram_and_honours_the_wired_limit(monkeypatch):
    monkeypatch.setattr(sysmem, "platform_facts", lambda: ("darwin", "arm64"))
    monkeypatch.setattr(sysmem.psutil, "virtual_memory", lambda: VM(32 * GiB, 10 * GiB))
    use_commands(monkeypatch, {"sysctl": "28672\n"})
    info = sysmem.detect_memory()
    (gpu,) = info.gpus
    assert gpu.total_bytes == 28 * GiB
    assert gpu.free_bytes == info.gpu_free == 10 * GiB


def test_intel_mac_has_no_gpu(monkeypatch):
    monkeypatch.setattr(sysmem, "platform_facts", lambda: ("darwin", "x86_64"))
    calls = use_commands(monkeypatch, {})
    assert sysmem.detect_memory().gpus == () and calls == []


def test_results_are_cached_until_they_age(monkeypatch):
    calls = use_commands(monkeypatch, {"nvidia-smi": TWO_GPUS})
    first = sysmem.detect_memory()
    assert sysmem.detect_memory() is first
    assert len(calls) == 1
    fresh = sysmem.detect_memory(max_age=0)
    assert fresh == first and fresh is not first and len(calls) == 2


def test_detect_memory_never_raises(monkeypatch):
    def broken():
        raise OSError("no /proc")

    monkeypatch.setattr(sysmem.psutil, "virtual_memory", broken)
    monkeypatch.setattr(sysmem, "platform_facts", lambda: 1 / 0)
    info = sysmem.detect_memory()
    assert (info.ram_total, info.ram_available, info.gpus) == (0, 0, ())
    assert info.notes


@pytest.mark.parametrize(
    ("answer", "unknown"),
    [
        (FileNotFoundError("nvidia-smi"), False),  # no tool: simply no GPU
        (subprocess.TimeoutExpired("nvidia-smi", 3), True),  # a GPU may be there, unread
        (subprocess.CalledProcessError(9, "nvidia-smi"), True),
        ("garbage\n", True),
        (TWO_GPUS, False),
    ],
)
def test_gpu_unknown_only_when_a_tool_failed(monkeypatch, answer, unknown):
    use_commands(monkeypatch, {"nvidia-smi": answer})
    assert sysmem.detect_memory().gpu_unknown is unknown
