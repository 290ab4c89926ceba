"""The client benchmark's generator and its drive of the real client list on a small agency,
so `python -m bench` keeps working: the filter narrows, a logged call updates its row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.clients import _generate, close_list, open_list
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


def test_bench_drives_the_real_client_list(small_agency: Workspace) -> None:
    """What the benchmark times, on a small agency: the app's list opens, narrows on a
    keystroke, and shows a logged call at once."""
    found = open_list(small_agency)
    model = found.model
    assert model.rowCount() == 40
    first = model.client_id(0)
    name = model.light(first).name
    found.header.filter.setText(name.split()[-1])  # the unique number ending each name
    assert 1 <= found.model.rowCount() < 40
    shown = [found.model.index(r, 0).data() for r in range(found.model.rowCount())]
    assert name in shown
    found.header.filter.clear()

    small_agency.run(log_interaction(first, InteractionKind.CALL, "Checked in"))
    row = model.row_data(model.row_of(first))
    assert row is not None and row.last_contact is not None
    assert row.last_contact.date() == date.today()
    close_list(found)


def test_a_call_logged_before_the_days_generated_calls_still_moves_the_last_contact(
    small_agency: Workspace,
) -> None:
    """The bench failed at 03:00 UTC: the generated calls of the day are stamped 09:00, so a
    call logged "now" did not move the last contact. Whatever the hour, a call stamped later
    today is planned, not contact, and the call logged now is the last contact."""
    from datetime import timedelta

    from db.models import utcnow
    from db.operations import Create

    found = open_list(small_agency)
    model = found.model
    first = model.client_id(0)
    later_today = utcnow() + timedelta(hours=2)
    small_agency.run(
        Create(
            Interaction,
            {
                "client_id": first,
                "kind": InteractionKind.MEETING,
                "occurred_at": later_today,
                "summary": "Planned",
            },
        )
    )
    before = model.row_data(model.row_of(first)).last_contact
    assert before is None or before < utcnow()  # the planned meeting is not contact
    small_agency.run(log_interaction(first, InteractionKind.CALL, "Checked in"))
    after = model.row_data(model.row_of(first)).last_contact
    assert after is not None and after != before and after < later_today
    close_list(found)
