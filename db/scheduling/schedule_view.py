"""The read API of a computed schedule: what a screen, a printout or a report reads about a
scheduled plan, without reaching into the engine's parallel arrays.

A `ScheduleView` looks at one `Scheduler` and stays current as the scheduler is edited (a
drag's live preview, an incremental update): it copies nothing but the link and outline
indexes, which only a rebuild changes, and a rebuild makes a new scheduler and so a new view.

Tasks are addressed two ways:
* by **node**, a small int (the task's place in the plan), for the readers that run per row
  and per frame (a chart paints a 10,000-task plan at 60 frames a second): every per-node
  read is an index into an existing list and allocates nothing;
* by **task id**, for everything else (`node(task_id)` converts).

Dates come two ways as well: `start(task_id)` / `finish(task_id)` as dates, and
`start_ordinal(node)` / `finish_ordinal(node)` as proleptic ordinals (`date.toordinal()`), which
is what a painter multiplies by its scale. Finish dates are inclusive: a one-day task starts
and finishes on the same day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from db.scheduling.calendar import WorkCalendar
from db.scheduling.engine import _TYPE_CODE, Scheduler
from db.scheduling.specs import TaskSpec
from db.scheduling.vocabulary import DependencyType

if TYPE_CHECKING:
    from db.scheduling.rules import FixedDateWatch

_NO_LEAVE: tuple[tuple[date, date], ...] = ()
# The engine's link type codes, back to types.
_TYPES = tuple(sorted(_TYPE_CODE, key=_TYPE_CODE.__getitem__))


class ScheduledLink(NamedTuple):
    """A dependency between two nodes, as the plan states it (a link into a summary names
    the summary, not the tasks under it). `leaves_finish`: the link leaves its
    predecessor's finish (FS, FF) rather than its start; `enters_start`: it binds its
    successor's start (FS, SS) rather than its finish. Plain fields, not properties: a
    painter reads them for every arrow of every frame."""

    predecessor: int
    successor: int
    type: DependencyType
    lag: int
    leaves_finish: bool
    enters_start: bool


class ScheduleView:
    """Read-only access to one scheduled plan. Build it with `ScheduleView(scheduler)` (or
    `Schedules.view(project_id)`); it never changes the scheduler."""

    __slots__ = ("_links", "_links_of", "_roots", "_s")

    def __init__(self, scheduler: Scheduler, roots: list[int] | None = None) -> None:
        """`roots`: the top-level nodes in outline order, when the caller knows an order the
        node numbers do not give (tasks inserted among the top level, then renumbered)."""
        self._s = scheduler
        self._roots: list[int] | None = roots
        self._links_of: list[list[ScheduledLink] | None] = [None] * len(scheduler.ids)
        self._links: dict[tuple[int, int], ScheduledLink] = {}

    def task_added(self, root_row: int | None = None) -> None:
        """The engine gained a task (`Scheduler.add_task`) as its last node: make room for
        it, and put it at `root_row` among the top-level tasks when it is one (the engine
        orders only children, and only the caller knows the new row's place)."""
        self._links_of.extend([None] * (len(self._s.ids) - len(self._links_of)))
        if root_row is not None and self._roots is not None:
            self._roots.insert(root_row, len(self._s.ids) - 1)

    # -- identity -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._s.ids)

    def __contains__(self, task_id: object) -> bool:
        return task_id in self._s.pos

    def node(self, task_id: str) -> int:
        """The node of a task; KeyError for a task not in the plan."""
        return self._s.pos[task_id]

    def task_id(self, node: int) -> str:
        return self._s.ids[node]

    def task_ids(self) -> Sequence[str]:
        """Every task id, by node."""
        return self._s.ids

    # -- outline ------------------------------------------------------------------------------

    def roots(self) -> Sequence[int]:
        """Top-level nodes in outline order."""
        if self._roots is None:
            parent = self._s.parent
            self._roots = [i for i in range(len(parent)) if parent[i] < 0]
        return self._roots

    def children(self, node: int) -> Sequence[int]:
        """A node's children in outline order; `roots()` for node -1."""
        return self.roots() if node < 0 else self._s.children[node]

    def parent(self, node: int) -> int:
        """The summary a node sits under, -1 at the top level."""
        return self._s.parent[node]

    def depth(self, node: int) -> int:
        """How many summaries a node sits under."""
        parent, depth = self._s.parent, 0
        up = parent[node]
        while up >= 0:
            depth += 1
            up = parent[up]
        return depth

    def is_under(self, node: int, ancestor: int) -> bool:
        """Is `node` somewhere below `ancestor` in the outline?"""
        parent = self._s.parent
        up = parent[node]
        while up >= 0:
            if up == ancestor:
                return True
            up = parent[up]
        return False

    def leaves(self, node: int) -> list[int]:
        """The tasks (not summaries) at or under a node."""
        return self._s.leaves(node)

    def outline_under(self, node: int) -> list[int]:
        """Every node under a node (not itself), top to bottom."""
        children = self._s.children
        order: list[int] = []
        stack = list(reversed(children[node]))
        while stack:
            i = stack.pop()
            order.append(i)
            stack.extend(reversed(children[i]))
        return order

    def outline(self) -> list[int]:
        """Every node, top to bottom as the outline shows it (a summary before its tasks)."""
        children = self._s.children
        order: list[int] = []
        stack = list(reversed(self.roots()))
        while stack:
            i = stack.pop()
            order.append(i)
            stack.extend(reversed(children[i]))
        return order

    # -- a task's inputs ----------------------------------------------------------------------

    def spec(self, node: int) -> TaskSpec:
        """The task as the scheduler was last given it (name, start constraint, duration,
        progress, people)."""
        return self._s.specs[node]

    def name(self, node: int) -> str:
        return self._s.specs[node].name

    def progress(self, node: int) -> int:
        return self._s.specs[node].progress

    def members(self, node: int) -> frozenset[str]:
        """Ids of the people on a task."""
        return self._s.specs[node].members

    def is_summary(self, node: int) -> bool:
        return bool(self._s.children[node])

    def is_milestone(self, node: int) -> bool:
        """A milestone as drawn: a summary is never one, whatever its own kind says."""
        return self._s.specs[node].milestone and not self._s.children[node]

    # -- computed dates -----------------------------------------------------------------------

    def start_ordinal(self, node: int) -> int:
        return self._s.start_o[node]

    def finish_ordinal(self, node: int) -> int:
        """The ordinal of the last day of work (inclusive)."""
        return self._s.finish_o[node]

    def start(self, task_id: str) -> date:
        return date.fromordinal(self._s.start_o[self._s.pos[task_id]])

    def finish(self, task_id: str) -> date:
        return date.fromordinal(self._s.finish_o[self._s.pos[task_id]])

    def duration(self, node: int) -> int:
        """Working days the task spans (a summary: in the agency's calendar; a milestone: 0)."""
        return self._s.duration_at(node)

    def span(self) -> tuple[date, date] | None:
        """The plan's first start and last finish; None for a plan without tasks."""
        return self._s.project_span()

    def total_float(self, node: int) -> int:
        """Working days a task can slip without delaying the plan's finish."""
        return self._s.float_at(node)

    def is_critical(self, node: int) -> bool:
        return self._s.float_at(node) <= 0

    def earliest_start(self, task_id: str) -> tuple[date | None, str]:
        """The first start a task's predecessors allow, and which one holds it and why;
        (None, "") when nothing does."""
        return self._s.earliest_start(task_id)

    def start_limit(self, task_id: str, day: date) -> tuple[date, str] | None:
        """The plan's start rule (`rules.start_limit`): the first day the predecessors allow
        and the refusal, when `day` is before it; None when `day` is allowed."""
        # Imported here: the rules read the shared schedule service, which builds views.
        from db.scheduling.rules import start_limit

        return start_limit(self._s, task_id, day)

    def watch_fixed_dates(self, task_ids: Iterable[str]) -> FixedDateWatch:
        """What a live edit of these tasks must stop at: the fixed dates it can reach
        (`rules.FixedDateWatch`)."""
        from db.scheduling.rules import FixedDateWatch

        return FixedDateWatch(self._s, task_ids)

    def downstream(self, task_id: str) -> set[str]:
        """Ids of every task whose dates may depend on this one."""
        return self._s.downstream(task_id)

    def slip(self, node: int, baseline_finish: date) -> int:
        """Working days (agency calendar) the task now finishes after `baseline_finish`;
        negative when ahead."""
        cal = self._s.calendar
        return cal.index(self._s.finish_o[node] + 1) - cal.index(baseline_finish.toordinal() + 1)

    # -- calendars ----------------------------------------------------------------------------

    @property
    def agency_calendar(self) -> WorkCalendar:
        """Working days of the agency: its week, public holidays and closures."""
        return self._s.calendar

    def calendar(self, node: int) -> WorkCalendar:
        """A task's own working days: the agency's, less its people's leave."""
        return self._s.cal[node]

    def has_leave(self) -> bool:
        """Is anyone on this plan away at some time?"""
        return bool(self._s.plan.leave)

    def leave(self, member_id: str) -> Sequence[tuple[date, date]]:
        """A person's leave as (first day, last day) ranges."""
        return self._s.plan.leave.get(member_id, _NO_LEAVE)

    # -- links ------------------------------------------------------------------------------

    def links_of(self, node: int) -> Sequence[ScheduledLink]:
        """The links that start or end at a node. Worked out per node on first request (a
        chart asks only for the rows it shows, and a reload must not pay for all 10,000);
        a link is the same object at both its ends."""
        found = self._links_of[node]
        if found is None:
            found = self._links_of[node] = self._find_links(node)
        return found

    def link_ids_of(self, task_ids: set[str]) -> set[str]:
        """The ids of the links that start or end at any of these tasks."""
        return {
            link.id
            for link in self._s.plan.links
            if link.predecessor_id in task_ids or link.successor_id in task_ids
        }

    def linked(self, predecessor: int, successor: int) -> bool:
        """Is there already a link from `predecessor` to `successor`?"""
        return any(link.successor == successor for link in self.links_of(predecessor))

    def wait_path(self, from_id: str, to_id: str) -> list[str] | None:
        """Task ids along what waits on what from one task to another (links, and a summary
        after its tasks), both ends included; None when `to_id` does not wait on `from_id`.
        A new link `to_id` → `from_id` would close exactly this loop."""
        return self._s.wait_path(from_id, to_id)

    def _find_links(self, node: int) -> list[ScheduledLink]:
        # The engine keeps a link into a summary on every task under it (`incoming`), with
        # the summary as its target: any one task under a node holds the links into it.
        s = self._s
        leaf = node
        while s.children[leaf]:
            leaf = s.children[leaf][0]
        found = [
            self._link(p, code, lag, node)
            for p, code, lag, target in s.incoming[leaf]
            if target == node
        ]
        targets: set[int] = set()
        for succ in s.outgoing[node]:
            for p, code, lag, target in s.incoming[succ]:
                if p == node and target not in targets:
                    targets.add(target)
                    found.append(self._link(p, code, lag, target))
        return found

    def _link(self, p: int, code: int, lag: int, target: int) -> ScheduledLink:
        key = (p, target)
        link = self._links.get(key)
        if link is None:
            type_ = _TYPES[code]
            link = ScheduledLink(
                p,
                target,
                type_,
                lag,
                type_ in (DependencyType.FS, DependencyType.FF),
                type_ in (DependencyType.FS, DependencyType.SS),
            )
            self._links[key] = link
        return link
