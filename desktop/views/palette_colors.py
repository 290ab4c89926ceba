"""Colours for status pills that read well on the light and the dark palette alike.

Each status has one hue; the pill mixes it with the view's own base colour, so the same code
gives a pale pill with dark text on a light palette and a deep pill with light text on a dark one.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

STATUS_HUES: dict[str, str] = {
    # clients
    "lead": "#8a63d2",
    "prospect": "#2f80ed",
    "active": "#27ae60",
    "paused": "#e2a03f",
    "former": "#8c8c8c",
    # projects
    "planned": "#2f80ed",
    "on_hold": "#e2a03f",
    "done": "#8c8c8c",
    "cancelled": "#c0392b",
}


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`amount` of `b` over `a`."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def pill_colors(status: str, palette: QPalette) -> tuple[QColor, QColor]:
    """(fill, text) for a status pill on this palette."""
    hue = QColor(STATUS_HUES.get(status, "#8c8c8c"))
    base = palette.color(QPalette.ColorRole.Base)
    if is_dark(palette):
        return mix(base, hue, 0.35), mix(hue, QColor("white"), 0.55)
    return mix(base, hue, 0.16), mix(hue, QColor("black"), 0.35)


def outline_color(palette: QPalette) -> QColor:
    """A line that shows on both the window and the base colour of this palette: a chip's
    outline, the empty track of a progress bar. (`Mid` is nearly the window colour in many
    dark palettes, so outlines drawn with it vanish there.)"""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    return mix(window, text, 0.45 if is_dark(palette) else 0.35)
