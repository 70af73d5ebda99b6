"""Turning a provider name into a backend (core.cloud.resolve), shared by the window and the
command line: who a name stands for, its address, its key and the backend made from them."""

from __future__ import annotations

import pytest

from workbench.core.cloud.providers import PRESETS, ProviderStore, preset
from workbench.core.cloud.resolve import (
    AddressNeeded,
    KeyNeeded,
    Target,
    UnknownProvider,
    identify,
    key_for,
    open_backend,
    resolve,
)
from workbench.core.keys import KeyStore

KEY = "sk-resolve-0123456789abcdef"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for p in PRESETS:
        if p.env_key:
            monkeypatch.delenv(p.env_key, raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def test_a_configured_id_wins_over_the_preset_of_the_same_name():
    store = ProviderStore()
    mine = store.add("ollama", base_url="http://10.0.0.2:11434/v1")
    configured, info = identify("ollama", store)
    assert configured == mine and info.id == "ollama"
    assert identify("deepseek", store) == (None, preset("deepseek"))


def test_an_unknown_name_lists_the_known_ones():
    ProviderStore().add("custom", name="Box", base_url="http://127.0.0.1:8000/v1")
    with pytest.raises(UnknownProvider, match="no provider named 'nope'") as caught:
        resolve("nope")
    assert "box" in str(caught.value) and "openai" in str(caught.value)


def test_custom_as_a_preset_needs_an_address():
    with pytest.raises(AddressNeeded) as caught:
        resolve("custom")
    assert caught.value.provider_name == "Custom"
    assert resolve("custom", "http://127.0.0.1:8000/v1/").base_url == "http://127.0.0.1:8000/v1"


def test_target_of_a_configured_provider_keeps_its_saved_address(monkeypatch):
    # The window talks to the address the user saved; OPENAI_BASE_URL is for the command line.
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9999/v1")
    provider = ProviderStore().add("openai")
    target = Target.of(provider)
    assert (target.id, target.name, target.base_url) == ("openai", "OpenAI", provider.base_url)
    assert target.configured is provider and target.info is preset("openai")


@pytest.mark.parametrize(
    ("preset_id", "needs"),
    [("openai", True), ("deepseek", True), ("ollama", False), ("custom", False)],
)
def test_which_providers_need_a_key(preset_id, needs):
    assert resolve(preset_id, "http://127.0.0.1:1/v1").needs_key is needs


def test_key_for_reads_the_environment_then_the_keychain(monkeypatch):
    keys = KeyStore()
    target = resolve("deepseek")
    with pytest.raises(KeyNeeded, match="no API key for DeepSeek: set DEEPSEEK_API_KEY"):
        key_for(target, keys)
    keys.set("deepseek", KEY)
    assert key_for(target, keys) == KEY
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-from-the-environment")
    assert key_for(target, keys) == "sk-from-the-environment"
    # A server that may not need a key is tried without one.
    assert key_for(resolve("custom", "http://127.0.0.1:1/v1"), keys) is None


def test_open_backend_names_its_provider_and_never_shows_the_key():
    provider = ProviderStore().add("llamacpp", name="My box", base_url="http://127.0.0.1:8080/v1")
    backend = open_backend(Target.of(provider), "smollm2", key=KEY)
    try:
        assert backend.source == provider.id == backend.provider_id
        assert backend.provider_name == "My box"
        assert backend.model_name == "smollm2"
        assert backend.base_url == "http://127.0.0.1:8080/v1"
        assert backend.extra_sampling is True  # llama.cpp takes top_k, min_p…
        assert KEY not in repr(backend)
    finally:
        backend.close()
