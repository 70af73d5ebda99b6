"""The prompt format of a local model: which one it uses and why, and the user's choice.

Most GGUF files carry their own chat template; a file without one gets a built-in format
chosen from its vocabulary, architecture or name (:mod:`workbench.core.local.formats`). This part
of the model panel says which format the model uses (or will use once loaded) and lets the user
pick another built-in format or paste a Jinja template. Both are load options
(``LoadOptions.chat_format`` and ``chat_template``): the panel validates them with the others.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from workbench.core.gguf_file import GGUFInfo
from workbench.core.local.formats import AUTO, CUSTOM, FORMATS, Choice, choose
from workbench.ui.chat.panel_widgets import wrapping_label

#: lines of the template box
TEMPLATE_LINES = 6


class PromptFormatControl(QWidget):
    """The format picker (``chatFormat``), the template box (``chatTemplate``, shown for a
    custom template) and the sentence naming the format used (``promptFormatStatus``).

    Signals:
        changed(): the user picked another format or edited the template.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._info: GGUFInfo | None = None
        self._in_use: Choice | None = None
        self._loaded_values: dict[str, str] | None = None
        self._quiet = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self.tr("Prompt format"), objectName="chatFormatLabel")
        layout.addWidget(self.label)
        self.picker = QComboBox(objectName="chatFormat")
        self.picker.setAccessibleName(self.tr("Prompt format"))
        self.picker.setToolTip(
            self.tr(
                "How a conversation is written out for the model. Automatic uses the file's "
                "own chat template, or a format chosen from the file when it has none."
            )
        )
        self.picker.addItem(self.tr("Automatic"), AUTO)
        for fmt in FORMATS.values():
            self.picker.addItem(fmt.label, fmt.name)  # names of model families: not translated
        self.picker.addItem(self.tr("Custom template"), CUSTOM)
        self.label.setBuddy(self.picker)
        layout.addWidget(self.picker)

        self.template_edit = QPlainTextEdit(objectName="chatTemplate")
        self.template_edit.setAccessibleName(self.tr("Custom chat template"))
        self.template_edit.setPlaceholderText(
            self.tr("Paste a Jinja chat template, e.g. from the model's tokenizer_config.json")
        )
        self.template_edit.setTabChangesFocus(True)
        self.template_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.template_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        lines = TEMPLATE_LINES * self.template_edit.fontMetrics().lineSpacing()
        self.template_edit.setFixedHeight(round(lines + 2 * self.template_edit.frameWidth() + 8))
        self.template_edit.setVisible(False)
        layout.addWidget(self.template_edit)

        self.status = wrapping_label("promptFormatStatus", self.tr("Prompt format in use"))
        layout.addWidget(self.status)

        self.picker.currentIndexChanged.connect(self._on_edited)
        self.template_edit.textChanged.connect(self._on_edited)
        self._update()

    # -- values -------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        """``chat_format`` and ``chat_template``, as :class:`LoadOptions` takes them."""
        return {
            "chat_format": self.picker.currentData() or AUTO,
            "chat_template": self.template_edit.toPlainText(),
        }

    def set_values(self, chat_format: str, chat_template: str) -> None:
        """Show these values (an unknown format shows Automatic); emits no ``changed``."""
        self._quiet = True
        try:
            index = self.picker.findData(chat_format)
            self.picker.setCurrentIndex(max(index, 0))
            self.template_edit.setPlainText(chat_template)
        finally:
            self._quiet = False
        self._update()

    # -- what the panel reports -----------------------------------------------------------------

    def set_model_info(self, info: GGUFInfo | None) -> None:
        """The header of the chosen file (None while none is read): for the format it will use."""
        self._info = info
        self._update()

    def show_in_use(self, choice: Choice | None) -> None:
        """The loaded model's format (None: no model is loaded)."""
        self._in_use = choice
        self._loaded_values = self.values() if choice is not None else None
        self._update()

    # -- internals ------------------------------------------------------------------------------

    @Slot()
    def _on_edited(self, *_args: object) -> None:
        self._update()
        if not self._quiet:
            self.changed.emit()

    def _update(self) -> None:
        values = self.values()
        self.template_edit.setVisible(values["chat_format"] == CUSTOM)
        if self._in_use is not None and values == self._loaded_values:
            text = self.tr("In use: {format}").format(format=self.describe(self._in_use))
        elif self._info is not None:
            info = self._info
            upcoming = choose(
                values["chat_format"],
                values["chat_template"],
                has_template=info.has_chat_template,
                architecture=info.architecture,
                name=info.name,
                file_name=os.path.basename(info.path),
                tokens=info.chat_markers,
            )
            what = self.describe(upcoming)
            if self._in_use is not None:
                text = self.tr("After loading again: {format}").format(format=what)
            else:
                text = self.tr("When loaded: {format}").format(format=what)
        else:
            text = ""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def describe(self, choice: Choice) -> str:
        """The format and why it was chosen, in the interface's language."""
        name = choice.label
        phrases = {
            "file": self.tr("the file's own chat template."),
            "chosen": self.tr("{name} format, as chosen."),
            "custom": self.tr("your own template."),
            "vocabulary": self.tr(
                "{name} format, chosen from the model's vocabulary (the file has no chat template)."
            ),
            "architecture": self.tr(
                "{name} format, chosen from the model's architecture (the file has no chat "
                "template)."
            ),
            "name": self.tr(
                "{name} format, chosen from the model's name (the file has no chat template)."
            ),
            "fallback": self.tr(
                "{name} format: the file has no chat template and nothing in it names a format. "
                "If replies are empty or odd, pick the model's format here."
            ),
        }
        return phrases.get(choice.evidence, phrases["chosen"]).format(name=name)
