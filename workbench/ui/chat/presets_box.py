"""The presets box: pick a named preset, save the current settings as one, delete one.

A preset is a system prompt and sampling values (:class:`~workbench.core.presets.Preset`). The
box does not own those settings: it reads them through a callable when saving, and asks for a
chosen preset to be shown through ``preset_chosen``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.core.presets import Preset, PresetError, PresetStore
from workbench.ui.chat.panel_widgets import wrapping_label

#: the settings a preset holds, as the panel shows them: (sampling dict, system prompt)
Settings = tuple[dict[str, Any], str]


class PresetsBox(QGroupBox):
    """The preset picker with Save… (an inline name row) and Delete, and a message line.

    The picker shows a preset's name only while the settings still match it.

    Signals:
        preset_chosen(object): the user picked this :class:`Preset`; show it.
        presets_changed(): a preset was saved or deleted.
    """

    preset_chosen = Signal(object)
    presets_changed = Signal()

    def __init__(
        self,
        store: PresetStore,
        current: Callable[[], Settings],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Presets"), parent, objectName="presetsGroup")
        self.store = store
        self._current = current
        self._snapshot: Settings | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.picker = QComboBox(objectName="presetPicker")
        self.picker.setAccessibleName(self.tr("Preset"))
        self.picker.setPlaceholderText(self.tr("Choose a preset"))
        self.picker.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(8)
        self.save_button = QPushButton(self.tr("Save…"), objectName="savePresetButton")
        self.save_button.setAccessibleName(self.tr("Save as a preset"))
        self.delete_button = QPushButton(self.tr("Delete"), objectName="deletePresetButton")
        self.delete_button.setAccessibleName(self.tr("Delete the preset"))
        row.addWidget(self.picker, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.delete_button)
        layout.addLayout(row)

        self.name_row = QWidget(objectName="presetNameRow")
        name_row = QHBoxLayout(self.name_row)
        name_row.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(objectName="presetName")
        self.name.setAccessibleName(self.tr("Preset name"))
        self.name.setPlaceholderText(self.tr("Preset name"))
        self.name_ok = QPushButton(self.tr("OK"), objectName="savePresetConfirmButton")
        self.name_ok.setAccessibleName(self.tr("Save the preset"))
        self.name_cancel = QPushButton(self.tr("Cancel"), objectName="cancelPresetButton")
        self.name_cancel.setAccessibleName(self.tr("Do not save the preset"))
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.name_ok)
        name_row.addWidget(self.name_cancel)
        self.name_row.setVisible(False)
        layout.addWidget(self.name_row)

        self.message = wrapping_label("presetMessage", self.tr("Preset message"))
        layout.addWidget(self.message)

        self.picker.activated.connect(self._on_activated)
        self.save_button.clicked.connect(self._start_saving)
        self.name_ok.clicked.connect(self._finish_saving)
        self.name.returnPressed.connect(self._finish_saving)
        self.name_cancel.clicked.connect(self._cancel_saving)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.name,
            context=Qt.ShortcutContext.WidgetShortcut,
            activated=self._cancel_saving,
        )
        self.delete_button.clicked.connect(self.delete_preset)

        self._reload()
        self.set_message(store.warning or "")

    def tab_order(self) -> list[QWidget]:
        """The box's controls, top to bottom."""
        return [
            self.picker,
            self.save_button,
            self.delete_button,
            self.name,
            self.name_ok,
            self.name_cancel,
        ]

    def set_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _reload(self, select: str | None = None) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for name in self.store.names():
            self.picker.addItem(name, name)
        self.picker.setCurrentIndex(self.picker.findData(select) if select else -1)
        self.picker.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.picker.currentIndex() >= 0)

    # -- following the settings -------------------------------------------------------------------

    def mark_applied(self, name: str) -> None:
        """The settings now show preset ``name``: name it in the picker while they match."""
        index = self.picker.findData(name)
        if index >= 0:
            self.picker.setCurrentIndex(index)
        self._snapshot = self._current()
        self.set_message("")
        self._update_buttons()

    def settings_edited(self) -> None:
        """The settings changed: if they no longer match the preset shown, stop naming it."""
        if self._snapshot is not None and self._snapshot != self._current():
            # Showing the preset's name would mislead.
            self.clear_choice()

    def clear_choice(self) -> None:
        """Name no preset (e.g. after restoring saved settings)."""
        self.picker.setCurrentIndex(-1)
        self._snapshot = None
        self._update_buttons()

    # -- choosing, saving, deleting ---------------------------------------------------------------

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        name = self.picker.itemData(index)
        self._update_buttons()
        if not isinstance(name, str):
            return
        try:
            preset = self.store.get(name)
        except KeyError:
            return
        self.preset_chosen.emit(preset)

    @Slot()
    def _start_saving(self) -> None:
        self.name.setText(self.picker.currentText())
        self.name_row.setVisible(True)
        self.name.selectAll()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _finish_saving(self) -> None:
        sampling, prompt = self._current()
        preset = Preset(self.name.text(), prompt, sampling)
        try:
            self.store.save(preset)
        except PresetError as exc:
            self.set_message(str(exc))
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        name = preset.name.strip()
        self.name_row.setVisible(False)
        saved = next((n for n in self.store.names() if n.casefold() == name.casefold()), name)
        self._reload(select=saved)
        self._snapshot = self._current()
        self.set_message(self.tr("Saved the preset “{name}”.").format(name=saved))
        self.picker.setFocus(Qt.FocusReason.OtherFocusReason)
        self.presets_changed.emit()

    @Slot()
    def _cancel_saving(self) -> None:
        self.name_row.setVisible(False)
        self.save_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def delete_preset(self) -> None:
        """Delete the preset shown in the picker."""
        name = self.picker.currentData()
        if not isinstance(name, str):
            return
        try:
            self.store.delete(name)
        except KeyError:
            pass
        except PresetError as exc:
            self.set_message(str(exc))
            return
        self._snapshot = None
        self._reload()
        self.set_message(self.tr("Deleted the preset “{name}”.").format(name=name))
        self.presets_changed.emit()
