from __future__ import annotations

from datetime import date

from db.am.occasions import gift_budget_use, next_occurrence, occurrence_in, upcoming_occasions
from db.models import Contact, Gift, GiftState, ImportantDate, Project, ProjectStatus

from .conftest import TODAY, Agency


def test_29_february_falls_on_28_february_in_common_years() -> None:
    assert occurrence_in(2027, 2, 29) == date(2027, 2, 28)
    assert occurrence_in(2028, 2, 29) == date(2028, 2, 29)
    assert next_occurrence(2, 29, date(2027, 3, 1)) == date(2028, 2, 29)
    assert next_occurrence(2, 29, date(2027, 2, 1)) == date(2027, 2, 28)


def test_next_occurrence_wraps_into_next_year() -> None:
    assert next_occurrence(1, 5, date(2026, 12, 30)) == date(2027, 1, 5)
    assert next_occurrence(12, 30, date(2026, 12, 30)) == date(2026, 12, 30)


def test_upcoming_occasions_with_gift_state(agency: Agency) -> None:
    c = agency.client(client_since=date(2021, 3, 25), yearly_gift_budget_cents=300_00)
    other = agency.client("Other")
    jo = agency.add(Contact, client_id=c.id, name="Jo")
    agency.add(ImportantDate, contact_id=jo.id, label="Birthday", day=20, month=3)  # no year
    agency.add(ImportantDate, contact_id=jo.id, label="Wedding", day=1, month=3, year=2010)  # past
    ann = agency.add(Contact, client_id=other.id, name="Ann")
    agency.add(ImportantDate, contact_id=ann.id, label="Birthday", day=30, month=3, year=1986)
    agency.add(Project, client_id=c.id, name="Launch", due_date=date(2026, 3, 27))
    agency.add(
        Project,
        client_id=c.id,
        name="Dropped",
        due_date=date(2026, 3, 27),
        status=ProjectStatus.CANCELLED,
    )
    agency.add(
        Gift,
        client_id=c.id,
        contact_id=jo.id,
        state=GiftState.BOUGHT,
        gift_date=date(2026, 3, 19),
        cost_cents=50_00,
    )
    agency.add(
        Gift, client_id=c.id, occasion="client anniversary", state=GiftState.IDEA, cost_cents=80_00
    )

    found = upcoming_occasions(agency.session, TODAY, 14)
    assert [(o.when, o.kind, o.title, o.gift_state) for o in found] == [
        (date(2026, 3, 20), "date", "Jo: Birthday", GiftState.BOUGHT),
        (date(2026, 3, 25), "anniversary", "Acme: 5 years a client", GiftState.IDEA),
        (date(2026, 3, 27), "project", "Acme: project Launch completes", None),
        (date(2026, 3, 30), "date", "Ann: Birthday (40)", None),
    ]
    assert [o.label for o in upcoming_occasions(agency.session, TODAY, 14, other.id)] == [
        "Birthday"
    ]

    budget = gift_budget_use(agency.session, c.id, 2026)
    assert (budget.budget_cents, budget.spent_cents, budget.planned_cents) == (300_00, 50_00, 80_00)
    assert budget.left_cents == 250_00
    assert gift_budget_use(agency.session, c.id, 2025).spent_cents == 0
