"""Where a repository file may be written: never outside the download folder, on any system."""

from __future__ import annotations

from pathlib import Path

from workbench.core.downloads.errors import UnsafePathError
from workbench.core.i18n import translate

_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{p}{d}" for p in ("COM", "LPT") for d in "123456789¹²³"]
)
_WINDOWS_INVALID = set('<>:"|?*\\')


def _unsafe(name: str) -> UnsafePathError:
    text = translate(
        "core.downloads",
        "The file name {name} could be written outside the download folder, so it was refused.",
    )
    return UnsafePathError(text.format(name=repr(name)))


def safe_destination(root: Path, *parts: str) -> Path:
    """``root`` joined with repository path components, refusing any that could escape it.

    Each part may itself hold ``/``-separated components. Refused, with an
    :class:`UnsafePathError`: absolute paths, drive letters, ``..`` and ``.``, empty components,
    backslashes, control characters, characters Windows cannot store, Windows device names
    (``CON``, ``NUL.gguf``...) and paths that resolve outside ``root`` through a symlink.
    """
    name = "/".join(parts)
    components: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            raise _unsafe(str(part))
        components += part.split("/")
    if not components:
        raise _unsafe(name)
    for comp in components:
        if comp in ("", ".", ".."):
            raise _unsafe(name)
        if any(ord(c) < 32 or ord(c) == 127 for c in comp) or _WINDOWS_INVALID & set(comp):
            raise _unsafe(name)
        # Windows drops trailing dots and spaces, so "x." and "x" would be the same file there.
        if comp[-1] in ". " or len(comp.encode("utf-8", "surrogatepass")) > 255:
            raise _unsafe(name)
        if comp.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
            raise _unsafe(name)
    path = Path(root).joinpath(*components)
    base = Path(root).resolve()
    try:
        path.resolve().relative_to(base)
    except (ValueError, OSError, RuntimeError):
        raise _unsafe(name) from None
    return path
