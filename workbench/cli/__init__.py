"""The command line: ``workbench`` (the window) and its subcommands.

One module per subcommand group, each adding its commands with ``register(subparsers)`` and
naming the function that runs them: :mod:`~workbench.cli.chat` (``chat``, local and
``--provider``), :mod:`~workbench.cli.info` (``info``), :mod:`~workbench.cli.hub` (``search``,
``files``, ``download``, ``models``), :mod:`~workbench.cli.providers` (``providers``) and
:mod:`~workbench.cli.compare` (``compare``). What they share lives in
:mod:`~workbench.cli.common`; they never import each other.

Built on ``workbench.core`` only; the GUI is imported lazily when the window is asked for. Every
failure the user can cause prints one ``error: …`` line on stderr and exits 1 (2 for usage
errors); tracebacks go to the log file, never to the terminal. Everything it prints for people is
in the language of ``--lang``, else of the environment (:mod:`~workbench.cli.language`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from workbench import __version__
from workbench.cli import chat, compare, exchange, hub, info, providers, serve
from workbench.cli.common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, CliError, err
from workbench.cli.language import OPTION as LANG_OPTION
from workbench.cli.language import (
    HelpFormatter,
    LanguageError,
    available,
    choose_language,
    translate_argparse,
)
from workbench.core.i18n import translate

log = logging.getLogger(__name__)

# In the order `workbench --help` lists them.
COMMANDS = (chat, info, hub, providers, compare, serve, exchange)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and an exception we control, and ``--lang`` is
    accepted before and after the command (it is read before parsing: see ``choose_language``;
    the main parser lists it with ``lang_help``)."""

    def __init__(self, *args, lang_help: str | None = None, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)
        self.add_argument(
            LANG_OPTION,
            metavar="CODE",
            default=argparse.SUPPRESS,
            help=lang_help or argparse.SUPPRESS,
        )

    def error(self, message: str) -> NoReturn:
        raise UsageError(
            translate("cli", "{message} (see '{prog} --help')").format(
                message=message, prog=self.prog
            )
        )


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the language set now (see :mod:`~workbench.cli.language`)."""
    translate_argparse()
    parser = _Parser(
        prog="workbench",
        description=translate("cli", "Chat with local GGUF models and OpenAI-compatible services."),
        lang_help=translate(
            "cli", "the language of the command line: {languages} (default: the system's)"
        ).format(languages=available()),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"Workbench {__version__}",
        # Python 3.13 translates it itself; older ones take it as given.
        help=argparse._("show program's version number and exit"),  # type: ignore[attr-defined]
    )
    parser.add_argument(
        "--home",
        metavar="DIR",
        help=translate("cli", "keep all data (settings, chats, models, logs) in DIR"),
    )
    parser.add_argument(
        "--model",
        metavar="PATH",
        help=translate("cli", "open the window with this GGUF model selected"),
    )
    parser.add_argument(
        "--verbose", action="store_true", help=translate("cli", "log details to stderr too")
    )
    parser.add_argument(
        "--selftest",
        action="store_true",
        help=translate(
            "cli",
            "check this installation (window, llama.cpp build, keychain; with --model, a short "
            "generation) and print a JSON report",
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        choose_language(argv)
    except LanguageError as exc:
        err(str(exc))
        return EXIT_USAGE
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        err(str(exc))
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.home:
        os.environ["WORKBENCH_HOME"] = os.path.abspath(os.path.expanduser(args.home))

    from workbench.core.logs import setup_logging

    setup_logging(verbose=args.verbose)
    command = getattr(args, "run", None)
    try:
        # `chat` runs even with --selftest; every other command gives way to the self-test.
        if args.selftest and args.command != "chat":
            from workbench.selftest import run as selftest

            return selftest(args.model)
        if command is not None:
            return command(args)
        from workbench.app import main as gui_main

        return gui_main(model=args.model)
    except CliError as exc:
        err(str(exc))
        return exc.code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # stdout closed early (e.g. piped into `head`): not an error worth a message
        _silence_stdout()
        return 0
    except Exception as exc:  # the last line of defence: a sentence, not a traceback
        log.exception("unexpected error")
        err(
            translate("cli", "unexpected problem: {problem} (details are in the log file)").format(
                problem=exc
            )
        )
        return EXIT_ERROR


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
