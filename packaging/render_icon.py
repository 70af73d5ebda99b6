"""Render the app icon (resources/icons/workbench.svg) for the platform packages.

    python packaging/render_icon.py --iconset build/macos/workbench.iconset   # then iconutil
    python packaging/render_icon.py --ico build/windows/workbench.ico
    python packaging/render_icon.py --png 256 build/workbench-256.png

Qt (a dependency of the app, so in every build environment) draws the SVG offscreen, with a
transparent background and the same renderer on every platform; nothing else is needed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "workbench.svg"

# Windows picks the nearest size for each place an icon shows (title bar, taskbar, Explorer).
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
# iconutil's names: icon_<points>x<points>[@2x].png for 16, 32, 128, 256 and 512 points.
ICONSET = {
    f"icon_{points}x{points}{suffix}.png": points * scale
    for points in (16, 32, 128, 256, 512)
    for suffix, scale in (("", 1), ("@2x", 2))
}


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn into a size x size PNG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icon: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("render_icon: Qt could not write a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A .ico holding PNG images (read by Windows Vista and later) of the given sizes."""
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 = icon, image count
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 stands for 256 in the one-byte width and height
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--svg", type=Path, default=SVG)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--iconset", type=Path, help="a macOS .iconset folder for iconutil")
    target.add_argument("--ico", type=Path, help="a Windows .ico file")
    target.add_argument("--png", nargs=2, metavar=("SIZE", "FILE"), help="one PNG")
    args = parser.parse_args(argv)

    if args.iconset:
        args.iconset.mkdir(parents=True, exist_ok=True)
        for name, size in ICONSET.items():
            (args.iconset / name).write_bytes(render_png(args.svg, size))
        out = args.iconset
    elif args.ico:
        args.ico.parent.mkdir(parents=True, exist_ok=True)
        args.ico.write_bytes(ico_bytes({size: render_png(args.svg, size) for size in ICO_SIZES}))
        out = args.ico
    else:
        out = Path(args.png[1])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(render_png(args.svg, int(args.png[0])))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
