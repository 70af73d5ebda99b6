"""The right-hand panel: choose and load a local model, set load options, sampling and presets.

The panel owns no model: it asks the main window to load or unload through signals and shows
the status the main window reports back. Everything slow (listing the models folder, reading a
GGUF header) runs on a worker thread and comes back through a queued signal, so the GUI thread
never waits on the disk.

Controls for load options and sampling are built from ``LoadOptions.describe()`` and
``SamplingParams.describe()``, so ranges and labels are declared once, in core.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core import paths
from workbench.core.gguf_file import GGUFError, GGUFInfo, inspect_gguf
from workbench.core.local.capabilities import gpu_offload_supported
from workbench.core.options import (
    MAX_STOP_STRINGS,
    LoadOptions,
    OptionError,
    SamplingParams,
)
from workbench.core.presets import Preset, PresetError, PresetStore
from workbench.core.settings import load_settings
from workbench.core.units import human_count, human_size
from workbench.qt.jobs import JobRunner

#: slider range while the model's layer count is unknown (its top position still means "all")
UNKNOWN_LAYERS = 100
#: spin boxes hold a C int; wider ranges (seeds) use a double spin box with no decimals
_INT_MAX = 2**31 - 1
_SPLIT_SHARD = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)

_LOAD_OBJECT_NAMES = {"seed": "loadSeed"}
_SAMPLING_OBJECT_NAMES = {"seed": "samplingSeed", "stop": "stopStrings"}


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def scan_models(folder: Path) -> list[str]:
    """Every ``*.gguf`` under ``folder`` (recursively), sorted by file name.

    Of a split model only the first shard is listed: llama.cpp finds the others by name.
    """
    found = []
    for root, dirs, files in os.walk(folder, onerror=lambda _err: None):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # skip caches and partial downloads
        for name in files:
            if not name.lower().endswith(".gguf") or name.startswith("."):
                continue
            m = _SPLIT_SHARD.search(name)
            if m and int(m[1]) != 1:
                continue
            found.append(os.path.join(root, name))
    return sorted(found, key=lambda p: (os.path.basename(p).casefold(), p))


def _same_path(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


def _sanitized(cls: type, data: object) -> Any:
    """An options object from saved data, each bad or missing field falling back to its default."""
    obj = cls()
    if not isinstance(data, dict):
        return obj
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "kv_cache_type":
            ok = value in (f.metadata.get("choices") or ())
        elif f.name == "stop":
            ok = (
                isinstance(value, list)
                and len(value) <= MAX_STOP_STRINGS
                and all(isinstance(s, str) and s for s in value)
            )
        else:
            probe = cls()
            setattr(probe, f.name, value)
            try:
                # Only the base class's per-field checks: a cross-field rule (a quantized KV
                # cache needs flash attention) is shown as a sentence, not silently undone.
                super(cls, probe).validate()
                ok = True
            except (OptionError, TypeError):
                ok = False
        if ok:
            setattr(obj, f.name, list(value) if isinstance(value, list) else value)
    return obj


def format_stop(stop: list[str]) -> str:
    """Stop strings as one line: commas between, ``\\n`` for a new line, ``\\,`` for a comma."""
    return ", ".join(
        s.replace("\\", "\\\\").replace(",", "\\,").replace("\n", "\\n").replace("\t", "\\t")
        for s in stop
    )


def parse_stop(text: str) -> list[str]:
    """The inverse of :func:`format_stop`; real new lines also separate; empty entries go."""
    escapes = {"n": "\n", "t": "\t", ",": ",", "\\": "\\"}
    parts: list[str] = []
    current: list[tuple[str, bool]] = []  # (character, came from an escape)

    def finish() -> None:
        # Spaces around an entry are layout; escaped characters (\n) are never stripped.
        while current and current[0] == (" ", False):
            current.pop(0)
        while current and current[-1] == (" ", False):
            current.pop()
        if current:
            parts.append("".join(ch for ch, _ in current))
        current.clear()

    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and text[i + 1 : i + 2] in escapes:
            current.append((escapes[text[i + 1]], True))
            i += 2
            continue
        if ch in ",\n\r":
            finish()
        else:
            current.append((ch, False))
        i += 1
    finish()
    return parts


def _read_header(path: str) -> GGUFInfo | str:
    try:
        return inspect_gguf(path)
    except GGUFError as exc:
        return str(exc)


def _scan() -> tuple[str, list[str]]:
    # The window replaces this list with the Library's (imports, the Hugging Face cache); on its
    # own the panel lists the models folder the settings name.
    folder = load_settings().models_path()
    return str(folder), scan_models(folder)


class _WheelGuard(QObject):
    """Lets the mouse wheel scroll the panel instead of changing a control under the pointer.

    A control takes the wheel only once it has focus (clicked or tabbed to); otherwise the wheel
    event goes to ``target`` (the panel's scroll bar), so scrolling past a spin box never
    changes a setting by accident.
    """

    def __init__(self, target: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._target = target

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            QCoreApplication.sendEvent(self._target, event)
            return True
        return False


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
        model_inspected(object): the :class:`GGUFInfo` of the chosen file, once read.
    """

    load_requested = Signal(str, object)
    unload_requested = Signal()
    cancel_load_requested = Signal()
    settings_changed = Signal()
    model_inspected = Signal(object)

    def __init__(self, parent: QWidget | None = None, presets: PresetStore | None = None) -> None:
        super().__init__(parent)
        self.jobs = JobRunner(self)
        self._scan_gen = 0
        self._header_gen = 0
        self._models_folder: str | None = None
        self._info: GGUFInfo | None = None
        self._inspected_path: str | None = None
        self._loading = False
        self._loaded = False
        self._loaded_options: dict[str, Any] | None = None
        self._requested_options: dict[str, Any] | None = None
        self._gpu_supported: bool | None = None
        self._known_layers: int | None = None
        self._error_source: str | None = None
        self._quiet = 0  # > 0 while the panel itself sets controls: no settings_changed then
        self._preset_snapshot: tuple[dict, str] | None = None
        self._error_labels: list[QLabel] = []
        self._load_specs = {d["name"]: d for d in LoadOptions.describe()}
        self._sampling_specs = {d["name"]: d for d in SamplingParams.describe()}
        self.presets = presets if presets is not None else PresetStore()

        self._build()
        self._connect()
        self._set_load_options(LoadOptions())
        self._set_sampling(SamplingParams())
        self._reload_presets()
        self._set_preset_message("")
        if self.presets.warning:
            self._set_preset_message(self.presets.warning)
        self._update_load_state()
        self._update_gpu_label()
        self._update_kv_choices()
        self.refresh_library()
        # Known before any model loads, so the slider's label doesn't promise a GPU it can't use.
        self._run_in_thread(("gpu", 0), gpu_offload_supported)

    # -- building ---------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self, objectName="modelPanelScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # The panel scrolls vertically only: its controls shrink to the width it is given.
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._wheel_guard = _WheelGuard(self.scroll_area.verticalScrollBar(), self)
        outer.addWidget(self.scroll_area)
        content = QWidget(objectName="modelPanelContent")
        self.scroll_area.setWidget(content)
        layout = QVBoxLayout(content)

        layout.addWidget(self._build_model_group())
        layout.addWidget(self._build_load_group())
        layout.addWidget(self._build_sampling_group())
        layout.addWidget(self._build_prompt_group())
        layout.addWidget(self._build_presets_group())
        layout.addStretch(1)
        self._set_tab_order()

    def _build_model_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Model"), objectName="modelGroup")
        layout = QVBoxLayout(box)

        row = QHBoxLayout()
        self.model_picker = QComboBox(objectName="modelPicker")
        self.model_picker.setAccessibleName(self.tr("Model file"))
        self.model_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.model_picker.setMinimumContentsLength(12)
        self.model_picker.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.model_picker.setPlaceholderText(self.tr("No models yet — choose a file"))
        self.browse_button = QPushButton(self.tr("Browse…"), objectName="browseModelButton")
        self.browse_button.setAccessibleName(self.tr("Browse for a model file"))
        row.addWidget(self.model_picker, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)

        self.model_summary = self._wrapping_label("modelSummary", self.tr("Model details"))
        self.model_summary.setVisible(False)
        layout.addWidget(self.model_summary)

        buttons = QHBoxLayout()
        self.load_button = QPushButton(self.tr("Load"), objectName="loadButton")
        self.load_button.setAccessibleName(self.tr("Load the model"))
        self.unload_button = QPushButton(self.tr("Unload"), objectName="unloadButton")
        self.unload_button.setAccessibleName(self.tr("Unload the model"))
        self.cancel_load_button = QPushButton(self.tr("Cancel"), objectName="cancelLoadButton")
        self.cancel_load_button.setAccessibleName(self.tr("Cancel loading"))
        for w in (self.load_button, self.unload_button, self.cancel_load_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.load_progress = QProgressBar(objectName="loadProgress")
        self.load_progress.setRange(0, 100)
        self.load_progress.setAccessibleName(self.tr("Loading progress"))
        layout.addWidget(self.load_progress)

        self.model_status = self._wrapping_label("modelStatus", self.tr("Model status"))
        self.model_status.setText(self.tr("Not loaded"))
        layout.addWidget(self.model_status)

        self.model_error = self._wrapping_label("modelError", self.tr("Model error"))
        self._make_error_colored(self.model_error)
        layout.addWidget(self.model_error)
        return box

    def _build_load_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Loading"), objectName="loadGroup")
        layout = QVBoxLayout(box)
        form = self._form()
        self.load_controls: dict[str, QWidget] = {}

        spec = self._load_specs["gpu_layers"]
        self.gpu_layers = QSlider(Qt.Orientation.Horizontal, objectName="gpuLayers")
        self.gpu_layers.setRange(0, UNKNOWN_LAYERS)
        self.gpu_layers.setValue(UNKNOWN_LAYERS)  # the default, -1, means all layers
        self.gpu_layers.setAccessibleName(self.tr(spec["label"]))
        self.gpu_layers.setTickPosition(QSlider.TickPosition.TicksBelow)
        self._guard_wheel(self.gpu_layers)
        self.gpu_layers_label = self._wrapping_label("gpuLayersLabel", self.tr("GPU layers"))
        gpu_box = QWidget()
        gpu_layout = QVBoxLayout(gpu_box)
        gpu_layout.setContentsMargins(0, 0, 0, 0)
        gpu_layout.addWidget(self.gpu_layers)
        gpu_layout.addWidget(self.gpu_layers_label)
        self._add_row(form, spec, gpu_box, self.gpu_layers)
        self.load_controls["gpu_layers"] = self.gpu_layers

        for name in ("context_length", "threads"):
            self._add_load_control(form, name)
        self.context_length = self.load_controls["context_length"]
        self.context_length.setSingleStep(256)  # type: ignore[attr-defined]
        self.threads = self.load_controls["threads"]
        layout.addLayout(form)

        self.advanced_toggle = QToolButton(objectName="advancedToggle")
        self.advanced_toggle.setText(self.tr("Advanced"))
        self.advanced_toggle.setAccessibleName(self.tr("Advanced load options"))
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setAutoRaise(True)
        self.advanced_toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.advanced_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_toggle.setArrowType(Qt.ArrowType.RightArrow)
        layout.addWidget(self.advanced_toggle)

        self.advanced_section = QWidget(objectName="advancedSection")
        adv_form = self._form(self.advanced_section)
        adv_form.setContentsMargins(0, 0, 0, 0)
        for name in self._load_specs:
            if name not in self.load_controls:
                self._add_load_control(adv_form, name)
        self.advanced_section.setVisible(False)
        layout.addWidget(self.advanced_section)
        self.flash_attention: QCheckBox = self.load_controls["flash_attention"]  # type: ignore[assignment]
        self.kv_cache_type: QComboBox = self.load_controls["kv_cache_type"]  # type: ignore[assignment]
        # Which cache types need flash attention is core's rule; ask it rather than restate it.
        self._kv_needs_flash: set[str] = set()
        for kv in self._load_specs["kv_cache_type"]["choices"]:
            try:
                LoadOptions(kv_cache_type=kv, flash_attention=False).validate()
            except OptionError:
                self._kv_needs_flash.add(kv)

        self.reload_hint = self._wrapping_label("reloadHint", self.tr("Reload hint"))
        self.reload_hint.setText(self.tr("Reload the model to apply these changes"))
        self.reload_hint.setVisible(False)
        layout.addWidget(self.reload_hint)
        return box

    def _build_sampling_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Sampling"), objectName="samplingGroup")
        layout = QVBoxLayout(box)
        form = self._form()
        self.sampling_controls: dict[str, QWidget] = {}
        for name, spec in self._sampling_specs.items():
            object_name = _SAMPLING_OBJECT_NAMES.get(name, _camel(name))
            widget = self._make_control(spec, object_name)
            self.sampling_controls[name] = widget
            self._add_row(form, spec, widget, widget)
        self.stop_strings: QLineEdit = self.sampling_controls["stop"]  # type: ignore[assignment]
        stop_help = self.tr("Text that ends a reply; separate with commas, \\n for a new line")
        self.stop_strings.setPlaceholderText(stop_help)
        self.stop_strings.setToolTip(
            self.tr("At most {count} stop strings.").format(count=MAX_STOP_STRINGS)
            + " "
            + stop_help
        )
        layout.addLayout(form)
        self.sampling_error = self._wrapping_label("samplingError", self.tr("Sampling error"))
        self._make_error_colored(self.sampling_error)
        layout.addWidget(self.sampling_error)
        self.reset_sampling_button = QPushButton(self.tr("Reset"), objectName="resetSamplingButton")
        self.reset_sampling_button.setAccessibleName(self.tr("Reset sampling to defaults"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reset_sampling_button)
        layout.addLayout(row)
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

    def _build_presets_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("Presets"), objectName="presetsGroup")
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        self.preset_picker = QComboBox(objectName="presetPicker")
        self.preset_picker.setAccessibleName(self.tr("Preset"))
        self.preset_picker.setPlaceholderText(self.tr("Choose a preset"))
        self.preset_picker.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.preset_picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset_picker.setMinimumContentsLength(8)
        self._guard_wheel(self.preset_picker)
        self.save_preset_button = QPushButton(self.tr("Save…"), objectName="savePresetButton")
        self.save_preset_button.setAccessibleName(self.tr("Save as a preset"))
        self.delete_preset_button = QPushButton(self.tr("Delete"), objectName="deletePresetButton")
        self.delete_preset_button.setAccessibleName(self.tr("Delete the preset"))
        row.addWidget(self.preset_picker, 1)
        row.addWidget(self.save_preset_button)
        row.addWidget(self.delete_preset_button)
        layout.addLayout(row)

        self.preset_name_row = QWidget(objectName="presetNameRow")
        name_row = QHBoxLayout(self.preset_name_row)
        name_row.setContentsMargins(0, 0, 0, 0)
        self.preset_name = QLineEdit(objectName="presetName")
        self.preset_name.setAccessibleName(self.tr("Preset name"))
        self.preset_name.setPlaceholderText(self.tr("Preset name"))
        self.preset_name_ok = QPushButton(self.tr("OK"), objectName="savePresetConfirmButton")
        self.preset_name_ok.setAccessibleName(self.tr("Save the preset"))
        self.preset_name_cancel = QPushButton(self.tr("Cancel"), objectName="cancelPresetButton")
        self.preset_name_cancel.setAccessibleName(self.tr("Do not save the preset"))
        name_row.addWidget(self.preset_name, 1)
        name_row.addWidget(self.preset_name_ok)
        name_row.addWidget(self.preset_name_cancel)
        self.preset_name_row.setVisible(False)
        layout.addWidget(self.preset_name_row)

        self.preset_message = self._wrapping_label("presetMessage", self.tr("Preset message"))
        layout.addWidget(self.preset_message)
        return box

    def _form(self, parent: QWidget | None = None) -> QFormLayout:
        form = QFormLayout(parent) if parent is not None else QFormLayout()
        # Labels go above their fields when the panel is narrow (large text, small screens).
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    def _wrapping_label(self, object_name: str, accessible_name: str) -> QLabel:
        label = QLabel(objectName=object_name)
        label.setWordWrap(True)
        label.setAccessibleName(accessible_name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        return label

    def _make_error_colored(self, label: QLabel) -> None:
        self._error_labels.append(label)
        self._color_error_label(label)
        label.setVisible(False)

    def _color_error_label(self, label: QLabel) -> None:
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        # A lighter red on dark themes keeps the contrast readable.
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#ff8a80" if dark else "#b3261e"))
        label.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:  # Qt override
        # Follow a switch between light and dark themes while the app runs.
        if event.type() == QEvent.Type.PaletteChange:
            for label in getattr(self, "_error_labels", []):
                self._color_error_label(label)
        super().changeEvent(event)

    def _guard_wheel(self, widget: QWidget) -> None:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(self._wheel_guard)

    def _add_row(self, form: QFormLayout, spec: dict, field: QWidget, buddy: QWidget) -> None:
        if spec["type"] == "bool":  # a check box carries its own label
            form.addRow(field)
            return
        label = QLabel(self.tr(spec["label"]))
        label.setBuddy(buddy)
        if isinstance(field, QLineEdit):  # free text needs the full width to be readable
            form.addRow(label)
            form.addRow(field)
        else:
            form.addRow(label, field)

    def _add_load_control(self, form: QFormLayout, name: str) -> None:
        spec = self._load_specs[name]
        widget = self._make_control(spec, _LOAD_OBJECT_NAMES.get(name, _camel(name)))
        self.load_controls[name] = widget
        self._add_row(form, spec, widget, widget)

    def _make_control(self, spec: dict, object_name: str) -> QWidget:
        """A control for one option, its range and label taken from the option's metadata."""
        label = self.tr(spec["label"])  # declared in core; translated here at run time
        kind, lo, hi = spec["type"], spec.get("min"), spec.get("max")
        widget: QWidget
        if spec.get("choices"):
            widget = QComboBox()
            for choice in spec["choices"]:
                widget.addItem(choice, choice)
        elif kind == "bool":
            widget = QCheckBox(label)
        elif kind == "float":
            widget = QDoubleSpinBox()
            widget.setDecimals(2)
            widget.setSingleStep(0.05)
            widget.setRange(lo, hi)
        elif kind in ("int", "int | None"):
            optional = bool(spec.get("optional"))
            low = lo - 1 if optional else lo  # one below the minimum stands for "not set"
            if hi > _INT_MAX:
                widget = QDoubleSpinBox()
                widget.setDecimals(0)
            else:
                widget = QSpinBox()
            widget.setRange(low, hi)
            if optional:
                widget.setSpecialValueText(self._special_text(spec["name"]))
        else:  # list[str]: the stop strings
            widget = QLineEdit()
        widget.setObjectName(object_name)
        widget.setAccessibleName(label)
        if spec.get("help"):
            widget.setToolTip(self.tr(spec["help"]))
        if isinstance(widget, (QAbstractSpinBox, QComboBox)):
            self._guard_wheel(widget)
        return widget

    def _special_text(self, name: str) -> str:
        if name == "threads":
            return self.tr("Automatic")
        if name == "seed":
            return self.tr("Random")
        return self.tr("Not set")

    def _set_tab_order(self) -> None:
        order: list[QWidget] = [
            self.model_picker,
            self.browse_button,
            self.load_button,
            self.unload_button,
            self.cancel_load_button,
            self.gpu_layers,
            self.context_length,
            self.threads,
            self.advanced_toggle,
            *[w for n, w in self.load_controls.items() if n not in _MAIN_LOAD_FIELDS],
            *self.sampling_controls.values(),
            self.reset_sampling_button,
            self.system_prompt_edit,
            self.preset_picker,
            self.save_preset_button,
            self.delete_preset_button,
            self.preset_name,
            self.preset_name_ok,
            self.preset_name_cancel,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    # -- wiring -----------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.model_picker.currentIndexChanged.connect(self._on_model_chosen)
        self.browse_button.clicked.connect(self.browse)
        self.load_button.clicked.connect(self.request_load)
        self.unload_button.clicked.connect(self.unload_requested)
        self.cancel_load_button.clicked.connect(self.cancel_load_requested)
        self.gpu_layers.valueChanged.connect(self._on_gpu_layers_moved)
        self.advanced_toggle.toggled.connect(self._on_advanced_toggled)
        for name, widget in self.load_controls.items():
            if name != "gpu_layers":
                self._connect_changed(widget, self._on_load_option_changed)
        for widget in self.sampling_controls.values():
            self._connect_changed(widget, self._on_sampling_changed)
        self.flash_attention.toggled.connect(self._update_kv_choices)
        self.reset_sampling_button.clicked.connect(self.reset_sampling)
        self.system_prompt_edit.textChanged.connect(self._on_sampling_changed)
        self.preset_picker.activated.connect(self._on_preset_activated)
        self.save_preset_button.clicked.connect(self._start_saving_preset)
        self.preset_name_ok.clicked.connect(self._finish_saving_preset)
        self.preset_name.returnPressed.connect(self._finish_saving_preset)
        self.preset_name_cancel.clicked.connect(self._cancel_saving_preset)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.preset_name,
            context=Qt.ShortcutContext.WidgetShortcut,
            activated=self._cancel_saving_preset,
        )
        self.delete_preset_button.clicked.connect(self.delete_preset)

    @staticmethod
    def _connect_changed(widget: QWidget, slot: Callable[[], None]) -> None:
        if isinstance(widget, QCheckBox):
            widget.toggled.connect(slot)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(slot)
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(slot)
        else:
            widget.valueChanged.connect(slot)

    # -- reading and writing controls -------------------------------------------------------------

    @staticmethod
    def _read(widget: QWidget, spec: dict) -> Any:
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QLineEdit):
            return parse_stop(widget.text())
        if isinstance(widget, QDoubleSpinBox) and widget.decimals() == 0:
            value: Any = round(widget.value())
        elif isinstance(widget, QDoubleSpinBox):
            value = round(widget.value(), widget.decimals())
        else:
            value = widget.value()
        if spec.get("optional") and value == widget.minimum():
            return None
        return value

    @staticmethod
    def _write(widget: QWidget, spec: dict, value: Any) -> None:
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        elif isinstance(widget, QLineEdit):
            widget.setText(format_stop(list(value or [])))
        elif value is None:
            widget.setValue(widget.minimum())
        else:
            widget.setValue(value)

    def load_options(self) -> LoadOptions:
        """The load options the controls show (not validated)."""
        values = {
            name: self._read(w, self._load_specs[name])
            for name, w in self.load_controls.items()
            if name != "gpu_layers"
        }
        slider = self.gpu_layers
        values["gpu_layers"] = -1 if slider.value() == slider.maximum() else slider.value()
        return LoadOptions(**values)

    def sampling(self) -> SamplingParams:
        """The sampling parameters the controls show (not validated)."""
        return SamplingParams(
            **{
                name: self._read(w, self._sampling_specs[name])
                for name, w in self.sampling_controls.items()
            }
        )

    def system_prompt(self) -> str:
        return self.system_prompt_edit.toPlainText()

    def model_path(self) -> str | None:
        data = self.model_picker.currentData()
        return data if isinstance(data, str) and data else None

    def model_info(self) -> GGUFInfo | None:
        """The header summary of the chosen file, once read (None before, or if unreadable)."""
        return self._info

    def _set_load_options(self, options: LoadOptions) -> None:
        self._quiet += 1
        try:
            for name, widget in self.load_controls.items():
                if name != "gpu_layers":
                    self._write(widget, self._load_specs[name], getattr(options, name))
            slider = self.gpu_layers
            layers = options.gpu_layers
            slider.setValue(slider.maximum() if layers < 0 else min(layers, slider.maximum()))
        finally:
            self._quiet -= 1
        self._update_kv_choices()
        self._update_gpu_label()
        self._check_options()
        self._update_reload_hint()

    def _set_sampling(self, params: SamplingParams) -> None:
        self._quiet += 1
        try:
            for name, widget in self.sampling_controls.items():
                self._write(widget, self._sampling_specs[name], getattr(params, name))
        finally:
            self._quiet -= 1
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
            self._set_load_options(_sanitized(LoadOptions, state.get("load")))
            self._set_sampling(_sanitized(SamplingParams, state.get("sampling")))
            prompt = state.get("system_prompt")
            self._set_system_prompt(prompt if isinstance(prompt, str) else "")
            self.advanced_toggle.setChecked(state.get("advanced_open") is True)
            self.preset_picker.setCurrentIndex(-1)
            self._preset_snapshot = None
            self._update_preset_buttons()
        finally:
            self._quiet -= 1

    def _changed(self) -> None:
        if not self._quiet:
            self.settings_changed.emit()

    # -- model file -------------------------------------------------------------------------------

    def set_model_path(self, path: str) -> None:
        """Choose a file, adding it to the list if it is not there (e.g. outside the folder)."""
        index = self._index_of(path)
        if index < 0:
            self._add_model_item(path)
            index = self.model_picker.count() - 1
        self.model_picker.setCurrentIndex(index)

    def _index_of(self, path: str) -> int:
        for i in range(self.model_picker.count()):
            if _same_path(self.model_picker.itemData(i), path):
                return i
        return -1

    def _add_model_item(self, path: str) -> None:
        self.model_picker.addItem(os.path.basename(path) or path, path)
        self.model_picker.setItemData(
            self.model_picker.count() - 1, path, Qt.ItemDataRole.ToolTipRole
        )

    def set_local_mode(self, local: bool) -> None:
        """Show the local model's file and loading controls, or hide them (a cloud provider is
        chosen: sampling, system prompt and presets still apply)."""
        self.findChild(QGroupBox, "modelGroup").setVisible(local)
        self.findChild(QGroupBox, "loadGroup").setVisible(local)

    def set_unsent_sampling(self, names: set[str], reason: str = "") -> None:
        """Grey out sampling controls the current source ignores (e.g. top-k for OpenAI), so
        nobody tunes a setting that has no effect; ``reason`` becomes their tooltip."""
        previous = getattr(self, "_unsent", set())
        self._unsent = set(names)
        for name, widget in self.sampling_controls.items():
            unsent = name in names
            if not unsent and name not in previous:
                continue  # untouched: keep its own tooltip
            widget.setEnabled(not unsent)
            if unsent:
                widget.setToolTip(reason)
            else:  # back to the setting's own help, if it has one
                help_text = self._sampling_specs.get(name, {}).get("help")
                widget.setToolTip(self.tr(help_text) if help_text else "")

    def set_library(self, found: list[str]) -> None:
        """Show these model files (from the Library page's scan) in the picker."""
        self._scan_gen += 1  # a scan of the panel's own still running is now stale
        self._apply_scan(self._models_folder or str(paths.models_dir()), found)

    @Slot()
    def refresh_library(self) -> None:
        """List the models folder again, on a worker thread."""
        self._scan_gen += 1
        self._run_in_thread(("scan", self._scan_gen), _scan)

    def _apply_scan(self, folder: str, found: list[str]) -> None:
        self._models_folder = folder
        current = self.model_path()
        self._quiet += 1
        try:
            self.model_picker.blockSignals(True)
            self.model_picker.clear()
            for path in found:
                self._add_model_item(path)
            if current is not None and self._index_of(current) < 0:
                self._add_model_item(current)  # the chosen file stays, even outside the folder
            index = self._index_of(current) if current is not None else -1
            self.model_picker.setCurrentIndex(index)
            self.model_picker.blockSignals(False)
        finally:
            self._quiet -= 1
        if current is None and found:
            self.model_picker.setCurrentIndex(0)  # a user-visible choice: the usual signals run
        self._update_model_tooltip()

    @Slot()
    def browse(self) -> None:
        """Let the user pick a GGUF file anywhere, then add and select it."""
        current = self.model_path()
        start = os.path.dirname(current) if current else (self._models_folder or str(Path.home()))
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a model file"), start, self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.set_model_path(path)

    @Slot(int)
    def _on_model_chosen(self, _index: int) -> None:
        path = self.model_path()
        self._update_model_tooltip()
        if _same_path(path, self._inspected_path):
            return
        self._inspected_path = path
        self._info = None
        self._header_gen += 1
        self._clear_error("header")
        if self._error_source == "load" and not self._loading:
            self._clear_error("load")
        self._set_layer_count(None)
        self._set_trained_context(None)
        if path is None:
            self._set_summary("")
        else:
            self._set_summary(self.tr("Reading the file…"))
            self._run_in_thread(("header", self._header_gen), lambda: _read_header(path))
        self._changed()

    def _set_summary(self, text: str) -> None:
        self.model_summary.setText(text)
        self.model_summary.setVisible(bool(text))  # an empty label would still take a line

    def _update_model_tooltip(self) -> None:
        self.model_picker.setToolTip(self.model_path() or "")

    def _apply_header(self, result: GGUFInfo | str) -> None:
        if isinstance(result, GGUFInfo):
            self._info = result
            self._set_summary(self._summary(result))
            self._set_layer_count(result.block_count)
            self._set_trained_context(result.context_length)
            self.model_inspected.emit(result)
        else:
            self._info = None
            self._set_summary("")
            self._show_error(str(result), "header")

    def _summary(self, info: GGUFInfo) -> str:
        parts = [info.architecture or self.tr("unknown architecture")]
        if info.parameter_count:
            parts.append(
                self.tr("{count} parameters").format(count=human_count(info.parameter_count))
            )
        if info.quantization:
            parts.append(info.quantization)
        parts.append(human_size(info.file_size))
        if info.block_count:
            parts.append(self.tr("%n layers", "", info.block_count))
        if info.context_length:
            parts.append(
                self.tr("trained context {tokens} tokens").format(
                    tokens=self.locale().toString(info.context_length)
                )
            )
        return " · ".join(parts)

    # -- GPU layers and context -------------------------------------------------------------------

    def _set_layer_count(self, n: int | None) -> None:
        """Rescale the slider to a model's layers, keeping "all" as "all"."""
        slider = self.gpu_layers
        new_max = n if n and n > 0 else UNKNOWN_LAYERS
        was_all = slider.value() == slider.maximum()
        value = slider.value()
        self._quiet += 1
        slider.blockSignals(True)
        try:
            slider.setMaximum(new_max)
            slider.setValue(new_max if was_all else min(value, new_max))
            slider.setPageStep(max(1, new_max // 10))
            slider.setTickInterval(max(1, new_max // 10))
        finally:
            slider.blockSignals(False)
            self._quiet -= 1
        self._known_layers = n if n and n > 0 else None
        self._update_gpu_label()
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

    @Slot(int)
    def _on_gpu_layers_moved(self, _value: int) -> None:
        self._update_gpu_label()
        self._on_load_option_changed()

    def _update_gpu_label(self) -> None:
        slider = self.gpu_layers
        value, top = slider.value(), slider.maximum()
        known = self._known_layers
        if value == 0:
            text = self.tr("CPU only (0 layers on the GPU)")
        elif value == top:
            text = (
                self.tr("All %n layers on the GPU", "", known)
                if known
                else self.tr("All layers on the GPU")
            )
        elif known:
            text = self.tr("{on} of %n layers on the GPU", "", known).format(on=value)
        else:
            text = self.tr("%n layers on the GPU", "", value)
        if self._gpu_supported is False:
            text += self.tr(" — this build has no GPU support; the model runs on the CPU")
        self.gpu_layers_label.setText(text)
        slider.setAccessibleDescription(text)

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
            self._loaded
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
        self._changed()

    # -- sampling ---------------------------------------------------------------------------------

    def _on_sampling_changed(self, *_args: object) -> None:
        if self._quiet:
            return
        self._check_sampling()
        snapshot = self._preset_snapshot
        if snapshot is not None and snapshot != (self.sampling().to_dict(), self.system_prompt()):
            # The settings no longer match the preset shown; showing its name would mislead.
            self.preset_picker.setCurrentIndex(-1)
            self._preset_snapshot = None
            self._update_preset_buttons()
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

    # -- presets ----------------------------------------------------------------------------------

    def _reload_presets(self, select: str | None = None) -> None:
        self.preset_picker.blockSignals(True)
        self.preset_picker.clear()
        for name in self.presets.names():
            self.preset_picker.addItem(name, name)
        self.preset_picker.setCurrentIndex(self.preset_picker.findData(select) if select else -1)
        self.preset_picker.blockSignals(False)
        self._update_preset_buttons()

    def _update_preset_buttons(self) -> None:
        self.delete_preset_button.setEnabled(self.preset_picker.currentIndex() >= 0)

    def _set_preset_message(self, text: str) -> None:
        self.preset_message.setText(text)
        self.preset_message.setVisible(bool(text))

    @Slot(int)
    def _on_preset_activated(self, index: int) -> None:
        name = self.preset_picker.itemData(index)
        self._update_preset_buttons()
        if not isinstance(name, str):
            return
        try:
            preset = self.presets.get(name)
        except KeyError:
            return
        self.apply_preset(preset)

    def apply_preset(self, preset: Preset) -> None:
        """Show a preset's system prompt and sampling (invalid values fall back to defaults)."""
        self._set_sampling(_sanitized(SamplingParams, preset.sampling))
        self._set_system_prompt(preset.system_prompt)
        index = self.preset_picker.findData(preset.name)
        if index >= 0:
            self.preset_picker.setCurrentIndex(index)
        self._preset_snapshot = (self.sampling().to_dict(), self.system_prompt())
        self._set_preset_message("")
        self._update_preset_buttons()
        self._changed()

    @Slot()
    def _start_saving_preset(self) -> None:
        self.preset_name.setText(self.preset_picker.currentText())
        self.preset_name_row.setVisible(True)
        self.preset_name.selectAll()
        self.preset_name.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _finish_saving_preset(self) -> None:
        preset = Preset(self.preset_name.text(), self.system_prompt(), self.sampling().to_dict())
        try:
            self.presets.save(preset)
        except PresetError as exc:
            self._set_preset_message(str(exc))
            self.preset_name.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        name = preset.name.strip()
        self.preset_name_row.setVisible(False)
        saved = next((n for n in self.presets.names() if n.casefold() == name.casefold()), name)
        self._reload_presets(select=saved)
        self._preset_snapshot = (self.sampling().to_dict(), self.system_prompt())
        self._set_preset_message(self.tr("Saved the preset “{name}”.").format(name=saved))
        self.preset_picker.setFocus(Qt.FocusReason.OtherFocusReason)
        self._changed()

    @Slot()
    def _cancel_saving_preset(self) -> None:
        self.preset_name_row.setVisible(False)
        self.save_preset_button.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def delete_preset(self) -> None:
        """Delete the preset shown in the picker."""
        name = self.preset_picker.currentData()
        if not isinstance(name, str):
            return
        try:
            self.presets.delete(name)
        except KeyError:
            pass
        except PresetError as exc:
            self._set_preset_message(str(exc))
            return
        self._preset_snapshot = None
        self._reload_presets()
        self._set_preset_message(self.tr("Deleted the preset “{name}”.").format(name=name))
        self._changed()

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
        self._loading = True
        self._loaded = False
        self._clear_error("load")
        self.model_status.setText(self.tr("Loading {name}…").format(name=name))
        self.load_progress.setValue(0)
        self._update_load_state()

    def show_progress(self, fraction: float) -> None:
        """Loading progress, 0.0 … 1.0."""
        self.load_progress.setValue(round(min(max(fraction, 0.0), 1.0) * 100))

    def show_loaded(self, info: Any) -> None:
        """A load finished; ``info`` is a :class:`~workbench.core.local.host.LoadInfo`."""
        self._loading = False
        self._loaded = True
        self._clear_error("load")
        # Compare later edits with what was actually loaded: the options of the last Load
        # click, or the controls now if the load came from elsewhere (e.g. the command line).
        self._loaded_options = self._requested_options or self.load_options().to_dict()
        self._requested_options = None
        self._gpu_supported = bool(info.gpu_offload_supported)
        if self._info is None and info.n_layers:
            self._set_layer_count(info.n_layers)
        self.model_status.setText(
            self.tr("Loaded {name} in {seconds:.1f} s — context {tokens} tokens").format(
                name=info.model_name, seconds=info.load_s, tokens=info.n_ctx
            )
        )
        self._update_gpu_label()
        self._update_load_state()

    def show_unloaded(self) -> None:
        """No model is loaded (after an unload or a cancelled load)."""
        self._loading = False
        self._loaded = False
        self._loaded_options = None
        self._requested_options = None
        self.model_status.setText(self.tr("Not loaded"))
        self._update_load_state()

    def show_error(self, message: str) -> None:
        """A load failed: show the sentence; the model is not loaded."""
        self.show_unloaded()
        self._show_error(message, "load")

    def _update_load_state(self) -> None:
        self.load_button.setEnabled(not self._loading)
        self.unload_button.setEnabled(self._loaded and not self._loading)
        self.cancel_load_button.setVisible(self._loading)
        self.load_progress.setVisible(self._loading)
        self._update_reload_hint()

    # -- errors -----------------------------------------------------------------------------------

    def _show_error(self, text: str, source: str) -> None:
        self._error_source = source
        self.model_error.setText(text)
        self.model_error.setVisible(True)

    def _clear_error(self, source: str) -> None:
        """Clear the error label if it shows an error of this kind (others stay)."""
        if self._error_source == source:
            self._error_source = None
            self.model_error.clear()
            self.model_error.setVisible(False)

    # -- workers ----------------------------------------------------------------------------------

    def _run_in_thread(self, key: tuple[str, int], job: Callable[[], object]) -> None:
        """Run ``job`` off the GUI thread; its result (or exception) comes back to
        :meth:`_on_worker_finished` with ``key`` (kind, generation)."""
        self.jobs.run(
            job,
            lambda result: self._on_worker_finished(key, result),
            lambda exc: self._on_worker_finished(key, exc),
        )

    def _on_worker_finished(self, key: tuple[str, int], result: object) -> None:
        kind, generation = key
        if isinstance(result, Exception):
            result = self.tr("Workbench could not read this file ({error}).").format(error=result)
        if kind == "scan" and generation == self._scan_gen:
            if isinstance(result, tuple):
                self._apply_scan(*result)
        elif kind == "gpu" and isinstance(result, bool) and self._gpu_supported is None:
            self._gpu_supported = result
            self._update_gpu_label()
        elif kind == "header" and generation == self._header_gen:
            self._apply_header(result)  # type: ignore[arg-type]


_MAIN_LOAD_FIELDS = ("gpu_layers", "context_length", "threads")
