"""Choosing a local model file: the list of models, Browse…, and the file's header summary.

Listing the models folder and reading a GGUF header are jobs off the GUI thread; each kind is
a latest-wins slot, so choosing another file (or another list arriving) drops a stale result.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.core import paths
from workbench.core.gguf_file import GGUFError, GGUFInfo, inspect_gguf
from workbench.core.names import local_name
from workbench.core.settings import load_settings
from workbench.core.units import human_count, human_size
from workbench.qt.jobs import Job, JobRunner
from workbench.ui.chat.panel_widgets import wrapping_label

_SPLIT_SHARD = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)


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


def same_path(a: str | None, b: str | None) -> bool:
    """Whether two paths name the same file (case-insensitively where the system is)."""
    if a is None or b is None:
        return a is b
    return os.path.normcase(os.path.normpath(a)) == os.path.normcase(os.path.normpath(b))


def _read_header(path: str) -> GGUFInfo | str:
    try:
        return inspect_gguf(path)
    except GGUFError as exc:
        return str(exc)


def _scan() -> tuple[str, list[str]]:
    # The window replaces this list with the Library's (imports, the Hugging Face cache); on its
    # own the picker lists the models folder the settings name.
    folder = load_settings().models_path()
    return str(folder), scan_models(folder)


class ModelFilePicker(QWidget):
    """The model file list with Browse…, and a one-line summary of the chosen file's header.

    The list is filled when the picker is created. Choosing a file (by the user or by code)
    emits ``model_chosen`` and starts reading its header.

    Signals:
        model_chosen(object): the chosen path (``str``), or None when the list has no choice.
        header_read(object): the :class:`GGUFInfo` of the chosen file.
        header_failed(str): why the chosen file's header could not be read (one sentence).
    """

    model_chosen = Signal(object)
    header_read = Signal(object)
    header_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = JobRunner(self)
        self._scan_job: Job | None = None
        self._header_job: Job | None = None
        self._models_folder: str | None = None
        self._info: GGUFInfo | None = None
        self._inspected_path: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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

        self.model_summary = wrapping_label("modelSummary", self.tr("Model details"))
        self.model_summary.setVisible(False)
        layout.addWidget(self.model_summary)

        self.model_picker.currentIndexChanged.connect(self._on_index_changed)
        self.browse_button.clicked.connect(self.browse)
        self.refresh_library()

    # -- the list ---------------------------------------------------------------------------------

    def model_path(self) -> str | None:
        data = self.model_picker.currentData()
        return data if isinstance(data, str) and data else None

    def model_info(self) -> GGUFInfo | None:
        """The header summary of the chosen file, once read (None before, or if unreadable)."""
        return self._info

    def set_model_path(self, path: str) -> None:
        """Choose a file, adding it to the list if it is not there (e.g. outside the folder)."""
        index = self._index_of(path)
        if index < 0:
            self._add_model_item(path)
            index = self.model_picker.count() - 1
        self.model_picker.setCurrentIndex(index)

    def _index_of(self, path: str) -> int:
        for i in range(self.model_picker.count()):
            if same_path(self.model_picker.itemData(i), path):
                return i
        return -1

    def _add_model_item(self, path: str) -> None:
        self.model_picker.addItem(local_name(path), path)
        self.model_picker.setItemData(
            self.model_picker.count() - 1, path, Qt.ItemDataRole.ToolTipRole
        )

    def set_library(self, found: list[str]) -> None:
        """Show these model files (from the Library page's scan)."""
        if self._scan_job is not None:
            self._scan_job.cancel()  # a scan of the picker's own still running is now stale
        self._apply_scan(self._models_folder or str(paths.models_dir()), found)

    @Slot()
    def refresh_library(self) -> None:
        """List the models folder again, on a worker thread."""
        self._scan_job = self.jobs.run(
            _scan, lambda result: self._apply_scan(*result), _ignore, slot="scan"
        )

    def _apply_scan(self, folder: str, found: list[str]) -> None:
        self._models_folder = folder
        current = self.model_path()
        self.model_picker.blockSignals(True)
        try:
            self.model_picker.clear()
            for path in found:
                self._add_model_item(path)
            if current is not None and self._index_of(current) < 0:
                self._add_model_item(current)  # the chosen file stays, even outside the folder
            self.model_picker.setCurrentIndex(self._index_of(current) if current else -1)
        finally:
            self.model_picker.blockSignals(False)
        if current is None and found:
            self.model_picker.setCurrentIndex(0)  # a user-visible choice: the usual signals run
        self._update_tooltip()

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

    # -- the header -------------------------------------------------------------------------------

    @Slot(int)
    def _on_index_changed(self, _index: int) -> None:
        path = self.model_path()
        self._update_tooltip()
        if same_path(path, self._inspected_path):
            return
        self._inspected_path = path
        self._info = None
        if self._header_job is not None:
            self._header_job.cancel()  # the previous file's header no longer matters
            self._header_job = None
        if path is None:
            self._set_summary("")
        else:
            self._set_summary(self.tr("Reading the file…"))
            self._header_job = self.jobs.run(
                lambda: _read_header(path), self._apply_header, self._on_header_error, slot="header"
            )
        self.model_chosen.emit(path)

    def _on_header_error(self, exc: Exception) -> None:
        self._apply_header(
            self.tr("Workbench could not read this file ({error}).").format(error=exc)
        )

    def _apply_header(self, result: GGUFInfo | str) -> None:
        self._header_job = None
        if isinstance(result, GGUFInfo):
            self._info = result
            self._set_summary(self._summary(result))
            self.header_read.emit(result)
        else:
            self._info = None
            self._set_summary("")
            self.header_failed.emit(str(result))

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

    def _set_summary(self, text: str) -> None:
        self.model_summary.setText(text)
        self.model_summary.setVisible(bool(text))  # an empty label would still take a line

    def _update_tooltip(self) -> None:
        self.model_picker.setToolTip(self.model_path() or "")


def _ignore(_exc: Exception) -> None:
    # A folder that cannot be listed leaves the list as it was.
    pass
