"""Where the server's models come from: the model loaded now, and the cloud models offered."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from workbench.core.backend import Backend
    from workbench.core.local.host import LocalBackend


class ModelSource(Protocol):
    """What the server asks, at each request, for the models it serves."""

    def local(self) -> LocalBackend | None:
        """The local model loaded now (the window gives the chat's), or None."""
        ...

    def cloud(self) -> dict[str, Callable[[], Backend]]:
        """``"provider/model"`` -> a factory making a backend for it; used with expose_cloud.

        The keys stay inside Workbench: clients see only the names.
        """
        ...


class StaticSource:
    """A source that always gives the same backend (``workbench serve``, tests)."""

    def __init__(
        self,
        backend: LocalBackend | None,
        cloud: dict[str, Callable[[], Backend]] | None = None,
    ) -> None:
        self.backend = backend
        self._cloud = dict(cloud or {})

    def local(self) -> LocalBackend | None:
        return self.backend

    def cloud(self) -> dict[str, Callable[[], Backend]]:
        return dict(self._cloud)
