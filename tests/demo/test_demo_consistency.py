"""The demo agency is internally consistent: it passes the app's own field rules, its trees,
dependencies and links stay inside one project or client, and its dates make sense around
the day it was laid out for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from db.database import open_database
from db.demo import demo_counts, populate
from db.models import (
    ENTITIES,
    Baseline,
    BaselineTask,
    Client,
    ClientNote,
    ClientStatus,
    Contact,
    Dependency,
    DependencyType,
    Entity,
    FollowUp,
    Gift,
    GiftState,
    Horizon,
    Interaction,
    InteractionContact,
    NoteKind,
    Opportunity,
    OpportunityStage,
    Project,
    ProjectStatus,
    Task,
    TaskKind,
    TimeOff,
)
from db.store import Store
from db.validation import check_values

TODAY = date(2025, 3, 12)  # a Wednesday


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    path: Path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    engine = open_database(path, create=True)
    with Session(engine) as s:
        populate(s, 1, today=TODAY)
        yield s
    engine.dispose()


def all_of(session: Session, model: type[Entity]) -> list[Any]:
    return list(session.scalars(select(model)))


def test_the_headline_counts(session: Session) -> None:
    for model, count in demo_counts(1).items():
        assert len(all_of(session, model)) == count, model.__name__


def test_every_row_passes_the_field_rules(session: Session) -> None:
    for name, model in ENTITIES.items():
        columns = [c.key for c in inspect(model).column_attrs]
        for row in all_of(session, model):
            check_values(name, {c: getattr(row, c) for c in columns}, partial=False)


def test_every_vocabulary_is_shown(session: Session) -> None:
    assert {c.status for c in all_of(session, Client)} == set(ClientStatus)
    notes = all_of(session, ClientNote)
    assert {n.kind for n in notes} == set(NoteKind)
    assert {n.horizon for n in notes} == set(Horizon)
    assert {(n.kind, n.horizon) for n in notes} >= {(k, h) for k in NoteKind for h in Horizon}
    assert {o.stage for o in all_of(session, Opportunity)} == set(OpportunityStage)
    assert {g.state for g in all_of(session, Gift)} == set(GiftState)
    assert {p.status for p in all_of(session, Project)} == set(ProjectStatus)
    assert {t.kind for t in all_of(session, Task)} == set(TaskKind)
    dependencies = all_of(session, Dependency)
    assert {d.type for d in dependencies} == set(DependencyType)
    assert any(d.lag_days > 0 for d in dependencies)
    assert any(d.lag_days < 0 for d in dependencies)
    assert len({c.currency for c in all_of(session, Client)}) >= 3


def test_task_trees_stay_in_their_project(session: Session) -> None:
    tasks = {t.id: t for t in all_of(session, Task)}
    depth = {}
    for task in tasks.values():
        level, node = 1, task
        while node.parent_id is not None:
            parent = tasks[node.parent_id]
            assert parent.project_id == task.project_id
            node, level = parent, level + 1
            assert level < 10, "parent loop"
        depth[task.id] = level
    assert max(depth.values()) >= 3  # phases -> groups -> tasks somewhere
    for project in all_of(session, Project):
        assert 15 <= len(project.tasks) <= 30


def test_summaries_span_their_children(session: Session) -> None:
    for task in all_of(session, Task):
        if task.children:
            assert task.start_date == min(c.start_date for c in task.children)
            assert all(c.start_date >= task.start_date for c in task.children)
            assert task.duration_days >= max(c.duration_days for c in task.children)
        if task.kind is TaskKind.MILESTONE:
            assert task.duration_days == 0
            assert not task.children


def test_dependencies_stay_in_a_project_and_never_loop(session: Session) -> None:
    tasks = {t.id: t for t in all_of(session, Task)}
    successors: dict[str, list[str]] = defaultdict(list)
    for dep in all_of(session, Dependency):
        assert dep.predecessor_id != dep.successor_id
        assert tasks[dep.predecessor_id].project_id == tasks[dep.successor_id].project_id
        successors[dep.predecessor_id].append(dep.successor_id)

    state: dict[str, int] = {}  # 1: on the current path, 2: finished

    def visit(task_id: str) -> None:
        state[task_id] = 1
        for nxt in successors[task_id]:
            assert state.get(nxt) != 1, "dependency cycle"
            if nxt not in state:
                visit(nxt)
        state[task_id] = 2

    for task_id in tasks:
        if task_id not in state:
            visit(task_id)


def test_finish_to_start_links_are_honoured(session: Session) -> None:
    for dep in all_of(session, Dependency):
        if dep.type is DependencyType.FS and dep.lag_days >= 0:
            assert dep.successor.start_date >= dep.predecessor.start_date


def test_plans_sit_around_today(session: Session) -> None:
    for project in all_of(session, Project):
        assert project.start_date is not None and project.due_date is not None
        assert project.start_date <= project.due_date
        for task in project.tasks:
            assert project.start_date <= task.start_date <= project.due_date
            assert task.start_date.weekday() < 5
            assert 0 <= task.progress <= 100
        if project.status is ProjectStatus.DONE:
            assert project.due_date < TODAY
            assert all(t.progress == 100 for t in project.tasks)
        if project.status is ProjectStatus.PLANNED:
            assert project.start_date > TODAY
            assert all(t.progress == 0 for t in project.tasks)
        if project.status is ProjectStatus.ACTIVE:
            assert project.start_date <= TODAY <= project.due_date
    assert {b.project_id for b in all_of(session, Baseline)}
    for planned in all_of(session, BaselineTask):
        assert planned.start_date <= planned.finish_date


def test_the_relationship_is_dated_in_the_past_year(session: Session) -> None:
    now = datetime.combine(TODAY, datetime.max.time())
    year_ago = datetime.combine(TODAY - timedelta(days=366), datetime.min.time())
    for interaction in all_of(session, Interaction):
        assert year_ago <= interaction.occurred_at <= now
        assert interaction.occurred_at.weekday() < 5
    follow_ups = all_of(session, FollowUp)
    assert any(f.done_at is None and f.due_date < TODAY for f in follow_ups)  # overdue
    assert any(f.done_at is not None for f in follow_ups)
    assert any(f.due_date >= TODAY for f in follow_ups)
    for off in all_of(session, TimeOff):
        assert off.start_date <= off.end_date


def test_people_belong_to_the_client_they_are_linked_through(session: Session) -> None:
    contacts = {c.id: c for c in all_of(session, Contact)}
    interactions = {i.id: i for i in all_of(session, Interaction)}
    for link in all_of(session, InteractionContact):
        assert contacts[link.contact_id].client_id == interactions[link.interaction_id].client_id
    for gift in all_of(session, Gift):
        if gift.contact_id is not None:
            assert contacts[gift.contact_id].client_id == gift.client_id
    for follow_up in all_of(session, FollowUp):
        assert follow_up.client_id or follow_up.project_id
        if follow_up.client_id and follow_up.project_id:
            assert follow_up.project.client_id == follow_up.client_id
    for client in all_of(session, Client):
        assert client.contacts, client.name


def test_birthdays_come_with_and_without_a_year(session: Session) -> None:
    dates = [d for c in all_of(session, Contact) for d in c.important_dates]
    birthdays = [d for d in dates if d.label == "Birthday"]
    assert len(birthdays) == len(all_of(session, Contact))
    assert any(d.year is None for d in birthdays)
    assert any(d.year is not None for d in birthdays)


def test_populate_goes_through_the_workspace_store(store: Store) -> None:
    populate(store.session, 1, today=TODAY)
    assert len(store.session.scalars(select(Task)).all()) == 250
    assert store.setting("agency_name") == "Harbour & Pine Studio"


def test_the_same_day_gives_the_same_agency(tmp_path: Path) -> None:
    made = iter(range(10))

    def names_and_ids(today: date) -> list[tuple[str, str]]:
        engine = open_database(tmp_path / f"{next(made)}.sqlite", create=True)
        with Session(engine) as s:
            populate(s, 1, today=today)
            rows = [(t.id, t.name) for t in s.scalars(select(Task).order_by(Task.id))]
        engine.dispose()
        return rows

    assert names_and_ids(TODAY) == names_and_ids(TODAY)
    assert names_and_ids(TODAY) != names_and_ids(TODAY + timedelta(days=1))


def test_scale_must_be_positive(store: Store) -> None:
    with pytest.raises(ValueError, match="scale"):
        populate(store.session, 0)


@pytest.mark.parametrize("day", [TODAY, date(2026, 1, 1), date(2026, 11, 29)])
def test_the_demo_has_a_client_whose_health_fell_this_week(tmp_path: Path, day: date) -> None:
    from db.am.today import health_drops

    engine = open_database(tmp_path / "demo.sqlite", create=True)
    with Session(engine) as s:
        populate(s, 1, today=day)
        assert health_drops(s, day), "Today's 'Health dropped this week' would be empty"
    engine.dispose()
