"""Settings, the main window, cloud errors and the keychain in Simplified Chinese: real errors of
these areas (a refused key from the tests' OpenAI-compatible server, an unusable address, a
keychain that is not there) give their Chinese sentences, in ``core`` and in the window."""

from __future__ import annotations

import re

import pytest
from openai_fake import FakeOpenAI
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabWidget
from test_app import make_window, say
from test_cloud_gui import add_custom_provider, choose
from test_machine import MEM

from workbench.core import secrets
from workbench.core.backend import Error
from workbench.core.cloud.backend import CloudBackend, CloudError
from workbench.core.cloud.providers import ProviderError, normalize_base_url
from workbench.core.keys import KeyStore, KeyStoreError
from workbench.core.machine import Machine, describe
from workbench.core.options import SamplingParams
from workbench.core.presets import PresetStore
from workbench.core.settings import (
    SettingsError,
    load_settings,
    normalize_endpoint,
    save_settings,
)
from workbench.qt import i18n as qt_i18n
from workbench.ui.settings.dialog import SettingsDialog

KEY = "sk-test-ZH-0123456789abcdef"
WRONG = "sk-wrong-key-000000000"
REFUSED = "{provider} 拒绝了 API 密钥（401）：请在设置中检查密钥。"
# Latin words a Chinese page may show: names of things, never sentences.
PROPER = re.compile(
    r"Workbench|Hugging Face|Hub|huggingface\.co|hf-mirror\.com|HF_TOKEN|HF_ENDPOINT|GGUF|"
    r"API|Token|Base URL|Settings|Access Tokens|English|CPU|GPU|TLS|Top-[PK]|Min-P|"
    r"https?://\S*|hf_…|OK|Cancel"
)


@pytest.fixture
def zh_window():
    """Chinese chosen in the settings, as create_app reads it; back to English after the test
    (the settings live in the test's own data folder)."""
    settings = load_settings()
    settings.language = "zh_CN"
    save_settings(settings)
    assert qt_i18n.apply_language("zh_CN") == "zh_CN"
    yield
    qt_i18n.apply_language("en")


def english_words(text: str) -> list[str]:
    """Runs of two or more Latin words left once proper names are taken out."""
    return re.findall(r"[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,})+", PROPER.sub(" ", text))


def test_refused_key_from_the_server_is_said_in_chinese(zh):
    with FakeOpenAI(key=KEY) as fake:
        backend = CloudBackend(
            base_url=fake.base_url, model="fake-chat", api_key=WRONG, provider_name="Fake"
        )
        events = list(backend.start_reply([{"role": "user", "content": "你好"}], SamplingParams()))
        error = events[-1]
        assert isinstance(error, Error) and error.kind == "auth"
        assert error.message == REFUSED.format(provider="Fake")
        with pytest.raises(CloudError) as info:
            backend.test_connection()
        assert str(info.value) == REFUSED.format(provider="Fake")
        missing = CloudBackend(
            base_url=fake.base_url, model="fake-chat", api_key=None, provider_name="Fake"
        )
        events = list(missing.start_reply([{"role": "user", "content": "你好"}], SamplingParams()))
        assert events[-1].message == "Fake 需要 API 密钥（401）：请在设置中添加。"


def test_unknown_model_and_waits_in_chinese(zh):
    with FakeOpenAI(key=KEY) as fake:
        backend = CloudBackend(
            base_url=fake.base_url, model="no-such-model", api_key=KEY, provider_name="Fake"
        )
        with pytest.raises(CloudError) as info:
            backend.test_connection()
        assert info.value.kind == "not_found"
        assert str(info.value) == (
            "Fake 没有名为 no-such-model 的模型（404）：请选择其他模型或检查模型名称。"
        )
        message = backend.test_connection("fake-chat")
        assert re.fullmatch(
            r"已连接到 Fake：共 \d+ 个模型；fake-chat 用 [\d.]+ 秒做出了回复。", message
        ), message


