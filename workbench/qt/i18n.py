"""The window's language: which one to use, and Qt's translators for it.

The catalogue itself is :mod:`workbench.core.i18n`'s; here the window adds what only Qt can do:
the system's languages as the desktop reports them (Qt knows Windows' and macOS's settings, not
only the environment), a ``QTranslator`` for Workbench's own ``.qm`` and one for Qt's (file
dialogs, standard buttons, context menus), and the default ``QLocale`` that numbers and dates
are written with.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from workbench.core import i18n

log = logging.getLogger(__name__)

# The language setting's value for "follow the system".
SYSTEM = "system"

_installed: list[QTranslator] = []


def chosen_language(setting: str | None) -> str:
    """The language the window uses for a setting: the user's choice when it names an available
    language, else a parent's ``WORKBENCH_LANG``, else the system's."""
    if setting and setting != SYSTEM:
        code = i18n.match_language(setting)
        if code:
            return code
    handed_down = i18n.inherited_language()
    if handed_down:
        return handed_down
    return i18n.system_language(ui_languages=QLocale.system().uiLanguages())


def apply_language(code: str) -> str:
    """Translate the window into ``code`` from now on (widgets made before keep their text);
    returns the language in use, English when its catalogue is missing or broken."""
    app = QCoreApplication.instance()
    code = i18n.set_language(code)
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(QLocale(code))
    if code == i18n.SOURCE_LANGUAGE or app is None:
        return code
    ours = QTranslator(app)
    qm = i18n.catalogue_dir() / f"workbench_{code}.qm"
    if not ours.load(str(qm)):
        # The .ts read above, the compiled file not: both halves go back to English.
        log.warning("The %s translation %s could not be loaded; using English.", code, qm)
        i18n.set_language(i18n.SOURCE_LANGUAGE)
        QLocale.setDefault(QLocale(i18n.SOURCE_LANGUAGE))
        return i18n.SOURCE_LANGUAGE
    qt = QTranslator(app)
    # Qt's own catalogue; absent from a trimmed install, which only leaves its dialogs English.
    if qt.load(QLocale(code), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(ours)
    _installed.append(ours)
    return code
