"""Where the bundled resources are, and loading them: the UI font (so the app and its PDFs look
the same on every machine, headless included) and the app icon.

From a checkout, resources are the repository's `resources/`; in a frozen build PyInstaller
unpacks them to `sys._MEIPASS/resources`. A missing font or icon is not an error: Qt's default
font and no icon are used instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

FONT_SUFFIXES = (".ttf", ".otf")
ICON_NAMES = (
    "agency-desk.svg",
    "agency-desk.png",
    "app.svg",
    "app.png",
    "icon.svg",
    "icon.png",
)
UI_POINT_SIZE = 10


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def load_fonts(app: QApplication, folder: Path | None = None) -> str | None:
    """Register every bundled font and make the regular face the app font. Returns the family
    used, or None when no font was bundled (or none could be loaded)."""
    folder = folder or resources_dir() / "fonts"
    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
    # Register the regular face first so its family is the one picked.
    files.sort(key=lambda p: (0 if "regular" in p.stem.lower() else 1, p.name))
    family: str | None = None
    for path in files:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            continue
        families = QFontDatabase.applicationFontFamilies(font_id)
        if families and family is None:
            family = families[0]
    if family is not None:
        font = QFont(family)
        font.setPointSize(max(app.font().pointSize(), UI_POINT_SIZE))
        app.setFont(font)
    return family


def app_icon(folder: Path | None = None) -> QIcon | None:
    folder = folder or resources_dir() / "icons"
    for name in ICON_NAMES:
        path = folder / name
        if path.is_file():
            return QIcon(str(path))
    return None


def setup_resources(app: QApplication) -> None:
    load_fonts(app)
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
