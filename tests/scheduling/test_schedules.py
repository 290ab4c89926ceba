"""The schedule service: the engine's dates for any set of projects, one engine run per project
until a change touches it, and lateness counted one way for every view."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from db.change_scope import row_scope
from db.changes import ChangeSet
from db.models import (
    ENTITIES,
    Assignment,
    Client,
    Closure,
    Dependency,
    Project,
    Task,
    TeamMember,
    TimeOff,
)
from db.operations import Create, Delete, SetSetting, Update, composite
from db.scheduling.engine import Scheduler
from db.scheduling.plan import load_plan
from db.scheduling.schedules import Schedules, schedules_for
from db.settings import AGENCY_NAME, WORKING_WEEK
from db.store import Store
from db.sync import refresh_store, sync_store
from tests.sync.harness import bench as sync_bench

MON = date(2026, 3, 2)


@pytest.fixture
def agency(store: Store) -> dict[str, str]:
    return make_agency(store)


def make_agency(store: Store) -> dict[str, str]:
    """Three projects of two tasks each (design, then build), one without tasks, one member
    on every build."""
    ids: dict[str, str] = {}
    steps: list[Create] = [Create(Client, {"name": "Acme"}), Create(TeamMember, {"name": "Ann"})]
    ids["client"], ids["ann"] = steps[0].id, steps[1].id
    for n in range(3):
        project = Create(Project, {"name": f"P{n}", "client_id": ids["client"]})
        design = Create(
            Task,
            {"project_id": project.id, "name": "Design", "start_date": MON, "duration_days": 3},
        )
        build = Create(
            Task,
            {"project_id": project.id, "name": "Build", "start_date": MON, "duration_days": 2},
        )
        link = Create(Dependency, {"predecessor_id": design.id, "successor_id": build.id})
        who = Create(Assignment, {"task_id": build.id, "member_id": ids["ann"]})
        steps += [project, design, build, link, who]
        ids[f"p{n}"], ids[f"design{n}"], ids[f"build{n}"] = project.id, design.id, build.id
        ids[f"link{n}"], ids[f"who{n}"] = link.id, who.id
    empty = Create(Project, {"name": "Empty", "client_id": ids["client"]})
    steps.append(empty)
    ids["empty"] = empty.id
    store.apply(composite(steps))
    return ids


def projects(ids: dict[str, str]) -> list[str]:
    return [ids["p0"], ids["p1"], ids["p2"], ids["empty"]]


def engine_span(store: Store, project_id: str) -> tuple[date, date] | None:
    return Scheduler(load_plan(store.session, project_id)).project_span()


def test_spans_are_the_engines_and_cost_one_run_per_project(store: Store, agency) -> None:
    s = store.schedules
    spans = s.spans(projects(agency))
    assert spans[agency["p0"]] == (MON, MON + timedelta(days=4))  # design Mon-Wed, build Thu-Fri
    assert spans[agency["empty"]] is None
    assert s.runs == 3  # a project without tasks needs no engine
    s.spans(projects(agency))
    s.scheduler(agency["p1"])
    assert s.runs == 3
    assert schedules_for(store.session) is s  # readers given only the session share it
    build = s.task(agency["build0"])
    assert build is not None
    assert (build.start, build.finish) == (MON + timedelta(days=3), MON + timedelta(days=4))
    assert s.scheduler(agency["p0"]).critical(agency["build0"])
    assert s.task("no such task") is None


def test_an_edit_reruns_only_the_project_it_touches(store: Store, agency) -> None:
    s = store.schedules
    s.spans(projects(agency))
    store.apply(Update(Task, agency["design1"], {"duration_days": 5}))
    store.apply(Update(Client, agency["client"], {"name": "Acme Ltd"}))
    store.apply(SetSetting(AGENCY_NAME, "Studio North"))
    spans = s.spans(projects(agency))
    assert s.runs == 3  # a new duration is scheduled in place: no project runs again
    assert spans[agency["p1"]] == engine_span(store, agency["p1"])
    assert spans[agency["p1"]] == (MON, MON + timedelta(days=8))
    stamp = s.stamp(agency["p1"])
    store.apply(Update(Task, agency["design1"], {"start_date": MON + timedelta(days=7)}))
    assert s.stamp(agency["p1"]) != stamp  # readers see that the dates moved
    assert s.span(agency["p1"]) == engine_span(store, agency["p1"])
    assert s.runs == 3
    store.apply(Update(Task, agency["design1"], {"sort_order": 99}))  # a new shape: dropped
    assert s.span(agency["p1"]) == engine_span(store, agency["p1"])
    assert s.runs == 4


@pytest.mark.parametrize(
    "edit",
    [
        "link removed",
        "assignment removed",
        "leave added",
        "leave removed",
        "task removed",
        "task added",
    ],
)
def test_links_people_and_leave_reach_their_project(store: Store, agency, edit: str) -> None:
    s = store.schedules
    leave = Create(
        TimeOff, {"member_id": agency["ann"], "start_date": MON, "end_date": MON + timedelta(7)}
    )
    if edit == "leave removed":
        store.apply(leave)
    s.spans(projects(agency))
    runs = s.runs
    if edit == "link removed":
        store.apply(Delete(Dependency, agency["link0"]))
        touched = {agency["p0"]}
    elif edit == "assignment removed":
        store.apply(Delete(Assignment, agency["who2"]))
        touched = {agency["p2"]}
    elif edit == "leave added":
        store.apply(leave)
        touched = {agency["p0"], agency["p1"], agency["p2"]}
    elif edit == "leave removed":
        store.apply(Delete(TimeOff, leave.id))
        touched = {agency["p0"], agency["p1"], agency["p2"]}
    elif edit == "task removed":
        store.apply(Delete(Task, agency["design1"]))
        touched = {agency["p1"]}
    else:
        store.apply(
            Create(Task, {"project_id": agency["empty"], "name": "Kick-off", "start_date": MON})
        )
        touched = {agency["empty"]}
    assert s.cached() == {agency["p0"], agency["p1"], agency["p2"]} - touched
    spans = s.spans(projects(agency))
    assert s.runs == runs + len(touched)
    for pid in projects(agency):
        assert spans[pid] == engine_span(store, pid), pid


def test_the_calendar_changing_reschedules_everything(store: Store, agency) -> None:
    s = store.schedules
    before = s.spans(projects(agency))
    store.apply(SetSetting(WORKING_WEEK, [0, 1, 2, 3]))
    after = s.spans(projects(agency))
    assert after[agency["p0"]] == (MON, MON + timedelta(days=7))  # Friday off: Mon-Wed, Thu-Mon
    assert after != before
    store.apply(Create(Closure, {"name": "Moving", "start_date": MON, "end_date": MON}))
    assert s.span(agency["p0"]) == engine_span(store, agency["p0"])


def _delete_with_sql(conn: sqlite3.Connection, changes: ChangeSet, entity: str, id_: str) -> None:
    """Delete a row as sync does: its scope read first, while it and its parents are there."""
    table = ENTITIES[entity].__table__.name
    cur = conn.execute(f'SELECT * FROM "{table}" WHERE id = ?', (id_,))
    row = dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))
    scope = row_scope(conn, entity, row, {})
    assert scope is not None
    changes.scope[(entity, id_)] = scope
    conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (id_,))
    changes.add("removed", entity, [id_])


def test_a_change_written_elsewhere_is_picked_up_from_its_change_set(store: Store, agency) -> None:
    """Sync writes through its own connection, then calls `Store.notify` with what it did:
    the rows it removed carry their scope, the others are looked up."""
    s = store.schedules
    s.spans(projects(agency))
    path = store.engine.url.database
    assert path
    changes = ChangeSet()
    conn = sqlite3.connect(path)
    with conn:
        _delete_with_sql(conn, changes, "Dependency", agency["link2"])
        conn.execute(
            "UPDATE task SET duration_days = 4 WHERE id = ?",
            (agency["design0"],),
        )
    conn.close()
    store.session.commit()  # end the read snapshot, as sync's refresh does
    changes.add("changed", "Task", [agency["design0"]])
    store.notify(changes)
    assert s.cached() == {agency["p1"]}
    assert s.span(agency["p0"]) == (MON, MON + timedelta(days=7))
    assert s.span(agency["p2"]) == (MON, MON + timedelta(days=2))  # build no longer waits


def test_a_removal_nobody_can_place_drops_every_schedule(store: Store, agency) -> None:
    """A row gone without a scope (a snapshot rebuild) could have been anyone's."""
    s = store.schedules
    s.spans(projects(agency))
    changes = ChangeSet()
    changes.add("removed", "Task", ["a task nobody saw go"])
    store.notify(changes)
    assert s.cached() == set()


