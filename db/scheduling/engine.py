"""The scheduling engine: forward pass for dates, backward pass for float and critical path,
and incremental rescheduling after an edit. One engine for the Gantt view, printing and import.

Rules
-----
* A task's own `start_date` is "start no earlier than": the task starts on the first working
  day on or after it that every predecessor allows. Dragging a predecessor earlier lets its
  successors come back, but never before their own start date.
* Durations and lags count working days in the *task's* calendar (agency working week, public
  holidays, agency closures, and the leave of the people assigned to it). A negative lag is a
  lead.
* Leave: a day on which any assignee is on leave is not a working day for that task. So a task
  that would start during someone's leave **moves past it**, and a task that spans the leave
  **stretches** by the days missed — the work needs its people and is never planned on a day
  one of them is away. (This is how resource calendars behave in MS Project; it needs no
  per-assignment choice and never plans work nobody can do.)
* Milestones have no duration and mark the end of their day: a milestone after a task (FS)
  falls on that task's finish date, a milestone started with a task (SS) on its start date,
  and a task after a milestone starts the next working day.
* A task with children is a summary: it spans its children, its own start and duration are
  ignored. A link *into* a summary constrains every task under it; a link *out of* a summary
  uses the summary's span.
* Dependency types: FS (successor starts after predecessor finishes), SS (starts after it
  starts), FF (finishes after it finishes), SF (finishes after it starts), each plus the lag.

Computed dates are derived, never stored: the database holds only the inputs (start
constraint, duration, links, assignments, calendars). The Gantt keeps its own scheduler up to
date edit by edit; every other reader (the Projects list, the client page, health, Today,
the agenda, printing) reads the engine's dates through `db.scheduling.schedules`, which
caches one scheduler per project and drops it when a change set touches that project. So
derived dates can never be stale after an undo or a sync merge, and undoing an edit restores
every task the edit moved, successors included, by construction.

Time inside the engine is integer: dates are ordinals, and positions in a calendar are work
indices (see `calendar.WorkCalendar`). A *moment* is the ordinal of the start of a day; a task
of n working days starting at work index a occupies [day(a), day(a + n - 1) + 1).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from db.collector_paused import collector_paused
from db.scheduling.calendar import AgencyDays, CalendarPool, WorkCalendar
from db.scheduling.graph import CycleError, find_cycle, topological_order
from db.scheduling.specs import LinkSpec, Plan, TaskSpec
from db.scheduling.vocabulary import DependencyType

_FS, _SS, _FF, _SF = 0, 1, 2, 3
_TYPE_CODE = {
    DependencyType.FS: _FS,
    DependencyType.SS: _SS,
    DependencyType.FF: _FF,
    DependencyType.SF: _SF,
}
_TYPE_TEXT = {
    _FS: "must finish first",
    _SS: "must start first",
    _FF: "must finish first (finish-to-finish)",
    _SF: "must start first (start-to-finish)",
}
_NEVER = 1 << 40  # a moment later than any real one: "no limit"


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A task's computed dates (finish inclusive) and where it stands on the critical path."""

    start: date
    finish: date
    summary: bool
    milestone: bool


