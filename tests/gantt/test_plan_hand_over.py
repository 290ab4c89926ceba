"""The Gantt takes over the plan `agency-desk --project` read and scheduled for its first look
(`db.fast_open.hand_over`) instead of reading and scheduling it again, and shows exactly what
its own read would; whenever the file changed after the look read it, it reads it again."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from db import instance_lock
from db.database import open_database
from db.fast_open.hand_over import ScheduledPlan, still_current
from db.fast_open.plan_read import FirstLook, read_first_look
from db.scheduling.operations import ResizeTask
from db.store import Store
from desktop.gantt.document import GanttDocument
from tests.scheduling.test_fast_open import _agency


@pytest.fixture
def agency(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "agency.sqlite"
    return path, _agency(path)


def first_look(path: Path) -> ScheduledPlan:
    """What the first look holds once it has painted: its read, scheduled; the lock given
    back as the app's engine takes it."""
    look = read_first_look(path, "Relaunch")
    assert look is not None
    instance_lock.release(path)
    return ScheduledPlan.of(look)


def shown(doc: GanttDocument) -> list[tuple[object, ...]]:
    """Every row as the Gantt shows it, top to bottom."""
    v = doc.schedule
    return [
        (
            doc.wbs[node],
            v.name(node),
            v.start_ordinal(node),
            v.finish_ordinal(node),
            v.duration(node),
            doc.people.get(v.task_id(node)),
            doc.colour_of(v.task_id(node)),
            v.task_id(node) in doc.deliverables,
            doc.slip(node),
            v.is_summary(node),
            v.is_critical(node),
            v.total_float(node),
        )
        for node in doc.rows
    ]


def test_the_gantt_takes_the_first_looks_plan_and_shows_what_it_would_read(
    agency: tuple[Path, str],
) -> None:
    path, project_id = agency
    handed = first_look(path)
    store = Store(open_database(path))
    try:
        calendars = store.schedules.calendars
        taken = GanttDocument(store.session, project_id, calendars, scheduled=handed)
        read = GanttDocument(store.session, project_id, calendars)
        assert taken.scheduler is handed.scheduler  # not read and scheduled a second time
        assert shown(taken) == shown(read)
        assert (taken.assignees, taken.deliverables, taken.baseline) == (
            read.assignees,
            read.deliverables,
            read.baseline,
        )
        assert taken.baseline and taken.deliverables and taken.assignees  # all were there
        # It edits as a read one does: a longer task moves what follows it.
        store.apply(ResizeTask("design", 6))
        taken.reload()
        read.reload()
        assert shown(taken) == shown(read)
    finally:
        store.close()


def test_a_plan_changed_by_another_program_since_the_look_is_read_again(
    agency: tuple[Path, str],
) -> None:
    """The look holds the file against other Agency Desks, not against every program."""
    path, project_id = agency
    handed = first_look(path)
    other = sqlite3.connect(path)
    with other:
        other.execute("UPDATE task SET name = 'Design sprint' WHERE id = 'design'")
    other.close()
    store = Store(open_database(path))
    try:
        assert not still_current(store.session, handed)
        doc = GanttDocument(store.session, project_id, scheduled=handed)
        assert doc.scheduler is not handed.scheduler
        assert "Design sprint" in [doc.schedule.name(node) for node in doc.rows]
    finally:
        store.close()


def test_a_plan_changed_by_this_app_since_the_look_is_read_again(
    agency: tuple[Path, str],
) -> None:
    path, project_id = agency
    handed = first_look(path)
    store = Store(open_database(path))
    try:
        store.apply(ResizeTask("build", 9))
        doc = GanttDocument(store.session, project_id, scheduled=handed)
        assert doc.scheduler is not handed.scheduler
        assert doc.schedule.duration(doc.node("build")) == 9
    finally:
        store.close()


@pytest.mark.parametrize(
    "unlike",
    [
        pytest.param(lambda look: replace(look, stamp=None), id="a look with no stamp"),
        pytest.param(lambda look: replace(look, project_id="another"), id="another project"),
    ],
)
def test_a_plan_the_gantt_cannot_vouch_for_is_read_again(
    agency: tuple[Path, str], unlike: object
) -> None:
    path, project_id = agency
    handed = first_look(path)
    assert callable(unlike)
    look: FirstLook = unlike(handed.look)
    store = Store(open_database(path))
    try:
        doc = GanttDocument(
            store.session, project_id, scheduled=ScheduledPlan(look, handed.scheduler)
        )
        assert doc.scheduler is not handed.scheduler
        assert shown(doc) == shown(GanttDocument(store.session, project_id))
    finally:
        store.close()
