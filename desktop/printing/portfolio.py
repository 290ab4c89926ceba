"""The portfolio as one Gantt document: every open project as a summary row over its own
plan, scheduled by the same engine, so the portfolio prints with the same drawing code as a
single project. Each project keeps its own tasks and links; only the top level is new."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Client, Project, ProjectStatus
from db.scheduling.baseline import baseline_dates, latest_baseline
from db.scheduling.engine import Scheduler
from db.scheduling.plan import Plan, TaskSpec, agency_days, load_plan
from db.scheduling.schedule_view import ScheduleView
from desktop.gantt.document import GanttDocument

PORTFOLIO_ID = "portfolio"
OPEN = (ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)


def _project_row_id(project_id: str) -> str:
    return f"project:{project_id}"


class PortfolioDocument(GanttDocument):
    """Projects (not done or cancelled) as summaries, their phases below them; deeper levels
    start collapsed so a portfolio reads at a glance."""

    def __init__(self, session: Session, depth: int = 1) -> None:
        self.depth = depth
        super().__init__(session, PORTFOLIO_ID)

    def reload(self) -> None:
        projects = self.session.execute(
            select(Project.id, Project.name, Client.name, Project.start_date)
            .join(Client, Client.id == Project.client_id)
            .where(Project.status.in_(OPEN))
            .order_by(Project.start_date, Client.name, Project.name)
        ).all()
        tasks: list[TaskSpec] = []
        links = []
        leave: dict[str, list[tuple[date, date]]] = {}
        baseline: dict[str, tuple[date, date]] = {}
        people: dict[str, str] = {}
        for n, (pid, name, client, start) in enumerate(projects):
            plan = load_plan(self.session, pid)
            if not plan.tasks:
                continue
            row = _project_row_id(pid)
            first = min(t.start for t in plan.tasks)
            tasks.append(TaskSpec(row, f"{client}: {name}", start or first, 1, None, sort_order=n))
            for spec in plan.tasks:
                if spec.parent_id is None:
                    tasks.append(
                        TaskSpec(
                            spec.id,
                            spec.name,
                            spec.start,
                            spec.duration,
                            row,
                            spec.milestone,
                            spec.members,
                            spec.sort_order,
                            spec.progress,
                        )
                    )
                else:
                    tasks.append(spec)
            links.extend(plan.links)
            leave.update(plan.leave)
            found = latest_baseline(self.session, pid)
            if found:
                baseline.update(baseline_dates(self.session, found))
        combined = Plan(tasks=tasks, links=links, agency=agency_days(self.session), leave=leave)
        self.scheduler = Scheduler(combined)
        self.schedule = v = ScheduleView(self.scheduler)
        self.roots = v.roots()
        self.assignees = {}
        self.people = people
        self.baseline = baseline
        self._number()
        self.collapsed = set()
        stack = [(i, 0) for i in self.roots]
        while stack:
            i, level = stack.pop()
            if v.is_summary(i) and level >= self.depth:
                self.collapsed.add(i)
                continue
            stack.extend((child, level + 1) for child in v.children(i))
        self.relayout()

    def reload_baseline(self) -> None:
        """Baselines are read per project in `reload`."""
