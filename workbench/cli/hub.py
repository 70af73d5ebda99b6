"""Hub and library commands: ``search``, ``files``, ``download``, ``models``.

Built on ``workbench.core`` only. The endpoint is ``--endpoint``, else ``HF_ENDPOINT``, else the
app's setting; the token is ``HF_TOKEN``, else the one saved in the keychain. Failures print one
``error: …`` line and exit 1; ``download`` exits 0 only when the verified file is in place.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from workbench.cli.common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    err,
    pad,
    positive_int,
    print_table,
)
from workbench.core import secrets
from workbench.core.i18n import QT_TRANSLATE_NOOP, decimal, translate
from workbench.core.settings import SettingsError, hub_endpoint, load_settings
from workbench.core.units import human_count, human_duration, human_size


def register(sub) -> None:
    """Add the Hub and library subcommands to the main parser's subparsers."""
    print_json = translate("cli.hub", "print JSON")
    revision = translate("cli.hub", "branch, tag or commit (default: main)")
    fit_ctx = translate("cli.hub", "context length for the fit, in tokens (default: 4096)")
    repo = translate("cli.hub", "a Hub repository, e.g. Qwen/Qwen2.5-7B-Instruct-GGUF")

    search = sub.add_parser("search", help=translate("cli.hub", "search the Hub for GGUF models"))
    search.add_argument("query", metavar="QUERY", help=translate("cli.hub", "words to look for"))
    search.add_argument(
        "--sort",
        choices=("downloads", "likes", "updated"),
        default="downloads",
        help=translate("cli.hub", "order of the results (default: downloads)"),
    )
    search.add_argument(
        "--limit",
        type=positive_int,
        default=20,
        metavar="N",
        help=translate("cli.hub", "show at most N models (default: 20)"),
    )
    search.add_argument("--json", action="store_true", help=print_json)
    _endpoint_arg(search)

    files = sub.add_parser(
        "files", help=translate("cli.hub", "list a Hub repo's GGUF files, their sizes and fit")
    )
    files.add_argument("repo", metavar="REPO", help=repo)
    files.add_argument("--revision", metavar="REV", help=revision)
    files.add_argument("--ctx", type=positive_int, default=4096, metavar="N", help=fit_ctx)
    files.add_argument(
        "--kv-cache-type",
        default="f16",
        metavar="TYPE",
        help=translate("cli.hub", "KV cache type for the fit (default: f16)"),
    )
    files.add_argument(
        "--no-fit", action="store_true", help=translate("cli.hub", "skip reading the model header")
    )
    files.add_argument("--json", action="store_true", help=print_json)
    _endpoint_arg(files)

    download = sub.add_parser(
        "download", help=translate("cli.hub", "download a GGUF file (resumes; verifies)")
    )
    download.add_argument("repo", metavar="REPO", help=repo)
    download.add_argument(
        "file",
        metavar="FILE",
        help=translate("cli.hub", "file in the repo (a split model's 1st part)"),
    )
    download.add_argument(
        "--to",
        metavar="DIR",
        help=translate("cli.hub", "folder to put it in (default: the library)"),
    )
    download.add_argument("--revision", metavar="REV", help=revision)
    _endpoint_arg(download)

    models = sub.add_parser("models", help=translate("cli.hub", "list the models in the library"))
    models.add_argument("--ctx", type=positive_int, default=4096, metavar="N", help=fit_ctx)
    models.add_argument("--json", action="store_true", help=print_json)
    for command in (search, files, download, models):
        command.set_defaults(run=run)


def _endpoint_arg(parser) -> None:
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help=translate("cli.hub", "Hub address (default: the app setting)"),
    )


def _client(args):
    from workbench.core.hub.client import HubClient

    settings = load_settings()
    endpoint = hub_endpoint(settings, override=args.endpoint, env_first=True)
    return HubClient(endpoint, secrets.hf_token(), allow_mirror=settings.hub_token_to_mirror)


