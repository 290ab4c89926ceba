"""The small charts of the printed reports, drawn with QPainter in points: money bars, the
pipeline by stage, the satisfaction trend and a project's mini timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainterPath, QPen

from desktop.printing.canvas import ACCENT, BAND, INK, LEFT, MUTED, POOR, RIGHT, RULE, Canvas

STAGE_COLORS = {
    "idea": QColor("#a8c7fa"),
    "pitched": QColor("#5b8def"),
    "won": QColor("#1e8e3e"),
    "lost": QColor("#bdc1c6"),
}


def money_bars(
    c: Canvas, x: float, y: float, w: float, rows: Sequence[tuple[str, int, str, QColor]]
) -> float:
    """Horizontal bars on one scale: (label, value, value text, colour) each."""
    label_font = c.font(8)
    value_font = c.font(8, QFont.Weight.DemiBold)
    label_w = 82.0
    value_w = 62.0
    track = w - label_w - value_w - 8
    top = max((v for _l, v, _t, _c in rows), default=0) or 1
    row_h = 15.0
    for n, (label, value, text, colour) in enumerate(rows):
        ry = y + n * row_h
        c.text(x, ry + 1, label_w, label, label_font, MUTED, LEFT)
        c.fill(QRectF(x + label_w, ry + 3, track, 7), BAND, 2)
        if value > 0:
            c.fill(QRectF(x + label_w, ry + 3, max(track * value / top, 2), 7), colour, 2)
        c.text(x + label_w + track + 4, ry + 1, value_w + 4, text, value_font, INK, RIGHT)
    return row_h * len(rows)


def stacked_bar(
    c: Canvas, x: float, y: float, w: float, parts: Sequence[tuple[str, int, str, QColor]]
) -> float:
    """One bar split by share, with a legend below: (label, value, value text, colour)."""
    total = sum(v for _l, v, _t, _c in parts)
    height = 9.0
    if total <= 0:
        c.fill(QRectF(x, y, w, height), BAND, 2)
    else:
        at = x
        for _label, value, _text, colour in parts:
            share = w * value / total
            if share > 0:
                c.fill(QRectF(at, y, share, height), colour)
                at += share
    font = c.font(7.5)
    lx, ly = x, y + height + 5
    for label, _value, text, colour in parts:
        item = f"{label} {text}"
        item_w = c.advance(item, font) + 16
        if lx + item_w > x + w:
            lx, ly = x, ly + 12
        c.fill(QRectF(lx, ly + 2.5, 7, 7), colour, 1.5)
        c.text(lx + 10, ly, item_w, item, font, MUTED, LEFT)
        lx += item_w + 6
    return ly + 12 - y


def trend(
    c: Canvas, x: float, y: float, w: float, h: float, points: Sequence[tuple[date, int]]
) -> float:
    """Satisfaction (0 to 10) over time: gridlines at 0, 5 and 10, a line and the latest score."""
    small = c.font(7)
    axis_w = 14.0
    plot = QRectF(x + axis_w, y + 4, w - axis_w - 30, h - 8)
    for value in (0, 5, 10):
        gy = plot.bottom() - plot.height() * value / 10
        c.line(plot.left(), gy, plot.right(), gy, RULE, 0.5)
        c.text(x, gy - 4.5, axis_w - 3, str(value), small, MUTED, RIGHT)
    if not points or c.dry:
        return h
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    span = max(last - first, 1)

    def at(day: date, score: int) -> QPointF:
        fx = 0.5 if last == first else (day.toordinal() - first) / span
        return QPointF(plot.left() + plot.width() * fx, plot.bottom() - plot.height() * score / 10)

    p = c.painter
    p.save()
    path = QPainterPath(at(*points[0]))
    for day, score in points[1:]:
        path.lineTo(at(day, score))
    p.setPen(QPen(ACCENT, 1.4))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(path)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(ACCENT)
    for day, score in points:
        p.drawEllipse(at(day, score), 2.0, 2.0)
    p.restore()
    end = at(*points[-1])
    latest = points[-1][1]
    colour = POOR if latest <= 5 else ACCENT
    c.text(end.x() + 5, end.y() - 6, 26, f"{latest}/10", c.font(8, QFont.Weight.Bold), colour, LEFT)
    return h


def mini_timeline(
    c: Canvas,
    x: float,
    y: float,
    w: float,
    span: tuple[int, int],
    start: date | None,
    finish: date | None,
    due: date | None,
    today: date,
    progress: int,
    late: bool,
) -> None:
    """A project's bar on an axis shared by all the client's projects: planned span, work
    done, the due date as a tick and today as a line."""
    first, last = span
    width = max(last - first, 1)

    def x_of(day: date) -> float:
        return x + w * (day.toordinal() - first) / width

    c.fill(QRectF(x, y + 5, w, 1), RULE)
    if start is not None and finish is not None:
        x0, x1 = x_of(start), max(x_of(finish), x_of(start) + 2)
        bar = QRectF(x0, y + 2, x1 - x0, 7)
        c.fill(bar, QColor("#f4a49d") if late else QColor("#b9d0f7"), 2)
        if progress:
            done = QRectF(x0, y + 2, (x1 - x0) * min(progress, 100) / 100, 7)
            c.fill(done, POOR if late else ACCENT, 2)
    if due is not None:
        dx = x_of(due)
        c.line(dx, y, dx, y + 11, INK, 1.2)
    if first <= today.toordinal() <= last:
        tx = x_of(today)
        c.line(tx, y - 1, tx, y + 12, QColor("#fbbc04"), 1.2)
