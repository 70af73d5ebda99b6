"""The model a benchmark runs: ``--model PATH``, or the cached test model (fetched on first use)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def model_path(given: str | None) -> Path:
    if given:
        return Path(given)
    from testmodel import smollm2_path

    return smollm2_path()
