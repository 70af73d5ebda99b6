"""How much memory this machine has for a model: free RAM and, where one is found, GPU memory.

RAM comes from psutil. NVIDIA GPUs are read through NVML (``pynvml``) when it is installed and
otherwise from ``nvidia-smi``; AMD GPUs from ``rocm-smi``. On Apple Silicon the GPU shares RAM,
and Metal lets a process keep only part of it resident (``recommendedMaxWorkingSetSize``);
that limit is not readable without Objective-C, so it is approximated from the RAM size, as
documented in :func:`metal_budget`. GPUs reachable only through Vulkan (most Intel and some AMD
ones) are not detected, so estimates for them assume the CPU.

Nothing here raises: a tool that is missing, hangs or prints nonsense gives "no GPU" plus a
note saying why, because an estimate must never stop the app from listing models.
"""

from __future__ import annotations

import contextlib
import json
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psutil

from workbench.core.i18n import translate

MiB = 2**20
GiB = 2**30
CACHE_SECONDS = 5.0
COMMAND_TIMEOUT_S = 3.0

NVIDIA_SMI = (
    "nvidia-smi",
    "--query-gpu=name,memory.total,memory.free",
    "--format=csv,noheader,nounits",
)
ROCM_SMI = ("rocm-smi", "--showproductname", "--showmeminfo", "vram", "--json")


@dataclass(frozen=True)
class GPUInfo:
    """One GPU as llama.cpp would see it.

    Attributes:
        name: The device name, e.g. "NVIDIA GeForce RTX 4070".
        total_bytes: Its memory; for unified memory, the share Metal lets one process use.
        free_bytes: What is free now; for unified memory, that share capped by free RAM.
        backend: "cuda", "metal", "vulkan" or "rocm".
        unified: True when the GPU shares the machine's RAM (Apple Silicon).
    """

    name: str
    total_bytes: int
    free_bytes: int
    backend: str
    unified: bool = False


@dataclass(frozen=True)
class MemoryInfo:
    """Free RAM and the GPUs found, with notes on any detection that failed."""

    ram_total: int
    ram_available: int
    gpus: tuple[GPUInfo, ...] = ()
    notes: tuple[str, ...] = ()
    #: True when a GPU tool exists but failed or hung, so there may be a GPU whose free memory
    #: is unknown (a missing tool is simply no GPU)
    gpu_unknown: bool = False

    @property
    def unified(self) -> bool:
        """True when the GPU shares RAM, so GPU and CPU draw from one pool."""
        return any(g.unified for g in self.gpus)

    @property
    def gpu_free(self) -> int:
        """Bytes free for model layers on the GPU(s).

        Discrete GPUs add up, since llama.cpp spreads layers over all of them by free memory.
        A unified GPU gives its budget instead, which is already part of free RAM.
        """
        unified = [g.free_bytes for g in self.gpus if g.unified]
        if unified:
            return max(unified)
        return sum(g.free_bytes for g in self.gpus)

    @property
    def gpu_total(self) -> int:
        """Total memory of the GPU(s), counted the same way as :attr:`gpu_free`."""
        unified = [g.total_bytes for g in self.gpus if g.unified]
        if unified:
            return max(unified)
        return sum(g.total_bytes for g in self.gpus)

    @property
    def gpu_name(self) -> str | None:
        """A short name for the GPU(s) to show the user, or None without a GPU."""
        if not self.gpus:
            return None
        if len(self.gpus) == 1:
            return self.gpus[0].name
        if len({g.name for g in self.gpus}) == 1:
            return f"{len(self.gpus)} × {self.gpus[0].name}"
        return translate("core.sysmem", "{count} GPUs").format(count=len(self.gpus))


