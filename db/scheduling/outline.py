"""Undoable edits of a plan's outline: insert a task, subtask, milestone or deliverable;
duplicate tasks with their subtasks; move rows up or down or under another task; indent and
outdent several tasks at once.

Each is one operation (one undo step) over many rows, and all-or-nothing: the store runs it in
one transaction and rolls every step back when any step refuses. Sibling order is the
`sort_order` column, compared only among one parent's children, so a reorder rewrites just
the siblings whose place changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import NotFoundError, ValidationError
from db.labels import quoted
from db.models import Assignment, Dependency, Project, Task, TaskKind, new_id
from db.operations import Composite, Create, Operation, Update
from db.scheduling.operations import Indent, Outdent, _check_no_cycle, _siblings, _task
from db.scheduling.rules import FixedDates

DEFAULT_NAMES = {
    TaskKind.TASK: "New task",
    TaskKind.MILESTONE: "New milestone",
    TaskKind.DELIVERABLE: "New deliverable",
}


def _children(session: Session, project_id: str, parent_id: str | None) -> list[Task]:
    query = select(Task).where(Task.project_id == project_id)
    query = query.where(
        Task.parent_id.is_(None) if parent_id is None else Task.parent_id == parent_id
    )
    return list(session.scalars(query.order_by(Task.sort_order)))


def _child_orders(
    session: Session, project_id: str, parent_id: str | None
) -> list[tuple[str, int]]:
    """(id, sort order) of a parent's tasks, in order."""
    query = select(Task.id, Task.sort_order).where(Task.project_id == project_id)
    query = query.where(
        Task.parent_id.is_(None) if parent_id is None else Task.parent_id == parent_id
    )
    return [(i, order) for i, order in session.execute(query.order_by(Task.sort_order))]


def _is_under(session: Session, task: Task, ancestor_ids: set[str]) -> bool:
    parent_id = task.parent_id
    while parent_id is not None:
        if parent_id in ancestor_ids:
            return True
        parent = session.get(Task, parent_id)
        parent_id = parent.parent_id if parent is not None else None
    return False


def _place(session: Session, task: Task) -> list[int]:
    """Where a task sits in the outline, as its ancestors' sort orders and its own."""
    place = [task.sort_order]
    parent_id = task.parent_id
    while parent_id is not None:
        parent = _task(session, parent_id)
        place.append(parent.sort_order)
        parent_id = parent.parent_id
    return place[::-1]


def top_tasks(session: Session, task_ids: Sequence[str]) -> list[Task]:
    """The tasks named, without those under another one named (they go with their parent),
    top to bottom as the outline shows them."""
    chosen = set(task_ids)
    tasks = [_task(session, i) for i in dict.fromkeys(task_ids)]
    tops = [t for t in tasks if not _is_under(session, t, chosen)]
    return sorted(tops, key=lambda t: _place(session, t))


@dataclass
class InsertTask(Composite):
    """A new task, milestone or deliverable just below `after_id` at its level (or, with
    `as_child`, as the last task under it), or at the end of the plan when `after_id` is None.

    `start` is where the new task begins (the view passes the scheduled start of the task
    above, so the new one sits beside it); it defaults to that task's own start constraint."""

    project_id: str
    after_id: str | None = None
    kind: TaskKind = TaskKind.TASK
    as_child: bool = False
    start: date | None = None
    name: str = ""
    id: str = field(default_factory=new_id)

    def apply(self, session: Session) -> None:
        if session.get(Project, self.project_id) is None:
            raise NotFoundError(f"Project {self.project_id} no longer exists")
        kind = TaskKind(self.kind)
        after = _task(session, self.after_id) if self.after_id else None
        if after is not None and after.project_id != self.project_id:
            raise ValidationError("New task", "the task above belongs to another project")
        if self.as_child and after is None:
            raise ValidationError("New subtask", "select the task to put it under")
        if after is not None and after.kind == TaskKind.MILESTONE and self.as_child:
            raise ValidationError(
                "New subtask", f"'{after.name}' is a milestone; a milestone has no subtasks"
            )
        at_end = self.as_child or after is None
        parent_id = None if after is None else after.id if self.as_child else after.parent_id
        # Ids and places only: a summary of hundreds of tasks costs no ORM objects.
        siblings = _child_orders(session, self.project_id, parent_id)
        ids = [i for i, _order in siblings]
        at = len(siblings) if at_end or after is None else ids.index(after.id) + 1
        what = {TaskKind.TASK: "task", TaskKind.MILESTONE: "milestone"}.get(kind, "deliverable")
        self.label = self.label or (f"New sub{what}" if self.as_child else f"New {what}")
        before = siblings[at - 1][1] if at > 0 else -1
        values = {
            "id": self.id,
            "project_id": self.project_id,
            "parent_id": parent_id,
            "name": self.name or DEFAULT_NAMES[kind],
            "kind": kind,
            "start_date": self.start or (after.start_date if after is not None else date.today()),
            "duration_days": 0 if kind == TaskKind.MILESTONE else 1,
            "sort_order": before + 1,
        }
        create = Create(Task, values)
        # Make room: later siblings move down only as far as they collide.
        steps: list[Operation] = []
        last = before + 1
        for sibling_id, order in siblings[at:]:
            if order > last:
                break
            last += 1
            steps.append(Update(Task, sibling_id, {"sort_order": last}))
        self.run_steps(session, [*steps, create])


