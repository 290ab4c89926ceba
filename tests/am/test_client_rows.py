from __future__ import annotations

from datetime import date, datetime

from db.am.client_rows import client_list_rows, search_texts
from db.models import (
    ClientNote,
    ClientStatus,
    Contact,
    FollowUp,
    Interaction,
    InteractionKind,
    NoteKind,
    Opportunity,
    OpportunityStage,
    Project,
    ProjectStatus,
)

from .conftest import TODAY, Agency


def test_one_row_per_client_with_every_column(agency: Agency) -> None:
    ann = agency.member("Ann")
    acme = agency.client(
        "acme", status=ClientStatus.ACTIVE, account_manager_id=ann.id, tags=["retail"]
    )
    agency.client("Bravo")
    agency.add(
        Interaction,
        client_id=acme.id,
        kind=InteractionKind.CALL,
        occurred_at=datetime(2026, 3, 10, 9),
    )
    agency.add(
        Interaction,
        client_id=acme.id,
        kind=InteractionKind.NOTE,
        occurred_at=datetime(2026, 3, 17, 9),
    )
    agency.add(FollowUp, client_id=acme.id, title="a", due_date=date(2026, 3, 25))
    agency.add(FollowUp, client_id=acme.id, title="b", due_date=date(2026, 3, 20))
    agency.add(
        FollowUp,
        client_id=acme.id,
        title="done",
        due_date=date(2026, 3, 1),
        done_at=datetime(2026, 3, 1),
    )
    agency.add(Project, client_id=acme.id, name="p1")
    agency.add(Project, client_id=acme.id, name="p2", status=ProjectStatus.DONE)
    agency.add(
        Opportunity,
        client_id=acme.id,
        title="o",
        value_cents=500_00,
        stage=OpportunityStage.PITCHED,
    )

    rows = client_list_rows(agency.session, TODAY)
    assert [r.name for r in rows] == ["acme", "Bravo"]
    row = rows[0]
    assert row.account_manager == "Ann"
    assert row.status is ClientStatus.ACTIVE
    assert row.last_contact == datetime(2026, 3, 10, 9)
    assert row.next_follow_up == date(2026, 3, 20)
    assert row.open_projects == 1
    assert row.pipeline_cents == 500_00
    assert row.health.score == 100
    bravo = rows[1]
    assert bravo.health.reasons[0].startswith("no contact logged")
    assert (bravo.last_contact, bravo.next_follow_up, bravo.open_projects) == (None, None, 0)

    only = client_list_rows(agency.session, TODAY, [acme.id])
    assert [r.id for r in only] == [acme.id]


def test_search_text_covers_name_tags_contacts_and_notes(agency: Agency) -> None:
    c = agency.client("Acme", tags=["Retail"])
    agency.add(Contact, client_id=c.id, name="Jo Bloggs", email="jo@acme.example")
    agency.add(ClientNote, client_id=c.id, kind=NoteKind.PAIN_POINT, text="Slow Checkout")
    text = search_texts(agency.session)[c.id]
    for needle in ("acme", "retail", "jo bloggs", "jo@acme.example", "slow checkout"):
        assert needle in text
