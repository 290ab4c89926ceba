"""A plan's first look: what `agency-desk --project NAME` shows while the data layer loads.

Importing SQLAlchemy and the models and configuring them costs about half a second, before
which the app's main window cannot exist (its views hold the session). So the plan is read
with plain sqlite3 (`db.fast_open`), scheduled by the engine, and drawn here, read-only, by
the chart's own painter and time scale (`desktop.gantt.painter`, `desktop.gantt.timescale`)
at the main window's geometry; the app then opens the database as always, and the main window,
on the same project, takes this one's place as soon as it has painted (`desktop.app`).

Nothing can be edited here: the window takes no input, and shows a busy cursor and "Opening
for editing…" for the half second it stands. Closing it ends the start (`dismissed`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QByteArray, QRectF, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

from db.fast_open.plan_read import FirstLook
from db.scheduling.calendar import CalendarPool
from db.scheduling.engine import Scheduler
from db.scheduling.schedule_view import ScheduleView
from desktop.gantt.geometry import ROW_HEIGHT
from desktop.gantt.painter import ChartPainter, Colors
from desktop.gantt.timescale import HEADER_HEIGHT, ScaleColors, paint_timescale

# Where the main window keeps its geometry (`desktop.main_window.SETTINGS_GEOMETRY`, which a
# test holds equal): the first look stands where the window will.
SETTINGS_GEOMETRY = "main_window/geometry"
TITLE_HEIGHT = 40
STATUS_HEIGHT = 24
PX_PER_DAY = 14.0  # the chart's opening zoom ("week")
# The task table's columns as the Gantt opens them: title, width.
COLUMNS = (("WBS", 64), ("Name", 200), ("Start", 112), ("Finish", 112), ("Duration", 64))
TABLE_WIDTH = sum(width for _title, width in COLUMNS)
INDENT = 16  # px per outline level in the Name column


class FirstLookRows:
    """One plan laid out in rows for the painter (`desktop.gantt.painter.ChartRows`): every
    task in outline order, nothing collapsed, from a first look's plain read."""

    def __init__(self, look: FirstLook, calendars: CalendarPool | None = None) -> None:
        self.look = look
        self.schedule = ScheduleView(Scheduler(look.plan, calendars))
        self.rows: Sequence[int] = self.schedule.outline()
        self.row_of: Mapping[int, int] = {node: r for r, node in enumerate(self.rows)}
        self.baseline: Mapping[str, tuple[date, date]] = look.baseline
        self.people: Mapping[str, str] = {
            task_id: ", ".join(name for name, _colour in people)
            for task_id, people in look.people.items()
        }
        self._wbs: dict[int, str] = {}

    def colour_of(self, task_id: str) -> str:
        found = self.look.people.get(task_id)
        return found[0][1] if found else ""

    def wbs(self, node: int) -> str:
        """The task's outline number ("2.1.3"), worked out for the rows on screen only."""
        found = self._wbs.get(node)
        if found is None:
            v = self.schedule
            parent = v.parent(node)
            own = str(list(v.children(parent)).index(node) + 1)
            found = own if parent < 0 else f"{self.wbs(parent)}.{own}"
            self._wbs[node] = found
        return found


