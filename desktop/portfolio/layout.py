"""Rows and x positions of the portfolio timeline, with no widget: a row per client (with
its health badge), then a row per project unless the client is collapsed. Shared by the
screen and the printed pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from db.portfolio.timeline import PortfolioClient, PortfolioProject
from desktop.day_rows import RowsOverDays

NAME_WIDTH = 260
HEADER_HEIGHT = 42
CLIENT_HEIGHT = 28
PROJECT_HEIGHT = 30
DAY_PX = {"weeks": 10.0, "months": 3.2, "quarters": 1.2}


@dataclass(frozen=True, slots=True)
class Row:
    y: int
    height: int
    client: PortfolioClient
    project: PortfolioProject | None = None  # None: the client's own row


@dataclass
class PortfolioLayout(RowsOverDays[Row]):
    clients: list[PortfolioClient] = field(default_factory=list)
    collapsed: set[str] = field(default_factory=set)
    zoom: str = "months"
    first: date = field(default_factory=date.today)
    last: date = field(default_factory=date.today)
    rows: list[Row] = field(default_factory=list)
    px_override: float | None = None  # a page fits the whole range to its width
    today: date = field(default_factory=date.today)
    # The days to show, first to last (a printout's --from/--to); None, or either end None:
    # every project's span with a margin, today included.
    span: tuple[date | None, date | None] | None = None

    @property
    def px(self) -> float:
        return self.px_override if self.px_override is not None else DAY_PX[self.zoom]

    def rebuild(self) -> None:
        self.rows = []
        y = 0
        spans = [
            (p.start, p.finish)
            for c in self.clients
            for p in c.projects
            if p.start is not None and p.finish is not None
        ]
        today = self.today
        first = min([s for s, _f in spans] + [today]) - timedelta(days=14)
        last = max([f for _s, f in spans] + [today]) + timedelta(days=60)
        if self.span is not None:
            first, last = self.span[0] or first, self.span[1] or last
            last = max(last, first + timedelta(days=27))  # at least a month, in order
        self.first = first - timedelta(days=first.weekday())
        self.last = last
        for client in self.clients:
            self.rows.append(Row(y, CLIENT_HEIGHT, client))
            y += CLIENT_HEIGHT
            if client.id in self.collapsed:
                continue
            for project in client.projects:
                self.rows.append(Row(y, PROJECT_HEIGHT, client, project))
                y += PROJECT_HEIGHT

    def row_of_project(self, project_id: str) -> Row | None:
        return next((r for r in self.rows if r.project and r.project.id == project_id), None)

    def bar_span(self, project: PortfolioProject, shift: int = 0) -> tuple[float, float] | None:
        if project.start is None or project.finish is None:
            return None
        return (
            self.x_of(project.start.toordinal() + shift),
            self.x_of(project.finish.toordinal() + 1 + shift),
        )
