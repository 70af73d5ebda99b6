"""Cloud commands: ``chat --provider``, and ``providers`` to list, add, remove and key them.

``--provider NAME`` is a configured provider's id or a preset id (a preset is then used as is,
with its default address). The base URL is, in this order:

1. ``--base-url URL``;
2. the configured provider's address, when the user changed it from the preset's;
3. ``OPENAI_BASE_URL`` for the OpenAI preset, as the OpenAI SDK and tools built on it read it;
4. the preset's address (for a configured provider: the one saved with it).

The key is the preset's own environment variable (``OPENAI_API_KEY``…), else the keychain, else
the opt-in key file. Keys are never taken from the command line (shell history, process lists)
and never printed. Failures print one ``error: …`` line and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.cli import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, _err, _round

if TYPE_CHECKING:
    from workbench.core.cloud.providers import Provider, ProviderPreset, ProviderStore
    from workbench.core.keys import KeyStore

# The core modules are imported where they are used: the package workbench.core.cloud may pull
# in the openai SDK, and `workbench --version` or `workbench chat --model x.gguf` should not
# pay for that.

log = logging.getLogger(__name__)


# Options of `chat` that only mean something for a model loaded here.
LOCAL_ONLY_OPTIONS = {
    "ctx": "--ctx",
    "gpu_layers": "--gpu-layers",
    "threads": "--threads",
    "batch_size": "--batch-size",
    "flash_attn": "--flash-attn",
    "kv_cache_type": "--kv-cache-type",
    "no_mmap": "--no-mmap",
    "mlock": "--mlock",
}


class CliError(Exception):
    """Reported as one ``error:`` line; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def _warn(message: str) -> None:
    if sys.stderr is not None:
        print(f"warning: {message}", file=sys.stderr, flush=True)


# -- parser ----------------------------------------------------------------------------------


def add_chat_options(chat: argparse.ArgumentParser) -> None:
    """Add ``--provider`` and ``--base-url`` to the ``chat`` command."""
    chat.add_argument(
        "--provider",
        metavar="NAME",
        help="chat with a cloud or server model: a configured provider or a preset "
        "(see 'workbench providers'); --model is then the model ID",
    )
    chat.add_argument(
        "--base-url", metavar="URL", help="the provider's address, e.g. http://localhost:8000/v1"
    )


def add_commands(sub) -> None:
    """Add the ``providers`` command to the main parser's subparsers."""
    providers = sub.add_parser("providers", help="list, add and remove cloud providers")
    providers.add_argument("--json", action="store_true", help="print JSON")
    providers.add_argument("--presets", action="store_true", help="list the known services")
    actions = providers.add_subparsers(dest="providers_action", metavar="ACTION")

    add = actions.add_parser("add", help="configure a provider from a preset")
    add.add_argument("preset_id", metavar="PRESET", help="a preset id (see --presets)")
    add.add_argument("--name", help="a name of your own (also gives the provider its id)")
    add.add_argument("--base-url", metavar="URL", help="another address than the preset's")

    key = actions.add_parser(
        "key", help="save a provider's API key, read from stdin (never from the command line)"
    )
    key.add_argument("provider_id", metavar="ID", help="a configured provider or a preset id")
    key.add_argument("--delete", action="store_true", help="delete the saved key instead")
    key.add_argument(
        "--file-store",
        action="store_true",
        help="where there is no keychain, keep keys in a private file in the data folder",
    )

    remove = actions.add_parser("remove", help="forget a provider and delete its key")
    remove.add_argument("provider_id", metavar="ID")

    models = actions.add_parser("models", help="fetch and list the models a provider serves")
    models.add_argument("provider_id", metavar="ID", help="a configured provider or a preset id")
    models.add_argument("--base-url", metavar="URL", help="another address than the provider's")
    models.add_argument("--json", action="store_true", dest="models_json", help="print JSON")


# -- resolving a provider --------------------------------------------------------------------


@dataclass
class Target:
    """What ``--provider NAME`` resolved to."""

    id: str
    name: str
    info: ProviderPreset
    base_url: str
    configured: Provider | None


