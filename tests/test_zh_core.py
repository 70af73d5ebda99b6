"""Core's sentences about local models and the store in Simplified Chinese, from real errors.

Each test sets the process language to zh_CN (as the window and the command line do) and
triggers the error for real: a truncated or foreign file, a model process that llama.cpp
refuses, a damaged database. The model process must answer in its parent's language.
"""

from __future__ import annotations

import sqlite3

import pytest
from ggufgen import truncate_copy, write_tiny_gguf
from test_gpu_layers import SHAPE, GiB  # a 7B-like model

from workbench.core.fit import estimate_fit
from workbench.core.gguf_file import GGUFError, check_gguf
from workbench.core.local import formats
from workbench.core.local import layers as L
from workbench.core.local.host import LocalBackend, ModelLoadError, explain_exit
from workbench.core.options import LoadOptions, OptionError, SamplingParams
from workbench.core.store import Store, StoreError
from workbench.core.sysmem import GPUInfo, MemoryInfo


def test_truncated_gguf_says_so_in_chinese(zh, tmp_path):
    tiny = write_tiny_gguf(tmp_path / "tiny.gguf")
    cut = truncate_copy(tiny, tmp_path / "cut.gguf", tiny.stat().st_size - 100)
    with pytest.raises(GGUFError) as caught:
        check_gguf(cut)
    message = str(caught.value)
    assert message.startswith("cut.gguf 不完整：")
    assert "请重新下载。" in message
    assert "truncated" not in message


def test_a_web_page_saved_as_gguf_is_explained_in_chinese(zh, tmp_path):
    page = tmp_path / "model.gguf"
    page.write_bytes(b"<html><body>404 Not Found</body></html>" * 4)
    with pytest.raises(GGUFError) as caught:
        check_gguf(page)
    assert str(caught.value).startswith("model.gguf 是一个网页（HTML），不是 GGUF 模型")


def test_loading_a_truncated_gguf_fails_in_chinese_before_llama_cpp(zh, tmp_path):
    tiny = write_tiny_gguf(tmp_path / "tiny.gguf")
    cut = truncate_copy(tiny, tmp_path / "cut.gguf", 2000)
    with pytest.raises(ModelLoadError) as caught:
        LocalBackend(cut).load()
    assert caught.value.kind == "bad_model_file"
    assert "不完整" in str(caught.value)


def test_the_model_process_speaks_its_parents_language(zh, tmp_path):
    """A GGUF that passes our checks but that llama.cpp refuses: the sentence comes from the
    model process, which inherited zh_CN through WORKBENCH_LANG."""
    bogus = write_tiny_gguf(tmp_path / "tiny.gguf")
    with pytest.raises(ModelLoadError) as caught:
        LocalBackend(bogus).load()
    message = str(caught.value)
    assert caught.value.kind == "load_failed", message
    assert message.startswith("llama.cpp 无法加载 tiny.gguf")
    assert "请尝试减少 GPU 层数" in message


def test_a_crashed_model_process_is_explained_in_chinese(zh):
    assert explain_exit(-11, "x.gguf").startswith("加载 x.gguf 时模型进程崩溃了。请重新加载模型")
    assert explain_exit(3) == (
        "回复时模型进程意外退出（退出码 3）。请重新加载模型；如果问题反复出现，请减少 GPU 层数、"
        "缩短上下文长度，或换一个文件。"
    )


def test_fit_badge_and_explanation_in_chinese(zh):
    memory = MemoryInfo(64 * GiB, 48 * GiB, (GPUInfo("Test GPU", 8 * GiB, 4 * GiB, "cuda"),))
    fit = estimate_fit(SHAPE, memory, n_ctx=4096)
    assert fit.verdict == "partial"
    assert fit.badge() == f"部分：{fit.total_layers} 层中 {fit.gpu_layers} 层在 GPU 上"
    explanation = fit.explain()
    assert explanation.startswith("模型 4.5 GB + 上下文")
    assert "Test GPU 上可用的 4.3 GB 能放下" in explanation
    assert explanation.endswith("中。")
    too_big = estimate_fit(SHAPE, MemoryInfo(4 * GiB, 2 * GiB), n_ctx=4096)
    assert too_big.badge() == "太大"
    assert "但可用内存只有 2.1 GB" in too_big.explain()


def test_gpu_layer_sentences_in_chinese(zh):
    memory = MemoryInfo(64 * GiB, 48 * GiB, (GPUInfo("Test GPU", 24 * GiB, 22 * GiB, "cuda"),))
    auto = L.plan_gpu_layers(LoadOptions(), shape=SHAPE, memory=memory, gpu_supported=True)
    assert auto.sentence() == "自动：全部 33 层都在 GPU 上"
    manual = L.plan_gpu_layers(
        LoadOptions(gpu_layers=10), shape=SHAPE, memory=memory, gpu_supported=True
    )
    assert manual.sentence() == "33 层中 10 层在 GPU 上（手动设置）"
    assert L.retry_sentence(33, 16) == "显存不足以放下 33 层；已改为将 16 层放在 GPU 上加载。"
    assert L.retry_sentence(-1, 0) == "显存不足以放下所有层；已改为在 CPU 上加载。"


def test_option_errors_and_labels_in_chinese(zh):
    with pytest.raises(OptionError) as caught:
        LoadOptions(context_length=10).validate()
    assert str(caught.value) == "“上下文长度”必须在 256 到 1048576 之间（收到的是 10）。"
    with pytest.raises(OptionError) as caught:
        LoadOptions(kv_cache_type="q8_0").validate()
    assert str(caught.value) == "量化的 KV 缓存需要开启 Flash Attention。"
    labels = {d["name"]: d for d in SamplingParams.describe()}
    assert labels["temperature"]["label"] == "温度"
    assert labels["seed"]["unset"] == "随机"


def test_prompt_format_phrases_in_chinese(zh):
    choice = formats.Choice("chatml", "vocabulary")
    assert choice.describe() == "ChatML 格式，根据模型词表选择"
    with pytest.raises(formats.TemplateError) as caught:
        formats.check_template("")
    assert str(caught.value) == "请粘贴一个对话模板，用作自定义提示词格式。"


def test_a_damaged_database_is_explained_in_chinese(zh, tmp_path):
    path = tmp_path / "workbench.sqlite3"
    path.write_bytes(b"this is not a database, just some bytes\x00\xff" * 100)
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(caught.value).startswith(f"对话数据库 {path} 已损坏")


def test_a_new_conversation_is_titled_in_chinese(zh, tmp_path):
    store = Store(tmp_path / "workbench.sqlite3")
    try:
        assert store.create_conversation().title == "新对话"
    finally:
        store.close()


def test_a_database_from_a_newer_workbench_in_chinese(zh, tmp_path):
    from workbench.core import migrations

    path = tmp_path / "workbench.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(caught.value) == (
        "这个对话数据库是由更新版本的 Workbench 创建的；请更新 Workbench 后再打开。"
    )