class FirstLookWindow(QWidget):
    """Signals:
    painted(): the window painted for the first time.
    dismissed(): the user closed it (the start ends there).
    """

    painted = Signal()
    dismissed = Signal()

    def __init__(self, look: FirstLook, title: str, settings: QSettings) -> None:
        super().__init__()
        self.rows = FirstLookRows(look)
        self._painted = False
        self._handed_over = False
        self.was_dismissed = False  # closed by the user: the start ends
        self.setWindowTitle(title)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.resize(1180, 740)
        geometry = settings.value(SETTINGS_GEOMETRY)
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        elif (screen := self.screen()) is not None:
            # As the main window's first start: most of the screen, centred.
            area = screen.availableGeometry()
            width = min(area.width(), max(1180, area.width() * 4 // 5))
            height = min(area.height(), max(740, area.height() * 4 // 5))
            self.resize(width, height)
            self.move(area.center() - self.rect().center())
        span = self.rows.schedule.span()
        first = span[0] if span else date.today()
        self.origin = (first - timedelta(days=14)).toordinal()

    def hand_over(self) -> None:
        """Close without ending the start: the main window stands in this one's place."""
        self._handed_over = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if not self._handed_over and not self.was_dismissed:
            self.was_dismissed = True
            self.dismissed.emit()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()
        if not self._painted:
            self._painted = True
            self.painted.emit()

    def _paint(self, painter: QPainter) -> None:
        palette = self.palette()
        width, height = self.width(), self.height()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Window))
        look = self.rows.look
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(
            QRectF(12, 0, width - 24, TITLE_HEIGHT),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            f"{look.client_name} — {look.project_name}",
        )
        painter.setFont(self.font())
        body_top = TITLE_HEIGHT + HEADER_HEIGHT
        body_height = max(0, height - body_top - STATUS_HEIGHT)
        colors = Colors.for_palette(palette)
        self._paint_table(painter, colors, body_top, body_height)
        chart_x = TABLE_WIDTH + 1
        chart_width = max(0, width - chart_x)
        painter.save()
        painter.translate(chart_x, TITLE_HEIGHT)
        painter.setClipRect(QRectF(0, 0, chart_width, HEADER_HEIGHT + body_height))
        last_o = self.origin + math.ceil(chart_width / PX_PER_DAY) + 1
        paint_timescale(
            painter,
            chart_width,
            HEADER_HEIGHT,
            lambda o: (o - self.origin) * PX_PER_DAY,
            self.origin,
            last_o,
            PX_PER_DAY,
            ScaleColors(
                background=palette.color(QPalette.ColorRole.Button),
                grid=palette.color(QPalette.ColorRole.Mid),
                text=palette.color(QPalette.ColorRole.ButtonText),
                today=colors.today,
            ),
            date.today().toordinal(),
        )
        painter.translate(0, HEADER_HEIGHT)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        chart = ChartPainter(
            self.rows,
            colors,
            PX_PER_DAY,
            self.origin,
            date.today().toordinal(),
            QFont(self.font()),
            small,
            bounds=(0.0, float(chart_width)),
        )
        chart.paint(painter, QRectF(0, 0, chart_width, body_height))
        painter.restore()
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(12, height - STATUS_HEIGHT, width - 24, STATUS_HEIGHT),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
            "Opening for editing…",
        )

    def _paint_table(
        self, painter: QPainter, colors: Colors, body_top: int, body_height: int
    ) -> None:
        palette = self.palette()
        painter.fillRect(
            QRectF(0, TITLE_HEIGHT, TABLE_WIDTH, HEADER_HEIGHT),
            palette.color(QPalette.ColorRole.Button),
        )
        painter.fillRect(QRectF(0, body_top, TABLE_WIDTH, body_height), colors.base)
        painter.setPen(palette.color(QPalette.ColorRole.ButtonText))
        x = 0
        middle_left = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        for title, column_width in COLUMNS:
            painter.drawText(
                QRectF(x + 6, TITLE_HEIGHT, column_width - 8, HEADER_HEIGHT), middle_left, title
            )
            x += column_width
        v = self.rows.schedule
        metrics = painter.fontMetrics()
        shown = self.rows.rows[: math.ceil(body_height / ROW_HEIGHT)]
        painter.setClipRect(QRectF(0, body_top, TABLE_WIDTH, body_height))
        for r, node in enumerate(shown):
            y = body_top + r * ROW_HEIGHT
            if r % 2:
                painter.fillRect(QRectF(0, y, TABLE_WIDTH, ROW_HEIGHT), colors.row_alt)
            painter.setPen(colors.text)
            start = date.fromordinal(v.start_ordinal(node))
            finish = date.fromordinal(v.finish_ordinal(node))
            cells = (
                self.rows.wbs(node),
                v.name(node),
                f"{start:%a %d %b %y}",
                f"{finish:%a %d %b %y}",
                f"{v.duration(node)} d",
            )
            x = 0
            for (title, column_width), text in zip(COLUMNS, cells, strict=True):
                indent = INDENT * v.depth(node) if title == "Name" else 0
                cell = QRectF(x + 6 + indent, y, column_width - 8 - indent, ROW_HEIGHT)
                elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(cell.width()))
                painter.drawText(cell, middle_left, elided)
                x += column_width
        painter.setClipping(False)
