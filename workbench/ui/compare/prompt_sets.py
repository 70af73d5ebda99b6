"""Saved prompt sets: write a list of prompts once, run it across the models you compare.

The sets are read and written by jobs on the compare page's store queue, never on the GUI
thread; the list holds every set, so choosing one needs no read.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.compare.sessions import (
    CompareStore,
    PromptSet,
    join_prompts,
    parse_tags,
    split_prompts,
)
from workbench.core.store import StoreError
from workbench.qt.compare import STORE_QUEUE
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

_ID = Qt.ItemDataRole.UserRole + 1


class PromptSetsView(QWidget):
    """Signals:
    run_requested(object): the saved :class:`PromptSet` to run as a batch.
    saved(object): a :class:`PromptSet` was stored.
    listed(): the list of sets was read again.
    """

    run_requested = Signal(object)
    saved = Signal(object)
    listed = Signal()

    def __init__(self, compare: CompareStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compare = compare
        self.jobs = JobRunner(self)
        self.current_id: int | None = None
        self._sets: dict[int, PromptSet] = {}
        self.sets = QStandardItemModel(self)
        self.list = QListView(objectName="promptSetList")
        self.list.setModel(self.sets)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.setAccessibleName(self.tr("Prompt sets"))
        self.new_button = QPushButton(self.tr("New prompt set"), objectName="newPromptSet")
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.list, 1)
        lv.addWidget(self.new_button)

        self.name = QLineEdit(objectName="promptSetName")
        self.name.setPlaceholderText(self.tr("e.g. Coding questions"))
        self.tags = QLineEdit(objectName="promptSetTags")
        self.tags.setPlaceholderText(self.tr("e.g. coding, Chinese (comma-separated)"))
        self.prompts = QPlainTextEdit(objectName="promptSetPrompts")
        self.prompts.setPlaceholderText(
            self.tr(
                "One prompt per line.\n\nFor prompts longer than a line, put a line with only "
                "--- between prompts."
            )
        )
        self.count = QLabel(objectName="promptSetCount")
        self.status = QLabel(objectName="promptSetStatus")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"), objectName="savePromptSet")
        self.delete_button = QPushButton(self.tr("Delete"), objectName="deletePromptSet")
        self.run_button = QPushButton(self.tr("Run…"), objectName="runPromptSet")
        self.run_button.setToolTip(
            self.tr("Choose the models, then every prompt is sent to each of them in turn.")
        )
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Tags"), self.tags)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.run_button)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addLayout(form)
        rv.addWidget(self.prompts, 1)
        rv.addLayout(buttons)
        rv.addWidget(self.status)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.list.selectionModel().currentChanged.connect(self._on_selected)
        self.new_button.clicked.connect(self.new_set)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.run_button.clicked.connect(self.run)
        self.prompts.textChanged.connect(self._count)
        self.reload()
        self._count()

    def reload(self, select: int | None = None) -> None:
        """Read the sets again (a job), then select ``select`` or the current one."""
        compare = self.compare
        self.jobs.run(
            compare.prompt_sets,
            lambda sets: self._show_sets(sets, select),
            self._on_failed,
            queue=STORE_QUEUE,
            slot="sets",
        )

    def _show_sets(self, sets: list[PromptSet], select: int | None) -> None:
        self._sets = {s.id: s for s in sets}
        selection = self.list.selectionModel()
        blocker = selection.blockSignals(True)
        self.sets.clear()
        for s in sets:
            item = QStandardItem(s.name)
            item.setData(s.id, _ID)
            item.setToolTip(self._prompts_text(len(s.prompts)))
            self.sets.appendRow(item)
        target = select if select is not None else self.current_id
        for row in range(self.sets.rowCount()):
            if self.sets.item(row).data(_ID) == target:
                self.list.setCurrentIndex(self.sets.index(row, 0))
                break
        selection.blockSignals(blocker)
        self.delete_button.setEnabled(self.current_id is not None)
        self.listed.emit()

    def _on_failed(self, exc: Exception) -> None:
        if isinstance(exc, ValueError | KeyError | StoreError):
            self.status.setText(str(exc).strip("'\""))
        else:
            log.error("a prompt set job failed", exc_info=exc)
            self.status.setText(self.tr("Something went wrong; the log file has the details."))

    def _on_selected(self, current, _previous) -> None:
        if not current.isValid():
            return
        s = self._sets.get(current.data(_ID))
        if s is not None:
            self.show_set(s)

    def show_set(self, s: PromptSet | None) -> None:
        self.current_id = s.id if s else None
        self.name.setText(s.name if s else "")
        self.tags.setText(", ".join(s.tags) if s else "")
        self.prompts.setPlainText(join_prompts(s.prompts) if s else "")
        self.status.setText("")
        self.delete_button.setEnabled(s is not None)

    def new_set(self) -> None:
        self.list.clearSelection()
        self.show_set(None)
        self.name.setFocus()

    def _count(self) -> None:
        self.count.setText(self._prompts_text(len(split_prompts(self.prompts.toPlainText()))))

    def _prompts_text(self, n: int) -> str:
        return self.tr("1 prompt") if n == 1 else self.tr("%n prompts", "", n)

    def save(self, *, then_run: bool = False) -> None:
        """Store the set shown (a job); ``then_run``: run it once it is stored."""
        name, tags = self.name.text(), parse_tags(self.tags.text())
        prompts = split_prompts(self.prompts.toPlainText())
        compare, current = self.compare, self.current_id
        self.jobs.run(
            lambda: compare.save_prompt_set(name, prompts, tags, prompt_set_id=current),
            lambda saved: self._on_saved(saved, then_run),
            self._on_failed,
            queue=STORE_QUEUE,
        )

    def _on_saved(self, saved: PromptSet, then_run: bool) -> None:
        self.current_id = saved.id
        self._sets[saved.id] = saved
        self.reload(select=saved.id)
        self.status.setText(self.tr("Saved."))
        self.saved.emit(saved)
        if then_run:
            self.run_requested.emit(saved)

    def delete(self) -> None:
        if self.current_id is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete prompt set"),
            self.tr("Delete the prompt set “{name}”? Runs already made are kept.").format(
                name=self.name.text()
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        compare, current = self.compare, self.current_id
        self.jobs.run(
            lambda: compare.delete_prompt_set(current), None, self._on_failed, queue=STORE_QUEUE
        )
        self.show_set(None)
        self.reload()

    def run(self) -> None:
        self.save(then_run=True)  # what is run is what is saved
