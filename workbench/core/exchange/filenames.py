"""File names made from chat titles that every operating system accepts."""

from __future__ import annotations

import re
import unicodedata

# Characters Windows refuses in names (and "/" everywhere), and control characters.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Names Windows keeps for devices, with any extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
# Bytes a name may take in UTF-8 before its suffix: file systems allow 255, and a title in
# Chinese takes three bytes a character; room is left for " (12)" and the suffix.
_MAX_BYTES = 180


def safe_stem(title: str, fallback: str = "chat") -> str:
    """``title`` as the stem of a file name: forbidden characters become "_", Chinese and other
    scripts are kept, the length is capped, and a name Windows reserves gets a "_" after it."""
    text = unicodedata.normalize("NFC", title)
    text = _FORBIDDEN.sub("_", text)
    text = " ".join(text.split())  # tabs, newlines and runs of spaces become one space
    # Windows drops trailing dots and spaces, and a leading dot hides a file elsewhere.
    text = text.strip(" .")
    encoded = text.encode("utf-8")
    if len(encoded) > _MAX_BYTES:
        text = encoded[:_MAX_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text += "_"
    return text


class UniqueNames:
    """Hands out file names that differ from each other, ignoring case (as Windows and macOS
    do): a second "Notes.md" becomes "Notes (2).md"."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def take(self, stem: str, suffix: str) -> str:
        name = f"{stem}{suffix}"
        number = 2
        while name.casefold() in self._used:
            name = f"{stem} ({number}){suffix}"
            number += 1
        self._used.add(name.casefold())
        return name
