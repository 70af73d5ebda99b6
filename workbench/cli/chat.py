"""``workbench chat``: ask a local GGUF model, or with ``--provider`` a cloud or server model, and
stream the answer to stdout.

``--provider NAME`` is a configured provider's id or a preset id, resolved by
:func:`workbench.core.cloud.resolve.resolve` (which also documents where the address comes
from). The key is the preset's own environment variable (``OPENAI_API_KEY``…), else the
keychain, else the opt-in key file. Keys are never taken from the command line (shell history,
process lists) and never printed.

Each run starts a new saved chat, or with ``--continue [ID]`` adds to a saved one (the latest
by default). A chat longer than a local model's context fails with one sentence; with
``--drop-oldest`` its oldest messages are left out instead, for this reply and, remembered with
the chat, for every later one.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable

from workbench.cli.common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    CliError,
    add_load_options,
    add_sampling_options,
    cloud_backend,
    err,
    load_options,
    local_only_option,
    note,
    positive_int,
    read_prompt,
    resolve_target,
    rounded,
    sampling,
    start_chat,
    stream_reply,
)
from workbench.core.i18n import QT_TRANSLATE_NOOP, translate

log = logging.getLogger(__name__)


def register(sub) -> None:
    """Add the ``chat`` command to the main parser's subparsers."""
    chat = sub.add_parser(
        "chat",
        help=translate("cli.chat", "ask a model and stream the answer to stdout"),
        description=translate(
            "cli.chat",
            "Ask a local GGUF model, or with --provider a cloud or server model, and print the "
            "answer as it comes. The chat is kept in the history unless --no-save.",
        ),
    )
    chat.add_argument(
        "--model",
        required=True,
        metavar="PATH",
        dest="chat_model",
        help=translate("cli.chat", "GGUF file (with --provider: the model ID)"),
    )
    chat.add_argument(
        "--prompt",
        metavar="TEXT",
        help=translate("cli.chat", "the question (read from stdin when absent)"),
    )
    chat.add_argument("--system", metavar="TEXT", help=translate("cli.chat", "system prompt"))
    add_sampling_options(chat)
    add_load_options(chat)
    chat.add_argument(
        "--show-reasoning",
        action="store_true",
        help=translate("cli.chat", "print <think> text on stderr"),
    )
    chat.add_argument(
        "--no-save",
        action="store_true",
        help=translate("cli.chat", "do not keep this chat in the history"),
    )
    chat.add_argument(
        "--stats",
        action="store_true",
        help=translate("cli.chat", "print a JSON line of figures on stderr"),
    )
    chat.add_argument(
        "--continue",
        dest="continue_id",
        nargs="?",
        const=0,
        type=positive_int,
        metavar="ID",
        help=translate(
            "cli.chat",
            "add to a saved chat instead of starting one: the latest, or the one with this id",
        ),
    )
    chat.add_argument(
        "--drop-oldest",
        action="store_true",
        help=translate(
            "cli.chat",
            "when the chat is longer than the model's context, leave out its oldest messages "
            "(local models; remembered with the chat)",
        ),
    )
    chat.add_argument(
        "--provider",
        metavar="NAME",
        help=translate(
            "cli.chat",
            "chat with a cloud or server model: a configured provider or a preset (see "
            "'workbench providers'); --model is then the model ID",
        ),
    )
    chat.add_argument(
        "--base-url",
        metavar="URL",
        help=translate("cli.chat", "the provider's address, e.g. http://localhost:8000/v1"),
    )
    chat.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``chat``; returns the exit status."""
    if args.provider or args.base_url:
        return cloud_chat(args)
    return local_chat(args)


class _Chat:
    """Where the reply goes: a new chat, or the saved one ``--continue`` names."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.store = None
        self.conversation = None
        if args.continue_id is None:
            return
        if args.no_save:
            raise CliError(
                translate("cli.chat", "--continue adds to a saved chat; leave out --no-save"),
                EXIT_USAGE,
            )
        from workbench.core.store import Store

        self.store = Store()
        if args.continue_id:
            try:
                self.conversation = self.store.get_conversation(args.continue_id)
            except KeyError:
                raise CliError(
                    translate("cli.chat", "there is no chat with id {id}").format(
                        id=args.continue_id
                    )
                ) from None
            if self.conversation.deleted_at is not None:
                raise CliError(
                    translate("cli.chat", "chat {id} is in the trash; restore it first").format(
                        id=args.continue_id
                    )
                )
        else:
            latest = self.store.list_conversations(limit=1)
            if not latest:
                raise CliError(
                    translate(
                        "cli.chat", "there is no saved chat to continue; leave out --continue"
                    )
                )
            self.conversation = latest[0]

    @property
    def drop_oldest(self) -> bool:
        """--drop-oldest, or the chat being continued chose it before."""
        from workbench.core.chat import drops_oldest

        return self.args.drop_oldest or (
            self.conversation is not None and drops_oldest(self.conversation)
        )

    @property
    def has_history(self) -> bool:
        """Whether there are earlier messages that --drop-oldest could leave out."""
        return self.conversation is not None

    def start(self, backend, prompt: str, params, *, settings: dict):
        """Save the prompt and start the recorded reply (not saved with --no-save)."""
        if self.args.drop_oldest:
            from workbench.core.chat import DROP_OLDEST

            settings = {**settings, DROP_OLDEST: True}
        if self.conversation is None:
            return start_chat(
                self.args, backend, prompt, params, settings=settings, drop_oldest=self.drop_oldest
            )
        from workbench.core.chat import keep_dropping_oldest, send_message

        store, conversation_id = self.store, self.conversation.id
        changes = {"system_prompt": self.args.system} if self.args.system else {}
        store.update_conversation(conversation_id, model=backend.model_name, **changes)
        if self.args.drop_oldest:
            keep_dropping_oldest(store, conversation_id)
        return send_message(
            store, backend, conversation_id, prompt, params, drop_oldest=self.drop_oldest
        )


