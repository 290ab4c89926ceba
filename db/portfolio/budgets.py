"""Budgets across the agency: per open project its budget, planned cost (the hours assigned
on each scheduled working day times each person's day rate), actual cost (cost entries up to
today) and burn against progress; rolled up per client and for the agency (per currency:
clients may be billed in different ones).

A day rate prices a day of `HOURS_PER_DAY` hours, so an hour costs a day rate ÷ 8.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NotFoundError
from db.models import Assignment, Client, Project, ProjectStatus, Task, TeamMember
from db.portfolio.figures import Burning, spent_by_project, work_done
from db.portfolio.timeline import OPEN_STATUSES
from db.scheduling.schedules import Schedules, schedules_for
from db.workload.load import task_days

HOURS_PER_DAY = 8.0


@dataclass
class Money(Burning):
    """Figures in cents of one currency; `complete` is % of the work done (by working days,
    weighted by them when rolled up)."""

    currency: str
    budget_cents: int = 0
    planned_cents: int = 0
    spent_cents: int = 0
    complete: float = 0.0
    weight: int = 0  # working days of work behind `complete`

    @property
    def planned_over_budget(self) -> bool:
        return bool(self.budget_cents) and self.planned_cents > self.budget_cents

    def add(self, other: Money) -> None:
        total = self.weight + other.weight
        if total:
            self.complete = (self.complete * self.weight + other.complete * other.weight) / total
        self.weight = total
        self.budget_cents += other.budget_cents
        self.planned_cents += other.planned_cents
        self.spent_cents += other.spent_cents


@dataclass
class AgencyBudgets:
    projects: dict[str, Money]
    clients: dict[str, Money]
    agency: dict[str, Money]  # currency -> totals


def agency_budgets(
    session: Session,
    *,
    today: date | None = None,
    schedules: Schedules | None = None,
    project_ids: Iterable[str] | None = None,
) -> AgencyBudgets:
    today = today or date.today()
    schedules = schedules or schedules_for(session)
    query = (
        select(Project.id, Project.client_id, Project.budget_cents, Client.currency)
        .join(Client, Client.id == Project.client_id)
        .where(Project.status.in_(OPEN_STATUSES))
    )
    rows = session.execute(query).all()
    if project_ids is not None:
        wanted = set(project_ids)
        rows = [r for r in rows if r[0] in wanted]
    ids = [r[0] for r in rows]
    rate: dict[str, int] = {
        mid: cents
        for mid, cents in session.execute(select(TeamMember.id, TeamMember.day_rate_cents))
    }
    spent = spent_by_project(session, ids, today)
    hours: dict[str, list[tuple[str, str, float]]] = defaultdict(list)  # project -> work
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        for pid, tid, mid, per_day in session.execute(
            select(
                Task.project_id, Assignment.task_id, Assignment.member_id, Assignment.hours_per_day
            )
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.project_id.in_(chunk))
        ):
            hours[pid].append((tid, mid, per_day))
    schedulers = schedules.schedulers(ids)
    projects: dict[str, Money] = {}
    clients: dict[str, Money] = {}
    agency: dict[str, Money] = {}
    for pid, cid, budget, currency in rows:
        s = schedulers[pid]
        planned = 0.0
        for tid, mid, per_day in hours.get(pid, ()):
            if tid not in s or s.is_summary(tid) or s.spec(tid).milestone:
                continue
            i = s.pos[tid]
            days = len(task_days(s.cal[i], s.start_o[i], s.finish_o[i]))
            planned += per_day * days * rate.get(mid, 0) / HOURS_PER_DAY
        done, total = work_done(s)
        money = Money(
            currency,
            budget or 0,
            round(planned),
            spent.get(pid, 0),
            done / total if total else 0.0,
            total,
        )
        projects[pid] = money
        clients.setdefault(cid, Money(currency)).add(money)
        agency.setdefault(currency, Money(currency)).add(money)
    return AgencyBudgets(projects, clients, agency)


@dataclass(frozen=True)
class ProjectBudget:
    """One open project's figures, named, for a client's list."""

    id: str
    name: str
    status: ProjectStatus
    money: Money


@dataclass(frozen=True)
class ClientBudget:
    """A client's open projects' budgets rolled up (`total`), and each project's, by name."""

    client_id: str
    total: Money
    projects: list[ProjectBudget]


def client_budget(
    session: Session,
    client_id: str,
    *,
    today: date | None = None,
    schedules: Schedules | None = None,
) -> ClientBudget:
    """The client's budget against planned cost and spending across its open projects,
    worked out by `agency_budgets` so the Money tab and the portfolio agree."""
    currency = session.scalar(select(Client.currency).where(Client.id == client_id))
    if currency is None:
        raise NotFoundError(f"Client {client_id} no longer exists")
    rows = session.execute(
        select(Project.id, Project.name, Project.status)
        .where(Project.client_id == client_id, Project.status.in_(OPEN_STATUSES))
        .order_by(func.lower(Project.name))
    ).all()
    found = agency_budgets(
        session, today=today, schedules=schedules, project_ids=[r[0] for r in rows]
    )
    projects = [
        ProjectBudget(pid, name, status, found.projects[pid])
        for pid, name, status in rows
        if pid in found.projects
    ]
    return ClientBudget(client_id, found.clients.get(client_id, Money(currency)), projects)
