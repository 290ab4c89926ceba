"""A project's money and its changes: cost entries, the budget, the burn figure (spent ÷
budget, set against % complete), and change requests — raised by a client contact, with a
schedule impact on named tasks and a cost impact.

Accepting a change request is one operation: its tasks grow by the schedule impact (the
engine moves everything after them), the budget grows by the cost impact, and a note in the
client's timeline tells the account manager. Undo takes all of it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.core_reads import read
from db.errors import NotFoundError, ValidationError
from db.labels import quoted
from db.models import (
    ChangeRequest,
    ChangeRequestStatus,
    ChangeRequestTask,
    Client,
    Contact,
    CostEntry,
    Interaction,
    InteractionKind,
    Project,
    ProjectStatus,
    Task,
    TaskKind,
    new_id,
    utcnow,
)
from db.operations import Composite, Create, Delete, Operation, Update
from db.scheduling.operations import ResizeTask


def _project(session: Session, project_id: str) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError(f"Project {project_id} no longer exists")
    return project


def _money(cents: int) -> str:
    return f"{cents / 100:,.2f}".replace(".00", "")


@dataclass(frozen=True)
class Burn:
    """How fast a project eats its budget: `spent_cents` up to today, `ratio` = spent ÷
    budget (None without a budget), `complete` = % of the work done (by working days)."""

    spent_cents: int
    budget_cents: int
    ratio: float | None
    complete: int

    @property
    def over(self) -> bool:
        """Spending runs ahead of the work done (by more than five points)."""
        return self.ratio is not None and self.ratio * 100 > self.complete + 5


def burn(session: Session, project_id: str, today: date | None = None) -> Burn:
    # Table columns: a plan's status line shows the burn before the first paint, which must
    # not configure the mappers (see `db.core_reads`).
    today = today or date.today()
    project, cost, task = Project.__table__.c, CostEntry.__table__.c, Task.__table__.c
    budget = read(session, select(project.budget_cents).where(project.id == project_id)).scalar()
    if budget is None:
        raise NotFoundError(f"Project {project_id} no longer exists")
    spent = read(
        session,
        select(func.coalesce(func.sum(cost.amount_cents), 0)).where(
            cost.project_id == project_id, cost.spent_on <= today
        ),
    ).scalar()
    parents = select(task.parent_id).where(
        task.project_id == project_id, task.parent_id.is_not(None)
    )
    done, total = read(
        session,
        select(
            func.coalesce(func.sum(task.duration_days * task.progress), 0),
            func.coalesce(func.sum(task.duration_days), 0),
        ).where(task.project_id == project_id, task.id.not_in(parents)),
    ).one()
    complete = round(done / total) if total else 0
    return Burn(int(spent or 0), budget, (spent or 0) / budget if budget else None, complete)


def client_burns(
    session: Session, client_id: str, today: date | None = None
) -> list[tuple[str, Burn]]:
    """(name, burn) of a client's running projects (neither done nor cancelled) that have a
    budget or have spent something, by name: the client's Money tab lists them."""
    rows = session.execute(
        select(Project.id, Project.name)
        .where(
            Project.client_id == client_id,
            Project.status.not_in([ProjectStatus.DONE, ProjectStatus.CANCELLED]),
        )
        .order_by(Project.name)
    ).all()
    found = [(name, burn(session, pid, today)) for pid, name in rows]
    return [(name, b) for name, b in found if b.budget_cents or b.spent_cents]


# -- what the costs and changes screen lists ------------------------------------------------


def project_currency(session: Session, project_id: str) -> str:
    """The currency of a project's client (EUR when it names none)."""
    client, project = Client.__table__.c, Project.__table__.c
    query = (
        select(client.currency)
        .join(Project.__table__, project.client_id == client.id)
        .where(project.id == project_id)
    )
    return str(read(session, query).scalar() or "EUR")


def cost_entries(session: Session, project_id: str) -> list[CostEntry]:
    """A project's cost entries, oldest first."""
    query = select(CostEntry).where(CostEntry.project_id == project_id).order_by(CostEntry.spent_on)
    return list(session.scalars(query))


def task_names(session: Session, project_id: str) -> list[tuple[str, str]]:
    """(id, name) of a project's tasks, in plan order."""
    query = select(Task.id, Task.name).where(Task.project_id == project_id)
    return [(i, n) for i, n in session.execute(query.order_by(Task.sort_order))]