def resolve(
    name: str, base_url: str | None = None, *, store: ProviderStore | None = None, environ=None
) -> Target:
    """The provider to talk to, by configured id or preset id (see the module docstring).

    Raises:
        CliError: Unknown name, an unusable address, or Custom without one.
    """
    from workbench.core.cloud.providers import ProviderError, normalize_base_url

    environ = os.environ if environ is None else environ
    configured, info = _identify(name, store)
    label = configured.name if configured else info.name
    pid = configured.id if configured else info.id
    env_url = (environ.get("OPENAI_BASE_URL") or "").strip() if info.id == "openai" else ""
    try:
        if base_url:
            url = normalize_base_url(base_url)
        elif configured is not None and configured.base_url != info.base_url:
            url = configured.base_url
        elif env_url:
            try:
                url = normalize_base_url(env_url)
            except ProviderError as exc:
                raise CliError(f"OPENAI_BASE_URL is set to an unusable value: {exc}") from None
        elif configured is not None:
            url = configured.base_url
        elif info.base_url:
            url = info.base_url
        else:
            raise CliError(
                f"{info.name} needs --base-url URL (see 'workbench chat --help')", EXIT_USAGE
            )
    except ProviderError as exc:
        raise CliError(str(exc)) from None
    return Target(pid, label, info, url, configured)


def _identify(
    name: str, store: ProviderStore | None = None
) -> tuple[Provider | None, ProviderPreset]:
    """The configured provider with this id (or None) and its preset; configured ids win."""
    from workbench.core.cloud.providers import PRESETS, ProviderStore, preset

    store = store if store is not None else ProviderStore()
    try:
        configured = store.get(name)
        return configured, configured.preset_info()
    except KeyError:
        pass
    try:
        return None, preset(name)
    except KeyError:
        known = list(dict.fromkeys([*(p.id for p in store.providers()), *(p.id for p in PRESETS)]))
        raise CliError(f"no provider named {name!r} (try one of: {', '.join(known)})") from None


def _key_for(target: Target, keys: KeyStore) -> str | None:
    from workbench.core.keys import KeyStoreError

    try:
        key = keys.get(target.id, env_key=target.info.env_key)
    except KeyStoreError as exc:
        raise CliError(str(exc)) from None
    # Cloud presets cannot work without one; local servers and Custom usually do.
    if key is None and not target.info.local and target.info.id != "custom":
        raise CliError(
            f"no API key for {target.name}: set {target.info.env_key} or add the key in Settings"
        )
    return key


def _backend(target: Target, model: str, *, keys: KeyStore | None = None, price=None):
    from workbench.core.cloud.backend import CloudBackend, CloudError
    from workbench.core.keys import KeyStore

    key = _key_for(target, keys if keys is not None else KeyStore())
    try:
        return CloudBackend(
            base_url=target.base_url,
            api_key=key,
            model=model,
            provider_name=target.name,
            provider_id=target.id,
            price=price,
            extra_sampling=target.info.extra_sampling,
        )
    except CloudError as exc:
        raise CliError(str(exc)) from None


def read_prompt(args: argparse.Namespace) -> str:
    """``--prompt``, else stdin when it is not a terminal.

    Raises:
        CliError: No prompt (a usage error), or an empty one.
    """
    prompt = args.prompt
    if prompt is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise CliError(
                "no prompt: pass --prompt TEXT or pipe the question into stdin", EXIT_USAGE
            )
        prompt = sys.stdin.read()
    if not prompt.strip():
        raise CliError("the prompt is empty")
    return prompt


# -- chat --------------------------------------------------------------------------------------


def cmd_chat(args: argparse.Namespace) -> int:
    """``workbench chat --provider NAME --model ID``: the cloud twin of the local chat."""
    try:
        return _chat(args)
    except CliError as exc:
        _err(str(exc))
        return exc.code


