"""Settings › Providers and Prices: the cloud services, their keys, and what they cost.

Keys are typed into a password field and go straight to the system keychain (off the GUI
thread); the field is cleared afterwards and never shows a stored key again — it can only be
replaced or deleted. When no keychain exists, the page says so in plain words and the key box
still works: the key is used until Workbench closes, or, when the user chooses it, kept in a
private file in the data folder; the provider's own environment variable is the third way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.cloud.prices import Price
from workbench.core.cloud.providers import (
    PRESETS,
    ProviderError,
    normalize_base_url,
    preset,
    preset_name,
)
from workbench.core.i18n import translate
from workbench.core.keys import FILE_STORE_WARNING
from workbench.qt.cloud import CloudSession
from workbench.qt.jobs import JobRunner

ID_ROLE = Qt.ItemDataRole.UserRole


class ProvidersPage(QWidget):
    def __init__(self, cloud: CloudSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cloud = cloud
        self.jobs = JobRunner(self)
        self._build()
        self.reload()
        cloud.providers_changed.connect(self.reload)
        cloud.key_changed.connect(self._on_key_changed)
        cloud.key_failed.connect(self._on_key_failed)

    def _build(self) -> None:
        self.list = QListWidget(objectName="providerList")
        self.list.setAccessibleName(self.tr("Providers"))
        self.add_button = QPushButton(self.tr("Add…"), objectName="addProviderButton")
        menu = QMenu(self)
        for p in PRESETS:
            action = menu.addAction(preset_name(p))
            action.triggered.connect(lambda _checked=False, pid=p.id: self.add(pid))
        self.add_button.setMenu(menu)
        self.remove_button = QPushButton(self.tr("Remove…"), objectName="removeProviderButton")
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        left.addLayout(buttons)

        self.name_edit = QLineEdit(objectName="providerName")
        self.name_edit.setAccessibleName(self.tr("Provider name"))
        self.url_edit = QLineEdit(objectName="providerBaseUrl")
        self.url_edit.setAccessibleName(self.tr("Base URL"))
        self.url_edit.setPlaceholderText("https://…/v1")
        self.key_link = QLabel(objectName="providerKeyLink")
        self.key_link.setOpenExternalLinks(True)
        self.key_link.setTextFormat(Qt.TextFormat.RichText)
        self.key_edit = QLineEdit(objectName="providerKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setAccessibleName(self.tr("API key"))
        self.key_edit.setPlaceholderText(self.tr("Paste a new key to save or replace it"))
        self.save_key_button = QPushButton(self.tr("Save key"), objectName="saveKeyButton")
        self.delete_key_button = QPushButton(self.tr("Delete key"), objectName="deleteKeyButton")
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.save_key_button)
        key_row.addWidget(self.delete_key_button)
        self.key_status = QLabel(objectName="providerKeyStatus")
        self.key_status.setWordWrap(True)
        self.keychain_note = QLabel(objectName="noKeychainNote")
        self.keychain_note.setWordWrap(True)
        self.keychain_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_store = QCheckBox(
            self.tr("Keep the key in a file in Workbench's data folder, readable only by you"),
            objectName="fileStoreOptIn",
        )
        self.file_store_warning = QLabel(
            self.tr(
                "Without this, the key is used until you close Workbench. With it, the key "
                "stays after a restart; the file is protected only by its permissions, so any "
                "program you run can read it."
            ),
            objectName="fileStoreWarning",
        )
        self.file_store_warning.setWordWrap(True)
        self.file_store_warning.setToolTip(translate("core.keys", FILE_STORE_WARNING))
        self.error = QLabel(objectName="providerError")
        self.error.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Base URL"), self.url_edit)
        form.addRow("", self.key_link)
        form.addRow(self.tr("API key"), key_row)
        form.addRow("", self.key_status)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.error)
        right.addWidget(self.keychain_note)
        right.addWidget(self.file_store)
        right.addWidget(self.file_store_warning)
        right.addStretch(1)
        self.details = QWidget()
        self.details.setLayout(right)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addWidget(self.details, 3)

        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.remove_button.clicked.connect(self.remove_current)
        self.name_edit.editingFinished.connect(self._apply_name)
        self.url_edit.editingFinished.connect(self._apply_url)
        self.save_key_button.clicked.connect(self._save_key)
        self.delete_key_button.clicked.connect(self._delete_key)
        self.file_store.toggled.connect(self._toggle_file_store)

    # -- list -------------------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        current = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for p in self.cloud.providers():
            item = QListWidgetItem(p.name)
            item.setData(ID_ROLE, p.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.select(current)

    def select(self, provider_id: str | None) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(ID_ROLE) == provider_id:
                self.list.setCurrentRow(i)
                break
        else:
            self.list.setCurrentRow(0 if self.list.count() else -1)
        self._show_current()

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def add(self, preset_id: str) -> None:
        base_url = None
        if preset(preset_id).base_url == "":
            base_url = "http://localhost:8000/v1"  # custom: a starting point the user edits
        try:
            provider = self.cloud.add_provider(preset_id, base_url=base_url)
        except ProviderError as exc:
            self.error.setText(str(exc))
            return
        self.select(provider.id)
        (self.url_edit if base_url else self.key_edit).setFocus()

    def remove_current(self) -> None:
        provider_id = self.current_id()
        provider = self.cloud.provider(provider_id) if provider_id else None
        if provider is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove provider"),
            self.tr("Remove {name} and delete its key? Your chats stay.").format(
                name=provider.name
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.cloud.remove_provider(provider.id)

    # -- details ----------------------------------------------------------------------------------

    def _show_current(self) -> None:
        provider = self.cloud.provider(self.current_id()) if self.current_id() else None
        self.details.setEnabled(provider is not None)
        self.remove_button.setEnabled(provider is not None)
        self.error.clear()
        self.key_edit.clear()
        if provider is None:
            self.name_edit.clear()
            self.url_edit.clear()
            self.key_link.clear()
            self.key_status.setText(self.tr("Add a provider to chat with a cloud model."))
            self._update_file_store()
            return
        self.name_edit.setText(provider.name)
        self.url_edit.setText(provider.base_url)
        try:
            p = preset(provider.preset)
        except KeyError:
            p = None
        if p is not None and p.key_url:
            self.key_link.setText(
                self.tr("Get a key: <a href='{url}'>{url}</a>").format(url=p.key_url)
            )
        else:
            self.key_link.clear()
        self._show_key_status(provider.id)
        self._update_file_store()

    def _show_key_status(self, provider_id: str) -> None:
        source = self.cloud.key_source(provider_id)
        env = self.cloud.key_variable(provider_id)
        texts = {
            "keychain": self.tr("A key is saved in the system keychain."),
            "file": self.tr("A key is saved in Workbench's key file."),
            "session": self.tr("A key is in use until you close Workbench; it is not saved."),
            "environment": self.tr("The key comes from {env} in the environment.").format(
                env=env or self.tr("the environment")
            ),
        }
        if source in texts:
            text = texts[source]
        elif not self.cloud.needs_key(provider_id):
            text = self.tr("A server on your own machine usually needs no key.")
        else:
            text = self.tr("No key yet.")
        self.key_status.setText(text)
        self.delete_key_button.setEnabled(source in ("keychain", "file", "session"))

    def _update_file_store(self) -> None:
        """Without a keychain: say so, and offer the key file as a choice; the key box works
        either way (the key is then used until Workbench closes)."""
        keychain = self.cloud.keys.keychain_available()
        enabled = self.cloud.keys.file_store_enabled
        for widget in (self.keychain_note, self.file_store, self.file_store_warning):
            widget.setVisible(not keychain or enabled)
        self.file_store.blockSignals(True)
        self.file_store.setChecked(enabled)
        self.file_store.blockSignals(False)
        self.save_key_button.setEnabled(True)
        self.key_edit.setEnabled(True)
        provider_id = self.current_id()
        env = self.cloud.key_variable(provider_id) if provider_id else None
        if env:
            note = self.tr(
                "This computer has no system keychain, the protected place where programs keep "
                "passwords. You can still paste the key above, or set {env} before you start "
                "Workbench."
            ).format(env=env)
        else:
            note = self.tr(
                "This computer has no system keychain, the protected place where programs keep "
                "passwords. You can still paste the key above."
            )
        self.keychain_note.setText(note if not keychain else "")

    def _apply_name(self) -> None:
        provider = self.cloud.provider(self.current_id()) if self.current_id() else None
        name = self.name_edit.text().strip()
        if provider is not None and name and name != provider.name:
            provider.name = name
            self.cloud.update_provider(provider)

    def _apply_url(self) -> None:
        provider = self.cloud.provider(self.current_id()) if self.current_id() else None
        if provider is None:
            return
        try:
            url = normalize_base_url(self.url_edit.text())
        except ProviderError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        if url != provider.base_url:
            provider.base_url = url
            provider.models = []  # another server: its model list is unknown
            self.cloud.update_provider(provider)

    def _save_key(self) -> None:
        provider_id = self.current_id()
        key = self.key_edit.text().strip()
        if not provider_id:
            return
        if not key:
            self.key_status.setText(self.tr("Paste a key first."))
            return
        self.key_edit.clear()  # the key never stays on screen
        self.key_status.setText(self.tr("Saving…"))
        self.cloud.save_key(provider_id, key)

    def _delete_key(self) -> None:
        provider_id = self.current_id()
        if provider_id:
            self.cloud.delete_key(provider_id)

    def _on_key_changed(self, provider_id: str) -> None:
        if provider_id == self.current_id():
            self._show_key_status(provider_id)
            self._update_file_store()

    def _on_key_failed(self, provider_id: str, message: str) -> None:
        if provider_id == self.current_id():
            self.key_status.setText(message)

    def _toggle_file_store(self, enabled: bool) -> None:
        # The choice is explained beside the box, so it takes effect without a second question.
        self.cloud.set_file_store(enabled)
        self.error.clear()


class PricesPage(QWidget):
    """The price table used for the estimated cost beside each cloud reply."""

    def __init__(self, cloud: CloudSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cloud = cloud
        self.table = QTableWidget(0, 3, objectName="priceTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Model (or prefix*)"),
                self.tr("Input $/M tokens"),
                self.tr("Output $/M tokens"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The price columns are as wide as their headers (and numbers): never clipped, whatever
        # the dialog's width or the language; the model column takes the rest.
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(header.fontMetrics().horizontalAdvance("0.000") + 24)
        self.add_button = QPushButton(self.tr("Add"), objectName="addPriceButton")
        self.remove_button = QPushButton(self.tr("Remove"), objectName="removePriceButton")
        self.note = QLabel(
            self.tr(
                "Costs are estimates from this table (US dollars per million tokens). Check "
                "your provider's price page; servers on your own machine cost nothing."
            )
        )
        self.note.setWordWrap(True)
        self.error = QLabel(objectName="priceError")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.reload()
        self.table.itemChanged.connect(self._on_changed)
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)

    def reload(self) -> None:
        entries = self.cloud.prices.entries()
        self.table.blockSignals(True)
        self.table.setRowCount(len(entries))
        for row, (key, price) in enumerate(sorted(entries.items())):
            self.table.setItem(row, 0, QTableWidgetItem(key))
            self.table.setItem(row, 1, QTableWidgetItem(f"{price.input_per_m:g}"))
            self.table.setItem(row, 2, QTableWidgetItem(f"{price.output_per_m:g}"))
            self.table.item(row, 0).setData(ID_ROLE, key)
        self.table.blockSignals(False)

    def _on_changed(self, item: QTableWidgetItem) -> None:
        row = item.row()
        cells = [self.table.item(row, c) for c in range(3)]
        if any(c is None for c in cells):
            return
        key = cells[0].text().strip()
        try:
            price = Price(float(cells[1].text()), float(cells[2].text()))
            if not key or price.input_per_m < 0 or price.output_per_m < 0:
                raise ValueError
        except ValueError:
            self.error.setText(self.tr("A price needs a model name and two numbers of 0 or more."))
            return
        old = cells[0].data(ID_ROLE)
        if old and old != key:
            self.cloud.prices.remove(old)
        self.cloud.prices.set(key, price)
        self.table.blockSignals(True)
        cells[0].setData(ID_ROLE, key)
        self.table.blockSignals(False)
        self.error.clear()

    def _add(self) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(""))
        self.table.setItem(row, 1, QTableWidgetItem("0"))
        self.table.setItem(row, 2, QTableWidgetItem("0"))
        self.table.blockSignals(False)
        self.table.editItem(self.table.item(row, 0))

    def _remove(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedItems()}, reverse=True)
        for row in rows:
            item = self.table.item(row, 0)
            key = item.data(ID_ROLE) if item is not None else None
            if key:
                self.cloud.prices.remove(key)
            self.table.removeRow(row)
