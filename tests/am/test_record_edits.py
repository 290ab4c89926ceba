"""The rules behind editing an account manager's records, without a display: contacts with
their dates, interactions with who took part, follow-up owners and quick due dates, money
typed by locale, gifts tied to an occasion, the weighted pipeline and tags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from db.am.client_detail import contacts
from db.am.gifts import NO_DESCRIPTION, add_gift, edit_gift, mark_given
from db.am.money import client_money
from db.am.occasions import upcoming_occasions
from db.am.operations import (
    DateEdit,
    default_owner,
    delete_record,
    edit_contact,
    edit_interaction,
    interaction_links,
)
from db.am.tags import agency_tags, rename_tag, tags_from_text
from db.am.when import parse_when
from db.errors import ValidationError
from db.models import (
    Client,
    Contact,
    Gift,
    GiftState,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    Opportunity,
    OpportunityStage,
)
from db.money_text import format_money_input, parse_money

from .conftest import TODAY, Agency


def test_a_contact_and_its_dates_edit_as_one_step(agency: Agency) -> None:
    c = agency.client()
    jo = agency.add(Contact, client_id=c.id, name="Jo", email="jo@old.example")
    birthday = agency.add(ImportantDate, contact_id=jo.id, label="Birthday", day=3, month=4)
    wedding = agency.add(ImportantDate, contact_id=jo.id, label="Wedding", day=9, month=9)
    old = [
        DateEdit("Birthday", 3, 4, None, birthday.id),
        DateEdit("Wedding", 9, 9, None, wedding.id),
    ]
    new = [DateEdit("Birthday", 4, 4, 1980, birthday.id), DateEdit("Name day", 1, 12)]
    op = edit_contact(jo.id, "Jo", {"email": "jo@new.example", "phone": "+1 555"}, old, new)
    agency.store.apply(op)
    row = contacts(agency.session, c.id, TODAY)[0]
    assert (row.email, row.phone) == ("jo@new.example", "+1 555")
    assert [d.text for d in row.dates] == ["Birthday 4 Apr 1980", "Name day 1 Dec"]
    agency.store.revert(op)
    row = contacts(agency.session, c.id, TODAY)[0]
    assert row.email == "jo@old.example"
    assert [d.text for d in row.dates] == ["Birthday 3 Apr", "Wedding 9 Sep"]


def test_deleting_a_contact_takes_its_dates_and_links_and_undo_brings_them_back(
    agency: Agency,
) -> None:
    c = agency.client()
    jo = agency.add(Contact, client_id=c.id, name="Jo")
    agency.add(ImportantDate, contact_id=jo.id, label="Birthday", day=3, month=4)
    call = agency.add(Interaction, client_id=c.id, kind=InteractionKind.CALL, occurred_at=TODAY)
    agency.add(InteractionContact, interaction_id=call.id, contact_id=jo.id)
    gift = agency.add(Gift, client_id=c.id, contact_id=jo.id, description="Wine")
    op = delete_record(Contact, jo.id, "contact", "Jo")
    assert op.label == "Delete contact “Jo”"
    agency.store.apply(op)
    assert agency.session.query(ImportantDate).count() == 0
    assert agency.session.query(InteractionContact).count() == 0
    assert agency.session.get(Gift, gift.id).contact_id is None  # the gift stays
    agency.store.revert(op)
    assert agency.session.query(ImportantDate).count() == 1
    assert interaction_links(agency.session, call.id) == {
        jo.id: agency.session.query(InteractionContact).one().id
    }
    assert agency.session.get(Gift, gift.id).contact_id == jo.id


def test_an_interaction_changes_who_took_part_in_one_step(agency: Agency) -> None:
    c = agency.client()
    jo = agency.add(Contact, client_id=c.id, name="Jo")
    mia = agency.add(Contact, client_id=c.id, name="Mia")
    call = agency.add(
        Interaction, client_id=c.id, kind=InteractionKind.CALL, occurred_at=TODAY, summary="Hi"
    )
    agency.add(InteractionContact, interaction_id=call.id, contact_id=jo.id)
    links = interaction_links(agency.session, call.id)
    op = edit_interaction(
        call.id, {"summary": "Pricing", "kind": InteractionKind.MEETING}, links, [mia.id], "call"
    )
    agency.store.apply(op)
    assert set(interaction_links(agency.session, call.id)) == {mia.id}
    assert agency.session.get(Interaction, call.id).kind == InteractionKind.MEETING
    agency.store.revert(op)
    assert set(interaction_links(agency.session, call.id)) == {jo.id}
    assert agency.session.get(Interaction, call.id).summary == "Hi"


def test_a_new_follow_up_belongs_to_i_am_else_the_account_manager(agency: Agency) -> None:
    ann = agency.member("Ann")
    bob = agency.member("Bob")
    gone = agency.member("Gus", active=False)
    c = agency.client(account_manager_id=ann.id)
    assert default_owner(agency.session, c.id, bob.id) == bob.id
    assert default_owner(agency.session, c.id, None) == ann.id
    assert default_owner(agency.session, c.id, gone.id) == ann.id
    lone = agency.client("Lone")
    assert default_owner(agency.session, lone.id, None) is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("+3d", 3),
        ("+3", 3),
        ("+2w", 14),
        ("-1d", -1),
        ("today", 0),
        ("tomorrow", 1),
        ("next mon", 5),  # TODAY is a Wednesday
        ("mon", 5),
        ("Friday", 2),
        ("wed", 7),  # the same weekday means next week's
        ("2026-04-01", 14),
        ("1.4.2026", 14),
    ],
)
def test_quick_due_dates(text: str, days: int) -> None:
    assert parse_when(text, TODAY) == TODAY + timedelta(days=days)


@pytest.mark.parametrize("text", ["+3x", "next", "soon", "2026-02-30", ""])
def test_a_quick_date_that_means_nothing_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError, match=r"^Due date: "):
        parse_when(text, TODAY)


def test_money_is_read_by_the_locale() -> None:
    german = {"decimal": ",", "group": "."}
    assert parse_money("12,5", **german) == 1250
    assert parse_money("1.250,50 €", **german) == 125050
    assert parse_money("12.5") == 1250
    assert parse_money("€1,250.50") == 125050
    with pytest.raises(ValidationError, match="separates thousands"):
        parse_money("12,5")  # English: that comma is a thousands separator
    with pytest.raises(ValidationError, match="more than two digits of cents"):
        parse_money("12,505", **german)
    assert parse_money("") == 0


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([(",", "."), (".", ",")]))
def test_money_written_back_reads_the_same(cents: int, separators: tuple[str, str]) -> None:
    decimal, group = separators
    text = format_money_input(cents, decimal=decimal)
    assert parse_money(text, decimal=decimal, group=group) == cents


def test_a_gift_for_a_birthday_gives_the_birthday_its_state(agency: Agency) -> None:
    c = agency.client()
    jo = agency.add(Contact, client_id=c.id, name="Jo")
    soon = TODAY + timedelta(days=10)
    birthday = agency.add(
        ImportantDate, contact_id=jo.id, label="Birthday", day=soon.day, month=soon.month
    )
    (occasion,) = upcoming_occasions(agency.session, TODAY, 30, c.id)
    assert occasion.gift_state is None  # "none yet"
    op = add_gift(
        agency.session,
        c.id,
        {"description": "Jazz tickets", "important_date_id": birthday.id, "state": GiftState.IDEA},
        TODAY,
    )
    agency.store.apply(op)
    gift = agency.session.get(Gift, op.id)
    assert (gift.contact_id, gift.occasion) == (jo.id, "Birthday")  # from the date
    (occasion,) = upcoming_occasions(agency.session, TODAY, 30, c.id)
    assert occasion.gift_state == GiftState.IDEA
    given = edit_gift(agency.session, gift.id, {"state": GiftState.GIVEN}, TODAY)
    assert given.label == "Mark gift “Jazz tickets” given"
    agency.store.apply(given)
    assert (gift.state, gift.gift_date) == (GiftState.GIVEN, TODAY)  # dated today
    (occasion,) = upcoming_occasions(agency.session, TODAY, 30, c.id)
    assert occasion.gift_state == GiftState.GIVEN
    # Last year's gift for the same birthday does not count for this year's.
    agency.store.apply(
        edit_gift(agency.session, gift.id, {"gift_date": TODAY - timedelta(days=355)}, TODAY)
    )
    (occasion,) = upcoming_occasions(agency.session, TODAY, 30, c.id)
    assert occasion.gift_state is None


def test_a_gift_refuses_a_recipient_or_date_that_is_not_this_clients(agency: Agency) -> None:
    c, other = agency.client(), agency.client("Other")
    jo = agency.add(Contact, client_id=c.id, name="Jo")
    stranger = agency.add(Contact, client_id=other.id, name="Stranger")
    their_day = agency.add(ImportantDate, contact_id=stranger.id, label="Birthday", day=1, month=1)
    with pytest.raises(ValidationError, match="Gift recipient: is not one of this client"):
        agency.store.apply(
            add_gift(agency.session, c.id, {"description": "x", "contact_id": stranger.id}, TODAY)
        )
    with pytest.raises(ValidationError, match="Gift occasion: is a date of another contact"):
        agency.store.apply(
            add_gift(
                agency.session,
                c.id,
                {"description": "x", "contact_id": jo.id, "important_date_id": their_day.id},
                TODAY,
            )
        )
    assert agency.session.scalars(select(Gift)).all() == []  # nothing half-written


def test_gift_state_rules_live_in_the_operation_with_one_message_each(agency: Agency) -> None:
    """Whichever widget asks (dialog, adder line, Given box, renamed cell), the operation
    itself refuses, in the same words, and leaves the gift as it was."""
    c = agency.client()
    with pytest.raises(ValidationError, match=f"^Gift: {NO_DESCRIPTION}$"):
        agency.store.apply(add_gift(agency.session, c.id, {"description": "  "}, TODAY))
    op = add_gift(agency.session, c.id, {"description": "Wine", "state": GiftState.IDEA}, TODAY)
    agency.store.apply(op)
    gift = agency.session.get(Gift, op.id)
    with pytest.raises(ValidationError, match=f"^Gift: {NO_DESCRIPTION}$"):
        agency.store.apply(edit_gift(agency.session, gift.id, {"description": ""}, TODAY))
    agency.session.refresh(gift)
    assert (gift.description, gift.state, gift.gift_date) == ("Wine", GiftState.IDEA, None)
    # The Given box: ticked gives it today, unticked makes it bought (not an idea again).
    tick = mark_given(agency.session, gift.id, True, TODAY)
    agency.store.apply(tick)
    assert (gift.state, gift.gift_date) == (GiftState.GIVEN, TODAY)
    untick = mark_given(agency.session, gift.id, False, TODAY)
    agency.store.apply(untick)
    assert gift.state == GiftState.BOUGHT
    agency.store.revert(untick)
    agency.store.revert(tick)
    assert (gift.state, gift.gift_date) == (GiftState.IDEA, None)  # each step undoes
    # Redo checks again: a rule still holds when the edit is made a second time.
    agency.store.apply(tick)
    assert gift.state == GiftState.GIVEN


def test_the_weighted_pipeline_counts_each_open_opportunity_at_its_chance(
    agency: Agency,
) -> None:
    c = agency.client()
    agency.add(Opportunity, client_id=c.id, title="A", value_cents=100_000)  # idea: 10 %
    agency.add(
        Opportunity,
        client_id=c.id,
        title="B",
        value_cents=200_000,
        stage=OpportunityStage.PITCHED,
        probability=80,
    )
    agency.add(
        Opportunity, client_id=c.id, title="C", value_cents=50_000, stage=OpportunityStage.WON
    )
    money = client_money(agency.session, c.id, TODAY)
    assert money.open_pipeline_cents == 300_000
    assert money.weighted_pipeline_cents == 10_000 + 160_000


def test_probability_and_currency_are_checked(agency: Agency) -> None:
    from db.operations import Update

    c = agency.client()
    o = agency.add(Opportunity, client_id=c.id, title="A")
    with pytest.raises(ValidationError, match="Opportunity probability"):
        agency.store.apply(Update(Opportunity, o.id, {"probability": 120}))
    with pytest.raises(ValidationError, match="Opportunity currency"):
        agency.store.apply(Update(Opportunity, o.id, {"currency": "euro"}))


def test_tags_are_typed_as_a_line_and_renamed_across_the_agency(agency: Agency) -> None:
    assert tags_from_text(" vip, Retail ,VIP,, ") == ["vip", "Retail"]
    a = agency.client("A", tags=["vip", "retail"])
    b = agency.client("B", tags=["VIP"])
    agency.client("C", tags=["wholesale"])
    assert agency_tags(agency.session) == ["retail", "vip", "wholesale"]
    op = rename_tag(agency.session, "vip", "key account")
    agency.store.apply(op)
    assert agency.session.get(Client, a.id).tags == ["key account", "retail"]
    assert agency.session.get(Client, b.id).tags == ["key account"]
    agency.store.revert(op)
    assert agency.session.get(Client, b.id).tags == ["VIP"]


def test_counts_in_reasons_agree_with_their_nouns() -> None:
    """No "1 days": cadence and health reasons, the printed slip and a change's impact."""
    from datetime import date

    from db.am.cadence import ContactCadence
    from db.am.health import HealthFacts, HealthThresholds, no_contact

    cadence = ContactCadence("c", "Jo", "k", "Acme", 1, date(2026, 3, 1), True, TODAY, 1)
    assert cadence.reason == "touch 1 day overdue (every 1 day)"
    assert "every 1 day)" in ContactCadence("c", "Jo", "k", "Acme", 1, TODAY, True, TODAY, 0).reason
    t = HealthThresholds(no_contact_warn_days=1)
    facts = HealthFacts(known_since=TODAY - timedelta(days=1))
    _penalty, reason = no_contact(facts, TODAY, t, ())
    assert reason == "no contact logged in the 1 day since the client was added"
