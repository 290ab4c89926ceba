"""Two views, one session, one truth: every task's and project's start and finish are the same
in the Projects list, the Gantt, the client page, health and the printed summary, and so is
each project's lateness — on the demo agency and on generated ones, and again after a drag,
an undo and an edit that arrives by sync."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from sqlalchemy import select

from db.am import client_detail
from db.am.health_facts import health_at, open_project_facts
from db.database import make_engine, open_database
from db.demo import write_demo
from db.models import (
    Assignment,
    Client,
    Closure,
    Dependency,
    Project,
    ProjectStatus,
    Task,
    TaskKind,
    TeamMember,
    TimeOff,
    new_id,
)
from db.operations import Create, Operation, SetSetting, composite
from db.reports.client_summary import Audience, client_summary
from db.scheduling.generate import generated_plan
from db.scheduling.operations import MoveTask
from db.settings import HOLIDAY_COUNTRY
from db.store import Store
from db.sync import refresh_store, sync, sync_store
from desktop.gantt.document import GanttDocument
from desktop.models.projects_tree import COL_FINISH, COL_START, ProjectsTreeModel
from desktop.workspace import Workspace
from tests.sync.harness import new_station_db

DEMO_DAY = date(2025, 3, 12)
TODAY = date(2026, 3, 18)
CLOSED = (ProjectStatus.DONE, ProjectStatus.CANCELLED)
Span = tuple[date | None, date | None]


class Views:
    """The views an account manager and a project manager have open on one workspace."""

    def __init__(self, workspace: Workspace, today: date) -> None:
        self.workspace = workspace
        self.session = workspace.session
        self.today = today
        self.projects = ProjectsTreeModel(workspace)
        self.gantts: dict[str, GanttDocument] = {}
        for pid in self.session.scalars(select(Project.id)):
            document = GanttDocument(self.session, pid)
            workspace.changed.connect(document.apply_changes)
            self.gantts[pid] = document

    # -- what each view shows ----------------------------------------------------------------

    def listed(self) -> dict[str, Span]:
        """Start and finish of every project and task as the Projects list shows them."""
        model = self.projects
        found: dict[str, Span] = {}

        def walk(parent: QModelIndex) -> None:
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                node = model.node(index)
                assert node is not None
                found[node.id] = (
                    _day(index.siblingAtColumn(COL_START).data()),
                    _day(index.siblingAtColumn(COL_FINISH).data()),
                )
                walk(index)

        walk(QModelIndex())
        return found

    def charted(self) -> dict[str, Span]:
        """The same from the Gantt of each project."""
        found: dict[str, Span] = {}
        for pid, document in self.gantts.items():
            s = document.scheduler
            for tid in s.ids:
                found[tid] = (s.start(tid), s.finish(tid))
            found[pid] = s.project_span() or (None, None)
        return found

    def gantt_lateness(self, pid: str, due: date | None) -> int:
        """Working days past due as the Gantt's finish and the agency calendar give them."""
        s = self.gantts[pid].scheduler
        span = s.project_span()
        if due is None:
            return 0
        expected = max(self.today, span[1] if span else self.today)
        if expected <= due:
            return 0
        cal = s.calendar
        return cal.index(expected.toordinal() + 1) - cal.index(due.toordinal() + 1)

    # -- comparing ----------------------------------------------------------------------------

    def mismatches(self) -> list[str]:
        listed, charted = self.listed(), self.charted()
        wrong = [
            f"{kind} {self._name(i)}: list {listed.get(i)} Gantt {charted[i]}"
            for i, kind in self._ids()
            if kind == "Task" or charted[i] != (None, None)
            if listed.get(i) != charted[i]
        ]
        clients = list(self.session.execute(select(Client.id, Client.name)))
        facts = open_project_facts(self.session, self.today)
        for cid, client in clients:
            page = client_detail.projects(self.session, cid, self.today)
            shown: list[tuple[str, Span, int]] = []
            for p in page:
                start, finish = charted[p.id]
                late = 0 if p.status in CLOSED else self.gantt_lateness(p.id, p.due_date)
                if (p.planned_start, p.planned_finish, p.late_days) != (start, finish, late):
                    wrong.append(
                        f"client page, {client} / {p.name}: "
                        f"{p.planned_start} → {p.planned_finish}, {p.late_days} late; "
                        f"Gantt {start} → {finish}, {late} late"
                    )
                shown.append((p.name, (p.planned_start or p.start_date, p.planned_finish), late))
            # Health: its facts, and the reason it writes for the latest project.
            health = Counter((f.name, f.planned_finish, f.late_days) for f in facts.get(cid, ()))
            page_open = Counter(
                (p.name, p.planned_finish, p.late_days) for p in page if p.status not in CLOSED
            )
            if health != page_open:
                wrong.append(f"health facts, {client}: {sorted(health)} vs {sorted(page_open)}")
            late = sorted(((n, name) for name, _f, n in page_open if n > 0), reverse=True)
            reasons = [
                r
                for r in health_at(self.session, cid, self.today).reasons
                if re.fullmatch(r"project .+ working days? late.*", r)
            ]
            expected = []
            if late:
                more = f" ({len(late) - 1} more late)" if len(late) > 1 else ""
                days = f"{late[0][0]} working day{'s' if late[0][0] != 1 else ''}"
                expected = [f"project {late[0][1]} is {days} late{more}"]
            worst_names = {name for n, name in late if n == late[0][0]} if late else set()
            if not _same_reason(reasons, expected, worst_names):
                wrong.append(f"health reasons, {client}: {reasons} vs {expected}")
            # The printed summary: the projects it lists, with their dates and slip.
            summary = client_summary(self.session, cid, self.today, Audience.INTERNAL)
            printed = Counter(
                (p.name, (p.start, p.planned_finish), p.late_days) for p in summary.projects
            )
            if not printed <= Counter(shown):
                wrong.append(f"printed summary, {client}: {sorted(printed - Counter(shown))}")
        return wrong

    def _ids(self) -> list[tuple[str, str]]:
        found = [(pid, "Project") for pid in self.gantts]
        return found + [(tid, "Task") for d in self.gantts.values() for tid in d.scheduler.ids]

    def _name(self, id_: str) -> str:
        for pid, document in self.gantts.items():
            if id_ == pid:
                return f"project {pid[:8]}"
            if id_ in document.scheduler:
                return f"'{document.scheduler.spec(id_).name}'"
        return id_


