"""Shared fixtures: every test gets its own WORKBENCH_HOME, so nothing touches real user data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Tests read English whatever the machine's locale (before workbench is imported: the language
# a process inherits is read once). The translation tests choose their language explicitly.
os.environ["WORKBENCH_LANG"] = "en"

sys.path.insert(0, str(Path(__file__).parent))

from testmodel import smollm2_path, smollm2_without_template_path

ORIGINAL_REPLY_PROMPT = b"{{ '<|im_start|>assistant\n' }}"
THINKING_REPLY_PROMPT = b"{{ '<|im_start|>assistant\n<think>\n' }}"


@pytest.fixture(autouse=True)
def workbench_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    # The Hub settings of the machine running the tests must not leak in.
    for name in ("HF_ENDPOINT", "HF_TOKEN", "HF_HUB_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    # Window tests start on the chat page; the first-run tests turn the welcome page back on.
    monkeypatch.setenv("WORKBENCH_WELCOME", "0")
    return home


@pytest.fixture(autouse=True)
def english_again():
    """Whatever language a test chose, the next one starts in English (core's catalogue, and
    Qt's translators when the test installed them)."""
    yield
    from workbench.core import i18n

    qt_i18n = sys.modules.get("workbench.qt.i18n")
    if qt_i18n is not None and qt_i18n._installed:
        qt_i18n.apply_language("en")
    elif i18n.current_language() != "en":
        i18n.set_language("en")


@pytest.fixture
def zh():
    """core's sentences (and the command line's) in Simplified Chinese for one test."""
    from workbench.core import i18n

    assert i18n.set_language("zh_CN") == "zh_CN"


@pytest.fixture
def zh_qt(qapp):
    """The window's sentences too: Qt's translators (ours and Qt's own) and the default locale
    in Simplified Chinese for one test."""
    from workbench.qt.i18n import apply_language

    assert apply_language("zh_CN") == "zh_CN"


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets an empty in-memory keychain; the real one is never touched."""
    import keyring
    from memkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def test_model() -> Path:
    """The real SmolLM2-135M-Instruct Q4_1 GGUF (downloaded, verified and cached on first use)."""
    return smollm2_path()


@pytest.fixture(scope="session")
def no_template_model(test_model) -> Path:
    """A copy of the test model without its chat template (written once, cached)."""
    return smollm2_without_template_path()


@pytest.fixture(scope="session")
def thinking_model(test_model, tmp_path_factory) -> Path:
    """A copy of the test model whose chat template opens a ``<think>`` block for each reply.

    The template string is patched in place with the same byte length (the system-prompt text
    is shortened and a Jinja comment pads the rest), so every offset in the file stays valid.
    """
    data = bytearray(test_model.read_bytes())
    start = data.find(b"{% for message in messages %}")
    end = data.find(b"{% endif %}", data.find(ORIGINAL_REPLY_PROMPT)) + len(b"{% endif %}")
    old = bytes(data[start:end])
    new = old.replace(b", trained by Hugging Face", b"").replace(
        ORIGINAL_REPLY_PROMPT, THINKING_REPLY_PROMPT
    )
    pad = len(old) - len(new) - 4
    assert ORIGINAL_REPLY_PROMPT in old and pad >= 0
    new += b"{#" + b" " * pad + b"#}"
    assert len(new) == len(old)
    data[start:end] = new
    path = tmp_path_factory.mktemp("thinking") / "thinking-smollm2.gguf"
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def loaded_model(test_model, tmp_path_factory):
    """One loaded LocalBackend shared by a test module (loading costs about a second)."""
    from workbench.core.local.host import LocalBackend
    from workbench.core.options import LoadOptions

    backend = LocalBackend(test_model, LoadOptions(context_length=4096, seed=1))
    backend.load()
    yield backend
    backend.unload()
