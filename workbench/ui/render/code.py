"""Syntax colours for code blocks: pygments tokens applied to a QTextDocument's characters."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

_LIGHT_STYLE = "default"
_DARK_STYLE = "github-dark"


@dataclass
class Theme:
    """Colours and formats that depend on a light or dark palette."""

    dark: bool
    code_background: QColor
    muted: QColor
    link: QColor
    token_formats: dict[Any, QTextCharFormat] = field(default_factory=dict)

    def format_for(self, ttype: Any) -> QTextCharFormat | None:
        """The char format of a pygments token type (inherits from its parents), or None."""
        while ttype is not None:
            fmt = self.token_formats.get(ttype)
            if fmt is not None:
                return fmt
            ttype = ttype.parent
        return None


@lru_cache(maxsize=2)
def theme_for(dark: bool) -> Theme:
    # Backgrounds are translucent so that they read as "slightly off the window colour" on any
    # palette, not as a fixed grey that may clash with it.
    theme = Theme(
        dark=dark,
        code_background=QColor(255, 255, 255, 20) if dark else QColor(0, 0, 0, 14),
        muted=QColor("#8b949e") if dark else QColor("#57606a"),
        link=QColor("#58a6ff") if dark else QColor("#0969da"),
    )
    try:
        from pygments.styles import get_style_by_name
        from pygments.token import Token
    except ImportError:  # highlighting is a nicety; plain monospace without pygments
        return theme
    style = get_style_by_name(_DARK_STYLE if dark else _LIGHT_STYLE)
    for ttype, _ in style:
        spec = style.style_for_token(ttype)
        fmt = QTextCharFormat()
        if spec.get("color"):
            fmt.setForeground(QColor("#" + spec["color"]))
        if spec.get("bold"):
            fmt.setFontWeight(QFont.Weight.Bold)
        if spec.get("italic"):
            fmt.setFontItalic(True)
        if fmt.properties() and ttype is not Token:
            theme.token_formats[ttype] = fmt
    return theme


@lru_cache(maxsize=64)
def lexer_for(language: str) -> Any:
    """The pygments lexer for a fence's language, or None (unknown language, no pygments)."""
    if not language:
        return None
    try:
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:
        return None
    try:
        # stripnl would drop leading/trailing blank lines and shift every position after them.
        return get_lexer_by_name(language.lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


# What replies fence most often; their lexers are loaded ahead by warm_up().
COMMON_LANGUAGES = (
    "python",
    "bash",
    "sh",
    "shell",
    "console",
    "powershell",
    "javascript",
    "js",
    "typescript",
    "ts",
    "jsx",
    "tsx",
    "json",
    "html",
    "xml",
    "css",
    "c",
    "cpp",
    "csharp",
    "java",
    "kotlin",
    "go",
    "rust",
    "swift",
    "ruby",
    "php",
    "sql",
    "yaml",
    "toml",
    "ini",
    "dockerfile",
    "makefile",
    "diff",
    "markdown",
)


def warm_up(languages: tuple[str, ...] = COMMON_LANGUAGES) -> None:
    """Imports pygments, its two styles and the lexers of ``languages`` ahead of need.

    The first use of pygments costs about a tenth of a second and each new lexer a few
    milliseconds more, all of it module imports: run off the GUI thread (it creates no Qt
    object), so that the first code block of a streaming reply does not stall the window.
    """
    try:
        from pygments.styles import get_style_by_name
    except ImportError:
        return
    for name in (_LIGHT_STYLE, _DARK_STYLE):
        get_style_by_name(name)
    for language in languages:
        lexer_for(language)


def utf16_len(text: str) -> int:
    """Length in QString units: characters outside the BMP take two."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def highlight(doc: QTextDocument, start: int, code: str, lexer: Any, theme: Theme) -> None:
    """Applies pygments colours to ``code``, which lies in ``doc`` from position ``start``."""
    cursor = QTextCursor(doc)
    pos = start
    run_start, run_fmt = start, None
    end = doc.characterCount() - 1

    def flush(upto: int) -> None:
        if run_fmt is not None and upto > run_start:
            cursor.setPosition(run_start)
            cursor.setPosition(min(upto, end), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(run_fmt)

    for ttype, value in lexer.get_tokens(code):
        fmt = theme.format_for(ttype) if value.strip() else run_fmt
        if fmt is not run_fmt:
            flush(pos)
            run_start, run_fmt = pos, fmt
        pos += utf16_len(value)
    flush(pos)


def palette_is_dark(palette: QPalette | None = None) -> bool:
    """Whether a palette (default: the application's) has light text on a dark window."""
    palette = palette or QGuiApplication.palette()
    return (
        palette.color(QPalette.ColorRole.WindowText).lightness()
        > palette.color(QPalette.ColorRole.Window).lightness()
    )
