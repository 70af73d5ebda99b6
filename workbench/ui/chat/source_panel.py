"""Where replies come from: the local model, or a cloud provider and one of its models.

Sits above the model panel. Choosing a provider hides the local model's file and loading
controls (the sampling settings and system prompt below stay: they apply to both) and shows the
provider's models — fetched from its ``/models`` on a worker thread, with free typing for a model
the list doesn't have — a "Test connection" button, and where the key comes from.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.core.cloud.backend import CloudError
from workbench.core.i18n import translate
from workbench.qt.cloud import CloudSession
from workbench.qt.jobs import JobRunner

LOCAL = "local"
ADD = "__add__"


class SourcePanel(QWidget):
    """Signals:
    source_changed(str): "local" or a provider id.
    model_changed(): the cloud model changed (chosen or typed).
    manage_requested(str): open the provider settings (a provider id, or "" to add one).
    """

    source_changed = Signal(str)
    model_changed = Signal()
    manage_requested = Signal(str)

    def __init__(self, cloud: CloudSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cloud = cloud
        self.jobs = JobRunner(self)
        self._source = LOCAL
        self._quiet = 0
        self._build()
        self.reload_providers()
        cloud.providers_changed.connect(self.reload_providers)
        cloud.key_changed.connect(self._on_key_changed)
        cloud.key_failed.connect(lambda _pid, message: self.status.setText(message))

    def _build(self) -> None:
        self.picker = QComboBox(objectName="sourcePicker")
        self.picker.setAccessibleName(self.tr("Where replies come from"))
        self.picker.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout()
        label = QLabel(self.tr("Chat with"))
        label.setBuddy(self.picker)
        row.addWidget(label)
        row.addWidget(self.picker, 1)

        self.group = QGroupBox(self.tr("Cloud model"), objectName="cloudGroup")
        self.model_box = QComboBox(objectName="cloudModel")
        self.model_box.setEditable(True)
        self.model_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model_box.setAccessibleName(self.tr("Model"))
        self.model_box.lineEdit().setPlaceholderText(self.tr("Choose or type a model ID"))
        self.model_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.refresh_button = QPushButton(self.tr("Refresh"), objectName="refreshModelsButton")
        self.refresh_button.setToolTip(self.tr("Ask the provider for its list of models"))
        models_row = QHBoxLayout()
        models_row.addWidget(self.model_box, 1)
        models_row.addWidget(self.refresh_button)
        self.key_label = QLabel(objectName="cloudKeyLabel")
        self.key_label.setWordWrap(True)
        self.key_label.setTextFormat(Qt.TextFormat.RichText)
        self.test_button = QPushButton(
            self.tr("Test connection"), objectName="testConnectionButton"
        )
        self.status = QLabel(objectName="cloudStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName(self.tr("Connection status"))
        layout = QVBoxLayout(self.group)
        layout.addLayout(models_row)
        layout.addWidget(self.key_label)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        layout.addWidget(self.status)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(9, 6, 9, 0)
        outer.addLayout(row)
        outer.addWidget(self.group)
        self.group.setVisible(False)

        self.picker.activated.connect(self._on_picked)
        self.refresh_button.clicked.connect(self.fetch_models)
        self.test_button.clicked.connect(self.test_connection)
        self.model_box.currentTextChanged.connect(self._on_model_text)
        self.model_box.lineEdit().editingFinished.connect(self.commit_model)
        self.model_box.activated.connect(lambda _i: self.commit_model())
        self.key_label.linkActivated.connect(lambda _l: self.manage_requested.emit(self._source))

    # -- providers --------------------------------------------------------------------------------

    @Slot()
    def reload_providers(self) -> None:
        current = self._source
        self._quiet += 1
        try:
            self.picker.clear()
            self.picker.addItem(self.tr("This computer (local model)"), LOCAL)
            for p in self.cloud.providers():
                self.picker.addItem(p.name, p.id)
            self.picker.addItem(self.tr("Add a provider…"), ADD)
            index = self.picker.findData(current)
        finally:
            self._quiet -= 1
        if index < 0:
            self.set_source(LOCAL)
        else:
            self.picker.setCurrentIndex(index)
            if current != LOCAL:
                self._fill_models(current)

    def _on_picked(self, index: int) -> None:
        data = self.picker.itemData(index)
        if data == ADD:
            self.picker.setCurrentIndex(self.picker.findData(self._source))
            self.manage_requested.emit("")
            return
        self.set_source(data)

    def source(self) -> str:
        return self._source

    def set_source(self, source: str) -> None:
        """Show the local model or a provider; unknown providers fall back to local."""
        if source != LOCAL and self.cloud.provider(source) is None:
            source = LOCAL
        changed = source != self._source
        self._source = source
        self._quiet += 1
        try:
            self.picker.setCurrentIndex(max(0, self.picker.findData(source)))
        finally:
            self._quiet -= 1
        self.group.setVisible(source != LOCAL)
        self.status.clear()
        if source != LOCAL:
            self._fill_models(source)
            self._show_key(source)
            provider = self.cloud.provider(source)
            if provider is not None and not provider.models:
                self.fetch_models()
        if changed:
            self.source_changed.emit(source)

    # -- models -----------------------------------------------------------------------------------

    def cloud_model(self) -> str:
        return self.model_box.currentText().strip()

    def _fill_models(self, provider_id: str) -> None:
        provider = self.cloud.provider(provider_id)
        if provider is None:
            return
        names = list(dict.fromkeys([*provider.models, *provider.manual_models]))
        chosen = provider.starting_model()
        self._quiet += 1
        try:
            self.model_box.clear()
            self.model_box.addItems(names)
            self.model_box.setEditText(chosen)
        finally:
            self._quiet -= 1

    def set_cloud_model(self, model: str) -> None:
        self.model_box.setEditText(model)

    def _on_model_text(self, _text: str) -> None:
        if not self._quiet and self._source != LOCAL:
            self.model_changed.emit()

    def commit_model(self) -> None:
        """Remember the model for this provider (on Enter, on leaving the field, on a choice
        from the list, and when a message is sent) — not on every keystroke."""
        if self._quiet or self._source == LOCAL:
            return
        provider = self.cloud.provider(self._source)
        text = self.cloud_model()
        if provider is None or not text or provider.model == text:
            return
        provider.model = text
        if text not in provider.models and text not in provider.manual_models:
            provider.manual_models.append(text)  # typed by hand: offered again next time
        self.cloud.store.update(provider)

    @Slot()
    def fetch_models(self) -> None:
        """Ask the provider for its models (worker thread)."""
        provider_id = self._source
        if provider_id == LOCAL:
            return
        self.status.setText(self.tr("Asking for the list of models…"))
        cloud = self.cloud

        def work() -> list[str]:
            backend = cloud.backend(provider_id, "")
            try:
                return backend.list_models()
            finally:
                backend.close()

        # Listing and testing share one slot: only the latest answer reaches the status line.
        self.jobs.run(
            work,
            lambda models: self._on_models(provider_id, models),
            self._on_failed,
            slot="provider",
        )

    def _on_models(self, provider_id: str, models: list[str]) -> None:
        provider = self.cloud.provider(provider_id)
        if provider is None:
            return
        provider.models = list(models)
        self.cloud.store.update(provider)
        if provider_id == self._source:
            typed = self.cloud_model()
            self._fill_models(provider_id)
            if typed:
                self.model_box.setEditText(typed)
            self.status.setText(
                self.tr("{n} models available.").format(n=self.locale().toString(len(models)))
                if models
                else self.tr("The provider listed no models; type the model ID.")
            )

    def _on_failed(self, exc: Exception) -> None:
        self.status.setText(_sentence(exc))

    @Slot()
    def test_connection(self) -> None:
        provider_id, model = self._source, self.cloud_model()
        if provider_id == LOCAL:
            return
        self.status.setText(self.tr("Testing…"))
        self.test_button.setEnabled(False)
        cloud = self.cloud

        def work() -> str:
            backend = cloud.backend(provider_id, model)
            try:
                return backend.test_connection(model or None)
            finally:
                backend.close()

        def done(message: str) -> None:
            self.test_button.setEnabled(True)
            self.status.setText(message)

        def failed(exc: Exception) -> None:
            self.test_button.setEnabled(True)
            self._on_failed(exc)

        # A test superseded by a newer request never reports: give the button back then.
        self.jobs.run(
            work, done, failed, slot="provider", cancel=lambda: self.test_button.setEnabled(True)
        )

    # -- key --------------------------------------------------------------------------------------

    def _on_key_changed(self, provider_id: str) -> None:
        if provider_id == self._source:
            self._show_key(provider_id)

    def _show_key(self, provider_id: str) -> None:
        source = self.cloud.key_source(provider_id)
        link = self.tr("<a href='settings'>Settings</a>")
        if source == "keychain":
            text = self.tr("Key: in the system keychain ({link}).").format(link=link)
        elif source == "environment":
            text = self.tr("Key: from the environment, for this session ({link}).").format(
                link=link
            )
        elif source == "file":
            text = self.tr("Key: in Workbench's key file ({link}).").format(link=link)
        elif source == "session":
            text = self.tr("Key: in use until you close Workbench, not saved ({link}).").format(
                link=link
            )
        elif not self.cloud.needs_key(provider_id):
            text = self.tr("No key needed for a server on your own machine ({link}).").format(
                link=link
            )
        elif not self.cloud.key_loaded(provider_id):
            text = self.tr("Reading the key…")
        else:
            text = self.tr("No key yet: add it in {link}.").format(link=link)
        self.key_label.setText(text)

    # -- state ------------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {"source": self._source, "cloud_model": self.cloud_model()}

    def set_state(self, state: object) -> None:
        if not isinstance(state, dict):
            return
        source = state.get("source")
        self.set_source(source if isinstance(source, str) else LOCAL)
        model = state.get("cloud_model")
        if isinstance(model, str) and model and self._source != LOCAL:
            self._quiet += 1
            try:
                self.model_box.setEditText(model)
            finally:
                self._quiet -= 1


def _sentence(exc: Exception) -> str:
    if isinstance(exc, CloudError):
        return str(exc)
    return translate(
        "SourcePanel",
        "Something went wrong while talking to the provider; the details are in the log file.",
    )
