"""The AM operations through the store: each one undo step with its changes reported."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from db.am.health_facts import health_at
from db.am.operations import (
    DateDraft,
    FollowUpDraft,
    add_contact,
    add_note,
    complete_follow_up,
    edit_note,
    log_interaction,
    new_project_from_request,
    reopen_note,
    resolve_note,
)
from db.errors import ValidationError
from db.models import (
    ClientNote,
    Contact,
    FollowUp,
    ImportantDate,
    Interaction,
    InteractionKind,
    NoteKind,
    Project,
    Sentiment,
)

from .conftest import Agency


def test_log_interaction_with_contacts_and_follow_up_is_one_step(agency: Agency) -> None:
    c = agency.client()
    jo = agency.add(Contact, client_id=c.id, name="Jo")
    today = date.today()
    before = health_at(agency.session, c.id, today)
    op = log_interaction(
        c.id,
        InteractionKind.CALL,
        "Talked budgets",
        contact_ids=[jo.id, jo.id],
        sentiment=Sentiment.POSITIVE,
        follow_up=FollowUpDraft("Send proposal", date(2026, 4, 1)),
    )
    changes = agency.store.apply(op)
    assert changes.touches("Interaction", "InteractionContact", "FollowUp")
    interaction = agency.session.get(Interaction, op.steps[0].id)  # type: ignore[attr-defined]
    assert [x.name for x in interaction.contacts] == ["Jo"]
    after = health_at(agency.session, c.id, today)
    assert not any(r.startswith("no contact") for r in after.reasons)
    assert after.score >= before.score

    agency.store.revert(op)
    assert agency.session.query(Interaction).count() == 0
    assert agency.session.query(FollowUp).count() == 0
    assert health_at(agency.session, c.id, today) == before


def test_brief_notes_add_edit_resolve(agency: Agency) -> None:
    c = agency.client()
    add = add_note(c.id, NoteKind.PAIN_POINT, "Slow site", noted_on=date(2026, 3, 1))
    agency.store.apply(add)
    agency.store.apply(edit_note(add.id, {"text": "Very slow site"}))
    agency.store.apply(resolve_note(add.id, date(2026, 3, 5)))
    note = agency.session.get(ClientNote, add.id)
    assert (note.text, note.resolved_on) == ("Very slow site", date(2026, 3, 5))
    agency.store.apply(reopen_note(add.id))
    assert note.resolved_on is None
    with pytest.raises(ValidationError, match="Client note text"):
        agency.store.apply(edit_note(add.id, {"text": " "}))


def test_complete_follow_up(agency: Agency) -> None:
    c = agency.client()
    f = agency.add(FollowUp, client_id=c.id, title="x", due_date=date(2026, 3, 1))
    op = complete_follow_up(f.id, datetime(2026, 3, 2, 9))
    agency.store.apply(op)
    assert f.done_at == datetime(2026, 3, 2, 9)
    agency.store.revert(op)
    assert f.done_at is None


def test_contact_with_a_birthday_without_a_year(agency: Agency) -> None:
    c = agency.client()
    op = add_contact(c.id, {"name": "Jo", "stay_in_touch_days": 30}, [DateDraft("Birthday", 29, 2)])
    agency.store.apply(op)
    (saved,) = agency.session.query(ImportantDate).all()
    assert (saved.day, saved.month, saved.year) == (29, 2, None)
    bad = add_contact(c.id, {"name": "Al"}, [DateDraft("Birthday", 31, 2)])
    with pytest.raises(ValidationError, match="February has no day 31"):
        agency.store.apply(bad)
    assert agency.session.query(Contact).count() == 1


def test_new_project_from_request_hands_off_in_one_step(agency: Agency) -> None:
    pm = agency.member("Pat")
    am = agency.member("Ann")
    c = agency.client()
    op = new_project_from_request(
        c.id,
        "A spring campaign for the new range",
        name="Spring campaign",
        project_manager_id=pm.id,
        project_manager_name="Pat",
        account_manager_id=am.id,
    )
    changes = agency.store.apply(op)
    assert changes.added.keys() == {"Project", "Interaction"}
    (project,) = agency.session.query(Project).all()
    assert (project.brief, project.project_manager_id, project.client_id) == (
        "A spring campaign for the new range",
        pm.id,
        c.id,
    )
    (note,) = agency.session.query(Interaction).all()
    assert note.kind is InteractionKind.NOTE
    assert note.summary.startswith("Handed off project Spring campaign to Pat")
    agency.store.revert(op)
    assert agency.session.query(Project).count() == 0
    assert agency.session.query(Interaction).count() == 0
    with pytest.raises(ValidationError, match="Request"):
        new_project_from_request(c.id, "  ", name="x", project_manager_id=None)
