"""Load options and sampling parameters, declared once with their ranges.

Each field carries its label and valid range in its metadata; ``validate()`` uses that to reject
bad values with one plain sentence *before* anything reaches llama.cpp (which would otherwise
crash or silently clamp). Every options form reads the same metadata to build its controls:
``label``, ``min``/``max``, ``step`` and ``decimals`` (a control's increments), ``help`` (a
tooltip), ``choices``, and for an ``optional`` field ``unset``, the words its empty value shows
("Automatic", "Random"). Labels and words are English in the code, marked for the catalogue;
``describe()`` and the sentences of ``validate()`` give them in the current language.

Stop strings are typed on one line; :func:`format_stop` and :func:`parse_stop` are the one
way to turn a list of them into that line and back.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, field
from typing import Any, TypeVar

from workbench.core.i18n import QT_TRANSLATE_NOOP, translate
from workbench.core.local.formats import CHOICES as CHAT_FORMATS
from workbench.core.local.formats import CUSTOM as CUSTOM_FORMAT

# KV-cache element types the user may pick, by the name llama.cpp's own tools use, mapped to
# ggml type ids (the values of ``GGML_TYPE_*`` in ggml.h; they are part of the file format
# and never change). Kept here so validation needs no import of llama_cpp.
KV_CACHE_TYPES: dict[str, int] = {
    "f16": 1,
    "bf16": 30,
    "q8_0": 8,
    "q5_1": 7,
    "q5_0": 6,
    "q4_1": 3,
    "q4_0": 2,
    "iq4_nl": 20,
    "f32": 0,
}

MAX_STOP_STRINGS = 16

#: ``LoadOptions.gpu_layers`` for "Auto": as many layers as fit in the free GPU memory at load
#: time (see :mod:`workbench.core.local.layers`). A number is a manual choice and wins.
GPU_LAYERS_AUTO = None


class OptionError(ValueError):
    """A load option or sampling parameter out of range; str() is one sentence for the user."""


def _opt(label: str, lo: float | None = None, hi: float | None = None, **extra: Any) -> dict:
    return {"label": label, "min": lo, "max": hi, **extra}


def _spec(default: Any, label: str, lo: float | None = None, hi: float | None = None, **extra):
    return field(default=default, metadata=_opt(label, lo, hi, **extra))


@dataclass
class _Validated:
    """Shared validation for option dataclasses, driven by field metadata."""

    def validate(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            meta = f.metadata
            label = translate("core.options", meta.get("label", f.name))
            got = repr(value)
            if value is None:
                if meta.get("optional"):
                    continue
                raise OptionError(
                    translate("core.options", "{label} must be set.").format(label=label)
                )
            if f.type in ("bool",):
                if not isinstance(value, bool):
                    raise OptionError(
                        translate(
                            "core.options", "{label} must be on or off (got {value})."
                        ).format(label=label, value=got)
                    )
                continue
            if f.type in ("int", "int | None"):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise OptionError(
                        translate(
                            "core.options", "{label} must be a whole number (got {value})."
                        ).format(label=label, value=got)
                    )
            elif f.type == "str":
                if not isinstance(value, str):
                    raise OptionError(
                        translate("core.options", "{label} must be text (got {value}).").format(
                            label=label, value=got
                        )
                    )
                continue
            elif f.type in ("float", "float | None"):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise OptionError(
                        translate("core.options", "{label} must be a number (got {value}).").format(
                            label=label, value=got
                        )
                    )
                if not math.isfinite(value):
                    raise OptionError(
                        translate(
                            "core.options", "{label} must be a finite number (got {value})."
                        ).format(label=label, value=got)
                    )
            else:
                continue
            lo, hi = meta.get("min"), meta.get("max")
            if (lo is not None and value < lo) or (hi is not None and value > hi):
                raise OptionError(
                    translate(
                        "core.options", "{label} must be between {low} and {high} (got {value})."
                    ).format(label=label, low=_fmt(lo), high=_fmt(hi), value=value)
                )

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None):
        """Build from a saved dict, ignoring unknown keys (settings outlive versions)."""
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in (data or {}).items() if k in names}
        if "stop" in values and values["stop"] is not None:
            values["stop"] = list(values["stop"])
        return cls(**values)

    @classmethod
    def describe(cls) -> list[dict[str, Any]]:
        """Field name, type, default and metadata: what a settings UI needs to build controls.

        The words (``label``, ``unset``, ``help``) come in the current language.
        """
        out = []
        for f in dataclasses.fields(cls):
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
            spec = {"name": f.name, "type": f.type, "default": default, **f.metadata}
            for key in ("label", "unset", "help"):
                if key in spec:
                    spec[key] = translate("core.options", spec[key])
            out.append(spec)
        return out


_V = TypeVar("_V", bound=_Validated)


def _fmt(x: float | None) -> str:
    if x is None:
        return "∞"
    return str(int(x)) if float(x).is_integer() else str(x)


@dataclass
class LoadOptions(_Validated):
    """How a local model is loaded. Changing any of these means loading the model again."""

    gpu_layers: int | None = _spec(
        GPU_LAYERS_AUTO,
        QT_TRANSLATE_NOOP("core.options", "GPU layers"),
        -1,
        100_000,
        optional=True,
        unset=QT_TRANSLATE_NOOP("core.options", "Auto"),
        help=QT_TRANSLATE_NOOP(
            "core.options", "Auto puts as many layers on the GPU as fit; -1 puts every layer there"
        ),
    )
    context_length: int = _spec(
        4096, QT_TRANSLATE_NOOP("core.options", "Context length"), 256, 1_048_576, step=256
    )
    threads: int | None = _spec(
        None,
        QT_TRANSLATE_NOOP("core.options", "Threads"),
        1,
        1024,
        optional=True,
        unset=QT_TRANSLATE_NOOP("core.options", "Automatic"),
        help=QT_TRANSLATE_NOOP("core.options", "empty = automatic"),
    )
    batch_size: int = _spec(512, QT_TRANSLATE_NOOP("core.options", "Batch size"), 1, 65_536)
    flash_attention: bool = _spec(False, QT_TRANSLATE_NOOP("core.options", "Flash attention"))
    kv_cache_type: str = _spec(
        "f16", QT_TRANSLATE_NOOP("core.options", "KV cache type"), choices=tuple(KV_CACHE_TYPES)
    )
    use_mmap: bool = _spec(True, QT_TRANSLATE_NOOP("core.options", "Memory-map the model file"))
    use_mlock: bool = _spec(False, QT_TRANSLATE_NOOP("core.options", "Lock the model in RAM"))
    seed: int | None = _spec(
        None,
        QT_TRANSLATE_NOOP("core.options", "Seed"),
        0,
        2**32 - 2,
        optional=True,
        unset=QT_TRANSLATE_NOOP("core.options", "Random"),
        help=QT_TRANSLATE_NOOP("core.options", "empty = random"),
    )
    # "auto": the file's own template, or a built-in format chosen from the file; a built-in's
    # name; or "custom": the Jinja text of chat_template (core/local/formats.py).
    chat_format: str = _spec(
        "auto", QT_TRANSLATE_NOOP("core.options", "Prompt format"), choices=CHAT_FORMATS
    )
    chat_template: str = _spec("", QT_TRANSLATE_NOOP("core.options", "Custom chat template"))

    def validate(self) -> None:
        super().validate()
        if self.chat_format not in CHAT_FORMATS:
            raise OptionError(
                translate(
                    "core.options", "Prompt format must be one of {names} (got {value})."
                ).format(names=", ".join(CHAT_FORMATS), value=repr(self.chat_format))
            )
        if self.chat_format == CUSTOM_FORMAT:
            from workbench.core.local.formats import TemplateError, check_template

            try:
                check_template(self.chat_template if isinstance(self.chat_template, str) else "")
            except TemplateError as exc:
                raise OptionError(str(exc)) from None
        if self.kv_cache_type not in KV_CACHE_TYPES:
            raise OptionError(
                translate(
                    "core.options", "KV cache type must be one of {names} (got {value})."
                ).format(names=", ".join(KV_CACHE_TYPES), value=repr(self.kv_cache_type))
            )
        if self.kv_cache_type not in ("f16", "bf16", "f32") and not self.flash_attention:
            # llama.cpp refuses a quantized V cache without flash attention, after loading the
            # whole model; saying so now saves the user that wait.
            raise OptionError(
                translate("core.options", "A quantized KV cache needs flash attention turned on.")
            )

    def resolved_threads(self) -> int:
        """The thread count to use: the user's, or the physical-ish core count."""
        if self.threads:
            return self.threads
        # Half the logical cores approximates the physical ones on SMT machines; small machines
        # (CI runners, laptops with 2-4 cores) are faster using all of them.
        cores = os.cpu_count() or 1
        return cores if cores <= 4 else cores // 2


