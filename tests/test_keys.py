"""API keys: environment > keychain > opt-in file, and no key bytes anywhere else."""

from __future__ import annotations

import logging
import os
import stat
import threading

import keyring
import keyring.backends.fail
import pytest
from memkeyring import MemoryKeyring, NoKeyring

from workbench.core.keys import FILE_STORE_WARNING, KeyStore, KeyStoreError
from workbench.core.logs import setup_logging

# Nothing like "sk-…" or "Bearer …", so the log redaction cannot hide a leak from this test.
MARKER = "wbKEYMARKERzq81x7UNMISTAKABLE"
POSIX = os.name == "posix"


def files_containing(root, needle: str) -> list[str]:
    """Every file under ``root`` whose bytes contain ``needle``."""
    hits = []
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                if needle.encode() in f.read():
                    hits.append(path)
    return hits


@pytest.fixture
def logged(workbench_home):
    """The app's log file in this test's data folder, as the app sets it up."""
    root = logging.getLogger()
    level = root.level
    handler = setup_logging(verbose=False)
    yield workbench_home / "logs"
    if handler is not None:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def no_keychain():
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


def test_set_get_source_delete_in_the_keychain(memory_keyring):
    keys = KeyStore()
    assert keys.keychain_available()
    assert keys.get("deepseek") is None and keys.source("deepseek") is None
    assert keys.set("deepseek", f"  sk-{MARKER}\n") == "keychain"
    assert memory_keyring.secrets == {("Workbench", "api-key:deepseek"): f"sk-{MARKER}"}
    assert keys.get("deepseek") == f"sk-{MARKER}"
    assert keys.source("deepseek") == "keychain"
    assert keys.get("openai") is None  # keys are per provider
    keys.delete("deepseek")
    assert keys.get("deepseek") is None and memory_keyring.secrets == {}
    keys.delete("deepseek")  # deleting twice is fine


def test_the_environment_variable_wins(monkeypatch):
    keys = KeyStore()
    keys.set("openai", "sk-from-the-keychain-0001")
    monkeypatch.setenv("OPENAI_API_KEY", " sk-from-the-environment-0002 ")
    assert keys.get("openai", env_key="OPENAI_API_KEY") == "sk-from-the-environment-0002"
    assert keys.source("openai", env_key="OPENAI_API_KEY") == "environment"
    # Without naming the variable, or with it blank, the keychain answers.
    assert keys.get("openai") == "sk-from-the-keychain-0001"
    monkeypatch.setenv("OPENAI_API_KEY", "   ")
    assert keys.source("openai", env_key="OPENAI_API_KEY") == "keychain"
    # Deleting the saved key leaves the environment alone.
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-the-environment-0002")
    keys.delete("openai")
    assert keys.get("openai", env_key="OPENAI_API_KEY") == "sk-from-the-environment-0002"
    assert keys.get("openai") is None


@pytest.mark.parametrize(
    "bad,needle",
    [
        ("", "empty"),
        ("   \n", "empty"),
        (f"sk-{MARKER} sk-second", "spaces or line breaks"),
        (f"sk-{MARKER}\nsk-second", "spaces or line breaks"),
        (f"sk-{MARKER}é", "plain letters"),
        (f"sk-{MARKER}\x00", "plain letters"),
    ],
)
def test_things_that_are_not_keys_are_refused_without_echo(memory_keyring, bad, needle):
    with pytest.raises(KeyStoreError) as err:
        KeyStore().set("openai", bad)
    message = str(err.value)
    assert needle in message and MARKER not in message
    assert message.endswith(".") and "\n" not in message
    assert memory_keyring.secrets == {}


@pytest.mark.usefixtures("no_keychain")
def test_no_keychain_says_so_and_offers_the_alternatives(workbench_home):
    keys = KeyStore()
    with pytest.raises(KeyStoreError) as err:
        keys.set("deepseek", f"sk-{MARKER}", env_key="DEEPSEEK_API_KEY")
    message = str(err.value)
    assert "No system keychain" in message
    assert "DEEPSEEK_API_KEY" in message and "file" in message
    assert MARKER not in message
    assert not keys.keychain_available()
    # Reading and deleting still work (nothing there); nothing was written anywhere.
    assert keys.get("deepseek") is None
    keys.delete("deepseek")
    assert files_containing(workbench_home, MARKER) == []


