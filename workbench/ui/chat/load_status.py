"""Load, Unload and Cancel, the loading progress, the model's status and its error line.

The error line shows one error at a time and remembers which kind it is (``"header"``,
``"options"``, ``"load"``), so that clearing one kind never hides another kind's sentence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from workbench.core.names import local_name
from workbench.ui.chat.gpu_layers import loaded_sentence
from workbench.ui.chat.panel_widgets import wrapping_label


class LoadStatus(QWidget):
    """The buttons and the status of loading a local model.

    The panel connects the buttons' ``clicked`` signals and reports each stage through the
    ``show_*`` methods.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._loaded = False
        self._error_source: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.load_button = QPushButton(self.tr("Load"), objectName="loadButton")
        self.load_button.setAccessibleName(self.tr("Load the model"))
        self.unload_button = QPushButton(self.tr("Unload"), objectName="unloadButton")
        self.unload_button.setAccessibleName(self.tr("Unload the model"))
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="cancelLoadButton")
        self.cancel_button.setAccessibleName(self.tr("Cancel loading"))
        for w in (self.load_button, self.unload_button, self.cancel_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.progress = QProgressBar(objectName="loadProgress")
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(self.tr("Loading progress"))
        layout.addWidget(self.progress)

        self.status = wrapping_label("modelStatus", self.tr("Model status"))
        self.status.setText(self.tr("Not loaded"))
        layout.addWidget(self.status)

        self.error = wrapping_label("modelError", self.tr("Model error"))
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self._update()

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def loaded(self) -> bool:
        return self._loaded

    def show_loading(self, name: str) -> None:
        """A load has started."""
        self._loading = True
        self._loaded = False
        self.clear_error("load")
        self.status.setText(self.tr("Loading {name}…").format(name=local_name(name)))
        self.progress.setValue(0)
        self._update()

    def show_progress(self, fraction: float) -> None:
        """Loading progress, 0.0 … 1.0."""
        self.progress.setValue(round(min(max(fraction, 0.0), 1.0) * 100))

    def show_loaded(self, info: Any) -> None:
        """A load finished; ``info`` is a :class:`~workbench.core.local.host.LoadInfo`."""
        self._loading = False
        self._loaded = True
        self.clear_error("load")
        locale = self.locale()
        text = self.tr("Loaded {name} in {seconds} s — context {tokens} tokens").format(
            name=local_name(info.path) if getattr(info, "path", "") else info.model_name,
            seconds=locale.toString(float(info.load_s), "f", 1),
            tokens=locale.toString(int(info.n_ctx)),
        )
        where = loaded_sentence(info)  # where the layers went, the out-of-memory retry's words
        self.status.setText(f"{text}\n{where}" if where else text)
        self._update()

    def show_unloaded(self) -> None:
        """No model is loaded (after an unload or a cancelled load)."""
        self._loading = False
        self._loaded = False
        self.status.setText(self.tr("Not loaded"))
        self._update()

    def _update(self) -> None:
        self.load_button.setEnabled(not self._loading)
        self.unload_button.setEnabled(self._loaded and not self._loading)
        self.cancel_button.setVisible(self._loading)
        self.progress.setVisible(self._loading)

    # -- the error line ---------------------------------------------------------------------------

    def error_source(self) -> str | None:
        """The kind of error shown, or None."""
        return self._error_source

    def show_error(self, text: str, source: str) -> None:
        """Show ``text`` as an error of kind ``source``, replacing any other."""
        self._error_source = source
        self.error.setText(text)
        self.error.setVisible(True)

    def clear_error(self, source: str) -> None:
        """Clear the error line if it shows an error of this kind (others stay)."""
        if self._error_source == source:
            self._error_source = None
            self.error.clear()
            self.error.setVisible(False)
