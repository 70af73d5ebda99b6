"""Settings: where the Hub is (the default, the hf-mirror.com mirror, or any URL), the models
folder, and the Hugging Face access token (kept in the system keychain, never in a file).

Endpoint and folder apply when the user presses OK, without a restart. The token is saved or
deleted at once, off the GUI thread; the dialog shows the outcome in a sentence.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core import secrets
from workbench.core.settings import (
    HUB_DEFAULT,
    HUB_MIRROR,
    SettingsError,
    endpoint_preset,
    normalize_endpoint,
    save_settings,
)
from workbench.qt.cloud import CloudSession
from workbench.qt.hub import HubSession
from workbench.qt.server import ServerController
from workbench.ui.settings.computer import ComputerPage
from workbench.ui.settings.language import LanguageBox
from workbench.ui.settings.providers import PricesPage, ProvidersPage
from workbench.ui.settings.server import ServerPage

log = logging.getLogger(__name__)


class SettingsDialog(QDialog):
    """Tabs: Hub and models; Providers and Prices (when a cloud session is given); Local
    server (when a server controller is given); This computer.

    ``page`` opens a tab ("hub", "providers", "prices", "server", "computer");
    ``provider_id`` selects a provider.

    Signals:
        restart_requested(): the settings were saved and the user asked to restart Workbench
            now (a new language applies after a restart).
    """

    restart_requested = Signal()

    def __init__(
        self,
        session: HubSession,
        parent: QWidget | None = None,
        cloud: CloudSession | None = None,
        *,
        page: str = "hub",
        provider_id: str | None = None,
        server: ServerController | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.cloud = cloud
        self.setWindowTitle(self.tr("Settings"))
        self.setObjectName("settingsDialog")
        self._build()
        self._load()
        if cloud is not None:
            self.providers = ProvidersPage(cloud, self)
            self.prices = PricesPage(cloud, self)
            self.tabs.addTab(self.providers, self.tr("Providers"))
            self.tabs.addTab(self.prices, self.tr("Prices"))
            if provider_id:
                self.providers.select(provider_id)
            if page == "providers":
                self.tabs.setCurrentWidget(self.providers)
            elif page == "prices":
                self.tabs.setCurrentWidget(self.prices)
        if server is not None:
            self.server = ServerPage(server, self)
            self.tabs.addTab(self.server, self.tr("Local server"))
            if page == "server":
                self.tabs.setCurrentWidget(self.server)
        self.computer = ComputerPage(self)
        self.tabs.addTab(self.computer, self.tr("This computer"))
        if page == "computer":
            self.tabs.setCurrentWidget(self.computer)
        session.token_changed.connect(self._on_token_changed)
        session.token_failed.connect(self._on_token_failed)

    def _build(self) -> None:
        hub = QGroupBox(self.tr("Hugging Face Hub"))
        self.official = QRadioButton(self.tr("huggingface.co (default)"), objectName="hubOfficial")
        self.mirror = QRadioButton(
            self.tr("hf-mirror.com — a mirror that is reachable from mainland China"),
            objectName="hubMirror",
        )
        self.custom = QRadioButton(self.tr("Another address:"), objectName="hubCustom")
        self.custom_url = QLineEdit(objectName="hubCustomUrl")
        self.custom_url.setPlaceholderText("https://")
        self.custom_url.setAccessibleName(self.tr("Hub address"))
        self.group = QButtonGroup(self)
        for b in (self.official, self.mirror, self.custom):
            self.group.addButton(b)
        custom_row = QHBoxLayout()
        custom_row.addWidget(self.custom)
        custom_row.addWidget(self.custom_url, 1)
        self.env_note = QLabel(objectName="hubEnvNote")
        self.env_note.setWordWrap(True)
        self.endpoint_error = QLabel(objectName="endpointError")
        self.endpoint_error.setWordWrap(True)
        self.endpoint_error.setStyleSheet("color: palette(highlight);")
        hub_layout = QVBoxLayout(hub)
        hub_layout.addWidget(self.official)
        hub_layout.addWidget(self.mirror)
        hub_layout.addLayout(custom_row)
        hub_layout.addWidget(self.env_note)
        hub_layout.addWidget(self.endpoint_error)
        self.token_to_mirror = QCheckBox(
            self.tr("Also send my access token to addresses other than huggingface.co"),
            objectName="hubTokenToMirror",
        )
        hub_layout.addWidget(self.token_to_mirror)

        token = QGroupBox(self.tr("Access token (for gated and private models)"))
        self.token_edit = QLineEdit(objectName="hfTokenEdit")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText("hf_…")
        self.token_edit.setAccessibleName(self.tr("Hugging Face access token"))
        self.save_token_button = QPushButton(self.tr("Save token"), objectName="saveTokenButton")
        self.delete_token_button = QPushButton(
            self.tr("Delete token"), objectName="deleteTokenButton"
        )
        row = QHBoxLayout()
        row.addWidget(self.token_edit, 1)
        row.addWidget(self.save_token_button)
        row.addWidget(self.delete_token_button)
        self.token_status = QLabel(objectName="tokenStatus")
        self.token_status.setWordWrap(True)
        token_layout = QVBoxLayout(token)
        token_layout.addLayout(row)
        token_layout.addWidget(self.token_status)

        folder = QGroupBox(self.tr("Models folder"))
        self.folder_edit = QLineEdit(objectName="modelsFolderEdit")
        self.folder_edit.setAccessibleName(self.tr("Models folder"))
        browse = QPushButton(self.tr("Choose…"), objectName="chooseFolderButton")
        browse.clicked.connect(self._choose_folder)
        folder_row = QFormLayout(folder)
        inner = QHBoxLayout()
        inner.addWidget(self.folder_edit, 1)
        inner.addWidget(browse)
        folder_row.addRow(inner)
        folder_row.addRow(
            QLabel(self.tr("Downloads go here; files already in it are listed in the Library."))
        )

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        start = QGroupBox(self.tr("At start"))
        self.load_last_model = QCheckBox(
            self.tr("Load the last model at start"), objectName="loadLastModel"
        )
        QVBoxLayout(start).addWidget(self.load_last_model)

        self.language = LanguageBox(self.session.settings.language, self)
        self.language.restart_requested.connect(self._restart)

        hub_page = QWidget()
        hub_layout = QVBoxLayout(hub_page)
        hub_layout.addWidget(self.language)
        hub_layout.addWidget(start)
        hub_layout.addWidget(hub)
        hub_layout.addWidget(token)
        hub_layout.addWidget(folder)
        hub_layout.addStretch(1)
        self.tabs = QTabWidget(objectName="settingsTabs")
        self.tabs.addTab(hub_page, self.tr("General"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

        self.save_token_button.clicked.connect(self._save_token)
        self.delete_token_button.clicked.connect(self._delete_token)
        self.custom_url.textEdited.connect(lambda _t: self.custom.setChecked(True))
        self.resize(720, self.sizeHint().height())

    def _load(self) -> None:
        current = self.session.endpoint()
        preset = endpoint_preset(current)
        {"huggingface": self.official, "mirror": self.mirror}.get(preset, self.custom).setChecked(
            True
        )
        if preset == "custom":
            self.custom_url.setText(current)
        env = os.environ.get("HF_ENDPOINT")
        self.env_note.setVisible(bool(env))
        if env:
            self.env_note.setText(
                self.tr(
                    "HF_ENDPOINT is set to {env}; it is used until you choose an address here."
                ).format(env=env)
            )
        self.endpoint_error.setVisible(False)
        self.token_to_mirror.setChecked(self.session.settings.hub_token_to_mirror)
        self.folder_edit.setText(str(self.session.models_dir()))
        self.load_last_model.setChecked(self.session.settings.load_last_model)
        self._on_token_changed(self.session.has_token())

    # -- token ------------------------------------------------------------------------------------

    def _save_token(self) -> None:
        text = self.token_edit.text().strip()
        if not text:
            self.token_status.setText(self.tr("Paste a token first."))
            return
        self.token_status.setText(self.tr("Saving in the system keychain…"))
        self.session.save_token(text)

    def _delete_token(self) -> None:
        self.token_status.setText(self.tr("Deleting…"))
        self.session.delete_token()

    @Slot(bool)
    def _on_token_changed(self, has_token: bool) -> None:
        self.token_edit.clear()
        keychain = secrets.keyring_available()
        self.save_token_button.setEnabled(keychain)
        self.token_edit.setEnabled(keychain)
        if os.environ.get("HF_TOKEN"):
            self.token_status.setText(self.tr("HF_TOKEN from the environment is used."))
        elif not keychain:
            self.token_status.setText(
                self.tr(
                    "No system keychain is available on this computer, so Workbench cannot keep "
                    "a token; set HF_TOKEN in the environment instead."
                )
            )
        elif has_token:
            self.token_status.setText(self.tr("A token is saved in the system keychain."))
        else:
            self.token_status.setText(
                self.tr(
                    "No token: public models only. Create one on the Hub under Settings → "
                    "Access Tokens."
                )
            )
        self.delete_token_button.setEnabled(has_token)

    @Slot(str)
    def _on_token_failed(self, message: str) -> None:
        self.token_status.setText(message)

    # -- folder -----------------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Models folder"), self.folder_edit.text()
        )
        if folder:
            self.folder_edit.setText(folder)

    # -- applying ---------------------------------------------------------------------------------

    def chosen_endpoint(self) -> str | None:
        """The endpoint the dialog says; raises SettingsError for a bad custom address."""
        if self.official.isChecked():
            return None
        if self.mirror.isChecked():
            return HUB_MIRROR
        return normalize_endpoint(self.custom_url.text())

    def _restart(self) -> None:
        """Save like OK, then ask for the restart; a setting that cannot be used keeps the
        dialog open with its sentence, as OK does."""
        self.accept()
        if self.result() == QDialog.DialogCode.Accepted:
            self.restart_requested.emit()

    def accept(self) -> None:  # Qt override
        try:
            endpoint = self.chosen_endpoint()
        except SettingsError as exc:
            self.endpoint_error.setText(str(exc))
            self.endpoint_error.setVisible(True)
            self.custom_url.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        # "huggingface.co" is saved as a choice too, so HF_ENDPOINT stops applying once chosen.
        chosen = endpoint if endpoint is not None else HUB_DEFAULT
        self.session.settings.hub_token_to_mirror = self.token_to_mirror.isChecked()
        if chosen != self.session.endpoint() or self.session.settings.hub_endpoint != chosen:
            self.session.set_endpoint(chosen)  # saves the settings, the token choice too
        else:
            self.session.set_token_to_mirror(self.token_to_mirror.isChecked())
        folder = self.folder_edit.text().strip()
        if folder and folder != str(self.session.models_dir()):
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as exc:
                self.endpoint_error.setText(
                    self.tr("The models folder cannot be created: {reason}").format(
                        reason=exc.strerror or exc
                    )
                )
                self.endpoint_error.setVisible(True)
                return
            self.session.set_models_dir(folder)
        settings = self.session.settings
        changed = self.load_last_model.isChecked() != settings.load_last_model
        changed = changed or self.language.choice() != settings.language
        if changed:
            settings.load_last_model = self.load_last_model.isChecked()
            settings.language = self.language.choice()
            try:
                save_settings(settings)
            except OSError as exc:
                log.warning("could not save the settings: %s", exc)
        super().accept()
