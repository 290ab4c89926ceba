"""A client's budgets across its open projects, on the Money tab: the total budget against
the planned cost (hours assigned times day rates) and what is spent, as a line of figures
and a bar, then each project's figures in a table, flagged where spending runs ahead of the
work or the plan costs more than the budget.

The figures come from `db.portfolio.budgets.client_budget`, the same arithmetic as the
portfolio's, so the account manager and the project manager read the same numbers.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from db.portfolio.budgets import ClientBudget, Money, ProjectBudget
from desktop.budget_text import left_line, money_line
from desktop.client_page.context import list_table, stretch
from desktop.client_page.rows_model import Column, RowsModel
from desktop.formatting import money
from desktop.gantt.painter import blend

OVER = QColor("#d93025")
NONE = "\N{EN DASH}"  # no budget, so no burn either
AHEAD = "More of the budget is spent than of the work is done"
PLANNED_OVER = "The planned work costs more than the budget"


def _burn(p: ProjectBudget) -> str:
    m = p.money
    if m.burn is None:
        return NONE
    return f"{m.burn:.0%} ⚠" if m.burning_ahead else f"{m.burn:.0%}"


def _planned(p: ProjectBudget) -> str:
    m = p.money
    text = money(m.planned_cents, m.currency)
    return f"{text} ⚠" if m.planned_over_budget else text


def _flags(p: ProjectBudget) -> str:
    m = p.money
    return "\n".join(
        text for text, on in ((AHEAD, m.burning_ahead), (PLANNED_OVER, m.planned_over_budget)) if on
    )


COLUMNS = (
    Column("Project", lambda p: p.name, sort=lambda p: p.name.casefold()),
    Column(
        "Budget",
        lambda p: money(p.money.budget_cents, p.money.currency) if p.money.budget_cents else NONE,
        sort=lambda p: p.money.budget_cents,
        right=True,
    ),
    Column(
        "Planned",
        _planned,
        sort=lambda p: p.money.planned_cents,
        right=True,
        tooltip=lambda p: PLANNED_OVER if p.money.planned_over_budget else "",
    ),
    Column(
        "Spent",
        lambda p: money(p.money.spent_cents, p.money.currency),
        sort=lambda p: p.money.spent_cents,
        right=True,
    ),
    Column(
        "Burn",
        _burn,
        sort=lambda p: p.money.burn or 0.0,
        right=True,
        tooltip=lambda p: AHEAD if p.money.burning_ahead else "Spent ÷ budget",
    ),
    Column(
        "Done",
        lambda p: f"{p.money.complete:.0f} %",
        sort=lambda p: p.money.complete,
        right=True,
        tooltip=lambda p: _flags(p) or "Work done, by working days",
    ),
)


class BudgetBar(QWidget):
    """Spent (solid) and planned (light) against the budget (the tick); red past it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetBar")
        self.figures: Money | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(240, 12)

    def set_money(self, figures: Money) -> None:
        self.figures = figures
        self.setToolTip(money_line(figures))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        m = self.figures
        if m is None:
            return
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            base = palette.color(QPalette.ColorRole.Base)
            text = palette.color(QPalette.ColorRole.Text)
            accent = palette.color(QPalette.ColorRole.Highlight)
            track = QRectF(self.rect()).adjusted(0.5, 1.5, -0.5, -1.5)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(blend(base, text, 0.1))
            painter.drawRoundedRect(track, 3, 3)
            scale = max(m.budget_cents, m.planned_cents, m.spent_cents)
            if scale <= 0:
                return

            def part(cents: int) -> QRectF:
                return QRectF(
                    track.left(), track.top(), track.width() * cents / scale, track.height()
                )

            over = bool(m.budget_cents) and m.planned_cents > m.budget_cents
            painter.setBrush(blend(base, OVER if over else accent, 0.4))
            painter.drawRoundedRect(part(m.planned_cents), 3, 3)
            spent_over = bool(m.budget_cents) and m.spent_cents > m.budget_cents
            painter.setBrush(OVER if spent_over or m.burning_ahead else accent)
            painter.drawRoundedRect(part(m.spent_cents), 3, 3)
            if m.budget_cents:
                x = track.left() + track.width() * m.budget_cents / scale
                painter.setPen(QPen(text, 2))
                painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        finally:
            painter.end()


class BudgetRollup(QWidget):
    """The roll-up: `set_budget(client_budget(...))` shows it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("budgetRollup")
        self.total = QLabel()
        self.total.setObjectName("money_rollup")
        self.total.setWordWrap(True)
        self.total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.left = QLabel()
        self.left.setObjectName("money_left")
        self.bar = BudgetBar()
        self.model = RowsModel(COLUMNS)
        self.table = list_table(empty="No open project for this client yet")
        self.table.setObjectName("money_projects")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        stretch(self.table, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.total)
        layout.addWidget(self.bar)
        layout.addWidget(self.left)
        layout.addWidget(self.table, 1)

    def set_budget(self, budget: ClientBudget) -> None:
        m = budget.total
        if budget.projects:
            self.total.setText(f"{money_line(m)} across {_projects(len(budget.projects))}")
        else:
            self.total.setText("No open project: its budget and spending show here once one runs")
        self.bar.set_money(m)
        self.bar.setVisible(bool(budget.projects))
        left = left_line(m)
        self.left.setText(left)
        self.left.setVisible(bool(left))
        over = bool(m.budget_cents) and max(m.planned_cents, m.spent_cents) > m.budget_cents
        self.left.setStyleSheet(f"color: {OVER.name()};" if over else "")
        self.model.set_rows(budget.projects)
        self.table.setVisible(bool(budget.projects))
        rows = max(1, min(len(budget.projects), 5))
        header = self.table.horizontalHeader().sizeHint().height()
        row = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header + rows * row + 2 * self.table.frameWidth() + 2)


def _projects(n: int) -> str:
    return f"{n} open project{'s' if n != 1 else ''}"