def test_a_task_edit_keeps_the_other_projects_and_a_deletion_drops_its_own(
    store: Store, agency
) -> None:
    s = store.schedules
    s.spans(projects(agency))
    runs = s.runs
    store.apply(Update(Task, agency["build0"], {"name": "Build it"}))
    store.apply(Update(Task, agency["build0"], {"progress": 50}))
    assert s.cached() == {agency["p0"], agency["p1"], agency["p2"]}  # followed in place
    store.session.expire_all()  # the deleted task is not loaded: its scope still is known
    store.apply(Delete(Task, agency["build1"]))
    assert s.cached() == {agency["p0"], agency["p2"]}
    assert s.runs == runs
    assert s.span(agency["p1"]) == (MON, MON + timedelta(days=2))  # only the design is left


def test_a_task_moved_to_another_project_drops_both(store: Store, agency) -> None:
    s = store.schedules
    s.spans(projects(agency))
    store.apply(Delete(Dependency, agency["link0"]))
    s.spans(projects(agency))
    store.apply(Update(Task, agency["build0"], {"project_id": agency["empty"]}))
    assert s.cached() == {agency["p1"], agency["p2"]}
    for pid in projects(agency):
        assert s.span(pid) == engine_span(store, pid)


def test_a_pulled_change_drops_only_the_projects_it_touches(tmp_path: Path) -> None:
    """Two stations: what one edits and deletes reaches the other's schedules through sync's
    change set, project by project."""
    with sync_bench(tmp_path, 2) as bench:
        a, b = bench.stations
        ids = make_agency(a.open())
        bench.sync(a)
        store = b.open()
        refresh_store(store, bench.sync(b).changes)
        s = store.schedules
        assert s.spans(projects(ids))[ids["p0"]] == (MON, MON + timedelta(days=4))
        a.apply(Update(Task, ids["design0"], {"duration_days": 5}))
        a.apply(Delete(Task, ids["build1"]))
        bench.sync(a)
        runs = s.runs
        refresh_store(store, sync_store(store, bench.share).changes)
        assert s.cached() == {ids["p2"]}
        spans = s.spans(projects(ids))
        assert s.runs == runs + 2
        assert spans[ids["p0"]] == (MON, MON + timedelta(days=8))
        assert spans[ids["p1"]] == (MON, MON + timedelta(days=2))
        for pid in projects(ids):
            assert spans[pid] == engine_span(store, pid), pid


