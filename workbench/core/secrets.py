"""Secrets (the Hugging Face token now, API keys later) live only in the OS keychain.

Everything goes through ``keyring``. A keychain can hang (a locked macOS keychain waiting for a
password prompt, a Secret Service daemon that never answers), so every call runs on a helper
thread and gives up after a timeout; callers in the GUI run these from worker threads anyway.
When no keychain works, the error says so in one sentence and nothing is written anywhere else.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from typing import TypeVar

from workbench.core.i18n import QT_TRANSLATE_NOOP, translate

log = logging.getLogger(__name__)

SERVICE = "Workbench"
HF_TOKEN = "huggingface-token"
DEFAULT_TIMEOUT = 5.0

T = TypeVar("T")


def _keyring():
    """The keyring package, imported on first use: finding its backends takes a fifth of a
    second, which the window's start-up should not pay (the token is read on a thread)."""
    import keyring
    import keyring.backends.fail
    import keyring.errors

    return keyring


class SecretStoreError(Exception):
    """The keychain could not be used; the message is one plain sentence.

    Attributes:
        no_keychain: This system has no keychain at all (not locked, hung or failing).
    """

    def __init__(self, message: str, *, no_keychain: bool = False) -> None:
        super().__init__(message)
        self.no_keychain = no_keychain


NO_KEYCHAIN = QT_TRANSLATE_NOOP(
    "core.secrets",
    "No system keychain is available on this computer, so the secret cannot be saved; set it "
    "in the environment instead (for example HF_TOKEN).",
)
# What the keychain was doing: (it did not answer, it failed), one whole sentence each.
_DOING = {
    "reading a secret": (
        QT_TRANSLATE_NOOP(
            "core.secrets",
            "The system keychain did not answer within {seconds} s while reading a secret; "
            "unlock it and try again.",
        ),
        QT_TRANSLATE_NOOP("core.secrets", "The system keychain failed while reading a secret."),
    ),
    "saving a secret": (
        QT_TRANSLATE_NOOP(
            "core.secrets",
            "The system keychain did not answer within {seconds} s while saving a secret; "
            "unlock it and try again.",
        ),
        QT_TRANSLATE_NOOP("core.secrets", "The system keychain failed while saving a secret."),
    ),
    "deleting a secret": (
        QT_TRANSLATE_NOOP(
            "core.secrets",
            "The system keychain did not answer within {seconds} s while deleting a secret; "
            "unlock it and try again.",
        ),
        QT_TRANSLATE_NOOP("core.secrets", "The system keychain failed while deleting a secret."),
    ),
}


def _call(fn: Callable[[], T], what: str, timeout: float) -> T:
    """Run ``fn`` on a helper thread; ``what`` is one of :data:`_DOING`'s keys."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread below
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True, name="keyring")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise SecretStoreError(
            translate("core.secrets", _DOING[what][0]).format(seconds=f"{timeout:g}")
        )
    error = box.get("error")
    keyring = _keyring()
    if error is None:
        return box.get("value")  # type: ignore[return-value]
    if isinstance(error, keyring.errors.NoKeyringError):
        raise SecretStoreError(translate("core.secrets", NO_KEYCHAIN), no_keychain=True) from None
    if isinstance(error, keyring.errors.KeyringLocked):
        raise SecretStoreError(
            translate("core.secrets", "The system keychain is locked; unlock it and try again.")
        ) from None
    # Never put the exception text in front of users unredacted: some backends echo arguments.
    log.warning("keychain error while %s: %s", what, type(error).__name__)
    raise SecretStoreError(translate("core.secrets", _DOING[what][1])) from None


def get_secret(name: str, *, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """The stored secret, or None when none is stored."""
    return _call(lambda: _keyring().get_password(SERVICE, name), "reading a secret", timeout)


def set_secret(name: str, value: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    value = value.strip()
    if not value:
        raise SecretStoreError(translate("core.secrets", "The secret is empty."))
    _call(lambda: _keyring().set_password(SERVICE, name, value), "saving a secret", timeout)


def delete_secret(name: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Remove a stored secret; removing one that is not there is not an error."""

    def delete() -> None:
        keyring = _keyring()
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, name)

    _call(delete, "deleting a secret", timeout)


def keyring_description() -> str:
    """Which keychain backend is in use, for the self-test and the settings dialog."""
    keyring = _keyring()
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is reported, not raised
        return "none"
    return f"{type(backend).__module__}.{type(backend).__name__}"


def keyring_available() -> bool:
    """False when keyring has fallen back to its "fail" backend (no keychain on this system)."""
    keyring = _keyring()
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, keyring.backends.fail.Keyring):
        return False
    chained = getattr(backend, "backends", None)
    return chained is None or bool(chained)


def hf_token(*, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """The Hugging Face token: ``HF_TOKEN`` from the environment first, then the keychain.

    A keychain that cannot be read means "no token" here (logged): a public download must not
    fail because the keychain is locked.
    """
    env = (os.environ.get("HF_TOKEN") or "").strip()
    if env:
        return env
    try:
        return get_secret(HF_TOKEN, timeout=timeout)
    except SecretStoreError as exc:
        log.info("no Hugging Face token from the keychain: %s", exc)
        return None
