"""What a compare target is: a local GGUF file or a provider's model, with its own settings.

On the command line a target is written ``local:PATH`` or ``PROVIDER:MODEL``; only the first
colon separates, so ``ollama:qwen2.5:7b`` and ``local:C:\\models\\x.gguf`` mean what they say.

A target's *identity* is what votes and the leaderboard count: ``local:<file name>`` for a local
model (the same file in another folder is the same model) and ``<provider id>:<model id>`` for a
cloud one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.i18n import translate
from workbench.core.options import LoadOptions, SamplingParams

LOCAL = "local"
MIN_TARGETS = 2
MAX_TARGETS = 4


class TargetError(ValueError):
    """A target that cannot be used; ``str()`` is one sentence for the user."""


@dataclass
class TargetSpec:
    """One side of a comparison.

    Attributes:
        provider: ``"local"`` or a provider id.
        model: The GGUF path for a local target, else the provider's model id.
        params: Sampling parameters, as :meth:`SamplingParams.to_dict` gives them.
        load: Load options for a local target, as :meth:`LoadOptions.to_dict` gives them.
        system_prompt: Sent first in this target's thread, if any.
    """

    provider: str
    model: str
    params: dict[str, Any] = field(default_factory=dict)
    load: dict[str, Any] = field(default_factory=dict)
    system_prompt: str | None = None

    @property
    def is_local(self) -> bool:
        return self.provider == LOCAL

    @property
    def identity(self) -> str:
        """What the leaderboard counts: ``local:<file name>`` or ``provider:model``."""
        if self.is_local:
            return f"{LOCAL}:{Path(self.model).name}"
        return f"{self.provider}:{self.model}"

    @property
    def short_name(self) -> str:
        """The model part alone: the file name or the model id."""
        return Path(self.model).name if self.is_local else self.model

    def sampling(self) -> SamplingParams:
        return SamplingParams.from_dict(self.params)

    def load_options(self) -> LoadOptions:
        return LoadOptions.from_dict(self.load)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TargetSpec:
        """Build from a saved dict; unknown keys are ignored (saved data outlives versions).

        Raises:
            TargetError: The dict does not name a provider and a model.
        """
        provider = data.get("provider")
        model = data.get("model")
        if not isinstance(provider, str) or not provider or not isinstance(model, str) or not model:
            raise TargetError(
                translate(
                    "core.compare.targets",
                    "A saved compare target is missing its provider or model.",
                )
            )
        params = data.get("params")
        load = data.get("load")
        system = data.get("system_prompt")
        return cls(
            provider=provider,
            model=model,
            params=params if isinstance(params, dict) else {},
            load=load if isinstance(load, dict) else {},
            system_prompt=system if isinstance(system, str) and system else None,
        )


def parse_target(text: str) -> TargetSpec:
    """Parse ``local:PATH`` or ``PROVIDER:MODEL``.

    Raises:
        TargetError: No colon, or an empty side.
    """
    provider, sep, model = text.partition(":")
    provider, model = provider.strip(), model.strip()
    if not sep or not provider or not model:
        raise TargetError(
            translate(
                "core.compare.targets",
                "A target is written local:PATH or PROVIDER:MODEL (for example "
                "openai:gpt-4o-mini), not {text}.",
            ).format(text=repr(text))
        )
    if provider.lower() == LOCAL:
        return TargetSpec(LOCAL, str(Path(model).expanduser()))
    return TargetSpec(provider, model)


def check_count(targets: list[TargetSpec]) -> None:
    """Raises :class:`TargetError` unless there are 2 to 4 targets."""
    if not MIN_TARGETS <= len(targets) <= MAX_TARGETS:
        raise TargetError(
            translate(
                "core.compare.targets", "A comparison needs {low} to {high} targets; {count} given."
            ).format(low=MIN_TARGETS, high=MAX_TARGETS, count=len(targets))
        )
