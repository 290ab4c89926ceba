"""What the Gantt view shows of one project, kept scheduled: the engine, the tree's order and
WBS numbers, who is on each task, the baseline, and which summaries are collapsed.

Plain Python over `db.scheduling`; the tree model and the chart both read it, so rows line up
by construction. `apply_changes` turns a workspace `ChangeSet` into the smallest refresh:
an edit of a task's dates reschedules just its downstream closure; anything that changes the
shape of the plan reloads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.changes import ChangeSet
from db.models import Assignment, Task, TaskKind, TeamMember
from db.scheduling.baseline import baseline_dates, latest_baseline
from db.scheduling.engine import Scheduler
from db.scheduling.plan import TaskSpec, load_plan
from db.scheduling.schedule_view import ScheduleView

# Entities whose change can alter calendars, links or the tree: reload the whole plan.
_SHAPE = ("Dependency", "Assignment", "TimeOff", "Closure", "AgencySetting", "TeamMember")


class GanttDocument:
    """One project's plan as the Gantt shows it. Readers use `schedule` (the read API of
    `db.scheduling.schedule_view`), `rows` / `row_of` (the visible rows, top to bottom),
    `wbs`, `people`, `assignees` and `baseline`; `scheduler` is the engine behind them,
    kept for `preview` and `apply_changes`."""

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
        old = getattr(self, "schedule", None)
        collapsed_ids = {old.task_id(i) for i in self.collapsed} if old is not None else set()
        self.scheduler = Scheduler(load_plan(self.session, self.project_id))
        self.schedule = ScheduleView(self.scheduler)
        self._carry_collapsed(collapsed_ids)
        self._load_people()
        self.reload_baseline()
        self._number()
        self.relayout()

    def _carry_collapsed(self, collapsed_ids: set[str]) -> None:
        v = self.schedule
        self.roots = v.roots()
        self.collapsed = {v.node(i) for i in collapsed_ids if i in v and v.is_summary(v.node(i))}

    def reload_baseline(self) -> None:
        found = latest_baseline(self.session, self.project_id)
        self.baseline: dict[str, tuple[date, date]] = (
            baseline_dates(self.session, found) if found else {}
        )

    def _load_people(self) -> None:
        people: dict[str, list[tuple[str, str]]] = defaultdict(list)
        rows = self.session.execute(
            select(Assignment.task_id, TeamMember.name, TeamMember.colour)
            .join(TeamMember, TeamMember.id == Assignment.member_id)
            .join(Task, Task.id == Assignment.task_id)
            .where(Task.project_id == self.project_id)
            .order_by(TeamMember.name)
        )
        for task_id, name, colour in rows:
            people[task_id].append((name, colour))
        self.people = {k: ", ".join(name for name, _c in v) for k, v in people.items()}
        # Who is on each task with their colour, in the order the People column names them.
        self.assignees: dict[str, tuple[tuple[str, str], ...]] = {
            k: tuple(v) for k, v in people.items()
        }
        self.deliverables: set[str] = set(
            self.session.scalars(
                select(Task.id).where(
                    Task.project_id == self.project_id, Task.kind == TaskKind.DELIVERABLE
                )
            )
        )

    def colour_of(self, task_id: str) -> str:
        """The colour a task's bar takes: its first person's ("" for none, or no colour)."""
        found = self.assignees.get(task_id)
        return found[0][1] if found else ""

    def _number(self) -> None:
        """WBS numbers ("2.1.3") in tree order, and each node's children and parent kept at
        hand: the tree model asks for them tens of thousands of times while a 10,000-task
        plan opens."""
        v = self.schedule
        self.kids: list[Sequence[int]] = [v.children(i) for i in range(len(v))]
        self.parents = [v.parent(i) for i in range(len(v))]
        self.wbs = [""] * len(v)
        self.sibling_row = [0] * len(v)
        for group in [self.roots, *self.kids]:
            for n, i in enumerate(group):
                self.sibling_row[i] = n
        stack = [(i, str(n + 1)) for n, i in reversed(list(enumerate(self.roots)))]
        while stack:
            i, number = stack.pop()
            self.wbs[i] = number
            kids = self.kids[i]
            for n in range(len(kids) - 1, -1, -1):
                stack.append((kids[n], f"{number}.{n + 1}"))

    def relayout(self) -> None:
        """The visible rows, top to bottom: the tree in order, without collapsed subtrees."""
        kids = self.kids
        rows: list[int] = []
        stack = list(reversed(self.roots))
        while stack:
            i = stack.pop()
            rows.append(i)
            if i not in self.collapsed:
                stack.extend(reversed(kids[i]))
        self.rows = rows
        self.row_of = {i: r for r, i in enumerate(rows)}

    # -- reading ------------------------------------------------------------------------------

    def tree_order(self) -> list[int]:
        """Every task, top to bottom, collapsed summaries' tasks included."""
        return self.schedule.outline()

    def node(self, task_id: str) -> int:
        return self.schedule.node(task_id)

    def children_of(self, node: int) -> Sequence[int]:
        return self.roots if node < 0 else self.kids[node]

    def parent_of(self, node: int) -> int:
        return self.parents[node]

    def slip(self, node: int) -> int | None:
        """Working days this task now finishes after its baseline finish (negative: ahead),
        None when there is no baseline or the task is newer than it."""
        saved = self.baseline.get(self.schedule.task_id(node))
        if saved is None:
            return None
        return self.schedule.slip(node, saved[1])

    def row_in_parent(self, node: int) -> int:
        return self.sibling_row[node]

    # -- following edits ----------------------------------------------------------------------

    def preview(self, specs: Iterable[TaskSpec]) -> set[str]:
        """Reschedule live with changed inputs (a drag in progress, or putting it back);
        nothing is written. Returns the ids whose dates changed."""
        return self.scheduler.update(specs)

    def apply_changes(self, changes: ChangeSet) -> set[str] | None:
        """Bring the plan up to date with `changes`. Returns the ids whose dates changed, or
        None when the plan was reloaded (every row may have changed)."""
        v = self.schedule
        if changes.touches("Baseline", "BaselineTask"):
            self.reload_baseline()
        if changes.touches(*_SHAPE):
            self.reload()
            return None
        added = changes.added.get("Task", set()) | changes.removed.get("Task", set())
        if added:
            ours = any(i in v for i in added) or self.session.scalar(
                select(Task.id).where(Task.id.in_(added), Task.project_id == self.project_id)
            )
            if ours:
                self.reload()
                return None
        edited = [i for i in changes.changed.get("Task", set()) if i in v]
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
            old = v.spec(v.node(row.id))
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
        moved = self.preview(specs)
        return moved | {spec.id for spec in specs}
