"""Provider presets, base URL checks and the configured-provider store (providers.json)."""

from __future__ import annotations

import json

import pytest

from workbench.core.cloud.providers import (
    PRESETS,
    Provider,
    ProviderError,
    ProviderStore,
    normalize_base_url,
    preset,
)
from workbench.core.keys import KeyStore


def test_presets_are_complete_and_consistent():
    ids = [p.id for p in PRESETS]
    assert len(ids) == len(set(ids))
    for expected in (
        "openai",
        "deepseek",
        "qwen",
        "moonshot",
        "zhipu",
        "openrouter",
        "groq",
        "mistral",
        "together",
        "ollama",
        "lmstudio",
        "vllm",
        "llamacpp",
        "custom",
    ):
        assert expected in ids
    for p in PRESETS:
        if p.id == "custom":
            assert p.base_url == "" and p.env_key is None
            continue
        assert normalize_base_url(p.base_url) == p.base_url
        if p.local:
            assert p.env_key is None and p.base_url.startswith("http://localhost:")
            assert p.extra_sampling
        else:
            assert p.env_key and p.env_key.endswith("_API_KEY")
            assert p.base_url.startswith("https://") and p.key_url.startswith("https://")
            assert p.suggested_models and not p.extra_sampling
    assert preset("openai").base_url == "https://api.openai.com/v1"
    assert preset("deepseek").env_key == "DEEPSEEK_API_KEY"
    assert preset("zhipu").base_url == "https://open.bigmodel.cn/api/paas/v4"
    with pytest.raises(KeyError):
        preset("nope")


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://api.openai.com/v1/", "https://api.openai.com/v1"),
        ("  http://127.0.0.1:8000/v1//  ", "http://127.0.0.1:8000/v1"),
        ("HTTPS://Example.org/api/paas/v4", "HTTPS://Example.org/api/paas/v4"),
        ("http://[::1]:11434/v1", "http://[::1]:11434/v1"),
    ],
)
def test_base_urls_are_normalized(url, expected):
    assert normalize_base_url(url) == expected


@pytest.mark.parametrize(
    "url,needle",
    [
        ("localhost:8000/v1", "http://localhost:8000/v1"),
        ("api.openai.com/v1", "https://"),
        ("ftp://example.org/v1", "http:// or https://"),
        ("", "empty"),
        ("https://", "no server name"),
        ("https://user:pw@example.org/v1", "password"),
        ("https://example.org/v1?x=1", "“?”"),
        ("http://localhost:port/v1", "port"),
    ],
)
def test_unusable_base_urls_get_one_sentence(url, needle):
    with pytest.raises(ProviderError) as err:
        normalize_base_url(url)
    message = str(err.value)
    assert needle in message
    assert message.endswith(".") and "\n" not in message


def test_add_makes_unique_ids_and_persists(workbench_home):
    store = ProviderStore()
    first = store.add("openai")
    second = store.add("openai")
    named = store.add("vllm", name="My vLLM #2", base_url="http://10.0.0.5:8000/v1/")
    assert (first.id, second.id, named.id) == ("openai", "openai-2", "my-vllm-2")
    assert first.name == "OpenAI" and first.base_url == "https://api.openai.com/v1"
    assert named.base_url == "http://10.0.0.5:8000/v1" and named.preset == "vllm"
    # Another store (the command line while the window runs) sees the same list.
    again = ProviderStore()
    assert [p.id for p in again.providers()] == ["openai", "openai-2", "my-vllm-2"]
    assert again.get("my-vllm-2") == named
    with pytest.raises(KeyError):
        again.get("missing")
    assert (workbench_home / "providers.json").exists()


def test_custom_needs_a_base_url_and_unknown_presets_fail():
    store = ProviderStore()
    with pytest.raises(ProviderError, match="base URL"):
        store.add("custom")
    with pytest.raises(KeyError):
        store.add("frobnicate")
    custom = store.add("custom", name="Lab box", base_url="http://192.168.1.9:8080/v1")
    assert custom.id == "lab-box" and custom.preset_info().id == "custom"
    # A name with no ASCII letters falls back to the preset id.
    assert store.add("qwen", name="通义千问").id == "qwen"


def test_update_keeps_models_and_checks_values():
    store = ProviderStore()
    provider = store.add("deepseek")
    provider.models = ["deepseek-chat", "deepseek-reasoner"]
    provider.manual_models = ["deepseek-chat", "deepseek-v9"]
    provider.model = "deepseek-reasoner"
    provider.base_url = "https://proxy.example.org/deepseek/v1/"
    store.update(provider)
    loaded = store.get("deepseek")
    assert loaded.model == "deepseek-reasoner"
    assert loaded.base_url == "https://proxy.example.org/deepseek/v1"
    assert loaded.all_models() == ["deepseek-chat", "deepseek-reasoner", "deepseek-v9"]
    loaded.base_url = "proxy.example.org"
    with pytest.raises(ProviderError):
        store.update(loaded)
    assert store.get("deepseek").base_url == "https://proxy.example.org/deepseek/v1"
    with pytest.raises(KeyError):
        store.update(Provider(id="ghost", name="Ghost", preset="custom", base_url="http://x.org"))


def test_remove_deletes_the_key_too(memory_keyring):
    store = ProviderStore()
    keys = KeyStore()
    provider = store.add("groq")
    keys.set(provider.id, "gsk_remove-me-0123456789")
    assert keys.get(provider.id) == "gsk_remove-me-0123456789"
    store.remove(provider.id)
    assert store.providers() == []
    assert keys.get(provider.id) is None
    assert memory_keyring.secrets == {}
    with pytest.raises(KeyError):
        store.remove(provider.id)
    # A new provider with the same id starts without a key.
    assert store.add("groq").id == "groq" and keys.get("groq") is None


def test_a_damaged_or_odd_file_does_not_break_the_list(workbench_home):
    path = workbench_home / "providers.json"
    path.write_text(
        json.dumps(
            {
                "providers": [
                    {
                        "id": "ok",
                        "name": "OK",
                        "preset": "vllm",
                        "base_url": "http://h:1/v1",
                        "models": ["a", 3, ""],
                        "model": 7,
                    },
                    {"id": "ok", "name": "Duplicate", "base_url": "http://h:2/v1"},
                    {"name": "no id", "base_url": "http://h:3/v1"},
                    "not a dict",
                    {
                        "id": "old",
                        "name": "Old",
                        "preset": "gone-preset",
                        "base_url": "http://h/v1",
                    },
                ]
            }
        )
    )
    providers = ProviderStore().providers()
    assert [p.id for p in providers] == ["ok", "old"]
    assert providers[0].models == ["a"] and providers[0].model is None
    assert providers[1].preset == "custom"
    path.write_text("{not json")
    assert ProviderStore().providers() == []
    assert (workbench_home / "providers.json.bad").exists()


def test_the_file_never_holds_a_key(workbench_home):
    store = ProviderStore()
    provider = store.add("openai")
    KeyStore().set(provider.id, "sk-providers-file-MARKER-123456")
    provider.model = "gpt-4o-mini"
    store.update(provider)
    text = (workbench_home / "providers.json").read_text()
    assert "MARKER" not in text
    assert set(json.loads(text)["providers"][0]) == {
        "id",
        "name",
        "preset",
        "base_url",
        "models",
        "manual_models",
        "model",
    }
