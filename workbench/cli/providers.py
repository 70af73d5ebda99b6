"""``workbench providers``: list, add and remove cloud providers, save their keys, list their
models.

A provider is named by a configured provider's id or a preset id, resolved as ``chat
--provider`` does (:mod:`workbench.core.cloud.resolve`). Keys are read from stdin, never from
the command line (shell history, process lists), and never printed. Failures print one
``error: …`` line and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import TYPE_CHECKING

from workbench.cli.common import CliError, cloud_backend, print_table, resolve_target, warn

if TYPE_CHECKING:
    from workbench.core.keys import KeyStore

# The core modules are imported where they are used: the package workbench.core.cloud may pull
# in the openai SDK, and `workbench --version` or `workbench chat --model x.gguf` should not
# pay for that.


# -- parser ----------------------------------------------------------------------------------


def register(sub) -> None:
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
    providers.set_defaults(run=run)


# -- providers ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    """Run ``providers`` and its actions; returns the exit status."""
    from workbench.core.cloud.providers import ProviderError
    from workbench.core.cloud.resolve import ResolveError
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
    except (ProviderError, KeyStoreError, ResolveError) as exc:
        raise CliError(str(exc)) from None


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
        rows.append((p, info, _key_label(keys, p.id, p.key_variable)))
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
    print_table(table)
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
    print_table(table)
    return 0


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
    if not info.local:
        print(
            f"add its key with 'workbench providers key {provider.id}' "
            f"or set {provider.key_variable}",
            file=sys.stderr,
        )
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    from workbench.core.cloud.resolve import Target, identify
    from workbench.core.keys import FILE_STORE_WARNING, KeyStore, KeyStoreError

    configured, info = identify(args.provider_id)
    # Only who the key belongs to matters here, not the address.
    target = Target.of(configured) if configured else Target(info.id, info.name, info, "", None)
    keys = KeyStore()
    if args.delete:
        keys.delete(target.id)
        print(f"The saved key for {target.name} is deleted.")
        return 0
    if args.file_store and not keys.file_store_enabled:
        keys.enable_file_store(True)
        warn(FILE_STORE_WARNING)
    if sys.stdin is None:
        raise CliError("no key: pipe it into stdin")
    if sys.stdin.isatty():
        # getpass reads from the terminal without echoing: the key stays off the screen.
        key = getpass.getpass(f"API key for {target.name} (not shown): ")
    else:
        key = sys.stdin.read()
    try:
        where = keys.set(target.id, key, env_key=target.env_key)
    except KeyStoreError as exc:
        if not keys.keychain_available():
            env = target.env_key
            session = f"set {env} for this session or " if env else ""
            raise CliError(
                f"no system keychain is available, so the key cannot be saved: {session}"
                f"add --file-store to keep keys in a private file"
            ) from None
        raise CliError(str(exc)) from None
    place = "the system keychain" if where == "keychain" else f"the key file {keys.keys_path}"
    print(f"The key for {target.name} is saved in {place}.")
    env = target.env_key
    if env and (os.environ.get(env) or "").strip():
        warn(f"{env} is set in this environment and is used instead of the saved key")
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

    target = resolve_target(args.provider_id, args.base_url)
    backend = cloud_backend(target, (target.configured.model if target.configured else None) or "")
    try:
        models = backend.list_models()
    except CloudError as exc:
        raise CliError(str(exc)) from None
    finally:
        backend.close()
    provider = target.configured
    if provider is not None and not args.base_url:
        provider.models = list(models)
        ProviderStore().update(provider)
    if args.models_json:
        print(json.dumps(models, indent=2, ensure_ascii=False))
    elif models:
        print("\n".join(models))
    else:
        print(f"{target.name} lists no models; type the model ID instead", file=sys.stderr)
    return 0