def _chat(args: argparse.Namespace) -> int:
    from workbench.cli import _sampling
    from workbench.core.backend import Error
    from workbench.core.cloud.prices import PriceTable, cost
    from workbench.core.options import OptionError

    if not args.provider:
        raise CliError(
            "--base-url needs --provider (for example --provider custom) (see 'workbench chat "
            "--help')",
            EXIT_USAGE,
        )
    for attr, flag in LOCAL_ONLY_OPTIONS.items():
        value = getattr(args, attr, None)
        if value is not None and value is not False:  # `0 in (None, False)` would be True
            raise CliError(
                f"{flag} applies to local models only, not with --provider "
                f"(see 'workbench chat --help')",
                EXIT_USAGE,
            )
    params = _sampling(args)
    try:
        params.validate()
    except OptionError as exc:
        raise CliError(str(exc)) from None
    target = resolve(args.provider, args.base_url)
    model = args.chat_model.strip()
    if not model:
        raise CliError("the model ID is empty", EXIT_USAGE)
    prompt = read_prompt(args)

    prices = PriceTable()
    price = prices.lookup(target.id, model, local=target.info.local)
    if prices.warning:
        log.warning("%s", prices.warning)
    backend = _backend(target, model, price=price)
    # Each saved reply names where it came from, as "local" does for a model loaded here.
    backend.source = target.id
    reply = None
    try:
        from workbench.cli import start_chat, stream_reply

        reply = start_chat(
            args,
            backend,
            prompt,
            params,
            settings={"provider": target.id, "base_url": target.base_url},
        )
        stats = stream_reply(args, reply)
        if isinstance(stats, Error):
            _err(stats.message)
            return EXIT_ERROR
        if args.stats and stats is not None and sys.stderr is not None:
            spent = stats.cost
            if spent is None and price is not None:
                spent = cost(price, stats.prompt_tokens, stats.completion_tokens)
            figures = {
                "ttft_s": _round(stats.ttft_s),
                "prompt_tokens": stats.prompt_tokens,
                "completion_tokens": stats.completion_tokens,
                "tokens_per_s": _round(stats.tokens_per_s),
                "total_s": _round(stats.total_s),
                "cost": None if spent is None else round(spent, 8),
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
        backend.close()


# -- providers ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Run ``providers`` and its actions; returns the exit status."""
    from workbench.core.cloud.providers import ProviderError
    from workbench.core.keys import KeyStoreError

    handler = {
        None: cmd_list,
        "add": cmd_add,
        "key": cmd_key,
        "remove": cmd_remove,
        "models": cmd_models,
    }[args.providers_action]
    try:
        return handler(args)
    except CliError as exc:
        _err(str(exc))
        return exc.code
    except (ProviderError, KeyStoreError) as exc:
        _err(str(exc))
        return EXIT_ERROR


def _key_label(keys: KeyStore, provider_id: str, env_key: str | None) -> str:
    """Where the key comes from, for display; never the key itself."""
    from workbench.core.keys import KeyStoreError

    try:
        source = keys.source(provider_id, env_key=env_key)
    except KeyStoreError:
        return "file (unusable)"
    if source == "environment":
        return f"environment ({env_key})"
    return source or "none"


def cmd_list(args: argparse.Namespace) -> int:
    from workbench.core.cloud.providers import ProviderStore
    from workbench.core.keys import KeyStore

    if args.presets:
        return _list_presets(args)
    keys = KeyStore()
    rows = []
    for p in ProviderStore().providers():
        info = p.preset_info()
        rows.append((p, info, _key_label(keys, p.id, info.env_key)))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "preset": p.preset,
                        "base_url": p.base_url,
                        "local": info.local,
                        "models": p.models,
                        "manual_models": p.manual_models,
                        "model": p.model,
                        "key": key,
                    }
                    for p, info, key in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print(
            "no providers yet: add one with 'workbench providers add PRESET' "
            "(see 'workbench providers --presets')",
            file=sys.stderr,
        )
        return 0
    table = [("ID", "NAME", "BASE URL", "MODELS", "KEY")] + [
        (p.id, p.name, p.base_url, str(len(p.all_models())), key) for p, _info, key in rows
    ]
    _print_table(table)
    return 0


