"""The Discover page: search the Hub for GGUF models, see a repo's files and whether they fit.

Every Hub request runs as a job (:class:`JobRunner`) in a latest-wins slot, so a slow answer to
an old search never replaces a newer one. The fit badges need the model's shape (layers, KV
heads); it is the same for every quantization in a repo, so one GGUF header is read — over HTTP
range requests, a few hundred kilobytes — and each file's badge is computed from its own size.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.downloads.destination import safe_destination
from workbench.core.fit import FitEstimate, ModelShape, estimate_fit, scaled_shape
from workbench.core.hub.models import ModelEntry, RepoDetails, RepoSummary
from workbench.core.i18n import translate
from workbench.core.options import KV_CACHE_TYPES
from workbench.core.units import human_count, human_size
from workbench.qt.hub import DownloadsController, HubSession
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

ENTRY_ROLE = Qt.ItemDataRole.UserRole
PAGE_SIZE = 20
#: Catalogue models listed under the recommendation when the search is empty.
MORE_SUGGESTIONS = 8


def _is_hub_error(exc: Exception) -> bool:
    # Imported here: the client module (huggingface_hub) is loaded by the worker threads that
    # talk to the Hub, not at start-up; by the time an error exists, it is loaded.
    from workbench.core.hub.client import HubError

    return isinstance(exc, HubError)


def _error_text(exc: Exception) -> str:
    if _is_hub_error(exc):
        return str(exc)
    log.error("Hub request failed", exc_info=exc)
    return translate(
        "Discover",
        "Something went wrong while talking to the Hub; the details are in the log file.",
    )


class DiscoverPage(QWidget):
    """Search, repo details with per-file fit badges, and Download.

    An empty search lists the starter catalogue's models for this computer, the recommended
    one first. Files already downloaded are marked and offer *Chat with it* instead of
    *Download*. Hub errors are shown in the page, with *Retry*.

    Signals:
        show_downloads_requested(): the user wants to see the download queue.
        settings_requested(): the user wants to change the endpoint or token.
        use_requested(str): the user wants to chat with this downloaded model file.
    """

    show_downloads_requested = Signal()
    settings_requested = Signal()
    use_requested = Signal(str)

    def __init__(
        self,
        session: HubSession,
        downloads: DownloadsController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.downloads = downloads
        self.jobs = JobRunner(self)
        self._pager = None
        self.details: RepoDetails | None = None
        self._shape: ModelShape | None = None
        self._shape_note = ""
        self._in_library: dict[str, str] = {}  # entry name -> path of the downloaded file
        self._retry = None
        self.language = QLocale().name()
        self.suggested = False  # the catalogue's list has been asked for
        self._build()
        self._connect()
        self._show_endpoint(session.endpoint())

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.query = QLineEdit(objectName="hubQuery")
        self.query.setPlaceholderText(self.tr("Search GGUF models on the Hub, e.g. qwen3 4b"))
        self.query.setAccessibleName(self.tr("Search the Hub"))
        self.query.setClearButtonEnabled(True)
        self.sort = QComboBox(objectName="hubSort")
        self.sort.setAccessibleName(self.tr("Sort results by"))
        self.sort.addItem(self.tr("Most downloaded"), "downloads")
        self.sort.addItem(self.tr("Most liked"), "likes")
        self.sort.addItem(self.tr("Recently updated"), "updated")
        self.search_button = QPushButton(self.tr("Search"), objectName="hubSearchButton")
        self.search_button.setDefault(True)
        self.endpoint_label = QLabel(objectName="hubEndpointLabel")
        self.endpoint_label.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.sort)
        top.addWidget(self.search_button)
        top.addWidget(self.endpoint_label)

        self.error_box = QFrame(objectName="discoverError")
        self.error_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.error_text = QLabel(objectName="discoverErrorText")
        self.error_text.setWordWrap(True)
        self.error_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton(self.tr("Retry"), objectName="discoverRetry")
        error_row = QHBoxLayout(self.error_box)
        error_row.addWidget(self.error_text, 1)
        error_row.addWidget(self.retry_button)
        self.error_box.setVisible(False)

        self.results_title = QLabel(objectName="hubResultsTitle")
        self.results_title.setWordWrap(True)
        self.results_title.setVisible(False)
        self.results = QListWidget(objectName="hubResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setUniformItemSizes(True)
        self.results.setSpacing(3)
        self.more_button = QPushButton(self.tr("More results"), objectName="hubMoreButton")
        self.more_button.setVisible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.results_title)
        left_layout.addWidget(self.results, 1)
        left_layout.addWidget(self.more_button)

        self.repo_title = QLabel(objectName="repoTitle")
        font = self.repo_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.repo_title.setFont(font)
        self.repo_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.repo_facts = QLabel(objectName="repoFacts")
        self.repo_facts.setWordWrap(True)
        self.repo_facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.fit_context = QSpinBox(objectName="fitContext")
        self.fit_context.setRange(256, 1_048_576)
        self.fit_context.setSingleStep(1024)
        self.fit_context.setValue(4096)
        self.fit_context.setAccessibleName(self.tr("Context length used for the fit estimate"))
        self.fit_kv = QComboBox(objectName="fitKvType")
        for kv in KV_CACHE_TYPES:
            self.fit_kv.addItem(kv, kv)
        self.fit_kv.setAccessibleName(self.tr("KV cache type used for the fit estimate"))
        fit_row = QHBoxLayout()
        fit_row.addWidget(QLabel(self.tr("Fit for context")))
        fit_row.addWidget(self.fit_context)
        fit_row.addWidget(QLabel(self.tr("tokens, KV cache")))
        fit_row.addWidget(self.fit_kv)
        fit_row.addStretch(1)
        self.memory_label = QLabel(objectName="memoryLabel")
        fit_row.addWidget(self.memory_label)

        self.files = QTreeWidget(objectName="repoFiles")
        self.files.setAccessibleName(self.tr("Model files"))
        self.files.setColumnCount(3)
        self.files.setHeaderLabels([self.tr("File"), self.tr("Size"), self.tr("Fit")])
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.files.setRootIsDecorated(True)
        self.files.setUniformRowHeights(True)
        header = self.files.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)

        self.download_button = QPushButton(self.tr("Download"), objectName="downloadButton")
        self.download_button.setEnabled(False)
        self.downloads_button = QPushButton(
            self.tr("Show downloads"), objectName="showDownloadsButton"
        )
        actions = QHBoxLayout()
        actions.addWidget(self.download_button)
        actions.addStretch(1)
        actions.addWidget(self.downloads_button)

        self.status = QLabel(objectName="discoverStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.repo_title)
        right_layout.addWidget(self.repo_facts)
        right_layout.addLayout(fit_row)
        right_layout.addWidget(self.files, 1)
        right_layout.addLayout(actions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="discoverSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 700])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.error_box)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        self._clear_details()

    def _connect(self) -> None:
        self.query.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.sort.currentIndexChanged.connect(self._resort)
        self.more_button.clicked.connect(self.more)
        self.results.currentItemChanged.connect(self._on_result_chosen)
        self.files.currentItemChanged.connect(self._update_download_button)
        self.files.itemDoubleClicked.connect(lambda *_: self.download_selected())
        self.download_button.clicked.connect(self.download_selected)
        self.retry_button.clicked.connect(self._retry_last)
        self.downloads.download_finished.connect(self._on_download_finished)
        self.downloads_button.clicked.connect(self.show_downloads_requested)
        self.fit_context.valueChanged.connect(self._refresh_fit)
        self.fit_kv.currentIndexChanged.connect(self._refresh_fit)
        self.endpoint_label.linkActivated.connect(lambda _link: self.settings_requested.emit())
        self.session.endpoint_changed.connect(self._on_endpoint_changed)
        self.downloads.jobs_changed.connect(lambda _jobs: self._update_download_button())

    def _show_endpoint(self, endpoint: str) -> None:
        host = endpoint.split("://", 1)[-1]
        self.endpoint_label.setText(
            self.tr("Hub: {host} (<a href='settings'>change</a>)").format(host=host)
        )
        self.endpoint_label.setToolTip(endpoint)

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    def show_error(self, text: str, retry) -> None:
        """A Hub error where the user is looking: one sentence and Retry (which calls
        ``retry``)."""
        self._retry = retry
        self.error_text.setText(text)
        self.error_box.setVisible(True)
        self._set_status(text)

    def _hide_error(self) -> None:
        self.error_box.setVisible(False)
        self._retry = None

    def _retry_last(self) -> None:
        retry, self._retry = self._retry, None
        self.error_box.setVisible(False)
        if retry is not None:
            retry()

    # -- suggestions for an empty search ----------------------------------------------------------

    def showEvent(self, event) -> None:  # Qt override
        super().showEvent(event)
        if not self.suggested and not self.query.text().strip() and not self.results.count():
            self.suggest()

    @Slot()
    def suggest(self) -> None:
        """List the catalogue's models for this computer, the recommended one first."""
        from workbench.core.catalogue import recommend_list

        self.suggested = True
        self._hide_error()
        self.results.clear()
        self.more_button.setVisible(False)
        self.results_title.setText(self.tr("Finding models that suit this computer…"))
        self.results_title.setVisible(True)
        session, language = self.session, self.language

        def work():
            return recommend_list(session.client(), session.memory(), language, MORE_SUGGESTIONS)

        self.jobs.run(work, self._on_suggestions, self._on_suggest_failed, slot="search")

    def _on_suggestions(self, suggestions) -> None:
        rec, others = suggestions
        self.results.clear()
        self.results_title.setText(self.tr("Suggested for this computer — or search above"))
        labels = ((rec.starter, self.tr("Recommended")), (rec.smaller, self.tr("Smaller")))
        labels += ((rec.larger, self.tr("Larger")),)
        shown = set()
        for pick, kind in labels:
            if pick is None:
                continue
            shown.add(pick.entry.repo)
            text = self.tr("{kind}: {name} — {fit}\n{repo} · {size}").format(
                kind=kind,
                name=pick.entry.name,
                repo=pick.repo_id,
                size=human_size(pick.size),
                fit=pick.fit.badge(),
            )
            self.results.addItem(self._suggestion_item(text, pick.repo_id, pick.fit.explain()))
        for entry in others:
            if entry.repo in shown:
                continue
            text = self.tr("{name}\n{repo} · licence: {licence}").format(
                name=entry.name, repo=entry.repo, licence=entry.licence
            )
            self.results.addItem(self._suggestion_item(text, entry.repo, entry.repo))
        self._set_status("")

    def _suggestion_item(self, text: str, repo_id: str, tip: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(ENTRY_ROLE, repo_id)
        item.setToolTip(tip)
        return item

    def _on_suggest_failed(self, exc: Exception) -> None:
        self.results_title.setVisible(False)
        self.show_error(_error_text(exc), self.suggest)

    # -- searching --------------------------------------------------------------------------------

    @Slot()
    def search(self) -> None:
        """Start a new search with the query and sort order on screen."""
        query, sort = self.query.text().strip(), self.sort.currentData()
        if not query:
            self.suggest()
            return
        self._hide_error()
        self.results_title.setVisible(False)
        self.results.clear()
        self.more_button.setVisible(False)
        self._set_status(self.tr("Searching…"))
        session = self.session

        def work():
            # The client is made here, not on the GUI thread: it may wait briefly for the
            # access token to come out of the keychain.
            pager = session.client().search(query, sort=sort, page_size=PAGE_SIZE)
            return pager, pager.next_page()

        # Latest wins: a page of an earlier search (or an earlier "more") is dropped.
        self.jobs.run(
            work, lambda result: self._on_page(*result), self._on_search_failed, slot="search"
        )

    @Slot()
    def more(self) -> None:
        """Fetch the next page of the current search."""
        pager = self._pager
        if pager is None:
            return
        self.more_button.setEnabled(False)
        self._set_status(self.tr("Loading more results…"))
        self.jobs.run(
            lambda: (pager, pager.next_page()),
            lambda result: self._on_page(*result),
            self._on_search_failed,
            slot="search",
        )

    def _resort(self) -> None:
        if self.query.text().strip():
            self.search()

    def _on_page(self, pager, repos: list[RepoSummary]) -> None:
        self._pager = pager
        for repo in repos:
            self.results.addItem(self._result_item(repo))
        self.more_button.setVisible(bool(pager.has_more))
        self.more_button.setEnabled(True)
        if self.results.count() == 0:
            self._set_status(self.tr("No GGUF models match this search."))
        else:
            self._set_status(self.tr("%n models shown.", "", self.results.count()))
        if self.results.currentRow() < 0 and self.results.count():
            self.results.setCurrentRow(0)

    def _result_item(self, repo: RepoSummary) -> QListWidgetItem:
        facts = [
            self.tr("{n} downloads").format(n=human_count(repo.downloads)),
            self.tr("{n} likes").format(n=human_count(repo.likes)),
        ]
        if repo.last_modified is not None:
            day = repo.last_modified.date()
            date = QLocale().toString(
                QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat
            )
            facts.append(self.tr("updated {date}").format(date=date))
        if repo.gated:
            facts.append(self.tr("gated"))
        item = QListWidgetItem(f"{repo.repo_id}\n{' · '.join(facts)}")
        item.setData(ENTRY_ROLE, repo.repo_id)
        item.setToolTip(repo.repo_id)
        return item

    def _on_search_failed(self, exc: Exception) -> None:
        self.more_button.setEnabled(True)
        retry = self.more if self._pager is not None and self.results.count() else self.search
        self.show_error(_error_text(exc), retry)

    def _on_endpoint_changed(self, endpoint: str) -> None:
        self._show_endpoint(endpoint)
        self._pager = None
        self.results.clear()
        self._clear_details()
        self._hide_error()
        if self.query.text().strip() or self.suggested:
            self.search()  # the new endpoint applies at once, without a restart

    # -- a repo -----------------------------------------------------------------------------------

    def _clear_details(self) -> None:
        self.details = None
        self._shape = None
        self.repo_title.setText(self.tr("Choose a model on the left"))
        self.repo_facts.setText("")
        self.files.clear()
        self.memory_label.setText("")
        self._update_download_button()

    def _on_result_chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.open_repo(item.data(ENTRY_ROLE))

    def open_repo(self, repo_id: str) -> None:
        """Show a repo's facts and GGUF files; then read one header for the fit badges."""
        self._clear_details()
        self.repo_title.setText(repo_id)
        self.repo_facts.setText(self.tr("Reading the repository…"))
        session = self.session

        # One slot for the repo's details and then its header read: opening another repo
        # drops whichever of the two is still running.
        def work():
            details = session.client().repo_details(repo_id)
            return details, downloaded_files(session.models_dir(), details)

        self.jobs.run(
            work,
            lambda result: self._on_details(*result),
            lambda exc: self._on_details_failed(exc, repo_id),
            slot="repo",
        )

    def _on_details_failed(self, exc: Exception, repo_id: str) -> None:
        self.repo_facts.setText("")
        self.show_error(_error_text(exc), lambda: self.open_repo(repo_id))

    def _on_details(self, details: RepoDetails, in_library: dict[str, str] | None = None) -> None:
        self._hide_error()
        self.details = details
        self._in_library = dict(in_library or {})
        self.repo_title.setText(details.repo_id)
        self.repo_facts.setText(self._facts(details))
        self.files.clear()
        for quant, entries in details.by_quantization():
            group = QTreeWidgetItem([quant or self.tr("Other"), "", ""])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for entry in entries:
                label = entry.label
                if entry.kind == "mmproj":
                    label = self.tr("{name} — vision projector (used with a model)").format(
                        name=entry.label
                    )
                size = human_size(entry.size)
                if entry.name in self._in_library:
                    size = self.tr("In library · {size}").format(size=size)
                child = QTreeWidgetItem([label, size, ""])
                child.setData(0, ENTRY_ROLE, entry)
                child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                group.addChild(child)
            self.files.addTopLevelItem(group)
        self.files.expandAll()
        if not details.entries:
            self._set_status(self.tr("This repository has no GGUF files."))
        elif details.incomplete_splits:
            self._set_status(
                self.tr("Some split models are missing parts and are not offered: {names}").format(
                    names=", ".join(details.incomplete_splits)
                )
            )
        else:
            self._set_status("")
        self._read_shape(details)

    def _facts(self, d: RepoDetails) -> str:
        facts = []
        if d.architecture:
            facts.append(d.architecture)
        if d.parameters:
            facts.append(self.tr("{n} parameters").format(n=human_count(d.parameters)))
        if d.context_length:
            facts.append(self.tr("context {n}").format(n=QLocale().toString(d.context_length)))
        facts.append(self.tr("licence: {l}").format(l=d.license or self.tr("not stated")))
        facts.append(self.tr("{n} downloads").format(n=human_count(d.downloads)))
        facts.append(self.tr("{n} likes").format(n=human_count(d.likes)))
        if d.gated:
            facts.append(self.tr("gated: accept the terms on the Hub and set a token"))
        if d.private:
            facts.append(self.tr("private"))
        return " · ".join(facts)

    def _read_shape(self, details: RepoDetails) -> None:
        models = [e for e in details.entries if e.kind == "model"]
        if not models:
            return
        smallest = min(models, key=lambda e: e.size)
        session = self.session
        for item in self._entry_items():
            if item.data(0, ENTRY_ROLE).kind == "model":
                item.setText(2, self.tr("checking…"))

        def work():
            shape = session.client().read_shape(details.repo_id, smallest, details.sha)
            return shape, session.memory()

        self.jobs.run(
            work, lambda result: self._on_shape(*result), self._on_shape_failed, slot="repo"
        )

    def _on_shape(self, shape: ModelShape, memory) -> None:
        self._shape = shape
        self._memory = memory
        self._refresh_fit()

    def _on_shape_failed(self, exc: Exception) -> None:
        reason = str(exc) if _is_hub_error(exc) or isinstance(exc, ValueError) else _error_text(exc)
        for item in self._entry_items():
            if item.data(0, ENTRY_ROLE).kind == "model":
                item.setText(2, self.tr("unknown"))
                item.setToolTip(2, reason)

    def _entry_items(self) -> list[QTreeWidgetItem]:
        items = []
        for i in range(self.files.topLevelItemCount()):
            group = self.files.topLevelItem(i)
            items.extend(group.child(j) for j in range(group.childCount()))
        return items

    def fit_for(self, entry: ModelEntry) -> FitEstimate | None:
        """The fit estimate shown for ``entry`` (None until the header has been read)."""
        if self._shape is None or entry.kind != "model":
            return None
        return estimate_fit(
            scaled_shape(self._shape, entry.size),
            self._memory,
            n_ctx=self.fit_context.value(),
            type_k=self.fit_kv.currentData(),
            type_v=self.fit_kv.currentData(),
        )

    def _refresh_fit(self) -> None:
        if self._shape is None:
            return
        memory = self._memory
        if memory.gpus:
            gpu = memory.gpus[0]
            self.memory_label.setText(
                self.tr("{ram} free RAM · {gpu}: {vram} free").format(
                    ram=human_size(memory.ram_available),
                    gpu=gpu.name,
                    vram=human_size(memory.gpu_free),
                )
            )
        else:
            self.memory_label.setText(
                self.tr("{ram} free RAM · no GPU found").format(
                    ram=human_size(memory.ram_available)
                )
            )
        for item in self._entry_items():
            fit = self.fit_for(item.data(0, ENTRY_ROLE))
            if fit is not None:
                item.setText(2, fit.badge())
                item.setToolTip(2, fit.explain())
                item.setToolTip(0, fit.explain())

    # -- downloading ------------------------------------------------------------------------------

    def selected_entry(self) -> ModelEntry | None:
        item = self.files.currentItem()
        entry = item.data(0, ENTRY_ROLE) if item is not None else None
        return entry if isinstance(entry, ModelEntry) else None

    def in_library(self, entry: ModelEntry) -> str | None:
        """The downloaded file of ``entry``, when it is already in the library."""
        return self._in_library.get(entry.name)

    def _update_download_button(self, *_args) -> None:
        entry = self.selected_entry()
        self.download_button.setEnabled(entry is not None and self.details is not None)
        if entry is None:
            self.download_button.setText(self.tr("Download"))
        elif self.in_library(entry) and entry.kind == "model":
            self.download_button.setText(self.tr("In library · Chat with it"))
        else:
            self.download_button.setText(
                self.tr("Download {size}").format(size=human_size(entry.size))
            )

    @Slot()
    def download_selected(self) -> None:
        """Queue the selected file (all parts of a split model)."""
        entry, details = self.selected_entry(), self.details
        if entry is None or details is None:
            return
        path = self.in_library(entry)
        if path and entry.kind == "model":
            self.use_requested.emit(path)
            return
        try:
            self.downloads.download(details.repo_id, entry, details.sha)
        except (ValueError, OSError) as exc:
            self._set_status(str(exc))
            return
        except Exception as exc:  # TransferError and anything unexpected: one sentence
            self._set_status(str(exc) or _error_text(exc))
            return
        self._set_status(self.tr("{name} is in the download queue.").format(name=entry.label))

    def _on_download_finished(self, job) -> None:
        details = self.details
        if details is None or job.repo_id != details.repo_id:
            return
        session = self.session
        self.jobs.run(
            lambda: downloaded_files(session.models_dir(), details),
            self._on_library_marks,
            lambda exc: log.warning("could not check the library: %s", exc),
            slot="marks",
        )

    def _on_library_marks(self, in_library: dict[str, str]) -> None:
        if self.details is None:
            return
        self._in_library = in_library
        for item in self._entry_items():
            entry = item.data(0, ENTRY_ROLE)
            size = human_size(entry.size)
            if entry.name in in_library:
                size = self.tr("In library · {size}").format(size=size)
            item.setText(1, size)
        self._update_download_button()


def downloaded_files(models_dir: Path, details: RepoDetails) -> dict[str, str]:
    """The repo's entries already downloaded, by entry name: where the download queue puts
    them, every part present (run it off the GUI thread: it looks at the disk)."""
    try:
        folder = safe_destination(models_dir, *details.repo_id.split("/"))
    except (ValueError, OSError):
        return {}
    found = {}
    for entry in details.entries:
        pairs = [(folder / f.path, f.size) for f in entry.files]
        if all(p.is_file() and p.stat().st_size == size for p, size in pairs):
            found[entry.name] = str(pairs[0][0])
    return found
