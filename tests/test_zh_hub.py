"""The Hub, downloads, library and welcome in Simplified Chinese: real errors give their Chinese
sentence in core's exception and on the page that shows it."""

from __future__ import annotations

import hashlib
import os

import pytest
from hubserver import fake_hub  # noqa: F401 - a fixture
from huggingface_hub import hf_hub_url

from workbench.core.downloads.errors import TransferError
from workbench.core.downloads.transfer import FileTransfer
from workbench.core.hub.client import HubClient, HubError
from workbench.core.hub.models import HubFile, ModelEntry, build_entries
from workbench.core.hub.probe import probe
from workbench.core.library import Library, LibraryEntry, LibraryError
from workbench.core.settings import Settings
from workbench.core.units import human_duration, human_size

REPO = "owner/model-GGUF"
NAME = "model-Q4_K_M.gguf"
DATA = os.urandom(2**20 + 321)
SHA = hashlib.sha256(DATA).hexdigest()
CHECKSUM = "与 Hub 提供的校验值不一致"


@pytest.fixture
def tampered(fake_hub):  # noqa: F811 - the imported fixture
    """A Hub whose file arrives with one byte changed from what its checksum says."""
    fake_hub.add_repo(REPO, {NAME: DATA})
    fake_hub.tamper(f"{REPO}/{NAME}", DATA[:-1] + bytes([DATA[-1] ^ 1]))
    return fake_hub


def test_a_tampered_download_raises_the_chinese_checksum_sentence(zh, tampered, tmp_path):
    url = hf_hub_url(REPO, NAME, endpoint=tampered.url)
    transfer = FileTransfer(url, tmp_path / NAME, size=len(DATA), sha256=SHA)
    with pytest.raises(TransferError) as info:
        transfer.run()
    assert info.value.kind == "hash_mismatch"
    assert str(info.value) == f"下载的 {NAME} 与 Hub 提供的校验值不一致；文件已丢弃，需要重新下载。"


def test_the_downloads_view_shows_the_chinese_checksum_sentence(qtbot, zh_qt, tampered):
    from workbench.qt.hub import DownloadsController, HubSession
    from workbench.ui.hub.downloads import DownloadsView

    session = HubSession(Settings(hub_endpoint=tampered.url))
    controller = DownloadsController(session)
    view = DownloadsView(controller)
    qtbot.addWidget(view)
    entry = ModelEntry(NAME, (HubFile(NAME, len(DATA), SHA),), len(DATA), "Q4_K_M", "model")
    job_id = controller.download(REPO, entry, None)
    qtbot.waitUntil(lambda: controller.manager.job(job_id).state == "failed", timeout=20_000)
    controller.poll()
    row = view.rows[job_id]
    assert CHECKSUM in row.detail.text() and NAME in row.detail.text()
    assert row.retry_button.text() == "重试" and not row.retry_button.isHidden()
    assert row.remove_button.text() == "移除"
    controller.shutdown()


def test_hub_errors_are_chinese(zh, fake_hub):  # noqa: F811 - the imported fixture
    fake_hub.add_repo(REPO, {NAME: DATA})
    client = HubClient(fake_hub.url)
    with pytest.raises(HubError) as info:
        client.repo_details("nobody/Nothing-GGUF")
    assert str(info.value) == "在 Hub 上找不到模型 nobody/Nothing-GGUF。"
    fake_hub.fail_next(f"{REPO}/{NAME}", 429, headers={"Retry-After": "7"})
    with pytest.raises(HubError) as info:
        client.read_header(REPO, NAME)
    assert info.value.kind == "rate_limited"
    assert str(info.value) == "Hub 当前正在限制请求频率，请 7 秒后重试。"
    unreachable = HubClient("http://127.0.0.1:9", timeout=2)
    with pytest.raises(HubError) as info:
        unreachable.repo_details(REPO)
    assert str(info.value).startswith("无法连接到 127.0.0.1:9")


def test_no_hub_answering_is_one_chinese_sentence(zh):
    result = probe(("http://127.0.0.1:9", "http://127.0.0.1:7"), timeout=1)
    assert result.endpoint is None
    assert result.message().startswith("127.0.0.1:9 和 127.0.0.1:7 都没有响应；")


def test_split_models_library_sizes_and_durations_in_chinese(zh, tmp_path):
    parts = [HubFile(f"big-0000{i}-of-00003.gguf", 10, None) for i in (1, 2, 3)]
    (entry,), _ = build_entries(parts)
    assert entry.name == "big.gguf (3 parts)"  # an identifier: scripts match it
    assert entry.label == "big.gguf（3 个分片）"
    assert human_size(1_234_567) == "1.2 MB"
    assert human_duration(185) == "3 分 05 秒" and human_duration(7620) == "2 小时 07 分"
    library = Library(tmp_path / "models", tmp_path / "library.json", hf_cache_dir=False)
    cached = LibraryEntry(tmp_path / "m.gguf", "m", 10, "hf_cache")
    with pytest.raises(LibraryError) as info:
        library.delete(cached)
    assert str(info.value) == "m 保存在 Hugging Face 缓存中，请使用 Hugging Face 的工具删除它。"


def test_the_discover_page_speaks_chinese(qtbot, zh_qt, fake_hub):  # noqa: F811
    from workbench.qt.hub import DownloadsController, HubSession
    from workbench.ui.hub.discover import DiscoverPage

    fake_hub.add_repo(REPO, {NAME: DATA}, downloads=1234, likes=5)
    session = HubSession(Settings(hub_endpoint=fake_hub.url))
    downloads = DownloadsController(session)
    page = DiscoverPage(session, downloads)
    qtbot.addWidget(page)
    assert page.search_button.text() == "搜索"
    assert page.endpoint_label.text().startswith("Hub：")
    page.query.setText("model")
    page.search()
    qtbot.waitUntil(lambda: page.status.text() == "已显示 1 个模型。", timeout=20_000)
    assert "次下载" in page.results.item(0).text()
    downloads.shutdown()


def test_the_downloads_time_left_uses_the_shared_duration(zh_qt, qtbot):
    from workbench.ui.hub.downloads import time_left

    assert time_left(None) == "—"
    assert time_left(65) == "1 分 05 秒"
