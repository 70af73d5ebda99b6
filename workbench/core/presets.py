"""Named presets: a system prompt plus sampling parameters, kept in one JSON file.

The file is small and rewritten whole on every change, atomically (a temporary file in the same
folder, then ``os.replace``), so a crash never leaves half a file. Each change is applied to the
file as it is at that moment, under its lock (:func:`~workbench.core.atomic.update_json`), so a
preset another process saved meanwhile is kept. A file that cannot be read is
moved aside as ``presets.json.bad`` and the store starts empty, with ``warning`` saying so: a
broken settings file must never stop the app from starting.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core import paths
from workbench.core.atomic import set_aside, update_json
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate
from workbench.core.options import SamplingParams

FILE_NAME = "presets.json"
FORMAT_VERSION = 1
MAX_NAME_LENGTH = 80


# Why the presets file is unusable: (set aside as .bad, could not be set aside), whole sentences.
_UNUSABLE = {
    "unreadable": (
        QT_TRANSLATE_NOOP(
            "core.presets",
            "The presets file could not be read ({reason}); it was kept as {name} and Workbench "
            "starts without presets.",
        ),
        QT_TRANSLATE_NOOP(
            "core.presets",
            "The presets file {path} could not be read ({reason}); Workbench starts without "
            "presets.",
        ),
    ),
    "damaged": (
        QT_TRANSLATE_NOOP(
            "core.presets",
            "The presets file is damaged; it was kept as {name} and Workbench starts without "
            "presets.",
        ),
        QT_TRANSLATE_NOOP(
            "core.presets",
            "The presets file {path} is damaged; Workbench starts without presets.",
        ),
    ),
    "format": (
        QT_TRANSLATE_NOOP(
            "core.presets",
            "The presets file is not in the expected format; it was kept as {name} and "
            "Workbench starts without presets.",
        ),
        QT_TRANSLATE_NOOP(
            "core.presets",
            "The presets file {path} is not in the expected format; Workbench starts without "
            "presets.",
        ),
    ),
}


class PresetError(ValueError):
    """A preset could not be saved; ``str()`` is one plain sentence for the user."""


@dataclass
class Preset:
    """A system prompt and sampling parameters (a ``SamplingParams`` dict) under one name."""

    name: str
    system_prompt: str = ""
    sampling: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "system_prompt": self.system_prompt, "sampling": self.sampling}


def builtin_presets() -> list[Preset]:
    """The presets a new user starts with (fresh objects each call, so callers may edit them)."""

    def sampling(**changes: Any) -> dict[str, Any]:
        return {**SamplingParams().to_dict(), **changes}

    # Named in the user's language: they are the user's own presets from then on.
    return [
        Preset(translate("core.presets", "Default"), "", sampling()),
        Preset(translate("core.presets", "Precise"), "", sampling(temperature=0.2, top_p=0.9)),
        Preset(
            translate("core.presets", "Creative"),
            "",
            sampling(temperature=1.0, top_p=0.98, min_p=0.02),
        ),
    ]


def _key(name: str) -> str:
    # Names differing only in case would look like duplicates in the picker, so they are one.
    return name.casefold()


class PresetStore:
    """Reads and writes presets in ``presets.json`` in the data folder.

    Names are matched case-insensitively: saving "precise" replaces "Precise".

    Attributes:
        path: the JSON file.
        warning: one sentence for the user if the file could not be read (else None).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else paths.data_dir() / FILE_NAME
        self.warning: str | None = None
        self._presets: dict[str, Preset] = {}
        for preset in self._read():
            self._presets[_key(preset.name)] = preset

    # -- reading ------------------------------------------------------------------------------

    def _read(self) -> list[Preset]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return builtin_presets()
        except (OSError, UnicodeDecodeError) as exc:
            return self._set_aside("unreadable", getattr(exc, "strerror", None) or str(exc))
        try:
            data = json.loads(text)
        except ValueError:
            return self._set_aside("damaged")
        entries = data.get("presets") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            return self._set_aside("format")
        presets, skipped = [], 0
        for entry in entries:
            preset = _parse(entry)
            if preset is None:
                skipped += 1
            else:
                presets.append(preset)
        if skipped:
            # Keep the good ones; the bad ones disappear at the next save, so say so.
            if skipped == 1:
                text = translate("core.presets", "1 preset in {file} was damaged and was skipped.")
            else:
                text = translate(
                    "core.presets", "{count} presets in {file} were damaged and were skipped."
                )
            self.warning = text.format(count=skipped, file=self.path.name)
        return presets

    def _set_aside(self, what: str, reason: str = "") -> list[Preset]:
        """Move the unusable file aside; ``what`` is a key of :data:`_UNUSABLE`."""
        bad = set_aside(self.path)
        kept, not_kept = _UNUSABLE[what]
        text = translate("core.presets", not_kept if bad is None else kept)
        self.warning = text.format(
            path=self.path, reason=reason, name=bad.name if bad is not None else ""
        )
        return []

    # -- public API ---------------------------------------------------------------------------

    def names(self) -> list[str]:
        """All preset names, sorted case-insensitively."""
        return sorted((p.name for p in self._presets.values()), key=lambda n: (_key(n), n))

    def get(self, name: str) -> Preset:
        """A copy of the named preset; KeyError if there is none."""
        p = self._presets[_key(name.strip())]
        return Preset(p.name, p.system_prompt, dict(p.sampling))

    def save(self, preset: Preset) -> None:
        """Insert or overwrite a preset and write the file.

        Raises PresetError (a ValueError) for a bad name or if the file cannot be written.
        """
        name = preset.name.strip() if isinstance(preset.name, str) else ""
        if not name:
            raise PresetError(translate("core.presets", "A preset needs a name."))
        if len(name) > MAX_NAME_LENGTH:
            raise PresetError(
                translate(
                    "core.presets", "A preset name can be at most {count} characters long."
                ).format(count=MAX_NAME_LENGTH)
            )
        if not isinstance(preset.system_prompt, str) or not isinstance(preset.sampling, dict):
            raise PresetError(
                translate(
                    "core.presets", "A preset needs a text system prompt and sampling settings."
                )
            )
        saved = Preset(name, preset.system_prompt, dict(preset.sampling))
        self._change(lambda presets: presets.__setitem__(_key(name), saved))

    def delete(self, name: str) -> None:
        """Remove a preset and write the file; KeyError if there is none."""
        key = _key(name.strip())
        if key not in self._presets:
            raise KeyError(name)
        # Another process may have deleted it already: then there is nothing left to do.
        self._change(lambda presets: presets.pop(key, None))

    # -- writing ------------------------------------------------------------------------------

    def _change(self, change: Callable[[dict[str, Preset]], object]) -> None:
        """Apply ``change`` (it edits the presets by key) to the file as it is now, under its
        lock, then adopt what was written: memory never disagrees with the disk."""
        result: dict[str, Preset] = {}

        def apply(current: list[Preset]) -> dict[str, Any]:
            presets = {_key(p.name): p for p in current}
            change(presets)
            ordered = sorted(presets.values(), key=lambda p: (_key(p.name), p.name))
            result.clear()
            result.update((_key(p.name), p) for p in ordered)
            return {"version": FORMAT_VERSION, "presets": [p.to_dict() for p in ordered]}

        def read(path: Path) -> list[Preset]:
            # No file yet (or it was set aside): this store's presets are the current ones.
            return self._read() if path.exists() else list(self._presets.values())

        try:
            update_json(self.path, apply, read=read, indent=2)
        except (OSError, TypeError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise PresetError(
                translate("core.presets", "The presets could not be saved ({reason}).").format(
                    reason=reason
                )
            ) from None
        self._presets = result


def _parse(entry: object) -> Preset | None:
    """A preset from one JSON entry, or None if it is unusable."""
    if not isinstance(entry, dict):
        return None
    name, prompt, sampling = (
        entry.get("name"),
        entry.get("system_prompt", ""),
        entry.get("sampling"),
    )
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_NAME_LENGTH:
        return None
    if not isinstance(prompt, str) or not isinstance(sampling, dict):
        return None
    return Preset(name.strip(), prompt, sampling)
