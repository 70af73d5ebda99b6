"""What the subcommands share: exit codes, error lines, option declarations, the prompt reader,
the cloud target resolver and the streaming loop.

Every failure the user can cause is a :class:`CliError` (or a core error the command turns into
one): :func:`workbench.cli.main` prints it as one ``error: …`` line on stderr and exits with its
code. Subcommand modules import this module, never each other.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from typing import TYPE_CHECKING

from workbench.core.i18n import translate

if TYPE_CHECKING:
    from workbench.core.backend import Error, Stats
    from workbench.core.cloud.prices import Price
    from workbench.core.cloud.resolve import Target
    from workbench.core.options import LoadOptions, SamplingParams

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

# Options of `chat` and `compare` that only mean something for a model loaded here.
LOCAL_ONLY_OPTIONS = {
    "ctx": "--ctx",
    "gpu_layers": "--gpu-layers",
    "threads": "--threads",
    "batch_size": "--batch-size",
    "flash_attn": "--flash-attn",
    "kv_cache_type": "--kv-cache-type",
    "no_mmap": "--no-mmap",
    "mlock": "--mlock",
    "chat_format": "--chat-format",
    "chat_template": "--chat-template",
}


class CliError(Exception):
    """Reported as one ``error:`` line; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def err(message: str) -> None:
    """Print ``error: message`` on stderr (when there is one: a windowed app has none)."""
    _say(translate("cli.common", "error: {message}").format(message=message))


def warn(message: str) -> None:
    _say(translate("cli.common", "warning: {message}").format(message=message))


def note(message: str) -> None:
    _say(translate("cli.common", "note: {message}").format(message=message))


def _say(line: str) -> None:
    if sys.stderr is not None:
        print(line, file=sys.stderr, flush=True)


def rounded(x: float | None) -> float | None:
    """A figure for the JSON output: four decimals, or None."""
    return None if x is None else round(x, 4)


# -- options -----------------------------------------------------------------------------------


def positive_int(text: str) -> int:
    """An argparse type: a whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        value = 0  # said as the sentence below, not argparse's "invalid positive_int value"
    if value <= 0:
        raise argparse.ArgumentTypeError(
            translate("cli.common", "must be a positive whole number, not {value}").format(
                value=text
            )
        )
    return value


def gpu_layers(text: str) -> int | str:
    """An argparse type for ``--gpu-layers``: ``auto``, or a whole number (-1 = all)."""
    if text.strip().lower() == "auto":
        return "auto"
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate(
                "cli.common", "must be auto or a whole number (-1 = all, 0 = none), not {value}"
            ).format(value=text)
        ) from None


def add_sampling_options(parser) -> None:
    """The sampling options, shared by ``chat`` and ``compare`` (read by :func:`sampling`)."""
    parser.add_argument(
        "--max-tokens",
        type=int,
        metavar="N",
        help=translate("cli.common", "longest reply, in tokens"),
    )
    parser.add_argument(
        "--temperature",
        type=float,
        metavar="T",
        help=translate("cli.common", "temperature: higher gives more varied answers (0 to 5)"),
    )
    parser.add_argument(
        "--top-p", type=float, metavar="P", help=translate("cli.common", "top-p sampling (0 to 1)")
    )
    parser.add_argument(
        "--top-k", type=int, metavar="K", help=translate("cli.common", "top-k sampling")
    )
    parser.add_argument(
        "--min-p", type=float, metavar="P", help=translate("cli.common", "min-p sampling (0 to 1)")
    )
    parser.add_argument(
        "--repeat-penalty",
        type=float,
        metavar="X",
        help=translate("cli.common", "repeat penalty (1 = none)"),
    )
    parser.add_argument(
        "--stop",
        action="append",
        metavar="TEXT",
        help=translate("cli.common", "stop at TEXT (repeatable)"),
    )
    parser.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help=translate("cli.common", "seed: the same seed gives the same answer"),
    )


def add_load_options(parser, *, threads_help: str | None = None) -> None:
    """The local load options, shared by ``chat`` and ``compare`` (see :func:`load_options`)."""
    parser.add_argument(
        "--ctx",
        type=int,
        metavar="N",
        help=translate("cli.common", "context length in tokens"),
    )
    parser.add_argument(
        "--gpu-layers",
        type=gpu_layers,
        metavar="N|auto",
        help=translate(
            "cli.common",
            "layers on the GPU: auto (the default: as many as fit), -1 = all, 0 = none",
        ),
    )
    parser.add_argument(
        "--threads",
        type=positive_int,
        metavar="N",
        help=threads_help
        or translate("cli.common", "CPU threads (default: chosen for this computer)"),
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        metavar="N",
        help=translate("cli.common", "batch size, in tokens (default: 512)"),
    )
    parser.add_argument(
        "--flash-attn",
        action="store_true",
        default=None,
        help=translate("cli.common", "use flash attention"),
    )
    parser.add_argument(
        "--kv-cache-type",
        metavar="TYPE",
        help=translate(
            "cli.common",
            "KV cache type: f16 (the default), q8_0, q4_0… (quantized ones need --flash-attn)",
        ),
    )
    parser.add_argument(
        "--no-mmap",
        action="store_true",
        help=translate(
            "cli.common", "read the whole model into memory instead of mapping the file"
        ),
    )
    parser.add_argument(
        "--mlock",
        action="store_true",
        help=translate("cli.common", "keep the model in memory (never swapped out)"),
    )
    from workbench.core.local.formats import AUTO, FORMATS

    parser.add_argument(
        "--chat-format",
        metavar="NAME",
        choices=(AUTO, *FORMATS),
        help=translate(
            "cli.common",
            "prompt format: auto (the file's chat template, or one chosen from the file) or one "
            "of {formats}",
        ).format(formats=", ".join(FORMATS)),
    )
    parser.add_argument(
        "--chat-template",
        metavar="FILE",
        help=translate("cli.common", "a Jinja chat template to use instead"),
    )


def load_options(args: argparse.Namespace) -> LoadOptions:
    """The options of :func:`add_load_options` (and ``--seed``) as core's LoadOptions."""
    from workbench.core.options import GPU_LAYERS_AUTO, LoadOptions

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
        if value == "auto":
            setattr(opts, name, GPU_LAYERS_AUTO)
        elif value is not None:
            setattr(opts, name, value)
    if args.no_mmap:
        opts.use_mmap = False
    if args.mlock:
        opts.use_mlock = True
    if args.chat_format is not None:
        opts.chat_format = args.chat_format
    if args.chat_template is not None:
        if args.chat_format is not None:
            raise CliError(
                translate("cli.common", "give --chat-format or --chat-template, not both"),
                EXIT_USAGE,
            )
        try:
            with open(args.chat_template, encoding="utf-8") as f:
                opts.chat_template = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or translate(
                "cli.common", "it is not UTF-8 text"
            )
            raise CliError(
                translate(
                    "cli.common", "the chat template {path} cannot be read ({reason})"
                ).format(path=args.chat_template, reason=reason)
            ) from None
        opts.chat_format = "custom"
    return opts


