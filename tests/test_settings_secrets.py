"""Settings (Hub endpoint, models folder) and secrets kept in the keychain."""

from __future__ import annotations

import threading

import keyring
import pytest
from memkeyring import NoKeyring

from workbench.core import secrets
from workbench.core.settings import (
    HUB_DEFAULT,
    HUB_MIRROR,
    Settings,
    SettingsError,
    endpoint_preset,
    hub_endpoint,
    load_settings,
    normalize_endpoint,
    save_settings,
)


def test_endpoint_defaults_to_the_hub():
    assert hub_endpoint(Settings(), environ={}) == HUB_DEFAULT


def test_hf_endpoint_applies_until_the_user_chooses(monkeypatch):
    env = {"HF_ENDPOINT": "https://hf-mirror.com/"}
    assert hub_endpoint(Settings(), environ=env) == HUB_MIRROR
    chosen = Settings(hub_endpoint="https://example.org")
    assert hub_endpoint(chosen, environ=env) == "https://example.org"
    # The command line puts the environment before the setting, and --endpoint before both.
    assert hub_endpoint(chosen, environ=env, env_first=True) == HUB_MIRROR
    assert hub_endpoint(chosen, environ=env, override="http://127.0.0.1:9") == "http://127.0.0.1:9"


@pytest.mark.parametrize(
    "bad",
    [
        "hf-mirror.com",
        "ftp://x.org",
        "https://",
        "https://x.org/?a=1",
        "https://x.org/#top",
        "",
        "   ",
        None,
        "http://:8080",
        "http://host:port",
        "http://host:0",
        "http://[::1",
    ],
)
def test_unusable_endpoints_are_refused_with_a_sentence(bad):
    with pytest.raises(SettingsError) as err:
        normalize_endpoint(bad)
    assert str(err.value)[:1].isupper() and str(err.value).endswith(".")


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("https://hf-mirror.com/", HUB_MIRROR),
        ("  HTTPS://hf-mirror.com//  ", "https://hf-mirror.com"),
        ("http://10.0.0.2:8080", "http://10.0.0.2:8080"),
        ("http://[::1]:9000/hub/", "http://[::1]:9000/hub"),
    ],
)
def test_endpoints_are_normalised_one_way(given, normal):
    assert normalize_endpoint(given) == normal


def test_the_hub_client_applies_the_same_rule():
    from workbench.core.hub.client import HubClient, HubError

    assert HubClient("https://hf-mirror.com/").endpoint == HUB_MIRROR
    with pytest.raises(HubError) as err:
        HubClient("https://x.org/?a=1")
    assert err.value.kind == "invalid" and "?" in str(err.value)


def test_a_bad_hf_endpoint_is_reported_not_ignored():
    with pytest.raises(SettingsError, match="HF_ENDPOINT"):
        hub_endpoint(Settings(), environ={"HF_ENDPOINT": "hf-mirror.com"})


def test_settings_round_trip_and_presets(tmp_path):
    assert load_settings() == Settings()
    save_settings(Settings(hub_endpoint=HUB_MIRROR, models_dir=str(tmp_path / "m")))
    loaded = load_settings()
    assert loaded.hub_endpoint == HUB_MIRROR
    assert loaded.models_path() == tmp_path / "m" and (tmp_path / "m").is_dir()
    assert endpoint_preset(HUB_MIRROR + "/") == "mirror"
    assert endpoint_preset(HUB_DEFAULT) == "huggingface"
    assert endpoint_preset("http://10.0.0.2:8080") == "custom"


def test_a_damaged_settings_file_gives_defaults(workbench_home):
    (workbench_home / "settings.json").write_text('{"hub_endpoint": "nonsense", "models_dir": 3}')
    assert load_settings() == Settings()


def test_secrets_live_in_the_keychain(memory_keyring):
    secrets.set_secret(secrets.HF_TOKEN, "  hf_abcdefghijkl  ")
    assert memory_keyring.secrets[("Workbench", "huggingface-token")] == "hf_abcdefghijkl"
    assert secrets.get_secret(secrets.HF_TOKEN) == "hf_abcdefghijkl"
    assert secrets.hf_token() == "hf_abcdefghijkl"
    secrets.delete_secret(secrets.HF_TOKEN)
    secrets.delete_secret(secrets.HF_TOKEN)  # twice is fine
    assert secrets.hf_token() is None


def test_hf_token_from_the_environment_comes_first(monkeypatch, memory_keyring):
    secrets.set_secret(secrets.HF_TOKEN, "hf_fromkeychain")
    monkeypatch.setenv("HF_TOKEN", "hf_fromenvironment")
    assert secrets.hf_token() == "hf_fromenvironment"


def test_no_keychain_is_said_plainly_and_nothing_is_written(workbench_home):
    keyring.set_keyring(NoKeyring())
    with pytest.raises(secrets.SecretStoreError, match="No system keychain"):
        secrets.set_secret(secrets.HF_TOKEN, "hf_secretvalue123")
    assert secrets.hf_token() is None  # a public download still works without a token
    for path in workbench_home.rglob("*"):
        if path.is_file():
            assert b"hf_secretvalue123" not in path.read_bytes()


def test_a_hanging_keychain_times_out():
    release = threading.Event()

    class Hanging(NoKeyring):
        def get_password(self, service, username):
            release.wait(10)

    keyring.set_keyring(Hanging())
    try:
        with pytest.raises(secrets.SecretStoreError, match="did not answer"):
            secrets.get_secret(secrets.HF_TOKEN, timeout=0.2)
    finally:
        release.set()


def test_empty_secret_is_refused():
    with pytest.raises(secrets.SecretStoreError):
        secrets.set_secret(secrets.HF_TOKEN, "   ")


def test_keyring_availability():
    assert secrets.keyring_available()  # the in-memory test keychain
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert not secrets.keyring_available()
