"""Settings › This computer: memory, graphics card, and whether this build can use it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.core.machine import Machine, describe, gpu_advice
from workbench.core.units import human_size
from workbench.qt.jobs import JobRunner


def _value(name: str) -> QLabel:
    label = QLabel(objectName=name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ComputerPage(QWidget):
    """The facts the fit estimates and the starter recommendation use, measured in a job."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("computerPage")
        self.jobs = JobRunner(self)
        self.machine: Machine | None = None
        self.summary = _value("computerSummary")
        self.memory = _value("computerMemory")
        self.gpu = _value("computerGpu")
        self.build = _value("computerBuild")
        self.advice = _value("computerAdvice")
        self.refresh_button = QPushButton(self.tr("Measure again"), objectName="computerRefresh")
        form = QFormLayout()
        form.addRow(self.tr("Memory"), self.memory)
        form.addRow(self.tr("Graphics card"), self.gpu)
        form.addRow(self.tr("This build"), self.build)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.advice)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        from workbench.core.machine import detect_machine

        self.summary.setText(self.tr("Measuring…"))
        self.jobs.run(detect_machine, self._show, self._failed, slot="measure")

    def _failed(self, exc: Exception) -> None:
        self.summary.setText(
            self.tr("This computer could not be measured: {reason}").format(reason=exc)
        )

    def _show(self, machine: Machine) -> None:
        self.machine = machine
        m = machine.memory
        self.summary.setText(describe(machine))
        self.memory.setText(
            self.tr("{total} ({free} free now)").format(
                total=human_size(m.ram_total), free=human_size(m.ram_available)
            )
        )
        if m.gpus:
            self.gpu.setText(
                "\n".join(
                    self.tr("{name}: {total} ({free} free)").format(
                        name=g.name, total=human_size(g.total_bytes), free=human_size(g.free_bytes)
                    )
                    for g in m.gpus
                )
            )
        else:
            self.gpu.setText(self.tr("None found that Workbench can use"))
        self.build.setText(
            self.tr("Can put models on a graphics card")
            if machine.gpu_build
            else self.tr("Runs models on the processor only")
        )
        advice = gpu_advice(machine)
        self.advice.setText(advice)
        self.advice.setVisible(bool(advice))
