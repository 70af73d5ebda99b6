"""Cloud providers as the window sees them: the configured list, their keys, and backends.

Keys come out of the keychain on a worker thread (a locked keychain can take seconds to answer)
and are kept in memory for the session, so that making a :class:`CloudBackend` when the user
sends is instant. They are never written anywhere by this module.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from workbench.core.cloud.backend import CloudBackend
from workbench.core.cloud.prices import PriceTable
from workbench.core.cloud.providers import Provider, ProviderStore, preset
from workbench.core.keys import KeyStore, KeyStoreError
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)


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
        self._lock = threading.Lock()
        self._keys: dict[str, str | None] = {}
        self._sources: dict[str, str | None] = {}
        self._versions: dict[str, int] = {}
        self._reads: dict[str, int] = {}  # provider id → number of its latest key read
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
        # ProviderStore.remove deletes the key too; it talks to the keychain, so off the thread.
        def work() -> None:
            self.store.remove(provider_id)

        def done(_result: object) -> None:
            with self._lock:
                self._keys.pop(provider_id, None)
                self._sources.pop(provider_id, None)
            self.providers_changed.emit()

        self.jobs.run(work, done, lambda exc: self.key_failed.emit(provider_id, _sentence(exc)))

    # -- keys -------------------------------------------------------------------------------------

    def _env_key(self, provider_id: str) -> str | None:
        provider = self.provider(provider_id)
        if provider is None:
            return None
        try:
            return preset(provider.preset).env_key
        except KeyError:
            return None

    def read_key(self, provider_id: str) -> None:
        """Read the key (environment, keychain, opt-in file) on a worker thread.

        Reads can finish out of order (the first one also imports the keychain library): only
        the latest read of a provider's key is kept, so an older "no key yet" can't overwrite a
        key saved since.
        """
        env_key = self._env_key(provider_id)
        with self._lock:
            request = self._reads[provider_id] = self._reads.get(provider_id, 0) + 1

        def work() -> tuple[str | None, str | None]:
            return (
                self.keys.get(provider_id, env_key=env_key),
                self.keys.source(provider_id, env_key=env_key),
            )

        def done(result: tuple[str | None, str | None]) -> None:
            with self._lock:
                if self._reads.get(provider_id) != request:
                    return  # a newer read is on its way
                self._keys[provider_id], self._sources[provider_id] = result
                self._versions[provider_id] = self._versions.get(provider_id, 0) + 1
            self.key_changed.emit(provider_id)

        self.jobs.run(work, done, lambda exc: log.warning("key not read: %s", type(exc).__name__))

    def key_source(self, provider_id: str) -> str | None:
        """ "environment", "keychain", "file" or None (no key, or not read yet)."""
        with self._lock:
            return self._sources.get(provider_id)

    def key_loaded(self, provider_id: str) -> bool:
        with self._lock:
            return provider_id in self._keys

    def save_key(self, provider_id: str, key: str) -> None:
        def work() -> str:
            return self.keys.set(provider_id, key)

        self.jobs.run(
            work,
            lambda _where: self.read_key(provider_id),
            lambda exc: self.key_failed.emit(provider_id, _sentence(exc)),
        )

    def delete_key(self, provider_id: str) -> None:
        self.jobs.run(
            lambda: self.keys.delete(provider_id),
            lambda _r: self.read_key(provider_id),
            lambda exc: self.key_failed.emit(provider_id, _sentence(exc)),
        )

    # -- backends ---------------------------------------------------------------------------------

    def needs_key(self, provider_id: str) -> bool:
        """True for the cloud presets, which always need one. Servers on the user's own machine
        usually don't, and a Custom address may or may not: it is tried without one, and a
        refusal is reported as such."""
        provider = self.provider(provider_id)
        if provider is None:
            return False
        p = provider.preset_info()
        return not p.local and p.id != "custom"

    def key_version(self, provider_id: str) -> int:
        """Grows each time the key is read again (saved, replaced, deleted)."""
        with self._lock:
            return self._versions.get(provider_id, 0)

    def backend(self, provider_id: str, model: str) -> CloudBackend:
        """A backend for this provider and model, with the key read earlier."""
        provider = self.provider(provider_id)
        if provider is None:
            raise KeyError(provider_id)
        try:
            p = preset(provider.preset)
            extra, local = p.extra_sampling, p.local
        except KeyError:
            extra, local = False, False
        with self._lock:
            key = self._keys.get(provider_id)
        backend = CloudBackend(
            base_url=provider.base_url,
            api_key=key,
            model=model,
            provider_name=provider.name,
            provider_id=provider.id,
            price=self.prices.lookup(provider.id, model, local=local),
            extra_sampling=extra,
        )
        backend.source = provider.id  # stored with each reply, as the command line does
        return backend


def _sentence(exc: Exception) -> str:
    if isinstance(exc, (KeyStoreError, ValueError)):
        return str(exc)
    log.error("key operation failed", exc_info=exc)
    return "The key could not be saved; the details are in the log file."
