"""The health column's badge: a coloured pill with a dot and the score, the same colours as
the client page's `HealthBadge`, so a client reads the same in the list and on its page."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from db.am.health import Health
from desktop.client_page.health_badge import LEVEL_HUES, badge_colors
from desktop.views.palette_colors import is_dark

AnyIndex = QModelIndex | QPersistentModelIndex


class HealthDelegate(QStyledItemDelegate):
    """Paints the `Health` a model gives under `role`; the tooltip (the reasons) comes from
    the model's ToolTipRole like any other cell's."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._role = role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        health = index.data(self._role)
        if not isinstance(health, Health):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        palette = opt.palette
        fill, ink = badge_colors(
            health.level, is_dark(palette), palette.color(palette.ColorRole.Base)
        )
        font = QFont(opt.font)
        font.setWeight(QFont.Weight.DemiBold)
        text = str(health.score)
        metrics = opt.fontMetrics
        height = metrics.height() + 2
        width = metrics.horizontalAdvance("100") + 30
        rect = QRectF(
            opt.rect.right() - 8 - width,
            opt.rect.top() + (opt.rect.height() - height) / 2,
            width,
            height,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setBrush(QColor(LEVEL_HUES.get(health.level, "#8c8c8c")))
        painter.drawEllipse(QRectF(rect.left() + 8, rect.center().y() - 3.5, 7, 7))
        painter.setPen(ink)
        painter.setFont(font)
        painter.drawText(
            rect.adjusted(18, 0, -9, 0),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            text,
        )
        painter.restore()
