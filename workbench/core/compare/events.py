"""What a compare round reports as it runs, target by target.

:class:`~.runner.RoundRunner` calls its ``on_event`` with these, from its worker threads, in
order per target: ``Loading`` (a local model is being loaded), ``Started`` (the reply began),
any number of ``Text`` and ``Reasoning``, then exactly one of ``Finished``, ``Failed`` or
``Stopped``. ``Planned`` comes once, first, for the round as a whole. The command line ignores
most of them; the window turns them into signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.core.backend import Error

if TYPE_CHECKING:
    from workbench.core.compare.runner import RoundResult


@dataclass(frozen=True)
class Planned:
    """The round's phases (indexes of its entries), in the order they answer."""

    phases: list[list[int]]

    @property
    def sequential(self) -> bool:
        """Whether the local targets answer in more than one group."""
        return len(self.phases) > 1


@dataclass(frozen=True)
class TargetEvent:
    """Something that happened to the entry at ``index``."""

    index: int


@dataclass(frozen=True)
class Loading(TargetEvent):
    """The target's model is being loaded."""


@dataclass(frozen=True)
class Started(TargetEvent):
    """The target began answering; ``message_id`` is its saved reply, if it is saved."""

    message_id: int | None = None


@dataclass(frozen=True)
class Text(TargetEvent):
    """A piece of the answer."""

    text: str = ""


@dataclass(frozen=True)
class Reasoning(TargetEvent):
    """A piece of the visible reasoning."""

    text: str = ""


@dataclass(frozen=True)
class Finished(TargetEvent):
    """The target answered; ``result.stats`` holds its figures."""

    result: RoundResult | None = None


@dataclass(frozen=True)
class Failed(TargetEvent):
    """The target failed (to load, to start or while answering)."""

    error: Error = field(default_factory=lambda: Error(""))
    result: RoundResult | None = None


@dataclass(frozen=True)
class Stopped(TargetEvent):
    """The target was stopped (or the round cancelled); what it had written is kept."""

    result: RoundResult | None = None


RoundEvent = Planned | Loading | Started | Text | Reasoning | Finished | Failed | Stopped

__all__ = [
    "Failed",
    "Finished",
    "Loading",
    "Planned",
    "Reasoning",
    "RoundEvent",
    "Started",
    "Stopped",
    "TargetEvent",
    "Text",
]
