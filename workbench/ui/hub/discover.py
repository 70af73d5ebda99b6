"""The Discover page: search the Hub for GGUF models, see a repo's files and whether they fit.

Every Hub request runs as a job (:class:`JobRunner`) in a latest-wins slot, so a slow answer to
an old search never replaces a newer one. The fit badges need the model's shape (layers, KV
heads); it is the same for every quantization in a repo, so one GGUF header is read — over HTTP
range requests, a few hundred kilobytes — and each file's badge is computed from its own size.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from workbench.core.fit import FitEstimate, ModelShape, estimate_fit, scaled_shape
from workbench.core.hub.models import ModelEntry, RepoDetails, RepoSummary
from workbench.core.options import KV_CACHE_TYPES
from workbench.core.units import human_count, human_size
from workbench.qt.hub import DownloadsController, HubSession
from workbench.qt.jobs import JobRunner

log = logging.getLogger(__name__)

ENTRY_ROLE = Qt.ItemDataRole.UserRole
PAGE_SIZE = 20


def _is_hub_error(exc: Exception) -> bool:
    # Imported here: the client module (huggingface_hub) is loaded by the worker threads that
    # talk to the Hub, not at start-up; by the time an error exists, it is loaded.
    from workbench.core.hub.client import HubError

    return isinstance(exc, HubError)


def _error_text(exc: Exception) -> str:
    if _is_hub_error(exc):
        return str(exc)
    log.error("Hub request failed", exc_info=exc)
    return "Something went wrong while talking to the Hub; the details are in the log file."


class DiscoverPage(QWidget):
    """Search, repo details with per-file fit badges, and Download.

    Signals:
        show_downloads_requested(): the user wants to see the download queue.
        settings_requested(): the user wants to change the endpoint or token.
    """

    show_downloads_requested = Signal()
    settings_requested = Signal()

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

        self.results = QListWidget(objectName="hubResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setUniformItemSizes(True)
        self.results.setSpacing(3)
        self.more_button = QPushButton(self.tr("More results"), objectName="hubMoreButton")
        self.more_button.setVisible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
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

    # -- searching --------------------------------------------------------------------------------

    @Slot()
    def search(self) -> None:
        """Start a new search with the query and sort order on screen."""
        query, sort = self.query.text().strip(), self.sort.currentData()
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
        if self.results.count() or self.query.text().strip():
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
            self._set_status(self.tr("{n} models shown.").format(n=self.results.count()))
        if self.results.currentRow() < 0 and self.results.count():
            self.results.setCurrentRow(0)

    def _result_item(self, repo: RepoSummary) -> QListWidgetItem:
        facts = [
            self.tr("{n} downloads").format(n=human_count(repo.downloads)),
            self.tr("{n} likes").format(n=human_count(repo.likes)),
        ]
        if repo.last_modified is not None:
            facts.append(self.tr("updated {date}").format(date=repo.last_modified.date()))
        if repo.gated:
            facts.append(self.tr("gated"))
        item = QListWidgetItem(f"{repo.repo_id}\n{' · '.join(facts)}")
        item.setData(ENTRY_ROLE, repo.repo_id)
        item.setToolTip(repo.repo_id)
        return item

    def _on_search_failed(self, exc: Exception) -> None:
        self.more_button.setEnabled(True)
        self._set_status(_error_text(exc))

    def _on_endpoint_changed(self, endpoint: str) -> None:
        self._show_endpoint(endpoint)
        self._pager = None
        self.results.clear()
        self._clear_details()
        if self.query.text().strip():
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
        self.jobs.run(
            lambda: session.client().repo_details(repo_id),
            self._on_details,
            self._on_details_failed,
            slot="repo",
        )

    def _on_details_failed(self, exc: Exception) -> None:
        self.repo_facts.setText(_error_text(exc))

    def _on_details(self, details: RepoDetails) -> None:
        self.details = details
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
                label = entry.name
                if entry.kind == "mmproj":
                    label = self.tr("{name} — vision projector (used with a model)").format(
                        name=entry.name
                    )
                child = QTreeWidgetItem([label, human_size(entry.size), ""])
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
            facts.append(self.tr("context {n:,}").format(n=d.context_length))
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

    def _update_download_button(self, *_args) -> None:
        entry = self.selected_entry()
        self.download_button.setEnabled(entry is not None and self.details is not None)
        if entry is None:
            self.download_button.setText(self.tr("Download"))
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
        try:
            self.downloads.download(details.repo_id, entry, details.sha)
        except (ValueError, OSError) as exc:
            self._set_status(str(exc))
            return
        except Exception as exc:  # TransferError and anything unexpected: one sentence
            self._set_status(str(exc) or _error_text(exc))
            return
        self._set_status(self.tr("{name} is in the download queue.").format(name=entry.name))
