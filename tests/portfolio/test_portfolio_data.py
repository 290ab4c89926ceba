"""The portfolio's figures with no Qt: projects grouped by client with their span, markers,
baseline slip and burn flag, the filters; and moving a whole project as one edit, refused
where it would break a fixed date."""

from __future__ import annotations

from datetime import timedelta

import pytest

from db.errors import ValidationError
from db.models import CostEntry, Dependency, Project, ProjectStatus, TaskKind
from db.operations import Create, Update
from db.portfolio.operations import MoveProject
from db.portfolio.timeline import Filters, portfolio
from db.scheduling.baseline import SaveBaseline
from db.scheduling.operations import MoveTask
from db.store import Store
from tests.workload.agency import MON, member, project, task

D = timedelta(days=1)


def test_projects_are_grouped_by_client_with_their_span_and_markers(store: Store) -> None:
    ana = member(store, "Ana")
    launch = project(store, "Launch", "Acme", due=MON + 20 * D)
    design = task(store, launch, "Design", MON, 3, {ana: 8})
    done = task(store, launch, "Signed off", MON, 0, milestone=True)
    store.apply(Create(Dependency, {"predecessor_id": design, "successor_id": done}))
    rebrand = project(store, "Rebrand", "Bolt")
    deliver = task(store, rebrand, "Logo files", MON + 7 * D, 2)
    store.apply(Update(type(store.get(Project, rebrand)), rebrand, {"account_manager_id": ana}))
    from db.models import Task

    store.apply(Update(Task, deliver, {"kind": TaskKind.DELIVERABLE}))
    found = portfolio(store.session, today=MON)
    assert [c.name for c in found] == ["Acme", "Bolt"]
    acme = found[0].projects[0]
    assert (acme.start, acme.finish) == (MON, MON + 2 * D)
    assert [(m.name, m.day, m.kind) for m in acme.markers] == [
        ("Signed off", MON + 2 * D, TaskKind.MILESTONE)
    ]
    assert found[1].projects[0].markers[0].kind == TaskKind.DELIVERABLE
    assert found[0].health_level in ("good", "fair", "poor")
    only_ana = portfolio(store.session, Filters(account_manager_id=ana), today=MON)
    assert [c.name for c in only_ana] == ["Bolt"]
    assert portfolio(store.session, Filters(status="done"), today=MON) == []


def test_slip_against_the_baseline_and_burn_ahead_of_progress(store: Store) -> None:
    pid = project(store)
    design = task(store, pid, "Design", MON, 5)
    store.apply(SaveBaseline(pid, "Agreed"))
    store.apply(MoveTask(design, MON + 7 * D))
    store.apply(Update(Project, pid, {"budget_cents": 100_000}))
    store.apply(Create(CostEntry, {"project_id": pid, "spent_on": MON, "amount_cents": 40_000}))
    p = portfolio(store.session, today=MON + D)[0].projects[0]
    assert p.slip == 5 and p.baseline_finish == MON + 4 * D
    assert p.burn == 0.4 and p.complete == 0 and p.burning_ahead


def test_moving_a_project_moves_every_task_as_one_edit(store: Store) -> None:
    pid = project(store, due=MON + 30 * D)
    a = task(store, pid, "Design", MON, 2)
    b = task(store, pid, "Build", MON + 2 * D, 3)
    store.apply(Create(Dependency, {"predecessor_id": a, "successor_id": b}))
    op = MoveProject(pid, 5, today=MON - 7 * D)
    store.apply(op)
    s = store.schedules.scheduler(pid)
    assert (s.start(a), s.start(b)) == (MON + 7 * D, MON + 9 * D)
    assert op.label == "Move 'Launch' 5 working days later"
    store.revert(op)
    s = store.schedules.scheduler(pid)
    assert (s.start(a), s.start(b)) == (MON, MON + 2 * D)


