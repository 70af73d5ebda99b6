"""Files the window and the command line both write: neither undoes the other's change.

The window holds its stores (and their in-memory copies) for as long as it is open; a
``workbench`` command run meanwhile changes the same files. Each store applies only its own
change to the file as it is when it saves.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading

import keyring
import pytest
from memkeyring import NoKeyring
from openai_fake import fake_openai  # noqa: F401 - a fixture

from workbench.core.cloud.prices import DEFAULT_PRICES, Price, PriceTable
from workbench.core.cloud.providers import PRESETS, Provider, ProviderStore, preset
from workbench.core.keys import KeyStore
from workbench.core.presets import Preset, PresetStore, builtin_presets
from workbench.core.settings import HUB_MIRROR, Settings, load_settings, save_settings
from workbench.core.state import app_state
from workbench.qt.cloud import CloudSession

OLLAMA = preset("ollama").base_url


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for p in PRESETS:
        if p.env_key:
            monkeypatch.delenv(p.env_key, raising=False)


def workbench(*args: str) -> subprocess.CompletedProcess:
    """Run the command line in its own process, over this test's WORKBENCH_HOME."""
    env = os.environ.copy()
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the real keychain
    result = subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def cloud(qtbot):
    """The window's CloudSession, open for the whole test; its key jobs end before the next."""
    session = CloudSession()
    yield session
    qtbot.waitUntil(lambda: session.jobs.pending() == 0, timeout=10_000)


def saved_providers(workbench_home) -> dict[str, dict]:
    data = json.loads((workbench_home / "providers.json").read_text(encoding="utf-8"))
    return {p["id"]: p for p in data["providers"]}


# -- providers ------------------------------------------------------------------------------------


def test_providers_added_from_the_command_line_survive_the_window_saving(cloud, workbench_home):
    session = cloud
    mine = session.add_provider("custom", name="Desk box", base_url="http://127.0.0.1:9/v1")
    shown = session.provider(mine.id)  # what the settings page has on screen

    workbench("providers", "add", "vllm", "--name", "Lab server")
    workbench("providers", "add", "ollama")

    shown.name = "Desk box (renamed)"
    session.update_provider(shown)
    session.add_provider("deepseek")

    saved = saved_providers(workbench_home)
    assert list(saved) == ["desk-box", "lab-server", "ollama", "deepseek"]
    assert saved["desk-box"]["name"] == "Desk box (renamed)"
    assert saved["lab-server"]["base_url"] == "http://localhost:8000/v1"
    assert [p.id for p in session.providers()] == list(saved)
    # And the other way round: the command line sees the window's changes.
    listed = json.loads(workbench("providers", "--json").stdout)
    assert [p["id"] for p in listed] == list(saved)


def test_the_window_removing_a_provider_keeps_one_added_meanwhile(qtbot, cloud, workbench_home):
    session = cloud
    first = session.add_provider("ollama")
    workbench("providers", "add", "lmstudio")
    with qtbot.waitSignal(session.providers_changed, timeout=10_000):
        session.remove_provider(first.id)
    assert list(saved_providers(workbench_home)) == ["lmstudio"]


def test_one_provider_changed_by_both_keeps_both_changes(
    cloud,
    workbench_home,
    fake_openai,  # noqa: F811
):
    session = cloud
    added = session.add_provider("custom", name="Fake", base_url=fake_openai.base_url)
    shown = session.provider(added.id)
    assert shown.models == []

    # The command line fetches the model list into the same provider …
    listed = workbench("providers", "models", added.id).stdout.split()
    assert listed == sorted(fake_openai.models)
    # … while the window, holding its older copy, renames it and picks a model.
    shown.name = "Fake (renamed)"
    shown.model = "typed-by-hand"
    session.update_provider(shown)

    saved = saved_providers(workbench_home)[added.id]
    assert saved["name"] == "Fake (renamed)" and saved["model"] == "typed-by-hand"
    assert saved["models"] == listed  # the command line's change is still there
    assert shown.models == listed  # and the window's copy now holds what was saved


def test_a_provider_made_in_code_is_saved_whole(workbench_home):
    store = ProviderStore()
    provider = store.add("ollama")
    other = ProviderStore()
    fetched = other.get(provider.id)
    fetched.models = ["llama3"]
    other.update(fetched)
    # A copy that was never read from the file has no "before": all of it is the change.
    made = Provider(id=provider.id, name="Ollama at home", preset="ollama", base_url=OLLAMA)
    store.update(made)
    assert store.get(provider.id) == made and made.models == []
    # While the copy that add() returned was read from the file: it saves only what changed.
    provider.model = "qwen3"
    store.update(provider)
    assert store.get(provider.id).name == "Ollama at home" and provider.name == "Ollama at home"


