"""Choosing what to compare: 2–4 targets, each with its own settings, blind or not, and tags.

The sampling controls come from the shared options form (:mod:`~workbench.ui.widgets.options_form`),
built from the fields' own metadata in :mod:`~workbench.core.options` (label, range, step), the
declaration that also validates them; the chat's model panel uses the same form, so none of
them can disagree.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.compare.sessions import parse_tags
from workbench.core.compare.targets import LOCAL, MAX_TARGETS, MIN_TARGETS, TargetSpec
from workbench.core.names import local_name
from workbench.core.options import LoadOptions, OptionError, SamplingParams
from workbench.qt.cloud import CloudSession
from workbench.ui.widgets.options_form import (
    OptionsForm,
    control_value,
    option_control,
    set_control_value,
)

# Shown in the row itself; the rest are under "More…".
_ROW_FIELDS = ("temperature", "max_tokens")


def _setting_name(name: str) -> str:
    return f"setting_{name}"


class TargetSettingsDialog(QDialog):
    """Every sampling setting, the system prompt and (local) the context length of a target.

    The settings are the same options form as the chat's model panel, so ranges, special
    values ("Random") and the stop-string syntax are the same on both pages.
    """

    def __init__(self, spec: TargetSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Target settings"))
        self.spec = dataclasses.replace(spec)
        specs = SamplingParams.describe()
        if spec.is_local:
            specs += [d for d in LoadOptions.describe() if d["name"] == "context_length"]
        self.form = OptionsForm(specs, object_name=_setting_name)
        values = {**spec.sampling().to_dict()}
        if spec.is_local:
            values["context_length"] = spec.load_options().context_length
        self.form.set_values(values)
        self.stop_edit = self.form.controls["stop"]
        self.context = self.form.controls.get("context_length")
        self.system = QPlainTextEdit(spec.system_prompt or "", objectName="setting_system")
        self.system.setPlaceholderText(self.tr("Optional instructions sent before every prompt"))
        self.system.setFixedHeight(80)
        self.form.add_row(self.tr("System prompt"), self.system)
        self.error = QLabel(objectName="settingsError")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        values = self.form.values()
        context = values.pop("context_length", None)
        params = SamplingParams.from_dict({**self.spec.params, **values})
        try:
            params.validate()
        except OptionError as exc:
            self.error.setText(str(exc))
            return
        self.spec.params = params.to_dict()
        if context is not None:
            self.spec.load = {**self.spec.load, "context_length": context}
        self.spec.system_prompt = self.system.toPlainText().strip() or None
        super().accept()


class TargetRow(QWidget):
    """One target: where it runs, which model, temperature, reply length, and More….

    Signals:
        remove_requested(): the row's Remove button was pressed.
    """

    remove_requested = Signal()

    def __init__(
        self, cloud: CloudSession, library: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.cloud = cloud
        self.library = library
        self._extra = TargetSpec(LOCAL, "-")  # settings from More… (params, load, system)
        self.source = QComboBox(objectName="targetSource")
        self.source.addItem(self.tr("This computer"), LOCAL)
        for p in cloud.providers():
            self.source.addItem(p.name, p.id)
        self.model = QComboBox(objectName="targetModel")
        self.model.setEditable(True)
        self.model.setMinimumContentsLength(24)
        self.model.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.browse = QPushButton(self.tr("Browse…"), objectName="targetBrowse")
        # The row's two fields are controls of the same options form as More… and the chat.
        self._specs = {d["name"]: d for d in SamplingParams.describe() if d["name"] in _ROW_FIELDS}
        self.temperature = option_control(self._specs["temperature"], "targetTemperature")
        self.temperature.setToolTip(self.tr("Temperature"))
        self.temperature.setAccessibleName(self.temperature.toolTip())
        self.max_tokens = option_control(self._specs["max_tokens"], "targetMaxTokens")
        self.max_tokens.setToolTip(self.tr("Maximum reply length (tokens)"))
        self.max_tokens.setAccessibleName(self.max_tokens.toolTip())
        self.set_row_values(SamplingParams())
        self.more = QPushButton(self.tr("More…"), objectName="targetMore")
        self.remove = QPushButton(self.tr("Remove"), objectName="targetRemove")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.source)
        layout.addWidget(self.model, 1)
        layout.addWidget(self.browse)
        layout.addWidget(QLabel(self.tr("Temperature")))
        layout.addWidget(self.temperature)
        layout.addWidget(QLabel(self.tr("Length")))
        layout.addWidget(self.max_tokens)
        layout.addWidget(self.more)
        layout.addWidget(self.remove)
        self.source.currentIndexChanged.connect(self._fill_models)
        self.browse.clicked.connect(self._browse)
        self.more.clicked.connect(self._open_more)
        self.remove.clicked.connect(self.remove_requested)
        self._fill_models()

    def _fill_models(self) -> None:
        source = self.source.currentData()
        self.model.clear()
        self.browse.setVisible(source == LOCAL)
        if source == LOCAL:
            for path in self.library:
                self.model.addItem(local_name(path), path)
                self.model.setItemData(self.model.count() - 1, path, Qt.ItemDataRole.ToolTipRole)
            self.model.lineEdit().setPlaceholderText(self.tr("Choose a model file"))
        else:
            provider = self.cloud.provider(source)
            for name in provider.all_models() if provider else []:
                self.model.addItem(name, name)
            self.model.lineEdit().setPlaceholderText(self.tr("Model ID, e.g. gpt-4o-mini"))
            # The preset's default or the model used last, never the first in the alphabet.
            start = provider.starting_model() if provider else ""
            if start:
                index = self.model.findData(start)
                if index >= 0:
                    self.model.setCurrentIndex(index)
                else:
                    self.model.setEditText(start)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a model file"), "", self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.set_target(LOCAL, path)

    def _open_more(self) -> None:
        dialog = TargetSettingsDialog(self.spec() or TargetSpec(LOCAL, "-"), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._extra = dialog.spec
            self.set_row_values(dialog.spec.sampling())

    def set_row_values(self, params: SamplingParams) -> None:
        """Show ``params``' temperature and reply length in the row."""
        for name, control in (("temperature", self.temperature), ("max_tokens", self.max_tokens)):
            set_control_value(control, self._specs[name], getattr(params, name))

    def set_extra(self, spec: TargetSpec) -> None:
        """Take every setting of ``spec`` (a previous comparison's target) as this row's."""
        self._extra = spec
        self.set_row_values(spec.sampling())

    def set_target(self, source: str, model: str) -> None:
        i = self.source.findData(source)
        if i >= 0:
            self.source.setCurrentIndex(i)
        j = self.model.findData(model)
        if j < 0:
            label = local_name(model) if source == LOCAL else model
            self.model.addItem(label, model)
            j = self.model.count() - 1
        self.model.setCurrentIndex(j)

    def model_value(self) -> str:
        text = self.model.currentText().strip()
        i = self.model.currentIndex()
        if i >= 0 and self.model.itemText(i) == text and self.model.itemData(i):
            return str(self.model.itemData(i))
        return text

    def spec(self) -> TargetSpec | None:
        model = self.model_value()
        if not model:
            return None
        params = {
            **self._extra.params,
            "temperature": control_value(self.temperature, self._specs["temperature"]),
            "max_tokens": control_value(self.max_tokens, self._specs["max_tokens"]),
        }
        source = self.source.currentData()
        return TargetSpec(
            provider=source,
            model=model,
            params=params,
            load=dict(self._extra.load) if source == LOCAL else {},
            system_prompt=self._extra.system_prompt,
        )


