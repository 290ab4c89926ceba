"""Undoable edits of a plan: move, resize, progress, link, unlink, indent, outdent.

They follow the `db.operations` protocol (label / apply / revert) and are built from its
`Update`, `Create` and `Delete`, so the store reports what they touched. They change only the
*inputs* of the schedule; computed dates are derived by the engine (see `engine`), so
applying one reschedules every successor and reverting one puts every task it moved back,
successors included, without the operation having to list them.

Edits that change the shape of the plan (links, hierarchy) are checked against the whole
project first and refused with a `CycleError` naming the loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.labels import quoted
from db.models import Dependency, DependencyType, Task, TaskConstraint, TaskKind
from db.operations import Composite, Create, Delete, Operation, Update
from db.scheduling.engine import Scheduler
from db.scheduling.graph import outline_has_loop
from db.scheduling.outline_loops import indent_closes_loop
from db.scheduling.plan import load_plan
from db.scheduling.rules import FixedDates, check_duration, check_starts
from db.search import driver


def _task(session: Session, task_id: str) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFoundError(f"Task {task_id} no longer exists")
    return task


def _check_no_cycle(session: Session, project_id: str) -> None:
    """Refuse an edit of the outline or the links that makes tasks wait on themselves. The
    ids alone are read (plain SQL, no objects) and checked first; only a plan that has a loop
    is scheduled, to name it."""
    session.flush()
    if outline_has_loop(*_ids_and_links(session, project_id)):
        _name_loop(session, project_id)


def _ids_and_links(
    session: Session, project_id: str
) -> tuple[list[tuple[str, str | None]], list[tuple[str, str]]]:
    raw = driver(session.connection())
    tasks = raw.execute("SELECT id, parent_id FROM task WHERE project_id = ?", (project_id,))
    links = raw.execute(
        "SELECT d.predecessor_id, d.successor_id FROM dependency AS d "
        "JOIN task AS t ON t.id = d.successor_id WHERE t.project_id = ?",
        (project_id,),
    )
    return tasks.fetchall(), links.fetchall()


def _name_loop(session: Session, project_id: str) -> None:
    Scheduler(load_plan(session, project_id))  # raises CycleError naming the loop


@dataclass
class MoveTask(Composite):
    """Set a task's "start no earlier than" date (a drag of the bar, a key, a typed date).
    Refused before what its predecessors allow, and on a summary (see `rules`)."""

    task_id: str
    start: date

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        self.label = self.label or f"Move {quoted(task.name)}"
        fixed = FixedDates(session, task.project_id)
        self.run_steps(session, [Update(Task, self.task_id, {"start_date": self.start})])
        check_starts(session, task.project_id, [self.task_id])
        fixed.check("Start")


@dataclass
class MoveTasks(Composite):
    """New "start no earlier than" dates for several tasks of one project at once (a
    summary dragged with its tasks). The rule is checked once all have moved, since one of
    them may wait on another that moves with it."""

    starts: dict[str, date]

    def apply(self, session: Session) -> None:
        if not self.starts:
            raise ValueError("MoveTasks needs at least one task")
        tasks = [_task(session, i) for i in self.starts]
        self.label = self.label or (
            f"Move {quoted(tasks[0].name)}" if len(tasks) == 1 else f"Move {len(tasks)} tasks"
        )
        fixed = FixedDates(session, tasks[0].project_id)
        self.run_steps(
            session, [Update(Task, t.id, {"start_date": self.starts[t.id]}) for t in tasks]
        )
        check_starts(session, tasks[0].project_id, list(self.starts))
        fixed.check("Start")


@dataclass
class ResizeTask(Composite):
    """Change a task's duration (working days), and its start when the left end is dragged.
    A duration of 0 makes the task a milestone; the limits are `rules.check_duration`'s."""

    task_id: str
    duration: int
    start: date | None = None

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        check_duration(session, task, self.duration)
        values: dict[str, object] = {"duration_days": self.duration}
        # As in MS Project: no duration makes a milestone, and giving a milestone a
        # duration makes it a task again (a deliverable keeps its kind).
        if self.duration == 0 and task.kind != TaskKind.MILESTONE:
            values["kind"] = TaskKind.MILESTONE
            self.label = self.label or f"Make {quoted(task.name)} a milestone"
        elif self.duration > 0 and task.kind == TaskKind.MILESTONE:
            values["kind"] = TaskKind.TASK
        self.label = self.label or f"Change duration of {quoted(task.name)}"
        if self.start is not None:
            values["start_date"] = self.start
        fixed = FixedDates(session, task.project_id)
        self.run_steps(session, [Update(Task, self.task_id, values)])
        if self.start is not None:
            check_starts(session, task.project_id, [self.task_id])
        fixed.check("Duration")


