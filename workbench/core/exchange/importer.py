"""Importing a file: recognise it, read its conversations, add them in one transaction.

A file is Workbench JSON, a ChatGPT ``conversations.json``, or the zip of ChatGPT's data export
that holds one. Anything else — a file that is not JSON, JSON of another kind, a zip without the
conversations, a damaged conversation — is one :class:`ExchangeError` sentence, and nothing of
the file is added.
"""

from __future__ import annotations

import json
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.exchange.errors import ExchangeError
from workbench.core.exchange.export_json import conversation_dict, fingerprint
from workbench.core.exchange.import_chatgpt import is_chatgpt, read_chatgpt
from workbench.core.exchange.import_json import (
    Damaged,
    TooNew,
    is_workbench,
    read_workbench,
)
from workbench.core.i18n import translate
from workbench.core.store import Store
from workbench.core.store.imports import ConversationDraft, add_conversations

log = logging.getLogger(__name__)

CHATGPT_FILE = "conversations.json"


@dataclass
class FileImport:
    """What one file brought: its kind ("workbench" or "chatgpt"), the ids of the chats added
    and the titles of those skipped because they were already here."""

    path: Path
    kind: str
    added: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_file(path: Path) -> tuple[str, list[ConversationDraft]]:
    """The kind of an export file and the conversations in it.

    Raises:
        ExchangeError: The file cannot be read or is not an export Workbench knows.
    """
    path = Path(path)
    data = _load(path)
    try:
        if is_workbench(data):
            return "workbench", read_workbench(data)
        if is_chatgpt(data):
            return "chatgpt", read_chatgpt(data)
    except TooNew as exc:
        raise ExchangeError(
            translate(
                "core.exchange",
                "{file} was exported by a newer Workbench (format version {version}); update "
                "Workbench to import it.",
            ).format(file=path.name, version=exc.version)
        ) from exc
    except Damaged as exc:
        log.warning("%s: conversation %d is damaged: %s", path, exc.number, exc)
        raise ExchangeError(
            translate(
                "core.exchange",
                "Conversation {number} in {file} is incomplete or damaged, so nothing from the "
                "file was imported.",
            ).format(number=exc.number, file=path.name)
        ) from exc
    raise ExchangeError(
        translate(
            "core.exchange",
            "{file} is neither a Workbench export nor a ChatGPT export (conversations.json or "
            "its zip), so nothing was imported.",
        ).format(file=path.name)
    )


def import_file(store: Store, path: Path) -> FileImport:
    """Add the conversations of one file, skipping those already imported; all or nothing.

    Raises:
        ExchangeError: The file is not an export Workbench knows, or is damaged.
        StoreError: The database failed; nothing was added.
    """
    path = Path(path)
    kind, drafts = read_file(path)

    def same_content(conversation_id: int, draft: ConversationDraft) -> bool:
        # Only Workbench JSON can be a copy of a chat that was never imported.
        if draft.source != "workbench":
            return False
        here = fingerprint(conversation_dict(store, conversation_id))
        return draft.key == f"workbench:{here}"

    try:
        outcome = add_conversations(store, drafts, same_content=same_content)
    except ValueError as exc:
        log.warning("%s could not be added: %s", path, exc)
        raise ExchangeError(
            translate(
                "core.exchange",
                "{file} holds conversations whose messages do not fit together, so nothing from "
                "the file was imported.",
            ).format(file=path.name)
        ) from exc
    return FileImport(path, kind, outcome.added, outcome.skipped)


def _load(path: Path) -> Any:
    """The parsed JSON of a file, or of the conversations.json inside a zip."""
    try:
        if zipfile.is_zipfile(path):
            return _load_zip(path)
        raw = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(
            translate("core.exchange", "{file} could not be read ({reason}).").format(
                file=path.name, reason=exc.strerror or exc
            )
        ) from exc
    return _parse(raw, path.name)


def _load_zip(path: Path) -> Any:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == CHATGPT_FILE]
            if not names:
                raise ExchangeError(
                    translate(
                        "core.exchange",
                        "{file} is a zip file without a conversations.json in it; choose the zip "
                        "of ChatGPT's data export, or the conversations.json itself.",
                    ).format(file=path.name)
                )
            # The one nearest the top, if a folder inside holds another.
            raw = archive.read(min(names, key=lambda n: (n.count("/"), n)))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise ExchangeError(
            translate("core.exchange", "{file} is a damaged or unsupported zip file.").format(
                file=path.name
            )
        ) from exc
    return _parse(raw, path.name)


def _parse(raw: bytes, name: str) -> Any:
    try:
        # utf-8-sig: a byte order mark at the start is not an error.
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ExchangeError(
            translate(
                "core.exchange", "{file} is not a text file, so it cannot be an export to import."
            ).format(file=name)
        ) from exc
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            translate(
                "core.exchange",
                "{file} is not valid JSON (line {line}, column {column}), so nothing was imported.",
            ).format(file=name, line=exc.lineno, column=exc.colno)
        ) from exc
    except RecursionError as exc:
        raise ExchangeError(
            translate(
                "core.exchange", "{file} is nested too deeply to be an export Workbench can read."
            ).format(file=name)
        ) from exc
