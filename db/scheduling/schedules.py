"""The one schedule every reader shares: the engine's dates for any set of projects, cached
per project and dropped when a change touches that project.

The Projects list, the client page, health, Today, the agenda, printing and sync's refresh all
read task and project dates here, so they can never disagree with the Gantt (which runs the
same engine on the same inputs). Nothing here knows about Qt.

Where it lives: a `Store` makes one for its session (`store.schedules`) and keeps it in
`session.info`, so every reader that only has the session — the `db.am` and `db.reports`
functions — finds the same cache through `schedules_for(session)`. A session without a store
(the CLI, the Today worker thread, tests) gets its own, which forgets everything whenever that
session writes.

Keeping it fresh: every change set says which project each row belongs to, and which team
member a leave is of (its scope, `db.change_scope`, resolved while deleted rows are still
loaded), so the service never traces ids back itself.
* ORM writes in the session reach `flushed` with the flush's change set. An edit of a task's
  dates or duration is scheduled in place there, as the Gantt does it (only its successors
  move); anything else drops the projects the rows are scoped to.
* Everything else that changes the database under the session (sync, restoring a conflict)
  ends in `Store.notify(changes)`, which calls `invalidate(changes)`.
* A row without a scope (removed outside the session by a path that could not say whose it
  was), a rolled-back transaction, or a bulk statement the session cannot itemise clears it
  all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

from db.change_scope import flush_changes
from db.changes import ChangeSet
from db.core_reads import read
from db.models import Task, TaskConstraint, TaskKind
from db.scheduling.calendar import AgencyDays, CalendarPool
from db.scheduling.engine import Scheduled, Scheduler
from db.scheduling.lateness import late_days
from db.scheduling.plan import Plan, agency_days, load_plans
from db.scheduling.schedule_view import ScheduleView

_INFO_KEY = "agency_desk.schedules"
# Entities that change the agency's calendar for every project.
_AGENCY = ("AgencySetting", "Closure")
# Entities whose rows are scoped to the one project whose plan they are part of.
_PLANNED = ("Task", "Dependency", "Assignment")
# Task columns whose change reshapes a plan (its tree, its order): a cached schedule of it is
# dropped rather than followed in place.
_SHAPE_FIELDS = ("project_id", "parent_id", "sort_order")
# SQLite allows a limited number of bound values per statement.
_BATCH = 5_000


class Schedules:
    """Scheduled projects of one session, computed on first read and kept until a change
    touches them.

    Read with `view(pid)` (the read API: dates, float, critical path, links, outline),
    `scheduler(pid)` / `schedulers(pids)` (the engine itself), `span(pid)` / `spans(pids)`
    (a project's first start and last finish), `task(tid)` and `late_days(due, finish,
    as_of)`.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.calendars = CalendarPool()
        self._agency: AgencyDays | None = None
        self._agency_dirty = False  # a settings row or closure changed: compare on next read
        self._plans: dict[str, Scheduler] = {}
        self._spans: dict[str, tuple[date, date] | None] = {}
        # The cached projects each member works on: their plans hold the member's leave.
        self._member_projects: dict[str, set[str]] = defaultdict(set)
        self.runs = 0  # engine runs so far: tests check a change re-runs only what it touches
        # Bumped each time a project's schedule is dropped (and `_epoch` on `clear`), so a view
        # can tell whether what it shows is still current even after another reader has
        # scheduled the project again.
        self._generation: dict[str, int] = {}
        self._epoch = 0
        # Rows whose change this cache already followed at a flush (scheduled in place, or
        # its project dropped, and anything read since is fresh): the change set that
        # reports them after the commit (see `invalidate`) has nothing left to drop.
        self._flushed: set[str] = set()
        # The schedules of the projects the last change removed, until anything else
        # changes: an undo of that delete puts them back (`put_back`) instead of scheduling
        # thousands of tasks again.
        self._removed: dict[str, Scheduler] = {}

    # -- reading ------------------------------------------------------------------------------

    @property
    def agency(self) -> AgencyDays:
        """The agency's working days the cached schedules were computed with. After a change
        of settings or closures, the first read compares them with the database's and drops
        every schedule when the calendar really changed (renaming the agency does not)."""
        if self._agency_dirty:
            self._agency_dirty = False
            fresh = agency_days(self.session)
            if fresh != self._agency:
                self.clear()
            self._agency = fresh
        elif self._agency is None:
            self._agency = agency_days(self.session)
        return self._agency

    def scheduler(self, project_id: str) -> Scheduler:
        """The engine scheduled over one project (read-only: callers must not edit it)."""
        return self.schedulers([project_id])[project_id]

    def view(self, project_id: str) -> ScheduleView:
        """One project's schedule through the read API (`db.scheduling.schedule_view`)."""
        return ScheduleView(self.scheduler(project_id))

    def schedulers(self, project_ids: Iterable[str]) -> dict[str, Scheduler]:
        wanted = list(dict.fromkeys(project_ids))
        _ = self.agency  # drops stale schedules first when the calendar changed
        missing = [pid for pid in wanted if pid not in self._plans]
        for first in range(0, len(missing), _BATCH):
            self._load(missing[first : first + _BATCH])
        return {pid: self._plans[pid] for pid in wanted}

    def span(self, project_id: str) -> tuple[date, date] | None:
        """A project's first start and last finish; None when it has no tasks."""
        return self.spans([project_id])[project_id]

    def spans(self, project_ids: Iterable[str]) -> dict[str, tuple[date, date] | None]:
        """Spans of many projects; projects without tasks cost no engine run."""
        wanted = list(dict.fromkeys(project_ids))
        _ = self.agency
        unknown = [pid for pid in wanted if pid not in self._spans]
        if unknown:
            task = Task.__table__.c
            with_tasks = set(
                self._scalars(
                    # Table columns: the client list's health asks before the first paint.
                    select(task.project_id).where(task.project_id.in_(chunk)).distinct()
                    for chunk in _chunks(unknown)
                )
            )
            for pid in unknown:
                if pid not in with_tasks:
                    self._spans[pid] = None
            self.schedulers(pid for pid in unknown if pid in with_tasks)
        return {pid: self._spans[pid] for pid in wanted}

    def task(self, task_id: str) -> Scheduled | None:
        """A task's computed dates, None for a task that does not exist."""
        project_id = self.session.scalar(select(Task.project_id).where(Task.id == task_id))
        if project_id is None:
            return None
        s = self.scheduler(project_id)
        return s.scheduled(task_id) if task_id in s else None

    def stamp(self, project_id: str) -> tuple[int, int]:
        """Changes whenever the project's schedule is dropped or rescheduled in place:
        equal stamps, same dates."""
        return self._epoch, self._generation.get(project_id, 0)

    def working_days(self, first: date, last: date) -> int:
        """The agency's working days from `first` to `last`, both included."""
        cal = self.calendars.calendar(self.agency, CalendarPool.origin(min(first, last)))
        return cal.index(last.toordinal() + 1) - cal.index(first.toordinal())

    def late_days(self, due: date | None, finish: date | None, as_of: date) -> int:
        """Working days an open project is, or is planned to be, past its due date (see
        `db.scheduling.lateness`)."""
        return late_days(self.calendars, self.agency, due, finish, as_of)

    # -- loading ------------------------------------------------------------------------------

    def _load(self, project_ids: list[str]) -> None:
        for pid, plan in load_plans(self.session, project_ids, self.agency).items():
            self._keep(pid, plan)

    def _keep(self, project_id: str, plan: Plan) -> None:
        s = Scheduler(plan, self.calendars)
        self.runs += 1
        self._plans[project_id] = s
        self._spans[project_id] = s.project_span()
        for t in plan.tasks:
            for member in t.members:
                self._member_projects[member].add(project_id)

    def _scalars(self, queries: Iterable[Any]) -> list[Any]:
        return [value for query in queries for value in read(self.session, query).scalars()]

    # -- forgetting ---------------------------------------------------------------------------

    def forget(self, project_ids: Iterable[str]) -> None:
        """Drop these projects' schedules; the next read schedules them again."""
        for pid in project_ids:
            self._generation[pid] = self._generation.get(pid, 0) + 1
            self._spans.pop(pid, None)
            s = self._plans.pop(pid, None)
            if s is None:
                continue
            for member in {m for t in s.plan.tasks for m in t.members}:
                projects = self._member_projects.get(member, set())
                projects.discard(pid)

    def clear(self) -> None:
        """Forget everything (the agency's calendar changed, or a write could not be traced)."""
        self._epoch += 1
        self._agency = None
        self._agency_dirty = False
        self.calendars.clear()
        self._plans.clear()
        self._spans.clear()
        self._member_projects.clear()
        self._flushed.clear()
        self._removed.clear()

    def __contains__(self, project_id: object) -> bool:
        """Is this project's schedule kept (reading it runs no engine)?"""
        return project_id in self._plans

    def cached(self) -> set[str]:
        """Ids of the projects scheduled and kept."""
        return set(self._plans)

    def invalidate(self, changes: ChangeSet) -> None:
        """Drop the schedules of the projects `changes` touches, as its scope names them
        (rows this cache already followed at their flush excepted)."""
        self._removed = {}
        seen, self._flushed = self._flushed, set()
        if seen:
            changes = _without(changes, seen)
        if not changes:
            return
        if changes.touches(*_AGENCY):
            self._agency_dirty = True
        if not self._plans and not self._spans:
            return  # nothing cached: no scope to resolve
        self._drop_touched(changes)

    def _drop_touched(self, changes: ChangeSet) -> None:
        """Forget the projects whose plans the rows of `changes` are part of: a task, link or
        assignment's project, the plans a member on leave works on, a removed project. A row
        without a scope could be anyone's: everything goes. The schedules of removed
        projects are kept aside for an undo (`put_back`)."""
        gone = changes.removed.get("Project", set())
        removed = {pid: self._plans[pid] for pid in gone if pid in self._plans}
        touched = set(gone)
        if changes.touches(*_PLANNED):
            projects = changes.projects(*_PLANNED)
            if projects is None:
                self.clear()
                return
            touched |= projects
        if changes.touches("TimeOff"):
            members = changes.members("TimeOff")
            if members is None:
                self.clear()
                return
            touched |= self._projects_of_members(members)
        # A member's own row changes no plan; one removed leaves the plans it worked on.
        touched |= self._projects_of_members(changes.removed.get("TeamMember", set()))
        self.forget(touched)
        self._removed = removed

    def put_back(self, restored: ChangeSet) -> None:
        """The rows of projects the last change removed are back exactly as they were (the
        undo of that delete, nothing else written since): their schedules come back as
        they were kept aside, with no engine run, and the restored rows count as followed
        (`invalidate` has nothing to drop for them). All or nothing: a project whose
        schedule was not kept is scheduled again when read, as usual."""
        removed, self._removed = self._removed, {}
        projects = restored.added.get("Project", set())
        if not projects or not projects <= removed.keys():
            return
        for pid in projects:
            s = removed[pid]
            self._plans[pid] = s
            self._spans[pid] = s.project_span()
            self._generation[pid] = self._generation.get(pid, 0) + 1
            for t in s.plan.tasks:
                for member in t.members:
                    self._member_projects[member].add(pid)
        for entity in restored.entities():
            for row_id in restored.ids(entity):
                scope = restored.scope.get((entity, row_id))
                if entity == "Project" or (scope is not None and scope.project in projects):
                    self._flushed.add(row_id)

    def _projects_of_members(self, member_ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for m in member_ids:
            found |= self._member_projects.get(m, set())
        return found

    # -- following a session's own writes ----------------------------------------------------

    def follow(self, session: Session, *, own_flushes: bool = True) -> None:
        """Follow the session's own writes: a rollback or a bulk statement forgets all, and
        (with `own_flushes`) each flush reaches `flushed`. A store passes its own flush's
        change set to `flushed` instead, so the scopes are resolved once."""
        if own_flushes:
            event.listen(session, "after_flush", self._after_flush)
        event.listen(session, "after_rollback", self._after_rollback)
        event.listen(session, "do_orm_execute", self._on_execute)

    def _after_flush(self, session: Session, _context: object) -> None:
        if not self._plans and not self._spans and self._agency is None:
            return  # nothing cached (a session writing a new agency): no scope to resolve
        self.flushed(session, flush_changes(session, {}))

    def flushed(self, session: Session, step: ChangeSet) -> None:
        """Follow what a flush of the session writes (`step`, its rows with their scope):
        a task's new dates are scheduled in place, anything else drops its projects."""
        self._removed = {}
        for entity in step.entities():
            self._flushed |= step.ids(entity)
        if not self._plans and not self._spans and self._agency is None:
            return
        if step.touches(*_AGENCY):
            self._agency_dirty = True
        edited = step.changed.get("Task", set())
        moved: set[str] = set()  # projects a task left
        followed: set[str] = set()
        for obj in session.dirty:
            if isinstance(obj, Task) and obj.id in edited:
                moved |= {p for p in inspect(obj).attrs.project_id.history.deleted if p}
                if self._reschedule(obj, step):
                    followed.add(obj.id)
        rest = _without(step, followed) if followed else step
        self.forget(moved)
        self._drop_touched(rest)

    def _reschedule(self, task: Task, step: ChangeSet) -> bool:
        """Follow an edit of a cached task's dates, duration, kind, name or progress in
        place, as the Gantt does (a move reschedules its successors, not the project), so
        an operation that checks a rule against the schedule after its flush costs no
        engine run. False when the edit changes the plan's shape: the project is dropped."""
        scope = step.scope.get(("Task", task.id))
        project_id = scope.project if scope is not None else None
        s = self._plans.get(project_id) if project_id is not None else None
        if s is None or task.id not in s:
            return False
        attrs = inspect(task).attrs
        if any(attrs[key].history.has_changes() for key in _SHAPE_FIELDS):
            return False
        old = s.spec(task.id)
        milestone = task.kind == TaskKind.MILESTONE or task.duration_days == 0
        s.update(
            [
                replace(
                    old,
                    name=task.name,
                    start=task.start_date,
                    duration=0 if milestone else task.duration_days,
                    milestone=milestone,
                    progress=task.progress,
                    fixed=task.constraint_kind == TaskConstraint.MUST_START_ON,
                    finish_by=task.finish_by
                    if task.constraint_kind == TaskConstraint.FINISH_NO_LATER
                    else None,
                )
            ]
        )
        assert project_id is not None
        self._spans[project_id] = s.project_span()
        self._generation[project_id] = self._generation.get(project_id, 0) + 1
        return True

    def _after_rollback(self, _session: Session) -> None:
        self.clear()

    def _on_execute(self, state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            self.clear()


def _without(changes: ChangeSet, ids: set[str]) -> ChangeSet:
    """`changes` less the rows named in `ids`, the others keeping their scope."""
    kept = ChangeSet(scope=changes.scope, resolve=changes.resolve)
    for kind in ("added", "changed", "removed"):
        for entity, found in getattr(changes, kind).items():
            rest = found - ids
            if rest:
                kept.add(kind, entity, rest)
    return kept


def _chunks(ids: Collection[str]) -> Iterable[list[str]]:
    items = list(ids)
    for first in range(0, len(items), _BATCH):
        yield items[first : first + _BATCH]


def schedules_for(session: Session) -> Schedules:
    """The session's schedule service: its store's, or one made for this session now."""
    found = session.info.get(_INFO_KEY)
    if found is None:
        found = Schedules(session)
        found.follow(session)
        session.info[_INFO_KEY] = found
    assert isinstance(found, Schedules)
    return found


def attach(session: Session, schedules: Schedules) -> None:
    """Make `schedules` the one `schedules_for(session)` returns (the store's)."""
    schedules.follow(session, own_flushes=False)
    session.info[_INFO_KEY] = schedules
