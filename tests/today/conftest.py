"""Fixtures for the Today page and the tray: a workspace, settings in a temporary folder, and
an account manager's day — an overdue follow-up, one due today, a contact due a touch and a
birthday next week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from db.models import (
    Client,
    ClientStatus,
    Contact,
    FollowUp,
    ImportantDate,
    MemberRole,
    TeamMember,
)
from db.store import Store


@dataclass
class Day:
    am_id: str
    other_id: str
    client_id: str
    other_client_id: str
    overdue_id: str
    due_id: str


@pytest.fixture
def day(store: Store) -> Day:
    session = store.session
    today = date.today()
    am = TeamMember(name="Ann Keller", role=MemberRole.ACCOUNT_MANAGER)
    other = TeamMember(name="Otto Berg", role=MemberRole.ACCOUNT_MANAGER)
    session.add_all([am, other])
    session.flush()
    recent = datetime.combine(today - timedelta(days=2), datetime.min.time())
    acme = Client(name="Acme Coffee", status=ClientStatus.ACTIVE, account_manager_id=am.id)
    north = Client(name="North Mills", status=ClientStatus.ACTIVE, account_manager_id=other.id)
    session.add_all([acme, north])
    session.flush()
    overdue = FollowUp(
        client_id=acme.id, title="Send the proposal", due_date=today - timedelta(days=3)
    )
    due = FollowUp(client_id=acme.id, title="Book the workshop", due_date=today)
    theirs = FollowUp(client_id=north.id, title="Call about invoices", due_date=today)
    jo = Contact(
        client_id=acme.id,
        name="Jo Baker",
        stay_in_touch_days=30,
        created_at=recent - timedelta(days=60),
        updated_at=recent,
    )
    session.add_all([overdue, due, theirs, jo])
    session.flush()
    soon = today + timedelta(days=5)
    session.add(ImportantDate(contact_id=jo.id, label="Birthday", day=soon.day, month=soon.month))
    session.commit()
    return Day(am.id, other.id, acme.id, north.id, overdue.id, due.id)
