"""``workbench info``: a GGUF file's metadata, read from its header without loading it."""

from __future__ import annotations

import argparse
import json
import os

from workbench.cli.common import CliError


def register(sub) -> None:
    """Add the ``info`` command to the main parser's subparsers."""
    info = sub.add_parser("info", help="show a GGUF file's metadata")
    info.add_argument("path", metavar="PATH")
    info.add_argument("--json", action="store_true", help="print JSON")
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
        ("prompt format", prompt.describe()),
        ("GGUF version", str(info.gguf_version)),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0