def test_adds_from_many_threads_get_distinct_ids(workbench_home):
    stores = [ProviderStore(), ProviderStore()]
    errors: list[BaseException] = []

    def add(store: ProviderStore) -> None:
        try:
            for _ in range(8):
                store.add("openai")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(s,)) for s in stores for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    ids = [p.id for p in ProviderStore().providers()]
    assert len(ids) == 32 and len(set(ids)) == 32


# -- presets, prices, settings, keys, window state -----------------------------------------------


def test_presets_saved_by_two_stores_are_both_kept(tmp_path):
    path = tmp_path / "presets.json"
    window, terminal = PresetStore(path), PresetStore(path)
    window.save(Preset("Poet", "Write verse.", {"temperature": 1.2}))
    terminal.save(Preset("Coder", "Answer with code.", {"temperature": 0.1}))
    builtins = [p.name for p in builtin_presets()]
    expected = sorted([*builtins, "Poet", "Coder"], key=str.casefold)
    assert PresetStore(path).names() == expected
    assert terminal.names() == expected  # refreshed from what it wrote
    window.delete("Precise")
    assert PresetStore(path).names() == [n for n in expected if n != "Precise"]
    assert PresetStore(path).get("Coder").system_prompt == "Answer with code."
    # Deleting what the other store already deleted is no error: it is gone either way.
    terminal.delete("Precise")
    assert "Precise" not in PresetStore(path).names()


def test_prices_edited_by_two_tables_are_both_kept(tmp_path):
    path = tmp_path / "prices.json"
    window, terminal = PriceTable(path), PriceTable(path)
    assert window.entries() == terminal.entries() == DEFAULT_PRICES
    window.set("my-model", Price(1.0, 2.0))
    terminal.set("their-model", Price(3.0, 4.0))
    terminal.remove("gpt-5")
    fresh = PriceTable(path).entries()
    assert fresh["my-model"] == Price(1.0, 2.0) and fresh["their-model"] == Price(3.0, 4.0)
    assert "gpt-5" not in fresh
    assert terminal.entries() == fresh  # refreshed from what it wrote
    window.remove("their-model")  # a price this copy never loaded
    assert "their-model" not in PriceTable(path).entries()
    assert json.loads(path.read_text())["_note"]


def test_settings_saved_by_two_holders_are_both_kept(workbench_home, tmp_path):
    window, terminal = load_settings(), load_settings()
    window.models_dir = str(tmp_path / "models")
    save_settings(window)
    terminal.hub_endpoint = HUB_MIRROR
    save_settings(terminal)
    assert load_settings() == Settings(hub_endpoint=HUB_MIRROR, models_dir=str(tmp_path / "models"))
    # Settings made in code (no "before") are saved whole, as they always were.
    save_settings(Settings(hub_endpoint="https://example.org"))
    assert load_settings() == Settings(hub_endpoint="https://example.org")
    data = json.loads((workbench_home / "settings.json").read_text())
    assert data == {"hub_endpoint": "https://example.org", "models_dir": None}


def test_settings_keep_keys_they_do_not_know(workbench_home):
    (workbench_home / "settings.json").write_text('{"from_a_newer_version": 1}')
    settings = load_settings()
    settings.hub_endpoint = HUB_MIRROR
    save_settings(settings)
    data = json.loads((workbench_home / "settings.json").read_text())
    assert data == {"from_a_newer_version": 1, "hub_endpoint": HUB_MIRROR}


def test_keys_saved_in_the_file_by_two_stores_are_both_kept(workbench_home):
    keyring.set_keyring(NoKeyring())
    window, terminal = KeyStore(), KeyStore()
    window.enable_file_store(True)
    window.set("openai", "sk-window-key-0001")
    terminal.set("deepseek", "sk-terminal-key-0002")
    window.delete("nothing-saved")
    assert KeyStore().get("openai") == "sk-window-key-0001"
    assert KeyStore().get("deepseek") == "sk-terminal-key-0002"
    if os.name == "posix":
        assert stat.S_IMODE((workbench_home / "keys.json").stat().st_mode) == 0o600
    terminal.delete("openai")
    assert KeyStore().get("openai") is None
    assert KeyStore().get("deepseek") == "sk-terminal-key-0002"


def test_window_state_keeps_keys_others_wrote(workbench_home):
    state = app_state()
    state.update(lambda now: {**now, "geometry": "abc", "page": "chat"})
    app_state().update(lambda now: {**now, "written_elsewhere": True})
    state.update(lambda now: {**now, "page": "compare"})
    assert app_state().load() == {"geometry": "abc", "page": "compare", "written_elsewhere": True}


def test_the_window_saving_its_state_keeps_what_others_wrote(qtbot, workbench_home):
    from test_app import make_window

    win = make_window(qtbot)
    try:
        app_state().update(lambda now: {**now, "written_elsewhere": [1, 2]})
        win.pages.setCurrentWidget(win.compare)
        win.save_state()
        saved = app_state().load()
        assert saved["written_elsewhere"] == [1, 2]
        assert saved["page"] == "compare" and saved["geometry"]
    finally:
        win.close()
