"""Cloud providers as the window sees them: the configured list, their keys, and backends.

Keys come out of the keychain on a worker thread (a locked keychain can take seconds to answer)
and are kept in memory for the session, so that making a :class:`CloudBackend` when the user
sends is instant. They are never written anywhere by this module.

The keychain is one resource: every read, write and delete goes through the ``keychain`` job
queue, so they happen one at a time in the order asked, and the key kept here is always the one
the last of them found. A write reads the key back in the same job. A backend asked for from a
job (listing models, testing the connection) waits until the provider's key operations still in
the queue are done, so no request goes out with a key that has not been read yet.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Hashable

from PySide6.QtCore import QObject, Signal

from workbench.core.backend import Error
from workbench.core.cloud.backend import CloudBackend
from workbench.core.cloud.prices import PriceTable
from workbench.core.cloud.providers import Provider, ProviderStore
from workbench.core.cloud.resolve import Target, open_backend
from workbench.core.i18n import translate
from workbench.core.keys import KeyStore, KeyStoreError
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

KEYCHAIN_QUEUE = "keychain"
# How long a job waits for queued key operations: a keychain call gives up after
# KeyStore.timeout (5 s), and a few of them may be queued before it.
KEY_WAIT_S = 30.0


class CloudSession(QObject):
    """Providers, keys and prices shared by the model panel and the settings dialog.

    Signals:
        providers_changed(): a provider was added, changed or removed.
        key_changed(str): the key of this provider was read, saved or deleted.
        key_failed(str, str): provider id, one sentence (saving or deleting failed).
    """

    providers_changed = Signal()
    key_changed = Signal(str)
    key_failed = Signal(str, str)

    def __init__(
        self,
        store: ProviderStore | None = None,
        keys: KeyStore | None = None,
        prices: PriceTable | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store if store is not None else ProviderStore()
        self.keys = keys if keys is not None else KeyStore()
        self.prices = prices if prices is not None else PriceTable()
        self.jobs = JobRunner(self)
        self._gui_thread = threading.get_ident()
        # Written by the keychain queue's jobs as each one ends, read from any thread.
        self._lock = threading.Condition()
        self._keys: dict[str, str | None] = {}
        self._sources: dict[str, str | None] = {}
        self._versions: dict[str, int] = {}
        self._queued: dict[str, int] = {}  # provider id → its key operations not yet done
        for provider in self.store.providers():
            self.read_key(provider.id)

    # -- providers --------------------------------------------------------------------------------

    def providers(self) -> list[Provider]:
        return self.store.providers()

    def provider(self, provider_id: str) -> Provider | None:
        try:
            return self.store.get(provider_id)
        except KeyError:
            return None

    def add_provider(
        self, preset_id: str, *, name: str | None = None, base_url: str | None = None
    ) -> Provider:
        provider = self.store.add(preset_id, name=name, base_url=base_url)
        self.providers_changed.emit()
        self.read_key(provider.id)
        return provider

    def update_provider(self, provider: Provider) -> None:
        self.store.update(provider)
        self.providers_changed.emit()

    def remove_provider(self, provider_id: str) -> None:
        # ProviderStore.remove deletes the key too: a keychain operation like the others.
        def done(_result: object) -> None:
            with self._lock:
                self._keys.pop(provider_id, None)
                self._sources.pop(provider_id, None)
            self.providers_changed.emit()

        self.jobs.run(
            lambda: self.store.remove(provider_id),
            done,
            lambda exc: self.key_failed.emit(provider_id, _sentence(exc)),
            queue=KEYCHAIN_QUEUE,
        )

    # -- keys -------------------------------------------------------------------------------------

    def _env_key(self, provider_id: str) -> str | None:
        provider = self.provider(provider_id)
        return None if provider is None else provider.key_variable

    def _key_job(
        self,
        provider_id: str,
        change: Callable[[], object] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue ``change`` (a write or delete, if any), then a read of the key it left."""
        env_key = self._env_key(provider_id)
        with self._lock:
            self._queued[provider_id] = self._queued.get(provider_id, 0) + 1

        def work() -> bool:
            try:
                if change is not None:
                    change()  # an exception here goes to `failed`, and nothing is read
                try:
                    found = (
                        self.keys.get(provider_id, env_key=env_key),
                        self.keys.source(provider_id, env_key=env_key),
                    )
                except Exception as exc:  # a damaged key file: the key stays unknown
                    log.warning("key not read: %s", type(exc).__name__)
                    return False
                with self._lock:
                    self._keys[provider_id], self._sources[provider_id] = found
                    self._versions[provider_id] = self._versions.get(provider_id, 0) + 1
                return True
            finally:
                with self._lock:
                    self._queued[provider_id] -= 1
                    self._lock.notify_all()

        def done(read: bool) -> None:
            if read:
                self.key_changed.emit(provider_id)

        self.jobs.run(work, done, failed, queue=KEYCHAIN_QUEUE)

    def read_key(self, provider_id: str) -> None:
        """Read the key (environment, keychain, opt-in file) on the keychain queue."""
        self._key_job(provider_id)

    def key_source(self, provider_id: str) -> str | None:
        """ "environment", "keychain", "file" or None (no key, or not read yet)."""
        with self._lock:
            return self._sources.get(provider_id)

    def key_loaded(self, provider_id: str) -> bool:
        with self._lock:
            return provider_id in self._keys

    def key_variable(self, provider_id: str) -> str | None:
        """The environment variable the provider's key is read from, or None (no provider)."""
        return self._env_key(provider_id)

    def save_key(self, provider_id: str, key: str) -> None:
        """Save the key: keychain, else the key file when chosen, else memory until the end
        of the session (:attr:`key_source` says which once :attr:`key_changed` is emitted)."""
        self._key_job(
            provider_id,
            lambda: self.keys.set(provider_id, key, session_fallback=True),
            lambda exc: self.key_failed.emit(provider_id, _sentence(exc)),
        )

    def delete_key(self, provider_id: str) -> None:
        self._key_job(
            provider_id,
            lambda: self.keys.delete(provider_id),
            lambda exc: self.key_failed.emit(provider_id, _sentence(exc)),
        )

    def set_file_store(self, enabled: bool) -> None:
        """Keep keys in the private key file, or stop (see :meth:`KeyStore.enable_file_store`),
        on the keychain queue; every provider's key is read again afterwards."""
        ids = [p.id for p in self.providers()]
        first = ids[0] if ids else ""
        self.jobs.run(
            lambda: self.keys.enable_file_store(enabled),
            lambda _r: [self.read_key(pid) for pid in ids],
            lambda exc: self.key_failed.emit(first, _sentence(exc)),
            queue=KEYCHAIN_QUEUE,
        )

    def _wait_for_key(self, provider_id: str) -> None:
        """Off the GUI thread: wait until the provider's queued key operations are done."""
        if threading.get_ident() == self._gui_thread:
            return  # the GUI thread never waits on the keychain; it uses the key read so far
        with self._lock:
            if not self._lock.wait_for(lambda: not self._queued.get(provider_id), KEY_WAIT_S):
                log.warning("the key of %s is still being read; going on without it", provider_id)

    # -- backends ---------------------------------------------------------------------------------

    def needs_key(self, provider_id: str) -> bool:
        """True for the cloud presets, which always need one (see :attr:`Target.needs_key`)."""
        provider = self.provider(provider_id)
        return provider is not None and Target.of(provider).needs_key

    def key_version(self, provider_id: str) -> int:
        """Grows each time the key is read again (saved, replaced, deleted)."""
        with self._lock:
            return self._versions.get(provider_id, 0)

    def backend(self, provider_id: str, model: str) -> CloudBackend:
        """A backend for this provider and model, with the key read earlier.

        Called from a job, it first waits for the key operations still queued for this
        provider (see the module docstring); on the GUI thread it never waits.

        Raises:
            KeyError: No such provider is configured.
        """
        provider = self.provider(provider_id)
        if provider is None:
            raise KeyError(provider_id)
        target = Target.of(provider)
        self._wait_for_key(provider_id)
        with self._lock:
            key = self._keys.get(provider_id)
        price = self.prices.lookup(target.id, model, local=target.info.local)
        return open_backend(target, model, key=key, price=price)


