"""``workbench serve``: load a GGUF model and offer it to other programs through a local
OpenAI-compatible server (:mod:`workbench.core.server`), without the window.

The address goes to stdout (one line, for scripts); load progress, one line per request and
notes go to stderr. Ctrl+C stops the server and ends the model process. A model process that
crashes is loaded again; requests meanwhile get a 503 answer that says so.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time

from workbench.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CliError,
    add_load_options,
    load_options,
    note,
    warn,
)
from workbench.core.i18n import translate

log = logging.getLogger(__name__)

#: how often the main thread looks at the model process
WATCH_S = 0.5


def register(sub) -> None:
    """Add the ``serve`` command to the main parser's subparsers."""
    from workbench.core.server import DEFAULT_PORT

    serve = sub.add_parser(
        "serve",
        help=translate("cli.serve", "offer a local model to other programs (OpenAI-compatible)"),
        description=translate(
            "cli.serve",
            "Load a GGUF model and answer OpenAI-compatible requests for it (/v1/chat/"
            "completions, /v1/completions, /v1/embeddings, /v1/models) until Ctrl+C.",
        ),
    )
    serve.add_argument(
        "--model",
        required=True,
        metavar="PATH",
        dest="serve_model",
        help=translate("cli.serve", "the GGUF file to serve"),
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        metavar="N",
        help=translate("cli.serve", "the port to listen on (default: {port})").format(
            port=DEFAULT_PORT
        ),
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="H",
        help=translate(
            "cli.serve",
            "the address to listen on: 127.0.0.1 (the default: this computer only) or 0.0.0.0 "
            "(the network; needs --api-key-env)",
        ),
    )
    serve.add_argument(
        "--api-key-env",
        metavar="VAR",
        help=translate(
            "cli.serve",
            "the environment variable holding the key clients must send (required beyond this "
            "computer)",
        ),
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="URL",
        help=translate(
            "cli.serve",
            "a web page origin allowed to call the server from a browser, e.g. "
            "http://localhost:3000 (repeatable; default: none)",
        ),
    )
    serve.add_argument(
        "--quiet",
        action="store_true",
        help=translate("cli.serve", "do not print a line for each request"),
    )
    add_load_options(serve)
    serve.set_defaults(run=run, seed=None)


def _key(args: argparse.Namespace) -> str | None:
    if not args.api_key_env:
        return None
    value = os.environ.get(args.api_key_env, "").strip()
    if not value:
        raise CliError(
            translate("cli.serve", "the environment variable {name} is not set or is empty").format(
                name=args.api_key_env
            ),
            EXIT_USAGE,
        )
    return value


def _request_line(entry) -> str:
    """One line on stderr for a request in the log."""
    tokens = entry.prompt_tokens + entry.completion_tokens
    stamp = time.strftime("%H:%M:%S", time.localtime(entry.time))
    line = translate(
        "cli.serve", "{time} {endpoint} {status} · tokens: {tokens} · {seconds} s"
    ).format(
        time=stamp,
        endpoint=entry.endpoint,
        status=entry.status,
        tokens=tokens,
        seconds=f"{entry.duration_s:.2f}",
    )
    if entry.waited:
        line = translate("cli.serve", "{line} · waited for the model").format(line=line)
    if entry.error:
        line += " · " + entry.error
    return line


class _Progress:
    """Load progress on stderr: a line that updates on a terminal, quarters otherwise."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tty = sys.stderr is not None and sys.stderr.isatty()
        self.shown = -1

    def __call__(self, fraction: float) -> None:
        if sys.stderr is None:
            return
        percent = int(fraction * 100)
        step = 1 if self.tty else 25
        if percent == self.shown or (percent // step == self.shown // step and percent != 100):
            return
        self.shown = percent
        text = translate("cli.serve", "loading {name}: {percent}%").format(
            name=self.name, percent=percent
        )
        if self.tty:
            sys.stderr.write("\r" + text + ("\n" if percent >= 100 else ""))
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()


def _stop_on_terminate() -> None:
    """SIGTERM (a service manager stopping us) ends the server as Ctrl+C does."""

    def interrupt(signum, frame) -> None:
        raise KeyboardInterrupt

    if hasattr(signal, "SIGTERM") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)


def run(args: argparse.Namespace) -> int:
    """Run ``serve``; returns the exit status."""
    from workbench.core.local.host import LocalBackend, ModelLoadError
    from workbench.core.options import OptionError
    from workbench.core.server import (
        LocalServer,
        ServerConfig,
        ServerError,
        StaticSource,
        is_loopback,
    )

    opts = load_options(args)
    try:
        opts.validate()
    except OptionError as exc:
        raise CliError(str(exc)) from None
    config = ServerConfig(
        host=args.host,
        port=args.port,
        api_key=_key(args),
        cors_origins=tuple(args.cors_origin),
    )
    try:
        config = config.checked()  # before the model loads: a refusal costs no waiting
    except ServerError as exc:
        if config.api_key is None and not is_loopback(config.host):
            note(translate("cli.serve", "give the key with --api-key-env VAR"))
        raise CliError(str(exc), EXIT_USAGE) from None
    backend = LocalBackend(args.serve_model, opts)
    server = LocalServer(StaticSource(backend), config)
    stop = threading.Event()
    _stop_on_terminate()
    try:
        try:
            backend.load(_Progress(backend.model_name))
        except ModelLoadError as exc:
            raise CliError(str(exc)) from None
        info = backend.info
        if info is not None and info.gpu_retried:
            note(info.gpu_note)
        try:
            server.start()
        except ServerError as exc:
            raise CliError(str(exc)) from None
        if not args.quiet:
            server.log.subscribe(lambda entry: print(_request_line(entry), file=sys.stderr))
        for url in server.addresses():
            print(url, flush=True)
        note(
            translate("cli.serve", "serving {name} at {url}; press Ctrl+C to stop").format(
                name=backend.model_name, url=server.url
            )
        )
        while not stop.is_set():
            stop.wait(WATCH_S)
            if not server.running:
                raise CliError(
                    translate("cli.serve", "the server stopped; the details are in the log file")
                )
            if not backend.is_loaded:
                warn(
                    translate(
                        "cli.serve",
                        "the model process ended; loading the model again (requests get an "
                        "error until it is back)",
                    )
                )
                try:
                    backend.load(_Progress(backend.model_name))
                except ModelLoadError as exc:
                    raise CliError(str(exc)) from None
    except KeyboardInterrupt:
        note(translate("cli.serve", "stopping"))
        return EXIT_INTERRUPTED
    finally:
        server.stop()
        backend.unload()
    return 0
