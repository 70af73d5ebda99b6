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

from workbench.cli.common import EXIT_ERROR, EXIT_INTERRUPTED, err, positive_int
from workbench.core import secrets
from workbench.core.settings import SettingsError, hub_endpoint, load_settings
from workbench.core.units import human_count, human_size


def register(sub) -> None:
    """Add the Hub and library subcommands to the main parser's subparsers."""
    search = sub.add_parser("search", help="search the Hub for GGUF models")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--sort", choices=("downloads", "likes", "updated"), default="downloads")
    search.add_argument("--limit", type=positive_int, default=20, metavar="N")
    search.add_argument("--json", action="store_true", help="print JSON")
    _endpoint_arg(search)

    files = sub.add_parser("files", help="list a Hub repo's GGUF files, their sizes and fit")
    files.add_argument("repo", metavar="REPO")
    files.add_argument("--revision", help="branch, tag or commit (default: main)")
    files.add_argument("--ctx", type=positive_int, default=4096, help="context length for the fit")
    files.add_argument("--kv-cache-type", default="f16", metavar="TYPE")
    files.add_argument("--no-fit", action="store_true", help="skip reading the model header")
    files.add_argument("--json", action="store_true", help="print JSON")
    _endpoint_arg(files)

    download = sub.add_parser("download", help="download a GGUF file (resumes; verifies)")
    download.add_argument("repo", metavar="REPO")
    download.add_argument(
        "file", metavar="FILE", help="file in the repo (a split model's 1st part)"
    )
    download.add_argument("--to", metavar="DIR", help="folder to put it in (default: the library)")
    download.add_argument("--revision", help="branch, tag or commit (default: main)")
    _endpoint_arg(download)

    models = sub.add_parser("models", help="list the models in the library")
    models.add_argument("--ctx", type=positive_int, default=4096, help="context length for the fit")
    models.add_argument("--json", action="store_true", help="print JSON")
    for command in (search, files, download, models):
        command.set_defaults(run=run)


def _endpoint_arg(parser) -> None:
    parser.add_argument("--endpoint", metavar="URL", help="Hub address (default: the app setting)")


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
        print("no GGUF models match", file=sys.stderr)
        return 0
    width = max(len(r.repo_id) for r in repos)
    print(f"{'REPO':<{width}}  {'DOWNLOADS':>9}  {'LIKES':>6}  UPDATED")
    for r in repos:
        updated = r.last_modified.date().isoformat() if r.last_modified else "-"
        gated = "  (gated)" if r.gated else ""
        print(
            f"{r.repo_id:<{width}}  {human_count(r.downloads):>9}  {human_count(r.likes):>6}  "
            f"{updated}{gated}"
        )
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
            fit_note = f"fit unknown: {exc}"
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
        print("no GGUF files in this repository", file=sys.stderr)
        return 0
    width = max(len(e.name) for _, e, _ in rows)
    print(f"{'QUANT':<10}  {'FILE':<{width}}  {'SIZE':>9}  FIT")
    for quant, entry, fit in rows:
        label = "vision projector" if entry.kind == "mmproj" else (fit.badge() if fit else "-")
        print(f"{quant or '-':<10}  {entry.name:<{width}}  {human_size(entry.size):>9}  {label}")
    if rows and shape is not None:
        best = next((f for _, e, f in rows if f is not None), None)
        if best is not None:
            print(f"fit for {args.ctx:,} tokens of context; e.g. {best.explain()}")
    if fit_note:
        print(fit_note, file=sys.stderr)
    return 0


def _facts(d) -> str:
    facts = [d.repo_id]
    if d.architecture:
        facts.append(d.architecture)
    if d.parameters:
        facts.append(f"{human_count(d.parameters)} parameters")
    if d.context_length:
        facts.append(f"context {d.context_length:,}")
    facts.append(f"licence {d.license or 'not stated'}")
    facts.append(f"{human_count(d.downloads)} downloads")
    if d.gated:
        facts.append("gated")
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
                f"waiting for another download of {self.name} to finish (Ctrl+C stops waiting)",
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
        eta = f"{p.eta_s:.0f} s left" if p.eta_s is not None else ""
        line = (
            f"\r{self.name[:30]:<30} [{'#' * filled}{'.' * (width - filled)}] {frac:6.1%} "
            f"{human_size(p.done)} / {human_size(p.total)} {human_size(int(p.speed_bps))}/s {eta}"
        )
        sys.stderr.write(line[:200].ljust(100))
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
        names = ", ".join(e.files[0].path for e in details.entries[:8]) or "none"
        err(f"{args.repo} has no GGUF file {wanted!r} (files: {names})")
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
        err(f"cannot use the folder {args.to}: {exc.strerror or exc}")
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
                print(f"{dest} was already downloaded", file=sys.stderr)
    except TransferError as exc:
        err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        if current is not None:
            current.pause()
        if bar is not None and bar.waiting:
            err("stopped waiting; the other download goes on")
        else:
            err("interrupted; the partial file is kept — run the same command to resume")
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
        print(f"no models yet in {library.models_dir}", file=sys.stderr)
        return 0
    width = max(len(e.name) for e, _ in rows)
    print(f"{'MODEL':<{width}}  {'QUANT':<8}  {'SIZE':>9}  {'FIT':<22}  SOURCE / PATH")
    for e, fit in rows:
        badge = "unusable" if e.error else (fit.badge() if fit else "-")
        print(
            f"{e.name:<{width}}  {e.quantization or '-':<8}  {human_size(e.size):>9}  "
            f"{badge:<22}  {e.source}: {e.path}"
        )
    return 0
