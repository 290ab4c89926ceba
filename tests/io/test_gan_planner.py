"""GanttProject and GNOME Planner files: their own traps, imported whole, and .gan written and
read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from db.io import read_path
from db.io.gan_write import write_gan
from db.io.project_file import Constraint
from db.io.project_plan import Cause
from db.models import DependencyType, Task, TeamMember, TimeOff
from db.store import Store
from tests.io.helpers import import_path, row_counts, shape


def test_gan_links_sit_in_the_predecessor_with_their_own_type_codes(files: Path) -> None:
    project = read_path(files / "rebrand.gan")
    assert project.format == "GanttProject"
    tasks = {t.name: t for t in project.tasks}
    assert tasks["Logo"].parent_key == tasks["Design"].key  # nested <task>
    assert tasks["Sign-off"].milestone
    assert tasks["Discovery"].notes == "Workshops with the owners & staff."
    links = {
        (
            tasks_by_key(project)[link.predecessor_key],
            tasks_by_key(project)[link.successor_key],
        ): link
        for link in project.links
    }
    assert links[("Discovery", "Logo")].type is DependencyType.FS  # type 2
    assert links[("Logo", "Type & colour")].type is DependencyType.SS  # type 1
    assert links[("Logo", "Type & colour")].lag_days == 2  # difference
    assert links[("Logo", "Shop signage")].type is DependencyType.FF  # type 3
    assert links[("Logo", "Shop signage")].lag_days == -1
    assert links[("Discovery", "Photography")].rubber  # hardness="Rubber"
    # The default week and a dated holiday; a holiday without a year is not a date.
    assert project.calendar.working_week == frozenset(range(5))
    assert project.calendar.days_off == [(date(2025, 4, 18), date(2025, 4, 18))]
    people = {r.name: r for r in project.resources}
    assert people["Jonas Berg"].leave == [(date(2025, 4, 22), date(2025, 4, 23))]
    loads = {(a.task_key, a.resource_key): a.hours_per_day for a in project.assignments}
    assert loads == {("1", "0"): 8.0, ("4", "1"): 4.0}


def tasks_by_key(project: object) -> dict[str, str]:
    return {t.key: t.name for t in project.tasks}  # type: ignore[attr-defined]


def test_gan_import_keeps_rubber_successors_where_the_file_has_them(
    store: Store, files: Path
) -> None:
    plan = import_path(store, files / "rebrand.gan")
    tasks = {t.name: t for t in store.session.scalars(select(Task))}
    scheduler = store.schedules.scheduler(plan.project_id)
    # A rubber link lets Photography sit later than Discovery + 2 days: it keeps its date.
    assert tasks["Photography"].start_date == date(2025, 4, 21)
    assert scheduler.start(tasks["Photography"].id) == date(2025, 4, 21)
    # A strong link places its successor: Logo follows Discovery.
    assert scheduler.start(tasks["Logo"].id) == date(2025, 4, 7)
    leave = {
        (m.name, t.start_date, t.end_date)
        for m in store.session.scalars(select(TeamMember))
        for t in m.time_off
    }
    assert ("Ada Kowalski", date(2025, 5, 5), date(2025, 5, 9)) in leave
    moved = {d.name: d for d in plan.differences}
    assert set(moved) == {"Sign-off"}
    assert moved["Sign-off"].cause is Cause.LINK


def test_gan_round_trip(store: Store, files: Path, tmp_path: Path) -> None:
    first = import_path(store, files / "rebrand.gan")
    out = tmp_path / "out.gan"
    out.write_bytes(write_gan(store.session, first.project_id))
    again = import_path(store, out)
    assert again.project_name == "Rebrand"
    assert shape(store, again.project_id) == shape(store, first.project_id)
    assert len(store.session.scalars(select(TimeOff)).all()) == 2  # not doubled


def test_planner_dates_seconds_and_named_types(files: Path) -> None:
    project = read_path(files / "website.planner")
    assert project.format == "Planner"
    assert project.name == "Website relaunch" and project.start == date(2025, 5, 5)
    tasks = {t.name: t for t in project.tasks}
    assert tasks["Interviews"].parent_key == tasks["Content"].key
    # yyyyMMddTHHmmssZ; an end at 17:00 is that day.
    assert (tasks["Texts"].start, tasks["Texts"].finish) == (date(2025, 5, 7), date(2025, 5, 9))
    assert tasks["Texts"].duration_days == 3
    assert tasks["Go live"].milestone
    assert tasks["Review"].constraint is Constraint.START_NO_EARLIER
    by_key = {t.key: t.name for t in project.tasks}
    links = {(by_key[k.predecessor_key], by_key[k.successor_key]): k for k in project.links}
    assert links[("Texts", "Build")].type is DependencyType.SS
    assert links[("Texts", "Build")].lag_days == 1  # 28800 seconds: one 8-hour day
    assert links[("Build", "Review")].type is DependencyType.FF
    # Day types: 1 = non-working in the base calendar; Tom's own days off are leave, and his
    # "2 = as the base" days are not.
    assert project.calendar.days_off == [(date(2025, 5, 29), date(2025, 5, 29))]
    tom = project.resources[0]
    assert tom.name == "Tom Reyes"
    assert tom.leave == [(date(2025, 5, 12), date(2025, 5, 13))]
    assert [r.name for r in project.resources] == ["Tom Reyes"]  # the room is no person


def test_planner_import_and_undo(store: Store, files: Path) -> None:
    before = row_counts(store)
    plan = import_path(store, files / "website.planner")
    assert plan.project_name == "Website relaunch"
    moved = {d.name: d for d in plan.differences}
    assert "leave" in moved["Build"].reason
    store.revert(plan.operation)
    assert row_counts(store) == before
