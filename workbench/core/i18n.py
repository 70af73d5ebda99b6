"""Translations: one catalogue per language for the window, the command line and ``core``.

A language is one file, ``resources/i18n/workbench_<code>.ts`` (Qt Linguist's XML), plus its
compiled ``.qm``. The window's widgets translate through Qt (``self.tr()`` and a
``QTranslator`` loaded with the ``.qm``); everything without a widget — ``core``'s sentences,
the command line, module-level helpers of the window — calls :func:`translate`, which reads the
same ``.ts``. So one file is the single source of truth for every sentence in one language, and
adding a language is adding that file: no code names the languages.

Sentences are English in the code and the English text is the key, as Qt and gettext do it::

    translate("core.gguf", "{name} is not a GGUF file.").format(name=name)

The context (first argument) and the text must be literals: ``pyside6-lupdate`` finds them in
the source (``packaging/translations.py update``). Placeholders are named (``{name}``) and
filled after translating, so a translation may reorder them; ``%n`` is the count for a sentence
with plural forms (``translate(ctx, "%n files", None, 3)``).

The language is process-wide (:func:`set_language`): the window sets it from the user's choice,
the command line from ``--lang`` or the environment, and a model process inherits it through
``WORKBENCH_LANG``.
"""

from __future__ import annotations

import logging
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
# The environment variable a parent process hands its language down with (model processes).
ENV_VAR = "WORKBENCH_LANG"
# Markers of Traditional Chinese: a zh_CN catalogue must not be offered to those readers.
_TRADITIONAL = {"tw", "hk", "mo", "hant"}

_language = SOURCE_LANGUAGE
# What a parent process handed down, read once: set_language writes the variable for children.
_INHERITED = os.environ.get(ENV_VAR)
_catalogue: dict[tuple[str, str], tuple[str, ...]] = {}


def catalogue_dir() -> Path:
    from workbench.resources import resource_path

    return resource_path("i18n")


def available_languages() -> list[str]:
    """The language codes there is a catalogue for, English (the source) first."""
    found = sorted(
        p.stem.removeprefix("workbench_") for p in catalogue_dir().glob("workbench_*.ts")
    )
    return [SOURCE_LANGUAGE, *found]


def language_name(code: str) -> str:
    """A language's name in that language ("English", "简体中文"), as its catalogue says."""
    if code == SOURCE_LANGUAGE:
        return "English"
    try:
        messages = _read_catalogue(_ts_path(code))
    except (OSError, ET.ParseError, ValueError):
        return code
    # The catalogue's translation of the name "English" is its own language's name.
    forms = messages.get(("Language", "English"))
    return forms[0] if forms else code


def match_language(tag: str | None, available: list[str] | None = None) -> str | None:
    """The available language a locale tag asks for, or None.

    ``tag`` is what locales and settings say: "zh_CN.UTF-8", "zh-Hans-SG", "zh", "en_US". A tag
    matches a catalogue by language, then by script or territory when the language has several:
    "zh_SG" and "zh-Hans" are Simplified Chinese, "zh_TW" and "zh-Hant" are not.
    """
    if not tag:
        return None
    available = available_languages() if available is None else available
    base = tag.split(".")[0].split("@")[0].replace("-", "_")
    parts = [p.lower() for p in base.split("_") if p]
    if not parts or parts[0] in ("c", "posix"):
        return None
    lang, rest = parts[0], set(parts[1:])
    if lang == SOURCE_LANGUAGE:
        return SOURCE_LANGUAGE
    candidates = [c for c in available if c.split("_")[0].lower() == lang]
    if lang == "zh" and rest & _TRADITIONAL:
        candidates = [c for c in candidates if set(c.lower().split("_")[1:]) & _TRADITIONAL]
    for code in candidates:  # an exact territory first ("pt_BR" before "pt_PT")
        if set(code.lower().split("_")[1:]) <= rest:
            return code
    return candidates[0] if candidates else None


