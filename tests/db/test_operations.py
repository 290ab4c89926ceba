"""Operations apply, report what they changed, and revert exactly."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from db.changes import ChangeSet
from db.errors import NotFoundError, ValidationError
from db.models import (
    Client,
    Contact,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    Project,
    Task,
    TeamMember,
)
from db.operations import Create, Delete, SetSetting, Update, composite
from db.settings import AGENCY_NAME
from db.store import Store


def _client_with_history(store: Store) -> tuple[str, str, str, str]:
    am = Create(TeamMember, {"name": "Ann Archer"})
    client = Create(Client, {"name": "Acme", "account_manager_id": am.id})
    contact = Create(Contact, {"name": "Bob", "client_id": client.id})
    call = Create(
        Interaction,
        {"client_id": client.id, "kind": InteractionKind.CALL, "occurred_at": datetime(2026, 5, 1)},
    )
    link = Create(InteractionContact, {"interaction_id": call.id, "contact_id": contact.id})
    store.apply(composite([am, client, contact, call, link], "Set up"))
    return am.id, client.id, contact.id, call.id


def _count(store: Store, entity: type) -> int:
    return store.session.scalar(select(func.count()).select_from(entity)) or 0


def test_create_reports_the_new_row_and_revert_removes_it(store: Store) -> None:
    op = Create(Client, {"name": "Acme"})
    changes = store.apply(op)
    assert changes.added == {"Client": {op.id}}
    assert store.get(Client, op.id).name == "Acme"
    undone = store.revert(op)
    assert undone.removed == {"Client": {op.id}}
    assert store.get(Client, op.id) is None


def test_redo_after_undo_recreates_the_same_id(store: Store) -> None:
    op = Create(Client, {"name": "Acme"})
    store.apply(op)
    store.revert(op)
    store.apply(op)
    assert store.get(Client, op.id) is not None


def test_update_reports_a_change_and_revert_restores_old_value(store: Store) -> None:
    create = Create(Client, {"name": "Acme", "industry": "Food"})
    store.apply(create)
    rename = Update(Client, create.id, {"name": "Acme Foods"})
    assert store.apply(rename).changed == {"Client": {create.id}}
    store.revert(rename)
    client = store.get(Client, create.id)
    assert (client.name, client.industry) == ("Acme", "Food")


def test_delete_takes_cascaded_rows_and_revert_restores_every_one(store: Store) -> None:
    _, client_id, contact_id, call_id = _client_with_history(store)
    delete = Delete(Client, client_id)
    changes = store.apply(delete)
    assert changes.removed.keys() == {"Client", "Contact", "Interaction", "InteractionContact"}
    assert _count(store, Interaction) == 0
    store.revert(delete)
    assert store.get(Interaction, call_id).contacts[0].id == contact_id
    assert _count(store, InteractionContact) == 1


def test_deleting_a_contact_removes_its_interaction_links(store: Store) -> None:
    _, _, contact_id, call_id = _client_with_history(store)
    delete = Delete(Contact, contact_id)
    changes = store.apply(delete)
    assert "InteractionContact" in changes.removed
    assert store.get(Interaction, call_id).contacts == []
    store.revert(delete)
    assert [c.id for c in store.get(Interaction, call_id).contacts] == [contact_id]


def test_deleting_a_member_clears_references_and_revert_restores_them(store: Store) -> None:
    am_id, client_id, _, _ = _client_with_history(store)
    delete = Delete(TeamMember, am_id)
    changes = store.apply(delete)
    assert store.get(Client, client_id).account_manager_id is None
    assert changes.changed == {"Client": {client_id}}
    store.revert(delete)
    assert store.get(Client, client_id).account_manager_id == am_id


def test_deleting_a_task_tree_restores_parents_before_children(store: Store) -> None:
    client = Create(Client, {"name": "Acme"})
    project = Create(Project, {"name": "Rebrand", "client_id": client.id})
    root = Create(Task, {"name": "Phase", "project_id": project.id, "start_date": date(2026, 1, 5)})
    mid = Create(
        Task,
        {
            "name": "Design",
            "project_id": project.id,
            "parent_id": root.id,
            "start_date": date(2026, 1, 5),
        },
    )
    leaf = Create(
        Task,
        {
            "name": "Logo",
            "project_id": project.id,
            "parent_id": mid.id,
            "start_date": date(2026, 1, 5),
        },
    )
    store.apply(composite([client, project, root, mid, leaf]))
    delete = Delete(Task, root.id)
    assert store.apply(delete).removed == {"Task": {root.id, mid.id, leaf.id}}
    store.revert(delete)
    assert store.get(Task, leaf.id).parent.parent.id == root.id


def test_invalid_value_is_refused_and_nothing_is_written(store: Store) -> None:
    create = Create(Client, {"name": "Acme"})
    store.apply(create)
    with pytest.raises(ValidationError, match="Client currency"):
        store.apply(Update(Client, create.id, {"currency": "euro", "name": "Changed"}))
    assert store.get(Client, create.id).name == "Acme"


def test_a_failing_step_rolls_back_the_whole_batch(store: Store) -> None:
    good = Create(Client, {"name": "Acme"})
    bad = Create(Client, {"name": "  "})
    with pytest.raises(ValidationError, match="Client name"):
        store.apply(composite([good, bad]))
    assert _count(store, Client) == 0


def test_composites_nest_revert_last_first_and_refuse_as_a_whole(store: Store) -> None:
    """The one way to compose edits: a composite of composites (a plan edit made of plan
    edits) is one step; undo reverts its steps last first; one refusal refuses it all."""
    client = Create(Client, {"name": "Acme"})
    project = Create(Project, {"name": "Relaunch", "client_id": client.id})
    rename = Update(Client, client.id, {"name": "Acme Ltd"})
    outer = composite([composite([client, project], "Set up"), rename], "Set up and rename")
    store.apply(outer)
    assert store.get(Client, client.id).name == "Acme Ltd"  # type: ignore[union-attr]
    store.revert(outer)
    assert _count(store, Client) == 0 and _count(store, Project) == 0
    store.apply(outer)  # redo: the same rows again
    assert store.get(Project, project.id) is not None
    bad = composite([composite([Create(Client, {"name": "Beta"})]), Update(Client, "gone", {})])
    with pytest.raises(NotFoundError):
        store.apply(bad)
    assert _count(store, Client) == 1


def test_update_of_a_vanished_row_says_so(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.apply(Update(Client, "no-such-id", {"name": "x"}))


def test_birthday_without_year_may_be_29_february_but_31_february_is_refused(
    store: Store,
) -> None:
    _, _, contact_id, _ = _client_with_history(store)
    ok = Create(
        ImportantDate, {"contact_id": contact_id, "label": "Birthday", "day": 29, "month": 2}
    )
    store.apply(ok)
    with pytest.raises(ValidationError, match="February has no day 31"):
        store.apply(Update(ImportantDate, ok.id, {"day": 31}))
    with pytest.raises(ValidationError, match="February has no day 29"):
        store.apply(Update(ImportantDate, ok.id, {"year": 2023}))


def test_settings_default_until_set_and_revert_to_default(store: Store) -> None:
    assert store.setting(AGENCY_NAME) == "My Agency"
    op = SetSetting(AGENCY_NAME, "Northwind Creative")
    store.apply(op)
    assert store.setting(AGENCY_NAME) == "Northwind Creative"
    store.revert(op)
    assert store.setting(AGENCY_NAME) == "My Agency"


def test_listeners_hear_each_commit_once(store: Store) -> None:
    heard: list[ChangeSet] = []
    store.subscribe(heard.append)
    store.apply(Create(Client, {"name": "Acme"}))
    assert len(heard) == 1 and "Client" in heard[0].added
    store.unsubscribe(heard.append)


def test_batch_revert_with_a_loaded_child_collection_deletes_each_row_once(store: Store) -> None:
    client = Create(Client, {"name": "Acme"})
    contact = Create(Contact, {"name": "Bob", "client_id": client.id})
    store.apply(composite([client, contact]))
    call = Create(
        Interaction,
        {"client_id": client.id, "kind": InteractionKind.CALL, "occurred_at": datetime(2026, 5, 1)},
    )
    link = Create(InteractionContact, {"interaction_id": call.id, "contact_id": contact.id})
    log = composite([call, link], "Log call")
    store.apply(log)
    assert [c.name for c in store.get(Interaction, call.id).contacts] == ["Bob"]  # loads links
    changes = store.revert(log)
    assert changes.removed == {"Interaction": {call.id}, "InteractionContact": {link.id}}
    assert _count(store, InteractionContact) == 0
    store.apply(log)
    assert [c.name for c in store.get(Interaction, call.id).contacts] == ["Bob"]
