"""Render the app icon from `resources/icons/agency-desk.svg` into the PNG sizes, the Windows
`.ico` and the macOS `.icns` that the GUI and the packaged builds use.

A build-time tool, run by hand after the SVG changes; its output is committed. It needs
PySide6 (for the SVG) and Pillow (for .ico/.icns; skipped with a note when missing). Pillow is
deliberately not a dependency of the app.

    python build_spec/render_icons.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "agency-desk.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication(sys.argv[:1])
    pngs = {size: render(size) for size in sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES})}
    for size in PNG_SIZES:
        (ICONS / f"agency-desk-{size}.png").write_bytes(pngs[size])
    try:
        from PIL import Image
    except ImportError:
        print("Pillow is not installed: .ico and .icns left as they were", file=sys.stderr)
        return 0
    images = {size: Image.open(io.BytesIO(data)) for size, data in pngs.items()}
    largest = images[max(ICO_SIZES)]
    largest.save(ICONS / "agency-desk.ico", sizes=[(s, s) for s in ICO_SIZES])
    images[1024].save(
        ICONS / "agency-desk.icns",
        append_images=[images[s] for s in ICNS_SIZES if s != 1024],
    )
    print(f"icons written to {ICONS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
