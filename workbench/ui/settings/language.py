"""Settings › General › Language: follow the system, or one of the catalogues by its own name.

The window takes its language once, at start (widgets take their text when they are made), so
a new choice applies after a restart. The box says so in the new language and in the current
one, and offers to restart at once.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core import i18n
from workbench.core.i18n import QT_TRANSLATE_NOOP
from workbench.qt.i18n import chosen_language

# Shown in the new language as well, so it is read from that language's catalogue.
RESTART_NOTE = QT_TRANSLATE_NOOP("LanguageBox", "Workbench shows the new language after a restart.")


def sentence_in(code: str, context: str, text: str) -> str:
    """``text`` in the language ``code`` (not the window's): from that language's compiled
    catalogue, English when it has none."""
    if code == i18n.SOURCE_LANGUAGE:
        return text
    translator = QTranslator()
    if not translator.load(str(i18n.catalogue_dir() / f"workbench_{code}.qm")):
        return text
    return translator.translate(context, text) or text


class LanguageBox(QGroupBox):
    """The language combo; :meth:`choice` is the setting's value (None: follow the system).

    Signals:
        restart_requested(): the user pressed Restart now.
    """

    restart_requested = Signal()

    def __init__(self, setting: str | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Language"), parent)
        self.setObjectName("languageBox")
        self.combo = QComboBox(objectName="languageCombo")
        self.combo.setAccessibleName(self.tr("Language"))
        system = i18n.language_name(chosen_language(None))
        self.combo.addItem(self.tr("Follow the system ({language})").format(language=system), None)
        for code in i18n.available_languages():
            self.combo.addItem(i18n.language_name(code), code)
        index = self.combo.findData(setting) if setting else 0
        self.combo.setCurrentIndex(max(0, index))
        self.note = QLabel(objectName="languageNote")
        self.note.setWordWrap(True)
        self.restart_button = QPushButton(self.tr("Restart now"), objectName="restartButton")
        row = QHBoxLayout()
        row.addWidget(self.combo, 1)
        row.addWidget(self.restart_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        self.combo.currentIndexChanged.connect(self._update_note)
        self.restart_button.clicked.connect(self.restart_requested)
        self._update_note()

    def choice(self) -> str | None:
        """The language chosen: a catalogue's code, or None to follow the system."""
        return self.combo.currentData()

    def needs_restart(self) -> bool:
        """Whether the choice means another language than the window's now."""
        return chosen_language(self.choice()) != i18n.current_language()

    def _update_note(self) -> None:
        wanted = chosen_language(self.choice())
        if wanted == i18n.current_language():
            self.note.clear()
        else:
            # The new language first: it is the one the user has just picked and can read.
            lines = [sentence_in(wanted, "LanguageBox", RESTART_NOTE)]
            lines.append(QCoreApplication.translate("LanguageBox", RESTART_NOTE))
            self.note.setText("\n".join(dict.fromkeys(lines)))
        self.note.setVisible(bool(self.note.text()))
        self.restart_button.setVisible(bool(self.note.text()))