def run(args: argparse.Namespace) -> int:
    """Run one of this module's commands; returns the exit status."""
    from workbench.core.hub.client import HubError
    from workbench.core.library import LibraryError

    handler = {
        "search": cmd_search,
        "files": cmd_files,
        "download": cmd_download,
        "models": cmd_models,
    }[args.command]
    try:
        return handler(args)
    except (HubError, SettingsError, LibraryError) as exc:
        err(str(exc))
        return EXIT_ERROR


# -- search ----------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    pager = _client(args).search(args.query, sort=args.sort, page_size=min(args.limit, 100))
    repos = []
    while len(repos) < args.limit:
        page = pager.next_page()
        repos.extend(page)
        if not page or not pager.has_more:
            break
    repos = repos[: args.limit]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "repo": r.repo_id,
                        "downloads": r.downloads,
                        "likes": r.likes,
                        "last_modified": r.last_modified.isoformat() if r.last_modified else None,
                        "gated": r.gated,
                    }
                    for r in repos
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not repos:
        print(translate("cli.hub", "no GGUF models match"), file=sys.stderr)
        return 0
    rows = [
        (
            translate("cli.hub", "REPO"),
            translate("cli.hub", "DOWNLOADS"),
            translate("cli.hub", "LIKES"),
            translate("cli.hub", "UPDATED"),
        )
    ]
    for r in repos:
        updated = r.last_modified.date().isoformat() if r.last_modified else "-"
        if r.gated:
            updated = translate("cli.hub", "{date}  (gated)").format(date=updated)
        rows.append((r.repo_id, human_count(r.downloads), human_count(r.likes), updated))
    print_table(rows, right=(1, 2))
    return 0


# -- files -----------------------------------------------------------------------------------