@dataclass
class SetKind(Composite):
    """Make a task a milestone (no duration), a deliverable or a plain task. A milestone
    that becomes a task or deliverable lasts one working day."""

    task_id: str
    kind: TaskKind

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        kind = TaskKind(self.kind)
        self.label = self.label or f"Make {quoted(task.name)} a {kind.value}"
        values: dict[str, object] = {"kind": kind}
        if kind == TaskKind.MILESTONE:
            if session.scalar(select(Task.id).where(Task.parent_id == task.id).limit(1)):
                raise ValidationError(
                    "Kind", f"'{task.name}' has tasks under it; a milestone cannot"
                )
            values["duration_days"] = 0
        elif task.duration_days == 0:
            values["duration_days"] = 1
        fixed = FixedDates(session, task.project_id)
        self.run_steps(session, [Update(Task, self.task_id, values)])
        fixed.check("Kind")


@dataclass
class SetProgress(Composite):
    task_id: str
    progress: int

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        if not 0 <= self.progress <= 100:
            raise ValidationError("Progress", "must be between 0 and 100 %")
        self.label = self.label or f"Set progress of {quoted(task.name)}"
        self.run_steps(session, [Update(Task, self.task_id, {"progress": self.progress})])


@dataclass
class Link(Composite):
    """Make `successor` depend on `predecessor`; refused when it would close a loop."""

    predecessor_id: str
    successor_id: str
    type: DependencyType = DependencyType.FS
    lag: int = 0
    id: str = ""

    def apply(self, session: Session) -> None:
        pred = _task(session, self.predecessor_id)
        succ = _task(session, self.successor_id)
        if pred.id == succ.id:
            raise ValidationError("Dependency", f"'{pred.name}' cannot depend on itself")
        if pred.project_id != succ.project_id:
            raise ValidationError("Dependency", "both tasks must belong to the same project")
        existing = session.scalars(
            select(Dependency).where(
                Dependency.predecessor_id == pred.id, Dependency.successor_id == succ.id
            )
        ).first()
        if existing is not None:
            raise ValidationError("Dependency", f"'{succ.name}' already depends on '{pred.name}'")
        self.label = self.label or f"Link {quoted(pred.name)} → {quoted(succ.name)}"
        values = {
            "predecessor_id": pred.id,
            "successor_id": succ.id,
            "type": DependencyType(self.type),
            "lag_days": self.lag,
        }
        if self.id:
            values["id"] = self.id
        create = Create(Dependency, values)
        self.id = create.id
        fixed = FixedDates(session, pred.project_id)
        self.run_steps(session, [create])
        _check_no_cycle(session, pred.project_id)
        fixed.check("Dependency")


@dataclass
class Unlink(Composite):
    dependency_id: str

    def apply(self, session: Session) -> None:
        dep = session.get(Dependency, self.dependency_id)
        if dep is None:
            raise NotFoundError(f"Dependency {self.dependency_id} no longer exists")
        self.label = self.label or "Remove dependency"
        self.run_steps(session, [Delete(Dependency, self.dependency_id)])


@dataclass
class SetLink(Composite):
    """Change a dependency's type or lag."""

    dependency_id: str
    type: DependencyType
    lag: int

    def apply(self, session: Session) -> None:
        dep = session.get(Dependency, self.dependency_id)
        if dep is None:
            raise NotFoundError(f"Dependency {self.dependency_id} no longer exists")
        self.label = self.label or "Change dependency"
        values = {"type": DependencyType(self.type), "lag_days": self.lag}
        fixed = FixedDates(session, _task(session, dep.successor_id).project_id)
        self.run_steps(session, [Update(Dependency, self.dependency_id, values)])
        fixed.check("Dependency")


def _siblings(session: Session, task: Task) -> list[Task]:
    return list(
        session.scalars(
            select(Task)
            .where(Task.project_id == task.project_id, Task.parent_id.is_(task.parent_id))
            .order_by(Task.sort_order)
        )
        if task.parent_id is None
        else session.scalars(
            select(Task).where(Task.parent_id == task.parent_id).order_by(Task.sort_order)
        )
    )