def _day(text: str | None) -> date | None:
    if not text or text == "—":
        return None
    return datetime.strptime(text, "%d %b %Y").date()


def _same_reason(reasons: list[str], expected: list[str], worst: set[str]) -> bool:
    """Equal, allowing the reason to name any of several projects equally late."""
    if len(reasons) != len(expected):
        return False
    if not expected:
        return True
    pattern = re.escape(expected[0]).replace(re.escape(_name_in(expected[0])), "(.+)")
    found = re.fullmatch(pattern, reasons[0])
    return found is not None and found.group(1) in worst


def _name_in(reason: str) -> str:
    found = re.fullmatch(r"project (.+) is \d+ working days? late.*", reason)
    assert found
    return found.group(1)


def _a_task_with_successors(session) -> str:  # type: ignore[no-untyped-def]
    """A leaf task other tasks wait for, so moving it moves them too; one that waits for
    nothing itself (nor does a summary above it), so it may move earlier as well as later."""
    parent_of = dict(session.execute(select(Task.id, Task.parent_id)).all())
    parents = set(parent_of.values())
    waiting = set(session.scalars(select(Dependency.successor_id)))

    def free(tid: str | None) -> bool:
        while tid is not None:
            if tid in waiting:
                return False
            tid = parent_of.get(tid)
        return True

    for tid in session.scalars(select(Dependency.predecessor_id).order_by(Dependency.id)):
        if tid not in parents and free(tid):
            return str(tid)
    raise AssertionError("no linked task")


def _drag(views: Views, task_id: str, days: int) -> None:
    start = views.charted()[task_id][0]
    assert start is not None
    assert views.workspace.run(MoveTask(task_id, start + timedelta(days=days)))


# -- the demo agency ---------------------------------------------------------------------------


@pytest.fixture
def demo(tmp_path: Path, qapp: object):  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.sqlite"
    write_demo(path, 1, today=DEMO_DAY)
    store = Store(open_database(path))
    workspace = Workspace(store)
    yield Views(workspace, DEMO_DAY)
    workspace.close()
    store.close()


def test_the_demo_shows_one_schedule_everywhere(demo: Views) -> None:
    assert len(demo.charted()) > 250
    assert demo.mismatches() == []


def test_after_a_drag_and_its_undo_every_view_still_agrees(demo: Views) -> None:
    before = demo.charted()
    task = _a_task_with_successors(demo.session)
    _drag(demo, task, 14)
    after = demo.charted()
    moved = {i for i in before if before[i] != after[i]}
    assert len(moved) > 2  # the task, what waits for it, the summaries and project above
    assert demo.mismatches() == []
    demo.workspace.undo_stack.undo()
    assert demo.charted() == before
    assert demo.mismatches() == []


