"""Every stored value has a size limit, the same for a user typing it and for a change file
bringing it: a station can never store what every other station would refuse."""

from __future__ import annotations

import pytest

from db.errors import ValidationError
from db.models import Client, ClientNote
from db.operations import Create, Update
from db.store import Store
from db.sync.validate import table_rules
from db.validation import TEXT_MAX_CHARS


def test_a_name_longer_than_its_column_is_refused_by_name(store: Store) -> None:
    with pytest.raises(ValidationError, match="Client name: must be at most 200 characters"):
        store.apply(Create(Client, {"name": "x" * 201}))
    store.apply(Create(Client, {"name": "x" * 200}))


def test_text_without_a_length_is_capped_too(store: Store) -> None:
    acme = Create(Client, {"name": "Acme"})
    store.apply(acme)
    with pytest.raises(ValidationError, match="at most 100,000 characters"):
        store.apply(
            Create(ClientNote, {"client_id": acme.id, "kind": "goal", "text": "x" * 100_001})
        )
    with pytest.raises(ValidationError, match="too large"):
        store.apply(Update(Client, acme.id, {"annual_budget_cents": 10**16}))


def test_sync_checks_the_same_limits() -> None:
    rules = table_rules()["client"].columns
    assert rules["name"]("x" * 200) is None and rules["name"]("x" * 201)
    note = table_rules()["client_note"].columns["text"]
    assert note("x" * TEXT_MAX_CHARS) is None and note("x" * (TEXT_MAX_CHARS + 1))
