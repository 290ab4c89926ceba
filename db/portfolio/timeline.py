"""What the portfolio timeline shows, read in a few queries for every open project at once.

A project's bar spans its scheduled first start to last finish; its markers are its
milestones and deliverables; its slip is how many working days its finish is later than in
its latest baseline; it is flagged when its burn (spent ÷ budget) runs ahead of its progress.
Clients carry their health (the account manager's badge).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.am.health_facts import health_for_clients
from db.models import (
    Baseline,
    BaselineTask,
    Client,
    Project,
    ProjectStatus,
    Task,
    TaskKind,
    TeamMember,
)
from db.portfolio.figures import Burning, spent_by_project, work_done
from db.scheduling.schedules import Schedules, schedules_for

OPEN_STATUSES = (ProjectStatus.PLANNED, ProjectStatus.ACTIVE, ProjectStatus.ON_HOLD)


@dataclass(frozen=True, slots=True)
class Marker:
    task_id: str
    name: str
    day: date
    kind: TaskKind  # milestone or deliverable


@dataclass
class PortfolioProject(Burning):
    id: str
    name: str
    client_id: str
    status: ProjectStatus
    account_manager: str
    project_manager: str
    account_manager_id: str | None
    project_manager_id: str | None
    start: date | None  # scheduled span; None for a project with no tasks yet
    finish: date | None
    due: date | None
    baseline_finish: date | None = None
    slip: int | None = None  # working days later than the baseline (negative: earlier)
    markers: list[Marker] = field(default_factory=list)
    budget_cents: int = 0
    spent_cents: int = 0
    complete: int = 0  # % of the work done, by working days

    @property
    def late(self) -> bool:
        return self.due is not None and self.finish is not None and self.finish > self.due


@dataclass
class PortfolioClient:
    id: str
    name: str
    health_score: int
    health_level: str  # "good", "fair" or "poor"
    health_summary: str
    projects: list[PortfolioProject] = field(default_factory=list)


@dataclass(frozen=True)
class Filters:
    """Empty means any."""

    client_id: str = ""
    account_manager_id: str = ""
    project_manager_id: str = ""
    status: str = ""

    def keeps(self, p: PortfolioProject) -> bool:
        return (
            (not self.client_id or p.client_id == self.client_id)
            and (not self.account_manager_id or p.account_manager_id == self.account_manager_id)
            and (not self.project_manager_id or p.project_manager_id == self.project_manager_id)
            and (not self.status or p.status == self.status)
        )


def portfolio(
    session: Session,
    filters: Filters | None = None,
    *,
    today: date | None = None,
    schedules: Schedules | None = None,
    statuses: Collection[ProjectStatus] = OPEN_STATUSES,
) -> list[PortfolioClient]:
    """Clients (by name) with their open projects (by start), as filtered."""
    today = today or date.today()
    filters = filters or Filters()
    schedules = schedules or schedules_for(session)
    am, pm = aliased(TeamMember), aliased(TeamMember)
    rows = session.execute(
        select(
            Project.id,
            Project.name,
            Project.client_id,
            Project.status,
            am.name,
            pm.name,
            Project.account_manager_id,
            Project.project_manager_id,
            Project.due_date,
            Project.budget_cents,
        )
        .outerjoin(am, am.id == Project.account_manager_id)
        .outerjoin(pm, pm.id == Project.project_manager_id)
        .where(Project.status.in_(list(statuses)))
    ).all()
    projects = [
        PortfolioProject(
            pid,
            name,
            cid,
            ProjectStatus(status),
            amn or "",
            pmn or "",
            amid,
            pmid,
            None,
            None,
            due,
            budget_cents=budget or 0,
        )
        for pid, name, cid, status, amn, pmn, amid, pmid, due, budget in rows
    ]
    projects = [p for p in projects if filters.keeps(p)]
    ids = [p.id for p in projects]
    schedulers = schedules.schedulers(ids)
    spent = spent_by_project(session, ids, today)
    finishes = _baseline_finishes(session, ids)
    for p in projects:
        s = schedulers[p.id]
        span = s.project_span()
        if span is not None:
            p.start, p.finish = span
        done, total = work_done(s)
        p.complete = round(done / total) if total else 0
        p.spent_cents = spent.get(p.id, 0)
        base = finishes.get(p.id)
        if base is not None and p.finish is not None:
            p.baseline_finish = base
            p.slip = s.calendar.working_days_between(base, p.finish)
    _markers(session, schedules, projects)
    clients = {
        cid: (name,)
        for cid, name in session.execute(
            select(Client.id, Client.name).where(Client.id.in_({p.client_id for p in projects}))
        )
    }
    health = health_for_clients(session, today, list(clients)) if clients else {}
    grouped: dict[str, PortfolioClient] = {}
    for cid, (name,) in clients.items():
        h = health.get(cid)
        grouped[cid] = PortfolioClient(
            cid,
            name,
            h.score if h else 100,
            h.level if h else "good",
            h.summary if h else "all well",
        )
    for p in sorted(projects, key=lambda p: (p.start or date.max, p.name.casefold())):
        grouped[p.client_id].projects.append(p)
    return sorted(grouped.values(), key=lambda c: c.name.casefold())


def _baseline_finishes(session: Session, ids: list[str]) -> dict[str, date]:
    """Each project's finish in its latest baseline."""
    latest = (
        select(Baseline.project_id, func.max(Baseline.saved_at).label("saved"))
        .where(Baseline.project_id.in_(ids))
        .group_by(Baseline.project_id)
        .subquery()
    )
    found: dict[str, date] = {}
    for pid, finish in session.execute(
        select(Baseline.project_id, func.max(BaselineTask.finish_date))
        .join(
            latest,
            (latest.c.project_id == Baseline.project_id) & (latest.c.saved == Baseline.saved_at),
        )
        .join(BaselineTask, BaselineTask.baseline_id == Baseline.id)
        .group_by(Baseline.project_id)
    ):
        found[pid] = finish
    return found


def _markers(session: Session, schedules: Schedules, projects: list[PortfolioProject]) -> None:
    by_id = {p.id: p for p in projects}
    if not by_id:
        return
    marked: dict[str, list[tuple[str, str, TaskKind]]] = defaultdict(list)
    ids = list(by_id)
    for first in range(0, len(ids), 500):
        for tid, pid, name, kind in session.execute(
            select(Task.id, Task.project_id, Task.name, Task.kind).where(
                Task.project_id.in_(ids[first : first + 500]),
                Task.kind.in_([TaskKind.MILESTONE, TaskKind.DELIVERABLE]),
            )
        ):
            marked[pid].append((tid, name, TaskKind(kind)))
    for pid, found in marked.items():
        s = schedules.scheduler(pid)
        project = by_id[pid]
        for tid, name, kind in found:
            if tid in s:
                project.markers.append(Marker(tid, name, s.finish(tid), kind))
        project.markers.sort(key=lambda m: m.day)