class Scheduler:
    """Schedules one plan and keeps it scheduled as it is edited.

    Build with a `Plan` (see `plan.load_plan`); read with `scheduled(id)`, `start(id)`,
    `finish(id)`, `total_float(id)`, `critical(id)`; edit with `update(specs)` (incremental:
    returns the ids whose computed dates changed) or `rebuild(plan)` after a change of
    structure (links, hierarchy, assignments, calendars).

    `calendars`: a pool shared with other schedulers (see `db.scheduling.schedules`), so
    scheduling many small projects builds each working-day calendar once.
    """

    # Set by the first build; `_rebuild` compares against it when it exists.
    _dates: dict[str, tuple[int, int]]
    # The plan's links by target, with the list they were read from (`_links_by_target`).
    _by_target: tuple[list[LinkSpec], dict[str, list[tuple[str, int, int]]]] | None = None

    def __init__(self, plan: Plan, calendars: CalendarPool | None = None) -> None:
        # A plan scheduled on its own still gets a pool of its own: its people's leave
        # calendars are then derived from one walk of the agency's days, not one walk each.
        self._pool = calendars if calendars is not None else CalendarPool()
        self.rebuild(plan)

    # -- building -----------------------------------------------------------------------------

    def rebuild(self, plan: Plan) -> set[str]:
        """Schedule a plan from scratch; returns ids whose dates differ from before (all, the
        first time). Raises CycleError naming a loop when tasks wait on each other."""
        # The build allocates many small lists and tuples that all live on; cyclic GC passes
        # over them would double the time and find nothing to free.
        with collector_paused():
            return self._rebuild(plan)

    def _rebuild(self, plan: Plan) -> set[str]:
        before = dict(self._dates) if hasattr(self, "_dates") else {}
        self.plan = plan
        self.agency: AgencyDays = plan.agency
        tasks = plan.tasks
        self.ids = [t.id for t in tasks]
        self.pos = {t.id: i for i, t in enumerate(tasks)}
        self.specs: list[TaskSpec] = list(tasks)
        # Everyone the plan was built with: `plan.leave` holds the leave of each of them.
        self._people = {m for t in tasks for m in t.members}
        n = len(tasks)
        earliest = min((t.start for t in tasks), default=date.today())
        self._origin = self._pool.origin(earliest)
        self.calendar = self._pool.calendar(self.agency, self._origin)
        self._calendars: dict[frozenset[str], WorkCalendar] = {frozenset(): self.calendar}

        self.parent = [-1] * n
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, t in enumerate(tasks):
            if t.parent_id is not None and t.parent_id in self.pos:
                up = self.pos[t.parent_id]
                self.parent[i] = up
                self.children[up].append(i)
        self.cal = [self._calendar_for(t.members) for t in tasks]

        # Links into a summary apply to every leaf below it.
        self.incoming: list[list[tuple[int, int, int, int]]] = [[] for _ in range(n)]
        self.outgoing: list[list[int]] = [[] for _ in range(n)]
        for link in plan.links:
            p, s = self.pos.get(link.predecessor_id), self.pos.get(link.successor_id)
            if p is None or s is None:
                continue
            code = _TYPE_CODE[link.type]
            for leaf in self.leaves(s):
                self.incoming[leaf].append((p, code, link.lag, s))
                self.outgoing[p].append(leaf)

        succ = self._rank_or_loop()
        if succ is not None:
            edges = {self.ids[i]: [self.ids[j] for j in succ[i]] for i in range(n)}
            loop = find_cycle(self.ids, edges) or []
            raise CycleError(loop, self._loop_names(loop))
        order = self.order

        self.a = [0] * n
        self.start_o = [0] * n
        self.finish_o = [0] * n
        self.sm = [0] * n  # start moment
        self.em = [0] * n  # end moment
        for i in order:
            self._compute(i)
        self._floats: list[int] | None = None
        self._dates = {self.ids[i]: (self.start_o[i], self.finish_o[i]) for i in range(n)}
        return {k for k, v in self._dates.items() if before.get(k) != v}

    def _rank_or_loop(self) -> list[list[int]] | None:
        """Order the tasks so that every task comes after its predecessors and before its
        summary, and rank them by it. Returns None when that worked, else the successor
        lists, which hold a loop."""
        n = len(self.ids)
        succ: list[list[int]] = [list(out) for out in self.outgoing]
        indegree = [len(inc) for inc in self.incoming]
        for i in range(n):
            if self.parent[i] >= 0:
                succ[i].append(self.parent[i])
                indegree[self.parent[i]] += 1
        order = topological_order(n, succ, indegree)
        if order is None:
            return succ
        self.order = order
        self.rank = [0] * n
        for r, i in enumerate(order):
            self.rank[i] = r
        return None

    def _loop_names(self, loop: list[str]) -> list[str]:
        """Names along a loop, with the summary a link was made to shown where the engine
        passed that link down to the summary's tasks."""
        names = [self.specs[self.pos[loop[0]]].name]
        for u, v in itertools.pairwise(loop):
            pu, pv = self.pos[u], self.pos[v]
            via = next((t for p, _c, _l, t in self.incoming[pv] if p == pu and t != pv), None)
            if via is not None:
                names.append(self.specs[via].name)
            names.append(self.specs[pv].name)
        return names

    def _calendar_for(self, members: frozenset[str]) -> WorkCalendar:
        cal = self._calendars.get(members)
        if cal is None:
            off: set[int] = set()
            for m in members:
                for start, end in self.plan.leave.get(m, ()):
                    off.update(range(start.toordinal(), end.toordinal() + 1))
            cal = self._pool.calendar(self.agency, self._origin, frozenset(off))
            self._calendars[members] = cal
        return cal

    def leaves(self, i: int) -> list[int]:
        """Node numbers of the tasks (not summaries) at or under node i."""
        if not self.children[i]:
            return [i]
        found, stack = [], [i]
        while stack:
            j = stack.pop()
            if self.children[j]:
                stack.extend(self.children[j])
            else:
                found.append(j)
        return found

    # -- forward pass -------------------------------------------------------------------------

    def _bound(self, i: int) -> tuple[int, int]:
        """Earliest work index the predecessors allow for leaf i, and which link binds
        (index into incoming, -1 when none does)."""
        cal = self.cal[i]
        spec = self.specs[i]
        ms = spec.milestone
        d = 0 if ms else max(spec.duration, 1)
        best, which = -(1 << 40), -1
        em, sm = self.em, self.sm
        for k, (p, code, lag, _target) in enumerate(self.incoming[i]):
            moment = em[p] if code in (_FS, _FF) else sm[p]
            if ms:
                # The day the milestone sits on, counted in calendar days first: when that day
                # is off for the milestone's people, it moves to their next working day, never
                # back to the one before.
                need = cal.index(moment - self._milestone_offset(p, code)) + lag
            else:
                need = cal.index(moment) + lag - (0 if code <= _SS else d)
            if need > best:
                best, which = need, k
        return best, which

    def _milestone_offset(self, p: int, code: int) -> int:
        """How a milestone successor sits against predecessor p's moment: on the day that
        ends at it (after a finish, or after a milestone, which is itself an end of day), or
        on the day that starts at it (after a task's start)."""
        if code in (_FS, _FF):
            return 1
        return 1 if self.specs[p].milestone and not self.children[p] else 0

    def _compute(self, i: int) -> None:
        kids = self.children[i]
        if kids:
            self.start_o[i] = min(self.start_o[c] for c in kids)
            self.finish_o[i] = max(self.finish_o[c] for c in kids)
            self.sm[i] = min(self.sm[c] for c in kids)
            self.em[i] = max(self.em[c] for c in kids)
            return
        cal = self.cal[i]
        spec = self.specs[i]
        a = cal.index(spec.start.toordinal())
        if self.incoming[i] and not spec.fixed:  # "must start on" stays put (see date_conflicts)
            bound, _ = self._bound(i)
            if bound > a:
                a = bound
        self.a[i] = a
        if spec.milestone:
            o = cal.day(a)
            self.start_o[i] = self.finish_o[i] = o
            self.sm[i] = self.em[i] = o + 1
        else:
            s = cal.day(a)
            f = cal.day(a + max(spec.duration, 1) - 1)
            self.start_o[i], self.finish_o[i] = s, f
            self.sm[i], self.em[i] = s, f + 1

    # -- incremental --------------------------------------------------------------------------

    def update(self, specs: Iterable[TaskSpec]) -> set[str]:
        """Change the start constraint, duration or name of existing tasks (same parent, same
        people) and reschedule only what depends on them. Returns the ids whose computed
        dates changed — the edited tasks, their successors and summaries above them."""
        seeds: list[int] = []
        for spec in specs:
            i = self.pos[spec.id]
            old = self.specs[i]
            if old.parent_id != spec.parent_id or old.members != spec.members:
                raise ValueError("update() keeps structure; use rebuild() for this change")
            self.specs[i] = spec
            seeds.append(i)
        return self._propagate(seeds)

    def can_add(self, spec: TaskSpec) -> bool:
        """Can `add_task` take this task without a rebuild?"""
        if spec.id in self.pos or spec.start < self._origin:
            return False
        if spec.parent_id is None:
            return True
        parent = self.pos.get(spec.parent_id, -1)
        return parent >= 0 and bool(self.children[parent])

    def _append_node(self, spec: TaskSpec) -> tuple[int, int]:
        """A node for a new task at the next node number, among its parent's children in
        sort order, with no dates or links yet: its node number and its parent's (-1 at the
        top)."""
        n = len(self.ids)
        self.ids.append(spec.id)
        self.pos[spec.id] = n
        self.specs.append(spec)
        parent = -1 if spec.parent_id is None else self.pos[spec.parent_id]
        self.parent.append(parent)
        self.children.append([])
        self.cal.append(self._calendar_for(spec.members))
        self.incoming.append([])
        self.outgoing.append([])
        for array in (self.a, self.start_o, self.finish_o, self.sm, self.em):
            array.append(0)
        if parent >= 0:
            kids = self.children[parent]
            orders = [self.specs[k].sort_order for k in kids]
            kids.insert(bisect.bisect_right(orders, spec.sort_order), n)
        return n, parent

    def add_task(self, spec: TaskSpec) -> set[str] | None:
        """Schedule one new task without links of its own (an inserted row) and reschedule
        only the summaries above it: the new node takes the next node number, so every other
        task keeps its own. Returns the ids whose dates changed (the new one included), or
        None when the task changes the plan's shape in a way only `rebuild` handles (it turns
        a task into a summary, or starts before the calendar's range)."""
        if not self.can_add(spec):
            return None
        n, parent = self._append_node(spec)
        # A new Plan: the caller's stays as it was given.
        self.plan = Plan([*self.plan.tasks, spec], self.plan.links, self.agency, self.plan.leave)
        if parent >= 0:
            # Links into a summary hold every task under it, the new one too.
            above: set[int] = set()
            p = parent
            while p >= 0:
                above.add(p)
                p = self.parent[p]
            for link in self.plan.links:
                target = self.pos.get(link.successor_id, -1)
                pred = self.pos.get(link.predecessor_id, -1)
                if target in above and pred >= 0:
                    self.incoming[n].append((pred, _TYPE_CODE[link.type], link.lag, target))
                    self.outgoing[pred].append(n)
            # Before its summary in the order, hence after whatever holds the summary.
            at = self.order.index(parent)
        else:
            at = len(self.order)
        self.order.insert(at, n)
        self.rank.append(0)
        for r in range(at, len(self.order)):
            self.rank[self.order[r]] = r
        self._dates[spec.id] = (0, 0)
        changed = self._propagate([n])
        self._floats = None
        return changed | {spec.id}

    def add_tasks(self, specs: Sequence[TaskSpec], links: Iterable[LinkSpec]) -> set[str] | None:
        """Schedule new tasks (parents before their children) and new links, and reschedule
        only what they touch: tasks that come back with an undone deletion, or a duplicated
        subtree. New tasks take the next node numbers, so every other task keeps its own.
        Returns the ids whose dates changed (the new ones included), or None when only
        `rebuild` can take the change: an existing task would become a summary, a task starts
        before the calendar's range, someone new to the plan (whose leave it does not hold)
        is on a new task, or the links would close a loop."""
        with collector_paused():
            return self._add_tasks(list(specs), list(links))

    def _add_tasks(self, specs: list[TaskSpec], links: list[LinkSpec]) -> set[str] | None:
        new_ids = {spec.id for spec in specs}
        for spec in specs:
            if spec.id in self.pos or spec.start < self._origin:
                return None
            if not spec.members <= self._people:
                return None
            if spec.parent_id is not None and spec.parent_id not in new_ids:
                parent = self.pos.get(spec.parent_id, -1)
                if parent < 0 or not self.children[parent]:
                    return None
        first = len(self.ids)
        for spec in specs:
            self._append_node(spec)
            self._dates[spec.id] = (0, 0)
        new_links = [
            link
            for link in links
            if link.predecessor_id in self.pos and link.successor_id in self.pos
        ]
        self.plan = Plan(
            list(self.specs), [*self.plan.links, *new_links], self.agency, self.plan.leave
        )
        seeds = set(range(first, len(self.ids)))
        # Links into a summary hold every task under it: the new ones under an old summary
        # take its links, and a new link into a summary reaches all of its tasks.
        for n in range(first, len(self.ids)):
            if self.children[n]:
                continue
            up = self.parent[n]
            while up >= 0:
                if up < first:
                    for pred, code, lag, target in self._links_into(up, first):
                        self.incoming[n].append((pred, code, lag, target))
                        self.outgoing[pred].append(n)
                up = self.parent[up]
        for link in new_links:
            p, target = self.pos[link.predecessor_id], self.pos[link.successor_id]
            for leaf in self.leaves(target):
                self.incoming[leaf].append((p, _TYPE_CODE[link.type], link.lag, target))
                self.outgoing[p].append(leaf)
                seeds.add(leaf)
        n = len(self.ids)
        if self._rank_or_loop() is not None:
            return None
        seeds |= {self.parent[i] for i in range(first, n) if self.parent[i] >= 0}
        self._floats = None
        return self._propagate(sorted(seeds)) | new_ids

    def reparent(self, specs: Sequence[TaskSpec]) -> set[str] | None:
        """Give existing tasks a new parent or place among their siblings (an indent, an
        outdent, rows moved in the outline) and reschedule only what that touches: the
        moved tasks, the summaries they left and joined, and what waits on them. Node numbers
        stay. Returns the ids whose dates changed, or None when only `rebuild` can take the
        change (someone new on a task, a parent not in the plan, a loop)."""
        with collector_paused():
            return self._reparent(list(specs))

    def _reparent(self, specs: list[TaskSpec]) -> set[str] | None:
        pos = self.pos
        for spec in specs:
            i = pos.get(spec.id)
            if i is None or self.specs[i].members != spec.members:
                return None
            if spec.parent_id is not None and spec.parent_id not in pos:
                return None
        parent, children = self.parent, self.children
        moved = [
            pos[spec.id] for spec in specs if self.specs[pos[spec.id]].parent_id != spec.parent_id
        ]
        # The nodes whose links-from-above may change: the moved subtrees' leaves, and the
        # summaries left without tasks or tasks turned summaries (their leaf links go or come).
        touched_parents: set[int] = set()
        for i in moved:
            touched_parents.add(parent[i])
        old_leaves = {j for i in moved for j in self.leaves(i)}
        for spec in specs:
            i = pos[spec.id]
            new_parent = -1 if spec.parent_id is None else pos[spec.parent_id]
            if new_parent != parent[i]:
                if parent[i] >= 0:
                    children[parent[i]].remove(i)
                parent[i] = new_parent
                if new_parent >= 0:
                    children[new_parent].append(i)
                touched_parents.add(new_parent)
            else:
                touched_parents.add(parent[i])
            self.specs[i] = spec
        # Tasks that share a place keep the plan's order, as a fresh build takes them.
        for up in touched_parents:
            if up >= 0:
                children[up].sort(key=lambda k: (self.specs[k].sort_order, k))
        # An ancestor of a moved node cannot be under it: that would be a loop in the tree.
        for i in moved:
            seen: set[int] = set()
            up = parent[i]
            while up >= 0:
                if up == i or up in seen:
                    return None
                seen.add(up)
                up = parent[up]
        affected = old_leaves | {j for i in moved for j in self.leaves(i)}
        affected |= {up for up in touched_parents if up >= 0}
        links_into = self._links_by_target()
        ids = self.ids
        for a in affected:
            for p, _code, _lag, _target in self.incoming[a]:
                self.outgoing[p].remove(a)
            entries: list[tuple[int, int, int, int]] = []
            if not children[a]:  # a summary's links bind the tasks under it, not itself
                at = a
                while at >= 0:
                    for pred, code, lag in links_into.get(ids[at], ()):
                        found = pos.get(pred)
                        if found is not None:
                            entries.append((found, code, lag, at))
                    at = parent[at]
            self.incoming[a] = entries
            for p, _code, _lag, _target in entries:
                self.outgoing[p].append(a)
        self.plan = Plan(list(self.specs), self.plan.links, self.agency, self.plan.leave)
        # The order stays when every wait the move made keeps it (a task before its new
        # summary, a link's predecessor before the tasks it now binds): it is still an
        # order of the whole plan, so there is no loop, and nothing else needs ranking.
        rank = self.rank
        kept = all(rank[i] < rank[parent[i]] for i in moved if parent[i] >= 0) and all(
            rank[p] < rank[a] for a in affected for p, _code, _lag, _target in self.incoming[a]
        )
        if not kept and self._rank_or_loop() is not None:
            return None
        self._floats = None
        return self._propagate(sorted(affected | {pos[spec.id] for spec in specs}))

    def _links_by_target(self) -> dict[str, list[tuple[str, int, int]]]:
        """The plan's links by the task they are made into: (predecessor, type code, lag).
        Kept while the plan's list of links is the same one (an edit of links makes a new
        list), so moving tasks about does not read every link each time."""
        found = self._by_target
        if found is None or found[0] is not self.plan.links:
            into: dict[str, list[tuple[str, int, int]]] = {}
            for link in self.plan.links:
                into.setdefault(link.successor_id, []).append(
                    (link.predecessor_id, _TYPE_CODE[link.type], link.lag)
                )
            found = self._by_target = (self.plan.links, into)
        return found[1]

    def _links_into(self, summary: int, first_new: int) -> list[tuple[int, int, int, int]]:
        """The links made into a summary, as its tasks from before `first_new` hold them."""
        leaf = next(i for i in self.leaves(summary) if i < first_new)
        return [entry for entry in self.incoming[leaf] if entry[3] == summary]

    def remove_tasks(self, task_ids: Iterable[str]) -> set[str] | None:
        # Like a build, this makes many small lists that all live on (see `rebuild`).
        with collector_paused():
            return self._remove_tasks(task_ids)

    def _remove_tasks(self, task_ids: Iterable[str]) -> set[str] | None:
        """Take tasks out of the schedule, each with every task under it and every link that
        touches them, and reschedule only what depended on them (their successors, the
        summaries they sat under). Returns the ids whose dates changed, or None when the
        removal changes the plan's shape in a way only `rebuild` handles (a summary left
        without tasks becomes a task). The tasks that stay are numbered again, in the same
        order: a caller holding node numbers maps them through `pos` by id."""
        gone: set[int] = set()
        for task_id in task_ids:
            i = self.pos.get(task_id)
            if i is not None and i not in gone:
                gone.add(i)
                stack = list(self.children[i])
                while stack:
                    j = stack.pop()
                    gone.add(j)
                    stack.extend(self.children[j])
        if not gone:
            return set()
        for i in gone:
            up = self.parent[i]
            if up >= 0 and up not in gone and all(c in gone for c in self.children[up]):
                return None
        seeds = {j for i in gone for j in self.outgoing[i] if j not in gone}
        seeds |= {self.parent[i] for i in gone if self.parent[i] >= 0}
        seeds -= gone
        n = len(self.ids)
        keep = [i for i in range(n) if i not in gone]
        new_of = [-1] * n
        for k, i in enumerate(keep):
            new_of[i] = k
        gone_ids = {self.ids[i] for i in gone}
        self.ids = [self.ids[i] for i in keep]
        self.pos = {t: k for k, t in enumerate(self.ids)}
        self.specs = [self.specs[i] for i in keep]
        self.parent = [new_of[self.parent[i]] if self.parent[i] >= 0 else -1 for i in keep]
        self.children = [[new_of[c] for c in self.children[i] if c not in gone] for i in keep]
        self.cal = [self.cal[i] for i in keep]
        self.incoming = [
            [
                (new_of[p], code, lag, new_of[t])
                for p, code, lag, t in self.incoming[i]
                if p not in gone
            ]
            for i in keep
        ]
        self.outgoing = [[new_of[j] for j in self.outgoing[i] if j not in gone] for i in keep]
        self.a = [self.a[i] for i in keep]
        self.start_o = [self.start_o[i] for i in keep]
        self.finish_o = [self.finish_o[i] for i in keep]
        self.sm = [self.sm[i] for i in keep]
        self.em = [self.em[i] for i in keep]
        self.order = [new_of[i] for i in self.order if i not in gone]
        self.rank = [0] * len(keep)
        for r, i in enumerate(self.order):
            self.rank[i] = r
        links = [
            link
            for link in self.plan.links
            if link.predecessor_id not in gone_ids and link.successor_id not in gone_ids
        ]
        self.plan = Plan(list(self.specs), links, self.agency, self.plan.leave)
        for task_id in gone_ids:
            del self._dates[task_id]
        self._floats = None
        return self._propagate([new_of[i] for i in seeds])

    def _propagate(self, seeds: list[int]) -> set[str]:
        rank = self.rank
        heap = [(rank[i], i) for i in set(seeds)]
        heapq.heapify(heap)
        queued = set(seeds)
        changed: set[str] = set()
        while heap:
            _, i = heapq.heappop(heap)
            before = (self.start_o[i], self.finish_o[i], self.sm[i], self.em[i])
            self._compute(i)
            after = (self.start_o[i], self.finish_o[i], self.sm[i], self.em[i])
            if before[:2] != after[:2]:
                changed.add(self.ids[i])
                self._dates[self.ids[i]] = after[:2]
            if before != after:
                nexts = list(self.outgoing[i])
                if self.parent[i] >= 0:
                    nexts.append(self.parent[i])
                for j in nexts:
                    if j not in queued:
                        queued.add(j)
                        heapq.heappush(heap, (rank[j], j))
        if changed:
            self._floats = None
        return changed

    def downstream(self, task_id: str) -> set[str]:
        """Every task whose dates may depend on this one (successors, their successors, the
        summaries above any of them)."""
        seen = {self.pos[task_id]}
        stack = [self.pos[task_id]]
        while stack:
            i = stack.pop()
            nexts = list(self.outgoing[i])
            if self.parent[i] >= 0:
                nexts.append(self.parent[i])
            for j in nexts:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        seen.discard(self.pos[task_id])
        return {self.ids[i] for i in seen}

    def wait_path(self, from_id: str, to_id: str) -> list[str] | None:
        """Task ids from `from_id` to `to_id` along what waits on what (links, and a task's
        summary after it), both ends included; None when `to_id` does not wait on `from_id`.
        A new link to_id → from_id would close exactly this loop."""
        start, goal = self.pos[from_id], self.pos[to_id]
        came: dict[int, int] = {start: -1}
        queue = [start]
        for i in queue:
            if i == goal:
                path = []
                while i >= 0:
                    path.append(self.ids[i])
                    i = came[i]
                return path[::-1]
            nexts = list(self.outgoing[i])
            if self.parent[i] >= 0:
                nexts.append(self.parent[i])
            for j in nexts:
                if j not in came:
                    came[j] = i
                    queue.append(j)
        return None

    # -- reading ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, task_id: object) -> bool:
        return task_id in self.pos

    def spec(self, task_id: str) -> TaskSpec:
        return self.specs[self.pos[task_id]]

    def start(self, task_id: str) -> date:
        return date.fromordinal(self.start_o[self.pos[task_id]])

    def finish(self, task_id: str) -> date:
        return date.fromordinal(self.finish_o[self.pos[task_id]])

    def scheduled(self, task_id: str) -> Scheduled:
        i = self.pos[task_id]
        return Scheduled(
            start=date.fromordinal(self.start_o[i]),
            finish=date.fromordinal(self.finish_o[i]),
            summary=bool(self.children[i]),
            milestone=self.specs[i].milestone and not self.children[i],
        )

    def is_summary(self, task_id: str) -> bool:
        return bool(self.children[self.pos[task_id]])

    def calendar_of(self, task_id: str) -> WorkCalendar:
        return self.cal[self.pos[task_id]]

    def duration(self, task_id: str) -> int:
        """Working days the task spans (a summary: in the agency calendar)."""
        return self.duration_at(self.pos[task_id])

    def duration_at(self, i: int) -> int:
        """`duration` of node i."""
        if self.children[i]:
            c = self.calendar
            return c.index(self.finish_o[i] + 1) - c.index(self.start_o[i])
        return 0 if self.specs[i].milestone else max(self.specs[i].duration, 1)

    def project_span(self) -> tuple[date, date] | None:
        if not self.ids:
            return None
        return date.fromordinal(min(self.start_o)), date.fromordinal(max(self.finish_o))

    def earliest_start(self, task_id: str) -> tuple[date | None, str]:
        """The first start the task's predecessors allow (ignoring its own start date), and
        why, e.g. "'Design' must finish first". (None, "") when nothing holds it back."""
        i = self.pos[task_id]
        if self.children[i] or not self.incoming[i]:
            return None, ""
        bound, which = self._bound(i)
        if which < 0:
            return None, ""
        p, code, lag, _target = self.incoming[i][which]
        day = date.fromordinal(self.cal[i].day(bound))
        lag_text = f" (lag {lag:+d} working days)" if lag else ""
        return day, f"'{self.specs[p].name}' {_TYPE_TEXT[code]}{lag_text}"

    def date_conflicts(self, task_ids: Iterable[str] | None = None) -> dict[str, str]:
        """Tasks whose fixed date the plan breaks, each with the reason: a "must start on"
        task its predecessors would start later, a "finish no later than" task that would
        finish after its date. Summaries ignore their own constraint, as their dates do.
        `task_ids`: look only at these (a drag watches the few it can reach)."""
        found: dict[str, str] = {}
        fmt = "%a %d %b %Y"
        nodes = range(len(self.specs)) if task_ids is None else [self.pos[t] for t in task_ids]
        for i in nodes:
            spec = self.specs[i]
            if not (spec.fixed or spec.finish_by) or self.children[i]:
                continue
            earliest, why = self.earliest_start(spec.id)
            if spec.fixed and earliest is not None and earliest.toordinal() > self.start_o[i]:
                found[spec.id] = (
                    f"'{spec.name}' must start on {date.fromordinal(self.start_o[i]):{fmt}}, "
                    f"but {why} (it could start {earliest:{fmt}} at the earliest)"
                )
            elif spec.finish_by is not None and self.finish_o[i] > spec.finish_by.toordinal():
                held = (
                    f": {why}"
                    if earliest is not None and earliest.toordinal() >= (self.start_o[i])
                    else ""
                )
                found[spec.id] = (
                    f"'{spec.name}' must finish by {spec.finish_by:{fmt}}, but would finish "
                    f"{date.fromordinal(self.finish_o[i]):{fmt}}{held}"
                )
        return found

    def move_constraint(self, task_id: str, new_start: date) -> TaskSpec:
        return replace(self.spec(task_id), start=new_start)

    # -- backward pass ------------------------------------------------------------------------

    def _backward(self) -> list[int]:
        n = len(self.ids)
        finish = max(self.em, default=0)
        lem = [finish] * n
        lsm = [_NEVER] * n
        late = [0] * n
        floats = [0] * n
        for i in reversed(self.order):
            kids = self.children[i]
            if kids:
                for c in kids:
                    if lem[i] < lem[c]:
                        lem[c] = lem[i]
                    if lsm[i] < _NEVER and self.sm[c] == self.sm[i] and lsm[i] < lsm[c]:
                        lsm[c] = lsm[i]
                continue
            cal = self.cal[i]
            spec = self.specs[i]
            if spec.finish_by is not None and spec.finish_by.toordinal() + 1 < lem[i]:
                lem[i] = spec.finish_by.toordinal() + 1  # its deadline, not just the project's
            ms = spec.milestone
            length = 1 if ms else max(spec.duration, 1)
            la = cal.index(lem[i]) - length
            if lsm[i] < _NEVER:
                ls = cal.index(lsm[i]) - 1 if ms else cal.index(lsm[i] + 1) - 1
                if ls < la:
                    la = ls
            late[i] = la
            floats[i] = la - self.a[i]
            for p, code, lag, _target in self.incoming[i]:
                off = self._milestone_offset(p, code) if ms else (0 if code <= _SS else length)
                x = cal.day(la + off - lag)
                if code in (_FS, _FF):
                    if x < lem[p]:
                        lem[p] = x
                elif x < lsm[p]:
                    lsm[p] = x
        for i in self.order:  # children before their summary
            kids = self.children[i]
            if kids:
                floats[i] = min(floats[c] for c in kids)
        return floats

    def total_float(self, task_id: str) -> int:
        """Working days the task can slip without delaying the project's finish."""
        return self.float_at(self.pos[task_id])

    def float_at(self, i: int) -> int:
        """`total_float` of node i."""
        if self._floats is None:
            self._floats = self._backward()
        return self._floats[i]

    def critical(self, task_id: str) -> bool:
        return self.total_float(task_id) <= 0

    def critical_ids(self) -> set[str]:
        if self._floats is None:
            self._floats = self._backward()
        return {self.ids[i] for i, f in enumerate(self._floats) if f <= 0}


def schedule(plan: Plan) -> Scheduler:
    return Scheduler(plan)


def would_cycle(plan: Plan, link: LinkSpec) -> CycleError | None:
    """The error adding `link` to `plan` would raise, if any, without scheduling."""
    try:
        Scheduler(Plan(plan.tasks, [*plan.links, link], plan.agency, {}))
    except CycleError as error:
        return error
    return None
