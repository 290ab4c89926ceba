"""The bar a task's progress cell draws left of its "n %", shared by the Gantt table and the
first look that stands in for it (which must draw it pixel for pixel the same)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPalette


def paint_progress_bar(
    painter: QPainter, left: float, middle: float, width: float, value: int, palette: QPalette
) -> None:
    """The bar from `left`, centred on `middle`, leaving room for the label in a cell `width`
    wide. Sets the painter's pen, brush and antialiasing: callers save and restore around it."""
    label_width = painter.fontMetrics().horizontalAdvance("100 %") + 6
    bar = QRectF(left, middle - 2, max(width - label_width, 10), 5)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(palette.color(QPalette.ColorRole.Mid))
    painter.drawRoundedRect(bar, 2.5, 2.5)
    if value:
        done = QRectF(bar.left(), bar.top(), bar.width() * min(value, 100) / 100, bar.height())
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight).lighter(115))
        painter.drawRoundedRect(done, 2.5, 2.5)
