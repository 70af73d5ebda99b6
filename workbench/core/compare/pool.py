"""Local models kept loaded between compare rounds.

A :class:`ModelPool` holds loaded local backends by a key the caller chooses (the window uses a
target's id). A round asks it for a model that is already loaded with the same file and options
before loading one, and tells it which models the answering group needs so that the others are
unloaded first (memory). The window keeps one pool for as long as a session is open; the command
line makes one per round and closes it at the end.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any

log = logging.getLogger(__name__)


class ModelPool:
    """Loaded local models by key; every method is thread-safe.

    Args:
        on_change: Called (from whichever thread changed it) after a model was added or
            unloaded.
    """

    def __init__(self, on_change: Callable[[], None] | None = None) -> None:
        self._models: dict[Hashable, Any] = {}
        self._lock = threading.Lock()
        self._on_change = on_change

    def loaded_keys(self) -> list[Hashable]:
        """The keys of the models loaded now, in the order they were loaded."""
        with self._lock:
            return list(self._models)

    def reusable(self, key: Hashable, wanted: Any) -> Any | None:
        """The pooled model under ``key`` if it is loaded from ``wanted``'s file with its
        options, else ``None``."""
        with self._lock:
            pooled = self._models.get(key)
        if pooled is None or pooled is wanted:
            return pooled
        same = getattr(pooled, "path", None) == getattr(wanted, "path", None) and getattr(
            pooled, "options", None
        ) == getattr(wanted, "options", None)
        return pooled if same and getattr(pooled, "is_loaded", True) else None

    def add(self, key: Hashable, backend: Any) -> None:
        """Keep ``backend`` (loaded) under ``key``; a different one kept there is unloaded."""
        with self._lock:
            old = self._models.get(key)
            self._models[key] = backend
        if old is not None and old is not backend:
            _unload(old)
        self._changed()

    def discard(self, key: Hashable) -> None:
        """Unload the model under ``key``, if any."""
        with self._lock:
            old = self._models.pop(key, None)
        if old is not None:
            _unload(old)
            self._changed()

    def take_all_except(self, keep: Iterable[Hashable]) -> list[Any]:
        """Remove every model whose key is not in ``keep`` and return them, still loaded (the
        caller unloads them, e.g. off the GUI thread)."""
        keep = set(keep)
        with self._lock:
            gone = [k for k in self._models if k not in keep]
            out = [self._models.pop(k) for k in gone]
        if out:
            self._changed()
        return out

    def unload_all_except(self, keep: Iterable[Hashable]) -> None:
        """Unload every model whose key is not in ``keep`` (blocks until they are gone)."""
        for backend in self.take_all_except(keep):
            _unload(backend)

    def close(self) -> None:
        """Unload every model."""
        self.unload_all_except(())

    def _changed(self) -> None:
        if self._on_change is not None:
            try:
                self._on_change()
            except Exception:
                log.exception("the pool's change callback failed")


def _unload(backend: Any) -> None:
    try:
        backend.unload()
    except Exception:
        log.exception("unloading %s failed", getattr(backend, "model_name", backend))


__all__ = ["ModelPool"]
