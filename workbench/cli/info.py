"""``workbench info``: a GGUF file's metadata, read from its header without loading it."""

from __future__ import annotations

import argparse
import json
import os

from workbench.cli.common import CliError, display_width, pad
from workbench.core.i18n import decimal, translate


def register(sub) -> None:
    """Add the ``info`` command to the main parser's subparsers."""
    info = sub.add_parser(
        "info",
        help=translate("cli.info", "show a GGUF file's metadata"),
        description=translate(
            "cli.info", "Show a GGUF file's metadata, read from its header without loading it."
        ),
    )
    info.add_argument("path", metavar="PATH", help=translate("cli.info", "the GGUF file"))
    info.add_argument("--json", action="store_true", help=translate("cli.info", "print JSON"))
    info.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run ``info``; returns the exit status."""
    from workbench.core.gguf_file import GGUFError, inspect_gguf
    from workbench.core.local.formats import AUTO, choose
    from workbench.core.units import human_count, human_size

    try:
        info = inspect_gguf(args.path)
    except GGUFError as exc:
        raise CliError(str(exc)) from None
    prompt = choose(
        AUTO,
        has_template=info.has_chat_template,
        architecture=info.architecture,
        name=info.name,
        file_name=os.path.basename(info.path),
        tokens=info.chat_markers,
    )
    if args.json:
        data = info.to_dict()
        data.pop("chat_template", None)
        data["prompt_format"] = prompt.format
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    unknown = translate("cli.info", "unknown")
    heads = "?" if info.head_count is None else str(info.head_count)
    kv_heads = "?" if info.head_count_kv is None else str(info.head_count_kv)
    size = human_size(info.file_size)
    if info.split_count > 1:
        size = translate("cli.info", "{size} in {count} parts").format(
            size=size, count=info.split_count
        )
    rows = [
        (translate("cli.info", "file"), os.path.basename(info.path)),
        (translate("cli.info", "size"), size),
        (translate("cli.info", "architecture"), info.architecture or unknown),
        (translate("cli.info", "name"), info.name or "-"),
        (
            translate("cli.info", "parameters"),
            f"{human_count(info.parameter_count)} ({decimal(info.parameter_count, 0)})",
        ),
        (translate("cli.info", "quantization"), info.quantization or unknown),
        (translate("cli.info", "context length"), str(info.context_length or unknown)),
        (translate("cli.info", "layers"), str(info.block_count or unknown)),
        (translate("cli.info", "attention heads"), heads),
        (translate("cli.info", "KV heads"), kv_heads),
        (
            translate("cli.info", "chat template"),
            translate("cli.info", "yes") if info.has_chat_template else translate("cli.info", "no"),
        ),
        (translate("cli.info", "prompt format"), prompt.describe()),
        (translate("cli.info", "GGUF version"), str(info.gguf_version)),
    ]
    width = max(display_width(k) for k, _ in rows)
    for key, value in rows:
        print(f"{pad(key, width)}  {value}")
    return 0
