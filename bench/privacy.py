"""Erasing a person (issue 18) on the 5,000-client agency of `bench.clients`: one contact who
took part in 200 interactions, with important dates, gifts and texts that name them.

- `privacy.erase`: the erase as the user waits for it, from pressing Erase to the database
  committed (rows removed with secure delete, the station's outbox, conflicts and search
  index scrubbed, the erase recorded). The file's vacuum runs afterwards on a worker thread
  in the app and is reported on its own (`privacy.erase.vacuum`), not counted here.
- `privacy.erase.rewrite`: retiring the share's history once every station has caught up
  (a snapshot of the agency published, every change file and older snapshot deleted), with
  the agency's whole history (every row's insert) on the share.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from bench.clients import agency_file
from bench.registry import metric
from db.database import open_database
from db.models import (
    Contact,
    FollowUp,
    Gift,
    ImportantDate,
    Interaction,
    InteractionContact,
    InteractionKind,
    new_id,
)
from db.privacy.erase import ErasePerson, vacuum
from db.store import Store

INTERACTIONS = 200
RUNS = 3
T = TypeVar("T")


def _person(store: Store) -> str:
    """A contact of the generated agency given 200 interactions, dates, gifts and mentions."""
    session = store.session
    contact = session.scalars(select(Contact).order_by(Contact.id).limit(1)).one()
    start = datetime(2024, 1, 1, 9, 0)
    for i in range(INTERACTIONS):
        interaction = Interaction(
            id=new_id(),
            client_id=contact.client_id,
            kind=InteractionKind.CALL,
            occurred_at=start + timedelta(days=3 * i),
            summary=f"Call {i}" + (f" with {contact.name}" if i % 20 == 0 else ""),
        )
        session.add(interaction)
        session.add(InteractionContact(interaction_id=interaction.id, contact_id=contact.id))
    session.add(ImportantDate(contact_id=contact.id, label="Birthday", day=4, month=7))
    session.add(Gift(client_id=contact.client_id, contact_id=contact.id, description="Tea"))
    session.add(
        FollowUp(
            client_id=contact.client_id,
            title=f"Send {contact.name} the report",
            due_date=start.date(),
        )
    )
    session.commit()
    return contact.id


def _on_a_copy(run: Callable[[Path], T]) -> list[T]:
    results = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory(prefix="agency-desk-privacy-bench-") as tmp:
            copy = Path(tmp) / "agency.sqlite"
            shutil.copyfile(agency_file(), copy)
            results.append(run(copy))
    return results


def _erase(path: Path) -> tuple[float, float]:
    store = Store(open_database(path))
    try:
        contact_id = _person(store)
        start = time.perf_counter()
        store.apply(ErasePerson(contact_id, erased_by="Bench"))
        erased = time.perf_counter() - start
    finally:
        store.close()
    start = time.perf_counter()
    vacuum(path)
    return erased, time.perf_counter() - start


@metric("privacy.erase", target=1.0, unit="s")
def erase_metric() -> float:
    return statistics.median(e for e, _v in _on_a_copy(_erase))


@metric("privacy.erase.vacuum", unit="s")
def vacuum_metric() -> float:
    return statistics.median(v for _e, v in _on_a_copy(_erase))


@metric("privacy.erase.rewrite", unit="s")
def rewrite_metric() -> float:
    from db.sync import sync

    def run(path: Path) -> float:
        share = path.parent / "share"
        share.mkdir()
        sync(path, share, compact=False)  # the agency's whole history goes to the share
        store = Store(open_database(path))
        try:
            store.apply(ErasePerson(_person(store), erased_by="Bench"))
        finally:
            store.close()
        result = sync(path, share, compact=False)
        assert result.history_retired_s is not None, result.summary()
        return result.history_retired_s

    return statistics.median(_on_a_copy(run))
