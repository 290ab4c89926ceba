"""A project as the export formats need it: tasks in outline order with their scheduled
dates, links, people, their leave, and the agency's calendar, read with column queries so a
10,000-task project exports in about a second.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.io.errors import ExportError
from db.models import Assignment, Client, Project, Task, TeamMember, TimeOff
from db.scheduling.calendar import AgencyDays
from db.scheduling.engine import Scheduler
from db.scheduling.plan import LinkSpec, TaskSpec, load_plan


@dataclass
class ExportTask:
    spec: TaskSpec
    level: int  # 1 for a top-level task
    outline: str  # "1.2.3"
    start: date
    finish: date
    summary: bool
    notes: str


@dataclass
class ExportMember:
    id: str
    name: str
    email: str
    leave: list[tuple[date, date]] = field(default_factory=list)


@dataclass
class ExportProject:
    id: str
    name: str
    company: str
    brief: str
    start: date
    finish: date
    tasks: list[ExportTask]
    links: list[LinkSpec]
    members: list[ExportMember]
    assignments: list[tuple[str, str, float]]  # task id, member id, hours per day
    agency: AgencyDays
    scheduler: Scheduler

    def days_off(self) -> list[tuple[date, date]]:
        """The agency's closures and public holidays over the project's years, as periods."""
        found = set(self.agency.closures)
        for year in range(self.start.year, self.finish.year + 1):
            for ordinal in self.agency.holidays_in(year):
                day = date.fromordinal(ordinal)
                found.add((day, day))
        return sorted(found)


def read_project(session: Session, project_id: str) -> ExportProject:
    row = session.execute(
        select(Project.name, Project.brief, Client.name, Project.start_date)
        .join(Client, Client.id == Project.client_id)
        .where(Project.id == project_id)
    ).first()
    if row is None:
        raise ExportError(f"project {project_id}: no such project")
    name, brief, company, project_start = row
    plan = load_plan(session, project_id)
    scheduler = Scheduler(plan)
    notes = dict(
        session.execute(
            select(Task.id, Task.notes).where(Task.project_id == project_id, Task.notes != "")
        ).all()
    )
    children: dict[str | None, list[TaskSpec]] = defaultdict(list)
    for spec in plan.tasks:  # sorted by sort_order already
        children[spec.parent_id if spec.parent_id in scheduler else None].append(spec)
    tasks: list[ExportTask] = []
    stack: list[tuple[TaskSpec, int, str]] = [
        (spec, 1, str(n)) for n, spec in reversed(list(enumerate(children[None], 1)))
    ]
    while stack:
        spec, level, outline = stack.pop()
        done = scheduler.scheduled(spec.id)
        kids = children.get(spec.id, [])
        tasks.append(
            ExportTask(
                spec, level, outline, done.start, done.finish, bool(kids), notes.get(spec.id, "")
            )
        )
        stack.extend(
            (kid, level + 1, f"{outline}.{n}") for n, kid in reversed(list(enumerate(kids, 1)))
        )
    span = scheduler.project_span()
    start, finish = span if span else (project_start or date.today(),) * 2
    assignments = [
        (task_id, member_id, float(hours))
        for task_id, member_id, hours in session.execute(
            select(Assignment.task_id, Assignment.member_id, Assignment.hours_per_day)
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.project_id == project_id)
        )
    ]
    member_ids = sorted({member for _task, member, _hours in assignments})
    members = [
        ExportMember(str(id_), str(name), str(email))
        for id_, name, email in session.execute(
            select(TeamMember.id, TeamMember.name, TeamMember.email)
            .where(TeamMember.id.in_(member_ids))
            .order_by(TeamMember.name)
        )
    ]
    by_id = {m.id: m for m in members}
    for member_id, first, last in session.execute(
        select(TimeOff.member_id, TimeOff.start_date, TimeOff.end_date)
        .where(TimeOff.member_id.in_(member_ids))
        .order_by(TimeOff.start_date)
    ):
        by_id[member_id].leave.append((first, last))
    return ExportProject(
        id=project_id,
        name=str(name),
        company=str(company),
        brief=str(brief or ""),
        start=start,
        finish=finish,
        tasks=tasks,
        links=plan.links,
        members=members,
        assignments=assignments,
        agency=plan.agency,
        scheduler=scheduler,
    )
