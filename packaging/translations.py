"""Regenerate and compile the translation catalogues in ``resources/i18n``.

    python packaging/translations.py update      # the sentences in the code -> every .ts
    python packaging/translations.py compile     # every .ts -> its .qm
    python packaging/translations.py new ja      # start a catalogue for another language

``update`` runs Qt's ``pyside6-lupdate`` over every module of ``workbench`` (the window's
``self.tr()`` and the ``translate()``/``QT_TRANSLATE_NOOP()`` calls of ``core``, the command
line and module-level helpers) and merges what it finds into each catalogue: new sentences
arrive unfinished, sentences gone from the code are dropped. Translate them in Qt Linguist
(``pyside6-linguist resources/i18n/workbench_ja.ts``) or any editor, then ``compile``.
``tests/test_translations.py`` fails while anything is left unfinished or stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "resources" / "i18n"


def tool(name: str) -> str:
    """A Qt tool installed with PySide6, next to this Python."""
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else name


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "workbench").rglob("*.py"))


def catalogues() -> list[Path]:
    return sorted(CATALOGUES.glob("workbench_*.ts"))


def lupdate(ts_files: list[Path], *, drop_obsolete: bool = True) -> None:
    args = [tool("pyside6-lupdate"), *sources(), "-locations", "none", "-silent"]
    if drop_obsolete:
        args.append("-no-obsolete")
    subprocess.run([*args, "-ts", *map(str, ts_files)], cwd=ROOT, check=True)


def lrelease(ts_file: Path, qm_file: Path) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)],
        cwd=ROOT,
        check=True,
    )


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        lupdate(catalogues())
    elif command == "compile":
        for ts in catalogues():
            lrelease(ts, ts.with_suffix(".qm"))
    elif command == "new" and len(argv) == 2:
        ts = CATALOGUES / f"workbench_{argv[1]}.ts"
        if ts.exists():
            print(f"{ts.name} exists already", file=sys.stderr)
            return 1
        ts.write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
            f'<TS version="2.1" language="{argv[1]}" sourcelanguage="en"/>\n',
            encoding="utf-8",
        )
        lupdate([ts])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
