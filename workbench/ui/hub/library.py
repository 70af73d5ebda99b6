"""The Library page: every model on this computer, and the download queue under it.

Lists the models folder, files imported in place, and GGUF files already in the Hugging Face
cache, each with its metadata and a fit badge for the context length set in the model panel.
Scans and header reads run on a worker thread. Files can be imported with a dialog or dropped
on the page; a copy runs on a worker thread too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.fit import FitEstimate, estimate_fit
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate
from workbench.core.library import LibraryEntry, LibraryError
from workbench.core.names import local_name
from workbench.core.units import human_size
from workbench.qt.hub import DownloadsController, HubSession
from workbench.qt.jobs import JobRunner
from workbench.ui.hub.downloads import DownloadsView

log = logging.getLogger(__name__)

ENTRY_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = (
    QT_TRANSLATE_NOOP("LibraryPage", "Model"),
    QT_TRANSLATE_NOOP("LibraryPage", "Quantization"),
    QT_TRANSLATE_NOOP("LibraryPage", "Size"),
    QT_TRANSLATE_NOOP("LibraryPage", "Fit"),
    QT_TRANSLATE_NOOP("LibraryPage", "Source"),
)


def fit_of(library, entry: LibraryEntry, memory, n_ctx: int, type_k: str, type_v: str):
    """The fit estimate for a library entry, or None when its header could not be read."""
    if entry.info is None or entry.error:
        return None
    shape = library.shape_of(entry)  # exact per-layer sizes from the headers (cached)
    if shape is None:
        return None
    return estimate_fit(shape, memory, n_ctx=n_ctx, type_k=type_k, type_v=type_v)


class LibraryPage(QWidget):
    """Signals:
    use_requested(str): the user wants to chat with this model file.
    library_changed(list): the scan finished; the list of :class:`LibraryEntry`.
    """

    use_requested = Signal(str)
    library_changed = Signal(list)

    def __init__(
        self,
        session: HubSession,
        downloads: DownloadsController,
        fit_settings: Callable[[], tuple[int, str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.downloads = downloads
        self.fit_settings = fit_settings or (lambda: (4096, "f16", "f16"))
        self.jobs = JobRunner(self)
        self.entries: list[LibraryEntry] = []
        self._notice = ""
        self.setAcceptDrops(True)
        self._build()
        self._connect()
        self.refresh()

    def _build(self) -> None:
        self.folder_label = QLabel(objectName="modelsFolderLabel")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.import_button = QPushButton(self.tr("Import…"), objectName="importButton")
        self.import_button.setToolTip(
            self.tr("Add a GGUF file from this computer (or drop files on this page)")
        )
        self.refresh_button = QPushButton(self.tr("Refresh"), objectName="refreshLibraryButton")
        top = QHBoxLayout()
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.refresh_button)

        self.table = QTableWidget(0, len(COLUMNS), objectName="libraryTable")
        self.table.setHorizontalHeaderLabels([translate("LibraryPage", c) for c in COLUMNS])
        self.table.setAccessibleName(self.tr("Models on this computer"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

        self.use_button = QPushButton(self.tr("Use in chat"), objectName="useModelButton")
        self.reveal_button = QPushButton(self.tr("Show in folder"), objectName="revealButton")
        self.delete_button = QPushButton(self.tr("Delete…"), objectName="deleteModelButton")
        actions = QHBoxLayout()
        actions.addWidget(self.use_button)
        actions.addWidget(self.reveal_button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        self.status = QLabel(objectName="libraryStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        models = QWidget()
        models_layout = QVBoxLayout(models)
        models_layout.setContentsMargins(0, 0, 0, 0)
        models_layout.addLayout(top)
        models_layout.addWidget(self.table, 1)
        models_layout.addLayout(actions)
        models_layout.addWidget(self.status)

        self.downloads_view = DownloadsView(self.downloads)
        downloads = QWidget()
        downloads_layout = QVBoxLayout(downloads)
        downloads_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Downloads"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        downloads_layout.addWidget(title)
        downloads_layout.addWidget(self.downloads_view, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical, objectName="librarySplitter")
        self.splitter.addWidget(models)
        self.splitter.addWidget(downloads)
        self.splitter.setSizes([500, 250])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter)
        self._update_buttons()

    def _connect(self) -> None:
        self.import_button.clicked.connect(self.import_dialog)
        self.refresh_button.clicked.connect(self.refresh)
        self.use_button.clicked.connect(self._use)
        self.reveal_button.clicked.connect(self.reveal)
        self.delete_button.clicked.connect(self.delete_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_: self._use())
        self.downloads.download_finished.connect(lambda _job: self.refresh())
        self.session.models_dir_changed.connect(lambda _folder: self.refresh())

    # -- listing ----------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Scan again (worker thread); the table updates when the scan is done."""
        library = self.session.library
        n_ctx, type_k, type_v = self.fit_settings()
        self.folder_label.setText(
            self.tr("Models folder: {folder}").format(folder=library.models_dir)
        )

        def work():
            entries = library.scan()
            memory = self.session.memory()
            fits = [fit_of(library, e, memory, n_ctx, type_k, type_v) for e in entries]
            return entries, fits

        # Latest wins: a scan started before this one is dropped.
        self.jobs.run(work, lambda result: self._on_scanned(*result), self._failed, slot="scan")

    def _failed(self, exc: Exception) -> None:
        log.error("library task failed", exc_info=exc)
        self.status.setText(
            str(exc)
            if isinstance(exc, (LibraryError, OSError))
            else self.tr("Something went wrong; the details are in the log file.")
        )

    def _on_scanned(self, entries: list[LibraryEntry], fits: list[FitEstimate | None]) -> None:
        selected = self.selected_entry()
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, (entry, fit) in enumerate(zip(entries, fits, strict=True)):
            name = QTableWidgetItem(local_name(entry.path))
            name.setData(ENTRY_ROLE, row)
            name.setToolTip(str(entry.path) + (f"\n{entry.error}" if entry.error else ""))
            quant = QTableWidgetItem(entry.quantization or "—")
            size = QTableWidgetItem(human_size(entry.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if entry.error:
                fit_item = QTableWidgetItem(self.tr("Unusable"))
                fit_item.setToolTip(entry.error)
            elif fit is None:
                fit_item = QTableWidgetItem("—")
            else:
                fit_item = QTableWidgetItem(fit.badge())
                fit_item.setToolTip(fit.explain())
            source = QTableWidgetItem(self._source_label(entry))
            for col, item in enumerate((name, quant, size, fit_item, source)):
                self.table.setItem(row, col, item)
            if selected is not None and entry.path == selected.path:
                self.table.selectRow(row)
        summary = (
            self.tr("%n models.", "", len(entries))
            if entries
            else self.tr("No models yet: download one on the Discover page, or import a file.")
        )
        # A problem from the last import stays on screen until the next action.
        self.status.setText(" ".join(filter(None, [self._notice, summary])))
        self._notice = ""
        self._update_buttons()
        self.library_changed.emit(entries)

    def _source_label(self, entry: LibraryEntry) -> str:
        if entry.source == "downloaded" and entry.repo_id:
            return self.tr("Downloaded from {repo}").format(repo=entry.repo_id)
        if entry.source == "imported":
            return self.tr("Used in place") if entry.in_place else self.tr("Imported (copied)")
        return {
            "downloaded": self.tr("Downloaded"),
            "folder": self.tr("In the models folder"),
            "hf_cache": self.tr("Hugging Face cache"),
        }.get(entry.source, entry.source)

    def selected_entry(self) -> LibraryEntry | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row = rows[0].row()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        self.use_button.setEnabled(entry is not None and entry.error is None)
        self.reveal_button.setEnabled(entry is not None)
        self.delete_button.setEnabled(entry is not None and entry.deletable)
        if entry is not None and entry.in_place:
            self.delete_button.setText(self.tr("Remove from library…"))
        else:
            self.delete_button.setText(self.tr("Delete…"))

    def _use(self) -> None:
        entry = self.selected_entry()
        if entry is not None and entry.error is None:
            self.use_requested.emit(str(entry.path))

    @Slot()
    def reveal(self) -> None:
        """Open the file's folder in the system file manager."""
        entry = self.selected_entry()
        if entry is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(entry.path).parent)))

    # -- deleting ---------------------------------------------------------------------------------

    @Slot()
    def delete_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None or not entry.deletable:
            return
        if entry.in_place:
            question = self.tr(
                "Remove {name} from the library? The file itself stays where it is."
            ).format(name=local_name(entry.path))
        else:
            parts = len(entry.parts)
            if parts > 1:
                question = self.tr(
                    "Delete {name} ({size}, %n files) from this computer?", "", parts
                )
            else:
                question = self.tr("Delete {name} ({size}) from this computer?")
            question = question.format(name=local_name(entry.path), size=human_size(entry.size))
        answer = QMessageBox.question(
            self,
            self.tr("Delete model"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        library = self.session.library
        self.jobs.run(lambda: library.delete(entry), lambda _r: self.refresh(), self._failed)

    # -- importing --------------------------------------------------------------------------------

    @Slot()
    def import_dialog(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("Import model files"), str(Path.home()), self.tr("GGUF models (*.gguf)")
        )
        if paths:
            self.import_files([Path(p) for p in paths])

    def ask_copy(self, count: int) -> bool | None:
        """Copy into the models folder (True), use in place (False), or cancel (None)."""
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Import models"))
        box.setText(
            self.tr("Copy the file into your models folder, or use it where it is?")
            if count == 1
            else self.tr(
                "Copy the %n files into your models folder, or use them where they are?", "", count
            )
        )
        copy = box.addButton(self.tr("Copy"), QMessageBox.ButtonRole.AcceptRole)
        in_place = box.addButton(self.tr("Use in place"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        if clicked is copy:
            return True
        if clicked is in_place:
            return False
        return None

    def import_files(self, files: list[Path], *, copy: bool | None = None) -> None:
        """Import files (asking copy or in place unless ``copy`` is given), off the GUI thread."""
        if copy is None:
            copy = self.ask_copy(len(files))
            if copy is None:
                return
        library = self.session.library
        self.status.setText(self.tr("Importing…"))

        def work():
            problems = []
            for path in files:
                try:
                    library.import_file(path, copy=copy)
                except LibraryError as exc:
                    problems.append(str(exc))
            return problems

        self.jobs.run(work, self._on_imported, self._failed)

    def _on_imported(self, problems: list[str]) -> None:
        self._notice = " ".join(problems)
        self.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.import_files(files)