class CloudBackends(QObject):
    """Cloud backends kept for reuse, one per owner (the chat, a compare target).

    A backend holds a connection pool, so it is reused while its provider, model, address and
    key stay the same, and closed when any of them changes.
    """

    def __init__(self, cloud: CloudSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cloud = cloud
        self._kept: dict[Hashable, tuple[CloudBackend, tuple]] = {}

    def backend(
        self, owner: Hashable, provider_id: str, model: str
    ) -> tuple[CloudBackend | None, Error | None]:
        """The owner's backend for this provider and model, or why it cannot answer."""
        provider = self.cloud.provider(provider_id)
        if provider is None:
            return None, Error(
                self.tr(
                    "The provider {0} is no longer set up; add it again in Settings › Providers."
                ).format(provider_id),
                "not_found",
            )
        if self.cloud.needs_key(provider_id) and self.cloud.key_source(provider_id) is None:
            return None, Error(
                self.tr("There is no key for {0} yet: add it in Settings › Providers.").format(
                    provider.name
                ),
                "auth",
            )
        key = (provider_id, model, provider.base_url, self.cloud.key_version(provider_id))
        kept = self._kept.get(owner)
        if kept is None or kept[1] != key:
            if kept is not None:
                kept[0].close()
            kept = (self.cloud.backend(provider_id, model), key)
            self._kept[owner] = kept
        return kept[0], None

    def close_all_except(self, keep: Collection[Hashable] = ()) -> None:
        for owner in list(self._kept):
            if owner not in keep:
                self._kept.pop(owner)[0].close()


def _sentence(exc: Exception) -> str:
    if isinstance(exc, (KeyStoreError, ValueError)):
        return str(exc)
    log.error("key operation failed", exc_info=exc)
    return translate("CloudSession", "The key could not be saved; the details are in the log file.")