#: A local reply that ends with no text at all: the commonest cause, and what to try.
EMPTY_LOCAL_REPLY = QT_TRANSLATE_NOOP(
    "cli.chat",
    "the model answered with nothing; its prompt format may not fit: try another with "
    "--chat-format NAME (see 'workbench chat --help')",
)


def _watch(events, answered: list[bool]):
    """Pass ``events`` on; ``answered`` gets an entry once any text other than spaces comes."""
    from workbench.core.backend import ReasoningDelta, TextDelta

    for event in events:
        if not answered and isinstance(event, (TextDelta, ReasoningDelta)) and event.text.strip():
            answered.append(True)
        yield event


def _answer(
    args, chat: _Chat, backend, prompt: str, params, *, settings: dict, figures: Callable
) -> int:
    """Stream one reply of ``backend`` to stdout; with --stats, ``figures(stats)`` on stderr.

    Returns the exit status: 0, an error's, or Ctrl-C's (the reply is cancelled and saves
    itself as "interrupted").
    """
    from workbench.core.backend import Error

    reply = None
    answered: list[bool] = []
    try:
        reply = chat.start(backend, prompt, params, settings=settings)
        stats = stream_reply(args, _watch(reply, answered))
        if isinstance(stats, Error):
            err(stats.message)
            if stats.kind == "context_overflow" and backend.can_drop_oldest:
                if chat.has_history and not chat.drop_oldest:
                    note(
                        translate(
                            "cli.chat",
                            "add --drop-oldest to leave out the oldest messages of this chat",
                        )
                    )
                elif not chat.has_history:
                    note(
                        translate(
                            "cli.chat", "a longer context (--ctx N) or a shorter prompt would fit"
                        )
                    )
            return EXIT_ERROR
        if stats is not None and stats.dropped_messages:
            dropped = stats.dropped_messages
            # One sentence for one message, one for several, and {count} rather than "%n":
            # lupdate does not find a translate() call with n=.
            note(
                translate(
                    "cli.chat",
                    "left out the oldest message of this chat to fit the model's context",
                )
                if dropped == 1
                else translate(
                    "cli.chat",
                    "left out the {count} oldest messages of this chat to fit the model's context",
                ).format(count=dropped)
            )
        if args.stats and stats is not None and sys.stderr is not None:
            print(json.dumps(figures(stats)), file=sys.stderr, flush=True)
        if (
            not answered
            and backend.source == "local"
            and (stats is None or stats.finish_reason != "cancelled")
        ):
            err(translate("cli.chat", EMPTY_LOCAL_REPLY))
            return EXIT_ERROR
        return 0
    except KeyboardInterrupt:
        if reply is not None:
            reply.cancel()
        print(file=sys.stdout, flush=True)
        return EXIT_INTERRUPTED


