"""The download queue: one row per download with progress, speed, time left and its buttons.

The rows are refreshed from the controller's snapshot (twice a second). A queue holds a handful
of downloads, so plain widgets per row are simpler than a delegate and keep every button a real,
focusable, screen-reader-visible button.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.downloads.manager import JobSnapshot
from workbench.core.units import human_duration, human_size
from workbench.qt.hub import DownloadsController


def time_left(seconds: float | None) -> str:
    """A time left for a download: the duration, or "—" while it is unknown."""
    if seconds is None or seconds != seconds or seconds < 0:
        return "—"
    return human_duration(seconds)


class JobRow(QFrame):
    """One download: name, progress bar, a status line, and the buttons its state allows."""

    def __init__(self, job_id: str, controller: DownloadsController, parent=None) -> None:
        super().__init__(parent)
        self.job_id = job_id
        self.controller = controller
        self.setObjectName(f"download-{job_id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = QLabel(objectName="downloadName")
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.progress = QProgressBar(objectName="downloadProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.detail = QLabel(objectName="downloadDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pause_button = QPushButton(self.tr("Pause"), objectName="pauseButton")
        self.resume_button = QPushButton(self.tr("Resume"), objectName="resumeButton")
        self.retry_button = QPushButton(self.tr("Retry"), objectName="retryButton")
        self.cancel_button = QPushButton(self.tr("Cancel"), objectName="cancelButton")
        self.remove_button = QPushButton(self.tr("Remove"), objectName="removeButton")
        buttons = QHBoxLayout()
        buttons.addWidget(self.detail, 1)
        for b in (
            self.pause_button,
            self.resume_button,
            self.retry_button,
            self.cancel_button,
            self.remove_button,
        ):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.pause_button.clicked.connect(lambda: controller.pause(job_id))
        self.resume_button.clicked.connect(lambda: controller.resume(job_id))
        self.retry_button.clicked.connect(lambda: controller.retry(job_id))
        self.cancel_button.clicked.connect(self._cancel)
        self.remove_button.clicked.connect(lambda: controller.remove(job_id))

    def _cancel(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("Cancel download"),
            self.tr("Cancel this download and delete what has been downloaded so far?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.controller.cancel(self.job_id, remove_partial=True)

    def update_job(self, job: JobSnapshot) -> None:
        self.name.setText(f"{job.label}  ·  {job.repo_id}")
        fraction = job.done_bytes / job.total_bytes if job.total_bytes else 0.0
        self.progress.setValue(int(fraction * 1000))
        self.progress.setAccessibleName(
            self.tr("{name}: {percent} % downloaded").format(
                name=job.label, percent=self.locale().toString(int(fraction * 100))
            )
        )
        done, total = human_size(job.done_bytes), human_size(job.total_bytes)
        state = job.state
        # Whole sentences for each state, so that a translation can order the figures freely.
        if state == "running" and job.waiting:
            text = self.tr(
                "Waiting for another download of this file to finish · {done} of {total}"
            ).format(done=done, total=total)
        elif state == "running" and job.eta_s is not None:
            text = self.tr("{done} of {total} · {speed}/s · {eta} left").format(
                done=done,
                total=total,
                speed=human_size(int(job.speed_bps)),
                eta=time_left(job.eta_s),
            )
        elif state == "running":
            text = self.tr("{done} of {total} · {speed}/s").format(
                done=done, total=total, speed=human_size(int(job.speed_bps))
            )
        elif state == "queued":
            text = self.tr("Waiting · {done} of {total}").format(done=done, total=total)
        elif state == "verifying":
            text = self.tr("Checking the file against the Hub's checksum…")
        elif state == "paused":
            text = self.tr("Paused · {done} of {total}").format(done=done, total=total)
        elif state == "done":
            text = self.tr("Done · verified · in your library")
        elif state == "cancelled":
            text = self.tr("Cancelled")
        else:
            text = job.error or self.tr("The download failed.")
        self.detail.setText(text)
        self.pause_button.setVisible(state in ("queued", "running", "verifying"))
        self.resume_button.setVisible(state == "paused")
        self.retry_button.setVisible(state == "failed")
        self.cancel_button.setVisible(
            state in ("queued", "running", "verifying", "paused", "failed")
        )
        self.remove_button.setVisible(state in ("done", "cancelled", "failed"))


class DownloadsView(QWidget):
    """Every download in the queue, newest last."""

    def __init__(self, controller: DownloadsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.rows: dict[str, JobRow] = {}
        self.empty = QLabel(self.tr("No downloads. Find models on the Discover page."))
        self.empty.setObjectName("downloadsEmpty")
        self.inner = QWidget()
        self.list_layout = QVBoxLayout(self.inner)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)
        scroll = QScrollArea(objectName="downloadsScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        controller.jobs_changed.connect(self.show_jobs)
        self.show_jobs(controller.jobs())

    def show_jobs(self, jobs: list[JobSnapshot]) -> None:
        seen = set()
        for job in jobs:
            seen.add(job.id)
            row = self.rows.get(job.id)
            if row is None:
                row = JobRow(job.id, self.controller, self.inner)
                self.rows[job.id] = row
                self.list_layout.insertWidget(self.list_layout.count() - 1, row)
            row.update_job(job)
        for job_id in list(self.rows):
            if job_id not in seen:
                self.rows.pop(job_id).deleteLater()
        self.empty.setVisible(not jobs)
