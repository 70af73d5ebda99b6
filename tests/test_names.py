"""Model names on screen (core.names), a provider's own key variable, and the model a
provider's picker starts on."""

from __future__ import annotations

import pytest
from openai_fake import ALWAYS_FAILS, DEFAULT_MODELS

from workbench.core.cloud.providers import Provider, ProviderStore, can_chat, key_variable, preset
from workbench.core.cloud.resolve import Target, resolve
from workbench.core.names import cloud_name, identity_name, local_name


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/models/bartowski/x/SmolLM2-135M-Instruct-Q4_1.gguf", "SmolLM2-135M-Instruct-Q4_1"),
        ("C:\\models\\Qwen2.5-7B-Instruct-Q4_K_M.GGUF", "Qwen2.5-7B-Instruct-Q4_K_M"),
        ("big-model-Q8_0-00001-of-00003.gguf", "big-model-Q8_0"),
        ("plain-name", "plain-name"),
        ("qwen.gguf", "qwen"),
    ],
)
def test_a_local_model_is_named_by_its_file_without_gguf(path, name):
    assert local_name(path) == name


def test_a_cloud_model_is_provider_dot_model():
    assert cloud_name("OpenAI", "gpt-4o-mini") == "OpenAI · gpt-4o-mini"
    assert cloud_name("OpenAI", "") == "OpenAI"


def test_identities_become_the_names_shown_everywhere_else():
    providers = {"custom": "My server", "openai": "OpenAI"}
    assert identity_name("local:SmolLM2-135M-Instruct-Q4_1.gguf") == "SmolLM2-135M-Instruct-Q4_1"
    assert identity_name("custom:ok", providers) == "My server · ok"
    assert identity_name("ollama:qwen2.5:7b", {"ollama": "Ollama"}) == "Ollama · qwen2.5:7b"
    # A provider removed since the vote keeps its id; twins keep what tells them apart.
    assert identity_name("gone:m1") == "gone · m1"
    assert identity_name("local:x.gguf (temperature=0.2) #2") == "x (temperature=0.2) #2"
    assert identity_name("openai:gpt (top_p=0.5)", providers) == "OpenAI · gpt (top_p=0.5)"


def test_every_provider_has_its_own_key_variable():
    assert key_variable("openai", preset("openai")) == "OPENAI_API_KEY"
    # Custom and the servers on the desk have no variable of their own: one from the id.
    assert key_variable("custom", preset("custom")) == "WORKBENCH_CUSTOM_API_KEY"
    assert key_variable("my-vllm-2", preset("vllm")) == "WORKBENCH_MY_VLLM_2_API_KEY"
    store = ProviderStore()
    custom = store.add("custom", name="Lab box", base_url="http://127.0.0.1:9/v1")
    assert custom.key_variable == "WORKBENCH_LAB_BOX_API_KEY"
    assert Target.of(custom).env_key == "WORKBENCH_LAB_BOX_API_KEY"
    assert resolve("custom", "http://127.0.0.1:9/v1", store=store).env_key == (
        "WORKBENCH_CUSTOM_API_KEY"
    )


def test_the_key_variable_of_a_custom_provider_is_read(monkeypatch):
    from workbench.core.cloud.resolve import key_for
    from workbench.core.keys import KeyStore

    store = ProviderStore()
    custom = store.add("custom", name="Lab box", base_url="http://127.0.0.1:9/v1")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("WORKBENCH_LAB_BOX_API_KEY", "sk-lab-box-key")
    assert key_for(Target.of(custom), KeyStore()) == "sk-lab-box-key"


def provider(preset_id: str, models: list[str], model: str | None = None) -> Provider:
    return Provider("p", "P", preset_id, "http://127.0.0.1:9/v1", models=models, model=model)


def test_a_picker_starts_on_the_last_model_then_the_default_never_the_first_name():
    listed = sorted(["babbage-002", "dall-e-3", "gpt-4o", "gpt-4o-mini", "text-embedding-3"])
    assert provider("openai", listed).starting_model() == "gpt-4o-mini"  # the preset's default
    assert provider("openai", []).starting_model() == "gpt-4o-mini"  # nothing listed yet
    assert provider("openai", listed, model="gpt-4o").starting_model() == "gpt-4o"  # last used
    # No default (or not offered here): the first model that can chat.
    assert provider("custom", sorted(DEFAULT_MODELS)).starting_model() == "fake-chat"
    assert sorted(DEFAULT_MODELS)[0] == ALWAYS_FAILS  # the trap is really first
    assert provider("openai", ["whisper-1", "o4-mini"]).starting_model() == "o4-mini"
    assert provider("custom", []).starting_model() == ""
    assert not can_chat(ALWAYS_FAILS) and can_chat("qwen2.5:7b")
