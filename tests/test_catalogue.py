"""The starter catalogue: files found by listing, gone repositories skipped, Chinese first, and
the starter chosen by fit for a given memory."""

from __future__ import annotations

import json

import pytest
from ggufgen import write_tiny_gguf
from hubserver import FakeHub

from workbench.core.catalogue import (
    CatalogueEntry,
    CatalogueError,
    Pick,
    choose,
    load_catalogue,
    ordered,
    recommend,
)
from workbench.core.fit import GiB, ModelShape, estimate_fit
from workbench.core.hub.client import HubClient, HubError
from workbench.core.hub.models import HubFile, ModelEntry
from workbench.core.sysmem import GPUInfo, MemoryInfo

NO_GPU_16 = MemoryInfo(16 * GiB, 14 * GiB)
GPU_8 = MemoryInfo(32 * GiB, 28 * GiB, (GPUInfo("Test GPU", 8 * GiB, 8 * GiB, "cuda"),))


def entry(id_, size_gb, *, chinese=False, repo=None, quants=("Q4_K_M",)) -> CatalogueEntry:
    return CatalogueEntry(
        id=id_,
        repo=repo or f"pub/{id_}-GGUF",
        name=id_,
        family="Test",
        params_b=size_gb * 1.6,
        tier="",
        languages=("zh", "en") if chinese else ("en",),
        chinese_strong=chinese,
        licence="apache-2.0",
        quantizations=tuple(quants),
        approx_bytes=int(size_gb * GiB),
    )


def test_bundled_catalogue_is_complete():
    entries = load_catalogue()
    assert len(entries) >= 15
    assert len({e.id for e in entries}) == len(entries)
    assert {"Qwen", "Llama", "Gemma", "Phi", "Mistral", "DeepSeek", "SmolLM"} <= {
        e.family for e in entries
    }
    for e in entries:
        assert e.repo.count("/") == 1 and e.quantizations and e.licence and e.approx_bytes > 0
    assert any(e.chinese_strong for e in entries) and not all(e.chinese_strong for e in entries)


def test_catalogue_path_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"models": [{"repo": "a/b-GGUF", "quantization": "q4_1"}]}))
    monkeypatch.setenv("WORKBENCH_CATALOGUE", str(path))
    (only,) = load_catalogue()
    assert (only.repo, only.quantizations, only.name) == ("a/b-GGUF", ("Q4_1",), "b-GGUF")
    path.write_text("{}")
    with pytest.raises(CatalogueError, match="not a model catalogue"):
        load_catalogue()


def test_chinese_strong_models_first_for_a_chinese_interface():
    entries = [entry("en-a", 1), entry("zh-a", 2, chinese=True), entry("en-b", 3)]
    assert [e.id for e in ordered(entries, "zh_CN")] == ["zh-a", "en-a", "en-b"]
    assert ordered(entries, "zh-Hant-TW")[0].id == "zh-a"
    assert [e.id for e in ordered(entries, "en_US")] == ["en-a", "zh-a", "en-b"]


def _resolver(memory, gone=()):
    asked = []

    def resolve(e: CatalogueEntry) -> Pick | None:
        asked.append(e.id)
        if e.id in gone:
            return None
        size = e.approx_bytes
        shape = ModelShape(
            file_size=size,
            n_layer=32,
            n_head_kv=8,
            key_length=128,
            value_length=128,
            embedding_length=4096,
            n_vocab=32000,
        )
        file = ModelEntry(
            f"{e.id}-Q4_K_M.gguf", (HubFile("f.gguf", size, None),), size, "Q4_K_M", "model"
        )
        return Pick(e, file, "main", estimate_fit(shape, memory, n_ctx=8192))

    return resolve, asked


SIZES = [entry("tiny", 0.5), entry("small", 2.5), entry("medium", 4.7), entry("large", 9)]


