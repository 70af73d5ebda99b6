"""Entry point: ``python -m workbench`` and the ``workbench`` console script."""

from __future__ import annotations

import multiprocessing
import sys


def main() -> int:
    # Must come first in a frozen app: the spawned model process re-enters this executable.
    multiprocessing.freeze_support()
    from workbench.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
