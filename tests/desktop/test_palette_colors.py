"""Status pills stay readable on the light and the dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from desktop.theme import dark_palette
from desktop.views.palette_colors import STATUS_HUES, is_dark, pill_colors


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("status", sorted(STATUS_HUES))
def test_pill_text_reads_on_both_palettes(qapp, status: str) -> None:
    light = QPalette(QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.Base, QColor("white"))
    for palette in (light, dark_palette()):
        fill, ink = pill_colors(status, palette)
        assert contrast(fill, ink) >= 3.5, (status, is_dark(palette))


def test_outlines_and_empty_progress_tracks_show_on_both_palettes(qapp) -> None:
    from desktop.views.palette_colors import outline_color

    light = QPalette(QColor("#f0f0f0"))
    light.setColor(QPalette.ColorRole.Base, QColor("white"))
    for palette in (light, dark_palette()):
        line = outline_color(palette)
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            assert contrast(line, palette.color(role)) >= 2.3, (is_dark(palette), role)


def test_the_my_clients_chip_outline_follows_a_dark_palette(qtbot, workspace) -> None:
    from desktop.views.clients_view import ClientsView
    from desktop.views.palette_colors import outline_color

    view = ClientsView(workspace)
    qtbot.addWidget(view)
    view.setPalette(dark_palette())
    assert outline_color(dark_palette()).name() in view.my_clients.styleSheet()
