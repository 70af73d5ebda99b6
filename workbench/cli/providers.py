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
from workbench.core.i18n import translate

if TYPE_CHECKING:
    from workbench.core.keys import KeyStore

# The core modules are imported where they are used: the package workbench.core.cloud may pull
# in the openai SDK, and `workbench --version` or `workbench chat --model x.gguf` should not
# pay for that.


# -- parser ----------------------------------------------------------------------------------


def register(sub) -> None:
    """Add the ``providers`` command to the main parser's subparsers."""
    print_json = translate("cli.providers", "print JSON")
    provider_id = translate("cli.providers", "a configured provider or a preset id")

    providers = sub.add_parser(
        "providers",
        help=translate("cli.providers", "list, add and remove cloud providers"),
        description=translate(
            "cli.providers",
            "List the configured cloud providers; with an action, add or remove one, save its "
            "API key or list its models.",
        ),
    )
    providers.add_argument("--json", action="store_true", help=print_json)
    providers.add_argument(
        "--presets", action="store_true", help=translate("cli.providers", "list the known services")
    )
    actions = providers.add_subparsers(dest="providers_action", metavar="ACTION")

    add = actions.add_parser(
        "add", help=translate("cli.providers", "configure a provider from a preset")
    )
    add.add_argument(
        "preset_id",
        metavar="PRESET",
        help=translate("cli.providers", "a preset id (see --presets)"),
    )
    add.add_argument(
        "--name",
        metavar="NAME",
        help=translate("cli.providers", "a name of your own (also gives the provider its id)"),
    )
    add.add_argument(
        "--base-url",
        metavar="URL",
        help=translate("cli.providers", "another address than the preset's"),
    )

    key = actions.add_parser(
        "key",
        help=translate(
            "cli.providers",
            "save a provider's API key, read from stdin (never from the command line)",
        ),
    )
    key.add_argument("provider_id", metavar="ID", help=provider_id)
    key.add_argument(
        "--delete",
        action="store_true",
        help=translate("cli.providers", "delete the saved key instead"),
    )
    key.add_argument(
        "--file-store",
        action="store_true",
        help=translate(
            "cli.providers",
            "where there is no keychain, keep keys in a private file in the data folder",
        ),
    )

    remove = actions.add_parser(
        "remove", help=translate("cli.providers", "forget a provider and delete its key")
    )
    remove.add_argument(
        "provider_id", metavar="ID", help=translate("cli.providers", "a configured provider")
    )

    models = actions.add_parser(
        "models", help=translate("cli.providers", "fetch and list the models a provider serves")
    )
    models.add_argument("provider_id", metavar="ID", help=provider_id)
    models.add_argument(
        "--base-url",
        metavar="URL",
        help=translate("cli.providers", "another address than the provider's"),
    )
    models.add_argument("--json", action="store_true", dest="models_json", help=print_json)
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


def _key_source(keys: KeyStore, provider_id: str, env_key: str | None) -> str | None:
    """Where the key comes from ("environment", "keychain", "file", "unusable" or None); never
    the key itself."""
    from workbench.core.keys import KeyStoreError

    try:
        return keys.source(provider_id, env_key=env_key)
    except KeyStoreError:
        return "unusable"


def _key_value(source: str | None, env_key: str | None) -> str:
    """The JSON output's ``key``: a machine value, in English whatever the language."""
    if source == "unusable":
        return "file (unusable)"
    if source == "environment":
        return f"environment ({env_key})"
    return source or "none"


def _key_label(source: str | None, env_key: str | None) -> str:
    """Where the key comes from, for the table, in the user's language."""
    if source == "unusable":
        return translate("cli.providers", "file (unusable)")
    if source == "environment":
        return translate("cli.providers", "environment ({variable})").format(variable=env_key)
    if source == "keychain":
        return translate("cli.providers", "keychain")
    if source == "file":
        return translate("cli.providers", "file")
    if source is None:
        return translate("cli.providers", "none")
    return source


