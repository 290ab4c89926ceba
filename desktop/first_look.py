"""A plan's first look: what `agency-desk --project NAME` shows while the data layer loads.

Importing SQLAlchemy and the models and configuring them costs about half a second, before
which the app's main window cannot exist (its views hold the session). So the plan is read
with plain sqlite3 (`db.fast_open`), scheduled by the engine, and drawn here, read-only, by
the chart's own painter and time scale (`desktop.gantt.painter`, `desktop.gantt.timescale`)
at the main window's geometry; the app then opens the database as always, and the main window,
on the same project, takes this one's place as soon as it has painted (`desktop.app`).

So that nothing moves when it does, the look draws the table and the chart where the main
window last drew a plan at this size (`remember_layout`, kept in QSettings), with the
project's zoom, critical path and baseline toggles, its header sections, outline marks and
row colours drawn as the task table draws them (a test holds the two equal pixel for pixel);
what surrounds them (menus, sidebar, toolbars) appears with the main window. Before any such
record, it uses a layout of its own, and the plan moves once, at that first hand-over.

The plan it read and scheduled goes on to the main window's Gantt (`scheduled_plan`), which
takes it rather than reading and scheduling it again (`db.fast_open.hand_over`).

Nothing can be edited here: the window takes no input, and shows a busy cursor and "Opening
for editing…" for the half second it stands. Closing it ends the start (`dismissed`).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPoint, QRect, QRectF, QSettings, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QStyle, QStyleOption, QStyleOptionHeader, QWidget

from db.fast_open.hand_over import ScheduledPlan
from db.fast_open.plan_read import FirstLook
from db.scheduling.calendar import CalendarPool
from desktop.gantt.geometry import ROW_HEIGHT
from desktop.gantt.painter import ChartPainter, Colors
from desktop.gantt.progress_bar import paint_progress_bar
from desktop.gantt.timescale import HEADER_HEIGHT, ScaleColors, paint_timescale
from desktop.stand_in import StandIn
from desktop.window_frame import place_like_main_window

# Where the main window keeps its geometry (`desktop.main_window.SETTINGS_GEOMETRY`), and the
# Gantt its per-project toggles (`desktop.gantt.view.GanttView.use_settings`): the look stands
# where the window will, zoomed as the plan will be. Tests hold these equal to their sources.
SETTINGS_GEOMETRY = "main_window/geometry"
SETTINGS_LAYOUT = "first_look/layout"
PROJECT_KEY = "gantt/project/{}"
ZOOMS = {"day": 32.0, "week": 14.0, "month": 4.5, "quarter": 1.6}  # `desktop.gantt.chart`
OPENING_ZOOM = "week"
LEAD_DAYS = 3  # the chart opens this many days before the plan's start
# The task table's columns (`desktop.gantt.tree_model.HEADERS`), and the first five's widths
# where no layout is remembered.
HEADERS = ("WBS", "Name", "Start", "Finish", "Duration", "Progress", "Slip", "People")
COL_WBS, COL_NAME, COL_START, COL_FINISH, COL_DURATION, COL_PROGRESS, COL_SLIP, COL_PEOPLE = range(
    len(HEADERS)
)
RIGHT_ALIGNED = (COL_DURATION, COL_PROGRESS, COL_SLIP)
DEFAULT_WIDTHS = (64, 200, 112, 112, 64)
TITLE_HEIGHT = 40
STATUS_HEIGHT = 24
INDENT = 16  # px per outline level in the Name column (`desktop.gantt.cells.INDENT`)
PAD = 5

Rect = tuple[int, int, int, int]  # x, y, width, height in the window


@dataclass(frozen=True)
class PlanLayout:
    """Where a plan's parts stand in a window of `size`: the table's header and rows, its
    columns (column, x in the table, width), the time scale and the chart."""

    size: tuple[int, int]
    table_header: Rect
    table: Rect
    columns: tuple[tuple[int, int, int], ...]
    scale: Rect
    chart: Rect

    @classmethod
    def default(cls, width: int, height: int) -> PlanLayout:
        table_width = sum(DEFAULT_WIDTHS)
        body_top = TITLE_HEIGHT + HEADER_HEIGHT
        body_height = max(0, height - body_top - STATUS_HEIGHT)
        columns, x = [], 0
        for column, column_width in enumerate(DEFAULT_WIDTHS):
            columns.append((column, x, column_width))
            x += column_width
        chart_x = table_width + 1
        chart_width = max(0, width - chart_x)
        return cls(
            size=(width, height),
            table_header=(0, TITLE_HEIGHT, table_width, HEADER_HEIGHT),
            table=(0, body_top, table_width, body_height),
            columns=tuple(columns),
            scale=(chart_x, TITLE_HEIGHT, chart_width, HEADER_HEIGHT),
            chart=(chart_x, body_top, chart_width, body_height),
        )

    @classmethod
    def from_text(cls, text: object) -> PlanLayout | None:
        """A layout as `remember_layout` stored it; None for anything else."""
        try:
            raw = json.loads(str(text))
            width, height = _ints(raw["size"], 2)
            return cls(
                size=(width, height),
                table_header=_rect(raw["table_header"]),
                table=_rect(raw["table"]),
                columns=tuple(
                    (column, left, column_width)
                    for column, left, column_width in (_ints(c, 3) for c in raw["columns"])
                    if 0 <= column < len(HEADERS)
                ),
                scale=_rect(raw["scale"]),
                chart=_rect(raw["chart"]),
            )
        except (ValueError, TypeError, KeyError):
            return None

    def fitted(self, width: int, height: int) -> PlanLayout | None:
        """This layout in a window of another size, as the main window's layouts resize: the
        table keeps its width, the chart and its scale take what the width gains or loses,
        the rows what the height does. None when the window is too small for that."""
        dw, dh = width - self.size[0], height - self.size[1]
        x, y, w, h = self.table
        table = (x, y, w, h + dh)
        x, y, w, h = self.scale
        scale = (x, y, w + dw, h)
        x, y, w, h = self.chart
        chart = (x, y, w + dw, h + dh)
        if min(table[3], chart[2], chart[3]) < ROW_HEIGHT:
            return None
        return PlanLayout((width, height), self.table_header, table, self.columns, scale, chart)

    def to_text(self) -> str:
        return json.dumps(asdict(self))


def _ints(values: object, count: int) -> list[int]:
    if not isinstance(values, list) or len(values) != count:
        raise ValueError("not a layout")
    return [int(v) for v in values]


def _rect(values: object) -> Rect:
    x, y, width, height = _ints(values, 4)
    return (x, y, width, height)


def remember_layout(window: QWidget, settings: QSettings) -> None:
    """Keep where `window` shows a plan's table and chart, for the next first look; nothing
    when it shows none."""
    if "desktop.gantt.view" not in sys.modules:  # no plan was shown: nothing to keep
        return
    from desktop.gantt.view import GanttView

    view = window.findChild(GanttView)
    if view is None or not view.isVisible():
        return

    def rect(widget: QWidget) -> Rect:
        at = widget.mapTo(window, QPoint(0, 0))
        return (at.x(), at.y(), widget.width(), widget.height())

    header = view.tree.horizontalHeader()
    columns = []
    for visual in range(header.count()):
        column = header.logicalIndex(visual)
        if not header.isSectionHidden(column) and column < len(HEADERS):
            columns.append(
                (column, header.sectionViewportPosition(column), header.sectionSize(column))
            )
    layout = PlanLayout(
        size=(window.width(), window.height()),
        table_header=rect(header),
        table=rect(view.tree.viewport()),
        columns=tuple(columns),
        scale=rect(view.timescale),
        chart=rect(view.chart.viewport()),
    )
    settings.setValue(SETTINGS_LAYOUT, layout.to_text())


class FirstLookRows:
    """One plan laid out in rows for the painter (`desktop.gantt.painter.ChartRows`): every
    task in outline order, nothing collapsed, from a first look's plain read."""

    def __init__(self, look: FirstLook, calendars: CalendarPool | None = None) -> None:
        self.look = look
        self.scheduled = ScheduledPlan.of(look, calendars)  # handed to the Gantt after
        self.schedule = self.scheduled.view()
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

    def cell(self, node: int, column: int) -> str:
        """A table cell's text, as the Gantt's task table shows it."""
        v = self.schedule
        spec = v.spec(node)
        summary = v.is_summary(node)
        if column == COL_WBS:
            return self.wbs(node)
        if column == COL_NAME:
            return spec.name
        if column in (COL_START, COL_FINISH):
            day = v.start_ordinal(node) if column == COL_START else v.finish_ordinal(node)
            return f"{date.fromordinal(day):%a %d %b %y}"
        if column == COL_DURATION:
            if spec.milestone and not summary:
                return "◆ 0 d"
            days = v.duration(node)
            return f"▣ {days} d" if spec.id in self.look.deliverables else f"{days} d"
        if column == COL_PROGRESS:
            return "" if summary or spec.milestone else f"{spec.progress} %"
        if column == COL_SLIP:
            saved = self.baseline.get(spec.id)
            if saved is None:
                return ""
            slip = v.slip(node, saved[1])
            return "on plan" if slip == 0 else f"{slip:+d} d"
        if column == COL_PEOPLE:
            return self.people.get(spec.id, "")
        return ""