def test_the_fail_backend_means_no_keychain():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        assert not KeyStore().keychain_available()
    finally:
        keyring.set_keyring(previous)


@pytest.mark.usefixtures("no_keychain")
def test_the_opt_in_file_store(workbench_home):
    keys = KeyStore()
    assert not keys.file_store_enabled
    keys.enable_file_store(True)
    assert KeyStore().file_store_enabled  # the choice is remembered
    assert keys.set("deepseek", f"sk-{MARKER}") == "file"
    assert keys.set("openai", "sk-another-key-000111") == "file"
    path = workbench_home / "keys.json"
    if POSIX:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.get("deepseek") == f"sk-{MARKER}" and keys.source("deepseek") == "file"
    assert FILE_STORE_WARNING in path.read_text()
    # Only the key file holds the key; the opt-in flag file does not.
    assert files_containing(workbench_home, MARKER) == [str(path)]
    # No temporary files are left behind (the writers' empty lock files stay, as lock files do).
    left = sorted(p.name for p in workbench_home.iterdir() if p.suffix != ".lock")
    assert left == ["keys-optin.json", "keys.json"]
    assert not (workbench_home / "keys.json.lock").read_bytes()
    keys.delete("deepseek")
    assert keys.get("deepseek") is None and keys.get("openai") == "sk-another-key-000111"
    # Turning the store off deletes the file and every key in it.
    keys.enable_file_store(False)
    assert not path.exists() and not keys.file_store_enabled
    assert keys.get("openai") is None


