"""A project's costs, budget and burn, and change requests accepted or rejected as one edit:
the tasks slip through the engine, the budget grows, and the client's timeline says so."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.errors import ValidationError
from db.models import (
    ChangeRequest,
    ChangeRequestStatus,
    Client,
    Contact,
    CostEntry,
    Interaction,
    Project,
)
from db.operations import Create, composite
from db.project_money import (
    AddChangeRequest,
    AddCost,
    DecideChangeRequest,
    EditChangeRequest,
    EditCost,
    SetBudget,
    burn,
    client_burns,
)
from db.scheduling.engine import Scheduler
from db.scheduling.operations import SetProgress
from db.scheduling.plan import insert_plan, load_plan
from db.store import Store
from tests.scheduling.plans import link, plan, task


@pytest.fixture
def project(store: Store) -> str:
    client = Create(Client, {"name": "Acme"})
    proj = Create(Project, {"name": "Relaunch", "client_id": client.id, "budget_cents": 1_000_00})
    contact = Create(Contact, {"id": "eva", "client_id": client.id, "name": "Eva"})
    store.apply(composite([client, proj, contact]))
    tasks = [task("design", 3), task("build", 5), task("launch", 0), task("phase", 1)]
    tasks.append(task("inner", 2, parent="phase"))
    insert_plan(
        store.session, proj.id, plan(tasks, [link("design", "build"), link("build", "launch")])
    )
    store.session.commit()
    return proj.id


def starts(store: Store, project_id: str) -> dict[str, date]:
    s = Scheduler(load_plan(store.session, project_id))
    return {i: s.start(i) for i in s.ids}


def test_costs_budget_and_burn(store: Store, project: str) -> None:
    assert burn(store.session, project).ratio == 0
    store.apply(AddCost(project, date(2026, 3, 3), 250_00, "Fonts", task_id="design"))
    cost = AddCost(project, date(2026, 3, 4), 250_00)
    store.apply(cost)
    store.apply(AddCost(project, date(2099, 1, 1), 900_00, "Not spent yet"))
    store.apply(SetProgress("design", 100))  # 3 of 10 working days done
    figure = burn(store.session, project, today=date(2026, 3, 10))
    assert (figure.spent_cents, figure.ratio, figure.complete) == (500_00, 0.5, 30)
    assert figure.over
    store.apply(SetBudget(project, 2_000_00))
    assert burn(store.session, project, today=date(2026, 3, 10)).ratio == 0.25
    store.apply(EditCost(cost.id, {"task_id": "build"}))
    assert store.get(CostEntry, cost.id).task_id == "build"  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="budget"):
        store.apply(SetBudget(project, -5))


def test_a_clients_burns_list_its_running_projects_with_money(store: Store, project: str) -> None:
    client_id = store.get(Project, project).client_id  # type: ignore[union-attr]
    idle = Create(Project, {"name": "Idle", "client_id": client_id})
    done = Create(
        Project,
        {"name": "Done", "client_id": client_id, "budget_cents": 5_00, "status": "done"},
    )
    store.apply(composite([idle, done]))
    store.apply(AddCost(project, date(2026, 3, 3), 400_00))
    store.apply(SetProgress("design", 100))
    burns = client_burns(store.session, client_id, today=date(2026, 3, 10))
    assert [(name, b.spent_cents, b.ratio, b.complete) for name, b in burns] == [
        ("Relaunch", 400_00, 0.4, 30)
    ]
    assert burns[0][1].over


def test_accepting_a_change_request_slips_its_tasks_grows_the_budget_and_tells_the_am(
    store: Store, project: str
) -> None:
    before = starts(store, project)
    request = AddChangeRequest(
        project,
        "Add a product configurator",
        date(2026, 3, 2),
        contact_id="eva",
        schedule_days=2,
        cost_cents=400_00,
        task_ids=["build"],
    )
    store.apply(request)
    accept = DecideChangeRequest(request.id, accept=True)
    store.apply(accept)
    assert accept.label == "Accept change request “Add a product configurator”"
    after = starts(store, project)
    assert (after["launch"] - before["launch"]).days == 2  # Fri → Tue: two working days later
    assert store.get(Project, project).budget_cents == 1_400_00  # type: ignore[union-attr]
    stored = store.get(ChangeRequest, request.id)
    assert stored is not None and stored.status == ChangeRequestStatus.APPROVED
    note = store.session.scalars(select(Interaction)).one()
    assert "Add a product configurator" in note.summary and "+2 working days" in note.summary
    with pytest.raises(ValidationError, match="already approved"):
        store.apply(DecideChangeRequest(request.id, accept=True))
    store.revert(accept)  # one undo takes all of it back
    assert starts(store, project) == before
    assert store.get(Project, project).budget_cents == 1_000_00  # type: ignore[union-attr]
    assert store.session.scalars(select(Interaction)).all() == []
    store.apply(accept)  # redo: the same note, the same moment
    assert store.session.scalars(select(Interaction)).one().id == accept.interaction_id


def test_change_request_refusals_name_the_field(store: Store, project: str) -> None:
    with pytest.raises(ValidationError, match="Schedule impact: 'Launch' is a milestone"):
        store.apply(AddChangeRequest(project, "x", date(2026, 3, 2), task_ids=["launch"]))
    with pytest.raises(ValidationError, match="'Phase' is a summary"):
        store.apply(AddChangeRequest(project, "x", date(2026, 3, 2), task_ids=["phase"]))
    request = AddChangeRequest(project, "Fewer pages", date(2026, 3, 2), schedule_days=-9)
    store.apply(request)
    store.apply(EditChangeRequest(request.id, task_ids=["design"]))
    with pytest.raises(ValidationError, match="less than one working day"):
        store.apply(DecideChangeRequest(request.id, accept=True))
    reject = DecideChangeRequest(request.id, accept=False)
    store.apply(reject)
    assert store.get(ChangeRequest, request.id).status == ChangeRequestStatus.REJECTED  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="pending"):
        store.apply(EditChangeRequest(request.id, {"description": "More pages"}))