def cmd_files(args: argparse.Namespace) -> int:
    from workbench.core.fit import estimate_fit, scaled_shape
    from workbench.core.hub.client import HubError
    from workbench.core.local.capabilities import gpu_offload_supported
    from workbench.core.sysmem import detect_memory

    client = _client(args)
    details = client.repo_details(args.repo, args.revision)
    shape, fit_note = None, None
    models = [e for e in details.entries if e.kind == "model"]
    if models and not args.no_fit:
        try:
            smallest = min(models, key=lambda e: e.size)
            shape = client.read_shape(details.repo_id, smallest, details.sha)
        except (HubError, ValueError) as exc:
            fit_note = translate("cli.hub", "fit unknown: {problem}").format(problem=exc)
    memory = detect_memory(gpu=gpu_offload_supported()) if shape is not None else None

    rows = []
    for quant, entries in details.by_quantization():
        for entry in entries:
            fit = None
            if shape is not None and entry.kind == "model":
                fit = estimate_fit(
                    scaled_shape(shape, entry.size),
                    memory,
                    n_ctx=args.ctx,
                    type_k=args.kv_cache_type,
                    type_v=args.kv_cache_type,
                )
            rows.append((quant, entry, fit))
    if args.json:
        print(
            json.dumps(
                {
                    "repo": details.repo_id,
                    "revision": details.sha,
                    "files": [
                        {
                            "name": e.name,
                            "quantization": q,
                            "kind": e.kind,
                            "size": e.size,
                            "parts": [f.path for f in e.files],
                            "sha256": [f.sha256 for f in e.files],
                            "fit": fit.verdict if fit else None,
                            "fit_badge": fit.badge() if fit else None,
                            "fit_explain": fit.explain() if fit else None,
                        }
                        for q, e, fit in rows
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    print(_facts(details))
    if not rows:
        print(translate("cli.hub", "no GGUF files in this repository"), file=sys.stderr)
        return 0
    table = [
        (
            pad(translate("cli.hub", "QUANT"), 10),
            translate("cli.hub", "FILE"),
            pad(translate("cli.hub", "SIZE"), 9, right=True),
            translate("cli.hub", "FIT"),
        )
    ]
    for quant, entry, fit in rows:
        if entry.kind == "mmproj":
            label = translate("cli.hub", "vision projector")
        else:
            label = fit.badge() if fit else "-"
        table.append((quant or "-", entry.name, human_size(entry.size), label))
    print_table(table, right=(2,))
    if rows and shape is not None:
        best = next((f for _, e, f in rows if f is not None), None)
        if best is not None:
            print(
                translate("cli.hub", "fit for {tokens} tokens of context; e.g. {example}").format(
                    tokens=decimal(args.ctx, 0), example=best.explain()
                )
            )
    if fit_note:
        print(fit_note, file=sys.stderr)
    return 0


def _facts(d) -> str:
    facts = [d.repo_id]
    if d.architecture:
        facts.append(d.architecture)
    if d.parameters:
        facts.append(
            translate("cli.hub", "{count} parameters").format(count=human_count(d.parameters))
        )
    if d.context_length:
        facts.append(
            translate("cli.hub", "context {tokens}").format(tokens=decimal(d.context_length, 0))
        )
    if d.license:
        facts.append(translate("cli.hub", "licence {licence}").format(licence=d.license))
    else:
        facts.append(translate("cli.hub", "licence not stated"))
    facts.append(translate("cli.hub", "{count} downloads").format(count=human_count(d.downloads)))
    if d.gated:
        facts.append(translate("cli.hub", "gated"))
    return " · ".join(facts)


# -- download --------------------------------------------------------------------------------


class _Bar:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.enabled = sys.stderr is not None and sys.stderr.isatty()
        self._last = 0.0
        self._said_waiting = False
        self.waiting = False

    def __call__(self, p) -> None:
        self.waiting = p.phase == "waiting"
        if self.waiting and not self._said_waiting:
            # Said once, on a terminal or not: the wait may be long and the bar stands still.
            self._said_waiting = True
            if self.enabled:
                sys.stderr.write("\r")
            print(
                translate(
                    "cli.hub",
                    "waiting for another download of {name} to finish (Ctrl+C stops waiting)",
                ).format(name=self.name),
                file=sys.stderr,
                flush=True,
            )
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.2 and p.done < p.total):
            return
        self._last = now
        width = max(10, min(40, shutil.get_terminal_size((80, 20)).columns - 60))
        frac = p.done / p.total if p.total else 0.0
        filled = int(frac * width)
        eta = ""
        if p.eta_s is not None:
            eta = translate("cli.hub", "{time} left").format(time=human_duration(p.eta_s))
        line = translate(
            "cli.hub", "{name} [{bar}] {percent}% {done} / {total} {speed}/s {time_left}"
        ).format(
            name=pad(self.name[:30], 30),
            bar="#" * filled + "." * (width - filled),
            percent=pad(decimal(frac * 100, 1), 5, right=True),
            done=human_size(p.done),
            total=human_size(p.total),
            speed=human_size(int(p.speed_bps)),
            time_left=eta,
        )
        sys.stderr.write("\r" + pad(line[:200], 100))
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def cmd_download(args: argparse.Namespace) -> int:
    from huggingface_hub import hf_hub_url

    from workbench.core import paths
    from workbench.core.downloads.destination import safe_destination
    from workbench.core.downloads.errors import TransferError
    from workbench.core.downloads.transfer import FileTransfer
    from workbench.core.library import Library

    client = _client(args)
    details = client.repo_details(args.repo, args.revision)
    wanted = args.file.strip("/")
    entry = next(
        (e for e in details.entries if wanted in (e.name, *(f.path for f in e.files))), None
    )
    if entry is None:
        names = ", ".join(e.files[0].path for e in details.entries[:8])
        if names:
            err(
                translate("cli.hub", "{repo} has no GGUF file {file} (files: {names})").format(
                    repo=args.repo, file=repr(wanted), names=names
                )
            )
        else:
            err(
                translate("cli.hub", "{repo} has no GGUF file {file} (it has none)").format(
                    repo=args.repo, file=repr(wanted)
                )
            )
        return EXIT_ERROR
    settings = load_settings()
    to_library = args.to is None
    try:
        if to_library:
            root = safe_destination(settings.models_path(), *details.repo_id.split("/"))
        else:
            root = Path(args.to).expanduser()
            root.mkdir(parents=True, exist_ok=True)
        targets = [safe_destination(root, *f.path.split("/")) for f in entry.files]
    except TransferError as exc:
        err(str(exc))
        return EXIT_ERROR
    except OSError as exc:
        err(
            translate("cli.hub", "cannot use the folder {folder}: {reason}").format(
                folder=args.to, reason=exc.strerror or exc
            )
        )
        return EXIT_ERROR
    headers = client.auth_headers()
    current = None
    bar: _Bar | None = None
    try:
        for file, dest in zip(entry.files, targets, strict=True):
            bar = _Bar(Path(file.path).name)
            url = hf_hub_url(
                details.repo_id,
                file.path,
                revision=details.sha or args.revision,
                endpoint=client.endpoint,
            )
            current = FileTransfer(
                url, dest, size=file.size, sha256=file.sha256, headers=headers, on_progress=bar
            )
            try:
                current.run()
            finally:
                bar.done()
            if current.already_downloaded:
                # Checked under the file's lock: it is the Hub's file (size and SHA-256).
                print(
                    translate("cli.hub", "{path} was already downloaded").format(path=dest),
                    file=sys.stderr,
                )
    except TransferError as exc:
        err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        if current is not None:
            current.pause()
        if bar is not None and bar.waiting:
            err(translate("cli.hub", "stopped waiting; the other download goes on"))
        else:
            err(
                translate(
                    "cli.hub",
                    "interrupted; the partial file is kept — run the same command to resume",
                )
            )
        return EXIT_INTERRUPTED
    if to_library:
        library = Library(settings.models_path(), paths.data_dir() / "library.json")
        for file, dest in zip(entry.files, targets, strict=True):
            library.record_download(
                dest, repo_id=details.repo_id, revision=details.sha, sha256=file.sha256
            )
    print(targets[0])
    return 0


# -- models ----------------------------------------------------------------------------------


def cmd_models(args: argparse.Namespace) -> int:
    from workbench.core import paths
    from workbench.core.fit import estimate_fit
    from workbench.core.library import Library
    from workbench.core.local.capabilities import gpu_offload_supported
    from workbench.core.sysmem import detect_memory

    library = Library(load_settings().models_path(), paths.data_dir() / "library.json")
    entries = library.scan()
    memory = detect_memory(gpu=gpu_offload_supported())
    rows = []
    for e in entries:
        shape = library.shape_of(e) if e.error is None else None
        fit = estimate_fit(shape, memory, n_ctx=args.ctx) if shape is not None else None
        rows.append((e, fit))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "name": e.name,
                        "path": str(e.path),
                        "size": e.size,
                        "quantization": e.quantization,
                        "source": e.source,
                        "repo": e.repo_id,
                        "fit": fit.verdict if fit else None,
                        "error": e.error,
                    }
                    for e, fit in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not rows:
        print(
            translate("cli.hub", "no models yet in {folder}").format(folder=library.models_dir),
            file=sys.stderr,
        )
        return 0
    table = [
        (
            translate("cli.hub", "MODEL"),
            pad(translate("cli.hub", "QUANT"), 8),
            pad(translate("cli.hub", "SIZE"), 9, right=True),
            pad(translate("cli.hub", "FIT"), 22),
            translate("cli.hub", "SOURCE / PATH"),
        )
    ]
    for e, fit in rows:
        badge = translate("cli.hub", "unusable") if e.error else (fit.badge() if fit else "-")
        table.append(
            (
                e.name,
                e.quantization or "-",
                human_size(e.size),
                badge,
                translate("cli.hub", "{source}: {path}").format(
                    source=_source_label(e.source), path=e.path
                ),
            )
        )
    print_table(table, right=(2,))
    return 0


# Where a library model came from, as core's LibraryEntry.source says it.
_SOURCES = {
    "downloaded": QT_TRANSLATE_NOOP("cli.hub", "downloaded"),
    "folder": QT_TRANSLATE_NOOP("cli.hub", "models folder"),
    "imported": QT_TRANSLATE_NOOP("cli.hub", "imported"),
    "hf_cache": QT_TRANSLATE_NOOP("cli.hub", "Hugging Face cache"),
}


def _source_label(source: str) -> str:
    label = _SOURCES.get(source)
    return translate("cli.hub", label) if label else source