@pytest.mark.skipif(not POSIX, reason="file modes are a POSIX matter")
@pytest.mark.usefixtures("no_keychain")
def test_a_key_file_others_can_read_is_refused(workbench_home):
    keys = KeyStore()
    keys.enable_file_store(True)
    keys.set("openai", f"sk-{MARKER}")
    path = workbench_home / "keys.json"
    os.chmod(path, 0o644)
    with pytest.raises(KeyStoreError) as err:
        keys.get("openai")
    assert "other users" in str(err.value) and MARKER not in str(err.value)
    with pytest.raises(KeyStoreError):
        keys.source("openai")
    # Saving again rewrites the file as private.
    keys.set("openai", f"sk-{MARKER}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keys.get("openai") == f"sk-{MARKER}"


@pytest.mark.usefixtures("no_keychain")
def test_a_damaged_key_file_is_reported_without_its_content(workbench_home):
    keys = KeyStore()
    keys.enable_file_store(True)
    path = workbench_home / "keys.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, f'{{"keys": {{"openai": "sk-{MARKER}'.encode())
    os.close(fd)
    with pytest.raises(KeyStoreError) as err:
        keys.get("openai")
    assert "damaged" in str(err.value) and MARKER not in str(err.value)


def test_the_keychain_is_preferred_when_it_works(workbench_home, memory_keyring):
    keys = KeyStore()
    keys.enable_file_store(True)
    # A key saved to the file while the keychain was missing…
    keyring.set_keyring(NoKeyring())
    try:
        assert keys.set("openai", f"sk-{MARKER}") == "file"
    finally:
        keyring.set_keyring(memory_keyring)
    # …moves to the keychain when saved again, and the file copy goes.
    assert keys.set("openai", f"sk-{MARKER}") == "keychain"
    assert keys.source("openai") == "keychain"
    assert files_containing(workbench_home, MARKER) == []


class HangingKeyring(MemoryKeyring):
    """A keychain that never answers (a locked keychain waiting on a password prompt)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service, username):
        self.release.wait()
        return None

    def set_password(self, service, username, password):
        self.release.wait()


def test_a_hung_keychain_gives_up_with_a_sentence(workbench_home):
    hanging = HangingKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(hanging)
    try:
        keys = KeyStore(timeout=0.2)
        assert keys.get("openai") is None  # a read that fails is "no key", not a crash
        with pytest.raises(KeyStoreError) as err:
            keys.set("openai", f"sk-{MARKER}")
        assert "did not answer" in str(err.value) and MARKER not in str(err.value)
        assert keys.keychain_available()  # it exists; it is just not answering
        # With the file allowed, the key still gets saved.
        keys.enable_file_store(True)
        assert keys.set("openai", f"sk-{MARKER}") == "file"
        assert keys.get("openai") == f"sk-{MARKER}"
    finally:
        hanging.release.set()
        keyring.set_keyring(previous)


def test_no_key_bytes_in_the_data_folder_or_log(workbench_home, logged, memory_keyring):
    keys = KeyStore()
    keys.set("openai", f"sk-{MARKER}")
    assert keys.get("openai") == f"sk-{MARKER}"
    assert keys.source("openai") == "keychain"
    keys.delete("openai")
    # Failures log too: a keychain that breaks while the key is being saved.
    keyring.set_keyring(NoKeyring())
    try:
        with pytest.raises(KeyStoreError):
            keys.set("openai", f"sk-{MARKER}")
        keys.get("openai")
        # The opt-in file logs where the key went; turning it off deletes the file.
        keys.enable_file_store(True)
        assert keys.set("openai", f"sk-{MARKER}") == "file"
        keys.enable_file_store(False)
    finally:
        keyring.set_keyring(memory_keyring)
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "saved in the key file" in (logged / "workbench.log").read_text()
    assert files_containing(workbench_home, MARKER) == []


def test_no_key_bytes_after_a_failed_request(workbench_home, logged, capsys):
    from openai_fake import FakeOpenAI

    from workbench.cli import main
    from workbench.core.cloud.backend import CloudBackend
    from workbench.core.options import SamplingParams

    KeyStore().set("custom", f"sk-{MARKER}")
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        with FakeOpenAI(key="sk-the-right-one-000000") as fake:
            # The stored key is sent, refused (401), and the refusal reported and logged.
            backend = CloudBackend(
                base_url=fake.base_url, api_key=KeyStore().get("custom"), model="fake-chat"
            )
            messages = [{"role": "user", "content": "hi"}]
            events = list(backend.start_reply(messages, SamplingParams()))
            backend.close()
            assert events[-1].kind == "auth" and MARKER not in events[-1].message
            assert fake.requests[-1]["headers"]["authorization"] == f"Bearer sk-{MARKER}"
            # The command line takes the same key from the keychain; --verbose logs to stderr.
            code = main(
                [
                    "--verbose",
                    "chat",
                    "--provider",
                    "custom",
                    "--base-url",
                    fake.base_url,
                    "--model",
                    "fake-chat",
                    "--prompt",
                    "hi",
                ]
            )
            assert fake.requests[-1]["headers"]["authorization"] == f"Bearer sk-{MARKER}"
        out, err = capsys.readouterr()
        assert code == 1 and "error: " in err
        assert MARKER not in out + err
        for handler in root.handlers:
            handler.flush()
        assert files_containing(workbench_home, MARKER) == []
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()


@pytest.mark.usefixtures("no_keychain")
def test_without_a_keychain_a_key_can_be_kept_for_the_session_only(workbench_home):
    keys = KeyStore()
    key = f"sk-{MARKER}-session"
    assert keys.set("my-vllm", key, session_fallback=True) == "session"
    assert keys.get("my-vllm") == key and keys.source("my-vllm") == "session"
    assert files_containing(workbench_home, MARKER) == []  # memory only
    assert KeyStore().get("my-vllm") is None  # another run never sees a session key
    keys.delete("my-vllm")
    assert keys.get("my-vllm") is None
    # Choosing the key file later moves a session key there.
    keys.set("my-vllm", key, session_fallback=True)
    keys.enable_file_store(True)
    assert keys.source("my-vllm") == "file" and keys.get("my-vllm") == key
    assert KeyStore().get("my-vllm") == key


def test_a_key_saved_in_the_keychain_replaces_a_session_key(workbench_home, memory_keyring):
    keys = KeyStore()
    keys._session["openai"] = "sk-old-session-key"
    assert keys.set("openai", "sk-new-keychain-key", session_fallback=True) == "keychain"
    assert keys.get("openai") == "sk-new-keychain-key" and keys.source("openai") == "keychain"
    keys.delete("openai")
    assert keys.get("openai") is None
