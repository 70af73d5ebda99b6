"""The right-hand panel: choose and load a local model, set load options, sampling and presets.

The panel owns no model: it asks the main window to load or unload through signals and shows
the status the main window reports back. It composes parts that each keep to one job:

- :class:`~workbench.ui.chat.model_file.ModelFilePicker`: the file list, Browse… and the
  header summary (listing and reading run as jobs off the GUI thread);
- :class:`~workbench.ui.chat.load_status.LoadStatus`: Load / Unload / Cancel, progress, status
  and the error line;
- :class:`~workbench.ui.chat.gpu_layers.GpuLayersControl`: GPU layers, Auto or a number;
- :class:`~workbench.ui.widgets.options_form.OptionsForm`: the load options and the sampling
  controls, built from ``LoadOptions.describe()`` and ``SamplingParams.describe()`` (the same
  form the compare setup uses), so ranges and labels are declared once, in core;
- :class:`~workbench.ui.chat.presets_box.PresetsBox`: presets.

Simple by default: the model, the GPU layers, temperature, reply length, the system prompt and
the presets are always in view; the other load options and the expert sampling controls fold
under *Advanced*, closed at first and remembered with the panel's state.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.gguf_file import GGUFInfo
from workbench.core.i18n import translate
from workbench.core.options import LoadOptions, OptionError, SamplingParams, sanitized
from workbench.core.presets import Preset, PresetStore
from workbench.ui.chat.gpu_layers import GpuLayersControl
from workbench.ui.chat.load_status import LoadStatus
from workbench.ui.chat.model_file import ModelFilePicker
from workbench.ui.chat.panel_widgets import WheelGuard, color_as_error, wrapping_label
from workbench.ui.chat.presets_box import PresetsBox
from workbench.ui.chat.prompt_format import PromptFormatControl
from workbench.ui.widgets.options_form import OptionsForm, camel_case

#: The sampling controls always in view; the others are under Advanced.
_MAIN_SAMPLING_FIELDS = ("temperature", "max_tokens")
#: Load options with controls of their own, not in the Advanced form.
_OWN_CONTROL_FIELDS = ("gpu_layers", "chat_format", "chat_template")
_OBJECT_NAMES = {
    "load": {"seed": "loadSeed"},
    "sampling": {"seed": "samplingSeed", "stop": "stopStrings"},
}


def _object_name(group: str):
    names = _OBJECT_NAMES[group]
    return lambda name: names.get(name, camel_case(name))


class ModelPanel(QWidget):
    """The right-hand panel: choose and load a local model, its load options, sampling,
    system prompt and presets.

    The library scan starts when the panel is created. ``set_state`` and programmatic changes
    do not emit ``settings_changed``; user edits do (the main window should coalesce them).

    Signals:
        load_requested(str, object): path, validated :class:`LoadOptions`.
        unload_requested(): the user asked to unload the model.
        cancel_load_requested(): the user asked to stop a load in progress.
        settings_changed(): an option, sampling value, the system prompt, the model file, the
            Advanced section or a preset changed.
        model_chosen(object): another file is chosen (its path, or None).
        model_inspected(object): the :class:`GGUFInfo` of the chosen file, once read.
    """

    model_chosen = Signal(object)
    load_requested = Signal(str, object)
    unload_requested = Signal()
    cancel_load_requested = Signal()
    settings_changed = Signal()
    model_inspected = Signal(object)

    def __init__(self, parent: QWidget | None = None, presets: PresetStore | None = None) -> None:
        super().__init__(parent)
        self._loaded_options: dict[str, Any] | None = None
        self._requested_options: dict[str, Any] | None = None
        self._quiet = 0  # > 0 while the panel itself sets controls: no settings_changed then
        self._load_specs = {d["name"]: d for d in LoadOptions.describe()}
        self.presets = presets if presets is not None else PresetStore()

        self._build()
        self._connect()
        self._set_load_options(LoadOptions())
        self._set_sampling(SamplingParams())
        self._update_load_state()
        self._update_kv_choices()

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self, objectName="modelPanelScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # The panel scrolls vertically only: its controls shrink to the width it is given.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._wheel_guard = WheelGuard(self.scroll_area.verticalScrollBar(), self)
        outer.addWidget(self.scroll_area)
        content = QWidget(objectName="modelPanelContent")
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(content)

        layout.addWidget(self._build_model_group())
        layout.addWidget(self._build_load_group())
        layout.addWidget(self._build_sampling_group())
        layout.addWidget(self._build_prompt_group())
        advanced = self._build_advanced()
        self.presets_box = PresetsBox(
            self.presets, lambda: (self.sampling().to_dict(), self.system_prompt())
        )
        self._wheel_guard.guard(self.presets_box.picker)
        self.preset_picker = self.presets_box.picker
        self.save_preset_button = self.presets_box.save_button
        self.delete_preset_button = self.presets_box.delete_button
        self.preset_name_row = self.presets_box.name_row
        self.preset_name = self.presets_box.name
        self.preset_name_ok = self.presets_box.name_ok
        self.preset_name_cancel = self.presets_box.name_cancel
        self.preset_message = self.presets_box.message
        layout.addWidget(self.presets_box)
        layout.addWidget(self.advanced_toggle)
        layout.addWidget(advanced)
        layout.addStretch(1)
        self._set_tab_order()

    def _build_model_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Model"), objectName="modelGroup")
        layout = QVBoxLayout(box)
        self.file_picker = ModelFilePicker()
        self.model_picker = self.file_picker.model_picker
        self.browse_button = self.file_picker.browse_button
        self.model_summary = self.file_picker.model_summary
        layout.addWidget(self.file_picker)
        self.prompt_format = PromptFormatControl()
        self._wheel_guard.guard(self.prompt_format.picker)
        layout.addWidget(self.prompt_format)

        self.load_status = LoadStatus()
        self.load_button = self.load_status.load_button
        self.unload_button = self.load_status.unload_button
        self.cancel_load_button = self.load_status.cancel_button
        self.load_progress = self.load_status.progress
        self.model_status = self.load_status.status
        self.model_error = self.load_status.error
        layout.addWidget(self.load_status)
        return box

    def _build_load_group(self) -> QGroupBox:
        """The load options always in view: the GPU layers (the rest is under Advanced)."""
        box = QGroupBox(self.tr("Loading"), objectName="loadGroup")
        layout = QVBoxLayout(box)
        specs = self._load_specs
        self.load_form = OptionsForm([], object_name=_object_name("load"))
        gpu_label = translate("core.options", specs["gpu_layers"]["label"])
        self.gpu = GpuLayersControl(gpu_label)
        self.gpu.options_source = self.load_options  # Auto leaves room for these
        self.gpu_layers = self.gpu.spin
        self.gpu_layers_label = self.gpu.label
        self._wheel_guard.guard(self.gpu_layers)
        self.load_form.insert_row(0, gpu_label, self.gpu, self.gpu_layers)
        layout.addWidget(self.load_form)

        self.reload_hint = wrapping_label("reloadHint", self.tr("Reload hint"))
        self.reload_hint.setText(self.tr("Reload the model to apply these changes"))
        self.reload_hint.setVisible(False)
        layout.addWidget(self.reload_hint)
        return box

    def _build_advanced(self) -> QWidget:
        """The Advanced fold: the other load options and the expert sampling controls."""
        self.advanced_toggle = QToolButton(objectName="advancedToggle")
        self.advanced_toggle.setText(self.tr("Advanced"))
        self.advanced_toggle.setAccessibleName(self.tr("Advanced settings"))
        self.advanced_toggle.setToolTip(
            self.tr("More load options (context, threads, cache) and sampling controls")
        )
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)

        self.advanced_section = QWidget(objectName="advancedSection")
        self.advanced_section.setVisible(False)
        section = QVBoxLayout(self.advanced_section)
        section.setContentsMargins(0, 0, 0, 0)

        load_box = QGroupBox(self.tr("Loading"), objectName="advancedLoadGroup")
        specs = self._load_specs
        self.advanced_load_form = OptionsForm(
            [s for n, s in specs.items() if n not in _OWN_CONTROL_FIELDS],
            object_name=_object_name("load"),
        )
        QVBoxLayout(load_box).addWidget(self.advanced_load_form)
        section.addWidget(load_box)
        self.context_length = self.advanced_load_form.controls["context_length"]
        self.threads = self.advanced_load_form.controls["threads"]
        self.load_controls: dict[str, QWidget] = {
            "gpu_layers": self.gpu_layers,
            **self.advanced_load_form.controls,
        }
        for control in self.advanced_load_form.controls.values():
            self._wheel_guard.guard(control)
        self.flash_attention: QCheckBox = self.load_controls["flash_attention"]  # type: ignore[assignment]
        self.kv_cache_type: QComboBox = self.load_controls["kv_cache_type"]  # type: ignore[assignment]
        # Which cache types need flash attention is core's rule; ask it rather than restate it.
        self._kv_needs_flash: set[str] = set()
        for kv in specs["kv_cache_type"]["choices"]:
            try:
                LoadOptions(kv_cache_type=kv, flash_attention=False).validate()
            except OptionError:
                self._kv_needs_flash.add(kv)

        sampling_box = QGroupBox(self.tr("Sampling"), objectName="advancedSamplingGroup")
        self.expert_sampling_form = OptionsForm(
            [d for d in SamplingParams.describe() if d["name"] not in _MAIN_SAMPLING_FIELDS],
            object_name=_object_name("sampling"),
        )
        for control in self.expert_sampling_form.controls.values():
            self._wheel_guard.guard(control)
        QVBoxLayout(sampling_box).addWidget(self.expert_sampling_form)
        section.addWidget(sampling_box)
        self.sampling_controls: dict[str, QWidget] = {
            **self.sampling_form.controls,
            **self.expert_sampling_form.controls,
        }
        self.stop_strings = self.sampling_controls["stop"]
        return self.advanced_section

    def _build_sampling_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sampling"), objectName="samplingGroup")
        layout = QVBoxLayout(box)
        self.sampling_form = OptionsForm(
            [d for d in SamplingParams.describe() if d["name"] in _MAIN_SAMPLING_FIELDS],
            object_name=_object_name("sampling"),
        )
        for control in self.sampling_form.controls.values():
            self._wheel_guard.guard(control)
        layout.addWidget(self.sampling_form)
        self.sampling_error = wrapping_label("samplingError", self.tr("Sampling error"))
        self.sampling_error.setVisible(False)
        layout.addWidget(self.sampling_error)
        self.reset_sampling_button = QPushButton(self.tr("Reset"), objectName="resetSamplingButton")
        self.reset_sampling_button.setAccessibleName(self.tr("Reset sampling to defaults"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reset_sampling_button)
        layout.addLayout(row)
        self._color_errors()
        return box

    def _build_prompt_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("System prompt"), objectName="systemPromptGroup")
        layout = QVBoxLayout(box)
        self.system_prompt_edit = QPlainTextEdit(objectName="systemPrompt")
        self.system_prompt_edit.setAccessibleName(self.tr("System prompt"))
        self.system_prompt_edit.setPlaceholderText(self.tr("Optional instructions for the model"))
        # Tab moves on instead of typing a tab, so the keyboard never gets stuck in here.
        self.system_prompt_edit.setTabChangesFocus(True)
        margins = self.system_prompt_edit.contentsMargins()
        doc_margin = self.system_prompt_edit.document().documentMargin()
        height = (
            4 * self.system_prompt_edit.fontMetrics().lineSpacing()
            + 2 * doc_margin
            + margins.top()
            + margins.bottom()
        )
        self.system_prompt_edit.setFixedHeight(round(height))
        layout.addWidget(self.system_prompt_edit)
        return box

    def _color_errors(self) -> None:
        for label in (self.model_error, self.sampling_error):
            color_as_error(label, self.palette())

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        # Follow a switch between light and dark themes while the app runs.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "sampling_error"):
            self._color_errors()
        super().changeEvent(event)

    def _set_tab_order(self) -> None:
        order: list[QWidget] = [
            self.model_picker,
            self.browse_button,
            self.prompt_format.picker,
            self.prompt_format.template_edit,
            self.load_button,
            self.unload_button,
            self.cancel_load_button,
            self.gpu.auto_box,
            self.gpu_layers,
            *self.sampling_form.controls.values(),
            self.reset_sampling_button,
            self.system_prompt_edit,
            *self.presets_box.tab_order(),
            self.advanced_toggle,
            *self.advanced_load_form.controls.values(),
            *self.expert_sampling_form.controls.values(),
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # -- wiring -----------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.file_picker.model_chosen.connect(self._on_model_chosen)
        self.file_picker.header_read.connect(self._on_header_read)
        self.file_picker.header_failed.connect(lambda text: self._show_error(text, "header"))
        self.load_button.clicked.connect(self.request_load)
        self.unload_button.clicked.connect(self.unload_requested)
        self.cancel_load_button.clicked.connect(self.cancel_load_requested)
        self.gpu.layers_changed.connect(self._on_load_option_changed)
        self.prompt_format.changed.connect(self._on_load_option_changed)
        self.advanced_load_form.value_changed.connect(self._on_load_option_changed)
        self.advanced_load_form.value_changed.connect(self.gpu.refresh)  # the Auto plan uses them
        self.advanced_toggle.toggled.connect(self._on_advanced_toggled)
        self.sampling_form.value_changed.connect(self._on_sampling_changed)
        self.expert_sampling_form.value_changed.connect(self._on_sampling_changed)
        self.flash_attention.toggled.connect(self._update_kv_choices)
        self.reset_sampling_button.clicked.connect(self.reset_sampling)
        self.system_prompt_edit.textChanged.connect(self._on_sampling_changed)
        self.presets_box.preset_chosen.connect(self.apply_preset)
        self.presets_box.presets_changed.connect(self._changed)

    # -- model file -------------------------------------------------------------------------------

    def model_path(self) -> str | None:
        return self.file_picker.model_path()

    def model_info(self) -> GGUFInfo | None:
        """The header summary of the chosen file, once read (None before, or if unreadable)."""
        return self.file_picker.model_info()

    def set_model_path(self, path: str) -> None:
        """Choose a file, adding it to the list if it is not there (e.g. outside the folder)."""
        self.file_picker.set_model_path(path)

    def set_library(self, found: list[str]) -> None:
        """Show these model files (from the Library page's scan) in the picker."""
        self.file_picker.set_library(found)

    @Slot()
    def refresh_library(self) -> None:
        """List the models folder again, on a worker thread."""
        self.file_picker.refresh_library()

    @Slot()
    def browse(self) -> None:
        """Let the user pick a GGUF file anywhere, then add and select it."""
        self.file_picker.browse()

    def _on_model_chosen(self, path: str | None) -> None:
        self._clear_error("header")
        if self.load_status.error_source() == "load" and not self.load_status.loading:
            self._clear_error("load")
        self._set_layer_count(None)
        self._set_trained_context(None)
        self.prompt_format.set_model_info(None)
        self._changed()
        self.model_chosen.emit(path)

    def _on_header_read(self, info: GGUFInfo) -> None:
        self._set_layer_count(info.block_count)
        self._set_trained_context(info.context_length)
        self.gpu.set_model_path(info.path)
        self.prompt_format.set_model_info(info)
        self.model_inspected.emit(info)

    # -- GPU layers and context -------------------------------------------------------------------

    def _set_layer_count(self, n: int | None) -> None:
        self.gpu.set_layer_count(n)
        self._update_reload_hint()

    def _set_trained_context(self, n: int | None) -> None:
        spec = self._load_specs["context_length"]
        limit = spec["max"] if not n or n < spec["min"] else min(spec["max"], n)
        self._quiet += 1
        try:
            self.context_length.setMaximum(limit)  # type: ignore[attr-defined]
        finally:
            self._quiet -= 1
        self._update_reload_hint()

    # -- load options -----------------------------------------------------------------------------

    def _on_load_option_changed(self, *_args: object) -> None:
        if self._quiet:
            return
        self._check_options()
        self._update_reload_hint()
        self._changed()

    @Slot()
    def _update_kv_choices(self, *_args: object) -> None:
        flash = self.flash_attention.isChecked()
        model = self.kv_cache_type.model()
        for i in range(self.kv_cache_type.count()):
            needs = self.kv_cache_type.itemData(i) in self._kv_needs_flash
            item = model.item(i)  # type: ignore[attr-defined]
            item.setEnabled(flash or not needs)
            tip = self.tr("Needs flash attention") if needs and not flash else ""
            self.kv_cache_type.setItemData(i, tip or None, Qt.ItemDataRole.ToolTipRole)

    def _check_options(self) -> bool:
        try:
            self.load_options().validate()
        except OptionError as exc:
            self._show_error(str(exc), "options")
            return False
        self._clear_error("options")
        return True

    def _update_reload_hint(self) -> None:
        changed = (
            self.load_status.loaded
            and self._loaded_options is not None
            and self.load_options().to_dict() != self._loaded_options
        )
        self.reload_hint.setVisible(bool(changed))

    @Slot(bool)
    def _on_advanced_toggled(self, open_: bool) -> None:
        self.advanced_section.setVisible(open_)
        self.advanced_toggle.setArrowType(
            Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow
        )
        if open_ and not self._quiet:
            # The fold opens below the visible part: bring what it shows into view.
            QTimer.singleShot(0, self, self._scroll_to_advanced)
        self._changed()

    def _scroll_to_advanced(self) -> None:
        top = self.advanced_toggle.mapTo(self.scroll_area.widget(), QPoint(0, 0)).y()
        self.scroll_area.verticalScrollBar().setValue(top)

    # -- sampling ---------------------------------------------------------------------------------

    def _on_sampling_changed(self, *_args: object) -> None:
        if self._quiet:
            return
        self._check_sampling()
        self.presets_box.settings_edited()
        self._changed()

    def _check_sampling(self) -> None:
        try:
            self.sampling().validate()
        except OptionError as exc:
            self.sampling_error.setText(str(exc))
            self.sampling_error.setVisible(True)
        else:
            self.sampling_error.clear()
            self.sampling_error.setVisible(False)

    @Slot()
    def reset_sampling(self) -> None:
        """Put every sampling control back to its default."""
        self._set_sampling(SamplingParams())
        self._on_sampling_changed()

    def set_unsent_sampling(self, names: set[str], reason: str = "") -> None:
        """Grey out sampling controls the current source ignores (e.g. top-k for OpenAI), so
        nobody tunes a setting that has no effect; ``reason`` becomes their tooltip."""
        self.sampling_form.set_unsent(names, reason)
        self.expert_sampling_form.set_unsent(names, reason)

    # -- presets ----------------------------------------------------------------------------------

    def apply_preset(self, preset: Preset) -> None:
        """Show a preset's system prompt and sampling (invalid values fall back to defaults)."""
        self._set_sampling(sanitized(SamplingParams, preset.sampling))
        self._set_system_prompt(preset.system_prompt)
        self.presets_box.mark_applied(preset.name)
        self._changed()

    @Slot()
    def delete_preset(self) -> None:
        """Delete the preset shown in the picker."""
        self.presets_box.delete_preset()

    # -- loading ----------------------------------------------------------------------------------

    @Slot()
    def request_load(self) -> None:
        """Validate and ask for the chosen model to be loaded (the Load button)."""
        path = self.model_path()
        if path is None:
            self._show_error(self.tr("Choose a model file first."), "load")
            return
        options = self.load_options()
        try:
            options.validate()
        except OptionError as exc:
            self._show_error(str(exc), "options")
            return
        self._requested_options = options.to_dict()
        self.load_requested.emit(path, options)

    def show_loading(self, name: str) -> None:
        """A load has started."""
        self.load_status.show_loading(name)
        self._update_load_state()

    def show_progress(self, fraction: float) -> None:
        """Loading progress, 0.0 … 1.0."""
        self.load_status.show_progress(fraction)

    def show_loaded(self, info: Any) -> None:
        """A load finished; ``info`` is a :class:`~workbench.core.local.host.LoadInfo`."""
        # Compare later edits with what was actually loaded: the options of the last Load
        # click, or the controls now if the load came from elsewhere (e.g. the command line).
        self._loaded_options = self._requested_options or self.load_options().to_dict()
        self._requested_options = None
        self.gpu.set_gpu_supported(bool(info.gpu_offload_supported))
        if self.model_info() is None and info.n_layers:
            self._set_layer_count(info.n_layers)
        self.load_status.show_loaded(info)
        self.prompt_format.show_in_use(getattr(info, "prompt_choice", None))
        self._update_load_state()

    def show_unloaded(self) -> None:
        """No model is loaded (after an unload or a cancelled load)."""
        self._loaded_options = None
        self._requested_options = None
        self.load_status.show_unloaded()
        self.prompt_format.show_in_use(None)
        self._update_load_state()

    def show_error(self, message: str) -> None:
        """A load failed: show the sentence; the model is not loaded."""
        self.show_unloaded()
        self._show_error(message, "load")

    def _update_load_state(self) -> None:
        self._update_reload_hint()

    def _show_error(self, text: str, source: str) -> None:
        self.load_status.show_error(text, source)

    def _clear_error(self, source: str) -> None:
        self.load_status.clear_error(source)

    # -- reading and writing controls -------------------------------------------------------------

    def load_options(self) -> LoadOptions:
        """The load options the controls show (not validated)."""
        return LoadOptions(
            **self.advanced_load_form.values(),
            **self.prompt_format.values(),
            gpu_layers=self.gpu.layers(),
        )

    def sampling(self) -> SamplingParams:
        """The sampling parameters the controls show (not validated)."""
        return SamplingParams(**self.sampling_form.values(), **self.expert_sampling_form.values())

    def system_prompt(self) -> str:
        return self.system_prompt_edit.toPlainText()

    def _set_load_options(self, options: LoadOptions) -> None:
        self._quiet += 1
        try:
            self.advanced_load_form.set_values(options)
            self.gpu.set_layers(options.gpu_layers)
            self.prompt_format.set_values(options.chat_format, options.chat_template)
        finally:
            self._quiet -= 1
        self._update_kv_choices()
        self._check_options()
        self._update_reload_hint()

    def _set_sampling(self, params: SamplingParams) -> None:
        self.sampling_form.set_values(params)
        self.expert_sampling_form.set_values(params)
        self._check_sampling()

    def _set_system_prompt(self, text: str) -> None:
        self._quiet += 1
        try:
            self.system_prompt_edit.setPlainText(text)
        finally:
            self._quiet -= 1

    # -- state ------------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything worth remembering between runs, as JSON-ready values."""
        return {
            "model_path": self.model_path(),
            "load": self.load_options().to_dict(),
            "sampling": self.sampling().to_dict(),
            "system_prompt": self.system_prompt(),
            "advanced_open": self.advanced_toggle.isChecked(),
        }

    def set_state(self, state: object) -> None:
        """Restore :meth:`state`; missing, unknown or invalid values fall back to defaults.

        Emits no ``settings_changed``.
        """
        if not isinstance(state, dict):
            state = {}
        self._quiet += 1
        try:
            path = state.get("model_path")
            if isinstance(path, str) and path.strip():
                self.set_model_path(path)
            self._set_load_options(sanitized(LoadOptions, state.get("load")))
            self._set_sampling(sanitized(SamplingParams, state.get("sampling")))
            prompt = state.get("system_prompt")
            self._set_system_prompt(prompt if isinstance(prompt, str) else "")
            self.advanced_toggle.setChecked(state.get("advanced_open") is True)
            self.presets_box.clear_choice()
        finally:
            self._quiet -= 1

    def _changed(self) -> None:
        if not self._quiet:
            self.settings_changed.emit()

    def set_local_mode(self, local: bool) -> None:
        """Show the local model's file and loading controls, or hide them (a cloud provider is
        chosen: sampling, system prompt and presets still apply)."""
        for name in ("modelGroup", "loadGroup", "advancedLoadGroup"):
            self.findChild(QGroupBox, name).setVisible(local)