class NewComparisonDialog(QDialog):
    """Pick 2–4 targets, blind or not, a title and tags."""

    def __init__(
        self,
        cloud: CloudSession,
        library: list[str],
        parent: QWidget | None = None,
        *,
        title: str = "",
        tags: list[str] | None = None,
        blind: bool = False,
        previous: list[TargetSpec] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New comparison"))
        self.cloud, self.library = cloud, library
        self.rows: list[TargetRow] = []
        intro = QLabel(
            self.tr(
                "Choose 2 to 4 models. Each gets the same prompts and keeps its own conversation; "
                "local models and cloud models can be mixed."
            )
        )
        intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.add_button = QPushButton(self.tr("Add a model"), objectName="addTarget")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.title_edit = QLineEdit(title, objectName="compareTitle")
        self.title_edit.setPlaceholderText(self.tr("Optional; the first prompt otherwise"))
        self.tags_edit = QLineEdit(", ".join(tags or []), objectName="compareTags")
        self.tags_edit.setPlaceholderText(self.tr("e.g. coding, Chinese (comma-separated)"))
        self.blind = QCheckBox(
            self.tr("Blind: show the answers as A, B, … in a random order until I vote"),
            objectName="compareBlind",
        )
        self.blind.setChecked(blind)
        form = QFormLayout()
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Tags"), self.tags_edit)
        self.error = QLabel(objectName="compareSetupError")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.grid)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form)
        layout.addWidget(self.blind)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for spec in previous or []:
            row = self.add_row()
            row.set_target(spec.provider, spec.model)
            row.set_extra(spec)
        while len(self.rows) < MIN_TARGETS:
            self.add_row()
        self.resize(900, self.sizeHint().height())

    def add_row(self) -> TargetRow:
        row = TargetRow(self.cloud, self.library, self)
        row.remove_requested.connect(lambda r=row: self._remove(r))
        self.grid.addWidget(row, len(self.rows), 0)
        self.rows.append(row)
        self._update()
        return row

    def _remove(self, row: TargetRow) -> None:
        if len(self.rows) <= MIN_TARGETS:
            return
        self.rows.remove(row)
        self.grid.removeWidget(row)
        row.deleteLater()
        for i, r in enumerate(self.rows):
            self.grid.addWidget(r, i, 0)
        self._update()

    def _update(self) -> None:
        self.add_button.setEnabled(len(self.rows) < MAX_TARGETS)
        for r in self.rows:
            r.remove.setEnabled(len(self.rows) > MIN_TARGETS)

    def specs(self) -> list[TargetSpec]:
        return [s for s in (r.spec() for r in self.rows) if s is not None]

    def tags(self) -> list[str]:
        return parse_tags(self.tags_edit.text())

    def accept(self) -> None:
        specs = self.specs()
        if len(specs) < len(self.rows):
            self.error.setText(self.tr("Choose a model in every row, or remove the empty row."))
            return
        for spec in specs:
            try:
                spec.sampling().validate()
            except OptionError as exc:
                self.error.setText(str(exc))
                return
            if spec.is_local and not Path(spec.model).is_file():
                self.error.setText(
                    self.tr("The model file {name} was not found.").format(
                        name=Path(spec.model).name
                    )
                )
                return
        super().accept()