class FirstLookWindow(StandIn, QWidget):
    """Signals (see `desktop.stand_in.StandIn`):
    painted(): the window painted for the first time.
    dismissed(): the user closed it (the start ends).
    """

    def __init__(self, look: FirstLook, title: str, settings: QSettings) -> None:
        super().__init__()
        self._rows: FirstLookRows | None = FirstLookRows(look)
        self.setWindowTitle(title)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.resize(1180, 740)
        place_like_main_window(self, settings)
        self.remembered = PlanLayout.from_text(settings.value(SETTINGS_LAYOUT, ""))
        key = PROJECT_KEY.format(look.project_id)
        zoom = settings.value(f"{key}/zoom")
        self.px = ZOOMS[zoom if isinstance(zoom, str) and zoom in ZOOMS else OPENING_ZOOM]
        self.show_critical = str(settings.value(f"{key}/critical", "false")).lower() == "true"
        self.show_baseline = str(settings.value(f"{key}/baseline", "true")).lower() == "true"
        span = self.rows.schedule.span()
        first = span[0] if span else date.today()
        self.origin = (first - timedelta(days=LEAD_DAYS)).toordinal()

    def layout_now(self) -> tuple[PlanLayout, bool]:
        """The remembered layout fitted to this window's size (and True), else the look's
        own (and False)."""
        size = (self.width(), self.height())
        if self.remembered is not None:
            fitted = self.remembered.fitted(*size)
            if fitted is not None:
                return fitted, True
        return PlanLayout.default(*size), False

    @property
    def rows(self) -> FirstLookRows:
        """The plan as the look draws it (gone once the look has handed over)."""
        assert self._rows is not None, "the first look has handed over"
        return self._rows

    def scheduled_plan(self) -> ScheduledPlan:
        """The plan as the look read and scheduled it, for the Gantt that edits it
        (`desktop.gantt.document.GanttDocument`) to take rather than read again."""
        return self.rows.scheduled

    def hand_over(self) -> None:
        """Close without ending the start: the main window stands in this one's place. The
        look lets go of its plan too (a 10,000-task one is tens of MB the session would
        otherwise carry)."""
        super().hand_over()
        self._rows = None

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self._rows is None:
            return
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()
        self.mark_painted()

    def _paint(self, painter: QPainter) -> None:
        palette = self.palette()
        width, height = self.width(), self.height()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Window))
        layout, remembered = self.layout_now()
        if not remembered:  # the look's own layout names the plan (the main window's does too)
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
        colors = Colors.for_palette(palette)
        self._paint_table(painter, colors, layout)
        self._paint_chart(painter, colors, layout)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(12, height - STATUS_HEIGHT, width - 24, STATUS_HEIGHT),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
            "Opening for editing…",
        )

    def _paint_chart(self, painter: QPainter, colors: Colors, layout: PlanLayout) -> None:
        palette = self.palette()
        x, y, width, height = layout.scale
        painter.save()
        painter.translate(x, y)
        painter.setClipRect(QRectF(0, 0, width, height))
        paint_timescale(
            painter,
            width,
            height,
            lambda o: (o - self.origin) * self.px,
            self.origin,
            self.origin + math.ceil(width / self.px) + 1,
            self.px,
            ScaleColors(
                background=palette.color(QPalette.ColorRole.Button),
                grid=palette.color(QPalette.ColorRole.Mid),
                text=palette.color(QPalette.ColorRole.ButtonText),
                today=colors.today,
            ),
            date.today().toordinal(),
        )
        painter.restore()
        x, y, width, height = layout.chart
        painter.save()
        painter.translate(x, y)
        painter.setClipRect(QRectF(0, 0, width, height))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        chart = ChartPainter(
            self.rows,
            colors,
            self.px,
            self.origin,
            date.today().toordinal(),
            QFont(self.font()),
            small,
            show_critical=self.show_critical,
            show_baseline=self.show_baseline,
            bounds=(0.0, float(width)),
        )
        chart.paint(painter, QRectF(0, 0, width, height))
        painter.restore()

    def _paint_table(self, painter: QPainter, colors: Colors, layout: PlanLayout) -> None:
        palette = self.palette()
        middle = Qt.AlignmentFlag.AlignVCenter
        x, y, width, height = layout.table_header
        painter.save()
        painter.setClipRect(QRectF(x, y, width, height))
        painter.fillRect(QRectF(x, y, width, height), palette.color(QPalette.ColorRole.Button))
        # Each section as the task table's header view draws it, through the style.
        positions = QStyleOptionHeader.SectionPosition
        last = len(layout.columns) - 1
        for n, (column, left, column_width) in enumerate(layout.columns):
            section = QStyleOptionHeader()
            section.initFrom(self)
            section.state |= QStyle.StateFlag.State_Raised | QStyle.StateFlag.State_Horizontal
            section.rect = QRect(x + left, y, column_width, height)
            section.section = column
            section.text = HEADERS[column]
            section.textAlignment = middle | Qt.AlignmentFlag.AlignLeft
            section.orientation = Qt.Orientation.Horizontal
            if last == 0:
                section.position = positions.OnlyOneSection
            elif n == 0:
                section.position = positions.Beginning
            elif n == last:
                section.position = positions.End
            else:
                section.position = positions.Middle
            self.style().drawControl(QStyle.ControlElement.CE_Header, section, painter, self)
        painter.restore()
        x, y, width, height = layout.table
        painter.save()
        painter.setClipRect(QRectF(x, y, width, height))
        painter.fillRect(QRectF(x, y, width, height), colors.base)
        alternate = palette.color(QPalette.ColorRole.AlternateBase)  # the table's, not the chart's
        v = self.rows.schedule
        plain = QFont(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        for r, node in enumerate(self.rows.rows[: math.ceil(height / ROW_HEIGHT)]):
            top = y + r * ROW_HEIGHT
            if r % 2:
                painter.fillRect(QRectF(x, top, width, ROW_HEIGHT), alternate)
            painter.setFont(bold if v.is_summary(node) else plain)
            metrics = painter.fontMetrics()
            for column, left, column_width in layout.columns:
                if column == COL_NAME and v.is_summary(node):  # open: the look shows all
                    self._paint_branch(painter, x + left + v.depth(node) * INDENT, top)
                text = self.rows.cell(node, column)
                if not text:
                    continue
                indent = (v.depth(node) + 1) * INDENT if column == COL_NAME else 0
                cell = QRectF(
                    x + left + PAD + indent, top, column_width - 2 * PAD - indent, ROW_HEIGHT
                )
                align = (
                    Qt.AlignmentFlag.AlignRight
                    if column in RIGHT_ALIGNED
                    else Qt.AlignmentFlag.AlignLeft
                )
                if column == COL_PROGRESS:  # a bar beside the figure, as the table draws it
                    self._paint_progress_bar(painter, cell, v.progress(node))
                late = column == COL_SLIP and text.startswith("+")
                painter.setPen(colors.refuse if late else colors.text)
                elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(cell.width()))
                painter.drawText(cell, int(middle | align), elided)
        painter.restore()

    def _paint_branch(self, painter: QPainter, left: int, top: int) -> None:
        """An open summary's mark, where and as the task table's name cells draw it
        (`desktop.gantt.cells.NameCellDelegate`, `branch_rect`)."""
        mark = QStyleOption()
        mark.rect = QRect(left, top, INDENT, ROW_HEIGHT)
        mark.palette = self.palette()
        flags = QStyle.StateFlag
        mark.state = flags.State_Children | flags.State_Enabled | flags.State_Item
        mark.state |= flags.State_Open
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorBranch, mark, painter, self)

    def _paint_progress_bar(self, painter: QPainter, cell: QRectF, value: int) -> None:
        painter.save()
        paint_progress_bar(
            painter, cell.left(), cell.center().y(), cell.width(), value, self.palette()
        )
        painter.restore()
