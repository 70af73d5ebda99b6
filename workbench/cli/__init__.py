"""The command line: ``workbench`` (the window), ``chat``, ``info``; Hub and library commands
(``search``, ``files``, ``download``, ``models``) live in :mod:`workbench.cli.hub`, cloud ones
(``chat --provider``, ``providers``) in :mod:`workbench.cli.cloud`.

Built on ``workbench.core`` only; the GUI is imported lazily when the window is asked for. Every
failure the user can cause prints one ``error: …`` line on stderr and exits 1 (2 for usage
errors); tracebacks go to the log file, never to the terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from workbench import __version__

if TYPE_CHECKING:
    from workbench.core.backend import Error, Stats

log = logging.getLogger(__name__)

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and an exception we control."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def add_sampling_options(parser) -> None:
    """The sampling options, shared by ``chat`` and ``compare`` (read by :func:`_sampling`)."""
    parser.add_argument("--max-tokens", type=int, help="longest reply, in tokens")
    parser.add_argument("--temperature", type=float)
    parser.add_argument("--top-p", type=float)
    parser.add_argument("--top-k", type=int)
    parser.add_argument("--min-p", type=float)
    parser.add_argument("--repeat-penalty", type=float)
    parser.add_argument("--stop", action="append", metavar="TEXT", help="stop at TEXT (repeatable)")
    parser.add_argument("--seed", type=int)


def add_load_options(parser, *, threads_help: str | None = None) -> None:
    """The local load options, shared by ``chat`` and ``compare`` (see :func:`_load_options`)."""
    parser.add_argument("--ctx", type=int, help="context length in tokens")
    parser.add_argument("--gpu-layers", type=int, help="layers on the GPU (-1 = all, 0 = none)")
    parser.add_argument("--threads", type=_positive_int, help=threads_help)
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--flash-attn", action="store_true", default=None)
    parser.add_argument("--kv-cache-type", metavar="TYPE")
    parser.add_argument("--no-mmap", action="store_true")
    parser.add_argument("--mlock", action="store_true")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbench",
        description="Chat with local GGUF models and OpenAI-compatible services.",
    )
    parser.add_argument("--version", action="version", version=f"Workbench {__version__}")
    parser.add_argument(
        "--home", metavar="DIR", help="keep all data (settings, chats, models, logs) in DIR"
    )
    parser.add_argument(
        "--model", metavar="PATH", help="open the window with this GGUF model selected"
    )
    parser.add_argument("--verbose", action="store_true", help="log details to stderr too")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="check this installation (window, llama.cpp build, keychain; with --model, a "
        "short generation) and print a JSON report",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    chat = sub.add_parser("chat", help="ask a model and stream the answer to stdout")
    chat.add_argument(
        "--model",
        required=True,
        metavar="PATH",
        dest="chat_model",
        help="GGUF file (with --provider: the model ID)",
    )
    chat.add_argument("--prompt", help="the question (read from stdin when absent)")
    chat.add_argument("--system", help="system prompt")
    add_sampling_options(chat)
    add_load_options(chat)
    chat.add_argument("--show-reasoning", action="store_true", help="print <think> text on stderr")
    chat.add_argument("--no-save", action="store_true", help="do not keep this chat in the history")
    chat.add_argument("--stats", action="store_true", help="print a JSON line of figures on stderr")
    from workbench.cli.cloud import add_chat_options
    from workbench.cli.cloud import add_commands as add_cloud_commands

    add_chat_options(chat)

    info = sub.add_parser("info", help="show a GGUF file's metadata")
    info.add_argument("path", metavar="PATH")
    info.add_argument("--json", action="store_true", help="print JSON")

    from workbench.cli.hub import add_commands

    add_commands(sub)
    add_cloud_commands(sub)
    from workbench.cli.compare import add_command as add_compare_command

    add_compare_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.home:
        os.environ["WORKBENCH_HOME"] = os.path.abspath(os.path.expanduser(args.home))

    from workbench.core.logs import setup_logging

    setup_logging(verbose=args.verbose)
    try:
        if args.command == "chat":
            return cmd_chat(args)
        if args.selftest:
            from workbench.selftest import run as selftest

            return selftest(args.model)
        if args.command == "info":
            return cmd_info(args)
        if args.command in ("search", "files", "download", "models"):
            from workbench.cli.hub import run

            return run(args)
        if args.command == "providers":
            from workbench.cli.cloud import run as run_cloud

            return run_cloud(args)
        if args.command == "compare":
            from workbench.cli.compare import run as run_compare

            return run_compare(args)
        from workbench.app import main as gui_main

        return gui_main(model=args.model)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # stdout closed early (e.g. piped into `head`): not an error worth a message
        _silence_stdout()
        return 0
    except Exception as exc:  # the last line of defence: a sentence, not a traceback
        log.exception("unexpected error")
        _err(f"unexpected problem: {exc} (details are in the log file)")
        return EXIT_ERROR


def _err(message: str) -> None:
    if sys.stderr is not None:
        print(f"error: {message}", file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# -- info ------------------------------------------------------------------------------------


def cmd_info(args: argparse.Namespace) -> int:
    from workbench.core.gguf_file import GGUFError, inspect_gguf
    from workbench.core.units import human_count, human_size

    try:
        info = inspect_gguf(args.path)
    except GGUFError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if args.json:
        data = info.to_dict()
        data.pop("chat_template", None)
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    heads = "?" if info.head_count is None else str(info.head_count)
    kv_heads = "?" if info.head_count_kv is None else str(info.head_count_kv)
    rows = [
        ("file", os.path.basename(info.path)),
        (
            "size",
            human_size(info.file_size)
            + (f" in {info.split_count} parts" if info.split_count > 1 else ""),
        ),
        ("architecture", info.architecture or "unknown"),
        ("name", info.name or "-"),
        ("parameters", f"{human_count(info.parameter_count)} ({info.parameter_count:,})"),
        ("quantization", info.quantization or "unknown"),
        ("context length", str(info.context_length or "unknown")),
        ("layers", str(info.block_count or "unknown")),
        ("attention heads", heads),
        ("KV heads", kv_heads),
        ("chat template", "yes" if info.has_chat_template else "no"),
        ("GGUF version", str(info.gguf_version)),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0


# -- chat ------------------------------------------------------------------------------------


def _load_options(args: argparse.Namespace):
    from workbench.core.options import LoadOptions

    opts = LoadOptions()
    for attr, name in [
        ("gpu_layers", "gpu_layers"),
        ("ctx", "context_length"),
        ("threads", "threads"),
        ("batch_size", "batch_size"),
        ("flash_attn", "flash_attention"),
        ("kv_cache_type", "kv_cache_type"),
        ("seed", "seed"),
    ]:
        value = getattr(args, attr)
        if value is not None:
            setattr(opts, name, value)
    if args.no_mmap:
        opts.use_mmap = False
    if args.mlock:
        opts.use_mlock = True
    return opts


def _sampling(args: argparse.Namespace):
    from workbench.core.options import SamplingParams

    params = SamplingParams()
    for name in ("max_tokens", "temperature", "top_p", "top_k", "min_p", "repeat_penalty", "seed"):
        value = getattr(args, name)
        if value is not None:
            setattr(params, name, value)
    if args.stop:
        params.stop = list(args.stop)
    return params


def cmd_chat(args: argparse.Namespace) -> int:
    if args.provider or args.base_url:
        from workbench.cli.cloud import cmd_chat as cloud_chat

        return cloud_chat(args)
    from workbench.core.backend import Error
    from workbench.core.local.host import LocalBackend, ModelLoadError
    from workbench.core.options import OptionError

    load_opts, params = _load_options(args), _sampling(args)
    try:
        load_opts.validate()
        params.validate()
    except OptionError as exc:
        _err(str(exc))
        return EXIT_ERROR
    prompt = args.prompt
    if prompt is None:
        if sys.stdin is None or sys.stdin.isatty():
            _err("no prompt: pass --prompt TEXT or pipe the question into stdin")
            return EXIT_USAGE
        prompt = sys.stdin.read()
    if not prompt.strip():
        _err("the prompt is empty")
        return EXIT_ERROR

    backend = LocalBackend(args.chat_model, load_opts)
    reply = None
    try:
        try:
            backend.load()
        except ModelLoadError as exc:
            _err(str(exc))
            return EXIT_ERROR
        reply = start_chat(
            args, backend, prompt, params, settings={"load": backend.options.to_dict()}
        )
        stats = stream_reply(args, reply)
        if isinstance(stats, Error):
            _err(stats.message)
            return EXIT_ERROR
        if args.stats and stats is not None and sys.stderr is not None:
            figures = {
                "ttft_s": _round(stats.ttft_s),
                "prompt_tokens": stats.prompt_tokens,
                "completion_tokens": stats.completion_tokens,
                "tokens_per_s": _round(stats.tokens_per_s),
                "load_s": _round(stats.load_s),
                "finish_reason": stats.finish_reason,
            }
            print(json.dumps(figures), file=sys.stderr, flush=True)
        return 0
    except KeyboardInterrupt:
        if reply is not None:
            reply.cancel()
        print(file=sys.stdout, flush=True)
        return EXIT_INTERRUPTED
    finally:
        # A reply cut short saves itself as "interrupted" (RecordingReply); the model process
        # is ended either way.
        backend.unload()


def stream_reply(args: argparse.Namespace, reply) -> Stats | Error | None:
    """Print the answer on stdout as it streams (reasoning on stderr with --show-reasoning).

    Returns the final Stats, or the Error that ended the reply (a partial answer stays printed,
    on a line of its own). Shared by local and cloud chat.
    """
    from workbench.core.backend import Error, ReasoningDelta, Stats, TextDelta

    out = sys.stdout
    final: Stats | None = None
    printed = thought = False
    for event in reply:
        if isinstance(event, TextDelta):
            if thought and not printed and sys.stderr is not None:
                sys.stderr.write("\n")  # the reasoning shown on stderr ends its line
            out.write(event.text)
            out.flush()
            printed = True
        elif isinstance(event, ReasoningDelta):
            if args.show_reasoning and sys.stderr is not None:
                sys.stderr.write(event.text)
                sys.stderr.flush()
                thought = True
        elif isinstance(event, Stats):
            final = event
        elif isinstance(event, Error):
            if printed:
                out.write("\n")
                out.flush()
            return event
    out.write("\n")
    out.flush()
    return final


def start_chat(args: argparse.Namespace, backend, prompt: str, params, *, settings: dict):
    """Start the reply to a one-off prompt, saved as a new conversation unless --no-save.

    ``settings`` is stored with the conversation (load options, or the provider used).
    """
    messages = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": prompt})
    if args.no_save:
        return backend.start_reply(messages, params)
    from workbench.core.chat import send_message
    from workbench.core.store import Store

    store = Store()
    title = " ".join(prompt.split())[:60] or "Chat"
    conversation = store.create_conversation(
        title,
        system_prompt=args.system,
        model=backend.model_name,
        settings=settings,
    )
    return send_message(store, backend, conversation.id, prompt, params)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
