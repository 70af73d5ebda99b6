"""The packaged app against the source install: start-up and generation speed.

    packaging/build-linux.sh && uv run python bench/bundle_vs_source.py [--model PATH] [--rounds 5]

Runs ``--selftest --model`` alternately from dist/Workbench/Workbench (clean environment, as a
user's machine would) and from the source install (``python -m workbench``), and prints the
medians of: process start to a shown window (offscreen), model load time, and generation
tokens/s, with the bundle/source ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmodel import model_path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "Workbench" / "Workbench"


def selftest(command: list[str], model: Path, env: dict | None) -> dict:
    out = subprocess.run(
        [*command, "--selftest", "--model", str(model)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tempfile.gettempdir(),
        check=True,
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    checks = {c["name"]: c for c in report["checks"]}
    return {
        "shown_after_s": checks["window"]["shown_after_s"],
        "load_s": checks["generate"]["load_s"],
        "tokens_per_s": checks["generate"]["tokens_per_s"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not BUNDLE.is_file():
        print("build the bundle first: packaging/build-linux.sh", file=sys.stderr)
        return 1
    model = model_path(args.model)
    home = Path(tempfile.mkdtemp(prefix="wb-bundle-bench-"))
    clean = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    runs: dict[str, list[dict]] = {"bundle": [], "source": []}
    for i in range(args.rounds):
        order = ["bundle", "source"] if i % 2 == 0 else ["source", "bundle"]
        for which in order:
            if which == "bundle":
                runs[which].append(selftest([str(BUNDLE)], model, clean))
            else:
                runs[which].append(selftest([sys.executable, "-m", "workbench"], model, None))

    def median(which: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[which])

    print(f"{'':<28}{'bundle':>10}{'source':>10}{'ratio':>8}")
    for key, label in (
        ("shown_after_s", "start to window (s)"),
        ("load_s", "model load (s)"),
        ("tokens_per_s", "generation (tok/s)"),
    ):
        b, s = median("bundle", key), median("source", key)
        print(f"{label:<28}{b:>10.3f}{s:>10.3f}{b / s:>8.2f}")
    print(f"(medians of {args.rounds} alternating rounds; 16-token replies)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