def test_a_failed_operation_leaves_no_stale_dates(store: Store, agency) -> None:
    s = store.schedules
    s.spans(projects(agency))
    with pytest.raises(Exception):  # noqa: B017 - whatever the database says
        store.apply(
            composite(
                [
                    Update(Task, agency["design0"], {"duration_days": 9}),
                    Create(Task, {"project_id": "no such project", "name": "x"}),
                ]
            )
        )
    assert s.span(agency["p0"]) == (MON, MON + timedelta(days=4))


def test_a_session_without_a_store_forgets_on_its_own_writes(store: Store, agency) -> None:
    from sqlalchemy.orm import Session

    with Session(store.engine) as session:
        s = schedules_for(session)
        assert s is not store.schedules
        assert s.span(agency["p0"]) == (MON, MON + timedelta(days=4))
        task = session.get(Task, agency["build0"])
        assert task is not None
        task.duration_days = 6
        session.commit()
        assert s.span(agency["p0"]) == (MON, MON + timedelta(days=10))


@pytest.mark.parametrize(
    ("due", "finish", "as_of", "late"),
    [
        # Due Tuesday of last week, nothing planned beyond it, today Wednesday: 6 working days.
        (date(2026, 3, 10), None, date(2026, 3, 18), 6),
        # Planned to finish two weeks after its due date: 10 working days.
        (date(2026, 4, 1), date(2026, 4, 15), date(2026, 3, 18), 10),
        (date(2026, 4, 1), date(2026, 3, 30), date(2026, 3, 18), 0),
        (None, date(2026, 3, 30), date(2026, 3, 18), 0),
    ],
)
def test_lateness_counts_working_days_past_due(
    store: Store, due: date | None, finish: date | None, as_of: date, late: int
) -> None:
    assert Schedules(store.session).late_days(due, finish, as_of) == late


