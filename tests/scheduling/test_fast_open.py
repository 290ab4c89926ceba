"""The plain sqlite3 read of a plan's first screen (`db.fast_open.plan_read`): the same plan,
people, deliverables and baseline as the session's readers, without importing SQLAlchemy or
the models; and no read at all where the app's ordinary opening must decide (an upgrade is
due, a name that names no project, the file open in another Agency Desk)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from db import instance_lock
from db.database import open_database
from db.fast_open.plan_read import read_first_look
from db.models import (
    Assignment,
    Client,
    Closure,
    MemberRole,
    Project,
    TaskConstraint,
    TaskKind,
    TeamMember,
    TimeOff,
)
from db.operations import Create, SetSetting, composite
from db.scheduling.baseline import SaveBaseline, baseline_dates, latest_baseline
from db.scheduling.operations import SetConstraint, SetKind
from db.scheduling.plan import insert_plan, load_plan
from db.scheduling.plan_reads import deliverable_ids, people_on_tasks
from db.settings import WORKING_WEEK
from db.store import Store
from tests.scheduling.plans import MON, link, plan, task

REPO = Path(__file__).resolve().parents[2]


def _agency(path: Path) -> str:
    """A plan with a summary, a milestone, a deliverable, a fixed date and a deadline, people
    (one away a week), an agency closure, a six-day week and a baseline; another project's
    tasks beside it. Returns the project's id; the database is closed."""
    store = Store(open_database(path, create=True))
    client = Create(Client, {"name": "Acme Bakery"})
    relaunch = Create(Project, {"name": "Relaunch", "client_id": client.id})
    other = Create(Project, {"name": "Relaunch shop", "client_id": client.id})
    zoe = Create(TeamMember, {"name": "zoe", "role": MemberRole.DESIGNER, "colour": "#112233"})
    ann = Create(TeamMember, {"name": "Ann", "role": MemberRole.DEVELOPER, "colour": "#445566"})
    store.apply(composite([client, relaunch, other, zoe, ann]))
    tasks = [
        task("phase"),
        replace(task("design", 3, parent="phase"), sort_order=1),
        replace(task("build", 5, parent="phase"), sort_order=2),
        replace(task("launch", 0), sort_order=3),
        replace(task("handover", 2), sort_order=4),
    ]
    insert_plan(
        store.session,
        relaunch.id,
        plan(tasks, [link("design", "build", "SS", 1), link("build", "launch")]),
    )
    insert_plan(store.session, other.id, plan([task("stock", 4)], []))
    store.session.commit()
    store.apply(
        composite(
            [
                Create(Assignment, {"task_id": "design", "member_id": zoe.id}),
                Create(Assignment, {"task_id": "design", "member_id": ann.id}),
                Create(Assignment, {"task_id": "build", "member_id": ann.id}),
                Create(Assignment, {"task_id": "stock", "member_id": zoe.id}),
                Create(
                    TimeOff,
                    {"member_id": ann.id, "start_date": MON, "end_date": date(2026, 3, 6)},
                ),
                Create(
                    Closure,
                    {
                        "name": "Moving",
                        "start_date": date(2026, 3, 9),
                        "end_date": MON.replace(day=10),
                    },
                ),
                SetSetting(WORKING_WEEK, [0, 1, 2, 3, 4, 5]),
                SetKind("handover", TaskKind.DELIVERABLE),
                SetConstraint("handover", TaskConstraint.MUST_START_ON),
                SetConstraint("launch", TaskConstraint.FINISH_NO_LATER, date(2026, 4, 30)),
            ]
        )
    )
    store.apply(SaveBaseline(relaunch.id, "Signed off"))
    store.close()
    return relaunch.id


@pytest.fixture
def agency(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "agency.sqlite"
    return path, _agency(path)


def test_the_first_look_reads_what_the_session_reads(agency: tuple[Path, str]) -> None:
    path, project_id = agency
    look = read_first_look(path, "relaunch")  # a unique name, any case
    assert look is not None
    instance_lock.release(path)
    store = Store(open_database(path))
    try:
        session = store.session
        assert (look.project_id, look.project_name, look.client_name) == (
            project_id,
            "Relaunch",
            "Acme Bakery",
        )
        assert look.plan == load_plan(session, project_id)
        assert look.plan.leave and look.plan.agency.closures  # the fixture's were read
        people: dict[str, list[tuple[str, str]]] = {}
        for task_id, name, colour in people_on_tasks(session, project_id):
            people.setdefault(task_id, []).append((name, colour))
        assert look.people == {k: tuple(v) for k, v in people.items()}
        assert look.people["design"] == (("Ann", "#445566"), ("zoe", "#112233"))
        assert look.deliverables == deliverable_ids(session, project_id) == {"handover"}
        baseline = latest_baseline(session, project_id)
        assert baseline is not None
        assert look.baseline == baseline_dates(session, baseline) != {}
    finally:
        store.close()


def test_it_holds_the_database_until_the_app_has_opened_it(agency: tuple[Path, str]) -> None:
    path, project_id = agency
    assert read_first_look(path, project_id) is not None  # by id too
    assert instance_lock.held_here(path)
    engine = open_database(path)  # the app's own opening shares the hold
    instance_lock.release(path)
    assert instance_lock.held_here(path)
    engine.dispose()
    assert not instance_lock.held_here(path)


def test_the_ordinary_opening_decides_when_in_doubt(agency: tuple[Path, str]) -> None:
    path, _project_id = agency
    assert read_first_look(path, "Nowhere") is None  # names no project
    assert read_first_look(path, "Rel") is None  # names two
    assert read_first_look(path.with_name("missing.sqlite"), "Relaunch") is None
    assert not instance_lock.held_here(path)
    engine = open_database(path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    assert read_first_look(path, "Relaunch") is None  # an upgrade is due
    assert not instance_lock.held_here(path)


HOLD = """
import sys, time
from db.database import open_database
engine = open_database(sys.argv[1])
engine.connect().close()
print("holding", flush=True)
time.sleep(120)
"""


def test_a_database_open_in_another_agency_desk_is_left_to_it(
    agency: tuple[Path, str],
) -> None:
    path, _project_id = agency
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        assert read_first_look(path, "Relaunch") is None
        assert not instance_lock.held_here(path)
    finally:
        holder.kill()
        holder.wait()


# Reads and schedules the plan in a fresh interpreter, then says what it imported.
WITHOUT_THE_DATA_LAYER = """
import sys
from pathlib import Path
from db.fast_open.plan_read import read_first_look
from db.scheduling.engine import Scheduler
from db.scheduling.schedule_view import ScheduleView
look = read_first_look(Path(sys.argv[1]), "Relaunch")
view = ScheduleView(Scheduler(look.plan))
print(len(view), view.finish("launch"))
print(sorted({m.split(".")[0] for m in sys.modules if m.startswith(("sqlalchemy", "db.models"))}))
"""


def test_a_plan_is_read_and_scheduled_without_sqlalchemy_or_the_models(
    agency: tuple[Path, str],
) -> None:
    path, _project_id = agency
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_THE_DATA_LAYER, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    scheduled, imported = done.stdout.splitlines()
    store = Store(open_database(path))
    try:
        from db.scheduling.engine import Scheduler
        from db.scheduling.schedule_view import ScheduleView

        view = ScheduleView(Scheduler(load_plan(store.session, _project_id)))
        assert scheduled == f"5 {view.finish('launch')}"
    finally:
        store.close()
    assert imported == "[]"
