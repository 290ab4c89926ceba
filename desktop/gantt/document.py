"""What the Gantt view shows of one project, kept scheduled: the engine, the tree's order and
WBS numbers, who is on each task, the baseline, and which summaries are collapsed.

Plain Python over `db.scheduling`; the tree model and the chart both read it, so rows line up
by construction. `apply_changes` turns a workspace `ChangeSet` into the smallest refresh:
an edit of a task's dates reschedules just its downstream closure; anything that changes the
shape of the plan reloads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.changes import ChangeSet
from db.models import Assignment, Task, TaskKind, TeamMember
from db.scheduling.baseline import baseline_dates, latest_baseline
from db.scheduling.engine import Scheduler
from db.scheduling.plan import TaskSpec, load_plan

# Entities whose change can alter calendars, links or the tree: reload the whole plan.
_SHAPE = ("Dependency", "Assignment", "TimeOff", "Closure", "AgencySetting", "TeamMember")


class GanttDocument:
    def __init__(self, session: Session, project_id: str) -> None:
        self.session = session
        self.project_id = project_id
        self.collapsed: set[int] = set()
        self.about_to_reload: Callable[[], None] | None = None
        self.reload()

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the plan again. Node numbers change, so `about_to_reload` runs first (a Qt
        model begins its reset there) and collapsed summaries are carried over by id."""
        if self.about_to_reload is not None:
            self.about_to_reload()
        old = getattr(self, "scheduler", None)
        collapsed_ids = {old.ids[i] for i in self.collapsed} if old is not None else set()
        self.scheduler = Scheduler(load_plan(self.session, self.project_id))
        s = self.scheduler
        self.roots = [i for i in range(len(s.ids)) if s.parent[i] < 0]
        self.collapsed = {s.pos[i] for i in collapsed_ids if i in s.pos and s.children[s.pos[i]]}
        self._load_people()
        self.reload_baseline()
        self._number()
        self.relayout()

    def reload_baseline(self) -> None:
        found = latest_baseline(self.session, self.project_id)
        self.baseline: dict[str, tuple[date, date]] = (
            baseline_dates(self.session, found) if found else {}
        )

    def _load_people(self) -> None:
        people: dict[str, list[str]] = defaultdict(list)
        rows = self.session.execute(
            select(Assignment.task_id, TeamMember.name)
            .join(TeamMember, TeamMember.id == Assignment.member_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.project_id == self.project_id)
            .order_by(TeamMember.name)
        )
        for task_id, name in rows:
            people[task_id].append(name)
        self.people = {k: ", ".join(v) for k, v in people.items()}
        self.deliverables: set[str] = set(
            self.session.scalars(
                select(Task.id).where(
                    Task.project_id == self.project_id, Task.kind == TaskKind.DELIVERABLE
                )
            )
        )

    def _number(self) -> None:
        """WBS numbers ("2.1.3") in tree order."""
        s = self.scheduler
        self.wbs = [""] * len(s.ids)
        self.sibling_row = [0] * len(s.ids)
        for group in [self.roots, *s.children]:
            for n, i in enumerate(group):
                self.sibling_row[i] = n
        stack = [(i, str(n + 1)) for n, i in reversed(list(enumerate(self.roots)))]
        while stack:
            i, number = stack.pop()
            self.wbs[i] = number
            kids = s.children[i]
            for n in range(len(kids) - 1, -1, -1):
                stack.append((kids[n], f"{number}.{n + 1}"))

    def relayout(self) -> None:
        """The visible rows, top to bottom: the tree in order, without collapsed subtrees."""
        s = self.scheduler
        rows: list[int] = []
        stack = list(reversed(self.roots))
        while stack:
            i = stack.pop()
            rows.append(i)
            if i not in self.collapsed:
                stack.extend(reversed(s.children[i]))
        self.rows = rows
        self.row_of = {i: r for r, i in enumerate(rows)}

    # -- reading ------------------------------------------------------------------------------

    def tree_order(self) -> list[int]:
        """Every task, top to bottom, collapsed summaries' tasks included."""
        s = self.scheduler
        order: list[int] = []
        stack = list(reversed(self.roots))
        while stack:
            i = stack.pop()
            order.append(i)
            stack.extend(reversed(s.children[i]))
        return order

    def node(self, task_id: str) -> int:
        return self.scheduler.pos[task_id]

    def children_of(self, node: int) -> list[int]:
        return self.roots if node < 0 else self.scheduler.children[node]

    def parent_of(self, node: int) -> int:
        return self.scheduler.parent[node]

    def slip(self, node: int) -> int | None:
        """Working days this task now finishes after its baseline finish (negative: ahead),
        None when there is no baseline or the task is newer than it."""
        s = self.scheduler
        saved = self.baseline.get(s.ids[node])
        if saved is None:
            return None
        cal = s.calendar
        return cal.index(s.finish_o[node] + 1) - cal.index(saved[1].toordinal() + 1)

    def row_in_parent(self, node: int) -> int:
        return self.sibling_row[node]

    # -- following edits ----------------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> set[str] | None:
        """Bring the plan up to date with `changes`. Returns the ids whose dates changed, or
        None when the plan was reloaded (every row may have changed)."""
        s = self.scheduler
        if changes.touches("Baseline", "BaselineTask"):
            self.reload_baseline()
        if changes.touches(*_SHAPE):
            self.reload()
            return None
        added = changes.added.get("Task", set()) | changes.removed.get("Task", set())
        if added:
            ours = any(i in s for i in added) or self.session.scalar(
                select(Task.id).where(Task.id.in_(added), Task.project_id == self.project_id)
            )
            if ours:
                self.reload()
                return None
        edited = [i for i in changes.changed.get("Task", set()) if i in s]
        if not edited:
            return set()
        specs = []
        for row in self.session.execute(
            select(
                Task.id,
                Task.name,
                Task.start_date,
                Task.duration_days,
                Task.parent_id,
                Task.kind,
                Task.sort_order,
                Task.progress,
            ).where(Task.id.in_(edited))
        ):
            old = s.spec(row.id)
            if row.parent_id != old.parent_id or row.sort_order != old.sort_order:
                self.reload()
                return None
            milestone = row.kind == TaskKind.MILESTONE or row.duration_days == 0
            if row.kind == TaskKind.DELIVERABLE:
                self.deliverables.add(row.id)
            else:
                self.deliverables.discard(row.id)
            specs.append(
                TaskSpec(
                    id=row.id,
                    name=row.name,
                    start=row.start_date,
                    duration=0 if milestone else row.duration_days,
                    parent_id=row.parent_id,
                    milestone=milestone,
                    members=old.members,
                    sort_order=row.sort_order,
                    progress=row.progress,
                )
            )
        moved = s.update(specs)
        return moved | {spec.id for spec in specs}
