"""What the Gantt view shows of one project, kept scheduled: the engine, the tree's order and
WBS numbers, who is on each task, the baseline, and which summaries are collapsed.

Plain Python over `db.scheduling`; the tree model and the chart both read it, so rows line up
by construction. `apply_changes` turns a workspace `ChangeSet` into the smallest refresh:
an edit of a task's dates reschedules just its downstream closure; anything that changes the
shape of the plan reloads it.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from sqlalchemy.orm import Session

from db.changes import ChangeSet
from db.fast_open.hand_over import ScheduledPlan, still_current
from db.models import TaskKind
from db.scheduling.baseline import baseline_dates, latest_baseline
from db.scheduling.calendar import CalendarPool
from db.scheduling.engine import Scheduler
from db.scheduling.plan import LinkSpec, TaskSpec, load_plan
from db.scheduling.plan_reads import (
    TaskRow,
    deliverable_ids,
    links_by_id,
    members_of_tasks,
    people_on_tasks,
    task_rows,
    tasks_of_assignments,
)
from db.scheduling.schedule_view import ScheduleView

# Entities whose change can alter calendars, links or the tree: reload the whole plan
# (unless they are the ties of tasks deleted or put back, see `GanttDocument._ties`).
_SHAPE = ("Dependency", "Assignment", "TimeOff", "Closure", "AgencySetting", "TeamMember")
_TIES = ("Dependency", "Assignment")


class GanttDocument:
    """One project's plan as the Gantt shows it. Readers use `schedule` (the read API of
    `db.scheduling.schedule_view`), `rows` / `row_of` (the visible rows, top to bottom),
    `wbs`, `people`, `assignees` and `baseline`; `scheduler` is the engine behind them,
    kept for `preview` and `apply_changes`."""

    def __init__(
        self,
        session: Session,
        project_id: str,
        calendars: CalendarPool | None = None,
        *,
        scheduled: ScheduledPlan | None = None,
    ) -> None:
        """`scheduled`: this project's plan as the first look read and scheduled it
        (`db.fast_open.hand_over`), taken instead of reading it again while the file is
        provably as the look read it."""
        self.session = session
        # Working-day calendars shared with the session's other schedules (`Schedules`), so
        # a reload after a change of people or leave builds none that exist already.
        self.calendars = calendars
        self.project_id = project_id
        self.collapsed: set[int] = set()
        self.about_to_reload: Callable[[], None] | None = None
        # Visible rows (first, last) are about to appear / have appeared, or are about to be
        # hidden / have been: a Qt model begins and ends its row insertion or removal there.
        self.about_to_insert: Callable[[int, int], None] | None = None
        self.inserted: Callable[[], None] | None = None
        self.about_to_remove: Callable[[int, int], None] | None = None
        self.removed: Callable[[], None] | None = None
        # Tasks left the plan and the others were numbered again: new node by old node (-1
        # for a task that went), for whoever holds node numbers (a Qt model's indexes).
        self.renumbered: Callable[[list[int]], None] | None = None
        if (
            scheduled is not None
            and scheduled.project_id == project_id
            and still_current(session, scheduled)
        ):
            self._take(scheduled)
        else:
            self.reload()

    # -- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the plan again. Node numbers change, so `about_to_reload` runs first (a Qt
        model begins its reset there) and collapsed summaries are carried over by id."""
        if self.about_to_reload is not None:
            self.about_to_reload()
        old = getattr(self, "schedule", None)
        collapsed_ids = {old.task_id(i) for i in self.collapsed} if old is not None else set()
        self.scheduler = Scheduler(load_plan(self.session, self.project_id), self.calendars)
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
        for task_id, name, colour in people_on_tasks(self.session, self.project_id):
            people[task_id].append((name, colour))
        self._set_people(
            {k: tuple(v) for k, v in people.items()},
            deliverable_ids(self.session, self.project_id),
        )

    def _set_people(
        self, people: Mapping[str, tuple[tuple[str, str], ...]], deliverables: set[str]
    ) -> None:
        self.people = {k: ", ".join(name for name, _c in v) for k, v in people.items()}
        # Who is on each task with their colour, in the order the People column names them.
        self.assignees: dict[str, tuple[tuple[str, str], ...]] = dict(people)
        self.deliverables: set[str] = deliverables

    def _take(self, scheduled: ScheduledPlan) -> None:
        """Load as `reload` does, from what the first look read and scheduled."""
        look = scheduled.look
        self.scheduler = scheduled.scheduler
        self.schedule = ScheduleView(self.scheduler)
        self._carry_collapsed(set())
        self._set_people(look.people, set(look.deliverables))
        self.baseline = dict(look.baseline)
        self._number()
        self.relayout()

    def colour_of(self, task_id: str) -> str:
        """The colour a task's bar takes: its first person's ("" for none, or no colour)."""
        found = self.assignees.get(task_id)
        return found[0][1] if found else ""

    def _number(self) -> None:
        """Each task's place among its siblings; WBS numbers follow from it (see `Wbs`)."""
        v = self.schedule
        self.sibling_row = [0] * len(v)
        for group in [self.roots, *(v.children(i) for i in range(len(v)))]:
            for n, i in enumerate(group):
                self.sibling_row[i] = n
        self.wbs = Wbs(self)

    def relayout(self) -> None:
        """The visible rows, top to bottom: the tree in order, without collapsed subtrees."""
        self.rows = self._layout()
        self.row_of = {i: r for r, i in enumerate(self.rows)}

    def _layout(self) -> list[int]:
        v = self.schedule
        rows: list[int] = []
        stack = list(reversed(self.roots))
        while stack:
            i = stack.pop()
            rows.append(i)
            if i not in self.collapsed:
                stack.extend(reversed(v.children(i)))
        return rows

    # -- reading ------------------------------------------------------------------------------

    def tree_order(self) -> list[int]:
        """Every task, top to bottom, collapsed summaries' tasks included."""
        return self.schedule.outline()

    def node(self, task_id: str) -> int:
        return self.schedule.node(task_id)

    def children_of(self, node: int) -> Sequence[int]:
        return self.roots if node < 0 else self.schedule.children(node)

    def parent_of(self, node: int) -> int:
        return self.schedule.parent(node)

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

    def _insert(self, spec: TaskSpec, deliverable: bool) -> set[str]:
        """Add one new task, as `Scheduler.add_task` does, and give it its row: node numbers
        of every other task stay, so a Qt model inserts one row instead of resetting."""
        v = self.schedule
        parent = -1 if spec.parent_id is None else v.node(spec.parent_id)
        kids = self.children_of(parent)
        row = bisect.bisect_right([v.spec(k).sort_order for k in kids], spec.sort_order)
        shown = parent < 0 or (parent in self.row_of and not self._hidden_under(parent))
        at = self._row_for(parent, row) if shown else -1
        if at >= 0 and self.about_to_insert is not None:
            self.about_to_insert(at, at)
        changed = self.scheduler.add_task(spec) or set()
        v.task_added(row if parent < 0 else None)
        node = v.node(spec.id)
        self.sibling_row.append(0)
        for n in range(row, len(kids)):
            self.sibling_row[kids[n]] = n
        self.wbs = Wbs(self)
        if deliverable:
            self.deliverables.add(spec.id)
        if at >= 0:
            self.rows.insert(at, node)
            self._renumber(at)
            if self.inserted is not None:
                self.inserted()
        return changed

    def _hidden_under(self, parent: int) -> bool:
        """Are the children of this shown summary hidden (it, or nothing above it, is
        collapsed: a shown summary's own ancestors are all open)?"""
        return parent in self.collapsed

    def _row_for(self, parent: int, row: int) -> int:
        """The visible row a new child of `parent` at sibling place `row` takes: where the
        first task after it in tree order is now (the sibling it goes before, else the next
        sibling of its parent, …), else the end."""
        kids = self.children_of(parent)
        if row < len(kids):
            return self.row_of[kids[row]]
        at = parent
        while at >= 0:
            up = self.schedule.parent(at)
            siblings = self.children_of(up)
            n = self.sibling_row[at] + 1
            if n < len(siblings):
                return self.row_of[siblings[n]]
            at = up
        return len(self.rows)

    def hidden(self, node: int) -> bool:
        """Is the node under a collapsed summary?"""
        parent = self.schedule.parent(node)
        while parent >= 0:
            if parent in self.collapsed:
                return True
            parent = self.schedule.parent(parent)
        return False

    # -- opening and closing summaries ----------------------------------------------------------

    def _shown_under(self, node: int) -> list[int]:
        """The rows under a summary while it is open, top to bottom (its closed summaries'
        tasks left out)."""
        v = self.schedule
        found: list[int] = []
        stack = list(reversed(v.children(node)))
        while stack:
            i = stack.pop()
            found.append(i)
            if i not in self.collapsed:
                stack.extend(reversed(v.children(i)))
        return found

    def set_collapsed(self, node: int, collapsed: bool) -> None:
        """Close or open a summary: its rows go or come back in one block, announced through
        `about_to_remove` / `about_to_insert`, so a Qt model moves only those rows."""
        if collapsed == (node in self.collapsed) or not self.schedule.is_summary(node):
            return
        if node not in self.row_of:  # under a closed summary: nothing shown changes
            (self.collapsed.add if collapsed else self.collapsed.discard)(node)
            return
        first = self.row_of[node] + 1
        if collapsed:
            gone = self._shown_under(node)
            if gone and self.about_to_remove is not None:
                self.about_to_remove(first, first + len(gone) - 1)
            self.collapsed.add(node)
            del self.rows[first : first + len(gone)]
            for i in gone:
                del self.row_of[i]
            self._renumber(first)
            if gone and self.removed is not None:
                self.removed()
            return
        self.collapsed.discard(node)
        back = self._shown_under(node)
        if back and self.about_to_insert is not None:
            self.about_to_insert(first, first + len(back) - 1)
        self.rows[first:first] = back
        self._renumber(first)
        if back and self.inserted is not None:
            self.inserted()

    def reveal(self, node: int) -> None:
        """Open every closed summary above a task, so its row is shown."""
        above = []
        parent = self.schedule.parent(node)
        while parent >= 0:
            above.append(parent)
            parent = self.schedule.parent(parent)
        for summary in reversed(above):
            self.set_collapsed(summary, False)

    def _renumber(self, first: int) -> None:
        rows, row_of = self.rows, self.row_of
        for r in range(first, len(rows)):
            row_of[rows[r]] = r

    def preview(self, specs: Iterable[TaskSpec]) -> set[str]:
        """Reschedule live with changed inputs (a drag in progress, or putting it back);
        nothing is written. Returns the ids whose dates changed."""
        return self.scheduler.update(specs)

    def apply_changes(self, changes: ChangeSet) -> set[str] | None:
        """Bring the plan up to date with `changes`. Returns the ids whose dates changed, or
        None when the plan was reloaded (every row may have changed).

        A new task with no links or people of its own (an inserted row) joins the schedule
        in place, siblings that made room for it keep their rows; an edit of dates,
        durations or names reschedules the edited tasks' downstream; anything else that
        changes the shape of the plan reloads it."""
        s = self.scheduler
        if changes.touches("Baseline", "BaselineTask"):
            self.reload_baseline()
        removed = [i for i in changes.removed.get("Task", set()) if i in s]
        added_tasks = changes.added.get("Task", set())
        ties: list[LinkSpec] = []
        if changes.touches(*_SHAPE):
            found = self._ties(removed, added_tasks, changes)
            if found is None:
                self.reload()
                return None
            ties = found
        moved: set[str] = set()
        if removed:
            gone = self._remove(removed)
            if gone is None:
                self.reload()
                return None
            moved |= gone
            s = self.scheduler
        added = changes.added.get("Task", set())
        edited = [i for i in changes.changed.get("Task", set()) if i in s]
        if not added and not edited:
            return moved
        rows = task_rows(self.session, [*added, *edited])
        new = [rows[i] for i in added if i in rows and rows[i].project_id == self.project_id]
        specs = []
        reorder = reparent = False
        for task_id in edited:
            row = rows[task_id]
            old = s.spec(task_id)
            reparent = reparent or row.parent_id != old.parent_id
            reorder = reorder or row.sort_order != old.sort_order
            specs.append(row.spec(old.members))
        for spec in specs:
            if rows[spec.id].kind == TaskKind.DELIVERABLE:
                self.deliverables.add(spec.id)
            else:
                self.deliverables.discard(spec.id)
        if reparent:  # an indent, an outdent, rows moved in the outline
            came = None if new or ties or removed else self._reparent(specs)
            if came is None:
                self.reload()
                return None
            return moved | came
        one = len(new) == 1 and not ties and not changes.added.get("Assignment")
        if one and not s.can_add(new[0].spec()):
            self.reload()
            return None
        if reorder and not self._order_kept(specs):
            self.reload()
            return None
        moved |= self.preview(specs) | {spec.id for spec in specs}
        if one:
            moved |= self._insert(new[0].spec(), new[0].kind == TaskKind.DELIVERABLE)
        elif new or ties:
            came = self._insert_many(new, ties)
            if came is None:
                self.reload()
                return None
            moved |= came
        return moved

    def _ties(
        self, removed: list[str], added: set[str], changes: ChangeSet
    ) -> list[LinkSpec] | None:
        """When every change of the plan's shape in `changes` is a link or an assignment
        that went with removed tasks or came with added ones (a deletion's ties, or an undone
        deletion's): the links that came, for the engine to add in place. None when
        something else changed the shape (a reload follows)."""
        if any(changes.touches(e) for e in _SHAPE if e not in _TIES):
            return None
        if any(changes.changed.get(e) for e in _TIES):
            return None
        s = self.scheduler
        gone_deps = changes.removed.get("Dependency", set())
        gone_people = changes.removed.get("Assignment", set())
        if gone_deps or gone_people:
            v = self.schedule
            gone = set(removed)
            for task_id in removed:
                gone |= {v.task_id(j) for j in v.outline_under(v.node(task_id))}
            touching = v.link_ids_of(gone)
            if not gone_deps <= touching:
                return None
            # Assignments are not kept by id: a deletion takes at most one per person per task.
            if len(gone_people) > sum(len(s.spec(t).members) for t in gone):
                return None
        links = links_by_id(self.session, changes.added.get("Dependency", set()))
        if any(
            link.predecessor_id not in added and link.successor_id not in added for link in links
        ):
            return None
        new_people = changes.added.get("Assignment", set())
        if new_people and not tasks_of_assignments(self.session, new_people) <= added:
            return None
        return links

    def _insert_many(self, rows: list[TaskRow], links: list[LinkSpec]) -> set[str] | None:
        """Add tasks that came back (an undone deletion) or were copied, with their people
        and links, in place: node numbers of every other task stay, and their rows enter the
        table in blocks. None when only a reload can follow."""
        s = self.scheduler
        ids = [row.id for row in rows]
        members = members_of_tasks(self.session, ids)
        by_id = {row.id: row for row in rows}
        ordered: list[TaskRow] = []
        placed: set[str] = set()

        def place(row: TaskRow) -> None:  # parents before their children
            if row.id in placed:
                return
            if row.parent_id in by_id:
                place(by_id[row.parent_id])
            placed.add(row.id)
            ordered.append(row)

        for row in rows:
            place(row)
        specs = [row.spec(members.get(row.id, frozenset())) for row in ordered]
        old_roots = list(self.schedule.roots())
        first = len(s.ids)
        changed = s.add_tasks(specs, links)
        if changed is None:
            return None
        roots = old_roots
        for spec in specs:
            if spec.parent_id is None:
                v = ScheduleView(s)
                keys = [v.spec(r).sort_order for r in roots]
                roots.insert(bisect.bisect_right(keys, spec.sort_order), v.node(spec.id))
        self.schedule = ScheduleView(s, roots)
        self.roots = self.schedule.roots()
        self._number()
        for task_id, name, colour in people_on_tasks(self.session, self.project_id, ids):
            self.assignees[task_id] = (*self.assignees.get(task_id, ()), (name, colour))
            self.people[task_id] = ", ".join(n for n, _c in self.assignees[task_id])
        self.deliverables |= {row.id for row in rows if row.kind == TaskKind.DELIVERABLE}
        # The new rows enter where a fresh layout puts them, top block first.
        target = self._layout()
        k = 0
        while k < len(target):
            if target[k] < first:
                k += 1
                continue
            end = k
            while end + 1 < len(target) and target[end + 1] >= first:
                end += 1
            if self.about_to_insert is not None:
                self.about_to_insert(k, end)
            self.rows[k:k] = target[k : end + 1]
            self._renumber(k)
            if self.inserted is not None:
                self.inserted()
            k = end + 1
        return changed

    def _remove(self, task_ids: list[str]) -> set[str] | None:
        """Take deleted tasks out in place: their rows leave the table in blocks (the model
        removes only those), the engine reschedules only what waited on them, and every
        other task keeps its row. None when only a reload can follow (a summary left
        without tasks becomes a task)."""
        s = self.scheduler
        v = self.schedule
        gone_nodes: set[int] = set()
        for task_id in task_ids:
            node = v.node(task_id)
            gone_nodes.add(node)
            gone_nodes.update(v.outline_under(node))
        for node in gone_nodes:
            up = v.parent(node)
            if up >= 0 and up not in gone_nodes and all(c in gone_nodes for c in v.children(up)):
                return None
        # Shown rows that go, in blocks of adjacent rows, removed bottom first.
        shown = sorted(self.row_of[n] for n in gone_nodes if n in self.row_of)
        blocks: list[list[int]] = []
        for row in shown:
            if blocks and blocks[-1][1] == row - 1:
                blocks[-1][1] = row
            else:
                blocks.append([row, row])
        for first, last in reversed(blocks):
            if self.about_to_remove is not None:
                self.about_to_remove(first, last)
            for n in self.rows[first : last + 1]:
                del self.row_of[n]
            del self.rows[first : last + 1]
            self._renumber(first)
            if self.removed is not None:
                self.removed()
        old_ids = list(s.ids)
        old_roots = list(v.roots())
        changed = s.remove_tasks(task_ids)
        assert changed is not None  # the same summaries were checked above
        new_of = [s.pos.get(t, -1) for t in old_ids]
        self.schedule = ScheduleView(s, [new_of[r] for r in old_roots if new_of[r] >= 0])
        self.roots = self.schedule.roots()
        self.collapsed = {new_of[c] for c in self.collapsed if new_of[c] >= 0}
        self.rows = [new_of[n] for n in self.rows]
        self.row_of = {n: r for r, n in enumerate(self.rows)}
        self._number()
        for node in gone_nodes:
            task_id = old_ids[node]
            self.people.pop(task_id, None)
            self.assignees.pop(task_id, None)
            self.deliverables.discard(task_id)
        if self.renumbered is not None:
            self.renumbered(new_of)
        return changed

    def _reparent(self, specs: list[TaskSpec]) -> set[str] | None:
        """Tasks that took a new parent or place follow in place (`Scheduler.reparent`):
        node numbers stay, and only the rows between the first and the last that changed
        leave and come back, in one block each (an indent changes none: the task keeps its
        row, one level deeper). Returns every task id, since any row's outline number may
        have changed; None when only a reload can follow."""
        s = self.scheduler
        old_roots = list(self.schedule.roots())
        changed = s.reparent(specs)
        if changed is None:
            return None
        # The top level in outline order: by place, a task that came to it after its peers.
        v = ScheduleView(s)
        at = {r: k for k, r in enumerate(old_roots)}
        candidates = dict.fromkeys([*old_roots, *(v.node(spec.id) for spec in specs)])
        roots = sorted(
            (r for r in candidates if v.parent(r) < 0),
            key=lambda r: (v.spec(r).sort_order, at.get(r, len(at))),
        )
        self.schedule = v = ScheduleView(s, roots)
        self.roots = v.roots()
        self.collapsed = {c for c in self.collapsed if v.is_summary(c)}
        self._number()
        target = self._layout()
        old = self.rows
        first, end_old, end_new = 0, len(old), len(target)
        while first < min(end_old, end_new) and old[first] == target[first]:
            first += 1
        while end_old > first and end_new > first and old[end_old - 1] == target[end_new - 1]:
            end_old -= 1
            end_new -= 1
        if end_old > first:
            if self.about_to_remove is not None:
                self.about_to_remove(first, end_old - 1)
            for n in old[first:end_old]:
                del self.row_of[n]
            del self.rows[first:end_old]
            self._renumber(first)
            if self.removed is not None:
                self.removed()
        if end_new > first:
            if self.about_to_insert is not None:
                self.about_to_insert(first, end_new - 1)
            self.rows[first:first] = target[first:end_new]
            self._renumber(first)
            if self.inserted is not None:
                self.inserted()
        return changed | set(v.task_ids())

    def _order_kept(self, specs: list[TaskSpec]) -> bool:
        """Do these new sort orders keep every sibling where it was (rows making room for
        an inserted one)?"""
        v = self.schedule
        orders = {spec.id: spec.sort_order for spec in specs}
        parents = {v.parent(v.node(spec.id)) for spec in specs}
        for parent in parents:
            numbers = [
                orders.get(v.task_id(k), v.spec(k).sort_order) for k in self.children_of(parent)
            ]
            if any(a > b for a, b in itertools.pairwise(numbers)):
                return False
        return True


class Wbs:
    """WBS numbers ("2.1.3") by node, worked out when asked from each task's place among
    its siblings: only the rows on screen are ever numbered, so a new row costs nothing."""

    def __init__(self, document: GanttDocument) -> None:
        self._document = document
        self._found: dict[int, str] = {}

    def __getitem__(self, node: int) -> str:
        found = self._found.get(node)
        if found is None:
            doc = self._document
            parent = doc.schedule.parent(node)
            own = str(doc.sibling_row[node] + 1)
            found = own if parent < 0 else f"{self[parent]}.{own}"
            self._found[node] = found
        return found
