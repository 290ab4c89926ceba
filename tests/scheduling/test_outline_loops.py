"""The loop check of an indent, read near the edit, agrees with the whole-plan check on every
plan; an outdent never closes a loop (which is why it is not checked)."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from db.database import open_database
from db.models import Client, Project, Task
from db.operations import Create, composite
from db.scheduling import outline_loops
from db.scheduling.graph import outline_has_loop
from db.scheduling.operations import _ids_and_links
from db.scheduling.outline_loops import indent_closes_loop
from db.scheduling.plan import Plan, insert_plan
from db.store import Store
from tests.scheduling.plans import link, plan, task
from tests.scheduling.test_properties import plans


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[Store, str]]:
    """One project to fill with each example's plan, rolled back after it."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(open_database(Path(folder) / "agency.sqlite", create=True))
        client = Create(Client, {"name": "Acme"})
        project = Create(Project, {"name": "Plans", "client_id": client.id})
        store.apply(composite([client, project]))
        yield store, project.id
        store.close()


def _loop_free(p: Plan) -> bool:
    tasks = [(t.id, t.parent_id) for t in p.tasks]
    return not outline_has_loop(tasks, [(x.predecessor_id, x.successor_id) for x in p.links])


def _siblings(p: Plan) -> dict[str | None, list[str]]:
    found: dict[str | None, list[str]] = {}
    for t in sorted(p.tasks, key=lambda t: t.sort_order):
        found.setdefault(t.parent_id, []).append(t.id)
    return found


def _set_parent(store: Store, task_id: str, parent_id: str | None) -> None:
    store.session.execute(update(Task).where(Task.id == task_id).values(parent_id=parent_id))


@settings(max_examples=300, deadline=None)
@given(plans(), st.data())
def test_an_indent_closes_a_loop_exactly_when_the_whole_plan_check_finds_one(
    shared: tuple[Store, str], p: Plan, data: st.DataObject
) -> None:
    store, project_id = shared
    assume(_loop_free(p))
    pairs = [(kids[k - 1], kids[k]) for kids in _siblings(p).values() for k in range(1, len(kids))]
    assume(pairs)
    above, moved = data.draw(st.sampled_from(pairs))
    try:
        insert_plan(store.session, project_id, p)
        _set_parent(store, moved, above)
        expected = outline_has_loop(*_ids_and_links(store.session, project_id))
        event(f"loop: {expected}")
        assert indent_closes_loop(store.session, moved, above) == expected
    finally:
        store.session.rollback()


@settings(max_examples=200, deadline=None)
@given(plans(), st.data())
def test_an_outdent_never_closes_a_loop(
    shared: tuple[Store, str], p: Plan, data: st.DataObject
) -> None:
    store, project_id = shared
    assume(_loop_free(p))
    parent_of = {t.id: t.parent_id for t in p.tasks}
    nested = [t for t, up in parent_of.items() if up is not None]
    assume(nested)
    moved = data.draw(st.sampled_from(nested))
    up = parent_of[moved]
    assert up is not None
    try:
        insert_plan(store.session, project_id, p)
        _set_parent(store, moved, parent_of[up])
        assert not outline_has_loop(*_ids_and_links(store.session, project_id))
    finally:
        store.session.rollback()


def test_a_walk_past_its_limit_leaves_the_answer_to_the_whole_plan_check(
    shared: tuple[Store, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan whose downstream is larger than the walk may visit: no answer, so the edit
    falls back on reading the whole plan."""
    store, project_id = shared
    chain = [f"c{i}" for i in range(12)]
    p = plan(
        [task(i) for i in chain] + [task("last")],
        [link(a, b) for a, b in itertools.pairwise(chain)],
    )
    monkeypatch.setattr(outline_loops, "WALK_LIMIT", 5)
    try:
        insert_plan(store.session, project_id, p)
        _set_parent(store, "last", chain[-1])
        assert indent_closes_loop(store.session, "last", chain[-1]) is False
        _set_parent(store, "last", None)
        _set_parent(store, "c1", "c0")
        assert indent_closes_loop(store.session, "c1", "c0") is None
    finally:
        store.session.rollback()
