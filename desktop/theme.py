"""Light and dark: follow the system colour scheme.

Where the platform theme supplies a dark palette itself (macOS, Windows 11, GNOME/KDE with
their Qt themes) Qt already switches; where it does not (plain X11/Wayland with the Fusion
style, offscreen), we give Fusion a dark palette of our own when the system asks for dark.
Custom painting reads palette roles, so it follows either way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


def dark_palette() -> QPalette:
    palette = QPalette()
    window, base, text = QColor("#202124"), QColor("#18191b"), QColor("#e8eaed")
    role = QPalette.ColorRole
    palette.setColor(role.Window, window)
    palette.setColor(role.WindowText, text)
    palette.setColor(role.Base, base)
    palette.setColor(role.AlternateBase, QColor("#232427"))
    palette.setColor(role.ToolTipBase, QColor("#2d2e31"))
    palette.setColor(role.ToolTipText, text)
    palette.setColor(role.PlaceholderText, QColor("#8a8d91"))
    palette.setColor(role.Text, text)
    palette.setColor(role.Button, QColor("#2b2c2f"))
    palette.setColor(role.ButtonText, text)
    palette.setColor(role.BrightText, QColor("#ff6b6b"))
    palette.setColor(role.Light, QColor("#3a3b3e"))
    palette.setColor(role.Midlight, QColor("#323336"))
    palette.setColor(role.Mid, QColor("#2a2b2e"))
    palette.setColor(role.Dark, QColor("#151618"))
    palette.setColor(role.Shadow, QColor("#000000"))
    palette.setColor(role.Highlight, QColor("#3d7be0"))
    palette.setColor(role.HighlightedText, QColor("#ffffff"))
    palette.setColor(role.Link, QColor("#8ab4f8"))
    for group_role in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, group_role, QColor("#7d8085"))
    return palette


def _palette_is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def apply_color_scheme(app: QApplication) -> None:
    """Match the palette to the system's light/dark choice, now and whenever it changes."""
    match_palette(app, app.styleHints().colorScheme())
    if not app.property("agency_desk_follows_scheme"):  # connect once per application
        app.setProperty("agency_desk_follows_scheme", True)
        app.styleHints().colorSchemeChanged.connect(lambda scheme: match_palette(app, scheme))


def match_palette(app: QApplication, scheme: Qt.ColorScheme) -> None:
    wants_dark = scheme == Qt.ColorScheme.Dark
    if wants_dark and not _palette_is_dark(app.palette()):
        app.setPalette(dark_palette())
    elif not wants_dark and _palette_is_dark(app.palette()):
        app.setPalette(app.style().standardPalette())
