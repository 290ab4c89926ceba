"""The Portfolio area: every open project on one timeline, grouped by client (collapsible),
the client's health badge beside each group, filters by client, account manager, project
manager and status.

Return (or a double-click) opens the selected project's plan. Dragging a project's bar moves
the whole project by working days as one undoable edit (`db.portfolio.operations`); a move
that would break a fixed date is refused with the reason, shown above the chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QSettings, Qt, Signal
from PySide6.QtGui import (
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from db.changes import ChangeSet
from db.directory import clients_by_name
from db.models import ProjectStatus
from db.portfolio.budgets import AgencyBudgets, agency_budgets
from db.portfolio.operations import MoveProject
from db.portfolio.timeline import Filters, PortfolioClient, PortfolioProject, portfolio
from db.roster import members_by_name
from desktop.budget_text import money_line
from desktop.day_rows import scrolled_to_show
from desktop.gantt.painter import Colors
from desktop.portfolio.layout import HEADER_HEIGHT, NAME_WIDTH, PortfolioLayout, Row
from desktop.portfolio.painter import STATUS_TEXT, Ghost, PortfolioPainter
from desktop.printing.printable import PrintTarget
from desktop.views.area_header import AreaHeader
from desktop.workspace import Workspace

SETTINGS_ZOOM = "portfolio/zoom"
# What the portfolio shows: a change to any of these can move a bar, a marker or a badge.
_SHOWN = (
    "Project",
    "Task",
    "Dependency",
    "Assignment",
    "TimeOff",
    "Closure",
    "AgencySetting",
    "Client",
    "TeamMember",
    "Baseline",
    "BaselineTask",
    "CostEntry",
    "Interaction",
    "FollowUp",
    "SatisfactionRating",
)


@dataclass
class _Drag:
    project: PortfolioProject
    press: QPointF
    shift: int = 0
    active: bool = False


class PortfolioChart(QAbstractScrollArea):
    """Signals:
    project_activated(str): Return or a double-click on a project.
    refused(str): a move was refused; the message says why.
    """

    project_activated = Signal(str)
    refused = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portfolioChart")
        self.workspace = workspace
        self.layout_ = PortfolioLayout()
        self.current = ""  # the selected project's id
        self.drag: _Drag | None = None
        self.budgets: AgencyBudgets | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.horizontalScrollBar().valueChanged.connect(self.viewport().update)
        self.verticalScrollBar().valueChanged.connect(self.viewport().update)

    def set_clients(self, clients: list[PortfolioClient]) -> None:
        self.layout_.clients = clients
        self.relayout()
        ids = [r.project.id for r in self.layout_.rows if r.project]
        if self.current not in ids:
            self.current = ids[0] if ids else ""

    def relayout(self) -> None:
        self.layout_.rebuild()
        view = self.viewport()
        h = self.horizontalScrollBar()
        h.setRange(0, max(0, self.layout_.width - (view.width() - NAME_WIDTH)))
        h.setPageStep(max(1, view.width() - NAME_WIDTH))
        v = self.verticalScrollBar()
        v.setRange(0, max(0, self.layout_.height - (view.height() - HEADER_HEIGHT)))
        v.setPageStep(max(1, view.height() - HEADER_HEIGHT))
        view.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.relayout()

    def scroll_to_day(self, day: date) -> None:
        x = self.layout_.x_of(day.toordinal()) - 40
        self.horizontalScrollBar().setValue(int(max(0, x)))

    def toggle(self, client_id: str) -> None:
        collapsed = self.layout_.collapsed
        collapsed.symmetric_difference_update({client_id})
        self.relayout()

    def bar_point(self, project_id: str) -> QPointF:
        """The middle of a project's bar on screen (tests drag from it)."""
        row = self.layout_.row_of_project(project_id)
        assert row is not None and row.project is not None
        span = self.layout_.bar_span(row.project)
        assert span is not None
        x = NAME_WIDTH + (span[0] + span[1]) / 2 - self.horizontalScrollBar().value()
        return QPointF(x, HEADER_HEIGHT + row.y - self.verticalScrollBar().value() + row.height / 2)

    # -- painting -----------------------------------------------------------------------------

    def painter_for(self, colors: Colors | None = None) -> PortfolioPainter:
        return PortfolioPainter(
            self.layout_, colors or Colors.for_palette(self.palette()), self.font()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        try:
            ghost = None
            if self.drag is not None and self.drag.active:
                ghost = Ghost(self.drag.project, self.drag.shift)
            self.painter_for().paint(
                painter,
                self.viewport().width(),
                self.viewport().height(),
                self.horizontalScrollBar().value(),
                self.verticalScrollBar().value(),
                selected=self.current,
                ghost=ghost,
            )
        finally:
            painter.end()

    # -- reading ------------------------------------------------------------------------------

    def row_at(self, pos: QPointF) -> Row | None:
        if pos.y() < HEADER_HEIGHT:
            return None
        return self.layout_.row_at(pos.y() - HEADER_HEIGHT + self.verticalScrollBar().value())

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.row_at(QPointF(event.pos()))
            text = tooltip(row, self.budgets) if row is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    # -- gestures -----------------------------------------------------------------------------

    def _on_bar(self, row: Row, x: float) -> bool:
        if row.project is None:
            return False
        span = self.layout_.bar_span(row.project)
        if span is None:
            return False
        bx = x - NAME_WIDTH + self.horizontalScrollBar().value()
        return span[0] - 2 <= bx <= span[1] + 2

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        row = self.row_at(pos)
        if row is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        if row.project is None:
            if pos.x() < NAME_WIDTH:
                self.toggle(row.client.id)
            return
        self.current = row.project.id
        self.viewport().update()
        if pos.x() >= NAME_WIDTH and self._on_bar(row, pos.x()):
            self.drag = _Drag(row.project, pos)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drag = self.drag
        pos = event.position()
        if drag is None:
            row = self.row_at(pos)
            on_bar = row is not None and pos.x() >= NAME_WIDTH and self._on_bar(row, pos.x())
            self.viewport().setCursor(
                Qt.CursorShape.SizeHorCursor if on_bar else Qt.CursorShape.ArrowCursor
            )
            return
        if not drag.active and abs(pos.x() - drag.press.x()) < 4:
            return
        drag.active = True
        drag.shift = round((pos.x() - drag.press.x()) / self.layout_.px)
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self.drag = self.drag, None
        self.viewport().update()
        if drag is None or not drag.active or not drag.shift:
            return
        self.move_project(drag.project, drag.shift)

    def move_project(self, project: PortfolioProject, shift: int) -> bool:
        """Move a project by `shift` calendar days, counted as the agency's working days
        between its start and the day it is dropped on."""
        if project.start is None:
            return False
        schedules = self.workspace.store.schedules
        working = schedules.working_days(
            project.start, date.fromordinal(project.start.toordinal() + shift)
        )
        days = working - 1 if shift > 0 else -(working - 1)
        if days == 0:
            return False
        if not self.workspace.run(MoveProject(project.id, days)):
            self.refused.emit(self.workspace.last_error or "Not moved")
            return False
        return True

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position())
        if row is not None and row.project is not None:
            self.drag = None
            self.project_activated.emit(row.project.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        rows = self.layout_.rows
        at = next((n for n, r in enumerate(rows) if r.project and r.project.id == self.current), -1)
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current:
            self.project_activated.emit(self.current)
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            n = at + step
            while 0 <= n < len(rows) and rows[n].project is None:
                n += step
            if 0 <= n < len(rows):
                project = rows[n].project
                assert project is not None
                self.current = project.id
                self._ensure_visible(rows[n])
                self.viewport().update()
        elif key == Qt.Key.Key_Escape and self.drag is not None:
            self.drag = None
            self.viewport().update()
        else:
            super().keyPressEvent(event)

    def _ensure_visible(self, row: Row) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(scrolled_to_show(row, bar.value(), self.viewport().height() - HEADER_HEIGHT))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tooltip(row: Row, budgets: AgencyBudgets | None = None) -> str:
    if row.project is None:
        c = row.client
        lines = [
            f"<b>{_esc(c.name)}</b>",
            f"Health {c.health_score} ({c.health_level}): {_esc(c.health_summary)}",
        ]
        figures = budgets.clients.get(c.id) if budgets is not None else None
        if figures is not None:
            lines.append(money_line(figures))
        return "<br>".join(lines)
    p = row.project
    lines = [f"<b>{_esc(p.name)}</b> · {_esc(row.client.name)} ({STATUS_TEXT[p.status]})"]
    if p.start and p.finish:
        lines.append(f"{p.start:%a %d %b %Y} to {p.finish:%a %d %b %Y}, {p.complete} % done")
    if p.due:
        late = " (planned to finish after it)" if p.late else ""
        lines.append(f"Due {p.due:%a %d %b %Y}{late}")
    if p.slip is not None and p.baseline_finish is not None:
        lines.append(f"{p.slip:+d} working days against the baseline ({p.baseline_finish:%d %b})")
    figures = budgets.projects.get(p.id) if budgets is not None else None
    if figures is not None:
        lines.append(money_line(figures))
        if figures.planned_over_budget:
            lines.append("<b>Planned cost is over the budget</b>")
    if p.burning_ahead:
        lines.append("<b>Burning ahead of progress</b>: more budget spent than work done")
    who = ", ".join(
        x
        for x in (
            f"AM {p.account_manager}" if p.account_manager else "",
            f"PM {p.project_manager}" if p.project_manager else "",
        )
        if x
    )
    if who:
        lines.append(_esc(who))
    for m in p.markers[:6]:
        lines.append(f"{'◆' if m.kind == 'milestone' else '▼'} {_esc(m.name)}: {m.day:%a %d %b}")
    lines.append("<i>Drag to move the whole project; Return opens its plan</i>")
    return "<br>".join(lines)


class PortfolioView(QWidget):
    """Signals:
    project_activated(str): open this project's plan.
    """

    project_activated = Signal(str)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portfolioView")
        self.workspace = workspace
        self._settings: QSettings | None = None
        self._dirty = False
        self.header = AreaHeader("Portfolio", "Filter projects")
        self.header.filter.hide()  # the combo boxes filter; the name filter is not needed
        self.client_box = QComboBox()
        self.am_box = QComboBox()
        self.pm_box = QComboBox()
        self.status_box = QComboBox()
        # The filters get a row of their own under the title, each box as wide as a long
        # name rather than the longest: the area then fits a 1024-pixel window whatever
        # the agency's clients are called (the open list shows names in full).
        filters = QHBoxLayout()
        filters.setContentsMargins(16, 0, 16, 6)
        filters.setSpacing(8)
        for box, tip, chars in (
            (self.client_box, "Client", 18),
            (self.am_box, "Account manager", 15),
            (self.pm_box, "Project manager", 15),
            (self.status_box, "Status", 11),
        ):
            box.setToolTip(tip)
            box.setAccessibleName(tip)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(chars)
            box.view().setTextElideMode(Qt.TextElideMode.ElideNone)
            filters.addWidget(box)
        filters.addStretch(1)
        self.zoom_box = QComboBox()
        self.zoom_box.setToolTip("Zoom")
        for key, text in (("weeks", "Weeks"), ("months", "Months"), ("quarters", "Quarters")):
            self.zoom_box.addItem(text, key)
        self.zoom_box.setCurrentIndex(1)
        self.zoom_box.currentIndexChanged.connect(self._zoom_changed)
        self.header.extra.addWidget(self.zoom_box)
        self.chart = PortfolioChart(workspace)
        self.chart.project_activated.connect(self.project_activated)
        self.chart.refused.connect(self.show_refusal)
        self.refusal = QLabel()
        self.refusal.setObjectName("portfolioRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setContentsMargins(16, 2, 16, 4)
        self.refusal.hide()
        legend = QLabel(
            "Bars: each project's plan. ◆ milestone  ▼ deliverable  | due date; a red line "
            "runs from the baseline's finish when the project slipped. The badge is the "
            "client's health. Drag a bar to move the whole project; Return opens its plan."
        )
        legend.setEnabled(False)
        legend.setWordWrap(True)
        legend.setContentsMargins(16, 0, 16, 2)
        self.totals = QLabel()
        self.totals.setObjectName("portfolioTotals")
        self.totals.setWordWrap(True)
        self.totals.setContentsMargins(16, 0, 16, 6)
        self.totals.setToolTip(
            "The projects shown: budgets, planned cost (hours assigned times day rates) and "
            "cost entries to date"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addLayout(filters)
        layout.addWidget(legend)
        layout.addWidget(self.totals)
        layout.addWidget(self.refusal)
        layout.addWidget(self.chart, 1)
        self._fill_filters()
        for box in (self.client_box, self.am_box, self.pm_box, self.status_box):
            box.currentIndexChanged.connect(self.reload)
        workspace.changed.connect(self._changed)
        self.reload()
        self.chart.scroll_to_day(date.today())

    def use_settings(self, settings: QSettings) -> None:
        self._settings = settings
        zoom = settings.value(SETTINGS_ZOOM, "months")
        index = self.zoom_box.findData(zoom)
        if index >= 0:
            self.zoom_box.setCurrentIndex(index)

    def print_target(self) -> PrintTarget:
        """Print here prints the portfolio as this area shows it (filters, collapsed rows)."""
        return PrintTarget("portfolio")

    # -- filters ------------------------------------------------------------------------------

    def filters(self) -> Filters:
        return Filters(
            str(self.client_box.currentData() or ""),
            str(self.am_box.currentData() or ""),
            str(self.pm_box.currentData() or ""),
            str(self.status_box.currentData() or ""),
        )

    def _fill_filters(self) -> None:
        session = self.workspace.session
        clients = clients_by_name(session)
        people = members_by_name(session)
        for box, first, items in (
            (self.client_box, "All clients", list(clients)),
            (self.am_box, "Any account manager", members_by_name(session, placeholders=False)),
            (self.pm_box, "Any project manager", people),
            (
                self.status_box,
                "Any open status",
                [(s.value, STATUS_TEXT[s].capitalize()) for s in ProjectStatus][:3],
            ),
        ):
            keep = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(first, "")
            for value, text in items:
                box.addItem(text, value)
            found = box.findData(keep)
            box.setCurrentIndex(max(found, 0))
            box.blockSignals(False)

    def _zoom_changed(self) -> None:
        zoom = str(self.zoom_box.currentData())
        self.chart.layout_.zoom = zoom
        self.chart.relayout()
        self.chart.scroll_to_day(date.today())
        if self._settings is not None:
            self._settings.setValue(SETTINGS_ZOOM, zoom)

    # -- keeping current ----------------------------------------------------------------------

    def reload(self) -> None:
        self._dirty = False
        clients = portfolio(
            self.workspace.session, self.filters(), schedules=self.workspace.store.schedules
        )
        shown = [p.id for c in clients for p in c.projects]
        budgets = agency_budgets(
            self.workspace.session, schedules=self.workspace.store.schedules, project_ids=shown
        )
        self.chart.budgets = budgets
        self.chart.set_clients(clients)
        self.totals.setText(
            # Each currency's figures kept on one line; lines break between currencies.
            "  |  ".join(
                money_line(m).replace(" ", "\N{NO-BREAK SPACE}")
                for _c, m in sorted(budgets.agency.items())
            )
            or "No open projects"
        )
        n = len(shown)
        self.header.count.setText(f"{n} open project{'s' if n != 1 else ''}")

    def _changed(self, changes: ChangeSet) -> None:
        if not changes.touches(*_SHOWN):
            return
        self.refusal.hide()
        if changes.touches("Client", "TeamMember"):
            self._fill_filters()
        if self.isVisible():
            self.reload()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def show_refusal(self, text: str) -> None:
        self.refusal.setText(f"⚠ {text}")
        self.refusal.show()
