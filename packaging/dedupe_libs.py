"""Turn identical copies of a shared library into symlinks (run on the built bundle).

Python wheels cannot hold symlinks, so llama-cpp-python installs ``libllama.so``,
``libllama.so.0`` and ``libllama.so.0.5.0`` as three full copies, and PyInstaller copies all
three. The loader needs two names (``libX.so`` that llama_cpp opens, ``libX.so.N`` that other
libraries name in DT_NEEDED) but one file: this keeps the longest name as the file and links the
others to it, which saves a third of the llama.cpp libraries' size. tar and .deb keep symlinks.

    python packaging/dedupe_libs.py DIR
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path


def dedupe(folder: Path) -> int:
    """Replace duplicate regular files in ``folder`` by relative symlinks; returns bytes saved."""
    groups: dict[tuple[int, str], list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            groups.setdefault((path.stat().st_size, digest), []).append(path)
    saved = 0
    for (size, _digest), paths in groups.items():
        if len(paths) < 2:
            continue
        keep = max(paths, key=lambda p: (len(p.name), p.name))  # libX.so.0.5.0
        for path in paths:
            if path != keep:
                path.unlink()
                os.symlink(keep.name, path)
                saved += size
    return saved


if __name__ == "__main__":
    if len(sys.argv) != 2 or not Path(sys.argv[1]).is_dir():
        sys.exit("usage: dedupe_libs.py DIR")
    print(f"dedupe_libs: {dedupe(Path(sys.argv[1])) / 2**20:.1f} MiB saved")
