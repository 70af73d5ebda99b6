"""API keys for cloud providers: the environment, the OS keychain, an opt-in file, or memory.

Reading looks at the provider's own environment variable first (``OPENAI_API_KEY``…), so a key
set for one session or by the user's other tools wins; then the keychain; then the key file,
which exists only when the user has turned it on for a machine without a keychain; then the keys
kept in memory until the program ends (a machine without a keychain, file not chosen). Keys are
written to the keychain when there is one, else to the file when the user allowed it, else (when
asked) to memory only, and nowhere else: never to settings, the database or the log. No message
or log line here ever contains a key. The window and the command line both change the key file:
each change re-reads it under its lock (:func:`~workbench.core.atomic.file_lock`), so neither
drops the other's key.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
from pathlib import Path

from workbench.core import paths, secrets
from workbench.core.atomic import file_lock, write_json
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate
from workbench.core.state import JsonFile

log = logging.getLogger(__name__)

KEYCHAIN_PREFIX = "api-key:"
KEYS_FILE = "keys.json"
OPTIN_FILE = "keys-optin.json"

# Written into the key file in English (a file's note); shown translated in the window.
FILE_STORE_WARNING = QT_TRANSLATE_NOOP(
    "core.keys",
    "API keys kept in this file are protected only by its permissions, so you and any program "
    "you run can read them.",
)
_POSIX = os.name == "posix"


class KeyStoreError(Exception):
    """A key could not be saved, read or deleted; str() is one plain sentence."""


def keychain_name(provider_id: str) -> str:
    """The keychain entry for a provider's key (service "Workbench")."""
    return f"{KEYCHAIN_PREFIX}{provider_id}"


def check_key(key: str) -> str:
    """The key without surrounding whitespace.

    Raises:
        KeyStoreError: Empty, or not something an HTTP header can carry (spaces or line breaks
            inside, non-ASCII or control characters): most likely a paste gone wrong.
    """
    key = (key or "").strip()
    if not key:
        raise KeyStoreError(translate("core.keys", "The API key is empty."))
    if any(c.isspace() for c in key):
        raise KeyStoreError(
            translate(
                "core.keys",
                "That does not look like an API key because it contains spaces or line breaks.",
            )
        )
    if not key.isascii() or not key.isprintable():
        raise KeyStoreError(
            translate(
                "core.keys",
                "That does not look like an API key because it contains characters other than "
                "plain letters, digits and punctuation.",
            )
        )
    return key