def test_lateness_skips_the_agencys_closures(store: Store) -> None:
    store.apply(
        Create(
            Closure,
            {"name": "Spring", "start_date": date(2026, 4, 6), "end_date": date(2026, 4, 7)},
        )
    )
    assert store.schedules.late_days(date(2026, 4, 1), date(2026, 4, 15), date(2026, 3, 1)) == 8


def test_health_of_many_clients_schedules_each_project_once(store: Store, agency) -> None:
    """Health reads every client's open projects in one batch and keeps the schedules: the
    client list, Today and the client page reading it again run the engine no more."""
    from db.am.health_facts import health_at, health_for_clients
    from db.models import Interaction, InteractionKind

    more = [Create(Client, {"name": f"Client {n}"}) for n in range(20)]
    store.apply(composite(more))
    s = store.schedules
    health_for_clients(store.session, MON)
    assert s.runs == 3
    health_for_clients(store.session, MON - timedelta(days=7))
    health_at(store.session, agency["client"], MON)
    store.apply(
        Create(
            Interaction,
            {"client_id": agency["client"], "kind": InteractionKind.CALL, "occurred_at": MON},
        )
    )
    health_for_clients(store.session, MON, [agency["client"]])
    assert s.runs == 3


def test_undoing_a_project_delete_puts_its_schedule_back_without_a_run(
    store: Store, agency: dict[str, str]
) -> None:
    """Delete a project from its list and press Ctrl+Z at once: the rows are back as they
    went, so its schedule comes back as it was, with no engine run."""
    from db.tree_delete import DeleteTree

    s = store.schedules
    s.spans(projects(agency))
    before = s.span(agency["p1"])
    delete = DeleteTree([(Project, agency["p1"])])
    store.apply(delete)
    assert s.span(agency["p1"]) is None  # gone: nothing to schedule
    runs = s.runs
    store.revert(delete)
    assert s.span(agency["p1"]) == before == engine_span(store, agency["p1"])
    assert s.runs == runs
    build = s.task(agency["build1"])
    assert build is not None and build.start == MON + timedelta(days=3)
    # It follows the next edit as any cached schedule does.
    store.apply(Update(Task, agency["design1"], {"duration_days": 5}))
    assert s.span(agency["p1"]) == engine_span(store, agency["p1"])


def test_a_change_between_the_delete_and_its_undo_schedules_the_project_again(
    store: Store, agency: dict[str, str]
) -> None:
    """Ann's leave, booked while the project was deleted, moves its build once it is back:
    the schedule kept aside at the delete is not used."""
    from db.tree_delete import DeleteTree

    s = store.schedules
    s.spans(projects(agency))
    delete = DeleteTree([(Project, agency["p1"])])
    store.apply(delete)
    store.apply(
        Create(
            TimeOff,
            {"member_id": agency["ann"], "start_date": MON, "end_date": MON + timedelta(days=7)},
        )
    )
    runs = s.runs
    store.revert(delete)
    assert s.span(agency["p1"]) == engine_span(store, agency["p1"])
    assert s.span(agency["p1"]) != (MON, MON + timedelta(days=4))  # the build waits for Ann
    assert s.runs == runs + 1