def _siblings_after(session: Session, task: Task) -> Iterator[tuple[str, int]]:
    """(id, place) of the siblings after a task, in order, read only as far as the caller
    goes: making room after a top-level task stops at the first gap, and a top level of
    thousands is not loaded to find it."""
    session.flush()  # an earlier step's places (an outdent of several tasks)
    c = Task.__table__.c
    same_parent = c.parent_id.is_(None) if task.parent_id is None else c.parent_id == task.parent_id
    query = (
        select(c.id, c.sort_order)
        .where(c.project_id == task.project_id, same_parent, c.sort_order > task.sort_order)
        .order_by(c.sort_order)
    )
    with session.connection().execute(query) as rows:
        yield from ((task_id, order) for task_id, order in rows)


@dataclass
class Indent(Composite):
    """Make a task the last child of the sibling above it (that sibling becomes a summary)."""

    task_id: str

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        siblings = _siblings(session, task)
        at = siblings.index(task)
        if at == 0:
            raise ValidationError("Indent", f"'{task.name}' has no task above it to go under")
        new_parent = siblings[at - 1]
        last = session.scalar(
            select(func.max(Task.sort_order)).where(Task.parent_id == new_parent.id)
        )
        order = max(task.sort_order, (last or 0) + 1)
        self.label = self.label or f"Indent {quoted(task.name)}"
        fixed = FixedDates(session, task.project_id)
        self.run_steps(
            session,
            [Update(Task, task.id, {"parent_id": new_parent.id, "sort_order": order})],
        )
        closes = indent_closes_loop(session, task.id, new_parent.id)
        if closes is None:
            _check_no_cycle(session, task.project_id)
        elif closes:
            _name_loop(session, task.project_id)
        fixed.check("Indent")


@dataclass
class Outdent(Composite):
    """Move a task up one level, just after its former parent."""

    task_id: str

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        if task.parent_id is None:
            raise ValidationError("Outdent", f"'{task.name}' is already at the top level")
        parent = _task(session, task.parent_id)
        self.label = self.label or f"Outdent {quoted(task.name)}"
        # Make room right after the former parent among its siblings: later ones move down
        # only as far as they collide (a top level of thousands keeps its numbers).
        steps: list[Operation] = []
        last = parent.sort_order + 1
        for sibling_id, order in _siblings_after(session, parent):
            if order > last:
                break
            last += 1
            steps.append(Update(Task, sibling_id, {"sort_order": last}))
        steps.append(
            Update(
                Task, task.id, {"parent_id": parent.parent_id, "sort_order": parent.sort_order + 1}
            )
        )
        fixed = FixedDates(session, task.project_id)
        self.run_steps(session, steps)
        # No loop check: an outdent adds no wait the plan did not have (`outline_loops`).
        fixed.check("Outdent")


@dataclass
class SetConstraint(Composite):
    """How a task's dates are held: "start no earlier than" its start date (the default),
    "must start on" it, or "finish no later than" `finish_by`. Refused when the plan as it
    stands already breaks the new fixed date, with the reason."""

    task_id: str
    kind: TaskConstraint
    finish_by: date | None = None

    def apply(self, session: Session) -> None:
        task = _task(session, self.task_id)
        kind = TaskConstraint(self.kind)
        if kind == TaskConstraint.FINISH_NO_LATER and self.finish_by is None:
            raise ValidationError("Finish by", "give the date it must finish by")
        finish_by = self.finish_by if kind == TaskConstraint.FINISH_NO_LATER else None
        if session.scalar(select(Task.id).where(Task.parent_id == task.id).limit(1)):
            raise ValidationError(
                "Constraint", f"'{task.name}' is a summary: its dates follow its tasks"
            )
        self.label = self.label or (
            f"Start {quoted(task.name)} no earlier than its date"
            if kind == TaskConstraint.START_NO_EARLIER
            else f"Fix the start of {quoted(task.name)}"
            if kind == TaskConstraint.MUST_START_ON
            else f"{quoted(task.name)} to finish by {finish_by:%d %b %Y}"
        )
        fixed = FixedDates(session, task.project_id)
        values = {"constraint_kind": kind, "finish_by": finish_by}
        self.run_steps(session, [Update(Task, self.task_id, values)])
        fixed.check("Constraint")