# Sampling values are shown and typed to two decimals, stepped by 0.05.
_HUNDREDTHS: dict[str, Any] = {"step": 0.05, "decimals": 2}


@dataclass
class SamplingParams(_Validated):
    """How a reply is sampled. These may change between replies without reloading."""

    temperature: float = _spec(
        0.7, QT_TRANSLATE_NOOP("core.options", "Temperature"), 0.0, 5.0, **_HUNDREDTHS
    )
    top_p: float = _spec(0.95, QT_TRANSLATE_NOOP("core.options", "Top-p"), 0.0, 1.0, **_HUNDREDTHS)
    top_k: int = _spec(
        40,
        QT_TRANSLATE_NOOP("core.options", "Top-k"),
        0,
        100_000,
        help=QT_TRANSLATE_NOOP("core.options", "0 turns it off"),
    )
    min_p: float = _spec(0.05, QT_TRANSLATE_NOOP("core.options", "Min-p"), 0.0, 1.0, **_HUNDREDTHS)
    repeat_penalty: float = _spec(
        1.1, QT_TRANSLATE_NOOP("core.options", "Repeat penalty"), 0.0, 10.0, **_HUNDREDTHS
    )
    max_tokens: int = _spec(
        1024, QT_TRANSLATE_NOOP("core.options", "Maximum reply length (tokens)"), 1, 1_048_576
    )
    stop: list[str] = field(
        default_factory=list, metadata=_opt(QT_TRANSLATE_NOOP("core.options", "Stop strings"))
    )
    seed: int | None = _spec(
        None,
        QT_TRANSLATE_NOOP("core.options", "Seed"),
        0,
        2**32 - 2,
        optional=True,
        unset=QT_TRANSLATE_NOOP("core.options", "Random"),
        help=QT_TRANSLATE_NOOP("core.options", "empty = random"),
    )

    def validate(self) -> None:
        super().validate()
        if not isinstance(self.stop, (list, tuple)) or not all(
            isinstance(s, str) for s in self.stop
        ):
            raise OptionError(translate("core.options", "Stop strings must be a list of text."))
        if len(self.stop) > MAX_STOP_STRINGS:
            raise OptionError(
                translate("core.options", "At most {count} stop strings are allowed.").format(
                    count=MAX_STOP_STRINGS
                )
            )
        if any(s == "" for s in self.stop):
            raise OptionError(translate("core.options", "A stop string cannot be empty."))


