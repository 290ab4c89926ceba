"""The health badge: a coloured pill with the score, its level in words, and the reasons as
a tooltip. Painted by hand so it follows the palette (light or dark) like the status pills."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from db.am.health import Health
from desktop.views.palette_colors import is_dark, mix

LEVEL_HUES = {"good": "#27ae60", "fair": "#e2a03f", "poor": "#d64541"}
LEVEL_WORDS = {"good": "Healthy", "fair": "Needs attention", "poor": "At risk"}


def badge_colors(level: str, dark: bool, base: QColor) -> tuple[QColor, QColor]:
    hue = QColor(LEVEL_HUES.get(level, "#8c8c8c"))
    if dark:
        return mix(base, hue, 0.45), mix(hue, QColor("white"), 0.7)
    return mix(base, hue, 0.18), mix(hue, QColor("black"), 0.4)


class HealthBadge(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.health: Health | None = None
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Client health")

    def set_health(self, health: Health) -> None:
        self.health = health
        self.setToolTip("\n".join(health.reasons) or "No concerns")
        self.setAccessibleDescription(self.text())
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        if self.health is None:
            return ""
        return f"{self.health.score}  {LEVEL_WORDS[self.health.level]}"

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        return font

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font())
        return QSize(metrics.horizontalAdvance(self.text()) + 28, metrics.height() + 10)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self.health is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        fill, text = badge_colors(
            self.health.level, is_dark(palette), palette.color(palette.ColorRole.Base)
        )
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        dot = QRectF(rect.left() + 9, rect.center().y() - 4, 8, 8)
        painter.setBrush(QColor(LEVEL_HUES[self.health.level]))
        painter.drawEllipse(dot)
        painter.setPen(text)
        painter.setFont(self._font())
        painter.drawText(rect.adjusted(22, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter, self.text())
        painter.end()
