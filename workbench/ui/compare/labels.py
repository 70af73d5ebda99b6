"""How the Compare page names a session's targets: on screen, masked when blind, free or paid."""

from __future__ import annotations

from PySide6.QtCore import QObject

from workbench.core.compare.blind import identifying_terms, redactor
from workbench.core.names import cloud_name, local_name
from workbench.qt.cloud import CloudSession
from workbench.qt.compare import CompareController


class TargetLabels(QObject):
    """Names, the blind mask and the free/paid flag of the open session's targets, worked out
    once per session (providers are read from their file); :meth:`forget` starts over."""

    def __init__(
        self, controller: CompareController, cloud: CloudSession, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.cloud = cloud
        self._names: dict[int, str] | None = None
        self._mask = None
        self._free: dict[int, bool] | None = None

    def forget(self) -> None:
        self._names = None
        self._mask = None
        self._free = None

    def names(self) -> dict[int, str]:
        """Each target's name for the screen, by target id."""
        if self._names is None:
            providers = {p.id: p for p in self.cloud.providers()}
            names = {}
            for t in self.controller.targets:
                spec = t.spec
                # The same model twice is told apart by what its identity adds
                # ("(temperature=1.0)").
                extra = t.identity[len(spec.identity) :]
                if spec.is_local:
                    names[t.id] = local_name(spec.model)
                else:
                    p = providers.get(spec.provider)
                    names[t.id] = cloud_name(p.name if p else spec.provider, spec.model)
                names[t.id] += extra
            self._names = names
        return self._names

    def tooltip(self, target_id: int) -> str:
        """More about a target than its name: the file's place, or where the provider is."""
        target = next((t for t in self.controller.targets if t.id == target_id), None)
        if target is None:
            return ""
        if target.spec.is_local:
            return self.tr("{path} on this computer").format(path=target.spec.model)
        provider = self.cloud.provider(target.spec.provider)
        return provider.base_url if provider is not None else ""

    def mask(self):
        """The pattern hiding every name that could identify one of the session's targets."""
        if self._mask is None:
            names = {p.id: p.name for p in self.cloud.providers()}
            specs = [t.spec for t in self.controller.targets]
            self._mask = redactor(identifying_terms(specs, names))
        return self._mask

    def free(self, target_id: int) -> bool:
        """Whether answers cost nothing: a model on this computer or a server on its network."""
        if self._free is None:
            providers = {p.id: p for p in self.cloud.providers()}
            self._free = {
                t.id: t.spec.is_local
                or (t.spec.provider in providers and providers[t.spec.provider].preset_info().local)
                for t in self.controller.targets
            }
        return self._free.get(target_id, False)
