"""Microsoft Project XML: each of the format's traps, read from a file in MS Project's shape,
imported as one undo step, exported and read back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from db.io import read_path
from db.io.mspdi_read import duration_minutes
from db.io.mspdi_write import write_mspdi
from db.io.project_file import Constraint
from db.io.project_plan import Cause
from db.models import Assignment, Dependency, DependencyType, Project, Task, TeamMember, TimeOff
from db.store import Store
from tests.io.helpers import import_path, row_counts, shape


def test_reads_the_traps_of_the_format(files: Path) -> None:
    project = read_path(files / "launch.xml")
    assert project.format == "MSPDI"
    assert project.name == "Spring Launch"  # the Title, not the file name in <Name>
    assert project.company == "Acme Outdoor"
    tasks = {t.key: t for t in project.tasks}
    # UID 0 is the project's summary, not a task: its notes become the project's.
    assert "0" not in tasks
    assert project.notes == "Campaign for the spring range."
    # The outline comes from OutlineLevel in ID order.
    assert tasks["11"].parent_key == "10" and tasks["12"].parent_key == "10"
    assert tasks["21"].parent_key == "20" and tasks["30"].parent_key is None
    # Links name their predecessor by UID; Type 3 is SS and 0 is FF; LinkLag is tenths of a
    # minute (4800 = one 8-hour day), negative for a lead.
    links = {(link.predecessor_key, link.successor_key): link for link in project.links}
    assert links[("11", "12")].type is DependencyType.SS and links[("11", "12")].lag_days == 1
    assert links[("21", "22")].type is DependencyType.FF and links[("21", "22")].lag_days == -1
    assert links[("21", "24")].type is DependencyType.SS and links[("21", "24")].lag_days == -1
    assert links[("22", "23")].type is DependencyType.FS
    # Working durations: PT40H0M0S is five days of eight hours.
    assert tasks["12"].duration_days == 5
    assert tasks["30"].milestone and tasks["30"].duration_days == 0
    assert tasks["23"].constraint is Constraint.START_NO_EARLIER
    assert tasks["23"].constraint_date == date(2025, 3, 19)
    # The project calendar: a four-day week and one exception written in both forms.
    assert project.calendar.working_week == frozenset({0, 1, 2, 3})
    assert project.calendar.days_off == [(date(2025, 3, 18), date(2025, 3, 18))]
    # People: the placeholder UID 0 and the material resource are no one; Mia's own calendar
    # exception is her leave.
    assert [r.name for r in project.resources] == ["Mia Lorenz"]
    assert project.resources[0].leave == [(date(2025, 3, 24), date(2025, 3, 25))]
    assert [(a.task_key, a.resource_key) for a in project.assignments] == [("21", "1")]


def test_durations_are_working_time() -> None:
    assert duration_minutes("PT16H0M0S", 480) == 960
    assert duration_minutes("PT7H30M0S", 480) == 450
    assert duration_minutes("P2DT4H0M0S", 480) == 2 * 480 + 240
    assert duration_minutes("PT0H0M0S", 480) == 0


def test_import_is_one_undo_step(store: Store, files: Path) -> None:
    before = row_counts(store)
    plan = import_path(store, files / "launch.xml")
    session = store.session
    project = session.get(Project, plan.project_id)
    assert project is not None and project.name == "Spring Launch"
    assert project.client.name == "Acme Outdoor"
    names = {t.name: t for t in project.tasks}
    assert len(names) == 9
    assert names["Research"].parent is names["Concept"]
    assert names["Launch"].kind.value == "milestone"
    assert names["Research"].progress == 100
    assert names["Research"].notes == "Interviews with five store managers."
    links = session.scalars(select(Dependency)).all()
    assert {(d.predecessor.name, d.successor.name, d.type.value, d.lag_days) for d in links} == {
        ("Research", "Moodboards", "SS", 1),
        ("Moodboards", "Photo shoot", "FS", 0),
        ("Photo shoot", "Retouching", "FF", -1),
        ("Photo shoot", "Copy", "SS", -1),
        ("Retouching", "Print run", "FS", 0),
        ("Print run", "Launch", "FS", 0),
    }
    mia = session.scalars(select(TeamMember)).one()
    assert (mia.name, mia.email) == ("Mia Lorenz", "mia@example.com")
    assert [(t.start_date, t.end_date) for t in mia.time_off] == [
        (date(2025, 3, 24), date(2025, 3, 25))
    ]
    assert session.scalars(select(Assignment)).one().task.name == "Photo shoot"

    changes = store.revert(plan.operation)
    assert row_counts(store) == before
    assert len(changes.removed["Task"]) == 9
    changes = store.apply(plan.operation)  # redo brings back the very same rows
    assert store.session.get(Project, plan.project_id) is not None
    # Every row is announced, though written in bulk: views refresh from this.
    assert {t.id for t in project.tasks} == changes.added["Task"]
    assert len(changes.added["Dependency"]) == 6


def test_date_report_names_each_moved_task_and_why(store: Store, files: Path) -> None:
    plan = import_path(store, files / "launch.xml")
    moved = {d.name: d for d in plan.differences}
    # Agency Desk works Fridays; the file's studio calendar does not.
    assert moved["Moodboards"].cause is Cause.CALENDAR
    assert "Fri 07 Mar 2025" in moved["Moodboards"].reason
    assert moved["Moodboards"].file_finish == date(2025, 3, 11)
    assert moved["Moodboards"].finish == date(2025, 3, 10)
    assert "follows 'Moodboards'" in moved["Photo shoot"].reason
    assert "Research" not in moved  # same dates in both calendars
    assert all(line.count("(") >= 1 for line in plan.report_lines())


def test_keep_file_dates_pins_moved_tasks_as_start_no_earlier_than(
    store: Store, files: Path
) -> None:
    plan = import_path(store, files / "launch.xml", keep_file_dates=True)
    tasks = {t.name: t for t in store.session.scalars(select(Task))}
    assert tasks["Photo shoot"].start_date == date(2025, 3, 12)
    scheduler = store.schedules.scheduler(plan.project_id)
    assert scheduler.start(tasks["Photo shoot"].id) == date(2025, 3, 12)
    # What still differs differs by the calendar only, never by an earlier start.
    for diff in plan.differences:
        assert diff.start >= diff.file_start


def test_constraints_that_cannot_be_held_are_reported(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "late.xml"
    path.write_text(
        '<Project xmlns="http://schemas.microsoft.com/project"><Title>Late</Title><Tasks>'
        "<Task><UID>1</UID><ID>1</ID><Name>Brief</Name><OutlineLevel>1</OutlineLevel>"
        "<Start>2025-06-02T08:00:00</Start><Finish>2025-06-02T17:00:00</Finish>"
        "<Duration>PT8H0M0S</Duration></Task>"
        "<Task><UID>2</UID><ID>2</ID><Name>Print</Name><OutlineLevel>1</OutlineLevel>"
        "<Start>2025-06-10T08:00:00</Start><Finish>2025-06-10T17:00:00</Finish>"
        "<Duration>PT8H0M0S</Duration><ConstraintType>1</ConstraintType>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type></PredecessorLink>"
        "</Task>"
        "<Task><UID>3</UID><ID>3</ID><Name>Wait</Name><OutlineLevel>1</OutlineLevel>"
        "<Start>2025-06-03T08:00:00</Start><Finish>2025-06-05T17:00:00</Finish>"
        "<Duration>PT24H0M0S</Duration>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
        "<LinkLag>14400</LinkLag><LagFormat>8</LagFormat></PredecessorLink>"
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
        "<LinkLag>5000</LinkLag><LagFormat>19</LagFormat></PredecessorLink>"
        "</Task></Tasks></Project>",
        encoding="utf-8",
    )
    plan = import_path(store, path)
    moved = {d.name: d for d in plan.differences}
    assert moved["Print"].cause is Cause.CONSTRAINT
    assert "as late as possible" in moved["Print"].reason
    # A second link between the same tasks is skipped, and the preview says so.
    assert any("second link" in line for line in plan.summary.lines())


def test_export_then_import_gives_the_same_project(
    store: Store, files: Path, tmp_path: Path
) -> None:
    first = import_path(store, files / "launch.xml", keep_file_dates=True)
    out = tmp_path / "out.xml"
    out.write_bytes(write_mspdi(store.session, first.project_id))
    again = import_path(store, out)
    assert again.project_name == "Spring Launch"
    assert not again.differences  # Agency Desk's own dates come back exactly
    assert shape(store, again.project_id) == shape(store, first.project_id)
    # The people are the same team members, not copies, and their leave is not doubled.
    assert len(store.session.scalars(select(TeamMember)).all()) == 1
    assert len(store.session.scalars(select(TimeOff)).all()) == 1


def test_undo_also_removes_rows_others_hung_on_the_import(store: Store, files: Path) -> None:
    """A link another station added to an imported task (arriving by sync) goes with the
    import when it is undone, and the change set names it."""
    from db.operations import Create

    before = row_counts(store)
    plan = import_path(store, files / "launch.xml")
    tasks = {t.name: t.id for t in store.session.scalars(select(Task))}
    extra = Create(
        Dependency, {"predecessor_id": tasks["Research"], "successor_id": tasks["Launch"]}
    )
    store.apply(extra)
    changes = store.revert(plan.operation)
    assert row_counts(store) == before
    assert extra.id in changes.removed["Dependency"]
