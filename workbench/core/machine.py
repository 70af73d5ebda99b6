"""This computer in plain words: memory, graphics card, and whether this build can use it.

The facts come from :mod:`workbench.core.sysmem` (memory and GPUs, looked for even when this
build cannot use them, so the user learns what they are missing) and
:mod:`workbench.core.local.capabilities` (whether llama.cpp was built with a GPU backend). When
the build cannot use the card found, :func:`gpu_advice` says which build would.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from workbench.core.i18n import QT_TRANSLATE_NOOP, translate
from workbench.core.sysmem import MemoryInfo
from workbench.core.units import human_size

# Between the memory and the graphics card in the one-line summary.
SEPARATOR = " · "
# The source install's rebuild per GPU kind, as the README's "GPU builds" table gives them.
_REBUILD = {
    "cuda": 'CMAKE_ARGS="-DGGML_CUDA=on" uv sync --reinstall-package llama-cpp-python --no-cache',
    "vulkan": 'CMAKE_ARGS="-DGGML_VULKAN=on" uv sync --reinstall-package llama-cpp-python '
    "--no-cache",
}
# The packaged app's variants (CPU, CUDA, Vulkan, Metal).
_INSTALLER = {
    "cuda": QT_TRANSLATE_NOOP(
        "core.machine", "Install the CUDA variant of the Workbench installer to use it."
    ),
    "vulkan": QT_TRANSLATE_NOOP(
        "core.machine", "Install the Vulkan variant of the Workbench installer to use it."
    ),
    "metal": QT_TRANSLATE_NOOP(
        "core.machine", "Install the Metal variant of the Workbench installer to use it."
    ),
}


@dataclass(frozen=True)
class Machine:
    """What this computer offers a local model.

    Attributes:
        memory: RAM and the GPUs found (looked for whatever the build).
        gpu_build: Whether this build of llama.cpp can offload to a GPU.
        frozen: Whether this is the packaged app (advice names an installer, not a command).
    """

    memory: MemoryInfo
    gpu_build: bool
    frozen: bool = False

    @property
    def gpu_used(self) -> bool:
        """Whether a local model can use a graphics card here."""
        return self.gpu_build and bool(self.memory.gpus)

    def memory_for_fit(self) -> MemoryInfo:
        """The memory to estimate fits with: without GPUs when this build cannot use them."""
        if self.gpu_used:
            return self.memory
        return MemoryInfo(self.memory.ram_total, self.memory.ram_available, (), self.memory.notes)


def gpu_advice(machine: Machine) -> str:
    """What would let this computer use its graphics card, or "" when nothing is needed."""
    memory = machine.memory
    if machine.gpu_used or not memory.gpus:
        return ""
    kind = memory.gpus[0].backend  # "cuda", "rocm", "metal": AMD cards go through Vulkan
    if machine.frozen:
        return translate("core.machine", _INSTALLER.get(kind, _INSTALLER["vulkan"]))
    if kind == "metal":
        return translate(
            "core.machine",
            "Reinstall llama-cpp-python on macOS to use it: Metal is enabled there by default.",
        )
    command = _REBUILD.get(kind, _REBUILD["vulkan"])
    return translate("core.machine", "To use it, rebuild with GPU support: {command}").format(
        command=command
    )


def describe(machine: Machine) -> str:
    """This computer in one line a non-programmer understands.

    e.g. "16 GB memory (9.1 GB free) · NVIDIA GeForce RTX 4070 with 12 GB, used for models."
    """
    m = machine.memory
    ram = translate("core.machine", "{total} memory ({free} free)").format(
        total=human_size(m.ram_total), free=human_size(m.ram_available)
    )
    if not m.gpus:
        if machine.gpu_build:
            gpu_part = translate(
                "core.machine",
                "no graphics card that Workbench can use; models run on the processor.",
            )
        else:
            gpu_part = translate("core.machine", "models run on the processor.")
        return f"{ram}{SEPARATOR}{gpu_part}"
    gpu = m.gpu_name or translate("core.machine", "a graphics card")
    if m.unified and machine.gpu_used:
        text = translate("core.machine", "{gpu}, sharing the memory, used for models.")
    elif m.unified:
        text = translate(
            "core.machine",
            "{gpu}, sharing the memory, but this build of Workbench cannot use it. {advice}",
        )
    elif machine.gpu_used:
        text = translate("core.machine", "{gpu} with {total} ({free} free), used for models.")
    else:
        text = translate(
            "core.machine",
            "{gpu} with {total} ({free} free), but this build of Workbench cannot use it. {advice}",
        )
    gpu_part = text.format(
        gpu=gpu,
        total=human_size(m.gpu_total),
        free=human_size(m.gpu_free),
        advice="" if machine.gpu_used else gpu_advice(machine),
    ).strip()
    return f"{ram}{SEPARATOR}{gpu_part}"


def detect_machine() -> Machine:
    """This computer now (blocking for up to a few seconds: run it off the GUI thread)."""
    from workbench.core.local.capabilities import gpu_offload_supported
    from workbench.core.sysmem import detect_memory

    return Machine(
        memory=detect_memory(gpu=True),
        gpu_build=gpu_offload_supported(),
        frozen=bool(getattr(sys, "frozen", False)),
    )
