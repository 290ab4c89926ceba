"""The client list's badges: the health score as a coloured pill with a dot (the colours of
the client page's `HealthBadge`, so a client reads the same in the list and on its page) and
the status pill.

A list of 5,000 clients repaints a screen of badges on every keystroke, so each badge is
drawn once into a pixmap per (text, colour, palette, size) and then only copied.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from db.am.health import Health
from desktop.models.roles import STATUS_ROLE
from desktop.views.delegates import ChoiceDelegate, Choices
from desktop.views.palette_colors import is_dark, pill_colors
from desktop.widgets.health_badge import LEVEL_HUES, badge_colors

AnyIndex = QModelIndex | QPersistentModelIndex
_CACHE_LIMIT = 512


class _PillCache:
    def __init__(self) -> None:
        self._pixmaps: dict[tuple[object, ...], QPixmap] = {}

    def get(self, key: tuple[object, ...]) -> QPixmap | None:
        return self._pixmaps.get(key)

    def put(self, key: tuple[object, ...], pixmap: QPixmap) -> None:
        if len(self._pixmaps) >= _CACHE_LIMIT:
            self._pixmaps.clear()
        self._pixmaps[key] = pixmap


def _draw_background(painter: QPainter, option: QStyleOptionViewItem) -> None:
    """The cell's background (alternate row, selection, focus) as the style draws it. The
    option is not filled from the model (`initStyleOption`): the badge is the whole content,
    and skipping a dozen role look-ups per cell keeps a screen of badges cheap."""
    style = option.widget.style() if option.widget else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)


def _pill_pixmap(
    size: QSize,
    ratio: float,
    fill: QColor,
    ink: QColor,
    text: str,
    font: QFont,
    dot: QColor | None,
) -> QPixmap:
    pixmap = QPixmap(size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(0, 0, size.width(), size.height())
    radius = size.height() / 2
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, radius, radius)
    text_rect = rect
    if dot is not None:
        painter.setBrush(dot)
        painter.drawEllipse(QPointF(rect.left() + 11.5, rect.center().y()), 3.5, 3.5)
        text_rect = rect.adjusted(18, 0, -9, 0)
    painter.setPen(ink)
    painter.setFont(font)
    align = Qt.AlignmentFlag.AlignRight if dot is not None else Qt.AlignmentFlag.AlignHCenter
    painter.drawText(text_rect, align | Qt.AlignmentFlag.AlignVCenter, text)
    painter.end()
    return pixmap


class HealthDelegate(QStyledItemDelegate):
    """Paints the `Health` a model gives under `role`, right-aligned in the cell; the tooltip
    (the reasons) comes from the model's ToolTipRole like any other cell's."""

    def __init__(self, role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._role = role
        self._cache = _PillCache()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        health = index.data(self._role)
        if not isinstance(health, Health):
            super().paint(painter, option, index)
            return
        opt = option
        _draw_background(painter, opt)
        palette = opt.palette
        dark = is_dark(palette)
        base = palette.color(palette.ColorRole.Base)
        metrics = opt.fontMetrics
        size = QSize(metrics.horizontalAdvance("100") + 30, metrics.height() + 2)
        ratio = painter.device().devicePixelRatioF()
        key = (health.score, health.level, dark, base.rgb(), size.width(), size.height(), ratio)
        pixmap = self._cache.get(key)
        if pixmap is None:
            fill, ink = badge_colors(health.level, dark, base)
            font = QFont(opt.font)
            font.setWeight(QFont.Weight.DemiBold)
            dot = QColor(LEVEL_HUES.get(health.level, "#8c8c8c"))
            pixmap = _pill_pixmap(size, ratio, fill, ink, str(health.score), font, dot)
            self._cache.put(key, pixmap)
        rect = opt.rect
        left = rect.right() - 8 - size.width()
        top = rect.top() + (rect.height() - size.height()) // 2
        painter.drawPixmap(max(left, rect.left()), top, pixmap)


class CachedStatusDelegate(ChoiceDelegate):
    """The status as a coloured pill (the colours of `delegates.paint_pill`), edited with a
    combo box."""

    def __init__(self, choices: Choices, parent: QWidget | None = None) -> None:
        super().__init__(choices, parent)
        self._cache = _PillCache()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        status = index.data(STATUS_ROLE)
        if not status or not index.data(Qt.ItemDataRole.DisplayRole):
            super().paint(painter, option, index)
            return
        opt = option
        text = str(index.data(Qt.ItemDataRole.DisplayRole))
        _draw_background(painter, opt)
        palette = opt.palette
        base = palette.color(palette.ColorRole.Base)
        metrics = QFontMetrics(opt.font)
        size = QSize(
            min(metrics.horizontalAdvance(text) + 16, opt.rect.width() - 12),
            metrics.height() + 2,
        )
        ratio = painter.device().devicePixelRatioF()
        key = (str(status), text, base.rgb(), size.width(), size.height(), ratio)
        pixmap = self._cache.get(key)
        if pixmap is None:
            fill, ink = pill_colors(str(status), palette)
            pixmap = _pill_pixmap(size, ratio, fill, ink, text, opt.font, None)
            self._cache.put(key, pixmap)
        top = opt.rect.top() + (opt.rect.height() - size.height()) // 2
        painter.drawPixmap(opt.rect.left() + 6, top, pixmap)
