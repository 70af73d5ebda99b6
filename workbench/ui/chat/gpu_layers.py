"""The GPU layers control: a slider whose top means "all layers", and a sentence saying so.

The slider spans the chosen model's layer count once its header is read (100 until then), and
its top position always means every layer, whatever the count (``-1`` in :class:`LoadOptions`).
Whether this llama.cpp build can use a GPU at all is asked once, off the GUI thread, so the
sentence never promises a GPU the build cannot use.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QSlider, QVBoxLayout, QWidget

from workbench.core.local.capabilities import gpu_offload_supported
from workbench.qt.jobs import JobRunner
from workbench.ui.chat.panel_widgets import wrapping_label

#: slider range while the model's layer count is unknown (its top position still means "all")
UNKNOWN_LAYERS = 100


class GpuLayersControl(QWidget):
    """The slider (``gpuLayers``) and its sentence (``gpuLayersLabel``).

    Signals:
        layers_changed(): the slider moved (by the user or by code setting its value); not
            emitted when a new layer count rescales it.
    """

    layers_changed = Signal()

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = JobRunner(self)
        self._gpu_supported: bool | None = None
        self._known_layers: int | None = None
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="gpuLayers")
        self.slider.setRange(0, UNKNOWN_LAYERS)
        self.slider.setValue(UNKNOWN_LAYERS)  # the default, -1, means all layers
        self.slider.setAccessibleName(label)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.label = wrapping_label("gpuLayersLabel", self.tr("GPU layers"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider)
        layout.addWidget(self.label)
        self.slider.valueChanged.connect(self._on_moved)
        self._update_label()
        # Known before any model loads, so the sentence doesn't promise a GPU it can't use.
        self.jobs.run(gpu_offload_supported, self._on_build_checked, _ignore, slot="gpu")

    def layers(self) -> int:
        """Layers to put on the GPU: ``-1`` (all) at the slider's top."""
        value = self.slider.value()
        return -1 if value == self.slider.maximum() else value

    def set_layers(self, layers: int) -> None:
        """Show ``layers`` (``-1`` or more than the model has: all)."""
        top = self.slider.maximum()
        self.slider.setValue(top if layers < 0 else min(layers, top))

    def set_layer_count(self, n: int | None) -> None:
        """Rescale the slider to a model's layers (None: unknown), keeping "all" as "all"."""
        slider = self.slider
        new_max = n if n and n > 0 else UNKNOWN_LAYERS
        was_all = slider.value() == slider.maximum()
        value = slider.value()
        slider.blockSignals(True)
        try:
            slider.setMaximum(new_max)
            slider.setValue(new_max if was_all else min(value, new_max))
            slider.setPageStep(max(1, new_max // 10))
            slider.setTickInterval(max(1, new_max // 10))
        finally:
            slider.blockSignals(False)
        self._known_layers = n if n and n > 0 else None
        self._update_label()

    def gpu_supported(self) -> bool | None:
        """Whether this build can offload to a GPU (None until known)."""
        return self._gpu_supported

    def set_gpu_supported(self, supported: bool) -> None:
        """What a loaded model reported: it overrides the check made at start."""
        self._gpu_supported = supported
        self._update_label()

    def _on_build_checked(self, supported: object) -> None:
        if isinstance(supported, bool) and self._gpu_supported is None:
            self.set_gpu_supported(supported)

    @Slot(int)
    def _on_moved(self, _value: int) -> None:
        self._update_label()
        self.layers_changed.emit()

    def _update_label(self) -> None:
        slider = self.slider
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
        self.label.setText(text)
        slider.setAccessibleDescription(text)


def _ignore(_exc: Exception) -> None:
    # Not knowing the build only leaves the sentence without its "no GPU support" note.
    pass
