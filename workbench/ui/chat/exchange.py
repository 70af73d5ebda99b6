"""Chats in and out of the window: File › Import chats…, File › Export chats…, the chat list's
Export…, and export files dropped on the window.

:class:`ChatExchange` does the work on worker threads (:class:`~workbench.qt.jobs.JobRunner`)
and ends each run with one notice with counts; :class:`ExportDialog` asks what to export, in
which format and where.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.exchange import ExchangeError, FileImport, export_conversations, import_file
from workbench.core.store import Store, StoreError
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

# What a dropped file must end with to be taken as an import.
IMPORT_SUFFIXES = (".json", ".zip")


def _documents() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


class ExportDialog(QDialog):
    """What to export (all chats, the one shown, or chats ticked in a list), the format, and
    the folder.

    Args:
        chat_title: The chat the choice "this chat" stands for; None when no chat is chosen.
        folder: The folder proposed.
        only_chat: Export just that chat (from the chat list): the choice of chats is hidden.
        chats: ``(id, title)`` of every chat, newest first, for the choice "chosen chats".
    """

    def __init__(
        self,
        chat_title: str | None,
        folder: Path,
        parent: QWidget | None = None,
        *,
        only_chat: bool = False,
        chats: list[tuple[int, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export chats"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.all_button = QRadioButton(self.tr("All chats"), objectName="exportAll")
        self.one_button = QRadioButton(objectName="exportOne")
        self.one_button.setText(
            self.tr("This chat: {title}").format(title=chat_title)
            if chat_title is not None
            else self.tr("This chat")
        )
        self.one_button.setEnabled(chat_title is not None)
        self.some_button = QRadioButton(self.tr("Chosen chats:"), objectName="exportSome")
        self.chat_list = QListWidget(objectName="exportChats")
        self.chat_list.setAccessibleName(self.tr("Chats to export"))
        for conversation_id, title in chats or []:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, conversation_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.chat_list.addItem(item)
        self.chat_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        self.chat_list.setEnabled(False)
        self.some_button.toggled.connect(self.chat_list.setEnabled)
        self.some_button.toggled.connect(self._update_ok)
        self.chat_list.itemChanged.connect(self._update_ok)
        group = QButtonGroup(self)
        group.addButton(self.all_button)
        group.addButton(self.one_button)
        group.addButton(self.some_button)
        (self.one_button if chat_title is not None else self.all_button).setChecked(True)
        scope = QVBoxLayout()
        scope.addWidget(self.all_button)
        scope.addWidget(self.one_button)
        if chats:
            scope.addWidget(self.some_button)
            scope.addWidget(self.chat_list)
        else:
            self.some_button.setVisible(False)
            self.chat_list.setVisible(False)
        if not only_chat:
            form.addRow(self.tr("Chats:"), scope)
        else:
            for widget in (self.all_button, self.one_button, self.some_button, self.chat_list):
                widget.setVisible(False)

        self.format_box = QComboBox(objectName="exportFormat")
        self.format_box.addItem(self.tr("Markdown, to read and share (.md)"), "md")
        self.format_box.addItem(self.tr("JSON, every version, to import again (.json)"), "json")
        self.format_box.setAccessibleName(self.tr("Format"))
        form.addRow(self.tr("&Format:"), self.format_box)

        self.folder_edit = QLineEdit(str(folder), objectName="exportFolder")
        self.folder_edit.setAccessibleName(self.tr("Folder"))
        browse = QPushButton(self.tr("Choose…"), objectName="exportBrowse")
        browse.setAccessibleName(self.tr("Choose the folder"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        form.addRow(self.tr("F&older:"), row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.folder_edit.textChanged.connect(self._update_ok)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def everything(self) -> bool:
        """Whether every chat is to be exported (else the one chosen, or those ticked)."""
        return self.all_button.isChecked()

    def chosen(self) -> list[int] | None:
        """The ids of the chats ticked, when "chosen chats" is the choice; else None."""
        if not self.some_button.isChecked():
            return None
        items = (self.chat_list.item(row) for row in range(self.chat_list.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def format(self) -> str:
        """ "md" or "json"."""
        return self.format_box.currentData()

    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Export to this folder"), self.folder_edit.text()
        )
        if chosen:
            self.folder_edit.setText(chosen)

    def _update_ok(self, *_args: object) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        chosen = self.chosen()
        ok.setEnabled(bool(self.folder_edit.text().strip()) and (chosen is None or bool(chosen)))


class ChatExchange(QObject):
    """Imports and exports for the window, off the GUI thread.

    Signals:
        imported(list): chats were added; their ids (the chat list should reload).
        notice(str, bool): one sentence for the user (work started, or a run ended), and
            whether it may go away on its own (False: a problem, which stays until read).

    Args:
        store: The conversation database.
        window: The window: parent of the dialogs, and where export files may be dropped.
        current_chat: Gives the id of the chat shown, or None.
        all_chats: Gives ``(id, title)`` of every chat, newest first (the chat list's), for
            the export dialog's "chosen chats".
    """

    imported = Signal(list)
    notice = Signal(str, bool)

    def __init__(
        self,
        store: Store,
        window: QWidget,
        current_chat: Callable[[], int | None],
        all_chats: Callable[[], list[tuple[int, str]]] | None = None,
    ) -> None:
        super().__init__(window)
        self.store = store
        self.window = window
        self.current_chat = current_chat
        self.all_chats = all_chats or (lambda: [])
        self.jobs = JobRunner(self)
        self._import_folder: Path | None = None
        self._export_folder: Path | None = None
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # -- import --------------------------------------------------------------------------------

    def choose_import(self) -> None:
        """Ask for export files to import, then import them."""
        paths, _filter = QFileDialog.getOpenFileNames(
            self.window,
            self.tr("Import chats"),
            str(self._import_folder or _documents()),
            self.tr("Chat exports (*.json *.zip);;All files (*)"),
        )
        if paths:
            self._import_folder = Path(paths[0]).parent
            self.import_files([Path(p) for p in paths])

    def import_files(self, paths: Sequence[Path]) -> None:
        """Import files on a worker thread; one notice says what came in."""
        store = self.store

        def work() -> tuple[list[FileImport], list[str]]:
            results, problems = [], []
            for path in paths:
                try:
                    results.append(import_file(store, path))
                except (ExchangeError, StoreError) as exc:
                    problems.append(str(exc))
            return results, problems

        self.notice.emit(self.tr("Importing chats…"), False)
        self.jobs.run(work, self._on_imported, self._on_failed, queue="chat-exchange")

    def _on_imported(self, outcome: tuple[list[FileImport], list[str]]) -> None:
        results, problems = outcome
        added = [i for r in results for i in r.added]
        skipped = sum(len(r.skipped) for r in results)
        if added:
            self.imported.emit(added)
        if problems and not results:
            self.notice.emit(problems[0], False)  # the sentence naming the file and the problem
            return
        if not skipped:
            text = (
                self.tr("Imported 1 chat.")
                if len(added) == 1
                else self.tr("Imported %n chats.", "", len(added))
            )
        elif not added:
            text = (
                self.tr("That chat was imported before, so it was skipped.")
                if skipped == 1
                else self.tr(
                    "Those %n chats were imported before, so they were skipped.", "", skipped
                )
            )
        else:
            text = self.tr(
                "Chats imported: {added}. Skipped as imported before: {skipped}."
            ).format(added=len(added), skipped=skipped)
        if problems:
            text = self.tr("{done} Some files could not be imported: {problem}").format(
                done=text, problem=problems[0]
            )
        self.notice.emit(text, not problems)

    # -- export --------------------------------------------------------------------------------

    def choose_export(self, conversation_id: int | None = None) -> ExportDialog:
        """Open the export dialog: for one chat (from the chat list) or, without an id, for all
        chats or the chat shown."""
        only_chat = conversation_id is not None
        if only_chat:
            title = self._title(conversation_id)
        else:
            conversation_id = self.current_chat()
            title = None if conversation_id is None else self._title(conversation_id)
        dialog = ExportDialog(
            title,
            self._export_folder or _documents(),
            self.window,
            only_chat=only_chat and title is not None,
            chats=None if only_chat else self.all_chats(),
        )

        def accepted() -> None:
            folder = dialog.folder()
            self._export_folder = folder
            chosen = dialog.chosen()
            ids = (
                chosen if chosen is not None else None if dialog.everything() else [conversation_id]
            )
            self.export(ids, dialog.format(), folder)

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def export(self, ids: list[int] | None, fmt: str, folder: Path) -> None:
        """Export chats (None: every chat) to ``folder`` on a worker thread; one notice."""
        store = self.store

        def work() -> list[Path]:
            chosen = ids if ids is not None else [c.id for c in store.list_conversations()]
            return export_conversations(store, chosen, folder, fmt)

        self.notice.emit(self.tr("Exporting chats…"), False)
        self.jobs.run(
            work,
            lambda paths: self._on_exported(paths, folder),
            self._on_failed,
            queue="chat-exchange",
        )

    def _on_exported(self, paths: list[Path], folder: Path) -> None:
        if len(paths) == 1:
            text = self.tr("Saved {path}.").format(path=paths[0])
        else:
            text = self.tr("Exported %n chats to {folder}.", "", len(paths)).format(folder=folder)
        self.notice.emit(text, True)

    def _on_failed(self, exc: Exception) -> None:
        if isinstance(exc, (ExchangeError, StoreError)):
            self.notice.emit(str(exc), False)
            return
        if isinstance(exc, KeyError):  # a chat deleted meanwhile
            self.notice.emit(self.tr("That chat no longer exists."), False)
            return
        log.error("chat import or export failed", exc_info=exc)
        self.notice.emit(self.tr("That did not work; the log file has the details."), False)

    def _title(self, conversation_id: int) -> str | None:
        try:
            return self.store.get_conversation(conversation_id).title
        except (KeyError, StoreError):
            return None

    # -- drop ----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if self._dropped_files(event):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            paths = self._dropped_files(event)
            if paths:
                event.acceptProposedAction()
                self.import_files(paths)
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _dropped_files(event) -> list[Path]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if paths and all(p.suffix.lower() in IMPORT_SUFFIXES for p in paths):
            return paths
        return []