def test_fit_choice_with_a_gpu():
    resolve, asked = _resolver(GPU_8)
    rec = choose(SIZES, resolve, GPU_8)
    assert rec.starter.entry.id == "medium" and rec.starter.fit.verdict == "full_gpu"
    assert rec.smaller.entry.id == "small"
    assert rec.larger.entry.id == "large" and rec.larger.fit.verdict == "partial"
    assert "tiny" not in asked  # only what is shown is looked up


def test_fit_choice_on_the_processor():
    resolve, _ = _resolver(NO_GPU_16)
    rec = choose(SIZES, resolve, NO_GPU_16)
    assert rec.starter.entry.id == "small" and rec.starter.fit.verdict == "cpu"
    assert (rec.smaller.entry.id, rec.larger.entry.id) == ("tiny", "medium")


def test_fit_choice_steps_down_past_gone_repositories_and_prefers_chinese():
    resolve, _ = _resolver(NO_GPU_16, gone={"small"})
    rec = choose(SIZES, resolve, NO_GPU_16)
    assert rec.starter.entry.id == "tiny" and rec.gone == ("pub/small-GGUF",)
    assert rec.smaller is None and rec.larger.entry.id == "medium"

    mixed = [*SIZES, entry("zh-small", 2.0, chinese=True), entry("zh-big", 4.5, chinese=True)]
    resolve, _ = _resolver(GPU_8)
    assert choose(mixed, resolve, GPU_8, "zh_CN").starter.entry.id == "zh-big"
    assert choose(mixed, resolve, GPU_8, "zh_CN").smaller.entry.id == "zh-small"
    assert choose(mixed, resolve, GPU_8, "en").starter.entry.id == "medium"


def test_fit_choice_when_nothing_is_comfortable():
    small_ram = MemoryInfo(10 * GiB, 8 * GiB)
    resolve, _ = _resolver(small_ram)
    rec = choose([entry("medium", 3.5), entry("large", 9)], resolve, small_ram)
    assert rec.starter.entry.id == "medium" and rec.starter.fit.verdict == "cpu"
    assert rec.larger is None  # 9 GB does not fit in 8 GB at all


@pytest.fixture
def hub(tmp_path):
    tiny, other = tmp_path / "tiny.gguf", tmp_path / "other.gguf"
    write_tiny_gguf(tiny)
    write_tiny_gguf(other, n_layers=4)
    with FakeHub() as server:
        # A publisher's own file names: found by the quantization label, whatever the rest.
        server.add_repo(
            "pub/Renamed-GGUF",
            {
                "renamed-model.q4_k_m.gguf": tiny,
                "renamed-model.Q8_0.gguf": other,
                "mmproj-Q4_K_M.gguf": tiny,
                "README.md": b"hi",
            },
        )
        # Only an incomplete split in the wanted quantization, and a whole file in the next.
        server.add_repo(
            "pub/Split-GGUF",
            {"m-Q4_K_M-00001-of-00002.gguf": tiny, "m-Q4_0.gguf": other},
        )
        yield server


def test_file_found_by_listing_and_gone_repository_skipped(hub):
    client = HubClient(hub.url)
    entries = [
        entry("gone", 0.0025, repo="pub/Gone-GGUF"),
        entry("renamed", 0.002, repo="pub/Renamed-GGUF"),
        entry("split", 0.003, repo="pub/Split-GGUF", quants=("Q4_K_M", "Q4_0")),
    ]
    rec = recommend(client, NO_GPU_16, "en", entries)
    assert rec.starter.entry.id == "split"
    assert rec.starter.file.name == "m-Q4_0.gguf" and not rec.starter.file.is_split
    assert rec.smaller.file.name == "renamed-model.q4_k_m.gguf"
    assert rec.smaller.fit.verdict == "cpu" and rec.smaller.revision
    assert rec.gone == ("pub/Gone-GGUF",)


def test_an_unreachable_hub_is_an_error_not_an_empty_catalogue(hub):
    url = hub.url
    hub.stop()
    with pytest.raises(HubError) as err:
        recommend(HubClient(url, timeout=2), NO_GPU_16, "en", [entry("renamed", 0.002)])
    assert err.value.kind == "network"
