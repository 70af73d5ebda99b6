"""Exporting conversations to a folder: one Markdown file per conversation, or one JSON file per
conversation, named after its title.

Names keep the title's script (Chinese stays Chinese) but lose the characters some system
refuses; two chats of the same title get "Title.md" and "Title (2).md". A file of the same name
already in the folder is replaced, so exporting again updates an earlier export.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from workbench.core.atomic import write_atomic
from workbench.core.exchange.errors import ExchangeError
from workbench.core.exchange.export_json import conversation_dict, document, dumps
from workbench.core.exchange.export_md import markdown
from workbench.core.exchange.filenames import UniqueNames, safe_stem
from workbench.core.i18n import translate
from workbench.core.store import Store

log = logging.getLogger(__name__)

FORMATS = ("md", "json")


def export_conversations(
    store: Store,
    conversation_ids: Iterable[int],
    folder: Path,
    fmt: str = "md",
    *,
    cancelled: Callable[[], bool] = lambda: False,
) -> list[Path]:
    """Write each conversation to a file of its own in ``folder`` (created if needed); the paths
    written, in the order of ``conversation_ids``.

    Raises:
        ValueError: ``fmt`` is not one of :data:`FORMATS`.
        KeyError: A conversation does not exist.
        ExchangeError: The folder or a file could not be written.
        StoreError: The database could not be read.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(folder, exc) from exc
    names = UniqueNames()
    written = []
    for conversation_id in conversation_ids:
        if cancelled():
            break
        conversation = conversation_dict(store, conversation_id)
        text = markdown(conversation) if fmt == "md" else dumps(document([conversation]))
        path = folder / names.take(safe_stem(conversation["title"]), f".{fmt}")
        try:
            # "\n" line ends everywhere: the same conversation gives the same bytes.
            write_atomic(path, lambda f, text=text: f.write(text), newline="\n")
        except OSError as exc:
            raise _write_error(path, exc) from exc
        written.append(path)
    return written


def _write_error(path: Path, exc: OSError) -> ExchangeError:
    log.warning("export to %s failed: %s", path, exc)
    return ExchangeError(
        translate(
            "core.exchange",
            "Workbench could not save {path} ({reason}); choose another folder and try again.",
        ).format(path=path, reason=exc.strerror or exc)
    )