def sampling(args: argparse.Namespace) -> SamplingParams:
    """The options of :func:`add_sampling_options` as core's SamplingParams."""
    from workbench.core.options import SamplingParams

    params = SamplingParams()
    for name in ("max_tokens", "temperature", "top_p", "top_k", "min_p", "repeat_penalty", "seed"):
        value = getattr(args, name)
        if value is not None:
            setattr(params, name, value)
    if args.stop:
        params.stop = list(args.stop)
    return params


def local_only_option(args: argparse.Namespace) -> str | None:
    """The first load option given (e.g. ``--ctx``), for commands where none applies."""
    for attr, flag in LOCAL_ONLY_OPTIONS.items():
        value = getattr(args, attr, None)
        if value is not None and value is not False:  # `0 in (None, False)` would be True
            return flag
    return None


def read_prompt(args: argparse.Namespace) -> str:
    """``--prompt``, else stdin when it is not a terminal.

    Raises:
        CliError: No prompt (a usage error), or an empty one.
    """
    prompt = args.prompt
    if prompt is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise CliError(
                translate(
                    "cli.common", "no prompt: pass --prompt TEXT or pipe the question into stdin"
                ),
                EXIT_USAGE,
            )
        prompt = sys.stdin.read()
    if not prompt.strip():
        raise CliError(translate("cli.common", "the prompt is empty"))
    return prompt


# -- cloud targets -----------------------------------------------------------------------------


def resolve_target(name: str, base_url: str | None = None) -> Target:
    """:func:`workbench.core.cloud.resolve.resolve`, its failures as :class:`CliError`."""
    from workbench.core.cloud.resolve import AddressNeeded, ResolveError, resolve

    try:
        return resolve(name, base_url)
    except AddressNeeded as exc:
        raise CliError(
            translate(
                "cli.common", "{provider} needs --base-url URL (see 'workbench chat --help')"
            ).format(provider=exc.provider_name),
            EXIT_USAGE,
        ) from None
    except ResolveError as exc:
        raise CliError(str(exc)) from None


def cloud_backend(target: Target, model: str, *, price: Price | None = None):
    """The target's backend, with its key read now (environment, keychain, key file).

    Raises:
        CliError: A cloud service without a key, or an unusable key file.
    """
    from workbench.core.cloud.resolve import ResolveError, key_for, open_backend
    from workbench.core.keys import KeyStore, KeyStoreError

    try:
        key = key_for(target, KeyStore())
    except (ResolveError, KeyStoreError) as exc:
        raise CliError(str(exc)) from None
    return open_backend(target, model, key=key, price=price)


# -- one-off chats -----------------------------------------------------------------------------


def start_chat(
    args: argparse.Namespace,
    backend,
    prompt: str,
    params,
    *,
    settings: dict,
    drop_oldest: bool = False,
):
    """Start the reply to a one-off prompt, saved as a new conversation unless --no-save.

    ``settings`` is stored with the conversation (load options, or the provider used);
    ``drop_oldest`` as in :func:`workbench.core.chat.start_reply`.
    """
    from workbench.core.chat import open_reply, send_message

    messages = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": prompt})
    if args.no_save:
        return open_reply(backend, messages, params, drop_oldest=drop_oldest)
    from workbench.core.store import Store

    store = Store()
    title = " ".join(prompt.split())[:60] or translate("cli.common", "Chat")
    conversation = store.create_conversation(
        title,
        system_prompt=args.system,
        model=backend.model_name,
        settings=settings,
    )
    return send_message(store, backend, conversation.id, prompt, params, drop_oldest=drop_oldest)


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


def display_width(text: str) -> int:
    """The columns ``text`` takes on a terminal: Chinese characters (and other wide ones) take
    two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (on the left with ``right``)."""
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def print_table(rows: list[tuple[str, ...]], *, right: tuple[int, ...] = ()) -> None:
    """Print rows as columns padded to their widest cell, as wide as the terminal shows it (the
    last column is not padded); the columns numbered in ``right`` are aligned to the right."""
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            pad(cell, w, right=i in right)
            for i, (cell, w) in enumerate(zip(row[:-1], widths[:-1], strict=True))
        ]
        last = pad(row[-1], widths[-1], right=True) if len(row) - 1 in right else row[-1]
        print("  ".join([*cells, last]))
