"""Conversations in and out: export to Markdown or Workbench JSON, import Workbench JSON and
ChatGPT data exports.

- :mod:`.exporter`: :func:`export_conversations` writes one file per conversation to a folder.
- :mod:`.export_json` / :mod:`.export_md`: the two formats.
- :mod:`.importer`: :func:`import_file` recognises a file (Workbench JSON, ChatGPT
  ``conversations.json`` or its zip) and adds its conversations in one transaction
  (:mod:`workbench.core.store.imports`), skipping those already imported.
- :mod:`.import_json` / :mod:`.import_chatgpt`: reading the two formats.

Every problem a user can cause is an :class:`ExchangeError` whose text is one sentence.
"""

from workbench.core.exchange.errors import ExchangeError
from workbench.core.exchange.exporter import FORMATS, export_conversations
from workbench.core.exchange.importer import FileImport, import_file, read_file

__all__ = [
    "FORMATS",
    "ExchangeError",
    "FileImport",
    "export_conversations",
    "import_file",
    "read_file",
]
