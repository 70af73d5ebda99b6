"""FileTransfer against curl, downloading the same file from a local FakeHub.

A generated file (1 GiB by default) is served by ``tests/hubserver.py`` on 127.0.0.1 (resolve/
redirects to the CDN path, as on the Hub); each round downloads it with curl to /dev/null, with
curl to a file on the same disk (the fair comparison), with curl to a file followed by fsync (what
FileTransfer guarantees before its rename) and with FileTransfer (network + SHA-256 + write +
fsync + rename). Rounds rotate the order so that drift on a noisy machine hits every method alike,
and every download is deleted and the disk synced (untimed) before the next one starts, so that no
method pays for the writeback of another's dirty pages.
Figures are file size / wall time; medians are reported. Hashing alone is measured too.

    uv run python bench/download_throughput.py [--size-mb 1024] [--rounds 5] [--dir DIR]

Target: FileTransfer >= 0.9 x curl writing to a file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from hubserver import FakeHub  # noqa: E402

from workbench.core.downloads.transfer import MAX_CHUNK, FileTransfer  # noqa: E402

REPO = "bench/throughput-GGUF"
NAME = "model.gguf"


def make_file(path: Path, size: int) -> None:
    """Incompressible-looking bytes: 4 MiB of random data, varied per block, written once."""
    block = bytearray(os.urandom(4 << 20))
    with open(path, "wb") as f:
        written = 0
        i = 0
        while written < size:
            block[:8] = i.to_bytes(8, "little")
            n = min(len(block), size - written)
            f.write(memoryview(block)[:n])
            written += n
            i += 1


def run_curl(url: str, out: str, fsync: bool = False) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["curl", "-s", "-L", "-o", out, "-w", "%{speed_download}", url],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if fsync:
        fd = os.open(out, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return time.perf_counter() - started


def run_transfer(url: str, dest: Path, size: int, sha256: str) -> float:
    started = time.perf_counter()
    FileTransfer(url, dest, size=size, sha256=sha256).run()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="file size in MiB")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", help="where the source and downloads go (default: a temp dir)")
    args = parser.parse_args()

    size = args.size_mb << 20
    work = Path(tempfile.mkdtemp(prefix="wb-dl-bench-", dir=args.dir))
    curl = shutil.which("curl")
    try:
        source = work / "source.gguf"
        make_file(source, size)
        started = time.perf_counter()
        digest = hashlib.sha256()
        view = memoryview(bytearray(MAX_CHUNK))
        with open(source, "rb", buffering=0) as f:
            while n := f.readinto(view):
                digest.update(view[:n])
        sha256 = digest.hexdigest()
        hash_s = time.perf_counter() - started

        with FakeHub() as hub:
            hub.require_token = None
            hub.add_repo(REPO, {NAME: source})
            url = f"{hub.url}/{REPO}/resolve/main/{NAME}"
            out = work / "out.gguf"

            methods: dict[str, object] = {}
            if curl:
                methods["curl -> /dev/null"] = lambda: run_curl(url, "/dev/null")
                methods["curl -> file"] = lambda: run_curl(url, str(out))
                methods["curl -> file + fsync"] = lambda: run_curl(url, str(out), fsync=True)
            methods["FileTransfer"] = lambda: run_transfer(url, out, size, sha256)

            print(
                f"file {args.size_mb} MiB in {work}, {args.rounds} rounds, "
                f"read size {MAX_CHUNK >> 10} KiB, {os.cpu_count()} CPUs"
            )
            if not curl:
                print("curl is not installed: its columns are skipped")
            names = list(methods)
            print(f"{'round':>5} " + " ".join(f"{n + ' MB/s':>26}" for n in names))

            def settle() -> None:
                out.unlink(missing_ok=True)
                if hasattr(os, "sync"):
                    os.sync()

            for fn in methods.values():  # warm-up: page cache, first connections
                fn()
                settle()
            results: dict[str, list[float]] = {n: [] for n in names}
            for r in range(args.rounds):
                order = names[r % len(names) :] + names[: r % len(names)]
                for name in order:
                    seconds = methods[name]()
                    settle()
                    results[name].append(size / seconds / 1e6)
                print(f"{r:>5} " + " ".join(f"{results[n][-1]:>26.0f}" for n in names))

        med = {n: statistics.median(v) for n, v in results.items()}
        print()
        for name in names:
            print(f"median {name}: {med[name]:.0f} MB/s")
        print(f"hashing alone (SHA-256 of the file, page cache): {size / hash_s / 1e6:.0f} MB/s")
        if curl:
            ratio = med["FileTransfer"] / med["curl -> file"]
            print(f"ratio FileTransfer / curl -> file: {ratio:.3f} (target >= 0.9)")
            print(
                "ratio FileTransfer / curl -> file + fsync: "
                f"{med['FileTransfer'] / med['curl -> file + fsync']:.3f}"
            )
            print(
                "ratio FileTransfer / curl -> /dev/null: "
                f"{med['FileTransfer'] / med['curl -> /dev/null']:.3f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
