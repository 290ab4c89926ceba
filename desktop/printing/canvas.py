"""A painter on a paged device that works in points from the top-left of the printable area,
whatever the device's resolution (a 1200 dpi PDF writer, a screen-resolution preview).

Report layouts run each block twice: once "dry" to measure its height (nothing is drawn), then
for real where it fits; so measuring and drawing can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPainter,
    QPen,
)

from desktop.printing.fonts import print_family

INK = QColor("#1f2933")
MUTED = QColor("#616e7c")
RULE = QColor("#d9dee3")
BAND = QColor("#f3f6fa")
ACCENT = QColor("#2f6bd6")
GOOD = QColor("#1e8e3e")
FAIR = QColor("#e37400")
POOR = QColor("#d93025")

DASH = "\u2013"  # an en dash, for ranges and asides
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
WRAP = int(Qt.TextFlag.TextWordWrap)


class Canvas:
    def __init__(self, device: QPagedPaintDevice) -> None:
        self.device = device
        self.painter = QPainter()
        if not self.painter.begin(device):
            raise OSError("could not start printing (is the output file writable?)")
        self.k = device.logicalDpiX() / 72
        self.painter.scale(self.k, self.k)
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        area = device.pageLayout().paintRect(QPageLayout.Unit.Point)
        self.width = area.width()
        self.height = area.height()
        self.family = print_family()
        self.page = 1
        self.y = 0.0
        self.dry = False
        self.footer: Callable[[Canvas], None] | None = None
        self.header: Callable[[Canvas], float] | None = None
        self._fonts: dict[tuple[float, int, bool], QFont] = {}
        self._metrics: dict[str, QFontMetricsF] = {}

    # -- fonts and measuring ------------------------------------------------------------------

    def font(
        self, size: float, weight: QFont.Weight = QFont.Weight.Normal, italic: bool = False
    ) -> QFont:
        key = (size, int(weight.value), italic)
        font = self._fonts.get(key)
        if font is None:
            font = QFont(self.family)
            # Point sizes are resolved at the device's dpi, then the painter's scale applies
            # again: divide it out so `size` is the printed size in points.
            font.setPointSizeF(size / self.k)
            font.setWeight(weight)
            font.setItalic(italic)
            font.setKerning(True)
            # Inter's contextual alternates swap "+", ":" and "-" next to digits for glyphs
            # with no character behind them: a PDF's text then reads "44 7700" for "+44 7700"
            # and "13 36" for "13:36" when copied or searched.
            font.setFeature(QFont.Tag("calt"), 0)
            self._fonts[key] = font
        return font

    def advance(self, text: str, font: QFont) -> float:
        return QFontMetricsF(font, self.device).horizontalAdvance(text)

    def line_height(self, font: QFont) -> float:
        return QFontMetricsF(font, self.device).height()

    def elide(self, text: str, font: QFont, width: float) -> str:
        metrics = QFontMetricsF(font, self.device)
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)

    # -- drawing (skipped when dry) -----------------------------------------------------------

    def text(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        font: QFont,
        color: QColor = INK,
        flags: int = LEFT | WRAP,
    ) -> float:
        """Draw `text` in a box `width` wide from (x, y); return the height it takes."""
        if not text:
            return 0.0
        p = self.painter
        p.setFont(font)
        if not flags & WRAP:
            text = self.elide(text, font, width)
        box = p.boundingRect(QRectF(x, y, width, 10_000), flags, text)
        if not self.dry:
            p.setPen(color)
            p.drawText(QRectF(x, y, width, box.height() + 1), flags, text)
        return box.height()

    def label(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        font: QFont,
        color: QColor = INK,
        right: bool = False,
    ) -> None:
        """One line of text from its top-left (or top-right) corner, cut with an ellipsis to
        `width`: the fast path for tables of thousands of rows (no layout pass)."""
        if self.dry or not text:
            return
        metrics = self._metrics.get(font.key())
        if metrics is None:
            metrics = self._metrics[font.key()] = QFontMetricsF(font, self.device)
        advance = metrics.horizontalAdvance(text)
        if advance > width:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
            advance = metrics.horizontalAdvance(text)
        p = self.painter
        p.setFont(font)
        p.setPen(color)
        p.drawText(QPointF(x + width - advance if right else x, y + metrics.ascent()), text)

    def fill(self, rect: QRectF, color: QColor, radius: float = 0.0) -> None:
        if self.dry:
            return
        p = self.painter
        # Saved and restored: on the PDF engine, the first text drawn after a NoPen shape
        # otherwise came out invisible.
        p.save()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        if radius:
            p.drawRoundedRect(rect, radius, radius)
        else:
            p.drawRect(rect)
        p.restore()

    def line(
        self, x0: float, y0: float, x1: float, y1: float, color: QColor = RULE, width: float = 0.75
    ) -> None:
        if self.dry:
            return
        self.painter.setPen(QPen(color, width))
        self.painter.drawLine(QLineF(QPointF(x0, y0), QPointF(x1, y1)))

    # -- pages --------------------------------------------------------------------------------

    @property
    def left(self) -> float:
        return self.height - self.y

    def start(self) -> None:
        """Begin the first page: its running header, if any."""
        self.y = self.header(self) if self.header is not None else 0.0

    def new_page(self) -> None:
        self._finish_page()
        self.device.newPage()
        self.page += 1
        self.y = self.header(self) if self.header is not None else 0.0

    def ensure(self, height: float) -> None:
        """Start a new page unless `height` more fits on this one."""
        if self.y + height > self.height and self.y > 0:
            self.new_page()

    def _finish_page(self) -> None:
        if self.footer is not None:
            dry, self.dry = self.dry, False
            self.footer(self)
            self.dry = dry

    def finish(self) -> None:
        self._finish_page()
        self.painter.end()

    def measure(self, draw: Callable[[float], float]) -> float:
        """The height `draw(y)` takes, found without drawing."""
        dry, self.dry = self.dry, True
        try:
            return draw(self.y)
        finally:
            self.dry = dry