# Injection points for tests: a command runner and the platform facts. The runner returns the
# command's stdout and raises OSError (not found), subprocess.TimeoutExpired or
# subprocess.CalledProcessError like subprocess.run does.
def run_command(args: Sequence[str], timeout: float) -> str:
    """Run a command and return its stdout; raises like :func:`subprocess.run` with check."""
    # Without this flag every call would flash a console window on Windows.
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
    done = subprocess.run(
        list(args),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
        creationflags=flags,
    )
    return done.stdout


def platform_facts() -> tuple[str, str]:
    """(``sys.platform``, CPU architecture), e.g. ("darwin", "arm64")."""
    return sys.platform, platform.machine().lower()


def parse_nvidia_smi(text: str) -> list[GPUInfo]:
    """Parse ``nvidia-smi --query-gpu=name,memory.total,memory.free`` CSV output (MiB).

    Raises:
        ValueError: If a line is not "name, total, free" with whole numbers.
    """
    gpus = []
    for line in text.splitlines():
        if not line.strip():
            continue
        # The name may itself contain commas, so the numbers are taken from the right.
        name, total, free = (part.strip() for part in line.rsplit(",", 2))
        if not name:
            raise ValueError(f"no GPU name in {line!r}")
        gpus.append(GPUInfo(name, int(total) * MiB, int(free) * MiB, "cuda"))
    if not gpus:
        raise ValueError("no GPUs listed")
    return gpus


def parse_rocm_smi(text: str) -> list[GPUInfo]:
    """Parse ``rocm-smi --showproductname --showmeminfo vram --json`` output (bytes).

    Raises:
        ValueError: If no card with VRAM figures is listed.
    """
    data = json.loads(text)
    gpus = []
    for card, fields in sorted(data.items()) if isinstance(data, dict) else ():
        if not isinstance(fields, dict) or "VRAM Total Memory (B)" not in fields:
            continue
        total = int(fields["VRAM Total Memory (B)"])
        used = int(fields.get("VRAM Total Used Memory (B)", 0))
        name = str(fields.get("Card Series") or fields.get("Card series") or card)
        gpus.append(GPUInfo(name, total, max(0, total - used), "rocm"))
    if not gpus:
        raise ValueError("no GPUs listed")
    return gpus


def metal_budget(ram_total: int, wired_limit_mb: int | None = None) -> int:
    """The share of RAM Metal lets one process keep on the GPU of an Apple Silicon Mac.

    An approximation of ``recommendedMaxWorkingSetSize``: about 2/3 of RAM on Macs with up to
    36 GiB and 3/4 above, as observed on M1 to M4 machines. A limit the user set with
    ``sysctl iogpu.wired_limit_mb`` replaces it when it is above zero.
    """
    if wired_limit_mb and wired_limit_mb > 0:
        return wired_limit_mb * MiB
    return ram_total * 2 // 3 if ram_total <= 36 * GiB else ram_total * 3 // 4


def _nvml_gpus() -> list[GPUInfo] | None:
    """NVIDIA GPUs through NVML, or None when pynvml is missing or NVML fails."""
    try:
        import pynvml  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
    except Exception:
        return None
    try:
        gpus = []
        for i in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(i)
            name = pynvml.nvmlDeviceGetName(handle)
            if isinstance(name, bytes):  # older pynvml versions return bytes
                name = name.decode("utf-8", "replace")
            mem = pynvml.nvmlDeviceGetMemoryInfo(handle)
            gpus.append(GPUInfo(str(name), int(mem.total), int(mem.free), "cuda"))
        return gpus
    except Exception:
        return None
    finally:
        with contextlib.suppress(Exception):
            pynvml.nvmlShutdown()


