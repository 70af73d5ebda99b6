"""How models are named on screen: one rule for every page and the command line.

A model on this computer is named by its file name without ``.gguf`` and without the part
numbers of a split model (``SmolLM2-135M-Instruct-Q4_1``): the file name is what the user saw
when downloading it, it tells two quantizations of one model apart, and it is known wherever the
model is mentioned — also on the leaderboard, long after the file is gone, where the header
cannot be read. A cloud model is "Provider · model" (``OpenAI · gpt-4o-mini``).

Identities (``local:<file>``, ``<provider id>:<model>``, see
:mod:`workbench.core.compare.targets`) stay what is stored and counted; :func:`identity_name`
turns one into its name for the screen.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

SEPARATOR = " · "
LOCAL_PREFIX = "local:"

_SPLIT = re.compile(r"-\d{5}-of-\d{5}$", re.IGNORECASE)
_GGUF = re.compile(r"\.gguf", re.IGNORECASE)
# What unique_identities adds to tell the same model apart: " (temperature=0.2)", " #2".
_EXTRA = re.compile(r"(?: \([^()]*\))?(?: #\d+)?$")


def local_name(path: str | os.PathLike[str]) -> str:
    """A model file's name: the file name without ``.gguf`` and split-part numbers."""
    name = os.path.basename(os.fspath(path).replace("\\", "/").rstrip("/")) or os.fspath(path)
    if name.lower().endswith(".gguf"):
        name = name[: -len(".gguf")]
    return _SPLIT.sub("", name) or name


def model_label(model: str) -> str:
    """A reply's model as stored with it, shown: a model file's name as :func:`local_name`
    gives it, a cloud model's ID as it is."""
    return local_name(model) if model.lower().endswith(".gguf") else model


def cloud_name(provider_name: str, model: str) -> str:
    """A provider's model: "Provider · model" (the provider alone when no model is chosen)."""
    return f"{provider_name}{SEPARATOR}{model}" if model else provider_name


def identity_name(identity: str, providers: Mapping[str, str] | None = None) -> str:
    """The screen name of a stored identity, keeping what tells twins apart.

    Args:
        identity: ``local:<file>`` or ``<provider id>:<model>``, perhaps followed by
            `` (temperature=0.2)`` or `` #2``.
        providers: Provider id → the name the user gave it; an id not in it (a provider
            since removed) is shown as the id.
    """
    if identity.lower().startswith(LOCAL_PREFIX):
        rest = identity[len(LOCAL_PREFIX) :]
        end = None
        for match in _GGUF.finditer(rest):
            end = match.end()
        if end is None:
            return rest
        return local_name(rest[:end]) + rest[end:]
    provider, sep, rest = identity.partition(":")
    if not sep:
        return identity
    extra = _EXTRA.search(rest)
    model, tail = (rest[: extra.start()], rest[extra.start() :]) if extra else (rest, "")
    if not model:
        model, tail = rest, ""
    name = (providers or {}).get(provider) or provider
    return cloud_name(name, model) + tail