def test_unusable_addresses_in_chinese(zh):
    with pytest.raises(SettingsError) as info:
        normalize_endpoint("ftp://example.org")
    assert str(info.value) == (
        "Hub 地址“ftp://example.org”不是网址；它必须以 https://（或 http://）开头，"
        "例如 https://hf-mirror.com。"
    )
    with pytest.raises(ProviderError) as info:
        normalize_base_url("localhost:8000/v1")
    assert str(info.value) == (
        "“localhost:8000/v1”前面缺少 http:// 或 https://；请写成 http://localhost:8000/v1"
        "（远程服务请用 https://）。"
    )


def test_no_keychain_in_chinese(zh, workbench_home, monkeypatch):
    import keyring
    import keyring.backends.fail

    def no_keychain(*_args):
        raise keyring.errors.NoKeyringError("no backend")

    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    monkeypatch.setattr(keyring, "set_password", no_keychain)
    with pytest.raises(secrets.SecretStoreError) as info:
        secrets.set_secret("x", "value")
    assert info.value.no_keychain
    assert str(info.value).startswith("本机没有可用的系统钥匙串")
    with pytest.raises(KeyStoreError) as info:
        KeyStore(workbench_home).set("openai", "sk-abc", env_key="OPENAI_API_KEY")
    assert str(info.value) == (
        "本机没有可用的系统钥匙串，无法保存 API 密钥；请为本次会话设置 OPENAI_API_KEY，"
        "或在设置中允许将 API 密钥保存在文件中。"
    )
    with pytest.raises(KeyStoreError) as info:
        KeyStore(workbench_home).set("openai", "sk abc")
    assert str(info.value) == "这看起来不像 API 密钥，因为其中包含空格或换行。"


def test_this_computer_and_presets_in_chinese(zh, workbench_home):
    line = describe(Machine(MEM, gpu_build=True))
    assert line.startswith("内存 ") and "（可用 " in line
    assert line.endswith("NVIDIA GeForce RTX 4070，显存 12.9 GB（可用 11.8 GB），用于运行模型。")
    assert set(PresetStore(workbench_home / "presets.json").names()) == {"默认", "精确", "创意"}


def test_wrong_key_in_the_window_is_chinese(qtbot, zh_window):
    with FakeOpenAI(key=KEY) as fake:
        win = make_window(qtbot)
        try:
            provider_id = add_custom_provider(qtbot, win, fake.base_url, WRONG)
            provider = win.cloud.provider(provider_id)
            assert provider.name == "自定义"  # the preset's name, in the user's language
            choose(qtbot, win, provider_id)
            refused = REFUSED.format(provider="自定义")
            status = win.chat.source_panel.status
            qtbot.waitUntil(lambda: refused in status.text(), timeout=10_000)
            win.chat.source_panel.model_box.setEditText("fake-chat")
            say(qtbot, win, "Will this work?")  # typed keys: QTest types Latin letters
            items = win.chat_controller.messages.items()
            assert items[-2].content == "Will this work?"
            assert items[-1].state == "error" and items[-1].error == refused
        finally:
            win.close()


def test_menus_and_settings_pages_have_no_english_sentences(qtbot, zh_window):
    win = make_window(qtbot)
    try:
        texts = [a.text() for a in win.findChild(QMenuBar, "menuBar").actions()]
        # The chat page's own action (its panel toggle) is the chat page's to translate.
        mine = set(win.actions_by_name.values()) - {win.chat.panel_action}
        texts += [a.text().split("\t")[0] for a in mine]
        assert "文件(&F)" in texts and "退出(&Q)" in texts and "关于 Workbench(&A)" in texts
        dialog = SettingsDialog(win.session, win, win.cloud)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.computer.machine is not None, timeout=20_000)
        tabs = dialog.findChild(QTabWidget, "settingsTabs")
        assert [tabs.tabText(i) for i in range(tabs.count())] == [
            "常规",
            "服务商",
            "价格",
            "本机信息",
        ]
        dialog.providers.add("openai")
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            for widget in tabs.widget(index).findChildren(QLabel):
                texts.append(widget.text())
            for widget in tabs.widget(index).findChildren(QAbstractButton):
                texts.append(widget.text())
            for widget in tabs.widget(index).findChildren(QGroupBox):
                texts.append(widget.title())
        texts += [dialog.language.combo.itemText(i) for i in range(dialog.language.combo.count())]
        assert "跟随系统（English）" in texts
        left = {t: english_words(t) for t in texts if english_words(t)}
        assert left == {}
    finally:
        win.close()
