from __future__ import annotations

from datetime import date, datetime, timedelta

from db.am.today import today_data
from db.models import (
    Contact,
    FollowUp,
    ImportantDate,
    Interaction,
    InteractionKind,
    SatisfactionRating,
)

from .conftest import TODAY, Agency


def test_today_page(agency: Agency) -> None:
    ann, bob = agency.member("Ann"), agency.member("Bob")
    mine = agency.client("Mine", account_manager_id=ann.id)
    theirs = agency.client("Theirs", account_manager_id=bob.id)
    for c in (mine, theirs):
        agency.add(
            Interaction, client_id=c.id, kind=InteractionKind.CALL, occurred_at=datetime(2026, 3, 5)
        )
        agency.add(
            Interaction,
            client_id=c.id,
            kind=InteractionKind.CALL,
            occurred_at=datetime(2026, 3, 17),
        )
    agency.add(FollowUp, client_id=mine.id, title="overdue", due_date=TODAY - timedelta(days=2))
    agency.add(FollowUp, client_id=mine.id, title="today", due_date=TODAY)
    agency.add(FollowUp, client_id=mine.id, title="later", due_date=TODAY + timedelta(days=2))
    agency.add(FollowUp, client_id=theirs.id, title="theirs", due_date=TODAY)
    jo = agency.add(
        Contact, client_id=mine.id, name="Jo", stay_in_touch_days=7, created_at=datetime(2026, 1, 1)
    )
    agency.add(ImportantDate, contact_id=jo.id, label="Birthday", day=25, month=3)
    agency.add(SatisfactionRating, client_id=theirs.id, rated_on=date(2026, 1, 1), score=9)
    agency.add(SatisfactionRating, client_id=theirs.id, rated_on=TODAY - timedelta(days=1), score=5)

    everyone = today_data(agency.session, TODAY)
    assert [f.title for f in everyone.overdue_follow_ups] == ["overdue"]
    assert everyone.overdue_follow_ups[0].overdue_days == 2
    assert sorted(f.title for f in everyone.due_follow_ups) == ["theirs", "today"]
    assert [c.contact_name for c in everyone.contacts_due] == ["Jo"]
    assert [o.title for o in everyone.upcoming] == ["Jo: Birthday"]
    assert [(d.client_name, d.before, d.now) for d in everyone.health_drops] == [
        ("Theirs", 100, 65)
    ]

    ann_only = today_data(agency.session, TODAY, member_id=ann.id)
    assert [f.title for f in ann_only.due_follow_ups] == ["today"]
    assert ann_only.health_drops == []


def test_a_client_added_this_week_compares_with_the_day_it_was_added(agency: Agency) -> None:
    """Decided: a new client's "before" is its health on the day it was added, so a new
    client whose follow-ups went overdue shows under "Health dropped this week"; one whose
    health did not change since it was added does not."""
    from datetime import timedelta

    from db.am.today import health_drops
    from db.models import FollowUp

    new = agency.client("New", created=TODAY - timedelta(days=3))
    agency.client("Quiet", created=TODAY - timedelta(days=2))
    for days in (1, 2):
        agency.add(
            FollowUp,
            client_id=new.id,
            title=f"Call {days}",
            due_date=TODAY - timedelta(days=days),
            created_at=datetime.combine(TODAY - timedelta(days=3), datetime.min.time()),
        )
    drops = health_drops(agency.session, TODAY)
    assert [(d.client_name, d.before, d.now) for d in drops] == [("New", 100, 80)]
