"""The GPU layers control: *Auto* (the default) or a number, and one sentence saying where the
model will run.

With *Auto* ticked, the number is chosen at load time from the fit estimate and the free GPU
memory (:mod:`workbench.core.local.layers`); the control asks for the same plan off the GUI
thread whenever the model or the options change, shows its count in the (greyed) spin box and
explains it ("Auto: 24 of 33 layers on your GPU, to leave room for a context of 8,192 tokens").
Unticked, the spin box is the user's: 0 is the CPU and its top means every layer (``-1`` in
:class:`LoadOptions`), whatever the model's count. Whether this llama.cpp build can use a GPU
at all is asked once, off the GUI thread, so the sentence never claims layers go to a GPU the
build cannot use.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QSpinBox, QVBoxLayout, QWidget

from workbench.core.i18n import translate
from workbench.core.local.capabilities import gpu_offload_supported
from workbench.core.local.layers import LayerPlan, plan_for_file, retry_sentence
from workbench.core.options import GPU_LAYERS_AUTO, LoadOptions
from workbench.qt.jobs import JobRunner
from workbench.ui.chat.panel_widgets import wrapping_label

#: spin box range while the model's layer count is unknown (its top still means "all")
UNKNOWN_LAYERS = 100


class GpuLayersControl(QWidget):
    """The *Auto* box (``gpuLayersAuto``), the spin box (``gpuLayers``) and the sentence
    (``gpuLayersLabel``).

    ``options_source`` (set by the panel) gives the load options the Auto plan leaves room for.

    Signals:
        layers_changed(): the user (or code) switched Auto or changed the number; not emitted
            when a new layer count rescales the box or a plan fills it in.
    """

    layers_changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = JobRunner(self)
        self.options_source: Callable[[], LoadOptions] = LoadOptions
        self._gpu_supported: bool | None = None
        self._known_layers: int | None = None  # offloadable layers, n_layer + 1
        self._path: str | None = None
        self._plan: LayerPlan | None = None
        self.auto_box = QCheckBox(self.tr("Auto"), objectName="gpuLayersAuto")
        self.auto_box.setAccessibleName(self.tr("Choose the GPU layers automatically"))
        self.auto_box.setChecked(True)
        self.spin = QSpinBox(objectName="gpuLayers")
        self.spin.setRange(0, UNKNOWN_LAYERS)
        self.spin.setValue(UNKNOWN_LAYERS)
        self.spin.setAccessibleName(label)
        self.spin.setEnabled(False)
        self.label = wrapping_label("gpuLayersLabel", self.tr("GPU layers"))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.auto_box)
        row.addWidget(self.spin, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.label)
        QWidget.setTabOrder(self.auto_box, self.spin)
        self.auto_box.toggled.connect(self._on_auto_toggled)
        self.spin.valueChanged.connect(self._on_moved)
        self._update_label()
        # Known before any model loads, so the sentence doesn't promise a GPU it can't use.
        self.jobs.run(gpu_offload_supported, self._on_build_checked, _ignore, slot="gpu")

    # -- value ------------------------------------------------------------------------------------

    def is_auto(self) -> bool:
        return self.auto_box.isChecked()

    def layers(self) -> int | None:
        """``None`` for Auto, else the layers to put on the GPU: ``-1`` (all) at the top."""
        if self.is_auto():
            return GPU_LAYERS_AUTO
        value = self.spin.value()
        return -1 if value == self.spin.maximum() else value

    def set_layers(self, layers: int | None) -> None:
        """Show ``layers``: None is Auto; ``-1`` or more than the model has is all."""
        if layers is None:
            self.auto_box.setChecked(True)
        else:
            self.auto_box.setChecked(False)
            top = self.spin.maximum()
            self.spin.setValue(top if layers < 0 else min(layers, top))
        self.refresh()

    def set_layer_count(self, n: int | None) -> None:
        """Rescale to a model of ``n`` repeating layers (None: unknown), keeping "all" as "all".

        llama.cpp offloads ``n + 1`` layers (the output layer counts as one), so the box's top
        is ``n + 1``. None also forgets the model, until :meth:`set_model_path`.
        """
        spin = self.spin
        new_max = n + 1 if n and n > 0 else UNKNOWN_LAYERS
        was_all = spin.value() == spin.maximum()
        value = spin.value()
        spin.blockSignals(True)
        try:
            spin.setMaximum(new_max)
            spin.setValue(new_max if was_all else min(value, new_max))
        finally:
            spin.blockSignals(False)
        self._known_layers = new_max if n and n > 0 else None
        if n is None:
            self._path = None
            self._plan = None
        self._update_label()

    def set_model_path(self, path: str | None) -> None:
        """The model the Auto plan is for (its header is read again, off the GUI thread)."""
        self._path = path
        self._plan = None
        self.refresh()

    def gpu_supported(self) -> bool | None:
        """Whether this build can offload to a GPU (None until known)."""
        return self._gpu_supported

    def set_gpu_supported(self, supported: bool) -> None:
        """What a loaded model reported: it overrides the check made at start."""
        self._gpu_supported = supported
        self._update_label()

    def plan(self) -> LayerPlan | None:
        """The last Auto plan for the chosen model and options (None until one is made)."""
        return self._plan

    @Slot()
    def refresh(self) -> None:
        """Plan Auto again for the model and options now (a job; the sentence follows)."""
        if not self.is_auto() or self._path is None:
            self._update_label()
            return
        path, options = self._path, self.options_source()
        options.gpu_layers = GPU_LAYERS_AUTO
        self.jobs.run(
            lambda: plan_for_file(path, options),
            lambda plan: self._on_planned(path, plan),
            _ignore,
            slot="plan",
        )

    # -- events -----------------------------------------------------------------------------------

    def _on_build_checked(self, supported: object) -> None:
        if isinstance(supported, bool) and self._gpu_supported is None:
            self.set_gpu_supported(supported)

    def _on_planned(self, path: str, plan: object) -> None:
        if path != self._path or not isinstance(plan, LayerPlan):
            return
        self._plan = plan
        if self.is_auto():
            self.spin.blockSignals(True)
            try:
                self.spin.setValue(plan.on_gpu)
            finally:
                self.spin.blockSignals(False)
        self._update_label()

    @Slot(bool)
    def _on_auto_toggled(self, auto: bool) -> None:
        self.spin.setEnabled(not auto)
        if auto:
            self.refresh()
        self._update_label()
        self.layers_changed.emit()

    @Slot(int)
    def _on_moved(self, _value: int) -> None:
        self._update_label()
        self.layers_changed.emit()

    # -- the sentence -----------------------------------------------------------------------------

    def _update_label(self) -> None:
        text = self._auto_sentence() if self.is_auto() else self._manual_sentence()
        self.label.setText(text)
        self.spin.setAccessibleDescription(text)
        self.auto_box.setAccessibleDescription(text)

    def _auto_sentence(self) -> str:
        plan = self._plan
        if plan is None and self._gpu_supported is False:
            return self.tr("Auto: on the CPU")
        if plan is None:
            return self.tr("Auto: as many layers on your GPU as fit, chosen when the model loads")
        total, on = plan.total or 0, plan.on_gpu
        sentences = {
            "all": lambda: self.tr("Auto: all %n layers on your GPU", "", total),
            "partial": lambda: self.tr(
                "Auto: {on} of %n layers on your GPU, to leave room for a context of {ctx} tokens",
                "",
                total,
            ).format(on=on, ctx=self.locale().toString(plan.n_ctx)),
            "remembered": lambda: self.tr(
                "Auto: {on} of %n layers on your GPU, as many as loaded last time without "
                "running out of graphics memory",
                "",
                total,
            ).format(on=on),
            "remembered_cpu": lambda: self.tr(
                "Auto: on the CPU — the graphics memory ran out last time"
            ),
            "no_build": lambda: self.tr(
                "Auto: on the CPU — this build of Workbench cannot use your graphics card"
            ),
            "no_gpu": lambda: self.tr("Auto: on the CPU — no graphics card found"),
            "unknown_memory": lambda: self.tr(
                "Auto: on the CPU — the graphics card's free memory could not be read"
            ),
            "too_little": lambda: self.tr(
                "Auto: on the CPU — your graphics card has too little free memory for this model"
            ),
            "unknown_model": lambda: self.tr(
                "Auto: on the CPU — this file does not say how large its layers are"
            ),
        }
        return sentences.get(plan.reason, sentences["no_gpu"])()

    def _manual_sentence(self) -> str:
        value, top = self.spin.value(), self.spin.maximum()
        if self._gpu_supported is False:
            # Whatever the number, nothing goes to a GPU: say only that.
            return self.tr("On the CPU — this build of Workbench cannot use your graphics card")
        known = self._known_layers
        if value == 0:
            return self.tr("On the CPU (0 layers on the GPU)")
        if value == top:
            if known:
                return self.tr("All %n layers on the GPU", "", known)
            return self.tr("All layers on the GPU")
        if known:
            return self.tr("{on} of %n layers on the GPU", "", known).format(on=value)
        return self.tr("%n layers on the GPU", "", value)


def _ignore(_exc: Exception) -> None:
    # Not knowing the build or the plan only leaves the sentence more general.
    pass


def loaded_sentence(info: object) -> str:
    """Where a loaded model's layers went, translated, from a
    :class:`~workbench.core.local.host.LoadInfo` ("" for an info without GPU figures)."""
    used = getattr(info, "gpu_layers", None)
    if used is None:
        return ""
    tried = getattr(info, "gpu_tried", 0)
    total = getattr(info, "total_layers", None) or 0
    if getattr(info, "gpu_retried", False):
        return retry_sentence(tried, used)  # core's sentence, the command line says it too
    if used == 0:  # why (no card, a build without GPU support) is the GPU layers line's to say
        return translate("GpuLayersControl", "On the CPU.")
    # Named counts, not %n: lupdate reads translate() calls with two arguments only.
    if total and used >= total:
        return translate("GpuLayersControl", "All {total} layers on the GPU.").format(total=total)
    return translate("GpuLayersControl", "{used} of {total} layers on the GPU.").format(
        used=used, total=total
    )
