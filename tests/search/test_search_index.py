"""Global search without a display: what a keystroke finds, and that the index follows every
way data changes (an operation, its undo, a sync from another station, a migrated old file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from db import search
from db.database import open_database
from db.models import Client, ClientNote, Contact, Interaction, InteractionKind, NoteKind, Project
from db.operations import Create, Delete, Update
from db.search.query import match_expression
from db.store import Store
from tests.sync.harness import Bench


def found(store: Store, text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.title) for h in search.search(store.search_connection(), text)]


def add_agency(store: Store) -> dict[str, str]:
    client = Create(Client, {"name": "Harbor Brewing", "industry": "Beverages", "tags": ["vip"]})
    store.apply(client)
    contact = Create(Contact, {"client_id": client.id, "name": "José Marín", "email": "jm@hb.es"})
    project = Create(Project, {"client_id": client.id, "name": "Spring launch"})
    call = Create(
        Interaction,
        {
            "client_id": client.id,
            "kind": InteractionKind.CALL,
            "occurred_at": __import__("datetime").datetime(2026, 11, 2, 10),
            "summary": "Budget for the spring launch",
        },
    )
    note = Create(
        ClientNote, {"client_id": client.id, "kind": NoteKind.GOAL, "text": "Wants a brewery tour"}
    )
    for op in (contact, project, call, note):
        store.apply(op)
    return {"client": client.id, "contact": contact.id, "project": project.id}


def test_every_word_is_a_prefix_and_punctuation_is_no_syntax() -> None:
    assert match_expression("har bre") == '"har"* "bre"*'
    assert match_expression('acme" OR NEAR(x') == '"acme"* "OR"* "NEAR"* "x"*'
    assert match_expression("  ,.;") == ""


def test_results_of_every_kind_clients_first(store: Store) -> None:
    ids = add_agency(store)
    assert found(store, "harb") == [("Client", "Harbor Brewing")]
    assert found(store, "spring") == [
        ("Project", "Spring launch"),
        ("Interaction", "Budget for the spring launch"),
    ]
    assert found(store, "jose") == [("Contact", "José Marín")]  # accents fold
    assert found(store, "jm@hb") == [("Contact", "José Marín")]
    assert found(store, "brew") == [
        ("Client", "Harbor Brewing"),
        ("ClientNote", "Wants a brewery tour"),
    ]
    assert found(store, "vip") == [("Client", "Harbor Brewing")]  # tags
    hit = search.search(store.search_connection(), "spring")[0]
    assert (hit.client_id, hit.project_id, hit.context) == (
        ids["client"],
        ids["project"],
        "Harbor Brewing",
    )
    assert found(store, "") == [] and found(store, "zzz") == []


def test_results_follow_an_edit_and_its_undo(store: Store) -> None:
    ids = add_agency(store)
    rename = Update(Client, ids["client"], {"name": "Lighthouse Ales"})
    store.apply(rename)
    assert found(store, "harbor") == []
    assert found(store, "lighth") == [("Client", "Lighthouse Ales")]
    store.revert(rename)
    assert found(store, "lighth") == []
    assert found(store, "harbor") == [("Client", "Harbor Brewing")]


def test_a_deleted_client_takes_its_records_out_of_the_results_and_undo_brings_them_back(
    store: Store,
) -> None:
    ids = add_agency(store)
    delete = Delete(Client, ids["client"])
    store.apply(delete)
    assert found(store, "spring") == [] and found(store, "jose") == []
    store.revert(delete)
    assert found(store, "jose") == [("Contact", "José Marín")]
    assert [k for k, _ in found(store, "spring")] == ["Project", "Interaction"]


def test_rows_applied_by_a_sync_are_found_on_the_other_station(tmp_path: Path) -> None:
    bench = Bench(tmp_path, 2)
    try:
        a, b = bench.stations
        client = Create(Client, {"name": "Harbor Brewing"})
        a.apply(client)
        bench.sync(a)
        bench.sync(b)
        assert found(b.open(), "harbor") == [("Client", "Harbor Brewing")]
        a.apply(Update(Client, client.id, {"name": "Lighthouse Ales"}))
        bench.sync(a)
        bench.sync(b)
        store = b.open()
        store.session.commit()  # end the read so the session sees the sync's commit
        assert found(store, "harbor") == []
        assert found(store, "lighthouse") == [("Client", "Lighthouse Ales")]
        a.apply(Delete(Client, client.id))
        bench.sync(a)
        bench.sync(b)
        store.session.commit()
        assert found(store, "lighthouse") == []
    finally:
        bench.close()


def test_an_index_that_is_missing_or_empty_is_rebuilt_on_open(db_path: Path) -> None:
    store = Store(open_database(db_path, create=True))
    add_agency(store)
    store.close()
    conn = sqlite3.connect(db_path)
    with conn:
        search.schema.drop(conn)  # as after a migration that lost it, or an old file
    conn.close()
    store = Store(open_database(db_path))
    assert found(store, "harbor") == [("Client", "Harbor Brewing")]
    store.close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("DELETE FROM search_doc")  # rows written past the store
    conn.close()
    store = Store(open_database(db_path))
    assert found(store, "spring") == [
        ("Project", "Spring launch"),
        ("Interaction", "Budget for the spring launch"),
    ]
    store.close()


def test_the_search_tables_travel_in_no_change_file(store: Store) -> None:
    add_agency(store)
    outbox = store.search_connection().execute("SELECT DISTINCT tbl FROM sync_outbox").fetchall()
    assert not [t for (t,) in outbox if t.startswith("search_")]


def test_a_database_from_before_search_is_indexed_by_its_upgrade(db_path: Path) -> None:
    from alembic import command

    from db.database import alembic_config, make_engine

    engine = make_engine(db_path)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0009")
        connection.exec_driver_sql(
            "INSERT INTO client (id, name, status, industry, annual_budget_cents, currency, "
            "website, tags, yearly_gift_budget_cents, created_at, updated_at) VALUES ('c1', "
            "'Harbor Brewing', 'active', '', 0, 'EUR', '', '[]', 0, '2026-01-01', '2026-01-01')"
        )
    engine.dispose()
    conn = sqlite3.connect(db_path)
    assert not search.schema.present(conn)
    conn.close()
    store = Store(open_database(db_path))
    assert found(store, "harbor") == [("Client", "Harbor Brewing")]
    store.close()
