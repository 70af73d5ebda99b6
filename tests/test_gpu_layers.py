"""Automatic GPU layers: the plan on given free memory, the out-of-memory retry with the real test
model, what is remembered, and the options and command line that carry "Auto"."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from workbench.cli.common import add_load_options, load_options
from workbench.core.fit import ModelShape
from workbench.core.local import layers as L
from workbench.core.local.host import LocalBackend, ModelLoadError
from workbench.core.options import LoadOptions, OptionError, sanitized
from workbench.core.sysmem import GPUInfo, MemoryInfo

GiB = 2**30
MiB = 2**20

# A 7B-like model: 32 blocks of ~120 MiB each, 4.3 GB in all.
SHAPE = ModelShape(
    file_size=4_300 * MiB,
    n_layer=32,
    n_head_kv=8,
    key_length=128,
    value_length=128,
    embedding_length=4096,
    n_head=32,
    n_vocab=32_000,
)


def machine(gpu_free_gib: float | None, *, unknown: bool = False) -> MemoryInfo:
    gpus = ()
    if gpu_free_gib is not None:
        gpus = (GPUInfo("Test GPU", 24 * GiB, int(gpu_free_gib * GiB), "cuda"),)
    return MemoryInfo(64 * GiB, 48 * GiB, gpus, gpu_unknown=unknown)


def plan(options: LoadOptions | None = None, **kw) -> L.LayerPlan:
    kw.setdefault("shape", SHAPE)
    kw.setdefault("gpu_supported", True)
    return L.plan_gpu_layers(options or LoadOptions(), **kw)


# -- the plan ----------------------------------------------------------------------------------


def test_all_layers_fit():
    p = plan(memory=machine(20))
    assert (p.layers, p.total, p.reason) == (33, 33, "all")
    assert p.sentence() == "Auto: all 33 layers on your GPU"


def test_some_layers_fit_leaving_room_for_the_context():
    options = LoadOptions(context_length=8192)
    p = plan(options, memory=machine(3))
    assert p.reason == "partial" and 0 < p.layers < 33
    assert p.sentence() == (
        f"Auto: {p.layers} of 33 layers on your GPU, to leave room for a context of 8,192 tokens"
    )
    # A longer context takes memory that layers had: fewer fit.
    longer = plan(LoadOptions(context_length=32768), memory=machine(3))
    assert longer.layers < p.layers


def test_no_layer_fits():
    p = plan(memory=machine(0.6))  # less than the GPU's own reserve
    assert (p.layers, p.reason) == (0, "too_little")
    assert p.sentence().startswith("Auto: on the CPU")


@pytest.mark.parametrize(
    ("kw", "reason", "sentence"),
    [
        (
            {"gpu_supported": False, "memory": machine(20)},
            "no_build",
            "Auto: on the CPU — this build of Workbench cannot use your graphics card",
        ),
        ({"memory": machine(None)}, "no_gpu", "Auto: on the CPU — no graphics card found"),
        (
            {"memory": machine(None, unknown=True)},
            "unknown_memory",
            "Auto: on the CPU — the graphics card's free memory could not be read",
        ),
        (
            {"memory": None},
            "unknown_memory",
            "Auto: on the CPU — the graphics card's free memory could not be read",
        ),
    ],
)
def test_auto_means_the_cpu_without_a_usable_gpu(kw, reason, sentence):
    p = plan(**kw)
    assert (p.layers, p.reason) == (0, reason)
    assert p.sentence() == sentence


def test_a_manual_value_wins():
    p = plan(LoadOptions(gpu_layers=5), memory=machine(20))
    assert (p.layers, p.reason) == (5, "manual")
    assert p.sentence() == "5 of 33 layers on your GPU (set by hand)"
    p = plan(LoadOptions(gpu_layers=-1), memory=machine(0.1))  # even where nothing fits
    assert (p.layers, p.sentence()) == (33, "All 33 layers on your GPU (set by hand)")
    assert plan(LoadOptions(gpu_layers=0), memory=machine(20)).sentence() == (
        "On the CPU (set by hand)"
    )


@pytest.mark.parametrize("gpu_layers", [None, -1, 0, 12, 99])
@pytest.mark.parametrize("memory", [machine(20), machine(3), machine(None), None])
def test_a_build_without_gpu_support_never_says_the_gpu(gpu_layers, memory):
    p = plan(LoadOptions(gpu_layers=gpu_layers), memory=memory, gpu_supported=False)
    assert p.layers == 0 and p.on_gpu == 0
    assert "on your GPU" not in p.sentence() and "on the GPU" not in p.sentence()


def test_remembered_limit_is_used_by_auto_only_at_the_same_or_a_longer_context():
    remembered = L.Remembered(worked=16, failed=33, n_ctx=4096)
    p = plan(memory=machine(20), remembered=remembered)
    assert (p.layers, p.reason) == (16, "remembered")
    assert "as many as loaded last time" in p.sentence()
    shorter = plan(LoadOptions(context_length=2048), memory=machine(20), remembered=remembered)
    assert shorter.reason == "all"  # less context, more room: the old failure says nothing
    manual = plan(LoadOptions(gpu_layers=-1), memory=machine(20), remembered=remembered)
    assert manual.layers == 33
    # Failed even low and never loaded on the GPU: the CPU, saying why.
    cpu = plan(memory=machine(20), remembered=L.Remembered(worked=0, failed=1, n_ctx=4096))
    assert (cpu.layers, cpu.reason) == (0, "remembered_cpu")


def test_retry_steps_halve_then_cpu():
    assert L.retry_layers(33, 33) == [33, 16, 8, 0]
    assert L.retry_layers(-1, 31) == [31, 15, 7, 0]
    assert L.retry_layers(-1, None) == [-1, 0]
    assert L.retry_layers(2, 33) == [2, 1, 0]
    assert L.retry_sentence(33, 16) == (
        "Not enough graphics memory for 33 layers; loaded with 16 on the GPU."
    )
    assert L.retry_sentence(33, 0) == "Not enough graphics memory for 33 layers; loaded on the CPU."


@pytest.mark.parametrize(
    "line",
    [
        "ggml_backend_cuda_buffer_type_alloc_buffer: allocating 4096.00 MiB on device 0: "
        "cudaMalloc failed: out of memory",
        "alloc_tensor_range: failed to allocate CUDA0 buffer of size 4294967296",
        "llama_model_load: error loading model: unable to allocate CUDA0 buffer",
        "ggml_vulkan: Device memory allocation of size 123 failed. ErrorOutOfDeviceMemory",
        "ggml_gallocr_reserve_n: failed to allocate Metal buffer of size 99",
    ],
)
def test_llama_cpp_out_of_memory_lines_are_recognised(line):
    assert L.looks_like_out_of_memory(line)


def test_other_load_failures_are_not_out_of_memory():
    assert not L.looks_like_out_of_memory(
        "llama_model_load: error loading model: unknown model architecture: 'foo'"
    )


def test_layer_memory_round_trip(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"x" * 10)
    store = L.LayerMemory(tmp_path / "gpu_layers.json")
    assert store.get(model) is None
    store.failed(model, 33, 4096)
    store.failed(model, 16, 4096)
    store.worked(model, 8)
    assert store.get(model) == L.Remembered(worked=8, failed=16, n_ctx=4096)
    model.write_bytes(b"x" * 11)  # another file under the same name starts afresh
    assert store.get(model) is None
    model.write_bytes(b"x" * 10)
    store.worked(model, 20)  # more than once failed now loads: the limit is gone
    assert store.get(model) is None


# -- options and the command line ----------------------------------------------------------------


def test_auto_is_the_default_and_saved_values_keep_working():
    assert LoadOptions().gpu_layers is None
    LoadOptions().validate()
    assert LoadOptions.from_dict(json.loads(json.dumps(LoadOptions().to_dict()))).gpu_layers is None
    for old in (-1, 0, 24):
        assert sanitized(LoadOptions, {"gpu_layers": old}).gpu_layers == old
    assert sanitized(LoadOptions, {"gpu_layers": "many"}).gpu_layers is None
    with pytest.raises(OptionError):
        LoadOptions(gpu_layers=-2).validate()


@pytest.mark.parametrize(("given", "wanted"), [([], None), (["auto"], None), (["7"], 7)])
def test_cli_gpu_layers_auto_or_a_number(given, wanted):
    import argparse

    parser = argparse.ArgumentParser()
    add_load_options(parser)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args(["--gpu-layers", *given] if given else [])
    assert load_options(args).gpu_layers == wanted
    with pytest.raises(SystemExit):
        parser.parse_args(["--gpu-layers", "many"])


# -- with the real model ------------------------------------------------------------------------


def big_gpu() -> tuple[bool, MemoryInfo]:
    return True, machine(20)


@pytest.mark.model
def test_out_of_memory_load_retries_with_fewer_layers_and_is_remembered(
    test_model, monkeypatch, tmp_path
):
    # The model process pretends to be on a GPU that holds 20 layers (see FAKE_GPU_LAYERS_ENV).
    monkeypatch.setenv(L.FAKE_GPU_LAYERS_ENV, "20")
    store = L.LayerMemory(tmp_path / "gpu_layers.json")
    backend = LocalBackend(
        test_model, LoadOptions(context_length=512), hardware=big_gpu, layer_memory=store
    )
    try:
        info = backend.load()
        assert (info.gpu_layers, info.total_layers, info.gpu_retried) == (15, 31, True)
        assert info.gpu_note == (
            "Not enough graphics memory for 31 layers; loaded with 15 on the GPU."
        )
        assert backend.is_loaded
    finally:
        backend.unload()
    assert store.get(test_model) == L.Remembered(worked=15, failed=31, n_ctx=512)

    # Next time Auto goes straight to what worked: one try, no retry.
    again = LocalBackend(
        test_model, LoadOptions(context_length=512), hardware=big_gpu, layer_memory=store
    )
    try:
        info = again.load()
        assert (info.gpu_layers, info.gpu_retried) == (15, False)
        assert info.gpu_note.startswith("Auto: 15 of 31 layers on your GPU")
    finally:
        again.unload()


@pytest.mark.model
def test_out_of_memory_down_to_the_cpu(test_model, monkeypatch, tmp_path):
    monkeypatch.setenv(L.FAKE_GPU_LAYERS_ENV, "0")  # not a single layer fits
    store = L.LayerMemory(tmp_path / "gpu_layers.json")
    backend = LocalBackend(
        test_model,
        LoadOptions(context_length=512, gpu_layers=4),
        hardware=big_gpu,
        layer_memory=store,
    )
    try:
        info = backend.load()
        assert (info.gpu_layers, info.gpu_tried) == (0, 4)
        assert info.gpu_note == "Not enough graphics memory for 4 layers; loaded on the CPU."
    finally:
        backend.unload()


def test_a_failure_that_is_not_memory_is_not_retried(tmp_path):
    from ggufgen import write_tiny_gguf

    path = write_tiny_gguf(tmp_path / "alien.gguf", arch="alien")
    backend = LocalBackend(path, LoadOptions(gpu_layers=8), hardware=big_gpu)
    with pytest.raises(ModelLoadError) as caught:
        backend.load()
    assert caught.value.kind != "out_of_memory"


def cli(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


@pytest.mark.model
def test_cli_says_what_the_retry_did(test_model, monkeypatch):
    monkeypatch.setenv(L.FAKE_GPU_LAYERS_ENV, "20")
    model = str(test_model)
    result = cli("chat", "--model", model, "--ctx", "512", "--gpu-layers", "-1", *QUICK, "--stats")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert "note: Not enough graphics memory for 31 layers; loaded with 15 on the GPU." in lines
    assert json.loads(lines[-1])["gpu_layers"] == 15


@pytest.mark.model
def test_cli_accepts_gpu_layers_auto(test_model):
    result = cli("chat", "--model", str(test_model), "--ctx", "512", "--gpu-layers", "auto", *QUICK)
    assert result.returncode == 0, result.stderr
    assert "note:" not in result.stderr  # nothing went wrong, so nothing to say
    bad = cli("chat", "--model", str(test_model), "--gpu-layers", "many", "--prompt", "Hi")
    assert bad.returncode == 2 and "must be auto or a whole number" in bad.stderr


QUICK = ("--max-tokens", "4", "--prompt", "Hi", "--no-save")