def sanitized(cls: type[_V], data: object) -> _V:
    """An options object from saved data, each bad or missing field falling back to its default.

    Unlike :meth:`_Validated.from_dict` this never fails: window state and presets outlive
    versions and may have been edited by hand.
    """
    obj = cls()
    if not isinstance(data, dict):
        return obj
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.metadata.get("choices"):
            ok = value in f.metadata["choices"]
        elif f.name == "stop":
            ok = (
                isinstance(value, list)
                and len(value) <= MAX_STOP_STRINGS
                and all(isinstance(s, str) and s for s in value)
            )
        else:
            probe = cls()
            setattr(probe, f.name, value)
            try:
                # Only the shared per-field checks: a cross-field rule (a quantized KV cache
                # needs flash attention) is shown as a sentence, not silently undone.
                _Validated.validate(probe)
                ok = True
            except (OptionError, TypeError):
                ok = False
        if ok:
            setattr(obj, f.name, list(value) if isinstance(value, list) else value)
    return obj


def format_stop(stop: list[str]) -> str:
    """Stop strings as one line: commas between, ``\\n`` for a new line, ``\\,`` for a comma."""
    return ", ".join(
        s.replace("\\", "\\\\").replace(",", "\\,").replace("\n", "\\n").replace("\t", "\\t")
        for s in stop
    )


def parse_stop(text: str) -> list[str]:
    """The inverse of :func:`format_stop`; real new lines also separate; empty entries go.

    Spaces around an entry are layout and go; escaped characters (``\\n``) are never stripped.
    A backslash before any other character is kept as it is.
    """
    escapes = {"n": "\n", "t": "\t", ",": ",", "\\": "\\"}
    parts: list[str] = []
    current: list[tuple[str, bool]] = []  # (character, came from an escape)

    def finish() -> None:
        while current and current[0] == (" ", False):
            current.pop(0)
        while current and current[-1] == (" ", False):
            current.pop()
        if current:
            parts.append("".join(ch for ch, _ in current))
        current.clear()

    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and text[i + 1 : i + 2] in escapes:
            current.append((escapes[text[i + 1]], True))
            i += 2
            continue
        if ch in ",\n\r":
            finish()
        else:
            current.append((ch, False))
        i += 1
    finish()
    return parts