# -- local -------------------------------------------------------------------------------------


def local_chat(args: argparse.Namespace) -> int:
    """``workbench chat --model FILE.gguf``: load the model here, answer, unload."""
    from workbench.core.local.host import LocalBackend, ModelLoadError
    from workbench.core.options import OptionError

    load_opts, params = load_options(args), sampling(args)
    try:
        load_opts.validate()
        params.validate()
    except OptionError as exc:
        raise CliError(str(exc)) from None
    chat = _Chat(args)
    prompt = read_prompt(args)

    backend = LocalBackend(args.chat_model, load_opts)
    try:
        try:
            backend.load()
        except ModelLoadError as exc:
            raise CliError(str(exc)) from None
        except KeyboardInterrupt:  # Ctrl-C while the model loads
            print(file=sys.stdout, flush=True)
            return EXIT_INTERRUPTED
        info = backend.info
        if info is not None and info.gpu_retried:  # the user asked for more than loaded
            note(info.gpu_note)
        return _answer(
            args,
            chat,
            backend,
            prompt,
            params,
            settings={"load": backend.options.to_dict()},
            figures=lambda stats: {
                "ttft_s": rounded(stats.ttft_s),
                "prompt_tokens": stats.prompt_tokens,
                "completion_tokens": stats.completion_tokens,
                "tokens_per_s": rounded(stats.tokens_per_s),
                "load_s": rounded(stats.load_s),
                "gpu_layers": info.gpu_layers if info is not None else None,
                "dropped_messages": stats.dropped_messages,
                "finish_reason": stats.finish_reason,
            },
        )
    finally:
        # A reply cut short saves itself as "interrupted" (RecordingReply); the model process
        # is ended either way.
        backend.unload()


# -- cloud -------------------------------------------------------------------------------------


def cloud_chat(args: argparse.Namespace) -> int:
    """``workbench chat --provider NAME --model ID``: the cloud twin of the local chat."""
    from workbench.core.cloud.prices import PriceTable, cost
    from workbench.core.options import OptionError

    if not args.provider:
        raise CliError(
            translate(
                "cli.chat",
                "--base-url needs --provider (for example --provider custom) (see 'workbench "
                "chat --help')",
            ),
            EXIT_USAGE,
        )
    flag = local_only_option(args) or ("--drop-oldest" if args.drop_oldest else None)
    if flag is not None:
        raise CliError(
            translate(
                "cli.chat",
                "{option} applies to local models only, not with --provider (see 'workbench "
                "chat --help')",
            ).format(option=flag),
            EXIT_USAGE,
        )
    params = sampling(args)
    try:
        params.validate()
    except OptionError as exc:
        raise CliError(str(exc)) from None
    target = resolve_target(args.provider, args.base_url)
    model = args.chat_model.strip()
    if not model:
        raise CliError(translate("cli.chat", "the model ID is empty"), EXIT_USAGE)
    chat = _Chat(args)
    prompt = read_prompt(args)

    prices = PriceTable()
    price = prices.lookup(target.id, model, local=target.info.local)
    if prices.warning:
        log.warning("%s", prices.warning)
    backend = cloud_backend(target, model, price=price)

    def figures(stats) -> dict:
        spent = stats.cost
        if spent is None and price is not None:
            spent = cost(price, stats.prompt_tokens, stats.completion_tokens)
        return {
            "ttft_s": rounded(stats.ttft_s),
            "prompt_tokens": stats.prompt_tokens,
            "completion_tokens": stats.completion_tokens,
            "tokens_per_s": rounded(stats.tokens_per_s),
            "total_s": rounded(stats.total_s),
            "cost": None if spent is None else round(spent, 8),
            "finish_reason": stats.finish_reason,
        }

    try:
        return _answer(
            args,
            chat,
            backend,
            prompt,
            params,
            settings={"provider": target.id, "base_url": target.base_url},
            figures=figures,
        )
    finally:
        backend.close()