@dataclass
class DuplicateTasks(Composite):
    """Copies of tasks with everything under them, each placed just below its original at
    the same level. The copies keep names, kinds, durations, start constraints, notes, people
    and the links among the copied tasks; their progress starts at 0, since a copy is work
    still to do. `ids` gets the new top tasks' ids (for the view to select)."""

    task_ids: list[str]
    ids: list[str] = field(default_factory=list)
    # Original row id -> its copy's id, fixed on the first apply so a redo recreates the
    # same rows and later undo steps that name them still find them.
    copies: dict[str, str] = field(default_factory=dict)

    def _copy_id(self, original: str) -> str:
        return self.copies.setdefault(original, new_id())

    def apply(self, session: Session) -> None:
        tops = top_tasks(session, self.task_ids)
        if not tops:
            raise ValidationError("Duplicate", "select the tasks to duplicate")
        self.label = self.label or (
            f"Duplicate {quoted(tops[0].name)}"
            if len(tops) == 1
            else f"Duplicate {len(tops)} tasks"
        )
        self.steps = []
        self.ids = []
        copied: set[str] = set()
        for top in tops:
            siblings = _siblings(session, top)
            at = siblings.index(top)
            # Room for the copy right after the original: later siblings move down one.
            for sibling in siblings[at + 1 :]:
                self.run_step(
                    session, Update(Task, sibling.id, {"sort_order": sibling.sort_order + 1})
                )
            self.ids.append(self._copy_id(top.id))
            self._copy(session, top, top.parent_id, top.sort_order + 1, copied)
        for link in session.scalars(
            select(Dependency).where(
                Dependency.predecessor_id.in_(copied), Dependency.successor_id.in_(copied)
            )
        ).all():
            values = {
                "id": self._copy_id(link.id),
                "predecessor_id": self.copies[link.predecessor_id],
                "successor_id": self.copies[link.successor_id],
                "type": link.type,
                "lag_days": link.lag_days,
            }
            self.run_step(session, Create(Dependency, values))
        for assignment in session.scalars(
            select(Assignment).where(Assignment.task_id.in_(copied))
        ).all():
            values = {
                "id": self._copy_id(assignment.id),
                "task_id": self.copies[assignment.task_id],
                "member_id": assignment.member_id,
                "hours_per_day": assignment.hours_per_day,
            }
            self.run_step(session, Create(Assignment, values))

    def _copy(
        self, session: Session, task: Task, parent_id: str | None, order: int, copied: set[str]
    ) -> None:
        copied.add(task.id)
        new = self._copy_id(task.id)
        values = {
            "id": new,
            "project_id": task.project_id,
            "parent_id": parent_id,
            "name": task.name,
            "kind": task.kind,
            "start_date": task.start_date,
            "duration_days": task.duration_days,
            "progress": 0,
            "notes": task.notes,
            "sort_order": order,
            "constraint_kind": task.constraint_kind,
            "finish_by": task.finish_by,
        }
        self.run_step(session, Create(Task, values))
        for child in _children(session, task.project_id, task.id):
            self._copy(session, child, new, child.sort_order, copied)


@dataclass
class MoveRows(Composite):
    """Move tasks one place up (`step` -1) or down (+1) among their siblings, a block of
    adjacent selected tasks moving together. Refused, as a whole, when a task is already
    first (or last) at its level."""

    task_ids: list[str]
    step: int

    def apply(self, session: Session) -> None:
        if self.step not in (-1, 1):
            raise ValueError("step is -1 or +1")
        tops = top_tasks(session, self.task_ids)
        if not tops:
            raise ValidationError("Move", "select the tasks to move")
        word = "up" if self.step < 0 else "down"
        self.label = self.label or (
            f"Move {quoted(tops[0].name)} {word}"
            if len(tops) == 1
            else f"Move {len(tops)} tasks {word}"
        )
        chosen = {t.id for t in tops}
        groups: dict[str | None, list[Task]] = {}
        for top in tops:
            groups.setdefault(top.parent_id, [])
        steps: list[Operation] = []
        for parent_id in groups:
            siblings = _children(session, tops[0].project_id, parent_id)
            order = list(siblings) if self.step < 0 else list(reversed(siblings))
            for i, task in enumerate(order):
                if task.id not in chosen:
                    continue
                if i == 0 or order[i - 1].id in chosen:
                    if i == 0:
                        edge = "first" if self.step < 0 else "last"
                        raise ValidationError(
                            "Move", f"'{task.name}' is already the {edge} at its level"
                        )
                    continue
                order[i - 1], order[i] = order[i], order[i - 1]
            if self.step > 0:
                order.reverse()
            steps += _renumber(siblings, order)
        self.run_steps(session, steps)