def test_a_move_that_breaks_a_fixed_date_is_refused_with_the_reason(store: Store) -> None:
    pid = project(store, due=MON + 6 * D)
    a = task(store, pid, "Design", MON, 2)
    with pytest.raises(ValidationError, match=r"after its due date Sun 07 Mar"):
        store.apply(MoveProject(pid, 5, today=MON - 7 * D))
    from db.scheduling.operations import SetProgress

    store.apply(SetProgress(a, 40))
    with pytest.raises(ValidationError, match=r"'Design' is under way \(40 %\)"):
        store.apply(MoveProject(pid, -1, today=MON + D))
    store.apply(Update(Project, pid, {"status": ProjectStatus.DONE}))
    assert portfolio(store.session, today=MON) == []


def test_budgets_price_planned_hours_at_day_rates_and_roll_up(store: Store) -> None:
    from db.models import Client, TeamMember
    from db.portfolio.budgets import agency_budgets

    ana, ben = member(store, "Ana"), member(store, "Ben")
    store.apply(Update(TeamMember, ana, {"day_rate_cents": 80_000}))
    store.apply(Update(TeamMember, ben, {"day_rate_cents": 40_000}))
    launch = project(store, "Launch", "Acme")
    task(store, launch, "Design", MON + 3 * D, 3, {ana: 8, ben: 4})  # Thu, Fri, Mon
    store.apply(Update(Project, launch, {"budget_cents": 300_000}))
    store.apply(Create(CostEntry, {"project_id": launch, "spent_on": MON, "amount_cents": 90_000}))
    store.apply(
        Create(CostEntry, {"project_id": launch, "spent_on": MON + 99 * D, "amount_cents": 5})
    )
    acme = store.get(Project, launch).client_id  # type: ignore[union-attr]
    other = project(store, "Site", "Bolt")
    task(store, other, "Build", MON, 1, {ben: 8})
    store.apply(Update(Client, store.get(Project, other).client_id, {"currency": "USD"}))  # type: ignore[union-attr]
    found = agency_budgets(store.session, today=MON)
    money = found.projects[launch]
    # 3 days: Ana 8 h at 800.00 a day, Ben 4 h at 400.00 a day.
    assert money.planned_cents == 3 * (80_000 + 20_000)
    assert (money.budget_cents, money.spent_cents) == (300_000, 90_000)
    assert money.burn == 0.3 and money.burning_ahead and not money.planned_over_budget
    assert found.clients[acme].planned_cents == 300_000
    assert set(found.agency) == {"EUR", "USD"}
    assert found.agency["USD"].planned_cents == 40_000


def test_a_clients_budget_rolls_up_its_open_projects_as_the_portfolio_does(
    store: Store,
) -> None:
    from db.models import TeamMember
    from db.portfolio.budgets import agency_budgets, client_budget

    ana = member(store, "Ana")
    store.apply(Update(TeamMember, ana, {"day_rate_cents": 80_000}))
    launch = project(store, "launch", "Acme")
    acme = store.get(Project, launch).client_id  # type: ignore[union-attr]
    banner = Create(Project, {"name": "Banner", "client_id": acme, "budget_cents": 50_000})
    closed = Create(Project, {"name": "Archive", "client_id": acme, "budget_cents": 9_999_00})
    for op in (banner, closed):
        store.apply(op)
    store.apply(Update(Project, closed.id, {"status": ProjectStatus.DONE}))
    task(store, launch, "Design", MON, 2, {ana: 8})  # 2 days at 800.00
    task(store, banner.id, "Artwork", MON, 1, {ana: 4})  # half a day: 400.00
    store.apply(Update(Project, launch, {"budget_cents": 100_000}))
    store.apply(Create(CostEntry, {"project_id": launch, "spent_on": MON, "amount_cents": 70_000}))
    other = project(store, "Site", "Bolt")
    store.apply(Update(Project, other, {"budget_cents": 7_00}))

    found = client_budget(store.session, acme, today=MON)
    assert [p.name for p in found.projects] == ["Banner", "launch"]  # open ones, by name
    total = found.total
    assert (total.budget_cents, total.planned_cents, total.spent_cents) == (
        150_000,
        160_000 + 40_000,
        70_000,
    )
    banner_money, launch_money = (p.money for p in found.projects)
    assert launch_money.planned_over_budget and not banner_money.planned_over_budget
    assert total == agency_budgets(store.session, today=MON).clients[acme]
    bolt = store.get(Project, other).client_id  # type: ignore[union-attr]
    assert client_budget(store.session, bolt, today=MON).total.budget_cents == 7_00
