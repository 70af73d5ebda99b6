"""``workbench export`` and ``workbench import``: conversations out to files and back in.

``export`` writes one file per chat (Markdown or Workbench JSON) into a folder and prints each
path; ``import`` reads Workbench JSON and ChatGPT data exports (``conversations.json`` or its
zip) and prints, per file, the chats it added and those it skipped as already imported. A file
that cannot be imported is one ``error:`` line; the other files are still imported, and the
exit status is then 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.common import EXIT_ERROR, EXIT_USAGE, CliError, err
from workbench.core.i18n import translate


def register(sub) -> None:
    """Add the ``export`` and ``import`` commands to the main parser's subparsers."""
    export = sub.add_parser(
        "export",
        help=translate("cli.exchange", "save chats as Markdown or JSON files"),
        description=translate(
            "cli.exchange",
            "Save chats to a folder, one file per chat: Markdown (the thread shown, with the "
            "model and figures) or JSON (every version of every message, for import).",
        ),
    )
    export.add_argument(
        "ids",
        nargs="*",
        type=int,
        metavar="ID",
        help=translate("cli.exchange", "the chats to export, by id (see --list)"),
    )
    export.add_argument(
        "--all", action="store_true", help=translate("cli.exchange", "export every chat")
    )
    export.add_argument(
        "--list",
        action="store_true",
        help=translate("cli.exchange", "list the chats with their ids and export nothing"),
    )
    export.add_argument(
        "--format",
        choices=("md", "json"),
        default="md",
        help=translate("cli.exchange", "md (default) or json"),
    )
    export.add_argument(
        "--out",
        metavar="DIR",
        help=translate("cli.exchange", "the folder to write to (created if needed)"),
    )
    export.set_defaults(run=run_export)

    imports = sub.add_parser(
        "import",
        help=translate("cli.exchange", "add chats from Workbench JSON or a ChatGPT export"),
        description=translate(
            "cli.exchange",
            "Add chats from Workbench JSON files or ChatGPT's data export (conversations.json "
            "or the zip it comes in). Chats already imported are skipped.",
        ),
    )
    imports.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=translate("cli.exchange", "the files to import"),
    )
    imports.set_defaults(run=run_import)


def run_export(args: argparse.Namespace) -> int:
    """Run ``export``; returns the exit status."""
    from workbench.core.exchange import ExchangeError, export_conversations
    from workbench.core.store import Store, StoreError

    if args.list:
        return _list_chats()
    if args.all == bool(args.ids):
        raise CliError(
            translate("cli.exchange", "give the ids of the chats to export, or --all"), EXIT_USAGE
        )
    if not args.out:
        raise CliError(
            translate("cli.exchange", "--out DIR is needed: the folder to write to"), EXIT_USAGE
        )
    try:
        with Store() as store:
            if args.all:
                ids = [c.id for c in store.list_conversations()]
            else:
                ids = list(dict.fromkeys(args.ids))
                for conversation_id in ids:
                    _check_chat(store, conversation_id)
            paths = export_conversations(store, ids, Path(args.out).expanduser(), args.format)
    except (ExchangeError, StoreError) as exc:
        raise CliError(str(exc)) from None
    for path in paths:
        print(path)
    count = len(paths)
    done = (
        translate("cli.exchange", "Exported 1 chat to {folder}.")
        if count == 1
        else translate("cli.exchange", "Exported %n chats to {folder}.", None, count)
    )
    print(done.format(folder=Path(args.out).expanduser()))
    return 0


def _list_chats() -> int:
    from datetime import datetime

    from workbench.core.store import Store, StoreError

    try:
        with Store() as store:
            summaries = store.conversation_summaries()
    except StoreError as exc:
        raise CliError(str(exc)) from None
    for conversation_id, title, updated_at in summaries:
        when = datetime.fromtimestamp(updated_at).strftime("%Y-%m-%d %H:%M")
        print(f"{conversation_id:>6}  {when}  {title}")
    return 0


def _check_chat(store, conversation_id: int) -> None:
    try:
        conversation = store.get_conversation(conversation_id)
    except KeyError:
        conversation = None
    if conversation is None or conversation.deleted_at is not None:
        raise CliError(
            translate("cli.exchange", "there is no chat with id {id}").format(id=conversation_id)
        )


def run_import(args: argparse.Namespace) -> int:
    """Run ``import``; returns the exit status."""
    from workbench.core.exchange import ExchangeError, import_file
    from workbench.core.store import Store, StoreError

    status = 0
    try:
        store = Store()
    except StoreError as exc:
        raise CliError(str(exc)) from None
    with store:
        for name in args.files:
            path = Path(name).expanduser()
            try:
                result = import_file(store, path)
            except (ExchangeError, StoreError) as exc:
                err(str(exc))
                status = EXIT_ERROR
                continue
            added = len(result.added)
            line = (
                translate("cli.exchange", "Imported 1 chat from {file}.")
                if added == 1
                else translate("cli.exchange", "Imported %n chats from {file}.", None, added)
            )
            print(line.format(file=path.name))
            for conversation_id in result.added:
                title = store.get_conversation(conversation_id).title
                print(f"  {conversation_id}  {title}")
            if result.skipped:
                skipped = len(result.skipped)
                line = (
                    translate(
                        "cli.exchange", "Skipped 1 chat from {file} that was imported before."
                    )
                    if skipped == 1
                    else translate(
                        "cli.exchange",
                        "Skipped %n chats from {file} that were imported before.",
                        None,
                        skipped,
                    )
                )
                print(line.format(file=path.name))
                for title in result.skipped:
                    print(f"  -  {title}")
    return status