def test_an_edit_arriving_by_sync_reaches_every_view(tmp_path: Path, qapp: object) -> None:
    share = tmp_path / "share"
    share.mkdir()
    here, there = tmp_path / "here.sqlite", tmp_path / "there.sqlite"
    write_demo(there, 1, today=DEMO_DAY)
    sync(there, share)
    new_station_db(here)
    sync(here, share)

    store = Store(make_engine(here))
    workspace = Workspace(store)
    views = Views(workspace, DEMO_DAY)
    try:
        assert views.mismatches() == []
        before = views.charted()
        task = _a_task_with_successors(store.session)

        other = Store(make_engine(there))
        start = before[task][0]
        assert start is not None
        other.apply(MoveTask(task, start + timedelta(days=21)))
        other.close()
        sync(there, share)

        result = sync_store(store, share)
        refresh_store(store, result.changes)
        after = views.charted()
        assert after[task] != before[task]
        assert views.mismatches() == []
    finally:
        workspace.close()
        store.close()


# -- generated agencies ------------------------------------------------------------------------


def generated_agency(store: Store, seed: int) -> None:
    """Clients with projects of generated plans (summaries, milestones, all four link types
    with lags and leads), people assigned to tasks with leave, public holidays and a
    closure, due dates some plans miss."""
    rng = random.Random(seed)
    ops: list[Operation] = [SetSetting(HOLIDAY_COUNTRY, "GB")]
    people = [Create(TeamMember, {"name": f"Person {n}"}) for n in range(5)]
    ops += people
    for person in people:
        for _ in range(rng.randint(0, 2)):
            first = TODAY + timedelta(days=rng.randint(-30, 90))
            ops.append(
                Create(
                    TimeOff,
                    {
                        "member_id": person.id,
                        "start_date": first,
                        "end_date": first + timedelta(days=rng.randint(0, 9)),
                    },
                )
            )
    closed_on = TODAY + timedelta(days=rng.randint(0, 40))
    ops.append(Create(Closure, {"name": "Offsite", "start_date": closed_on, "end_date": closed_on}))
    for c in range(3):
        client = Create(
            Client, {"name": f"Client {seed}-{c}", "created_at": datetime(2025, 1, 6, 9)}
        )
        ops.append(client)
        for p in range(rng.randint(1, 3)):
            start = TODAY + timedelta(days=rng.randint(-60, 30))
            plan = generated_plan(rng.randint(3, 70), seed=rng.randint(1, 10**6), start=start)
            project = Create(
                Project,
                {
                    "client_id": client.id,
                    "name": f"Project {p}",
                    "status": rng.choice(
                        [ProjectStatus.ACTIVE, ProjectStatus.ACTIVE, ProjectStatus.DONE]
                    ),
                    "due_date": start + timedelta(days=rng.randint(10, 120)),
                },
            )
            ops.append(project)
            ids = {t.id: new_id() for t in plan.tasks}
            parents = {t.parent_id for t in plan.tasks}
            for t in plan.tasks:
                ops.append(
                    Create(
                        Task,
                        {
                            "id": ids[t.id],
                            "project_id": project.id,
                            "parent_id": ids[t.parent_id] if t.parent_id else None,
                            "name": t.name,
                            "start_date": t.start + timedelta(days=rng.randint(0, 20)),
                            "duration_days": 0 if t.milestone else t.duration,
                            "kind": TaskKind.MILESTONE if t.milestone else TaskKind.TASK,
                            "sort_order": t.sort_order,
                        },
                    )
                )
                if t.id not in parents and not t.milestone and rng.random() < 0.5:
                    for person in rng.sample(people, rng.randint(1, 2)):
                        ops.append(
                            Create(Assignment, {"task_id": ids[t.id], "member_id": person.id})
                        )
            for link in plan.links:
                ops.append(
                    Create(
                        Dependency,
                        {
                            "predecessor_id": ids[link.predecessor_id],
                            "successor_id": ids[link.successor_id],
                            "type": link.type,
                            "lag_days": link.lag,
                        },
                    )
                )
    store.apply(composite(ops))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_generated_agency_shows_one_schedule_everywhere(
    store: Store, qapp: object, seed: int
) -> None:
    generated_agency(store, seed)
    workspace = Workspace(store)
    views = Views(workspace, TODAY)
    try:
        assert views.mismatches() == []
        before = views.charted()
        _drag(views, _a_task_with_successors(store.session), -10)
        assert views.mismatches() == []
        workspace.undo_stack.undo()
        assert views.charted() == before
        assert views.mismatches() == []
    finally:
        workspace.close()
