"""The command line's language: ``--lang``, else the environment, and argparse's own sentences.

The language is chosen before the parser is built, because argparse translates some of its
texts (help headings, ``-h``'s help) when the parser is made: :func:`requested_language` reads
``--lang`` from the raw arguments. argparse looks its sentences up through its module globals
``_`` and ``ngettext`` (gettext's functions) when it needs them; :func:`translate_argparse`
points those at the catalogue, context ``"argparse"``, where :data:`ARGPARSE_MESSAGES` puts
every sentence of argparse this command line can show (the wording of Python 3.10 to 3.13).
:class:`HelpFormatter` lays help out by the columns characters take on a terminal, so Chinese
wraps at the terminal's width (between any two characters, never before a closing mark).
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence

from workbench.cli.common import display_width
from workbench.core import i18n
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate

OPTION = "--lang"

# argparse's sentences, exactly as its source writes them, so that lupdate adds them to the
# catalogue; argparse itself asks for them (see translate_argparse).
ARGPARSE_MESSAGES = (
    QT_TRANSLATE_NOOP("argparse", "usage: "),
    QT_TRANSLATE_NOOP("argparse", "positional arguments"),
    QT_TRANSLATE_NOOP("argparse", "options"),
    QT_TRANSLATE_NOOP("argparse", "%(heading)s:"),  # 3.13
    QT_TRANSLATE_NOOP("argparse", "show this help message and exit"),
    # 3.13 asks for it; before, the help is passed translated (see workbench.cli).
    QT_TRANSLATE_NOOP("argparse", "show program's version number and exit"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("argparse", "ignored explicit argument %r"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected at most one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected at least one argument"),
    QT_TRANSLATE_NOOP("argparse", "expected %s argument"),
    QT_TRANSLATE_NOOP("argparse", "expected %s arguments"),
    QT_TRANSLATE_NOOP("argparse", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("argparse", "unexpected option string: %s"),
    QT_TRANSLATE_NOOP("argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _gettext(message: str) -> str:
    return translate("argparse", message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    # Both forms are in the catalogue; a language with one form translates both the same.
    return translate("argparse", singular if n == 1 else plural)


def translate_argparse() -> None:
    """Have argparse ask the catalogue for its sentences, in the language set at the time."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


class LanguageError(ValueError):
    """``--lang`` names no available language; the message says which ones are."""


def requested_language(argv: Sequence[str]) -> str | None:
    """The value of the last ``--lang X`` or ``--lang=X`` in ``argv`` (up to ``--``), if any."""
    value = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == OPTION and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(OPTION + "="):
            value = arg[len(OPTION) + 1 :]
    return value


def available() -> str:
    """The languages ``--lang`` takes, for help and errors: "en (English), zh_CN (简体中文)"."""
    return ", ".join(
        translate("cli.language", "{code} ({name})").format(
            code=code, name=i18n.language_name(code)
        )
        for code in i18n.available_languages()
    )


def choose_language(argv: Sequence[str]) -> str:
    """Set the process's language from ``--lang`` in ``argv``, else the environment; returns it.

    Raises:
        LanguageError: ``--lang`` names no available language (said in the environment's
            language).
    """
    i18n.set_language(i18n.language_from_environment())
    asked = requested_language(argv)
    if asked is None:
        return i18n.current_language()
    code = i18n.match_language(asked.strip())
    if code is None:
        raise LanguageError(
            translate(
                "cli.language",
                "{value} is not an available language for --lang; choose {languages}",
            ).format(value=repr(asked), languages=available())
        )
    return i18n.set_language(code)


# Chinese punctuation that must not start a line, and that which must not end one.
_NO_LINE_START = set("，。、：；！？）》」』”’…")
_NO_LINE_END = set("（《「『“‘")


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns, broken at spaces and between
    wide (Chinese) characters; argparse's own wrapping for text without wide characters."""
    text = " ".join(text.split())
    if display_width(text) == len(text):
        return textwrap.wrap(text, width)
    # Tokens: a space, a wide character, or a run of narrow characters (a Latin word).
    tokens: list[str] = []
    for ch in text:
        wide = display_width(ch) > 1
        if (
            ch == " "
            or wide
            or not tokens
            or tokens[-1] == " "
            or display_width(tokens[-1][-1]) > 1
        ):
            tokens.append(ch)
        else:
            tokens[-1] += ch
    lines: list[str] = []
    line: list[str] = []
    for token in tokens:
        if not line and token == " ":
            continue
        if not line or display_width("".join(line) + token) <= width:
            line.append(token)
            continue
        # Break before the token; a closing mark goes down with what it closes, an opening
        # mark with what it opens.
        moved = [] if token == " " else [token]
        while (
            len(line) > 1
            and line[-1] != " "
            and (line[-1][-1] in _NO_LINE_END or (moved and moved[0][0] in _NO_LINE_START))
        ):
            moved.insert(0, line.pop())
        lines.append("".join(line).rstrip())
        line = moved
    if line:
        lines.append("".join(line).rstrip())
    return lines


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, measured in terminal columns, with headings in the language's
    punctuation ("选项：")."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._headings: list[str] = []

    def start_section(self, heading) -> None:
        if heading:
            self._headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        # Python before 3.13 writes "heading:" itself; 3.13 asks the catalogue, as here.
        for heading in self._headings:
            text = text.replace(
                f"{heading}:\n", argparse._("%(heading)s:") % {"heading": heading} + "\n"
            )
        return text

    def _format_usage(self, usage, actions, groups, prefix) -> str:
        if prefix is None:
            prefix = argparse._("usage: ")
        text = super()._format_usage(usage, actions, groups, prefix)
        # The continuation lines are indented by the prefix's characters; line them up with
        # its columns ("用法：" takes 6, not 3).
        extra = display_width(prefix) - len(prefix)
        if extra <= 0:
            return text
        first, *rest = text.split("\n")
        return "\n".join([first, *(" " * extra + line if line.strip() else line for line in rest)])

    def _split_lines(self, text, width) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text, width, indent) -> str:
        return "\n".join(indent + line for line in wrap(text, width))
