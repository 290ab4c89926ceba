"""The bundled Inter font for every printed page, so a PDF is the same on every machine."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from desktop.resources import resources_dir

FALLBACK = "Sans Serif"
_family: str | None = None


def print_family() -> str:
    """Register the bundled faces once (needs a QGuiApplication) and return their family."""
    global _family
    if _family is None:
        found = ""
        for path in sorted((resources_dir() / "fonts").glob("Inter-*.otf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families and not found:
                found = families[0]
        _family = found or FALLBACK
    return _family
