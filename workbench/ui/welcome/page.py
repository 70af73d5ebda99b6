"""The welcome page of a first run: three plain choices, and the one-click local starter.

*Run a model on this computer* shows this computer in one line, the recommended starter with a
smaller and a larger alternative, and the Hub address in use; *Download and chat* downloads the
chosen file (through the download queue, so it resumes after a restart) and then hands the file
to the window, which opens the chat with it loading.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.catalogue import Pick
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate
from workbench.core.machine import describe
from workbench.core.units import human_size
from workbench.qt.firstrun import StarterFacts, StarterFinder
from workbench.qt.hub import DownloadsController, HubSession

PICK_ROLE = "pick"
# The languages the catalogue names (ISO 639-1), by name in the interface's language.
LANGUAGES = {
    "de": QT_TRANSLATE_NOOP("WelcomePage", "German"),
    "en": QT_TRANSLATE_NOOP("WelcomePage", "English"),
    "es": QT_TRANSLATE_NOOP("WelcomePage", "Spanish"),
    "fr": QT_TRANSLATE_NOOP("WelcomePage", "French"),
    "hi": QT_TRANSLATE_NOOP("WelcomePage", "Hindi"),
    "it": QT_TRANSLATE_NOOP("WelcomePage", "Italian"),
    "ja": QT_TRANSLATE_NOOP("WelcomePage", "Japanese"),
    "ko": QT_TRANSLATE_NOOP("WelcomePage", "Korean"),
    "pt": QT_TRANSLATE_NOOP("WelcomePage", "Portuguese"),
    "ru": QT_TRANSLATE_NOOP("WelcomePage", "Russian"),
    "th": QT_TRANSLATE_NOOP("WelcomePage", "Thai"),
    "zh": QT_TRANSLATE_NOOP("WelcomePage", "Chinese"),
}


def language_name(code: str) -> str:
    """A catalogue language code as a name to show; another code as Qt names it, or as is."""
    if code in LANGUAGES:
        return translate("WelcomePage", LANGUAGES[code])
    language = QLocale(code).language()
    if language == QLocale.Language.C:
        return code
    return QLocale.languageToString(language)


def _title(text: str, scale: float = 1.6) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def _wrapping(name: str) -> QLabel:
    label = QLabel(objectName=name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class WelcomePage(QWidget):
    """The first-run page.

    Signals:
        cloud_requested(): the user wants to set up a cloud service.
        file_chosen(str): the user picked a model file of their own.
        skip_requested(): the user wants the ordinary window.
        settings_requested(): the user wants to change the Hub address.
        model_ready(str): the starter is downloaded and verified; its path.
    """

    cloud_requested = Signal()
    file_chosen = Signal(str)
    skip_requested = Signal()
    settings_requested = Signal()
    model_ready = Signal(str)

    def __init__(
        self,
        session: HubSession,
        downloads: DownloadsController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.session = session
        self.downloads = downloads
        self.finder = StarterFinder(session, self)
        self.language = QLocale().name()  # e.g. "zh_CN": Chinese-strong models first
        self.facts: StarterFacts | None = None
        self.job_id: str | None = None
        self._build()
        self._connect()

    # -- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.stack = QStackedWidget(objectName="welcomeStack")
        self.stack.addWidget(self._choices())
        self.stack.addWidget(self._local())
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.stack, 6)
        outer.addStretch(1)

    def _choices(self) -> QWidget:
        page = QWidget(objectName="welcomeChoices")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(_title(self.tr("Welcome to Workbench")))
        intro = QLabel(self.tr("Chat with AI models on this computer or through a cloud service."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addSpacing(16)
        self.local_button = self._choice(
            "welcomeLocal",
            self.tr("Run a model on this computer"),
            self.tr("Free and private: we pick a model that fits and download it for you."),
        )
        self.cloud_button = self._choice(
            "welcomeCloud",
            self.tr("Use a cloud service"),
            self.tr("OpenAI, DeepSeek, Qwen or any compatible service, with your API key."),
        )
        self.file_button = self._choice(
            "welcomeFile",
            self.tr("I already have a model file"),
            self.tr("Open a .gguf file from this computer."),
        )
        for button in (self.local_button, self.cloud_button, self.file_button):
            layout.addWidget(button)
        layout.addSpacing(8)
        self.skip_button = QPushButton(self.tr("Skip"), objectName="welcomeSkip")
        self.skip_button.setFlat(True)
        self.skip_button.setAccessibleName(self.tr("Skip the welcome page"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.skip_button)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _choice(self, name: str, title: str, detail: str) -> QPushButton:
        button = QPushButton(f"{title}\n{detail}", objectName=name)
        button.setAccessibleName(title)
        button.setMinimumHeight(64)
        button.setStyleSheet("text-align: left; padding: 10px 16px;")
        return button

    def _local(self) -> QWidget:
        page = QWidget(objectName="welcomeLocalStep")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(_title(self.tr("Run a model on this computer"), 1.4))
        self.machine_label = _wrapping("welcomeMachine")
        self.hub_label = QLabel(objectName="welcomeHub")
        self.hub_label.setTextFormat(Qt.TextFormat.RichText)
        self.hub_label.setWordWrap(True)
        layout.addWidget(self.machine_label)
        layout.addWidget(self.hub_label)
        layout.addSpacing(8)

        self.picks_frame = QFrame(objectName="welcomePicks")
        self.picks_frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.picks_layout = QVBoxLayout(self.picks_frame)
        self.pick_group = QButtonGroup(self)
        layout.addWidget(self.picks_frame)

        self.status = _wrapping("welcomeStatus")
        self.progress = QProgressBar(objectName="welcomeProgress")
        self.progress.setVisible(False)
        self.progress.setAccessibleName(self.tr("Download progress"))
        layout.addWidget(self.status)
        layout.addWidget(self.progress)

        self.back_button = QPushButton(self.tr("Back"), objectName="welcomeBack")
        self.retry_button = QPushButton(self.tr("Retry"), objectName="welcomeRetry")
        self.retry_button.setVisible(False)
        self.go_button = QPushButton(self.tr("Download and chat"), objectName="downloadAndChat")
        self.go_button.setDefault(True)
        self.go_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.go_button)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    def _connect(self) -> None:
        self.local_button.clicked.connect(self.show_local)
        self.cloud_button.clicked.connect(self.cloud_requested)
        self.file_button.clicked.connect(self.choose_file)
        self.skip_button.clicked.connect(self.skip_requested)
        self.back_button.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        self.retry_button.clicked.connect(self.retry)
        self.go_button.clicked.connect(self.download_and_chat)
        self.hub_label.linkActivated.connect(lambda _link: self.settings_requested.emit())
        self.finder.found.connect(self._on_found)
        self.session.endpoint_changed.connect(self._show_endpoint)
        self.downloads.jobs_changed.connect(self._on_jobs)
        self.downloads.download_finished.connect(self._on_finished)

    # -- the choices ------------------------------------------------------------------------------

    @Slot()
    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Open a model file"), "", self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.file_chosen.emit(path)

    @Slot()
    def show_local(self) -> None:
        """The "Run a model on this computer" step; looks for a starter the first time."""
        self.stack.setCurrentIndex(1)
        if self.facts is None and self.job_id is None:
            self.find()

    def find(self) -> None:
        self._clear_picks()
        self.retry_button.setVisible(False)
        self.go_button.setEnabled(False)
        self.machine_label.setText(self.tr("Looking at this computer…"))
        self.hub_label.setText("")
        self.status.setText(self.tr("Finding a model that fits and a Hub address that answers…"))
        self.finder.find(self.language)

    @Slot()
    def retry(self) -> None:
        if self.job_id is not None and self._job_state() == "failed":
            self.retry_button.setVisible(False)
            self.status.setText(self.tr("Trying again…"))
            self.downloads.retry(self.job_id)
        else:
            self.facts = None
            self.find()

    # -- the starter ------------------------------------------------------------------------------

    def _on_found(self, facts: StarterFacts) -> None:
        self.facts = facts
        if facts.machine is not None:
            self.machine_label.setText(
                self.tr("This computer: {line}").format(line=describe(facts.machine))
            )
        else:
            self.machine_label.setText("")
        if facts.endpoint is not None:
            self._show_endpoint(facts.endpoint)
        rec = facts.recommendation
        if facts.error or rec is None or rec.starter is None:
            self.status.setText(
                facts.error
                or self.tr(
                    "No model in the catalogue fits this computer; you can still search the Hub "
                    "or use a cloud service."
                )
            )
            self.retry_button.setVisible(True)
            return
        self._clear_picks()
        labels = (
            (rec.starter, "Recommended", self.tr("Recommended")),
            (rec.smaller, "Smaller", self.tr("Smaller")),
            (rec.larger, "Larger", self.tr("Larger")),
        )
        for pick, key, kind in labels:
            if pick is None:
                continue
            button = QRadioButton(self._pick_text(pick, kind), objectName=f"welcomePick{key}")
            button.setProperty(PICK_ROLE, pick)
            button.setToolTip(pick.fit.explain())
            self.pick_group.addButton(button)
            self.picks_layout.addWidget(button)
        self.pick_group.buttons()[0].setChecked(True)
        self.status.setText("")
        self.go_button.setEnabled(True)
        self.go_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _pick_text(self, pick: Pick, kind: str) -> str:
        e = pick.entry
        names = [language_name(code) for code in e.languages[:4]]
        languages = self.tr(", ").join(names) + ("…" if len(e.languages) > 4 else "")
        fit = {
            "full_gpu": self.tr("runs on the graphics card"),
            "partial": self.tr("partly on the graphics card"),
            "cpu": self.tr("runs on the processor"),
        }.get(pick.fit.verdict, self.tr("may not fit"))
        return self.tr(
            "{kind}: {name} — {size}, {fit}\nlanguages: {languages} · licence: {licence}"
        ).format(
            kind=kind,
            name=e.name,
            size=human_size(pick.size),
            fit=fit,
            languages=languages,
            licence=e.licence,
        )

    def _clear_picks(self) -> None:
        for button in self.pick_group.buttons():
            self.pick_group.removeButton(button)
            button.deleteLater()

    def _show_endpoint(self, endpoint: str) -> None:
        host = endpoint.split("://", 1)[-1]
        self.hub_label.setText(
            self.tr("Models come from {host} (<a href='settings'>change</a>)").format(host=host)
        )
        self.hub_label.setToolTip(endpoint)

    def chosen_pick(self) -> Pick | None:
        button = self.pick_group.checkedButton()
        return button.property(PICK_ROLE) if button is not None else None

    # -- downloading ------------------------------------------------------------------------------

    @Slot()
    def download_and_chat(self) -> None:
        pick = self.chosen_pick()
        if pick is None:
            return
        try:
            self.job_id = self.downloads.download(pick.repo_id, pick.file, pick.revision)
        except Exception as exc:  # unsafe names from the server, a full disk: one sentence
            self.status.setText(str(exc))
            return
        self.go_button.setEnabled(False)
        self.back_button.setEnabled(False)
        for button in self.pick_group.buttons():
            button.setEnabled(False)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText(self.tr("Downloading {name}…").format(name=pick.entry.name))
        self._on_jobs(self.downloads.jobs())

    def busy(self) -> bool:
        """Whether a starter is being downloaded."""
        return self.job_id is not None and self._job_state() not in ("done", "failed", None)

    def _job(self):
        return next((j for j in self.downloads.jobs() if j.id == self.job_id), None)

    def _job_state(self) -> str | None:
        job = self._job()
        return job.state if job is not None else None

    def _on_jobs(self, _jobs: list) -> None:
        job = self._job() if self.job_id is not None else None
        if job is None:
            return
        if job.total_bytes:
            self.progress.setValue(int(1000 * job.done_bytes / job.total_bytes))
        if job.state == "failed":
            self.status.setText(job.error or self.tr("The download failed."))
            self.retry_button.setVisible(True)
        elif job.state == "verifying":
            self.status.setText(self.tr("Checking the download…"))
        elif job.state == "running" and job.total_bytes:
            self.status.setText(
                self.tr("Downloading: {done} of {total}").format(
                    done=human_size(job.done_bytes), total=human_size(job.total_bytes)
                )
            )

    def _on_finished(self, job) -> None:
        if job.id != self.job_id or not job.dest_paths:
            return
        self.progress.setValue(1000)
        self.status.setText(self.tr("Downloaded; opening the chat…"))
        self.model_ready.emit(str(job.dest_paths[0]))
