"""Settings › Local server: other programs use the chat's model through an OpenAI-style API.

The page starts and stops the server, says what it serves and where (with the address to copy),
holds its settings and API key, and shows its requests as they come. The settings apply the
next time the server starts, so they are locked while it runs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.qt.server import LOCALHOST, ServerController


class ServerPage(QWidget):
    """The local server's controls, status and request log, over a :class:`ServerController`."""

    def __init__(self, controller: ServerController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverPage")
        self.controller = controller
        self._build()
        self._load()
        controller.state_changed.connect(self._refresh)
        controller.key_changed.connect(self._show_key)
        controller.key_failed.connect(self.key_status.setText)
        self._refresh()
        self._show_key()
        if self.network.isChecked():
            controller.find_addresses()

    def _build(self) -> None:
        self.status = QLabel(objectName="serverStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_url_button = QPushButton(self.tr("Copy address"), objectName="serverCopyUrl")
        self.start_button = QPushButton(objectName="serverStartStop")
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.copy_url_button)
        status_row.addWidget(self.start_button)

        self.port = QSpinBox(objectName="serverPort")
        self.port.setRange(1, 65535)
        self.port.setAccessibleName(self.tr("Port"))
        self.local_only = QRadioButton(
            self.tr("This computer only ({address})").format(address=LOCALHOST),
            objectName="serverLocalOnly",
        )
        self.network = QRadioButton(
            self.tr("The network: other computers can connect with the API key"),
            objectName="serverNetwork",
        )
        self.listen_group = QButtonGroup(self)
        self.listen_group.addButton(self.local_only)
        self.listen_group.addButton(self.network)
        self.addresses = QLabel(objectName="serverAddresses")
        self.addresses.setWordWrap(True)
        self.addresses.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        listen = QVBoxLayout()
        listen.addWidget(self.local_only)
        listen.addWidget(self.network)
        listen.addWidget(self.addresses)

        self.key_edit = QLineEdit(objectName="serverKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName(self.tr("API key of the server"))
        self.key_edit.setPlaceholderText(self.tr("Generate a key, or type your own"))
        self.generate_key_button = QPushButton(self.tr("Generate"), objectName="serverGenerateKey")
        self.copy_key_button = QPushButton(self.tr("Copy"), objectName="serverCopyKey")
        self.clear_key_button = QPushButton(self.tr("Clear"), objectName="serverClearKey")
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.generate_key_button)
        key_row.addWidget(self.copy_key_button)
        key_row.addWidget(self.clear_key_button)
        self.key_status = QLabel(objectName="serverKeyStatus")
        self.key_status.setWordWrap(True)

        self.origins = QLineEdit(objectName="serverOrigins")
        self.origins.setAccessibleName(self.tr("Allowed web origins (CORS)"))
        self.origins.setPlaceholderText("http://localhost:3000, https://example.com")
        self.expose_cloud = QCheckBox(
            self.tr("Also offer my cloud models, as provider/model (their keys stay in Workbench)"),
            objectName="serverExposeCloud",
        )

        port_row = QHBoxLayout()
        port_row.addWidget(self.port)
        port_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Port"), port_row)
        form.addRow(self.tr("Listen on"), listen)
        form.addRow(self.tr("API key"), key_row)
        form.addRow("", self.key_status)
        form.addRow(self.tr("Web pages allowed"), self.origins)
        origins_note = QLabel(
            self.tr(
                "Web pages at these addresses (comma-separated) may call the server from a "
                "browser; leave it empty to allow none."
            )
        )
        origins_note.setWordWrap(True)
        form.addRow("", origins_note)
        form.addRow("", self.expose_cloud)
        self.settings_box = QGroupBox(self.tr("Settings (stop the server to change them)"))
        self.settings_box.setObjectName("serverSettings")
        self.settings_box.setLayout(form)

        self.autostart = QCheckBox(
            self.tr("Start the server with Workbench"), objectName="serverAutostart"
        )

        self.table = QTableView(objectName="serverLog")
        self.table.setModel(self.controller.log)
        self.table.setAccessibleName(self.tr("Requests"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        log_box = QGroupBox(self.tr("Requests"))
        QVBoxLayout(log_box).addWidget(self.table)

        layout = QVBoxLayout(self)
        layout.addLayout(status_row)
        layout.addWidget(self.settings_box)
        layout.addWidget(self.autostart)
        layout.addWidget(log_box, 1)

        self.start_button.clicked.connect(self._start_or_stop)
        self.copy_url_button.clicked.connect(self._copy_url)
        self.port.valueChanged.connect(self._port_changed)
        self.network.toggled.connect(self._network_toggled)
        self.origins.editingFinished.connect(
            lambda: self.controller.update_settings(cors_origins=self.origins.text().strip())
        )
        self.expose_cloud.toggled.connect(
            lambda on: self.controller.update_settings(expose_cloud=on)
        )
        self.autostart.toggled.connect(lambda on: self.controller.update_settings(autostart=on))
        self.generate_key_button.clicked.connect(self._generate_key)
        self.copy_key_button.clicked.connect(self._copy_key)
        self.clear_key_button.clicked.connect(self._clear_key)
        self.key_edit.editingFinished.connect(self._key_edited)

    def _load(self) -> None:
        settings = self.controller.settings
        for widget in (self.port, self.network, self.origins, self.expose_cloud, self.autostart):
            widget.blockSignals(True)
        self.port.setValue(settings.port)
        (self.network if settings.network else self.local_only).setChecked(True)
        self.origins.setText(settings.cors_origins)
        self.expose_cloud.setChecked(settings.expose_cloud)
        self.autostart.setChecked(settings.autostart)
        for widget in (self.port, self.network, self.origins, self.expose_cloud, self.autostart):
            widget.blockSignals(False)

    # -- start and stop ---------------------------------------------------------------------------

    @Slot()
    def _start_or_stop(self) -> None:
        if self.controller.state == "stopped":
            # A port typed but not yet confirmed with Enter counts too.
            self.port.interpretText()
            self.controller.update_settings(
                port=self.port.value(), cors_origins=self.origins.text().strip()
            )
            self.controller.start()
        else:
            self.controller.stop()

    @Slot()
    def _refresh(self) -> None:
        c = self.controller
        self.status.setText(c.status())
        failed = c.state == "stopped" and c.error is not None
        self.status.setProperty("error", failed)
        # The error colour the other settings pages use.
        self.status.setStyleSheet("color: palette(highlight);" if failed else "")
        stopped = c.state == "stopped"
        self.start_button.setText(self.tr("Start") if stopped else self.tr("Stop"))
        self.start_button.setEnabled(c.state in ("stopped", "running"))
        self.copy_url_button.setEnabled(c.url is not None)
        # Locked while it runs, all but copying the key, which clients need then.
        for widget in (
            self.port,
            self.local_only,
            self.network,
            self.key_edit,
            self.generate_key_button,
            self.origins,
            self.expose_cloud,
        ):
            widget.setEnabled(stopped)
        self.clear_key_button.setEnabled(stopped and bool(c.api_key))
        self._show_addresses()

    def _show_addresses(self) -> None:
        c = self.controller
        if not self.network.isChecked():
            self.addresses.setVisible(False)
            return
        found = c.addresses()
        if found:
            text = self.tr("Other computers reach it at: {addresses}").format(
                addresses=", ".join(found)
            )
        else:
            text = self.tr("This computer has no network address that others can reach.")
        self.addresses.setText(text)
        self.addresses.setVisible(True)

    def _port_changed(self, port: int) -> None:
        self.controller.update_settings(port=port)
        self._show_addresses()  # they name the port

    @Slot()
    def _copy_url(self) -> None:
        if self.controller.url:
            QGuiApplication.clipboard().setText(self.controller.url)

    def _network_toggled(self, on: bool) -> None:
        self.controller.update_settings(network=on)
        if on:
            self.controller.find_addresses()
        self._show_addresses()
        self._show_key()

    # -- the key ----------------------------------------------------------------------------------

    @Slot()
    def _show_key(self) -> None:
        c = self.controller
        self.key_edit.setText(c.api_key or "")
        self.copy_key_button.setEnabled(bool(c.api_key))
        self.clear_key_button.setEnabled(bool(c.api_key) and c.state == "stopped")
        if c.key_source == "session":
            text = self.tr(
                "This computer has no system keychain, so the key is kept until you close "
                "Workbench."
            )
        elif c.api_key:
            text = self.tr(
                "Saved in the system keychain. Clients send it as their API key when the "
                "server listens on the network."
            )
        elif self.network.isChecked():
            text = self.tr("Listening on the network needs a key.")
        else:
            text = self.tr("Needed only when the server listens on the network.")
        self.key_status.setText(text)

    def _generate_key(self) -> None:
        self.key_status.setText(self.tr("Saving…"))
        self.controller.generate_key()

    def _copy_key(self) -> None:
        if self.controller.api_key:
            QGuiApplication.clipboard().setText(self.controller.api_key)
            self.key_status.setText(self.tr("The key is copied."))

    def _clear_key(self) -> None:
        self.controller.clear_key()

    def _key_edited(self) -> None:
        text = self.key_edit.text().strip()
        if text and text != (self.controller.api_key or ""):
            self.key_status.setText(self.tr("Saving…"))
            self.controller.set_key(text)
