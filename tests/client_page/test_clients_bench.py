"""The client benchmark's generator and list stand-in on a small agency, so `python -m bench`
keeps working: rows load in batches, the filter narrows, a logged call updates its row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.clients import ClientList, _generate
from db.am.operations import log_interaction
from db.database import open_database
from db.models import Client, Contact, Interaction, InteractionKind
from db.store import Store
from desktop.workspace import Workspace


@pytest.fixture
def small_agency(tmp_path: Path, qapp: object) -> Iterator[Workspace]:
    path = tmp_path / "bench.sqlite"
    _generate(path, date.today(), clients=40, contacts=120, interactions=800)
    store = Store(open_database(path))
    workspace = Workspace(store)
    yield workspace
    workspace.close()
    store.close()


def test_generated_counts(small_agency: Workspace) -> None:
    session = small_agency.session
    counts = [
        session.scalar(select(func.count()).select_from(e)) for e in (Client, Contact, Interaction)
    ]
    assert counts == [40, 120, 800]


def test_client_list_stand_in(small_agency: Workspace) -> None:
    found = ClientList(small_agency)
    assert found.model.rowCount() == 40
    assert found.model.index(0, 0).data() == found.rows[found.ids[0]].name
    name = found.rows[found.ids[0]].name
    found.set_filter(name.split()[-1])  # the unique number at the end of each name
    assert found.model.rowCount() >= 1
    assert any(found.row(i).name == name for i in range(found.model.rowCount()))

    client_id = found.ids[0]
    small_agency.run(log_interaction(client_id, InteractionKind.CALL, "Checked in"))
    assert found.rows[client_id].last_contact is not None
    assert found.rows[client_id].last_contact.date() == date.today()
    found.close()