def _list_presets(args: argparse.Namespace) -> int:
    from workbench.core.cloud.providers import PRESETS

    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": p.id,
                        "name": p.name,
                        "base_url": p.base_url or None,
                        "local": p.local,
                        "env_key": p.env_key,
                        "key_url": p.key_url,
                        "suggested_models": list(p.suggested_models),
                    }
                    for p in PRESETS
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    table = [("PRESET", "NAME", "BASE URL", "KIND", "KEY VARIABLE")] + [
        (
            p.id,
            p.name,
            p.base_url or "(any, with --base-url)",
            "local" if p.local else ("any" if p.id == "custom" else "cloud"),
            p.env_key or "-",
        )
        for p in PRESETS
    ]
    _print_table(table)
    return 0


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.ljust(w) for cell, w in zip(row[:-1], widths[:-1], strict=True)]
        print("  ".join([*cells, row[-1]]))


def cmd_add(args: argparse.Namespace) -> int:
    from workbench.core.cloud.providers import ProviderStore

    try:
        provider = ProviderStore().add(args.preset_id, name=args.name, base_url=args.base_url)
    except KeyError:
        raise CliError(
            f"no preset named {args.preset_id!r} (see 'workbench providers --presets')"
        ) from None
    print(provider.id)
    info = provider.preset_info()
    if not info.local and info.env_key:
        print(
            f"add its key with 'workbench providers key {provider.id}' or set {info.env_key}",
            file=sys.stderr,
        )
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    from workbench.core.keys import FILE_STORE_WARNING, KeyStore, KeyStoreError

    configured, info = _identify(args.provider_id)
    # Only who the key belongs to matters here, not the address.
    target = Target(
        configured.id if configured else info.id,
        configured.name if configured else info.name,
        info,
        "",
        configured,
    )
    keys = KeyStore()
    if args.delete:
        keys.delete(target.id)
        print(f"The saved key for {target.name} is deleted.")
        return 0
    if args.file_store and not keys.file_store_enabled:
        keys.enable_file_store(True)
        _warn(FILE_STORE_WARNING)
    if sys.stdin is None:
        raise CliError("no key: pipe it into stdin")
    if sys.stdin.isatty():
        # getpass reads from the terminal without echoing: the key stays off the screen.
        key = getpass.getpass(f"API key for {target.name} (not shown): ")
    else:
        key = sys.stdin.read()
    try:
        where = keys.set(target.id, key, env_key=target.info.env_key)
    except KeyStoreError as exc:
        if not keys.keychain_available():
            env = target.info.env_key
            session = f"set {env} for this session or " if env else ""
            raise CliError(
                f"no system keychain is available, so the key cannot be saved: {session}"
                f"add --file-store to keep keys in a private file"
            ) from None
        raise CliError(str(exc)) from None
    place = "the system keychain" if where == "keychain" else f"the key file {keys.keys_path}"
    print(f"The key for {target.name} is saved in {place}.")
    env = target.info.env_key
    if env and (os.environ.get(env) or "").strip():
        _warn(f"{env} is set in this environment and is used instead of the saved key")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from workbench.core.cloud.providers import ProviderStore

    try:
        ProviderStore().remove(args.provider_id)
    except KeyError:
        raise CliError(f"no configured provider {args.provider_id!r}") from None
    print(f"Provider {args.provider_id} is removed, with its saved key.")
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from workbench.core.cloud.backend import CloudError
    from workbench.core.cloud.providers import ProviderStore

    store = ProviderStore()
    target = resolve(args.provider_id, args.base_url, store=store)
    backend = _backend(target, (target.configured.model if target.configured else None) or "")
    try:
        models = backend.list_models()
    except CloudError as exc:
        raise CliError(str(exc)) from None
    finally:
        backend.close()
    provider = target.configured
    if provider is not None and not args.base_url:
        provider.models = list(models)
        store.update(provider)
    if args.models_json:
        print(json.dumps(models, indent=2, ensure_ascii=False))
    elif models:
        print("\n".join(models))
    else:
        print(f"{target.name} lists no models; type the model ID instead", file=sys.stderr)
    return 0
