"""The reads a plan's screens make (people on tasks, deliverables, a task's links and
people, the costs and change requests lists) as named `db/` functions, on a real database
without Qt."""

from __future__ import annotations

from datetime import date

from db.models import (
    Client,
    Contact,
    MemberRole,
    Project,
    TaskConstraint,
    TaskKind,
    TeamMember,
)
from db.operations import Create, composite
from db.project_money import (
    AddChangeRequest,
    AddCost,
    change_requests,
    client_contacts,
    cost_entries,
    project_currency,
    task_names,
)
from db.scheduling.operations import Link, SetConstraint, SetKind
from db.scheduling.plan import insert_plan
from db.scheduling.plan_reads import (
    active_member_names,
    deliverable_ids,
    link_between,
    links_of_task,
    people_on_task,
    people_on_tasks,
    task_rows,
)
from db.scheduling.staffing import Assign
from db.store import Store
from tests.scheduling.plans import MON, plan, task


def _project(store: Store) -> str:
    client = Create(Client, {"name": "Acme", "currency": "CHF"})
    proj = Create(Project, {"name": "Relaunch", "client_id": client.id})
    eva = Create(Contact, {"client_id": client.id, "name": "Eva"})
    al = Create(Contact, {"client_id": client.id, "name": "Al"})
    store.apply(composite([client, proj, eva, al]))
    insert_plan(store.session, proj.id, plan([task("design", 3), task("build", 5)]))
    store.session.commit()
    return proj.id


def test_who_is_on_which_task_and_what_links_them(store: Store) -> None:
    project = _project(store)
    zoe = TeamMember(name="zoe", role=MemberRole.PROJECT_MANAGER, colour="#112233")
    ann = TeamMember(name="Ann", role=MemberRole.PROJECT_MANAGER, colour="#445566")
    gone = TeamMember(name="Bob", role=MemberRole.PROJECT_MANAGER, active=False)
    store.session.add_all([zoe, ann, gone])
    store.session.commit()
    assign = Assign("design", zoe.id, 4.0)
    store.apply(assign)
    store.apply(Assign("design", ann.id))
    store.apply(Link("design", "build"))
    assert people_on_tasks(store.session, project) == [
        ("design", "Ann", "#445566"),
        ("design", "zoe", "#112233"),
    ]
    on_design = people_on_task(store.session, "design")
    assert [(name, hours) for _a, _m, name, hours in on_design] == [("Ann", 8.0), ("zoe", 4.0)]
    assert (assign.id, zoe.id) in [(a, m) for a, m, _n, _h in on_design]
    assert active_member_names(store.session) == ["Ann", "zoe"]
    dep = link_between(store.session, "design", "build")
    assert dep is not None and link_between(store.session, "build", "design") is None
    assert [d.id for d in links_of_task(store.session, "build")] == [dep]


def test_an_edited_tasks_inputs_as_the_engine_takes_them(store: Store) -> None:
    project = _project(store)
    store.apply(SetKind("build", TaskKind.DELIVERABLE))
    store.apply(SetConstraint("design", TaskConstraint.FINISH_NO_LATER, date(2026, 3, 20)))
    assert deliverable_ids(store.session, project) == {"build"}
    rows = task_rows(store.session, ["design", "build", "gone"])
    assert set(rows) == {"design", "build"}
    design = rows["design"].spec(frozenset({"m1"}))
    assert (design.start, design.duration, design.finish_by, design.fixed) == (
        MON,
        3,
        date(2026, 3, 20),
        False,
    )
    assert design.members == frozenset({"m1"}) and rows["design"].project_id == project
    store.apply(SetConstraint("design", TaskConstraint.MUST_START_ON))
    fixed = task_rows(store.session, ["design"])["design"].spec()
    assert fixed.fixed and fixed.finish_by is None
    assert task_rows(store.session, []) == {}


def test_what_the_costs_and_changes_screen_lists(store: Store) -> None:
    project = _project(store)
    assert project_currency(store.session, project) == "CHF"
    assert [n for _i, n in client_contacts(store.session, project)] == ["Al", "Eva"]
    assert task_names(store.session, project) == [("design", "Design"), ("build", "Build")]
    store.apply(AddCost(project, date(2026, 3, 4), 100_00))
    store.apply(AddCost(project, date(2026, 3, 2), 50_00))
    assert [c.amount_cents for c in cost_entries(store.session, project)] == [50_00, 100_00]
    store.apply(AddChangeRequest(project, "Later", date(2026, 3, 9), task_ids=["build"]))
    store.apply(AddChangeRequest(project, "Sooner", date(2026, 3, 3), task_ids=["design"]))
    found = change_requests(store.session, project)
    assert [r.description for r in found] == ["Sooner", "Later"]
    assert [link.task_id for link in found[1].tasks] == ["build"]
