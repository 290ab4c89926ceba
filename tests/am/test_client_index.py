"""The client list's index without Qt: its rows, filter and order, kept up to date from the
change sets of real operations on a real database."""

from __future__ import annotations

from datetime import datetime

from db.am.client_index import ClientIndex, SortKey
from db.changes import ChangeSet
from db.models import (
    Client,
    ClientNote,
    ClientStatus,
    Contact,
    Interaction,
    InteractionKind,
    NoteKind,
)
from db.operations import Create, Delete, Update
from db.store import Store
from tests.am.conftest import Agency

BY_LAST_CONTACT = SortKey(
    lambda _light, row: row.last_contact or datetime.min if row else datetime.min, light=False
)


def opened(store: Store) -> ClientIndex:
    index = ClientIndex(store.session)
    index.reload()
    return index


def names(index: ClientIndex) -> list[str]:
    return [index.light[i].name for i in index.shown]


def follow(index: ClientIndex, store: Store, op: object) -> None:
    """Run an operation and bring `shown` to what the filter now wants, as the model does."""
    index.apply_changes(store.apply(op))  # type: ignore[arg-type]
    index.set_shown(index.wanted())


def test_opens_in_name_order_reading_no_figures(store: Store, agency: Agency) -> None:
    for name in ("cedar", "Acme", "blue"):
        agency.client(name)
    index = opened(store)
    assert names(index) == ["Acme", "blue", "cedar"]
    assert index.rows == {}  # figures are read only when a row is asked for
    assert index.figures(0) is not None
    assert len(index.rows) == 3  # the run of rows after it came in the same read


def test_filter_by_text_status_manager_and_tag(store: Store, agency: Agency) -> None:
    ann = agency.member("Ann")
    acme = agency.client(
        "Acme", tags=["VIP"], account_manager_id=ann.id, status=ClientStatus.ACTIVE
    )
    agency.client("Blue", status=ClientStatus.LEAD)
    agency.add(Contact, client_id=acme.id, name="Harbor Jones", email="h@example.com")
    index = opened(store)
    index.filter.text = "harbor"
    assert [index.light[i].name for i in index.wanted()] == ["Acme"]
    index.filter.text = ""
    index.filter.status = ClientStatus.LEAD.value
    assert [index.light[i].name for i in index.wanted()] == ["Blue"]
    index.filter.status = None
    index.filter.manager = ""  # clients without an account manager
    assert [index.light[i].name for i in index.wanted()] == ["Blue"]
    index.filter.manager = None
    index.filter.tag = "vip"
    assert [index.light[i].name for i in index.wanted()] == ["Acme"]


def test_sort_by_a_figure_and_follow_a_logged_call(store: Store, agency: Agency) -> None:
    acme, blue = agency.client("Acme"), agency.client("Blue")
    agency.add(
        Interaction, client_id=acme.id, kind=InteractionKind.CALL, occurred_at=datetime(2026, 1, 5)
    )
    index = opened(store)
    index.sort(BY_LAST_CONTACT, descending=True)
    assert names(index) == ["Acme", "Blue"]
    call = Create(
        Interaction,
        {"client_id": blue.id, "kind": InteractionKind.CALL, "occurred_at": datetime(2026, 2, 1)},
    )
    refresh = index.apply_changes(store.apply(call))
    assert refresh.stale == {blue.id} and not refresh.everything
    assert index.rows[blue.id].last_contact == datetime(2026, 2, 1)  # cached row re-read
    assert [index.light[i].name for i in index.order] == ["Blue", "Acme"]
    assert names(index) == ["Acme", "Blue"]  # shown moves only when the caller says so
    index.set_shown(index.wanted())
    assert names(index) == ["Blue", "Acme"]
    # The call is deleted: the index remembers whose it was.
    refresh = index.apply_changes(store.apply(Delete(Interaction, call.id)))
    assert refresh.stale == {blue.id} and not refresh.everything
    assert [index.light[i].name for i in index.order] == ["Acme", "Blue"]


def test_added_renamed_and_removed_clients(store: Store, agency: Agency) -> None:
    agency.client("Blue")
    index = opened(store)
    index.haystack()  # the filter text was read: it follows the changes too
    new = Create(Client, {"name": "Acme"})
    follow(index, store, new)
    assert names(index) == ["Acme", "Blue"]
    follow(index, store, Update(Client, new.id, {"name": "Zest"}))
    assert names(index) == ["Blue", "Zest"]
    assert "zest" in index.haystack()[new.id]
    follow(
        index,
        store,
        Create(
            ClientNote,
            {"client_id": new.id, "kind": next(iter(NoteKind)), "text": "Wants a harbor"},
        ),
    )
    index.filter.text = "harbor"
    assert [index.light[i].name for i in index.wanted()] == ["Zest"]
    index.filter.text = ""
    follow(index, store, Delete(Client, new.id))
    assert names(index) == ["Blue"] and new.id not in index.light


def test_a_removed_row_is_traced_and_an_untraceable_one_drops_every_figure(
    store: Store, agency: Agency
) -> None:
    acme, blue = agency.client("Acme"), agency.client("Blue")
    call = agency.add(
        Interaction, client_id=acme.id, kind=InteractionKind.CALL, occurred_at=datetime(2026, 1, 5)
    )
    index = opened(store)
    index.figures(0)
    store.session.expire_all()  # the index never saw the call: its change set says whose
    refresh = index.apply_changes(store.apply(Delete(Interaction, call.id)))
    assert refresh.stale == {acme.id} and not refresh.everything
    assert index.rows[acme.id].last_contact is None and blue.id in index.rows
    pulled = ChangeSet()  # a removal from outside the session, with no scope
    pulled.add("removed", "Interaction", ["gone"])
    refresh = index.apply_changes(pulled)
    assert refresh.everything and index.rows == {}
