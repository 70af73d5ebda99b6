"""Which request parameters a chat-completions service takes, and adapting when it rejects one.

OpenAI's own API, its reasoning models and the compatible services each accept a different set
of parameters. :class:`Adaptation` remembers, per model, what a provider's 400 answers have
ruled out; :func:`rejected_param` finds the parameter an answer names, and
:func:`setting_sentence` tells the user which setting to change when adapting cannot help.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.core.cloud.errors import provider_message
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate

#: llama.cpp's sampling fields that OpenAI's API lacks. Sent only to servers that take them (a
#: provider preset's ``extra_sampling``); every other cloud ignores them, and forms say so.
EXTRA_SAMPLING_FIELDS = ("top_k", "min_p", "repeat_penalty")

# OpenAI's reasoning models: the o-series (o1, o3-mini, o4-mini …) and the gpt-5 family.
_REASONING_RE = re.compile(r"^(?:o[1-9]\d*|gpt-5)(?:$|[-.:_@])")

_PARAM_NAMES = (
    "stream_options",
    "include_usage",
    "max_completion_tokens",
    "max_tokens",
    "temperature",
    "top_p",
    *EXTRA_SAMPLING_FIELDS,
    "stop",
    "seed",
)
# Wording that says a parameter is not accepted at all (as opposed to a value out of range).
_UNSUPPORTED_RE = re.compile(
    r"unsupported|not supported|does not support|unrecognized|unknown|not allowed|not permitted|"
    r"extra (?:fields|inputs)|unexpected|invalid (?:parameter|argument)|only the default|instead",
    re.I,
)


def says_unsupported(text: str) -> bool:
    """Whether an error text says a parameter is not accepted at all (not just out of range)."""
    return bool(_UNSUPPORTED_RE.search(text))


def is_reasoning_model(model: str) -> bool:
    """Whether ``model`` is an OpenAI reasoning model (o-series, gpt-5 family).

    These take ``max_completion_tokens`` and reject custom temperature and top-p. A provider
    prefix ("openai/o3-mini" on OpenRouter) is ignored; case does not matter.
    """
    name = model.strip().lower().rsplit("/", 1)[-1]
    return bool(_REASONING_RE.match(name))


class Adaptation:
    """Which parameters a provider accepts for one model, learned from its 400 answers."""

    def __init__(self, model: str) -> None:
        self.reasoning = is_reasoning_model(model)
        self.token_param = "max_completion_tokens" if self.reasoning else "max_tokens"
        self.swapped = False
        # "stream_options", "sampling" (temperature and top-p), "stop", "seed", "extra"
        self.dropped: set[str] = set()

    def apply(self, name: str) -> bool:
        """Stop sending ``name`` (or swap the token limit's name); False if already done."""
        if name in ("max_tokens", "max_completion_tokens"):
            if self.swapped or name != self.token_param:
                return False
            self.swapped = True
            self.token_param = (
                "max_tokens" if name == "max_completion_tokens" else ("max_completion_tokens")
            )
            return True
        group = _group_of(name)
        if group in self.dropped:
            return False
        self.dropped.add(group)
        return True


def _group_of(name: str) -> str:
    if name in ("temperature", "top_p"):
        return "sampling"  # a model that rejects one rejects both
    if name in EXTRA_SAMPLING_FIELDS:
        return "extra"
    if name == "include_usage":
        return "stream_options"
    return name


def rejected_param(exc: Any, sent: dict[str, Any]) -> str | None:
    """The parameter a 400 answer names, among those that were sent; None when unclear."""
    text = provider_message(exc)
    candidates: list[str] = []
    param = getattr(exc, "param", None)
    if isinstance(param, str) and param:
        candidates.append(param.split(".")[0].split("[")[0])
    found = []
    for name in _PARAM_NAMES:
        for match in re.finditer(rf"(?<![A-Za-z_]){name}(?![A-Za-z_])", text):
            found.append((match.start(), name))
    candidates += [name for _, name in sorted(found)]
    for name in candidates:
        name = "stream_options" if name == "include_usage" else name
        if name in sent:
            return name
    return None


# What to change per rejected parameter: (without the provider's reason, with it).
_SETTING_SENTENCES = {
    "temperature": (
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the temperature setting for {model}; set Temperature to 1 for "
            "this model.",
        ),
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the temperature setting for {model} ({reason}); set "
            "Temperature to 1 for this model.",
        ),
    ),
    "top_p": (
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the Top-p setting for {model}; set Top-p to 1 for this model.",
        ),
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the Top-p setting for {model} ({reason}); set Top-p to 1 for "
            "this model.",
        ),
    ),
    "max_tokens": (
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the maximum reply length for {model}; change Maximum reply "
            "length (tokens) or choose another model.",
        ),
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the maximum reply length for {model} ({reason}); change "
            "Maximum reply length (tokens) or choose another model.",
        ),
    ),
    "stop": (
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the stop strings for {model}; remove them for this model.",
        ),
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the stop strings for {model} ({reason}); remove them for this "
            "model.",
        ),
    ),
    "seed": (
        QT_TRANSLATE_NOOP(
            "core.cloud", "{provider} rejected the seed for {model}; clear Seed for this model."
        ),
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected the seed for {model} ({reason}); clear Seed for this model.",
        ),
    ),
    "extra": (
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected Top-k, Min-p or Repeat penalty for {model}; turn off the extra "
            "sampling settings for this provider.",
        ),
        QT_TRANSLATE_NOOP(
            "core.cloud",
            "{provider} rejected Top-k, Min-p or Repeat penalty for {model} ({reason}); turn "
            "off the extra sampling settings for this provider.",
        ),
    ),
    "other": (
        QT_TRANSLATE_NOOP("core.cloud", "{provider} rejected the {name} parameter for {model}."),
        QT_TRANSLATE_NOOP(
            "core.cloud", "{provider} rejected the {name} parameter for {model} ({reason})."
        ),
    ),
}


def setting_sentence(name: str, provider: str, model: str, detail: str = "") -> str:
    """What to change when ``provider`` keeps rejecting the parameter ``name``."""
    if name == "max_completion_tokens":
        key = "max_tokens"
    elif name in EXTRA_SAMPLING_FIELDS:
        key = "extra"
    else:
        key = name if name in _SETTING_SENTENCES else "other"
    text = translate("core.cloud", _SETTING_SENTENCES[key][1 if detail else 0])
    return text.format(provider=provider, model=model, name=name, reason=detail)
