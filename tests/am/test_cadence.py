from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from db.am.cadence import contact_cadences, contacts_due, due_date, overdue_days
from db.models import Contact, Interaction, InteractionContact, InteractionKind

from .conftest import TODAY, Agency


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(1, 3650))
def test_due_is_last_touch_plus_cadence(last: date, days: int) -> None:
    due = due_date(last, days)
    assert due == last + timedelta(days=days)
    assert overdue_days(due, due) == 0
    assert overdue_days(due, due + timedelta(days=3)) == 3
    assert overdue_days(due, last) == 0


def test_cadence_counts_from_latest_interaction_with_the_contact(agency: Agency) -> None:
    c = agency.client()
    created = datetime(2026, 1, 1, 9)
    jo = agency.add(Contact, client_id=c.id, name="Jo", stay_in_touch_days=30, created_at=created)
    agency.add(Contact, client_id=c.id, name="Al", stay_in_touch_days=14, created_at=created)
    agency.add(Contact, client_id=c.id, name="No cadence")
    for when in (datetime(2026, 2, 1, 9), datetime(2026, 2, 10, 9)):
        i = agency.add(Interaction, client_id=c.id, kind=InteractionKind.CALL, occurred_at=when)
        agency.add(InteractionContact, interaction_id=i.id, contact_id=jo.id)
    # An interaction after today (planned) does not count as a touch yet.
    later = agency.add(
        Interaction, client_id=c.id, kind=InteractionKind.MEETING, occurred_at=datetime(2026, 4, 1)
    )
    agency.add(InteractionContact, interaction_id=later.id, contact_id=jo.id)

    found = {x.contact_name: x for x in contact_cadences(agency.session, TODAY)}
    assert set(found) == {"Jo", "Al"}
    assert found["Jo"].last_touch == date(2026, 2, 10)
    assert found["Jo"].due == date(2026, 3, 12)
    assert found["Jo"].overdue_days == 6
    assert found["Al"].touched is False
    assert found["Al"].due == date(2026, 1, 15)
    assert [x.contact_name for x in contacts_due(agency.session, TODAY)] == ["Al", "Jo"]
    assert contacts_due(agency.session, date(2026, 1, 10)) == []
    assert len(contacts_due(agency.session, date(2026, 1, 10), within_days=5)) == 1
