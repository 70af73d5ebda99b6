"""Tests for workbench.core.fit: the memory formula against hand-computed and measured figures."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import gguf
import pytest
from ggufgen import write_tiny_gguf

from workbench.core.fit import (
    FitEstimate,
    ModelShape,
    compute_buffer_bytes,
    estimate_fit,
    kv_cache_bytes,
    padded_context,
)
from workbench.core.gguf_file import GGUFInfo, check_gguf, inspect_gguf, read_header
from workbench.core.sysmem import GiB, GPUInfo, MemoryInfo, MiB

# SmolLM2-135M-Instruct Q4_1 (the test model), as its header describes it.
SMOL = ModelShape(
    file_size=98_362_432,
    n_layer=30,
    n_head_kv=3,
    key_length=64,
    value_length=64,
    embedding_length=576,
    n_head=9,
    n_vocab=49152,
    train_context=8192,
    layer_bytes=66_493_440,
    non_layer_bytes=30_083_328,
    output_bytes=30_083_328,
    tied_output=True,
)

# A 7B-like model without header details: 32 layers, 8 KV heads of 128, 4.1 GB.
SEVEN_B = ModelShape(
    file_size=4_100_000_000,
    n_layer=32,
    n_head_kv=8,
    key_length=128,
    value_length=128,
    embedding_length=4096,
    n_head=32,
    n_vocab=32000,
)
# Hand-computed for SEVEN_B at n_ctx 4096, f16 cache, batch 512, no flash attention:
SEVEN_B_KV = 32 * 4096 * 8 * (128 * 2 + 128 * 2)  # 536,870,912 = 512 MiB
SEVEN_B_COMPUTE = 512 * 4096 * (32 + 1) * 4 + 6 * 512 * 4096 * 4  # attention: 327,155,712
SEVEN_B_LAYER = 4_100_000_000 / 33  # no header: file size over n_layer + 1 = 124,242,424.24

# What llama.cpp (llama-cpp-python 0.3.36, CPU) printed for the test model, in MiB:
# (n_ctx, n_batch, flash attention, cache type) -> (KV cache size, CPU compute buffer size)
MEASURED = {
    (512, 512, False, "f16"): (11.25, 98.25),
    (512, 512, True, "f16"): (11.25, 98.25),
    (1000, 512, False, "f16"): (22.50, 98.25),  # the context is padded to 1024
    (2048, 512, False, "f16"): (45.00, 99.38),
    (2048, 512, True, "f16"): (45.00, 102.51),
    (2100, 512, False, "f16"): (50.62, 99.38),  # padded to 2304
    (4096, 512, False, "f16"): (90.00, 99.38),
    (4096, 512, True, "f16"): (90.00, 98.25),
    (8192, 512, False, "f16"): (180.00, 166.38),
    (8192, 512, True, "f16"): (180.00, 98.25),
    (8192, 512, True, "q8_0"): (95.62, 99.38),
    (2048, 128, False, "f16"): (45.00, 24.84),
    (300, 512, True, "f16"): (11.25, 57.57),  # one micro-batch of 300 tokens
}
COMPUTE_TOLERANCE = 0.05


def gpu(free: int, total: int | None = None, name: str = "NVIDIA GeForce RTX 4070") -> GPUInfo:
    return GPUInfo(name, total or free, free, "cuda")


def test_kv_cache_of_the_test_model_by_hand():
    assert kv_cache_bytes(SMOL, 8192) == 30 * 8192 * 3 * (64 * 2 + 64 * 2) == 188_743_680
    # q8_0 stores 32 values in 34 bytes: a 192-value row takes 6 blocks, 204 bytes.
    assert kv_cache_bytes(SMOL, 8192, "q8_0", "q8_0") == 30 * 8192 * (204 + 204) == 100_270_080
    assert kv_cache_bytes(SMOL, 8192, "q8_0", "f16") == 30 * 8192 * (204 + 384)
    assert kv_cache_bytes(SMOL, 8192, "q4_0", "q4_0") == 30 * 8192 * (108 + 108)
    assert kv_cache_bytes(SMOL, 8192, "f32", "f32") == 2 * 188_743_680


@pytest.mark.parametrize(("n_ctx", "padded"), [(1, 256), (256, 256), (1000, 1024), (2100, 2304)])
def test_context_is_padded_like_llama_cpp(n_ctx, padded):
    assert padded_context(n_ctx) == padded
    assert kv_cache_bytes(SMOL, n_ctx) == kv_cache_bytes(SMOL, padded)


@pytest.mark.parametrize(("case", "figures"), MEASURED.items(), ids=str)
def test_estimates_match_what_llama_cpp_measured(case, figures):
    n_ctx, n_batch, flash, cache = case
    kv_mib, compute_mib = figures
    # llama.cpp prints MiB with "%.2f"; the estimate must print the same.
    assert f"{kv_cache_bytes(SMOL, n_ctx, cache, cache) / MiB:.2f}" == f"{kv_mib:.2f}"
    estimate = compute_buffer_bytes(SMOL, n_ctx, n_batch, flash) / MiB
    assert estimate == pytest.approx(compute_mib, rel=COMPUTE_TOLERANCE)


def test_compute_buffer_by_hand():
    assert compute_buffer_bytes(SEVEN_B, 4096) == SEVEN_B_COMPUTE == 327_155_712
    # With flash attention the logits dominate: 512 × 32000 × 4 + 2 × 512 × 4096 × 4.
    assert compute_buffer_bytes(SEVEN_B, 4096, flash_attn=True) == 65_536_000 + 16_777_216
    # A short context limits the micro-batch: 100 tokens, padded context 256.
    assert compute_buffer_bytes(SEVEN_B, 100) == 100 * 32000 * 4 + 2 * 100 * 4096 * 4


def test_seven_b_on_an_8_gb_gpu_is_fully_offloaded():
    memory = MemoryInfo(32 * GiB, 16 * GiB, (gpu(7 * GiB + GiB // 2, 8 * GiB),))
    fit = estimate_fit(SEVEN_B, memory, n_ctx=4096)
    assert (fit.verdict, fit.gpu_layers, fit.total_layers) == ("full_gpu", 33, 33)
    assert fit.n_gpu_layers == -1
    assert fit.kv_bytes == SEVEN_B_KV
    assert fit.compute_bytes == SEVEN_B_COMPUTE
    assert fit.needed_bytes == 4_100_000_000 + SEVEN_B_KV + SEVEN_B_COMPUTE == 4_964_026_624
    assert fit.gpu_bytes == 4_964_026_624
    assert fit.ram_bytes == 0 and fit.limited_by == "none"
    assert fit.badge() == "Full GPU offload"


def test_seven_b_on_a_4_gb_gpu_is_partly_offloaded():
    # Budget: 3.5 GiB free − 512 MiB reserve (more than 5 % of 4 GiB) = 3,221,225,472.
    # GPU share for k layers: output layer + compute + (k − 1) × (layer + its KV cache)
    #   = 124,242,424.24 + 327,155,712 + (k − 1) × (124,242,424.24 + 16,777,216)
    #   → k − 1 ≤ (3,221,225,472 − 451,398,136.24) / 141,019,640.24 = 19.64, so k = 20.
    memory = MemoryInfo(32 * GiB, 16 * GiB, (gpu(3 * GiB + GiB // 2, 4 * GiB),))
    fit = estimate_fit(SEVEN_B, memory, n_ctx=4096)
    assert (fit.verdict, fit.gpu_layers, fit.total_layers) == ("partial", 20, 33)
    assert fit.n_gpu_layers == 20 and fit.limited_by == "gpu"
    assert fit.gpu_bytes == pytest.approx(451_398_136.24 + 19 * 141_019_640.24, abs=1)
    # RAM keeps 13 layers' weights with the token embeddings (file − 20 layers' worth) and
    # the KV cache of the 13 blocks left on the CPU.
    assert fit.ram_bytes == pytest.approx(4.1e9 - 20 * SEVEN_B_LAYER + 13 * 16_777_216, abs=1)
    assert fit.badge() == "Partial: 20 of 33 layers on the GPU"


def test_one_more_byte_of_reserve_costs_a_layer_exactly_at_the_edge():
    share_20 = SEVEN_B_LAYER + SEVEN_B_COMPUTE + 19 * (SEVEN_B_LAYER + 16_777_216)
    free = 10 * GiB
    memory = MemoryInfo(32 * GiB, 16 * GiB, (gpu(free, 16 * GiB),))
    at_edge = estimate_fit(SEVEN_B, memory, n_ctx=4096, reserve_bytes=int(free - share_20))
    assert at_edge.gpu_layers == 20
    over = estimate_fit(SEVEN_B, memory, n_ctx=4096, reserve_bytes=int(free - share_20) + 1)
    assert over.gpu_layers == 19


def test_no_gpu_and_16_gb_ram_runs_on_the_cpu():
    fit = estimate_fit(SEVEN_B, MemoryInfo(16 * GiB, 16 * GiB), n_ctx=4096)
    assert (fit.verdict, fit.gpu_layers, fit.limited_by) == ("cpu", 0, "none")
    assert fit.ram_bytes == 4_964_026_624 and fit.gpu_bytes == 0
    assert fit.badge() == "CPU only"


def test_2_gb_ram_is_too_small():
    fit = estimate_fit(SEVEN_B, MemoryInfo(4 * GiB, 2 * GiB), n_ctx=4096)
    assert (fit.verdict, fit.limited_by) == ("too_large", "ram")
    assert fit.badge() == "Too large"


def test_partial_offload_can_still_leave_too_much_for_ram():
    # 20 layers fit on the GPU (as above) but the 1.83 GB left exceed 2 GiB − 1 GiB reserve.
    memory = MemoryInfo(8 * GiB, 2 * GiB, (gpu(3 * GiB + GiB // 2, 4 * GiB),))
    fit = estimate_fit(SEVEN_B, memory, n_ctx=4096)
    assert (fit.verdict, fit.gpu_layers, fit.limited_by) == ("too_large", 20, "ram")


def test_a_gpu_too_small_for_one_layer_means_cpu():
    fit = estimate_fit(SEVEN_B, MemoryInfo(32 * GiB, 16 * GiB, (gpu(700 * MiB),)), n_ctx=4096)
    assert (fit.verdict, fit.gpu_layers, fit.limited_by) == ("cpu", 0, "gpu")


def test_quantized_cache_and_flash_attention_shrink_the_need():
    memory = MemoryInfo(32 * GiB, 16 * GiB, (gpu(3 * GiB + GiB // 2, 4 * GiB),))
    plain = estimate_fit(SEVEN_B, memory, n_ctx=4096)
    small = estimate_fit(SEVEN_B, memory, n_ctx=4096, type_k="q8_0", type_v="q8_0", flash_attn=True)
    assert small.kv_bytes == 32 * 4096 * 2 * (1024 // 32 * 34)
    assert small.gpu_layers > plain.gpu_layers


def test_apple_unified_memory_fits_in_the_metal_budget():
    budget = 16 * GiB * 2 // 3
    mac = GPUInfo("Apple M2 Pro", budget, budget, "metal", unified=True)
    fit = estimate_fit(SEVEN_B, MemoryInfo(16 * GiB, 12 * GiB, (mac,)), n_ctx=4096)
    assert (fit.verdict, fit.gpu_layers) == ("full_gpu", 33)
    # One pool: what is on the GPU is also in RAM.
    assert fit.ram_bytes == fit.gpu_bytes == 4_964_026_624


def test_apple_unified_memory_beyond_the_metal_budget_is_partial():
    # A 12 GB model on a 16 GiB Mac with 15 GiB free: all of it fits in RAM (14 GiB after the
    # reserve) but the GPU share is capped at 2/3 of 16 GiB = 11,453,246,122 bytes.
    # k − 1 ≤ (11,453,246,122 − 12e9/33 − 327,155,712) / (12e9/33 + 16,777,216) = 28.29 → k = 29.
    big = ModelShape(
        file_size=12_000_000_000,
        n_layer=32,
        n_head_kv=8,
        key_length=128,
        value_length=128,
        embedding_length=4096,
        n_head=32,
        n_vocab=32000,
    )
    budget = 16 * GiB * 2 // 3
    mac = GPUInfo("Apple M2 Pro", budget, budget, "metal", unified=True)
    fit = estimate_fit(big, MemoryInfo(16 * GiB, 15 * GiB, (mac,)), n_ctx=4096)
    assert (fit.verdict, fit.gpu_layers) == ("partial", 29)
    assert fit.ram_bytes == pytest.approx(12e9 + SEVEN_B_KV + SEVEN_B_COMPUTE, abs=2)


def test_apple_unified_memory_with_little_free_ram_is_too_large():
    budget = 8 * GiB * 2 // 3
    mac = GPUInfo("Apple M1", budget, 3 * GiB, "metal", unified=True)
    fit = estimate_fit(SEVEN_B, MemoryInfo(8 * GiB, 3 * GiB, (mac,)), n_ctx=4096)
    assert fit.verdict == "too_large"


def test_tied_output_layer_copies_the_embeddings_to_the_gpu():
    # For the test model one layer on the GPU is the output layer, a copy of the embeddings:
    # the GPU gets 30,083,328 bytes plus the work buffers, the CPU keeps the whole file.
    compute = compute_buffer_bytes(SMOL, 512)
    memory = MemoryInfo(8 * GiB, 8 * GiB, (gpu(GiB),))
    fit = estimate_fit(SMOL, memory, n_ctx=512, reserve_bytes=GiB - 30_083_328 - compute)
    assert fit.gpu_layers == 1
    assert fit.gpu_bytes == 30_083_328 + compute
    assert fit.ram_bytes == 98_362_432 + kv_cache_bytes(SMOL, 512)


def test_explain_gives_the_figures_and_the_deciding_number():
    memory = MemoryInfo(32 * GiB, 5_800_000_000, (gpu(8_000_000_000, 8 * GiB),))
    fit = estimate_fit(SEVEN_B, memory, n_ctx=4096)
    assert fit.explain() == (
        "Model 4.1 GB + context 536.9 MB + work buffers 327.2 MB = 5.0 GB; 8.0 GB free on "
        "NVIDIA GeForce RTX 4070, so it all fits on the GPU."
    )
    partial = estimate_fit(
        SEVEN_B,
        MemoryInfo(32 * GiB, 5_800_000_000, (gpu(3 * GiB + GiB // 2, 4 * GiB),)),
        n_ctx=4096,
    )
    assert "holds 20 of 33 layers" in partial.explain()
    assert "the rest (1.8 GB) fits in 5.8 GB free RAM" in partial.explain()
    cpu = estimate_fit(SEVEN_B, MemoryInfo(16 * GiB, 16_000_000_000), n_ctx=4096)
    assert cpu.explain().endswith("= 5.0 GB; no GPU was found, and it fits in 16.0 GB free RAM.")
    too_large = estimate_fit(SEVEN_B, MemoryInfo(4 * GiB, 2_000_000_000), n_ctx=4096)
    assert too_large.explain().endswith("5.0 GB must be in RAM, but only 2.0 GB is free.")
    for f in (fit, partial, cpu, too_large):
        assert f.explain().count(". ") == 0 and "\n" not in f.explain()


def test_zero_context_means_the_trained_context():
    fit = estimate_fit(SMOL, MemoryInfo(8 * GiB, 8 * GiB), n_ctx=0)
    assert fit.kv_bytes == kv_cache_bytes(SMOL, 8192)


def test_shape_from_the_real_header(test_model):
    shape = ModelShape.from_info(inspect_gguf(test_model), check_gguf(test_model))
    assert shape == SMOL


def test_shape_from_info_alone_approximates_layers(tmp_path):
    info = inspect_gguf(write_tiny_gguf(tmp_path / "tiny.gguf", n_layers=3))
    shape = ModelShape.from_info(info)
    assert (shape.n_layer, shape.n_head_kv, shape.key_length, shape.n_vocab) == (3, 2, 16, None)
    assert shape.block_bytes() == info.file_size / 4
    assert shape.offloadable_layers == 4


def test_shape_of_a_split_model_needs_every_part(tmp_path):
    first = write_tiny_gguf(tmp_path / "split.gguf", n_layers=4, split_count=3)
    info = inspect_gguf(first)
    parts = [first.with_name(f"split-0000{i}-of-00003.gguf") for i in (1, 2, 3)]
    headers = [check_gguf(first)]
    for p in parts[1:]:
        with p.open("rb") as f:
            headers.append(read_header(f))
    only_first = ModelShape.from_info(info, headers[0])
    assert only_first.layer_bytes is None and only_first.n_vocab == 32
    full = ModelShape.from_info(info, headers)
    expected = sum(t.n_bytes for h in headers for t in h.tensors if t.name.startswith("blk."))
    assert full.layer_bytes == expected > 0


def test_shape_without_layer_counts_is_refused(tmp_path):
    info = inspect_gguf(write_tiny_gguf(tmp_path / "tiny.gguf"))
    broken = GGUFInfo(**{**info.to_dict(), "block_count": None, "name": "Mystery"})
    with pytest.raises(ValueError, match=r"^Mystery does not describe its layers .*\.$"):
        ModelShape.from_info(broken)


def test_unknown_cache_type_is_refused():
    with pytest.raises(ValueError, match="not a KV cache type"):
        kv_cache_bytes(SMOL, 512, "q2_k")


def test_cache_types_match_ggml_block_sizes():
    from workbench.core.options import KV_CACHE_TYPES

    for name, type_id in KV_CACHE_TYPES.items():
        block, size = gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType(type_id)]
        assert gguf.GGMLQuantizationType(type_id).name.lower() == name
        one_layer = ModelShape(0, 1, 1, 64, 64, 64)
        assert kv_cache_bytes(one_layer, 256, name, name) == 256 * 2 * (64 // block * size)


LOAD_SCRIPT = textwrap.dedent(
    """
    import sys
    from llama_cpp import Llama
    Llama(model_path=sys.argv[1], n_ctx=8192, n_batch=512, n_ubatch=512, n_threads=1,
          flash_attn=False, verbose=True)
    """
)


@pytest.mark.model
def test_llama_cpp_agrees_with_the_estimate(test_model):
    """Load the real model once and compare llama.cpp's own figures with the formula."""
    done = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(test_model)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    kv = re.search(r"llama_kv_cache: size =\s*([\d.]+) MiB", done.stderr)
    compute = re.search(r"CPU compute buffer size =\s*([\d.]+) MiB", done.stderr)
    assert kv and compute, done.stderr[-2000:]
    assert f"{kv_cache_bytes(SMOL, 8192) / MiB:.2f}" == kv[1]
    estimate = compute_buffer_bytes(SMOL, 8192) / MiB
    assert estimate == pytest.approx(float(compute[1]), rel=COMPUTE_TOLERANCE)


def test_fit_estimate_is_frozen():
    fit = estimate_fit(SMOL, MemoryInfo(8 * GiB, 8 * GiB), n_ctx=512)
    assert isinstance(fit, FitEstimate)
    with pytest.raises(AttributeError):
        fit.verdict = "full_gpu"  # type: ignore[misc]