def cmd_list(args: argparse.Namespace) -> int:
    from workbench.core.cloud.providers import ProviderStore
    from workbench.core.keys import KeyStore

    if args.presets:
        return _list_presets(args)
    keys = KeyStore()
    rows = []
    for p in ProviderStore().providers():
        info = p.preset_info()
        rows.append((p, info, _key_source(keys, p.id, p.key_variable)))
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
                        "key": _key_value(source, p.key_variable),
                    }
                    for p, info, source in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print(
            translate(
                "cli.providers",
                "no providers yet: add one with 'workbench providers add PRESET' (see "
                "'workbench providers --presets')",
            ),
            file=sys.stderr,
        )
        return 0
    header = (
        translate("cli.providers", "ID"),
        translate("cli.providers", "NAME"),
        translate("cli.providers", "BASE URL"),
        translate("cli.providers", "MODELS"),
        translate("cli.providers", "KEY"),
    )
    table = [header] + [
        (
            p.id,
            p.name,
            p.base_url,
            str(len(p.all_models())),
            _key_label(source, p.key_variable),
        )
        for p, _info, source in rows
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
    header = (
        translate("cli.providers", "PRESET"),
        translate("cli.providers", "NAME"),
        translate("cli.providers", "BASE URL"),
        translate("cli.providers", "KIND"),
        translate("cli.providers", "KEY VARIABLE"),
    )
    table = [header] + [
        (
            p.id,
            p.name,
            p.base_url or translate("cli.providers", "(any, with --base-url)"),
            _kind(p),
            p.env_key or "-",
        )
        for p in PRESETS
    ]
    print_table(table)
    return 0


def _kind(preset) -> str:
    if preset.local:
        return translate("cli.providers", "local")
    if preset.id == "custom":
        return translate("cli.providers", "any")
    return translate("cli.providers", "cloud")


def cmd_add(args: argparse.Namespace) -> int:
    from workbench.core.cloud.providers import ProviderStore

    try:
        provider = ProviderStore().add(args.preset_id, name=args.name, base_url=args.base_url)
    except KeyError:
        raise CliError(
            translate(
                "cli.providers", "no preset named {preset} (see 'workbench providers --presets')"
            ).format(preset=repr(args.preset_id))
        ) from None
    print(provider.id)
    info = provider.preset_info()
    if not info.local:
        print(
            translate(
                "cli.providers", "add its key with 'workbench providers key {id}' or set {variable}"
            ).format(id=provider.id, variable=provider.key_variable),
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
        print(
            translate("cli.providers", "The saved key for {provider} is deleted.").format(
                provider=target.name
            )
        )
        return 0
    if args.file_store and not keys.file_store_enabled:
        keys.enable_file_store(True)
        warn(translate("core.keys", FILE_STORE_WARNING))
    if sys.stdin is None:
        raise CliError(translate("cli.providers", "no key: pipe it into stdin"))
    if sys.stdin.isatty():
        # getpass reads from the terminal without echoing: the key stays off the screen.
        key = getpass.getpass(
            translate("cli.providers", "API key for {provider} (not shown): ").format(
                provider=target.name
            )
        )
    else:
        key = sys.stdin.read()
    try:
        where = keys.set(target.id, key, env_key=target.env_key)
    except KeyStoreError as exc:
        if not keys.keychain_available():
            env = target.env_key
            if env:
                message = translate(
                    "cli.providers",
                    "no system keychain is available, so the key cannot be saved: set {variable} "
                    "for this session or add --file-store to keep keys in a private file",
                ).format(variable=env)
            else:
                message = translate(
                    "cli.providers",
                    "no system keychain is available, so the key cannot be saved: add "
                    "--file-store to keep keys in a private file",
                )
            raise CliError(message) from None
        raise CliError(str(exc)) from None
    if where == "keychain":
        saved = translate(
            "cli.providers", "The key for {provider} is saved in the system keychain."
        ).format(provider=target.name)
    else:
        saved = translate(
            "cli.providers", "The key for {provider} is saved in the key file {path}."
        ).format(provider=target.name, path=keys.keys_path)
    print(saved)
    env = target.env_key
    if env and (os.environ.get(env) or "").strip():
        warn(
            translate(
                "cli.providers",
                "{variable} is set in this environment and is used instead of the saved key",
            ).format(variable=env)
        )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from workbench.core.cloud.providers import ProviderStore

    try:
        ProviderStore().remove(args.provider_id)
    except KeyError:
        raise CliError(
            translate("cli.providers", "no configured provider {id}").format(
                id=repr(args.provider_id)
            )
        ) from None
    print(
        translate("cli.providers", "Provider {id} is removed, with its saved key.").format(
            id=args.provider_id
        )
    )
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
        print(
            translate(
                "cli.providers", "{provider} lists no models; type the model ID instead"
            ).format(provider=target.name),
            file=sys.stderr,
        )
    return 0