def _renumber(siblings: Sequence[Task], order: Sequence[Task]) -> list[Operation]:
    """Give `order` the sort numbers `siblings` had, in sequence, so rows that did not move
    keep theirs; number from 0 when the old numbers were not distinct."""
    numbers = sorted(t.sort_order for t in siblings)
    if len(set(numbers)) < len(numbers):
        numbers = list(range(len(order)))
    return [
        Update(Task, t.id, {"sort_order": n})
        for t, n in zip(order, numbers, strict=True)
        if t.sort_order != n
    ]


@dataclass
class MoveTasksTo(Composite):
    """Put tasks (with their subtasks) under `parent_id` (None: the top level), before the
    sibling `before_id` (None: after the last one): a drop of rows dragged in the tree.
    Refused when a task would go under itself, or when the new outline closes a loop of
    dependencies (a summary waiting on its own task)."""

    task_ids: list[str]
    parent_id: str | None
    before_id: str | None = None

    def apply(self, session: Session) -> None:
        tops = top_tasks(session, self.task_ids)
        if not tops:
            raise ValidationError("Move", "select the tasks to move")
        project_id = tops[0].project_id
        chosen = {t.id for t in tops}
        if self.parent_id is not None:
            parent = _task(session, self.parent_id)
            if parent.project_id != project_id:
                raise ValidationError("Move", "a task moves only within its project")
            if parent.id in chosen or _is_under(session, parent, chosen):
                raise ValidationError("Move", f"'{parent.name}' cannot go under itself")
            if parent.kind == TaskKind.MILESTONE:
                raise ValidationError("Move", f"'{parent.name}' is a milestone; it has no tasks")
        self.label = self.label or (
            f"Move {quoted(tops[0].name)}" if len(tops) == 1 else f"Move {len(tops)} tasks"
        )
        staying = [t for t in _children(session, project_id, self.parent_id) if t.id not in chosen]
        before = self.before_id
        if before in chosen:
            # Dropped just above one of the moved tasks: before the first one that stays.
            everyone = [t.id for t in _children(session, project_id, self.parent_id)]
            later = everyone[everyone.index(before) :] if before in everyone else []
            before = next((i for i in later if i not in chosen), None)
        at = len(staying)
        if before is not None:
            ids = [t.id for t in staying]
            if before not in ids:
                raise ValidationError("Move", "the place to drop on is not at that level")
            at = ids.index(before)
        order = [*staying[:at], *tops, *staying[at:]]
        steps: list[Operation] = []
        for n, task in enumerate(order):
            values: dict[str, object] = {}
            if task.parent_id != self.parent_id:
                values["parent_id"] = self.parent_id
            if task.sort_order != n:
                values["sort_order"] = n
            if values:
                steps.append(Update(Task, task.id, values))
        if not steps:
            raise ValidationError("Move", "the tasks are already there")
        fixed = FixedDates(session, project_id)
        self.run_steps(session, steps)
        _check_no_cycle(session, project_id)
        fixed.check("Move")


@dataclass
class IndentTasks(Composite):
    """Indent several tasks as one edit: each goes under the sibling above it, top to bottom,
    so a block of adjacent tasks lands together under the task above the block."""

    task_ids: list[str]

    def apply(self, session: Session) -> None:
        tops = top_tasks(session, self.task_ids)
        if not tops:
            raise ValidationError("Indent", "select the tasks to indent")
        self.label = self.label or (
            f"Indent {quoted(tops[0].name)}" if len(tops) == 1 else f"Indent {len(tops)} tasks"
        )
        self.run_steps(session, [Indent(t.id) for t in tops])


@dataclass
class OutdentTasks(Composite):
    """Outdent several tasks as one edit, bottom to top, so they keep their order."""

    task_ids: list[str]

    def apply(self, session: Session) -> None:
        tops = top_tasks(session, self.task_ids)
        if not tops:
            raise ValidationError("Outdent", "select the tasks to outdent")
        self.label = self.label or (
            f"Outdent {quoted(tops[0].name)}" if len(tops) == 1 else f"Outdent {len(tops)} tasks"
        )
        self.run_steps(session, [Outdent(t.id) for t in reversed(tops)])
