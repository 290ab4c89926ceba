"""Names and titles have a length limit, checked by every operation on the fields it changes,
with a message naming the field; labels quote user text one way and stay short."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.errors import ValidationError
from db.labels import LABEL_MAX, quoted, short_label
from db.models import Client, Contact
from db.operations import Create, Update
from db.store import Store
from db.validation import NAME_MAX, check_field, max_length


def test_a_5000_character_client_name_is_refused_with_a_message(store: Store) -> None:
    with pytest.raises(ValidationError) as refused:
        store.apply(Create(Client, {"name": "x" * 5000}))
    assert str(refused.value).startswith("Client name: must be at most 200 characters")
    store.apply(Create(Client, {"name": "x" * NAME_MAX}))


@pytest.mark.parametrize(
    ("entity", "field"),
    [
        ("Client", "name"),
        ("Contact", "name"),
        ("Contact", "title"),
        ("Project", "name"),
        ("Task", "name"),
        ("FollowUp", "title"),
        ("Opportunity", "title"),
        ("TeamMember", "name"),
        ("ImportantDate", "label"),
    ],
)
def test_every_name_and_title_has_the_limit(entity: str, field: str) -> None:
    assert max_length(entity, field) == NAME_MAX
    assert check_field(entity, field, "a" * (NAME_MAX + 1)) == (
        "must be at most 200 characters (this has 201)"
    )
    assert check_field(entity, field, "a" * NAME_MAX) is None


def test_a_long_name_stored_earlier_does_not_block_editing_other_fields(store: Store) -> None:
    client = Client(name="x" * 5000)
    store.session.add(client)
    store.session.commit()
    store.apply(Update(Client, client.id, {"industry": "Bakeries"}))
    with pytest.raises(ValidationError):
        store.apply(Update(Client, client.id, {"name": "y" * 300}))
    contact = Create(Contact, {"client_id": client.id, "name": "Jo"})
    store.apply(contact)
    with pytest.raises(ValidationError, match="Contact rapport notes"):
        store.apply(Update(Contact, contact.id, {"rapport_notes": "z" * 20_001}))


def test_quoted_text_is_elided_inside_curly_quotes() -> None:
    assert quoted("Send the proposal") == "“Send the proposal”"
    long = quoted("W" * 500)
    assert long.startswith("“W") and long.endswith("…”") and len(long) == 42


@given(st.text(max_size=6000), st.text(max_size=6000))
def test_a_label_is_short_whatever_the_user_typed(name: str, prefix: str) -> None:
    label = short_label(f"{prefix[:30]} rename to “{name}”")
    assert len(label) <= LABEL_MAX
    assert "\n" not in label