def client_contacts(session: Session, project_id: str) -> list[tuple[str, str]]:
    """(id, name) of the contacts of a project's client, by name: who can raise a change."""
    query = (
        select(Contact.id, Contact.name)
        .join(Project, Project.client_id == Contact.client_id)
        .where(Project.id == project_id)
        .order_by(Contact.name)
    )
    return [(i, n) for i, n in session.execute(query)]


def change_requests(session: Session, project_id: str) -> list[ChangeRequest]:
    """A project's change requests, oldest first, each with its tasks read fresh (an undo
    may have changed them behind the session's back)."""
    query = (
        select(ChangeRequest)
        .where(ChangeRequest.project_id == project_id)
        .order_by(ChangeRequest.raised_on)
    )
    found = list(session.scalars(query))
    for request in found:
        session.refresh(request, ["tasks"])
    return found


# -- costs -----------------------------------------------------------------------------------


def _check_task(session: Session, project_id: str, task_id: str | None, what: str) -> None:
    if task_id is None:
        return
    task = session.get(Task, task_id)
    if task is None or task.project_id != project_id:
        raise ValidationError(what, "the task must belong to this project")


@dataclass
class AddCost(Composite):
    project_id: str
    spent_on: date
    amount_cents: int
    note: str = ""
    task_id: str | None = None
    id: str = field(default_factory=new_id)

    def apply(self, session: Session) -> None:
        _project(session, self.project_id)
        _check_task(session, self.project_id, self.task_id, "Cost task")
        self.label = self.label or f"Add cost of {_money(self.amount_cents)}"
        values = {
            "id": self.id,
            "project_id": self.project_id,
            "spent_on": self.spent_on,
            "amount_cents": self.amount_cents,
            "note": self.note,
            "task_id": self.task_id,
        }
        self.run_steps(session, [Create(CostEntry, values)])


@dataclass
class EditCost(Composite):
    cost_id: str
    values: dict[str, Any]

    def apply(self, session: Session) -> None:
        cost = session.get(CostEntry, self.cost_id)
        if cost is None:
            raise NotFoundError(f"Cost entry {self.cost_id} no longer exists")
        if "task_id" in self.values:
            self.values["task_id"] = self.values["task_id"] or None
            _check_task(session, cost.project_id, self.values["task_id"], "Cost task")
        self.label = self.label or "Edit cost"
        self.run_steps(session, [Update(CostEntry, cost.id, self.values)])


@dataclass
class SetBudget(Composite):
    project_id: str
    budget_cents: int

    def apply(self, session: Session) -> None:
        project = _project(session, self.project_id)
        self.label = self.label or f"Set budget of {quoted(project.name)}"
        values = {"budget_cents": self.budget_cents}
        self.run_steps(session, [Update(Project, project.id, values)])


# -- change requests -------------------------------------------------------------------------


def _check_impact_tasks(session: Session, project_id: str, task_ids: Sequence[str]) -> None:
    for task_id in task_ids:
        task = session.get(Task, task_id)
        if task is None or task.project_id != project_id:
            raise ValidationError("Schedule impact", "the tasks must belong to this project")
        if task.kind == TaskKind.MILESTONE:
            raise ValidationError(
                "Schedule impact", f"'{task.name}' is a milestone; name the tasks whose work grows"
            )
        if session.scalar(select(Task.id).where(Task.parent_id == task.id).limit(1)):
            raise ValidationError(
                "Schedule impact", f"'{task.name}' is a summary; name the tasks under it"
            )


@dataclass
class AddChangeRequest(Composite):
    project_id: str
    description: str
    raised_on: date
    contact_id: str | None = None
    schedule_days: int = 0
    cost_cents: int = 0
    task_ids: list[str] = field(default_factory=list)
    id: str = field(default_factory=new_id)
    link_ids: list[str] = field(default_factory=list)  # fixed on first apply, for redo

    def apply(self, session: Session) -> None:
        project = _project(session, self.project_id)
        if self.contact_id is not None:
            contact = session.get(Contact, self.contact_id)
            if contact is None or contact.client_id != project.client_id:
                raise ValidationError("Raised by", "the contact must be one of the client's")
        _check_impact_tasks(session, project.id, self.task_ids)
        self.label = self.label or "New change request"
        while len(self.link_ids) < len(self.task_ids):
            self.link_ids.append(new_id())
        steps: list[Operation] = [
            Create(
                ChangeRequest,
                {
                    "id": self.id,
                    "project_id": project.id,
                    "raised_on": self.raised_on,
                    "description": self.description,
                    "contact_id": self.contact_id,
                    "schedule_impact_days": self.schedule_days,
                    "cost_impact_cents": self.cost_cents,
                },
            )
        ]
        steps += [
            Create(
                ChangeRequestTask,
                {"id": link_id, "change_request_id": self.id, "task_id": task_id},
            )
            for link_id, task_id in zip(self.link_ids, self.task_ids, strict=False)
        ]
        self.run_steps(session, steps)