def system_language(
    environ: Mapping[str, str] | None = None, ui_languages: list[str] | None = None
) -> str:
    """The language the system asks for: ``LANGUAGE`` (a colon-separated list), ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG`` as gettext reads them, then ``ui_languages`` (the window passes
    Qt's list, which also knows Windows' and macOS's settings); English when none is available.
    """
    environ = os.environ if environ is None else environ
    tags: list[str] = []
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if name == "LANGUAGE":
            tags.extend(value.split(":"))
        elif value:
            tags.append(value)
            break  # the first variable set decides, as in the C library
    tags.extend(ui_languages or [])
    available = available_languages()
    for tag in tags:
        if tag and tag.split(".")[0].upper() in ("C", "POSIX"):
            break  # "C" asks for the untranslated program
        code = match_language(tag, available)
        if code:
            return code
    return SOURCE_LANGUAGE


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language a process started without a choice uses: a parent's ``WORKBENCH_LANG``,
    else the system's."""
    handed_down = _INHERITED if environ is None else environ.get(ENV_VAR)
    return match_language(handed_down) or system_language(environ)


def inherited_language() -> str | None:
    """The language a parent process handed down (``WORKBENCH_LANG``), if any."""
    return match_language(_INHERITED)


def set_language(code: str) -> str:
    """Use ``code``'s catalogue for :func:`translate` from now on, in this process and in the
    processes it starts; returns the language in use.

    A missing or unreadable catalogue means English, with one line in the log, never an error.
    """
    global _language, _catalogue
    code = match_language(code) or SOURCE_LANGUAGE
    catalogue: dict[tuple[str, str], tuple[str, ...]] = {}
    if code != SOURCE_LANGUAGE:
        try:
            catalogue = _read_catalogue(_ts_path(code))
        except (OSError, ET.ParseError, ValueError) as exc:
            log.warning("The %s translation could not be read (%s); using English.", code, exc)
            code = SOURCE_LANGUAGE
    _language, _catalogue = code, catalogue
    os.environ[ENV_VAR] = code
    return code


def current_language() -> str:
    return _language


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the current language (``text`` itself when it has no translation).

    With ``n`` >= 0, ``%n`` in the result becomes ``n`` (Qt's rule for plural sentences). Write
    a plural call with four positional arguments, ``translate(ctx, "%n files", None, count)``,
    as Qt's ``QCoreApplication.translate``: that is the form ``lupdate`` recognises. The
    ``disambiguation`` is Qt's too; the catalogue keys on context and text alone.
    """
    forms = _catalogue.get((context, text))
    result = text if not forms else forms[_plural_index(n, len(forms))]
    if n >= 0:
        result = result.replace("%n", str(n))
    return result


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # Qt's name: lupdate finds it
    """Marks a sentence for the catalogue without translating it (translated where shown)."""
    return text


def decimal(value: float, digits: int = 1) -> str:
    """A number with ``digits`` decimals, written as the current language writes numbers."""
    text = f"{value:,.{digits}f}"
    point = translate("Locale", ".")
    group = translate("Locale", ",")
    return text.replace(",", "\0").replace(".", point).replace("\0", group)


def _plural_index(n: int, count: int) -> int:
    # Languages with one form (Chinese, Japanese) have one; English-like ones singular/plural.
    if count <= 1 or n < 0:
        return 0
    return 0 if n == 1 else min(1, count - 1)


def _ts_path(code: str) -> Path:
    return catalogue_dir() / f"workbench_{code}.ts"


# {name}, {name:.1f}, {0}, {}; Qt's %1, %L1, %n; and printf's %s, %(name)s (argparse's own).
_PLACEHOLDER = re.compile(
    r"\{[A-Za-z_][A-Za-z0-9_]*(?:[:!][^{}]*)?\}|\{\d*(?::[^{}]*)?\}|%L?\d|%n|%\([a-z_]+\)[rsd]|%[rsd]"
)


def placeholders(text: str) -> list[str]:
    """The placeholders in a sentence, sorted: ``{name}``, ``%1``, ``%n``; the completeness
    check compares a translation's with its source's."""
    return sorted(_PLACEHOLDER.findall(text))


def _read_catalogue(path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """The finished translations of a ``.ts`` file: ``(context, source) -> forms``."""
    root = ET.parse(path).getroot()
    if root.tag != "TS":
        raise ValueError(f"{path.name} is not a translation file")
    messages: dict[tuple[str, str], tuple[str, ...]] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type"):
                continue  # unfinished, obsolete or vanished: the English stays
            forms = [f.text or "" for f in translation.iter("numerusform")]
            if not forms:
                forms = [translation.text or ""]
            if all(forms):
                messages[(name, message.findtext("source") or "")] = tuple(forms)
    return messages


# Its translation in a catalogue is that language's own name (see language_name).
QT_TRANSLATE_NOOP("Language", "English")