def _tool_gpus(
    args: Sequence[str], parse: Callable[[str], list[GPUInfo]], notes: list[str], *, quiet: bool
) -> list[GPUInfo] | None:
    """GPUs from a command-line tool; failures add a note (a missing tool only if not quiet).

    Returns None when the tool is there but failed, hung or printed nonsense: a GPU may exist.
    """
    tool = args[0]
    try:
        return parse(run_command(args, COMMAND_TIMEOUT_S))
    except FileNotFoundError:
        if not quiet:
            notes.append(
                translate(
                    "core.sysmem", "{tool} was not found, so no NVIDIA GPU was detected"
                ).format(tool=tool)
            )
        return []
    except subprocess.TimeoutExpired:
        notes.append(
            translate("core.sysmem", "{tool} did not answer within {seconds} seconds").format(
                tool=tool, seconds=f"{COMMAND_TIMEOUT_S:g}"
            )
        )
    except subprocess.CalledProcessError as e:
        notes.append(
            translate("core.sysmem", "{tool} failed with exit status {status}").format(
                tool=tool, status=e.returncode
            )
        )
    except (OSError, ValueError, TypeError, KeyError) as e:
        notes.append(
            translate("core.sysmem", "{tool} gave output that could not be read ({error})").format(
                tool=tool, error=e
            )
        )
    return None


def _apple_gpu(ram_total: int, ram_available: int) -> GPUInfo:
    wired_mb = None
    with contextlib.suppress(Exception):
        wired_mb = int(run_command(("sysctl", "-n", "iogpu.wired_limit_mb"), 1.0).strip())
    budget = metal_budget(ram_total, wired_mb)
    name = "Apple GPU"
    with contextlib.suppress(Exception):
        name = run_command(("sysctl", "-n", "machdep.cpu.brand_string"), 1.0).strip() or name
    return GPUInfo(name, budget, min(budget, ram_available), "metal", unified=True)


def _detect(gpu: bool) -> MemoryInfo:
    notes: list[str] = []
    try:
        vm = psutil.virtual_memory()
        ram_total, ram_available = int(vm.total), int(vm.available)
    except Exception as e:
        ram_total = ram_available = 0
        notes.append(
            translate("core.sysmem", "free RAM could not be read ({error})").format(error=e)
        )
    gpus: list[GPUInfo] = []
    unknown = False
    if gpu:
        os_name, machine = platform_facts()
        if os_name == "darwin":
            if machine in ("arm64", "aarch64"):
                gpus.append(_apple_gpu(ram_total, ram_available))
        else:
            nvml = _nvml_gpus()
            if nvml is not None:
                gpus = nvml
            else:
                found = _tool_gpus(NVIDIA_SMI, parse_nvidia_smi, notes, quiet=False)
                unknown = found is None
                gpus = found or []
            if not gpus and os_name.startswith("linux"):
                found = _tool_gpus(ROCM_SMI, parse_rocm_smi, notes, quiet=True)
                unknown = unknown or found is None
                gpus = found or []
    return MemoryInfo(
        ram_total, ram_available, tuple(gpus), tuple(notes), gpu_unknown=unknown and not gpus
    )


_cache: dict[bool, tuple[float, MemoryInfo]] = {}
_cache_lock = threading.Lock()


def detect_memory(*, gpu: bool = True, max_age: float = CACHE_SECONDS) -> MemoryInfo:
    """Free RAM and GPU memory now; never raises.

    Results are reused for ``max_age`` seconds, since a model list asks once per row and each
    ``nvidia-smi`` call costs tens of milliseconds.

    Args:
        gpu: Look for GPUs; False gives RAM only (e.g. when llama.cpp was built without GPU
            support).
        max_age: How old a cached answer may be, in seconds; 0 always measures afresh.
    """
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(gpu)
        if hit and now - hit[0] < max_age:
            return hit[1]
    try:
        info = _detect(gpu)
    except Exception as e:  # a last guard: an estimate is never worth a crash
        note = translate("core.sysmem", "memory could not be measured ({error})").format(error=e)
        info = MemoryInfo(0, 0, (), (note,))
    with _cache_lock:
        _cache[gpu] = (time.monotonic(), info)
    return info


def clear_cache() -> None:
    """Forget cached results, so the next :func:`detect_memory` measures again."""
    with _cache_lock:
        _cache.clear()