def _task_name(session: Session, task_id: str) -> str:
    task = session.get(Task, task_id)
    return task.name if task is not None else "?"


def _request(session: Session, request_id: str) -> ChangeRequest:
    request = session.get(ChangeRequest, request_id)
    if request is None:
        raise NotFoundError(f"Change request {request_id} no longer exists")
    return request


@dataclass
class EditChangeRequest(Composite):
    """Edit a pending request's fields; `task_ids`, when given, replaces its tasks."""

    request_id: str
    values: dict[str, Any] = field(default_factory=dict)
    task_ids: list[str] | None = None
    link_ids: list[str] = field(default_factory=list)

    def apply(self, session: Session) -> None:
        request = _request(session, self.request_id)
        if request.status != ChangeRequestStatus.PENDING:
            raise ValidationError(
                "Change request", "only a pending request can change; it was decided"
            )
        self.label = self.label or "Edit change request"
        steps: list[Operation] = []
        if self.values:
            steps.append(Update(ChangeRequest, request.id, self.values))
        if self.task_ids is not None:
            _check_impact_tasks(session, request.project_id, self.task_ids)
            current = {link.task_id: link for link in request.tasks}
            for task_id, link in current.items():
                if task_id not in self.task_ids:
                    steps.append(Delete(ChangeRequestTask, link.id))
            added = [t for t in self.task_ids if t not in current]
            while len(self.link_ids) < len(added):
                self.link_ids.append(new_id())
            for link_id, task_id in zip(self.link_ids, added, strict=False):
                steps.append(
                    Create(
                        ChangeRequestTask,
                        {"id": link_id, "change_request_id": request.id, "task_id": task_id},
                    )
                )
        self.run_steps(session, steps)


@dataclass
class DecideChangeRequest(Composite):
    """Accept (apply its schedule and cost impact, and tell the account manager through the
    client's timeline) or reject a pending change request, as one edit."""

    request_id: str
    accept: bool
    interaction_id: str = field(default_factory=new_id)
    at: datetime | None = None

    def apply(self, session: Session) -> None:
        request = _request(session, self.request_id)
        if request.status != ChangeRequestStatus.PENDING:
            raise ValidationError("Change request", f"it was already {request.status.value}")
        project = _project(session, request.project_id)
        what = request.description.splitlines()[0] if request.description else "change"
        steps: list[Operation] = []
        if not self.accept:
            self.label = self.label or f"Reject change request {quoted(what)}"
            status = {"status": ChangeRequestStatus.REJECTED}
            self.run_steps(session, [Update(ChangeRequest, request.id, status)])
            return
        self.label = self.label or f"Accept change request {quoted(what)}"
        days = request.schedule_impact_days
        task_ids = [link.task_id for link in request.tasks]
        if days and not task_ids:
            raise ValidationError(
                "Schedule impact", "name the tasks the extra working days fall on"
            )
        _check_impact_tasks(session, project.id, task_ids)
        for task_id in task_ids:
            task = session.get(Task, task_id)
            assert task is not None
            new = task.duration_days + days
            if new < 1:
                raise ValidationError(
                    "Schedule impact", f"'{task.name}' would last less than one working day"
                )
            steps.append(ResizeTask(task_id, new))
        if request.cost_impact_cents:
            budget = project.budget_cents + request.cost_impact_cents
            steps.append(Update(Project, project.id, {"budget_cents": max(budget, 0)}))
        steps.append(Update(ChangeRequest, request.id, {"status": ChangeRequestStatus.APPROVED}))
        parts = []
        if days:
            names = ", ".join(f"'{_task_name(session, t)}'" for t in task_ids)
            parts.append(f"{days:+d} working days on {names}")
        if request.cost_impact_cents:
            parts.append(f"{request.cost_impact_cents / 100:+,.2f} on the budget")
        self.at = self.at or utcnow()  # fixed, so a redo logs the same moment
        summary = f"Change request accepted on {project.name}: {request.description}"
        if parts:
            summary += " (" + "; ".join(parts) + ")"
        steps.append(
            Create(
                Interaction,
                {
                    "id": self.interaction_id,
                    "client_id": project.client_id,
                    "kind": InteractionKind.NOTE,
                    "occurred_at": self.at,
                    "summary": summary,
                },
            )
        )
        self.run_steps(session, steps)