class KeyStore:
    """Where API keys are kept, per provider id."""

    def __init__(self, data_dir: Path | None = None, *, timeout: float = 5.0) -> None:
        self.data_dir = data_dir if data_dir is not None else paths.data_dir()
        self.timeout = timeout
        self.keys_path = self.data_dir / KEYS_FILE
        self._optin = JsonFile(self.data_dir / OPTIN_FILE)
        self._no_keychain = False
        self._session: dict[str, str] = {}  # kept until the program ends, never written

    # -- the keychain --------------------------------------------------------------------

    def keychain_available(self) -> bool:
        """False when this system has no keychain (or one call already found none)."""
        return secrets.keyring_available() and not self._no_keychain

    def _keychain_missing(self, exc: secrets.SecretStoreError) -> bool:
        missing = exc.no_keychain or not secrets.keyring_available()
        if missing:
            self._no_keychain = True
        return missing

    def _keychain_get(self, provider_id: str) -> str | None:
        try:
            value = secrets.get_secret(keychain_name(provider_id), timeout=self.timeout)
        except secrets.SecretStoreError as exc:
            # A keychain that cannot be read means "no key there": the file or the user's
            # next action decides. The message never contains the key.
            if not self._keychain_missing(exc):
                log.warning("API key for %s not read from the keychain: %s", provider_id, exc)
            return None
        return value.strip() if value and value.strip() else None

    # -- the opt-in file -----------------------------------------------------------------

    @property
    def file_store_enabled(self) -> bool:
        """Whether the user allowed keeping keys in ``keys.json`` (the flag is not a secret)."""
        return self._optin.load().get("enabled") is True

    def enable_file_store(self, enabled: bool) -> None:
        """Allow or forbid the key file.

        Allowing it moves the keys kept in memory for this session into the file; forbidding
        it deletes the file and the keys in it.
        """
        if enabled:
            allowed = {"enabled": True, "warning": FILE_STORE_WARNING}
            self._optin.update(lambda data: {**data, **allowed})
            for provider_id, key in list(self._session.items()):
                self._change_file_keys(provider_id, key)
                self._session.pop(provider_id, None)
            return
        if not self.data_dir.exists():
            return  # nothing was ever allowed or written
        for path in (self.keys_path, self._optin.path):
            with self._lock(path), contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def _lock(self, path: Path):
        """The lock that every change of ``path`` (in the data folder) is made under."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return file_lock(path)

    def _change_file_keys(self, provider_id: str, key: str | None) -> None:
        """Set (or, with None, remove) one key in the file as it is now, under its lock.

        Raises:
            KeyStoreError: The file is unreadable or damaged.
        """
        with self._lock(self.keys_path):
            keys = self._file_keys(strict=False)
            if key is not None:
                keys[provider_id] = key
            elif keys.pop(provider_id, None) is None:
                return
            self._write_file_keys(keys)

    def _file_keys(self, *, strict: bool = True) -> dict[str, str]:
        """The keys in the file ({} when there is none).

        Args:
            strict: Refuse a file that others can read. Saving and deleting pass False: they
                rewrite the file as private anyway.

        Raises:
            KeyStoreError: The file is readable by others or belongs to someone else, or it is
                unreadable.
        """
        try:
            fd = os.open(self.keys_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise KeyStoreError(
                translate("core.keys", "The key file {path} cannot be read ({reason}).").format(
                    path=self.keys_path, reason=exc.strerror or exc
                )
            ) from None
        with os.fdopen(fd, "rb") as f:
            if _POSIX and strict:
                st = os.fstat(f.fileno())
                if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                    raise KeyStoreError(
                        translate(
                            "core.keys",
                            "The key file {path} can be read by other users, so it is not used; "
                            "make it private with “chmod 600” or save the keys again.",
                        ).format(path=self.keys_path)
                    )
                if st.st_uid != os.getuid():
                    raise KeyStoreError(
                        translate(
                            "core.keys",
                            "The key file {path} belongs to another user, so it is not used.",
                        ).format(path=self.keys_path)
                    )
            raw = f.read()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            # The parse error could quote part of a key, so it is not repeated anywhere.
            raise KeyStoreError(
                translate(
                    "core.keys",
                    "The key file {path} is damaged; delete it and save the keys again.",
                ).format(path=self.keys_path)
            ) from None
        keys = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(keys, dict):
            return {}
        return {k: v for k, v in keys.items() if isinstance(k, str) and isinstance(v, str) and v}

    def _write_file_keys(self, keys: dict[str, str]) -> None:
        """Replace the key file atomically; the file is private (0600) from its first byte.

        Call it holding the file's lock, with keys read under that lock.
        """
        if not keys:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.keys_path)
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        data = {"version": 1, "warning": FILE_STORE_WARNING, "keys": keys}
        write_json(self.keys_path, data, private=True)

    # -- the API ---------------------------------------------------------------------------

    def _lookup(self, provider_id: str, env_key: str | None) -> tuple[str | None, str | None]:
        if env_key:
            value = (os.environ.get(env_key) or "").strip()
            if value:
                return value, "environment"
        value = self._keychain_get(provider_id)
        if value:
            return value, "keychain"
        if self.file_store_enabled:
            value = self._file_keys().get(provider_id)
            if value:
                return value, "file"
        value = self._session.get(provider_id)
        if value:
            return value, "session"
        return None, None

    def get(self, provider_id: str, *, env_key: str | None = None) -> str | None:
        """The key to use for a provider, or None.

        The order is the environment variable ``env_key`` (when set), the keychain, the key
        file (when allowed), then the keys kept for this session. A keychain that fails reads
        as "no key there".

        Raises:
            KeyStoreError: The key file is readable by others or damaged.
        """
        return self._lookup(provider_id, env_key)[0]

    def source(self, provider_id: str, *, env_key: str | None = None) -> str | None:
        """Where :meth:`get` would find the key: "environment", "keychain", "file", "session"
        (in memory until the program ends) or None."""
        return self._lookup(provider_id, env_key)[1]

    def set(
        self,
        provider_id: str,
        key: str,
        *,
        env_key: str | None = None,
        session_fallback: bool = False,
    ) -> str:
        """Save a provider's key; returns where it went: "keychain", "file" or "session".

        The keychain is used whenever it works; the file only when the keychain cannot be
        used and the user turned the file on; memory, until the program ends, when neither
        can take it and ``session_fallback`` asks for that.

        Args:
            env_key: The provider's environment variable, named in the error when nothing can
                store the key.
            session_fallback: Without a keychain and a key file, keep the key in memory for
                this session instead of refusing (the window's choice; the command line ends
                at once, so it refuses).

        Raises:
            KeyStoreError: The key looks wrong, or neither the keychain nor an allowed file
                can take it.
        """
        key = check_key(key)
        try:
            secrets.set_secret(keychain_name(provider_id), key, timeout=self.timeout)
        except secrets.SecretStoreError as exc:
            missing = self._keychain_missing(exc)
            if self.file_store_enabled:
                self._change_file_keys(provider_id, key)
                log.info("API key for %s saved in the key file (keychain: %s)", provider_id, exc)
                return "file"
            if not missing:
                raise KeyStoreError(str(exc)) from None
            if session_fallback:
                self._session[provider_id] = key
                log.info("API key for %s kept in memory only (no keychain)", provider_id)
                return "session"
            if env_key:
                text = translate(
                    "core.keys",
                    "No system keychain is available on this computer, so the key cannot be "
                    "saved; set {variable} for this session or allow keeping API keys in a file "
                    "in Settings.",
                )
            else:
                text = translate(
                    "core.keys",
                    "No system keychain is available on this computer, so the key cannot be "
                    "saved; allow keeping API keys in a file in Settings.",
                )
            raise KeyStoreError(text.format(variable=env_key)) from None
        # A key saved in the keychain replaces any older copy in the file or in memory.
        self._session.pop(provider_id, None)
        if self.keys_path.exists():
            try:
                self._change_file_keys(provider_id, None)
            except KeyStoreError as exc:  # the key is safe in the keychain; the file is stale
                log.warning("old key file left as it is: %s", exc)
        return "keychain"

    def delete(self, provider_id: str) -> None:
        """Delete a provider's key from the keychain, the file and memory (not from the
        environment).

        Raises:
            KeyStoreError: The keychain failed (locked, not answering) while deleting.
        """
        self._session.pop(provider_id, None)
        if self.keys_path.exists():
            self._change_file_keys(provider_id, None)
        try:
            secrets.delete_secret(keychain_name(provider_id), timeout=self.timeout)
        except secrets.SecretStoreError as exc:
            if not self._keychain_missing(exc):
                raise KeyStoreError(str(exc)) from None
